/**
 * The decider of a data-subject request stream: pure `initialState`, `decide` and `evolve`.
 *
 * Design choices a reader should know:
 * - A request over the frequency limit is rejected at receipt (`FrequencyLimitExceeded`, carrying
 *   the limit, the count, the window and the citation); the host answers the requester from that
 *   rejection. The API layer counts prior requests (rule 1: cross-stream facts travel in `context`).
 * - An extension is possible once, only where the rule recorded an allowance at receipt, and only
 *   with notice given by the `noticeBy` recorded then (GDPR Art. 12(3); CCPA 1798.130(a)(2);
 *   11 CCR 7021(b)).
 * - When we are processor and the request came from the data subject, we do not answer it: we
 *   forward it (GDPR Art. 28(3)(e); IS-13, PZ-28). A request the controller relayed to us (IN-15)
 *   is answered like any other.
 * - Fulfilment, refusal, forwarding and withdrawal close the request; every later command is
 *   rejected with `RequestAlreadyClosed`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Identifier, IsoInstant } from '../shared.js';
import type { RequestCommand } from './commands.js';
import type {
  FrequencyLimit,
  RequestDeadlines,
  RequestEvent,
  RequestReceived,
  RequestRole,
  RequestSource,
} from './events.js';

/** How a request ended. */
export type RequestOutcome = 'fulfilled' | 'refused' | 'forwarded' | 'withdrawn';

/** The state of a request stream, folded from its events. */
export interface RequestState {
  /** The receipt facts, or null before `RequestReceived`. */
  readonly received: RequestReceived['data'] | null;
  /** The deadlines in force: those of receipt, or of the last clock restart. */
  readonly deadlines: RequestDeadlines | null;
  /** When the answer is due now: the `respond` deadline, or the extended one. */
  readonly dueAt: IsoInstant | null;
  readonly identity: 'unverified' | 'verified' | 'failed';
  readonly receiptConfirmedAt: IsoInstant | null;
  readonly extension: { readonly at: IsoInstant; readonly newDueAt: IsoInstant } | null;
  readonly feeProposedAt: IsoInstant | null;
  /** How the request ended, or null while it is open. */
  readonly outcome: { readonly kind: RequestOutcome; readonly at: IsoInstant } | null;
}

/**
 * Why the request decider refused a command. Each member says which rule forbids it; `citation`
 * names the law or contract where the law is the reason. No member carries personal data.
 */
export type RequestRejection =
  /** A command other than `ReceiveRequest` reached a stream with no request. */
  | { readonly _tag: 'RequestNotReceived' }
  /** `ReceiveRequest` reached a stream that already holds a request. */
  | { readonly _tag: 'RequestAlreadyReceived' }
  /** The request was already fulfilled, refused, forwarded or withdrawn. */
  | { readonly _tag: 'RequestAlreadyClosed'; readonly outcome: RequestOutcome }
  /** The command's instant precedes the receipt of the request. */
  | { readonly _tag: 'InstantOutOfOrder'; readonly field: string; readonly mustNotPrecede: string }
  /** A deadline in the command falls before the instant its clock starts from. */
  | { readonly _tag: 'DeadlineBeforeClockStart'; readonly ruleId: Identifier }
  /** The requester already made as many requests in the window as the rule obliges us to answer. */
  | {
      readonly _tag: 'FrequencyLimitExceeded';
      readonly limit: number;
      readonly priorRequestsInWindow: number;
      readonly per: FrequencyLimit['per'];
      readonly citation: string;
      readonly ruleId?: Identifier;
    }
  /** The rule requires a verified identity before fulfilment (IS-15, SP-14). */
  | { readonly _tag: 'IdentityNotVerified'; readonly citation: string }
  /** The rule in force allows no extension. */
  | { readonly _tag: 'ExtensionNotAllowed'; readonly ruleId: Identifier; readonly citation: string }
  /** The request was already extended; the law allows one extension. */
  | { readonly _tag: 'AlreadyExtended'; readonly citation: string }
  /** The extension or its notice came after the first period ended. */
  | { readonly _tag: 'ExtensionTooLate'; readonly noticeBy: IsoInstant; readonly ruleId: Identifier; readonly citation: string }
  /** The extension asked for goes past the maximum the rule allows. */
  | { readonly _tag: 'ExtensionBeyondMaximum'; readonly maximum: IsoInstant; readonly citation: string }
  /** A refusal must give its reasons (GDPR Art. 12(4); Softpire SP-20). */
  | { readonly _tag: 'RefusalReasonsRequired'; readonly citation: string }
  /** A refusal must tell the requester of the right to complain (GDPR Art. 12(4); IS-17). */
  | { readonly _tag: 'ComplaintRightNotNotified'; readonly citation: string }
  /** We are processor for a request the data subject sent us: it must be forwarded, not answered. */
  | { readonly _tag: 'ForwardingRequired'; readonly citation: string }
  /** Forwarding applies only to a request the data subject sent us while we are processor. */
  | { readonly _tag: 'ForwardingNotApplicable'; readonly role: RequestRole; readonly receivedFrom: RequestSource }
  /** The clock cannot restart after the request was extended: the extension ran from the old start. */
  | { readonly _tag: 'ClockRestartNotAllowed'; readonly reason: 'alreadyExtended' };

