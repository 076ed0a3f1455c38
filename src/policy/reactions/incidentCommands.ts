/**
 * The host commands of the requests, breaches and sub-processors area: the imperatives Lethe
 * emits through the outbox for the host to carry out. Each says what to do, by when (`dueAt`, an
 * ISO instant in the policy calendar's zone, with the rule's `citation` and the `explanation` of
 * how it was counted) and what to record back through the API once done.
 *
 * Commands carry references only (request, breach, subject, register and sub-processor ids, data
 * categories): the host looks the personal data up itself.
 *
 * @module
 */
import * as t from 'io-ts';
import { ObligationOverdue } from './obligationOverdue.js';
import { DeadlineRecord } from '../../model/deadline.js';
import { Identifier, IsoInstant, Uuid } from '../../model/shared.js';
import { RequestType } from '../../model/request/index.js';
import { AuthorityNotificationField } from '../../model/breach/index.js';
import { AuthorityDemandKind, SubProcessorChange } from '../../model/processor/index.js';

/**
 * Confirm to the requester that the request was received and say how it will be processed
 * (11 CCR § 7021(a): within 10 business days). Record it back with `confirmRequestReceipt`.
 */
export const ConfirmRequestReceipt = t.type(
  {
    type: t.literal('ConfirmRequestReceipt'),
    data: t.type({ requestId: Uuid, subjectId: Uuid, deadline: DeadlineRecord, dueAt: IsoInstant }),
  },
  'ConfirmRequestReceipt',
);
/** See {@link ConfirmRequestReceipt}. */
export type ConfirmRequestReceipt = t.TypeOf<typeof ConfirmRequestReceipt>;

/**
 * Act on a data-subject request by `dueAt` (GDPR Art. 12(3); CCPA 1798.130(a)(2)): fulfil it
 * (`fulfilRequest`; for an erasure request the facade's `fulfilErasureRequest` starts the erasure
 * of the subject's categories through the lifecycle area), refuse it with reasons and the right to
 * complain (`refuseRequest`), or, where `extension` is given, extend it with a notice sent by
 * `extension.noticeBy` (`extendRequest`). `identityVerificationRequired`: record a verified identity
 * (`verifyIdentity`) before fulfilling (IS-15, SP-14).
 */
export const RespondToRequest = t.type(
  {
    type: t.literal('RespondToRequest'),
    data: t.intersection([
      t.type({
        requestId: Uuid,
        subjectId: Uuid,
        requestType: RequestType,
        jurisdiction: Identifier,
        dueAt: IsoInstant,
        deadline: DeadlineRecord,
        identityVerificationRequired: t.boolean,
      }),
      t.partial({
        extension: t.type({ noticeBy: IsoInstant, extendedDueAt: IsoInstant, citation: t.string }),
        confirmReceiptBy: IsoInstant,
      }),
    ]),
  },
  'RespondToRequest',
);
/** See {@link RespondToRequest}. */
export type RespondToRequest = t.TypeOf<typeof RespondToRequest>;

/** What an access or portability answer must contain (GDPR Art. 15(1); IS-16; SP-12). */
export const ExportContent = t.keyof(
  {
    personalData: null,
    categories: null,
    sources: null,
    recipients: null,
    purposes: null,
    retentionPeriods: null,
    categoriesSoldOrDisclosed: null,
  },
  'ExportContent',
);
/** What an access or portability answer must contain. */
export type ExportContent = t.TypeOf<typeof ExportContent>;

/**
 * Export the subject's data for an access or portability request, emitted once the identity is
 * verified (or at receipt when no verification is needed): the data held in the window
 * `[windowFrom, windowTo]` (CCPA: the 12 months before receipt, SP-17; no `windowFrom`: all of
 * it), with `mustInclude` (sources, recipients, purposes, categories: IS-16, SP-12), in `format`
 * (`machineReadable` for portability: GDPR Art. 20(1), SP-18). Then record the answer with
 * `fulfilRequest` by `dueAt`.
 */
