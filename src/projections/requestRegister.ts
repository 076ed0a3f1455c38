/**
 * The request register: a pure fold over the request streams (`lethe.request-<uuid>`). Per
 * request it keeps who and what (subject id, request type, jurisdiction, our role), the deadlines
 * in force (the `respond` duty, the extension allowance, the 11 CCR § 7021(a) receipt
 * confirmation), whether the identity was verified, and how the request ended. Per subject and
 * request type it keeps the receipt instants, which is what a frequency limit counts
 * (CCPA 1798.130(b): twice in 12 months; Va. Code § 59.1-577(B): twice a year).
 *
 * It keeps no personal data beyond ids: correspondence, agents' names and reasons stay in the
 * streams.
 *
 * @module
 */
import type { LetheEvent, Projection } from '../engine/index.js';
import type { DeadlineRecord } from '../model/deadline.js';
import type {
  ExtensionAllowance,
  RequestDeadlines,
  RequestEvent,
  RequestRole,
  RequestSource,
  RequestType,
} from '../model/request/index.js';
import { type PersistentMap, pmEmpty, pmGet, pmSet, pmValues } from './persistentMap.js';

/** The name the request register is registered under (views key). */
export const REQUEST_REGISTER = 'requestRegister';

/** Where a request stands: open, or how it ended. */
export type RequestStatus = 'open' | 'fulfilled' | 'refused' | 'forwarded' | 'withdrawn';

/** One request as the register knows it. Instants are the ISO strings the events carry. */
export interface RequestEntry {
  readonly requestId: string;
  readonly subjectId: string;
  readonly requestType: RequestType;
  readonly jurisdiction: string;
  readonly role: RequestRole;
  readonly receivedFrom: RequestSource;
  readonly controllerId: string | null;
  readonly receivedAt: string;
  /** Start of the access look-back window (CCPA: 12 months before receipt), when the rule has one. */
  readonly lookBackFrom: string | null;
  readonly policyVersion: string;
  readonly identity: 'unverified' | 'verified' | 'failed';
  readonly verifiedAt: string | null;
  /** The respond duty in force: recorded at receipt, or at the last clock restart (UK GDPR Art. 12A). */
  readonly respond: DeadlineRecord;
  /** When the answer is due now: `respond.dueAt`, or the extended due instant. */
  readonly dueAt: string;
  /** The extension the rule allows (notice by `noticeBy`, due by `extendedDueAt` at the latest), or null. */
  readonly extensionAllowance: ExtensionAllowance | null;
  /** The extension taken, or null. */
  readonly extended: { readonly at: string; readonly noticeSentAt: string; readonly newDueAt: string } | null;
  /** The receipt-confirmation duty (11 CCR § 7021(a)), or null where the rule has none. */
  readonly confirmReceipt: DeadlineRecord | null;
  readonly receiptConfirmedAt: string | null;
  readonly status: RequestStatus;
  readonly closedAt: string | null;
}

/** A receipt counted for frequency limits. */
export interface RequestReceipt {
  readonly requestId: string;
  readonly receivedAt: string;
}

/** The state of the request register. */
export interface RequestRegisterState {
  /** Every request, by request id (read with {@link requestOf}). */
  readonly requests: PersistentMap<RequestEntry>;
  /** Receipts per subject id, then per request type, in the order received. */
  readonly receipts: PersistentMap<Readonly<Partial<Record<RequestType, readonly RequestReceipt[]>>>>;
}

const PREFIX = 'lethe.request-';

/** Returns the register with no requests. */
export const emptyRequestRegister = (): RequestRegisterState => ({ requests: pmEmpty(), receipts: pmEmpty() });

/** Returns the request with this id, or undefined. */
export const requestOf = (state: RequestRegisterState, requestId: string): RequestEntry | undefined =>
  pmGet(state.requests, requestId);

/** Returns every request of the register (in no particular order). */
export const allRequests = (state: RequestRegisterState): readonly RequestEntry[] => pmValues(state.requests);

const fromDeadlines = (
  entry: Pick<RequestEntry, 'extended'>,
  deadlines: RequestDeadlines,
): Pick<RequestEntry, 'respond' | 'dueAt' | 'extensionAllowance' | 'confirmReceipt'> => ({
  respond: deadlines.respond,
  dueAt: entry.extended?.newDueAt ?? deadlines.respond.dueAt,
  extensionAllowance: deadlines.extension ?? null,
  confirmReceipt: deadlines.confirmReceipt ?? null,
});

const close = (entry: RequestEntry, status: RequestStatus, at: string): RequestEntry => ({ ...entry, status, closedAt: at });

