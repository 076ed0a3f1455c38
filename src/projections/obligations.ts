/**
 * Obligations: every deadline the log has recorded, across stream kinds, and where each stands.
 *
 * Sources:
 * - requests: `respond` and `confirmReceipt` from `RequestReceived` (replaced by
 *   `RequestClockRestarted`, `respond` moved by `RequestExtended`); `respond` is satisfied by the
 *   outcome (`RequestFulfilled`, `RequestRefused`, `RequestForwardedToController`),
 *   `confirmReceipt` by `ReceiptConfirmed` or by the outcome itself (an answer confirms receipt);
 *   `RequestWithdrawn` exempts what is still open (nothing more is owed).
 * - breaches: the `DeadlineRecord`s of awareness, confirmation and assessment, one per rule id
 *   (the first recorded wins, as in the breach decider); satisfied by the notifications whose
 *   `satisfies` names the rule, exempted by `NotificationExemptionRecorded`.
 * - retention clocks: `startErasure` (the clock's deadline, moved by resets) is satisfied by
 *   `ErasureRequested` (or `ErasureCompleted`); `completeErasure` (the request's completion
 *   deadline) by `ErasureCompleted`. A reactivation within the grace period exempts both; another
 *   cancellation reopens `startErasure` (erasure is owed again) and exempts `completeErasure`.
 *   A legal hold on the subject covering the clock's category suspends both while it lasts
 *   (GDPR Art. 17(3)(b), (e)): the hold suspends erasure, not the clock, so once it is lifted an
 *   obligation past its due time shows as overdue again.
 * Consent expiry is informational, not an obligation, and is not listed.
 *
 * The fold stores facts only; the state of an obligation (pending, due, overdue, ...) is computed
 * by {@link obligations} from the `now` it is given, so the projection stays a pure fold and the
 * same state answers for any instant. Each event touches a constant number of map entries.
 *
 * @module
 */
import type { LetheEvent } from '../engine/commandHandler.js';
import type { Projection } from '../engine/processor.js';
import type { BreachEvent } from '../model/breach/events.js';
import type { DeadlineRecord } from '../model/deadline.js';
import type { RequestDeadlines, RequestEvent } from '../model/request/events.js';
import type { RetentionEvent } from '../model/retention/events.js';
import type { CategoryScope, SubjectEvent } from '../model/subject/events.js';
import type { Instant } from '../time/types.js';
import { type PersistentMap, pmEmpty, pmGet, pmSet, pmValues } from './persistentMap.js';

/**
 * Where an obligation stands at a given instant:
 * - `pending`: not yet past its host target (or it has none);
 * - `due`: past the host's "without undue delay" target but not the legal limit;
 * - `overdue`: past the legal limit (`now > dueAt`);
 * - `satisfied`: done (on time or late);
 * - `exempt`: no longer owed (an exemption, a withdrawal, a reactivation);
 * - `suspended`: an open erasure duty while a legal hold covers it.
 */
export type ObligationState = 'pending' | 'due' | 'overdue' | 'satisfied' | 'exempt' | 'suspended';

/** The states of an obligation still owed. */
export const OPEN_OBLIGATION_STATES: readonly ObligationState[] = ['pending', 'due', 'overdue', 'suspended'];

/** The stream kinds obligations come from. */
export type ObligationSource = 'request' | 'breach' | 'retention';

/**
 * What is owed: answer a request, confirm its receipt, make a breach notification, start an
 * erasure (the retention clock ran out), complete it.
 */
export type ObligationDuty = 'respond' | 'confirmReceipt' | 'notify' | 'startErasure' | 'completeErasure';

/** An event an obligation refers to: its type, id and business time (`occurredAt`). */
export interface EventRef {
  readonly eventType: string;
  readonly eventId: string;
  readonly occurredAt: string;
}

/** The rule behind an obligation, as recorded in its deadline. */
export interface ObligationRule {
  readonly ruleId: string;
  readonly citation: string;
  /** How the due time was counted, for the accountability record. */
  readonly explanation: string;
}

/** The entity an obligation belongs to. */
export interface ObligationEntity {
  readonly kind: ObligationSource;
  /** The entity's uuid (request, breach or retention clock id). */
  readonly id: string;
  readonly streamName: string;
}