export const ExportSubjectData = t.type(
  {
    type: t.literal('ExportSubjectData'),
    data: t.intersection([
      t.type({
        requestId: Uuid,
        subjectId: Uuid,
        requestType: RequestType,
        windowTo: IsoInstant,
        mustInclude: t.array(ExportContent),
        format: t.keyof({ common: null, machineReadable: null }),
        dueAt: IsoInstant,
        citation: t.string,
      }),
      t.partial({ windowFrom: IsoInstant }),
    ]),
  },
  'ExportSubjectData',
);
/** See {@link ExportSubjectData}. */
export type ExportSubjectData = t.TypeOf<typeof ExportSubjectData>;

/**
 * Alert the named roles (e.g. the CEO and the DPO) that a subject's data is being exported, at the
 * instant `at` the export is asked for (Personizely PZ-16: "Notifications and alerts have been set
 * up to notify the CEO and DPO whenever Client or customer's data is being exported"). Emitted
 * beside each {@link ExportSubjectData} when the policy sets `parameters.exportAlertRoles`.
 * Nothing to record back: the alert is the record.
 */
export const AlertDataExported = t.type(
  {
    type: t.literal('AlertDataExported'),
    data: t.type({
      requestId: Uuid,
      subjectId: Uuid,
      requestType: RequestType,
      roles: t.array(Identifier),
      at: IsoInstant,
      citation: t.string,
    }),
  },
  'AlertDataExported',
);
/** See {@link AlertDataExported}. */
export type AlertDataExported = t.TypeOf<typeof AlertDataExported>;

/**
 * We are processor and the data subject wrote to us: pass the request to the controller by
 * `dueAt` (GDPR Art. 28(3)(e); IS-13, PZ-28) without answering its substance; the subject may be
 * told it was passed on (`mayInformSubject`). Record it with `forwardRequest`.
 */
export const ForwardRequestToController = t.type(
  {
    type: t.literal('ForwardRequestToController'),
    data: t.intersection([
      t.type({
        requestId: Uuid,
        subjectId: Uuid,
        requestType: RequestType,
        dueAt: IsoInstant,
        deadline: DeadlineRecord,
        mayInformSubject: t.boolean,
      }),
      t.partial({ controllerId: Identifier }),
    ]),
  },
  'ForwardRequestToController',
);
/** See {@link ForwardRequestToController}. */
export type ForwardRequestToController = t.TypeOf<typeof ForwardRequestToController>;

/** The non-personal facts of the latest assessment, to prefill a notification. */
export const KnownBreachFacts = t.type(
  {
    assessedAt: IsoInstant,
    dataCategories: t.array(Identifier),
    dataSubjectCategories: t.array(Identifier),
    approxSubjects: t.number,
    approxRecords: t.number,
  },
  'KnownBreachFacts',
);
/** See {@link KnownBreachFacts}. */
export type KnownBreachFacts = t.TypeOf<typeof KnownBreachFacts>;

const breachDutyFields = {
  breachId: Uuid,
  /** The earliest due instant of `obligations`. */
  dueAt: IsoInstant,
  /** Every duty this one act satisfies, each with its own due instant, citation and explanation. */
  obligations: t.array(DeadlineRecord),
  /** A notice after `dueAt` must give the reasons for the delay (GDPR Art. 33(1)). */
  lateNoticeNeedsReasons: t.boolean,
};

/**
 * Notify the supervisory authority by `dueAt` (GDPR Art. 33(1): 72 hours from awareness;
 * LGPD / ANPD Res. 15/2024: 3 business days), aiming at `hostTargetAt` ("without undue delay"),
 * with the content of Art. 33(3) (`requiredContent`; information may follow in phases, Art. 33(4)).
 * Record it with `recordAuthorityNotification` (`satisfies`: the obligations' rule ids); a notice
 * after `dueAt` needs `delayReasons`.
 */
export const NotifySupervisoryAuthority = t.type(
  {
    type: t.literal('NotifySupervisoryAuthority'),
    data: t.intersection([
      t.type({ ...breachDutyFields, requiredContent: t.array(AuthorityNotificationField) }),
      t.partial({ hostTargetAt: IsoInstant, knownFacts: KnownBreachFacts }),
    ]),
  },
  'NotifySupervisoryAuthority',
);
/** See {@link NotifySupervisoryAuthority}. */
export type NotifySupervisoryAuthority = t.TypeOf<typeof NotifySupervisoryAuthority>;