const ART_12_4 = 'GDPR Art. 12(4)';
const ART_28_3_E = 'GDPR Art. 28(3)(e)';
const ART_12_6 = 'GDPR Art. 12(6)';

const isBefore = (a: string, b: string): boolean => Date.parse(a) - Date.parse(b) < 0;
const isAfter = (a: string, b: string): boolean => Date.parse(a) - Date.parse(b) > 0;
const later = (a: IsoInstant, b: IsoInstant): IsoInstant => (isAfter(a, b) ? a : b);

/** What decide returns: the new events or the rejection. */
export type RequestDecision = E.Either<RequestRejection, readonly RequestEvent[]>;
const reject = (rejection: RequestRejection): RequestDecision => E.left(rejection);
const emit = (...events: readonly RequestEvent[]): RequestDecision => E.right(events);

/** Returns the state of a request stream with no events. */
export const initialState = (): RequestState => ({
  received: null,
  deadlines: null,
  dueAt: null,
  identity: 'unverified',
  receiptConfirmedAt: null,
  extension: null,
  feeProposedAt: null,
  outcome: null,
});

const firstDeadlineBefore = (deadlines: RequestDeadlines, start: IsoInstant): Identifier | undefined => {
  const { respond, confirmReceipt, extension } = deadlines;
  if (isBefore(respond.dueAt, start)) return respond.ruleId;
  if (confirmReceipt !== undefined && isBefore(confirmReceipt.dueAt, start)) return confirmReceipt.ruleId;
  if (extension !== undefined && (isBefore(extension.noticeBy, start) || isBefore(extension.extendedDueAt, start)))
    return extension.ruleId;
  return undefined;
};

const receive = (command: Extract<RequestCommand, { type: 'ReceiveRequest' }>, state: RequestState): RequestDecision => {
  if (state.received !== null) return reject({ _tag: 'RequestAlreadyReceived' });
  const { context, ...facts } = command.data;
  const early = firstDeadlineBefore(facts.deadlines, facts.receivedAt);
  if (early !== undefined) return reject({ _tag: 'DeadlineBeforeClockStart', ruleId: early });
  const limit = context.frequencyLimit;
  if (limit !== undefined && context.priorRequestsInWindow >= limit.count) {
    return reject({
      _tag: 'FrequencyLimitExceeded',
      limit: limit.count,
      priorRequestsInWindow: context.priorRequestsInWindow,
      per: limit.per,
      citation: limit.citation,
      ...(limit.ruleId !== undefined ? { ruleId: limit.ruleId } : {}),
    });
  }
  return emit({
    type: 'RequestReceived',
    data: {
      ...facts,
      ...(limit !== undefined ? { frequencyCheck: { priorRequestsInWindow: context.priorRequestsInWindow, limit } } : {}),
    },
  });
};

const mustForward = (received: RequestReceived['data']): boolean =>
  received.role === 'processor' && received.receivedFrom === 'dataSubject';

/**
 * Returns the events `command` produces in `state`, or why it is refused. Pure: every instant and
 * every cross-stream fact comes in the command.
 */