/** The event that satisfied an obligation, the instant it did so and whether that was after `dueAt`. */
export interface Satisfaction {
  readonly eventType: string;
  readonly eventId: string;
  readonly at: string;
  readonly late: boolean;
}

/**
 * Why an obligation is no longer owed: `code` is an exemption code from the rulebook or the event
 * (`gdpr.art34.3.a`, `requestWithdrawn`, `reactivatedWithinGrace`, `erasureCancelled`), `reason`
 * a further identifier where the event has one (never free text, which may be personal).
 */
export interface ObligationExemption {
  readonly code: string;
  readonly reason?: string;
  readonly eventType: string;
  readonly eventId: string;
  readonly at: string;
}

/** How a recorded obligation was closed, if it was. */
export type ObligationClosure =
  | { readonly _tag: 'satisfied'; readonly satisfaction: Satisfaction }
  | { readonly _tag: 'exempt'; readonly exemption: ObligationExemption };

/** An obligation as the fold records it: facts only, no state (that depends on `now`). */
export interface ObligationRecord {
  /** `<streamName>/<duty>` for requests, `<streamName>/<ruleId>` for breaches, `<streamName>/<cycle>/<duty>` for retention clocks. */
  readonly id: string;
  readonly duty: ObligationDuty;
  readonly entity: ObligationEntity;
  /** The subject concerned, for request and retention obligations (a breach has none). */
  readonly subjectId?: string;
  /** The data category, for retention obligations. */
  readonly category?: string;
  /** The event that recorded the deadline now in force (receipt, restart, extension, start, reset, ...). */
  readonly trigger: EventRef;
  readonly rule: ObligationRule;
  /** The legal (or contractual) outer limit: on time while `now <= dueAt`. */
  readonly dueAt: string;
  /** The host's earlier target for "without undue delay" duties, shown apart from the legal limit. */
  readonly hostTargetAt?: string;
  /** True when `dueAt` is only the host's target (no legal or contractual number): never overdue. */
  readonly hostTargetOnly?: true;
  readonly closure?: ObligationClosure;
  /** When the reasons for a delay were documented (GDPR Art. 33(1)); the reasons stay in the stream. */
  readonly delayJustifiedAt?: string;
  /** The order in which the obligation was first recorded: breaks ties between equal due times. */
  readonly seq: number;
}

/** A legal hold in force on a subject. */
export interface ActiveHold {
  readonly holdId: string;
  readonly scope: CategoryScope;
}

/** What the fold remembers of a request or retention stream to route its later events. */
export interface StreamFacts {
  readonly subjectId: string;
  /** Retention clocks: the data category. */
  readonly category?: string;
  /** Retention clocks: how many times the clock was started (obligations of earlier cycles are kept). */
  readonly cycle: number;
}

/** The state of the obligations projection. */
export interface ObligationsState {
  /** Every obligation ever recorded, by obligation id. */
  readonly obligations: PersistentMap<ObligationRecord>;
  /** Request and retention streams seen, by stream name. */
  readonly streams: PersistentMap<StreamFacts>;
  /** Legal holds in force, by subject id. */
  readonly holds: PersistentMap<readonly ActiveHold[]>;
  /** How many obligations were recorded: the next `seq`. */
  readonly recorded: number;
}

/** An obligation as {@link obligations} answers: the record's facts and its state at `now`. */
export interface Obligation {
  readonly id: string;
  readonly duty: ObligationDuty;
  readonly entity: ObligationEntity;
  readonly subjectId?: string;
  readonly category?: string;
  readonly trigger: EventRef;
  readonly rule: ObligationRule;
  readonly dueAt: string;
  readonly hostTargetAt?: string;
  /** True when `dueAt` is only the host's target: past it the duty is `due`, never `overdue`. */
  readonly hostTargetOnly?: true;
  readonly state: ObligationState;
  /** Set when `state` is `satisfied`. */
  readonly satisfaction?: Satisfaction;
  /** Set when `state` is `exempt`. */
  readonly exemption?: ObligationExemption;
  /** Set when `state` is `suspended`: the ids of the holds in force that cover it. */
  readonly suspendedBy?: readonly string[];
  readonly delayJustifiedAt?: string;
}