const evolveEntry = (entry: RequestEntry, event: RequestEvent): RequestEntry => {
  switch (event.type) {
    case 'RequestReceived':
      return entry;
    case 'IdentityVerified':
      return { ...entry, identity: 'verified', verifiedAt: entry.verifiedAt ?? event.data.at };
    case 'IdentityVerificationFailed':
      return entry.identity === 'verified' ? entry : { ...entry, identity: 'failed' };
    case 'RequestClockRestarted':
      return { ...entry, ...fromDeadlines(entry, event.data.deadlines) };
    case 'ReceiptConfirmed':
      return { ...entry, receiptConfirmedAt: entry.receiptConfirmedAt ?? event.data.at };
    case 'RequestExtended':
      return {
        ...entry,
        extended: { at: event.data.at, noticeSentAt: event.data.noticeSentAt, newDueAt: event.data.newDueAt },
        dueAt: event.data.newDueAt,
      };
    case 'FeeProposed':
      return entry;
    case 'RequestFulfilled':
      return close(entry, 'fulfilled', event.data.at);
    case 'RequestRefused':
      return close(entry, 'refused', event.data.at);
    case 'RequestForwardedToController':
      return close(entry, 'forwarded', event.data.at);
    case 'RequestWithdrawn':
      return close(entry, 'withdrawn', event.data.at);
  }
};

/** Returns the register after one more feed event; events of other kinds leave it unchanged. */
export const applyRequestEvent = (state: RequestRegisterState, event: LetheEvent): RequestRegisterState => {
  if (event.kind !== 'request' || !event.streamName.startsWith(PREFIX)) return state;
  const requestId = event.streamName.slice(PREFIX.length);
  const domain = event.event as RequestEvent;
  if (domain.type === 'RequestReceived') {
    const d = domain.data;
    if (pmGet(state.requests, requestId) !== undefined) return state;
    const entry: RequestEntry = {
      requestId,
      subjectId: d.subjectId,
      requestType: d.requestType,
      jurisdiction: d.jurisdiction,
      role: d.role,
      receivedFrom: d.receivedFrom,
      controllerId: d.controllerId ?? null,
      receivedAt: d.receivedAt,
      lookBackFrom: d.lookBackFrom ?? null,
      policyVersion: d.policyVersion,
      identity: 'unverified',
      verifiedAt: null,
      extended: null,
      receiptConfirmedAt: null,
      status: 'open',
      closedAt: null,
      ...fromDeadlines({ extended: null }, d.deadlines),
    };
    const bySubject = pmGet(state.receipts, d.subjectId) ?? {};
    const prior = bySubject[d.requestType] ?? [];
    return {
      requests: pmSet(state.requests, requestId, entry),
      receipts: pmSet(state.receipts, d.subjectId, { ...bySubject, [d.requestType]: [...prior, { requestId, receivedAt: d.receivedAt }] }),
    };
  }
  const entry = pmGet(state.requests, requestId);
  if (entry === undefined) return state;
  const next = evolveEntry(entry, domain);
  return next === entry ? state : { ...state, requests: pmSet(state.requests, requestId, next) };
};

/** The request register projection (register it as {@link REQUEST_REGISTER}). */
export const requestRegister: Projection<RequestRegisterState, LetheEvent> = {
  init: emptyRequestRegister,
  apply: applyRequestEvent,
};

/** Returns the register held in `views`, or an empty one when the projection is not registered. */
export const requestRegisterOf = (views: Readonly<Record<string, unknown>>): RequestRegisterState =>
  (views[REQUEST_REGISTER] as RequestRegisterState | undefined) ?? emptyRequestRegister();

/**
 * Counts the subject's requests of `types` received inside a frequency window ending at
 * `receivedAt` (exclusive of requests received after it): `rolling12Months` counts those received
 * after `windowStart` (the same instant 12 months earlier, given by the caller in the policy's
 * zone), `calendarYear` those received on or after `windowStart` (1 January of the year, local).
 * Withdrawn requests still count: they were received (the law counts requests, not answers).
 */
export const countReceiptsInWindow = (
  state: RequestRegisterState,
  subjectId: string,
  types: readonly RequestType[],
  windowStart: number,
  receivedAt: number,
  per: 'rolling12Months' | 'calendarYear',
): number => {
  const bySubject = pmGet(state.receipts, subjectId) ?? {};
  let count = 0;
  for (const type of types) {
    for (const receipt of bySubject[type] ?? []) {
      const at = Date.parse(receipt.receivedAt);
      const inWindow = per === 'rolling12Months' ? at > windowStart : at >= windowStart;
      if (inWindow && at <= receivedAt) count++;
    }
  }
  return count;
};