/** What a processor's notice to its controller contains (GDPR Art. 33(2); PZ-27). */
export const ControllerNoticeContent = t.keyof(
  { fact: null, nature: null, approxSubjects: null, likelyConsequences: null, measures: null },
  'ControllerNoticeContent',
);
/** What a processor's notice to its controller contains. */
export type ControllerNoticeContent = t.TypeOf<typeof ControllerNoticeContent>;

/**
 * We are processor: notify the controllers (customers) whose data the breach concerns by `dueAt`
 * (GDPR Art. 33(2) "without undue delay"; contracts: Instaply IN-19 24 hours from awareness,
 * InfluencerSoft IS-21 after awareness and confirmation, Personizely PZ-26 72 hours), with the
 * fact, nature, approximate number of subjects, likely consequences and measures (PZ-27).
 * Record it with `recordControllerNotification`.
 */
export const NotifyController = t.type(
  {
    type: t.literal('NotifyController'),
    data: t.intersection([
      t.type({ ...breachDutyFields, requiredContent: t.array(ControllerNoticeContent) }),
      t.partial({ hostTargetAt: IsoInstant, knownFacts: KnownBreachFacts }),
    ]),
  },
  'NotifyController',
);
/** See {@link NotifyController}. */
export type NotifyController = t.TypeOf<typeof NotifyController>;

/** An exemption the host may invoke instead of notifying (GDPR Art. 34(3)). */
export const AvailableExemption = t.intersection(
  [t.type({ ruleId: Identifier, exemption: Identifier, citation: t.string }), t.partial({ insteadRequires: Identifier })],
  'AvailableExemption',
);
/** An exemption the host may invoke instead of notifying. */
export type AvailableExemption = t.TypeOf<typeof AvailableExemption>;

/**
 * Communicate the breach to the affected data subjects by `dueAt` (GDPR Art. 34(1): high risk,
 * "without undue delay"; LGPD: 3 business days), in clear and plain language with the contact
 * point, likely consequences and measures (Art. 34(2)). Record it with
 * `recordDataSubjectNotification`; where individual notice would need disproportionate effort,
 * record the exemption (`recordExemption`, Art. 34(3)(c)), which asks for a public communication.
 */
export const NotifyDataSubjects = t.type(
  {
    type: t.literal('NotifyDataSubjects'),
    data: t.intersection([
      t.type({
        ...breachDutyFields,
        requiredContent: t.array(t.keyof({ description: null, contactPoint: null, likelyConsequences: null, measures: null })),
        exemptions: t.array(AvailableExemption),
      }),
      t.partial({ hostTargetAt: IsoInstant, knownFacts: KnownBreachFacts }),
    ]),
  },
  'NotifyDataSubjects',
);
/** See {@link NotifyDataSubjects}. */
export type NotifyDataSubjects = t.TypeOf<typeof NotifyDataSubjects>;

/**
 * Make a public communication (or similar measure) that informs the data subjects as effectively,
 * instead of individual notices (GDPR Art. 34(3)(c); ANPD: a public notice kept at least 90 days).
 * Record it with `recordPublicCommunication`.
 */
export const PublicCommunication = t.type(
  {
    type: t.literal('PublicCommunication'),
    data: t.type({ breachId: Uuid, ruleId: Identifier, exemption: Identifier, dueAt: IsoInstant, citation: t.string }),
  },
  'PublicCommunication',
);
/** See {@link PublicCommunication}. */
export type PublicCommunication = t.TypeOf<typeof PublicCommunication>;

/**
 * A breach duty whose act has no dedicated command (e.g. HIPAA media notice, a contractual duty
 * without an `action`): carry out `action` by `dueAt`, then record what satisfies it.
 */
export const BreachObligationDue = t.type(
  {
    type: t.literal('BreachObligationDue'),
    data: t.intersection([t.type({ ...breachDutyFields, action: Identifier }), t.partial({ hostTargetAt: IsoInstant })]),
  },
  'BreachObligationDue',
);
/** See {@link BreachObligationDue}. */
export type BreachObligationDue = t.TypeOf<typeof BreachObligationDue>;