/** What {@link obligations} lists. Every filter is optional except `now`; filters combine with AND. */
export interface ObligationsQuery {
  /** The instant states are computed for (epoch milliseconds): the caller's clock, never read here. */
  readonly now: Instant;
  /** Only obligations whose legal limit `dueAt` is strictly before this instant. */
  readonly dueBefore?: Instant;
  /** Only obligations in this state or these states (default: every state). */
  readonly state?: ObligationState | readonly ObligationState[];
  /** Only obligations concerning this subject (breach obligations name no subject and are left out). */
  readonly subjectId?: string;
  /** Only obligations from this kind or these kinds of entity. */
  readonly kind?: ObligationSource | readonly ObligationSource[];
}

// ---------------------------------------------------------------------------------------------
// The fold
// ---------------------------------------------------------------------------------------------

const entityIdOf = (kind: string, streamName: string): string => {
  const prefix = `lethe.${kind}-`;
  return streamName.startsWith(prefix) ? streamName.slice(prefix.length) : streamName;
};

const refOf = (e: LetheEvent): EventRef => ({
  eventType: e.event.type,
  eventId: e.metadata.eventId,
  occurredAt: e.metadata.occurredAt,
});

const ms = (iso: string): number => Date.parse(iso);

const ruleOf = (d: DeadlineRecord): ObligationRule => ({ ruleId: d.ruleId, citation: d.citation, explanation: d.explanation });

const isOpen = (o: ObligationRecord | undefined): o is ObligationRecord => o !== undefined && o.closure === undefined;

const withObligation = (state: ObligationsState, o: ObligationRecord): ObligationsState => ({
  ...state,
  obligations: pmSet(state.obligations, o.id, o),
});

/** Records a new obligation (a fresh `seq`), or replaces the deadline of an open one in place (same `seq`). */
const recordDeadline = (
  state: ObligationsState,
  base: Omit<ObligationRecord, 'seq' | 'rule' | 'dueAt' | 'hostTargetAt' | 'hostTargetOnly' | 'trigger'>,
  deadline: DeadlineRecord,
  trigger: EventRef,
): ObligationsState => {
  const existing = pmGet(state.obligations, base.id);
  const next: ObligationRecord = {
    ...base,
    ...(existing?.delayJustifiedAt === undefined ? {} : { delayJustifiedAt: existing.delayJustifiedAt }),
    trigger,
    rule: ruleOf(deadline),
    dueAt: deadline.dueAt,
    ...(deadline.hostTargetAt === undefined ? {} : { hostTargetAt: deadline.hostTargetAt }),
    ...(deadline.hostTargetOnly === true ? { hostTargetOnly: true as const } : {}),
    seq: existing?.seq ?? state.recorded,
  };
  return { ...withObligation(state, next), recorded: existing === undefined ? state.recorded + 1 : state.recorded };
};

const satisfy = (state: ObligationsState, id: string, e: LetheEvent, at: string): ObligationsState => {
  const o = pmGet(state.obligations, id);
  if (!isOpen(o)) return state;
  const satisfaction: Satisfaction = { eventType: e.event.type, eventId: e.metadata.eventId, at, late: ms(at) > ms(o.dueAt) };
  return withObligation(state, { ...o, closure: { _tag: 'satisfied', satisfaction } });
};

const exempt = (
  state: ObligationsState,
  id: string,
  e: LetheEvent,
  at: string,
  code: string,
  reason?: string,
  evenIfSatisfied = false,
): ObligationsState => {
  const o = pmGet(state.obligations, id);
  if (o === undefined || (o.closure !== undefined && !(evenIfSatisfied && o.closure._tag === 'satisfied'))) return state;
  const exemption: ObligationExemption = {
    code,
    ...(reason === undefined ? {} : { reason }),
    eventType: e.event.type,
    eventId: e.metadata.eventId,
    at,
  };
  return withObligation(state, { ...o, closure: { _tag: 'exempt', exemption } });
};

const reopen = (state: ObligationsState, id: string): ObligationsState => {
  const o = pmGet(state.obligations, id);
  if (o === undefined || o.closure === undefined) return state;
  const { closure: _closure, ...open } = o;
  return withObligation(state, open);
};

// --- requests --------------------------------------------------------------------------------

const requestDuties = ['respond', 'confirmReceipt'] as const;

const requestObligationId = (streamName: string, duty: ObligationDuty): string => `${streamName}/${duty}`;

