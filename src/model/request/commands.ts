/**
 * Commands of a data-subject request stream. They come from the host's API, so each has a codec:
 * bad input is a typed error naming the path. Facts from other streams travel in a `context`
 * field, resolved by the API layer before the decider runs; deadlines are computed by the caller
 * from the policy and travel in the command.
 *
 * @module
 */
import * as t from 'io-ts';
import { personal } from '../personal.js';
import { Identifier, IsoInstant, Uuid } from '../shared.js';
import {
  AuthorisedAgent,
  DeliveryChannel,
  FeeQuote,
  FeeReason,
  FrequencyLimit,
  ReceiptConfirmed,
  RequestChannel,
  RequestClockRestarted,
  RequestCount,
  RequestDeadlines,
  RequestForwardedToController,
  RequestRole,
  RequestSource,
  RequestType,
  RequestWithdrawn,
} from './events.js';

/**
 * Record a new request. `context` is resolved by the API layer from other streams:
 * `priorRequestsInWindow` counts this requester's earlier requests of the same type inside the
 * window `frequencyLimit.per` names (rolling 12 months before `receivedAt`, or the calendar year
 * of `receivedAt`); `frequencyLimit` is the rule's limit, absent when it has none.
 */
export const ReceiveRequest = t.type(
  {
    type: t.literal('ReceiveRequest'),
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
        context: t.intersection([
          t.type({ priorRequestsInWindow: RequestCount }),
          t.partial({ frequencyLimit: FrequencyLimit }),
        ]),
      }),
      t.partial({
        authorisedAgent: AuthorisedAgent,
        correspondence: personal(t.string),
        controllerId: Identifier,
        lookBackFrom: IsoInstant,
      }),
    ]),
  },
  'ReceiveRequest',
);
/** Record a new request. */
export type ReceiveRequest = t.TypeOf<typeof ReceiveRequest>;

/** Record the outcome of an identity check. */
export const RecordIdentityVerification = t.type(
  {
    type: t.literal('RecordIdentityVerification'),
    data: t.type({ at: IsoInstant, method: Identifier, outcome: t.keyof({ verified: null, failed: null }) }),
  },
  'RecordIdentityVerification',
);
/** Record the outcome of an identity check. */
export type RecordIdentityVerification = t.TypeOf<typeof RecordIdentityVerification>;

/** Restart the clock (UK GDPR Art. 12A) with deadlines the caller computed from the new start. */
export const RestartRequestClock = t.type(
  {
    type: t.literal('RestartRequestClock'),
    data: RequestClockRestarted.props.data,
  },
  'RestartRequestClock',
);
/** Restart the clock. */
export type RestartRequestClock = t.TypeOf<typeof RestartRequestClock>;

/** Record that receipt was confirmed to the requester. */
export const ConfirmReceipt = t.type(
  {
    type: t.literal('ConfirmReceipt'),
    data: ReceiptConfirmed.props.data,
  },
  'ConfirmReceipt',
);
/** Record that receipt was confirmed. */
export type ConfirmReceipt = t.TypeOf<typeof ConfirmReceipt>;

/**
 * Extend the answer period. `newDueAt` defaults to the maximum the rule allows (the
 * `extendedDueAt` recorded at receipt); a shorter extension may be given.
 */
export const ExtendRequest = t.type(
  {
    type: t.literal('ExtendRequest'),
    data: t.intersection([
      t.type({ at: IsoInstant, noticeSentAt: IsoInstant, reason: personal(t.string) }),
      t.partial({ newDueAt: IsoInstant }),
    ]),
  },
  'ExtendRequest',
);
/** Extend the answer period. */
export type ExtendRequest = t.TypeOf<typeof ExtendRequest>;

/** Propose a fee, with reason and quote, before fulfilment. */
export const ProposeFee = t.type(
  {
    type: t.literal('ProposeFee'),
    data: t.intersection([
      t.type({ at: IsoInstant, reason: FeeReason, quote: FeeQuote }),
      t.partial({ explanation: personal(t.string) }),
    ]),
  },
  'ProposeFee',
);
/** Propose a fee. */
export type ProposeFee = t.TypeOf<typeof ProposeFee>;

/**
 * Record that the request was answered in substance. `context.identityVerificationRequired` comes
 * from the rule (IS-15, SP-14): when true, the identity must have been verified first.
 */
export const FulfilRequest = t.type(
  {
    type: t.literal('FulfilRequest'),
    data: t.intersection([
      t.type({
        at: IsoInstant,
        deliveryChannel: DeliveryChannel,
        context: t.intersection([
          t.type({ identityVerificationRequired: t.boolean }),
          t.partial({ citation: t.string }),
        ]),
      }),
      t.partial({ responseSummary: personal(t.string) }),
    ]),
  },
  'FulfilRequest',
);
/** Record that the request was answered. */
export type FulfilRequest = t.TypeOf<typeof FulfilRequest>;

/** Refuse the request with reason codes; the requester must be told of the right to complain (GDPR Art. 12(4)). */
export const RefuseRequest = t.type(
  {
    type: t.literal('RefuseRequest'),
    data: t.intersection([
      t.type({ at: IsoInstant, reasons: t.array(Identifier), complaintRightNotified: t.boolean }),
      t.partial({ explanation: personal(t.string) }),
    ]),
  },
  'RefuseRequest',
);
/** Refuse the request. */
export type RefuseRequest = t.TypeOf<typeof RefuseRequest>;

/** Record that a request we received as processor was passed to the controller (IS-13, PZ-28). */
export const RecordRequestForwarding = t.type(
  {
    type: t.literal('RecordRequestForwarding'),
    data: RequestForwardedToController.props.data,
  },
  'RecordRequestForwarding',
);
/** Record that the request was passed to the controller. */
export type RecordRequestForwarding = t.TypeOf<typeof RecordRequestForwarding>;

/** Record that the requester withdrew the request. */
export const WithdrawRequest = t.type(
  { type: t.literal('WithdrawRequest'), data: RequestWithdrawn.props.data },
  'WithdrawRequest',
);
/** Record that the requester withdrew the request. */
export type WithdrawRequest = t.TypeOf<typeof WithdrawRequest>;

/** Any command of a request stream. */
export const RequestCommand = t.union(
  [
    ReceiveRequest,
    RecordIdentityVerification,
    RestartRequestClock,
    ConfirmReceipt,
    ExtendRequest,
    ProposeFee,
    FulfilRequest,
    RefuseRequest,
    RecordRequestForwarding,
    WithdrawRequest,
  ],
  'RequestCommand',
);
/** Any command of a request stream. */
export type RequestCommand = t.TypeOf<typeof RequestCommand>;
