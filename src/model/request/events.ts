/**
 * Events of a data-subject request stream (`lethe.request-<uuid>`): received, identity verified
 * or not, clock restarted (UK GDPR Art. 12A), receipt confirmed, extended, fee proposed, and one
 * outcome: fulfilled, refused, forwarded to the controller, or withdrawn by the requester.
 *
 * Deadlines are computed once by the caller (API layer or reaction) from the policy and recorded
 * here, so a replay never recomputes them.
 *
 * @module
 */
import * as t from 'io-ts';
import { DeadlineRecord } from '../deadline.js';
import { personal } from '../personal.js';
import { Identifier, IsoInstant, Uuid } from '../shared.js';

/** A non-negative integer: a count of requests, an amount in minor currency units. */
export const RequestCount: t.Type<number, number, unknown> = new t.Type<number, number, unknown>(
  'RequestCount',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0,
  (u, c) => (typeof u === 'number' && Number.isInteger(u) && u >= 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/**
 * What the requester asks for. GDPR Arts 15–22 and the CCPA rights, plus the seeds'
 * `anonymisation` and `inactivation` (InfluencerSoft IS-10, IS-14).
 */
export const RequestType = t.keyof(
  {
    access: null,
    erasure: null,
    rectification: null,
    restriction: null,
    portability: null,
    objection: null,
    optOutOfSale: null,
    anonymisation: null,
    inactivation: null,
  },
  'RequestType',
);
/** What the requester asks for. */
export type RequestType = t.TypeOf<typeof RequestType>;

/** How the request arrived: a known channel or a host-defined identifier. */
export const RequestChannel = t.union(
  [t.keyof({ email: null, written: null, web: null, phone: null, api: null, dpoEmail: null }), Identifier],
  'RequestChannel',
);
/** How the request arrived. */
export type RequestChannel = t.TypeOf<typeof RequestChannel>;

/** Our role for the data the request is about; a processor forwards the request (GDPR Art. 28(3)(e); IS-13, PZ-28). */
export const RequestRole = t.keyof({ controller: null, processor: null }, 'RequestRole');
/** Our role for the data the request is about. */
export type RequestRole = t.TypeOf<typeof RequestRole>;

/**
 * Who sent the request to us: the data subject (or their agent), or the controller we process for
 * (Instaply IN-15: the controller relays requests to the processor's DPO, which then answers them).
 */
export const RequestSource = t.keyof({ dataSubject: null, controller: null }, 'RequestSource');
/** Who sent the request to us. */
export type RequestSource = t.TypeOf<typeof RequestSource>;

/** A person acting for the subject (CCPA 11 CCR 7063; Softpire SP-22). The agent's name is personal data. */
export const AuthorisedAgent = t.type(
  {
    name: personal(t.string),
    authorisation: t.keyof({ signedPermission: null, powerOfAttorney: null }),
  },
  'AuthorisedAgent',
);
/** A person acting for the subject. */
export type AuthorisedAgent = t.TypeOf<typeof AuthorisedAgent>;

/**
 * The one extension the rule allows, computed at receipt: the notice must be given by `noticeBy`
 * (the end of the first period) and the answer is then due by `extendedDueAt` at the latest
 * (GDPR Art. 12(3); CCPA 1798.130(a)(2); 11 CCR 7021(b)).
 */
export const ExtensionAllowance = t.type(
  { noticeBy: IsoInstant, extendedDueAt: IsoInstant, ruleId: Identifier, citation: t.string },
  'ExtensionAllowance',
);
/** The one extension the rule allows. */
export type ExtensionAllowance = t.TypeOf<typeof ExtensionAllowance>;

/**
 * The deadlines of a request: `respond` always; `confirmReceipt` where the rule has one (11 CCR
 * 7021(a): 10 business days); `extension` where the rule allows one (absent = no extension).
 */
export const RequestDeadlines = t.intersection(
  [
    t.type({ respond: DeadlineRecord }),
    t.partial({ confirmReceipt: DeadlineRecord, extension: ExtensionAllowance }),
  ],
  'RequestDeadlines',
);
/** The deadlines of a request. */
export type RequestDeadlines = t.TypeOf<typeof RequestDeadlines>;

/** How often the rule lets a requester make this kind of request (CCPA 1798.130(b): twice in 12 months; Colorado: per calendar year). */
export const FrequencyLimit = t.intersection(
  [
    t.type({
      count: RequestCount,
      per: t.keyof({ rolling12Months: null, calendarYear: null }),
      citation: t.string,
    }),
    t.partial({ ruleId: Identifier }),
  ],
  'FrequencyLimit',
);
/** How often the rule lets a requester make this kind of request. */
export type FrequencyLimit = t.TypeOf<typeof FrequencyLimit>;

/** The frequency check made at receipt, kept for the accountability record. */
export const FrequencyCheck = t.type(
  { priorRequestsInWindow: RequestCount, limit: FrequencyLimit },
  'FrequencyCheck',
);
/** The frequency check made at receipt. */
export type FrequencyCheck = t.TypeOf<typeof FrequencyCheck>;

/** The request arrived. Its deadlines run from `receivedAt` (business time), whatever verification takes (11 CCR 7021(b)). */
export const RequestReceived = t.type(
  {
    type: t.literal('RequestReceived'),
    data: t.intersection([
      t.type({
        requestId: Uuid,
        subjectId: Uuid,
        requestType: RequestType,
        jurisdiction: Identifier,
        channel: RequestChannel,
        receivedAt: IsoInstant,
        role: RequestRole,
        receivedFrom: RequestSource,
        deadlines: RequestDeadlines,
        policyVersion: Identifier,
      }),
      t.partial({
        authorisedAgent: AuthorisedAgent,
        /** The request as the requester wrote it. */
        correspondence: personal(t.string),
        /** The controller whose data this is, when we are its processor. */
        controllerId: Identifier,
        /** Start of the look-back window of an access request (CCPA: 12 months before receipt). */
        lookBackFrom: IsoInstant,
        frequencyCheck: FrequencyCheck,
      }),
    ]),
  },
  'RequestReceived',
);
/** The request arrived. */
export type RequestReceived = t.TypeOf<typeof RequestReceived>;

/** The requester's identity was verified (IS-15, SP-14). */
export const IdentityVerified = t.type(
  { type: t.literal('IdentityVerified'), data: t.type({ at: IsoInstant, method: Identifier }) },
  'IdentityVerified',
);
/** The requester's identity was verified. */
export type IdentityVerified = t.TypeOf<typeof IdentityVerified>;

/** An attempt to verify the requester's identity failed; a later attempt may still succeed. */
export const IdentityVerificationFailed = t.type(
  {
    type: t.literal('IdentityVerificationFailed'),
    data: t.intersection([t.type({ at: IsoInstant }), t.partial({ method: Identifier })]),
  },
  'IdentityVerificationFailed',
);
/** An attempt to verify the requester's identity failed. */
export type IdentityVerificationFailed = t.TypeOf<typeof IdentityVerificationFailed>;

/**
 * The clock restarted: under UK GDPR Art. 12A the time runs from the latest of receipt, receipt
 * of requested identity evidence, and payment of a fee, and stops while awaiting clarification.
 * `deadlines` replace those recorded at receipt; the caller computed them.
 */
export const RequestClockRestarted = t.type(
  {
    type: t.literal('RequestClockRestarted'),
    data: t.type({
      reason: t.keyof({ identityEvidenceReceived: null, feePaid: null, clarificationReceived: null }),
      at: IsoInstant,
      deadlines: RequestDeadlines,
    }),
  },
  'RequestClockRestarted',
);
/** The clock restarted (UK GDPR Art. 12A). */
export type RequestClockRestarted = t.TypeOf<typeof RequestClockRestarted>;

/** Receipt was confirmed to the requester (11 CCR 7021(a)). */
export const ReceiptConfirmed = t.type(
  {
    type: t.literal('ReceiptConfirmed'),
    data: t.intersection([t.type({ at: IsoInstant }), t.partial({ channel: RequestChannel })]),
  },
  'ReceiptConfirmed',
);
/** Receipt was confirmed to the requester. */
export type ReceiptConfirmed = t.TypeOf<typeof ReceiptConfirmed>;

/**
 * The answer period was extended, with notice and reasons sent within the first period
 * (GDPR Art. 12(3); CCPA 1798.130(a)(2); 11 CCR 7021(b)). `reason` is the text sent to the
 * requester.
 */
export const RequestExtended = t.type(
  {
    type: t.literal('RequestExtended'),
    data: t.type({
      at: IsoInstant,
      noticeSentAt: IsoInstant,
      reason: personal(t.string),
      newDueAt: IsoInstant,
      ruleId: Identifier,
      citation: t.string,
    }),
  },
  'RequestExtended',
);
/** The answer period was extended. */
export type RequestExtended = t.TypeOf<typeof RequestExtended>;

/** Why a fee may be charged (GDPR Art. 12(5); Softpire SP-19), or a host-defined code. */
export const FeeReason = t.union(
  [t.keyof({ manifestlyUnfounded: null, excessive: null, repetitive: null, additionalCopies: null }), Identifier],
  'FeeReason',
);
/** Why a fee may be charged. */
export type FeeReason = t.TypeOf<typeof FeeReason>;

/** A quoted amount in minor currency units (cents) and an ISO 4217 currency code. */
export const FeeQuote = t.type({ amountMinor: RequestCount, currency: Identifier }, 'FeeQuote');
/** A quoted amount. */
export type FeeQuote = t.TypeOf<typeof FeeQuote>;

/** A fee was proposed with its reason and quote, before fulfilment (Softpire SP-19). */
export const FeeProposed = t.type(
  {
    type: t.literal('FeeProposed'),
    data: t.intersection([
      t.type({ at: IsoInstant, reason: FeeReason, quote: FeeQuote }),
      t.partial({ explanation: personal(t.string) }),
    ]),
  },
  'FeeProposed',
);
/** A fee was proposed. */
export type FeeProposed = t.TypeOf<typeof FeeProposed>;

/** How the answer was delivered (Softpire SP-16: by mail or electronically, as the consumer chooses). */
export const DeliveryChannel = t.union(
  [t.keyof({ email: null, post: null, download: null, inApp: null, api: null }), Identifier],
  'DeliveryChannel',
);
/** How the answer was delivered. */
export type DeliveryChannel = t.TypeOf<typeof DeliveryChannel>;

/** The request was answered in substance. */
export const RequestFulfilled = t.type(
  {
    type: t.literal('RequestFulfilled'),
    data: t.intersection([
      t.type({ at: IsoInstant, deliveryChannel: DeliveryChannel }),
      t.partial({ responseSummary: personal(t.string) }),
    ]),
  },
  'RequestFulfilled',
);
/** The request was answered in substance. */
export type RequestFulfilled = t.TypeOf<typeof RequestFulfilled>;

/**
 * The request was refused, with reason codes from the rulebook (`gdpr.art17.3.b`,
 * `identityUnverifiable`, `frequencyLimit`, `technicallyNotSupported`, `manifestlyUnfounded`)
 * and the right to complain notified (GDPR Art. 12(4)). `reasons` is never empty.
 */
export const RequestRefused = t.type(
  {
    type: t.literal('RequestRefused'),
    data: t.intersection([
      t.type({ at: IsoInstant, reasons: t.array(Identifier), complaintRightNotified: t.literal(true) }),
      t.partial({ explanation: personal(t.string) }),
    ]),
  },
  'RequestRefused',
);
/** The request was refused. */
export type RequestRefused = t.TypeOf<typeof RequestRefused>;

/** We are processor: the request went to the controller (IS-13, PZ-28), and perhaps the subject was told. */
export const RequestForwardedToController = t.type(
  {
    type: t.literal('RequestForwardedToController'),
    data: t.intersection([
      t.type({ controllerId: Identifier, at: IsoInstant }),
      t.partial({ subjectInformedAt: IsoInstant }),
    ]),
  },
  'RequestForwardedToController',
);
/** The request went to the controller. */
export type RequestForwardedToController = t.TypeOf<typeof RequestForwardedToController>;

/** The requester withdrew the request; nothing more is owed. */
export const RequestWithdrawn = t.type(
  { type: t.literal('RequestWithdrawn'), data: t.type({ at: IsoInstant }) },
  'RequestWithdrawn',
);
/** The requester withdrew the request. */
export type RequestWithdrawn = t.TypeOf<typeof RequestWithdrawn>;

/** Any event of a request stream. */
export const RequestEvent = t.union(
  [
    RequestReceived,
    IdentityVerified,
    IdentityVerificationFailed,
    RequestClockRestarted,
    ReceiptConfirmed,
    RequestExtended,
    FeeProposed,
    RequestFulfilled,
    RequestRefused,
    RequestForwardedToController,
    RequestWithdrawn,
  ],
  'RequestEvent',
);
/** Any event of a request stream. */
export type RequestEvent = t.TypeOf<typeof RequestEvent>;