const applyRequestDeadlines = (
  state: ObligationsState,
  e: LetheEvent,
  subjectId: string,
  deadlines: RequestDeadlines,
): ObligationsState => {
  const entity: ObligationEntity = { kind: 'request', id: entityIdOf('request', e.streamName), streamName: e.streamName };
  let next = state;
  for (const duty of requestDuties) {
    const id = requestObligationId(e.streamName, duty);
    const deadline = deadlines[duty];
    const existing = pmGet(next.obligations, id);
    if (deadline === undefined) {
      // The deadlines in force are the latest ones: a duty they no longer carry is not owed.
      if (isOpen(existing)) next = exempt(next, id, e, e.metadata.occurredAt, 'superseded');
      continue;
    }
    if (existing !== undefined && existing.closure !== undefined) continue;
    next = recordDeadline(next, { id, duty, entity, subjectId }, deadline, refOf(e));
  }
  return next;
};

const applyRequest = (state: ObligationsState, e: LetheEvent): ObligationsState => {
  const event = e.event as RequestEvent;
  const stream = e.streamName;
  if (event.type === 'RequestReceived') {
    const facts: StreamFacts = { subjectId: event.data.subjectId, cycle: 0 };
    const withFacts = { ...state, streams: pmSet(state.streams, stream, facts) };
    return applyRequestDeadlines(withFacts, e, event.data.subjectId, event.data.deadlines);
  }
  const facts = pmGet(state.streams, stream);
  if (facts === undefined) return state;
  const respond = requestObligationId(stream, 'respond');
  const confirm = requestObligationId(stream, 'confirmReceipt');
  switch (event.type) {
    case 'RequestClockRestarted':
      return applyRequestDeadlines(state, e, facts.subjectId, event.data.deadlines);
    case 'RequestExtended': {
      const o = pmGet(state.obligations, respond);
      if (!isOpen(o)) return state;
      const { hostTargetAt: _target, ...rest } = o;
      // The reason sent to the requester is personal; the explanation keeps only dates and the rule.
      const explanation = `Extended under ${event.data.citation} (rule ${event.data.ruleId}) with notice sent at ${event.data.noticeSentAt}: due at ${event.data.newDueAt} instead of ${o.dueAt}.`;
      return withObligation(state, {
        ...rest,
        trigger: refOf(e),
        rule: { ruleId: event.data.ruleId, citation: event.data.citation, explanation },
        dueAt: event.data.newDueAt,
      });
    }
    case 'ReceiptConfirmed':
      return satisfy(state, confirm, e, event.data.at);
    case 'RequestFulfilled':
    case 'RequestRefused':
    case 'RequestForwardedToController':
      // The answer itself tells the requester the request arrived.
      return satisfy(satisfy(state, respond, e, event.data.at), confirm, e, event.data.at);
    case 'RequestWithdrawn':
      return exempt(exempt(state, respond, e, event.data.at, 'requestWithdrawn'), confirm, e, event.data.at, 'requestWithdrawn');
    default:
      return state;
  }
};

// --- breaches --------------------------------------------------------------------------------

const breachObligationId = (streamName: string, ruleId: string): string => `${streamName}/${ruleId}`;

const recordBreachDeadlines = (state: ObligationsState, e: LetheEvent, deadlines: readonly DeadlineRecord[]): ObligationsState => {
  const entity: ObligationEntity = { kind: 'breach', id: entityIdOf('breach', e.streamName), streamName: e.streamName };
  let next = state;
  for (const d of deadlines) {
    const id = breachObligationId(e.streamName, d.ruleId);
    // One obligation per rule: the first record wins, as in the breach decider.
    if (pmGet(next.obligations, id) !== undefined) continue;
    next = recordDeadline(next, { id, duty: 'notify', entity }, d, refOf(e));
  }
  return next;
};