export const decide = (command: RequestCommand, state: RequestState): RequestDecision => {
  if (command.type === 'ReceiveRequest') return receive(command, state);
  const received = state.received;
  const deadlines = state.deadlines;
  if (received === null || deadlines === null) return reject({ _tag: 'RequestNotReceived' });
  if (state.outcome !== null) return reject({ _tag: 'RequestAlreadyClosed', outcome: state.outcome.kind });
  if (isBefore(command.data.at, received.receivedAt))
    return reject({ _tag: 'InstantOutOfOrder', field: 'at', mustNotPrecede: 'receivedAt' });
  const forwardingRequired: RequestRejection = { _tag: 'ForwardingRequired', citation: ART_28_3_E };

  switch (command.type) {
    case 'RecordIdentityVerification': {
      const { at, method } = command.data;
      return command.data.outcome === 'verified'
        ? emit({ type: 'IdentityVerified', data: { at, method } })
        : emit({ type: 'IdentityVerificationFailed', data: { at, method } });
    }
    case 'RestartRequestClock': {
      if (state.extension !== null) return reject({ _tag: 'ClockRestartNotAllowed', reason: 'alreadyExtended' });
      const early = firstDeadlineBefore(command.data.deadlines, command.data.at);
      if (early !== undefined) return reject({ _tag: 'DeadlineBeforeClockStart', ruleId: early });
      return emit({ type: 'RequestClockRestarted', data: command.data });
    }
    case 'ConfirmReceipt':
      // A repeated confirmation is a retry, not a new fact.
      return state.receiptConfirmedAt !== null ? emit() : emit({ type: 'ReceiptConfirmed', data: command.data });
    case 'ExtendRequest': {
      if (mustForward(received)) return reject(forwardingRequired);
      const allowance = deadlines.extension;
      if (allowance === undefined)
        return reject({ _tag: 'ExtensionNotAllowed', ruleId: deadlines.respond.ruleId, citation: deadlines.respond.citation });
      if (state.extension !== null) return reject({ _tag: 'AlreadyExtended', citation: allowance.citation });
      const { at, noticeSentAt, reason } = command.data;
      if (isAfter(later(at, noticeSentAt), allowance.noticeBy))
        return reject({
          _tag: 'ExtensionTooLate',
          noticeBy: allowance.noticeBy,
          ruleId: allowance.ruleId,
          citation: allowance.citation,
        });
      const newDueAt = command.data.newDueAt ?? allowance.extendedDueAt;
      if (isAfter(newDueAt, allowance.extendedDueAt))
        return reject({ _tag: 'ExtensionBeyondMaximum', maximum: allowance.extendedDueAt, citation: allowance.citation });
      return emit({
        type: 'RequestExtended',
        data: { at, noticeSentAt, reason, newDueAt, ruleId: allowance.ruleId, citation: allowance.citation },
      });
    }
    case 'ProposeFee':
      if (mustForward(received)) return reject(forwardingRequired);
      return emit({ type: 'FeeProposed', data: command.data });
    case 'FulfilRequest': {
      if (mustForward(received)) return reject(forwardingRequired);
      const { context, ...facts } = command.data;
      if (context.identityVerificationRequired && state.identity !== 'verified')
        return reject({ _tag: 'IdentityNotVerified', citation: context.citation ?? ART_12_6 });
      return emit({ type: 'RequestFulfilled', data: facts });
    }
    case 'RefuseRequest': {
      if (mustForward(received)) return reject(forwardingRequired);
      const { complaintRightNotified, ...facts } = command.data;
      if (facts.reasons.length === 0) return reject({ _tag: 'RefusalReasonsRequired', citation: ART_12_4 });
      if (!complaintRightNotified) return reject({ _tag: 'ComplaintRightNotNotified', citation: ART_12_4 });
      return emit({ type: 'RequestRefused', data: { ...facts, complaintRightNotified: true } });
    }
    case 'RecordRequestForwarding':
      if (!mustForward(received))
        return reject({ _tag: 'ForwardingNotApplicable', role: received.role, receivedFrom: received.receivedFrom });
      return emit({ type: 'RequestForwardedToController', data: command.data });
    case 'WithdrawRequest':
      return emit({ type: 'RequestWithdrawn', data: command.data });
  }
};

/** Returns the state after `event`. Pure; never fails (events were validated when appended). */
export const evolve = (state: RequestState, event: RequestEvent): RequestState => {
  switch (event.type) {
    case 'RequestReceived':
      return {
        ...state,
        received: event.data,
        deadlines: event.data.deadlines,
        dueAt: event.data.deadlines.respond.dueAt,
      };
    case 'IdentityVerified':
      return { ...state, identity: 'verified' };
    case 'IdentityVerificationFailed':
      // A verified identity stays verified; a later failed attempt does not undo it.
      return { ...state, identity: state.identity === 'verified' ? 'verified' : 'failed' };
    case 'RequestClockRestarted':
      return { ...state, deadlines: event.data.deadlines, dueAt: event.data.deadlines.respond.dueAt };
    case 'ReceiptConfirmed':
      return { ...state, receiptConfirmedAt: state.receiptConfirmedAt ?? event.data.at };
    case 'RequestExtended':
      return { ...state, extension: { at: event.data.at, newDueAt: event.data.newDueAt }, dueAt: event.data.newDueAt };
    case 'FeeProposed':
      return { ...state, feeProposedAt: event.data.at };
    case 'RequestFulfilled':
      return { ...state, outcome: { kind: 'fulfilled', at: event.data.at } };
    case 'RequestRefused':
      return { ...state, outcome: { kind: 'refused', at: event.data.at } };
    case 'RequestForwardedToController':
      return { ...state, outcome: { kind: 'forwarded', at: event.data.at } };
    case 'RequestWithdrawn':
      return { ...state, outcome: { kind: 'withdrawn', at: event.data.at } };
  }
};

/** The request decider: `{ initialState, decide, evolve }`, for the engine's command handler. */
export const requestDecider = { initialState, decide, evolve } as const;
