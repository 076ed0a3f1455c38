/**
 * Events of a breach stream (`lethe.breach-<uuid>`). The stream is itself the record of the
 * breach GDPR Art. 33(5) requires ("facts relating to the personal data breach, its effects and
 * the remedial action taken"), whatever the risk: a breach assessed as no risk keeps all its facts.
 *
 * Deadlines (authority 72 hours, controller 24 hours, subjects, ...) are computed by the caller for
 * each rule in force and recorded where their clock starts (awareness, confirmation or an
 * assessment). Each notification records the rule ids it `satisfies`, set by the caller, so the
 * open obligations are the recorded deadlines minus those satisfied or exempted.
 *
 * Free text (summary, consequences, measures, contact point, reasons) is marked personal: it is
 * meant to describe the breach without names, but may not.
 *
 * @module
 */
import * as t from 'io-ts';
import { DeadlineRecord } from '../deadline.js';
import { personal } from '../personal.js';
import { Identifier, IsoInstant, Uuid } from '../shared.js';

/** A non-negative integer: an approximate number of data subjects or records, a count of notices sent. */
export const ApproximateCount: t.Type<number, number, unknown> = new t.Type<number, number, unknown>(
  'ApproximateCount',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0,
  (u, c) => (typeof u === 'number' && Number.isInteger(u) && u >= 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** The risk to the rights and freedoms of natural persons (GDPR Arts 33(1), 34(1)). */
export const BreachRisk = t.keyof({ none: null, risk: null, high: null }, 'BreachRisk');
/** The risk to the rights and freedoms of natural persons. */
export type BreachRisk = t.TypeOf<typeof BreachRisk>;

/**
 * Who or what caused the incident. InfluencerSoft owes its customers nothing for incidents the
 * customer or a third-party service caused (IS-22).
 */
export const BreachCause = t.keyof(
  { internal: null, customer: null, thirdPartyService: null, unknown: null },
  'BreachCause',
);
/** Who or what caused the incident. */
export type BreachCause = t.TypeOf<typeof BreachCause>;

/** An actual breach, or a threatened one (Personizely PZ-26 notifies only actual ones). */
export const BreachNature = t.keyof({ actual: null, threatened: null }, 'BreachNature');
/** An actual or threatened breach. */
export type BreachNature = t.TypeOf<typeof BreachNature>;

/** The incident was detected. Detection is not awareness: the GDPR clock has not started. */
export const BreachDetected = t.type(
  {
    type: t.literal('BreachDetected'),
    data: t.intersection([
      t.type({ breachId: Uuid, detectedAt: IsoInstant, summary: personal(t.string) }),
      t.partial({ detectedBy: Identifier }),
    ]),
  },
  'BreachDetected',
);
/** The incident was detected. */
export type BreachDetected = t.TypeOf<typeof BreachDetected>;

/**
 * The controller (or processor) became aware: it has a reasonable degree of certainty that
 * personal data was compromised (EDPB Guidelines 9/2022). The GDPR Art. 33 clock starts at
 * `awareAt`; `deadlines` holds one record per rule in force, computed by the caller.
 */
export const BreachAwarenessEstablished = t.type(
  {
    type: t.literal('BreachAwarenessEstablished'),
    data: t.intersection([
      t.type({ awareAt: IsoInstant, deadlines: t.array(DeadlineRecord) }),
      t.partial({ basis: personal(t.string) }),
    ]),
  },
  'BreachAwarenessEstablished',
);
/** The controller or processor became aware of the breach. */
export type BreachAwarenessEstablished = t.TypeOf<typeof BreachAwarenessEstablished>;

/**
 * The breach was confirmed. Rules that count from confirmation (InfluencerSoft IS-21: "after
 * becoming aware of and confirming") get their deadlines here.
 */
export const BreachConfirmed = t.type(
  {
    type: t.literal('BreachConfirmed'),
    data: t.type({ confirmedAt: IsoInstant, deadlines: t.array(DeadlineRecord) }),
  },
  'BreachConfirmed',
);
/** The breach was confirmed. */
export type BreachConfirmed = t.TypeOf<typeof BreachConfirmed>;

/**
 * An assessment of the breach; repeated as facts become known, the latest superseding the earlier
 * ones. `dataUnintelligible` is the Art. 34(3)(a) test (encrypted or anonymised). `deadlines` adds
 * obligations the assessment gives rise to (Art. 34 once the risk is high).
 */
export const BreachAssessed = t.type(
  {
    type: t.literal('BreachAssessed'),
    data: t.intersection([
      t.type({
        assessedAt: IsoInstant,
        risk: BreachRisk,
        dataCategories: t.array(Identifier),
        dataSubjectCategories: t.array(Identifier),
        approxSubjects: ApproximateCount,
        approxRecords: ApproximateCount,
        dataUnintelligible: t.boolean,
        nature: BreachNature,
        cause: BreachCause,
        likelyConsequences: personal(t.string),
        measures: personal(t.string),
      }),
      t.partial({ deadlines: t.array(DeadlineRecord) }),
    ]),
  },
  'BreachAssessed',
);
/** An assessment of the breach. */
export type BreachAssessed = t.TypeOf<typeof BreachAssessed>;

/** The breach was contained. */
export const BreachContained = t.type(
  { type: t.literal('BreachContained'), data: t.type({ at: IsoInstant }) },
  'BreachContained',
);
/** The breach was contained. */
export type BreachContained = t.TypeOf<typeof BreachContained>;

/** A field of the minimum content of a notification to the authority (GDPR Art. 33(3)). */
export const AuthorityNotificationField = t.keyof(
  {
    nature: null,
    dataSubjectCategories: null,
    approxSubjects: null,
    dataCategories: null,
    approxRecords: null,
    contactPoint: null,
    likelyConsequences: null,
    measures: null,
  },
  'AuthorityNotificationField',
);
/** A field of the minimum content of a notification to the authority. */
export type AuthorityNotificationField = t.TypeOf<typeof AuthorityNotificationField>;

/**
 * What a notification to the authority says (GDPR Art. 33(3)): (a) nature, with categories and
 * approximate numbers of subjects and records; (b) contact point; (c) likely consequences;
 * (d) measures. Each may be missing from a phased notification (Art. 33(4)).
 */
export const AuthorityNotificationContent = t.partial(
  {
    nature: personal(t.string),
    dataSubjectCategories: t.array(Identifier),
    approxSubjects: ApproximateCount,
    dataCategories: t.array(Identifier),
    approxRecords: ApproximateCount,
    contactPoint: personal(t.string),
    likelyConsequences: personal(t.string),
    measures: personal(t.string),
  },
  'AuthorityNotificationContent',
);
/** What a notification to the authority says. */
export type AuthorityNotificationContent = t.TypeOf<typeof AuthorityNotificationContent>;

/** A notification phase (GDPR Art. 33(4): information may be provided in phases). */
export const NotificationPhase = t.keyof({ initial: null, supplementary: null, final: null }, 'NotificationPhase');
/** A notification phase. */
export type NotificationPhase = t.TypeOf<typeof NotificationPhase>;

/**
 * The supervisory authority was notified. `phased.reason` says why an initial notification lacks
 * Art. 33(3) content; `delayReasons` accompany a notification made after its deadline (Art. 33(1)).
 */
export const AuthorityNotified = t.type(
  {
    type: t.literal('AuthorityNotified'),
    data: t.intersection([
      t.type({
        authorityId: Identifier,
        phase: NotificationPhase,
        at: IsoInstant,
        satisfies: t.array(Identifier),
        content: AuthorityNotificationContent,
      }),
      t.partial({
        phased: t.type({ reason: personal(t.string) }),
        delayReasons: personal(t.string),
        reference: Identifier,
      }),
    ]),
  },
  'AuthorityNotified',
);
/** The supervisory authority was notified. */
export type AuthorityNotified = t.TypeOf<typeof AuthorityNotified>;

/** What a communication to data subjects says (GDPR Art. 34(2): plain language plus Art. 33(3)(b)–(d)). */
export const DataSubjectNotificationContent = t.type(
  {
    description: personal(t.string),
    contactPoint: personal(t.string),
    likelyConsequences: personal(t.string),
    measures: personal(t.string),
  },
  'DataSubjectNotificationContent',
);
/** What a communication to data subjects says. */
export type DataSubjectNotificationContent = t.TypeOf<typeof DataSubjectNotificationContent>;

/** The data subjects were told (GDPR Art. 34(1)). */
export const DataSubjectsNotified = t.type(
  {
    type: t.literal('DataSubjectsNotified'),
    data: t.intersection([
      t.type({
        at: IsoInstant,
        channel: Identifier,
        count: ApproximateCount,
        satisfies: t.array(Identifier),
        content: DataSubjectNotificationContent,
      }),
      t.partial({ delayReasons: personal(t.string) }),
    ]),
  },
  'DataSubjectsNotified',
);
/** The data subjects were told. */
export type DataSubjectsNotified = t.TypeOf<typeof DataSubjectsNotified>;

/** Why a public communication replaced individual notices (GDPR Art. 34(3)(c); NDB s26WL), or a host code. */
export const PublicCommunicationReason = t.union(
  [t.keyof({ disproportionateEffort: null, contactDetailsUnavailable: null }), Identifier],
  'PublicCommunicationReason',
);
/** Why a public communication replaced individual notices. */
export type PublicCommunicationReason = t.TypeOf<typeof PublicCommunicationReason>;

/** A public communication informed the data subjects instead (GDPR Art. 34(3)(c)). */
export const PublicCommunicationMade = t.type(
  {
    type: t.literal('PublicCommunicationMade'),
    data: t.intersection([
      t.type({
        at: IsoInstant,
        medium: Identifier,
        reason: PublicCommunicationReason,
        satisfies: t.array(Identifier),
      }),
      t.partial({ delayReasons: personal(t.string) }),
    ]),
  },
  'PublicCommunicationMade',
);
/** A public communication informed the data subjects. */
export type PublicCommunicationMade = t.TypeOf<typeof PublicCommunicationMade>;

/**
 * What a processor tells its controller (GDPR Art. 33(2); Personizely PZ-27: the fact, the nature
 * with the approximate number of subjects where possible, likely consequences, measures).
 */
export const ControllerNotificationContent = t.intersection(
  [
    t.type({
      nature: personal(t.string),
      likelyConsequences: personal(t.string),
      measures: personal(t.string),
    }),
    t.partial({ approxSubjects: ApproximateCount }),
  ],
  'ControllerNotificationContent',
);
/** What a processor tells its controller. */
export type ControllerNotificationContent = t.TypeOf<typeof ControllerNotificationContent>;

/** We are processor: the controller was told (GDPR Art. 33(2); IN-19, CF-13, PZ-26). */
export const ControllerNotified = t.type(
  {
    type: t.literal('ControllerNotified'),
    data: t.intersection([
      t.type({
        controllerId: Identifier,
        at: IsoInstant,
        satisfies: t.array(Identifier),
        content: ControllerNotificationContent,
      }),
      t.partial({ phase: NotificationPhase, delayReasons: personal(t.string) }),
    ]),
  },
  'ControllerNotified',
);
/** The controller was told. */
export type ControllerNotified = t.TypeOf<typeof ControllerNotified>;

/**
 * An obligation does not apply to this breach, with the exemption's code
 * (`gdpr.art33.1.unlikelyRisk`, `gdpr.art34.3.a`, `contract.causedByCustomer`) and the reasoning
 * (kept for Art. 33(5) and for the authority, which may disagree: Art. 34(4)).
 */
export const NotificationExemptionRecorded = t.type(
  {
    type: t.literal('NotificationExemptionRecorded'),
    data: t.type({ ruleId: Identifier, exemption: Identifier, reasoning: personal(t.string), at: IsoInstant }),
  },
  'NotificationExemptionRecorded',
);
/** An obligation does not apply to this breach. */
export type NotificationExemptionRecorded = t.TypeOf<typeof NotificationExemptionRecorded>;

/** The reasons for a delay were documented for one obligation (GDPR Art. 33(1): "accompanied by reasons for the delay"). */
export const DelayJustified = t.type(
  {
    type: t.literal('DelayJustified'),
    data: t.type({ ruleId: Identifier, reasons: personal(t.string), at: IsoInstant }),
  },
  'DelayJustified',
);
/** The reasons for a delay were documented. */
export type DelayJustified = t.TypeOf<typeof DelayJustified>;

/** The breach was closed: every obligation was met or exempted. */
export const BreachClosed = t.type(
  { type: t.literal('BreachClosed'), data: t.type({ at: IsoInstant }) },
  'BreachClosed',
);
/** The breach was closed. */
export type BreachClosed = t.TypeOf<typeof BreachClosed>;

/** Any event of a breach stream. */
export const BreachEvent = t.union(
  [
    BreachDetected,
    BreachAwarenessEstablished,
    BreachConfirmed,
    BreachAssessed,
    BreachContained,
    AuthorityNotified,
    DataSubjectsNotified,
    PublicCommunicationMade,
    ControllerNotified,
    NotificationExemptionRecorded,
    DelayJustified,
    BreachClosed,
  ],
  'BreachEvent',
);
/** Any event of a breach stream. */
export type BreachEvent = t.TypeOf<typeof BreachEvent>;