const applyBreach = (state: ObligationsState, e: LetheEvent): ObligationsState => {
  const event = e.event as BreachEvent;
  switch (event.type) {
    case 'BreachAwarenessEstablished':
    case 'BreachConfirmed':
      return recordBreachDeadlines(state, e, event.data.deadlines);
    case 'BreachAssessed':
      return recordBreachDeadlines(state, e, event.data.deadlines ?? []);
    case 'AuthorityNotified':
    case 'DataSubjectsNotified':
    case 'PublicCommunicationMade':
    case 'ControllerNotified':
      return event.data.satisfies.reduce((s, ruleId) => satisfy(s, breachObligationId(e.streamName, ruleId), e, event.data.at), state);
    case 'NotificationExemptionRecorded':
      // The reasoning is free text (personal); the exemption code is what the register shows.
      return exempt(state, breachObligationId(e.streamName, event.data.ruleId), e, event.data.at, event.data.exemption);
    case 'DelayJustified': {
      const o = pmGet(state.obligations, breachObligationId(e.streamName, event.data.ruleId));
      return o === undefined || o.delayJustifiedAt !== undefined ? state : withObligation(state, { ...o, delayJustifiedAt: event.data.at });
    }
    default:
      return state;
  }
};

// --- retention clocks ------------------------------------------------------------------------

const retentionObligationId = (streamName: string, cycle: number, duty: ObligationDuty): string => `${streamName}/${cycle}/${duty}`;

const REACTIVATED_WITHIN_GRACE = 'reactivatedWithinGrace';

const applyRetention = (state: ObligationsState, e: LetheEvent): ObligationsState => {
  const event = e.event as RetentionEvent;
  const stream = e.streamName;
  const entity: ObligationEntity = { kind: 'retention', id: entityIdOf('retention', stream), streamName: stream };
  if (event.type === 'RetentionClockStarted') {
    const previous = pmGet(state.streams, stream);
    const facts: StreamFacts = { subjectId: event.data.subjectId, category: event.data.category, cycle: (previous?.cycle ?? 0) + 1 };
    const withFacts = { ...state, streams: pmSet(state.streams, stream, facts) };
    const id = retentionObligationId(stream, facts.cycle, 'startErasure');
    return recordDeadline(
      withFacts,
      { id, duty: 'startErasure', entity, subjectId: facts.subjectId, category: event.data.category },
      event.data.deadline,
      refOf(e),
    );
  }
  const facts = pmGet(state.streams, stream);
  if (facts === undefined) return state;
  const start = retentionObligationId(stream, facts.cycle, 'startErasure');
  const complete = retentionObligationId(stream, facts.cycle, 'completeErasure');
  switch (event.type) {
    case 'RetentionClockReset': {
      const o = pmGet(state.obligations, start);
      if (!isOpen(o)) return state;
      return recordDeadline(
        state,
        { id: start, duty: 'startErasure', entity, subjectId: facts.subjectId, ...(facts.category === undefined ? {} : { category: facts.category }) },
        event.data.deadline,
        refOf(e),
      );
    }
    case 'ErasureRequested': {
      const satisfied = satisfy(state, start, e, event.data.requestedAt);
      return recordDeadline(
        satisfied,
        { id: complete, duty: 'completeErasure', entity, subjectId: facts.subjectId, ...(facts.category === undefined ? {} : { category: facts.category }) },
        event.data.completionDeadline,
        refOf(e),
      );
    }
    case 'ErasureCompleted':
      return satisfy(satisfy(state, complete, e, event.data.completedAt), start, e, event.data.completedAt);
    case 'ErasureCancelled': {
      const at = event.data.cancelledAt;
      if (event.data.reason === REACTIVATED_WITHIN_GRACE) {
        // Personizely PZ-13: a client back within the grace period keeps their data; no erasure is owed.
        return exempt(exempt(state, start, e, at, REACTIVATED_WITHIN_GRACE, undefined, true), complete, e, at, REACTIVATED_WITHIN_GRACE);
      }
      // Any other cancellation puts the clock back to running or expired: erasure is owed again.
      return reopen(exempt(state, complete, e, at, 'erasureCancelled', event.data.reason), start);
    }
    case 'RetentionClockClosed': {
      const at = event.data.closedAt;
      return exempt(exempt(state, start, e, at, 'clockClosed'), complete, e, at, 'clockClosed');
    }
    default:
      return state;
  }
};

// --- subjects (legal holds) ------------------------------------------------------------------

const applySubject = (state: ObligationsState, e: LetheEvent): ObligationsState => {
  const event = e.event as SubjectEvent;
  const subjectId = entityIdOf('subject', e.streamName);
  switch (event.type) {
    case 'LegalHoldPlaced': {
      const holds = (pmGet(state.holds, subjectId) ?? []).filter((h) => h.holdId !== event.data.holdId);
      return { ...state, holds: pmSet(state.holds, subjectId, [...holds, { holdId: event.data.holdId, scope: event.data.scope }]) };
    }
    case 'LegalHoldLifted': {
      const holds = pmGet(state.holds, subjectId);
      if (holds === undefined) return state;
      return { ...state, holds: pmSet(state.holds, subjectId, holds.filter((h) => h.holdId !== event.data.holdId)) };
    }
    default:
      return state;
  }
};