/**
 * Tell the customers (controllers) of a sub-processor change (GDPR Art. 28(2); CF-11, PZ-23).
 * For an addition, customers may object until `objectionWindow.closesAt` (counted from the notice;
 * CF-11: 10 calendar days). Record the notice with `recordSubProcessorChangeNotice` (which
 * recomputes the window from the actual notice instant).
 */
export const NotifyCustomersOfSubProcessorChange = t.type(
  {
    type: t.literal('NotifyCustomersOfSubProcessorChange'),
    data: t.intersection([
      t.type({ registerId: Uuid, subProcessorId: Identifier, change: SubProcessorChange }),
      t.partial({
        objectionWindow: t.intersection([
          t.type({ closesAt: IsoInstant, ruleId: Identifier, explanation: t.string }),
          t.partial({ citation: t.string }),
        ]),
      }),
    ]),
  },
  'NotifyCustomersOfSubProcessorChange',
);
/** See {@link NotifyCustomersOfSubProcessorChange}. */
export type NotifyCustomersOfSubProcessorChange = t.TypeOf<typeof NotifyCustomersOfSubProcessorChange>;

/**
 * We are processor and an authority demanded disclosure of a controller's data: notify the
 * controller (customer) and give it a copy of the demand by `dueAt`, unless the law prohibits it
 * (then this command is not emitted). CF-18 says "promptly" and IS-12, IS-23 give no number, so
 * `dueAt` is a host target (`receivedAt` + `DEFAULT_HOST_TARGETS.processorToController`, PT24H),
 * not a legal limit; `explanation` says how it was counted. Record it with
 * `recordAuthorityDemandForwarding`.
 */
export const ForwardAuthorityDemandToController = t.type(
  {
    type: t.literal('ForwardAuthorityDemandToController'),
    data: t.intersection([
      t.type({
        registerId: Uuid,
        demandId: Identifier,
        controllerId: Identifier,
        authority: Identifier,
        kind: AuthorityDemandKind,
        receivedAt: IsoInstant,
        dueAt: IsoInstant,
        citation: t.string,
        explanation: t.string,
      }),
      t.partial({ reference: Identifier }),
    ]),
  },
  'ForwardAuthorityDemandToController',
);
/** See {@link ForwardAuthorityDemandToController}. */
export type ForwardAuthorityDemandToController = t.TypeOf<typeof ForwardAuthorityDemandToController>;

/**
 * A new version of the policy was published: notify its users (Instaply IN-02: "we will notify you
 * of such changes by publishing them within the Services or by email"). `required` is false where
 * the policy makes the notice optional (InfluencerSoft IS-30: "we may notify you"), per the
 * policy's `parameters.policyChangeNotice`; `citation` says which. Nothing to record back.
 */
export const NotifyUsersOfPolicyChange = t.type(
  {
    type: t.literal('NotifyUsersOfPolicyChange'),
    data: t.type({
      policyId: Uuid,
      version: t.string,
      effectiveFrom: IsoInstant,
      publishedAt: IsoInstant,
      meaningfullyReducesRights: t.boolean,
      required: t.boolean,
      citation: t.string,
    }),
  },
  'NotifyUsersOfPolicyChange',
);
/** See {@link NotifyUsersOfPolicyChange}. */
export type NotifyUsersOfPolicyChange = t.TypeOf<typeof NotifyUsersOfPolicyChange>;


/** Any host command of the area. */
export const IncidentHostCommand = t.union(
  [
    ConfirmRequestReceipt,
    RespondToRequest,
    ExportSubjectData,
    AlertDataExported,
    ForwardRequestToController,
    NotifySupervisoryAuthority,
    NotifyController,
    NotifyDataSubjects,
    PublicCommunication,
    BreachObligationDue,
    NotifyCustomersOfSubProcessorChange,
    ForwardAuthorityDemandToController,
    NotifyUsersOfPolicyChange,
    ObligationOverdue,
  ],
  'IncidentHostCommand',
);
/** Any host command of the area. */
export type IncidentHostCommand = t.TypeOf<typeof IncidentHostCommand>;

/** The type names of the area's host commands: register a handler for each. */
export const incidentHostCommandTypes: readonly IncidentHostCommand['type'][] = IncidentHostCommand.types.map(
  (c) => c.props.type.value,
);