/** Returns the obligations state before any event: nothing recorded. */
export const initialObligationsState = (): ObligationsState => ({
  obligations: pmEmpty(),
  streams: pmEmpty(),
  holds: pmEmpty(),
  recorded: 0,
});

/**
 * Returns the state after one more event of any kind; events of kinds and types that create no
 * obligation (consent, sub-processors, ...) return the state unchanged. Pure; never throws on
 * events the engine decoded with their kind's codec.
 */
export const applyObligationEvent = (state: ObligationsState, event: LetheEvent): ObligationsState => {
  switch (event.kind) {
    case 'request':
      return applyRequest(state, event);
    case 'breach':
      return applyBreach(state, event);
    case 'retention':
      return applyRetention(state, event);
    case 'subject':
      return applySubject(state, event);
    default:
      return state;
  }
};

/** The obligations projection: a pure fold over the feed of every stream kind. Register it with the engine. */
export const obligationsProjection: Projection<ObligationsState> = {
  init: initialObligationsState,
  apply: applyObligationEvent,
};

// ---------------------------------------------------------------------------------------------
// The query
// ---------------------------------------------------------------------------------------------

const covers = (scope: CategoryScope, category: string | undefined): boolean =>
  scope === 'all' || (category !== undefined && (scope as readonly string[]).includes(category));

const holdsCovering = (state: ObligationsState, o: ObligationRecord): readonly string[] => {
  if (o.entity.kind !== 'retention' || o.subjectId === undefined) return [];
  const holds = pmGet(state.holds, o.subjectId) ?? [];
  return holds.filter((h) => covers(h.scope, o.category)).map((h) => h.holdId);
};

/** Returns the obligation `o` of `state` as it stands at `now`: its facts and its computed state. */
export const obligationAt = (state: ObligationsState, o: ObligationRecord, now: Instant): Obligation => {
  const { closure, seq: _seq, ...facts } = o;
  if (closure?._tag === 'satisfied') return { ...facts, state: 'satisfied', satisfaction: closure.satisfaction };
  if (closure?._tag === 'exempt') return { ...facts, state: 'exempt', exemption: closure.exemption };
  const holds = holdsCovering(state, o);
  if (holds.length > 0) return { ...facts, state: 'suspended', suspendedBy: holds };
  // A duty with no legal or contractual number is never overdue: only past the host's target.
  if (now > ms(o.dueAt)) return { ...facts, state: o.hostTargetOnly === true ? 'due' : 'overdue' };
  if (o.hostTargetAt !== undefined && now > ms(o.hostTargetAt)) return { ...facts, state: 'due' };
  return { ...facts, state: 'pending' };
};

const asSet = <A>(x: A | readonly A[] | undefined): ReadonlySet<A> | undefined =>
  x === undefined ? undefined : new Set<A>(Array.isArray(x) ? (x as readonly A[]) : [x as A]);

/**
 * Returns the obligations of `state` that match `query`, each with its state at `query.now`,
 * ordered by legal due time (then by the order they were recorded). Never fails; an empty list
 * when nothing matches.
 */
export const obligations = (state: ObligationsState, query: ObligationsQuery): readonly Obligation[] => {
  const states = asSet(query.state);
  const kinds = asSet(query.kind);
  const matches: ObligationRecord[] = [];
  for (const o of pmValues(state.obligations)) {
    if (kinds !== undefined && !kinds.has(o.entity.kind)) continue;
    if (query.subjectId !== undefined && o.subjectId !== query.subjectId) continue;
    if (query.dueBefore !== undefined && !(ms(o.dueAt) < query.dueBefore)) continue;
    matches.push(o);
  }
  matches.sort((a, b) => ms(a.dueAt) - ms(b.dueAt) || a.seq - b.seq);
  const out: Obligation[] = [];
  for (const o of matches) {
    const at = obligationAt(state, o, query.now);
    if (states === undefined || states.has(at.state)) out.push(at);
  }
  return out;
};
