/**
 * The timeline of one data subject: the accountability record of what happened to them and their
 * data, oldest first. It holds every event of the subject's own stream and of their consent
 * grants, retention clocks and requests (a stream is tied to its subject by the first event that
 * names the subject: `ConsentGranted`, `RetentionClockStarted`, `RequestReceived`).
 *
 * Each entry carries a one-line `summary` written from the event's non-personal fields only
 * (category, purpose, rule id, due time...). Summaries read event data through an accessor that
 * refuses every path the event's codec marks `personal()` (found with `personalPaths`), so a name,
 * an e-mail address or a free-text reason cannot reach a summary even by mistake: a timeline can
 * be shown to an auditor or written to a log.
 *
 * @module
 */
import type * as t from 'io-ts';
import type { LetheEvent } from '../engine/commandHandler.js';
import type { Projection } from '../engine/processor.js';
import { BreachEvent } from '../model/breach/events.js';
import { ConsentEvent } from '../model/consent/events.js';
import { personalPaths } from '../model/personal.js';
import { ProcessorEvent } from '../model/processor/events.js';
import { RequestEvent } from '../model/request/events.js';
import { RetentionEvent } from '../model/retention/events.js';
import { SubjectEvent } from '../model/subject/events.js';
import { type PersistentMap, pmEmpty, pmGet, pmSet, pmUpdate } from './persistentMap.js';

/** One entry of a subject's timeline. */
export interface TimelineEntry {
  /** Business time of the event (`occurredAt`): entries are ordered by it. */
  readonly at: string;
  /** When the event was appended. */
  readonly recordedAt: string;
  readonly kind: string;
  readonly streamName: string;
  /** The event's stream revision as a decimal string, so an entry survives `JSON.stringify`. */
  readonly revision: string;
  readonly type: string;
  readonly eventId: string;
  /** One line describing the event, without personal data. */
  readonly summary: string;
}

/** An immutable list, newest entry first: appending is O(1) and shares the older entries. */
export interface TimelineList {
  readonly head: TimelineEntry;
  readonly tail: TimelineList | undefined;
}

/** What the timeline remembers of a consent, retention or request stream. */
export interface TimelineStream {
  readonly subjectId: string;
  /** The purpose, category or request type the stream is about, for the summaries of its later events. */
  readonly topic: string;
}

/** The state of the timeline projection. */
export interface TimelineState {
  /** Consent, retention and request streams tied to a subject, by stream name. */
  readonly streams: PersistentMap<TimelineStream>;
  /** Each subject's entries, newest first, by subject id. */
  readonly entries: PersistentMap<TimelineList>;
}

// ---------------------------------------------------------------------------------------------
// Reading non-personal fields
// ---------------------------------------------------------------------------------------------

interface UnionOfTypes {
  readonly types: readonly t.Mixed[];
}
interface WithTypeLiteral {
  readonly props?: { readonly type?: { readonly value?: unknown } };
}

/** What the summaries may read of one event type: its personal paths, and the verdicts so far. */
interface TypeAccess {
  /** The paths the codec marks personal (`data.contact.email`, `data.notes`). */
  readonly personal: readonly string[];
  /** Path to "may be read", filled as summaries ask (a handful of paths per type). */
  readonly verdicts: Map<string, boolean>;
}

/** Stream kind to event type to {@link TypeAccess}. */
const accessByKind: ReadonlyMap<string, ReadonlyMap<string, TypeAccess>> = (() => {
  const codecs: readonly [string, t.Mixed][] = [
    ['subject', SubjectEvent],
    ['consent', ConsentEvent],
    ['retention', RetentionEvent],
    ['request', RequestEvent],
    ['breach', BreachEvent],
    ['processor', ProcessorEvent],
  ];
  const out = new Map<string, Map<string, TypeAccess>>();
  for (const [kind, codec] of codecs) {
    const byType = new Map<string, TypeAccess>();
    for (const member of (codec as unknown as UnionOfTypes).types) {
      const type = (member as WithTypeLiteral).props?.type?.value;
      if (typeof type === 'string')
        byType.set(type, { personal: personalPaths(member).map((p) => p.replace(/\[\]/g, '')), verdicts: new Map() });
    }
    out.set(kind, byType);
  }
  return out;
})();

// An event type we do not know: every field could be personal, so none is read.
const UNKNOWN_TYPE: TypeAccess = { personal: ['data'], verdicts: new Map() };

/** Reads primitive values at dotted paths of an event, refusing personal paths and anything holding one. */
interface Reader {
  /** Returns the string, number or boolean at `path` (`data.category`), or undefined (absent, not primitive, or personal). */
  readonly value: (path: string) => string | number | boolean | undefined;
  /** Returns the primitives of the array at `path` joined with `, `, or undefined. */
  readonly list: (path: string) => string | undefined;
  /** True when `path` holds something, personal or not (to say "from a birth date" without reading it). */
  readonly has: (path: string) => boolean;
}

const isPrimitive = (u: unknown): u is string | number | boolean =>
  typeof u === 'string' || typeof u === 'number' || typeof u === 'boolean';

/** Dotted paths split once: summaries ask for the same few dozen paths over and over. */
const splitPaths = new Map<string, readonly string[]>();
const keysOf = (path: string): readonly string[] => {
  let keys = splitPaths.get(path);
  if (keys === undefined) {
    keys = path.split('.');
    splitPaths.set(path, keys);
  }
  return keys;
};

const raw = (event: unknown, path: string): unknown => {
  let node: unknown = event;
  for (const key of keysOf(path)) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
};

const allowed = (access: TypeAccess, path: string): boolean => {
  let verdict = access.verdicts.get(path);
  if (verdict === undefined) {
    verdict = !access.personal.some((p) => p === path || p.startsWith(`${path}.`) || path.startsWith(`${p}.`));
    access.verdicts.set(path, verdict);
  }
  return verdict;
};

/** A {@link Reader} over one event: one small object per summarised event, its methods shared. */
class EventReader implements Reader {
  constructor(
    private readonly access: TypeAccess,
    private readonly event: { readonly type: string; readonly data: unknown },
  ) {}

  value(path: string): string | number | boolean | undefined {
    if (!allowed(this.access, path)) return undefined;
    const v = raw(this.event, path);
    return isPrimitive(v) ? v : undefined;
  }

  list(path: string): string | undefined {
    if (!allowed(this.access, path)) return undefined;
    const v = raw(this.event, path);
    return Array.isArray(v) && v.every(isPrimitive) ? v.map(String).join(', ') : undefined;
  }

  has(path: string): boolean {
    return raw(this.event, path) !== undefined;
  }
}

const readerOf = (kind: string, event: { readonly type: string; readonly data: unknown }): Reader =>
  new EventReader(accessByKind.get(kind)?.get(event.type) ?? UNKNOWN_TYPE, event);

// ---------------------------------------------------------------------------------------------
// Summaries
// ---------------------------------------------------------------------------------------------

type Summariser = (r: Reader, topic: string) => string;

/** `" (a; b)"` from the defined parts, or `""`. */
const paren = (...parts: readonly (string | undefined | false)[]): string => {
  const kept = parts.filter((p): p is string => typeof p === 'string' && p.length > 0);
  return kept.length === 0 ? '' : ` (${kept.join('; ')})`;
};
const opt = (label: string, v: string | number | boolean | undefined): string | undefined =>
  v === undefined ? undefined : `${label} ${String(v)}`;
const scopeOf = (r: Reader): string => {
  const v = r.value('data.scope');
  if (v !== undefined) return String(v) === 'all' ? 'all categories' : String(v);
  return r.list('data.scope') ?? 'unknown scope';
};
const s = (r: Reader, path: string): string => String(r.value(path) ?? '?');
const maybe = (r: Reader, path: string): string | undefined => {
  const v = r.value(path);
  return v === undefined ? undefined : String(v);
};

const subjectSummaries: Readonly<Record<string, Summariser>> = {
  SubjectRegistered: (r) => {
    const role = r.value('data.ourRole.role') === 'processor' ? `processor for ${s(r, 'data.ourRole.controllerId')}` : 'controller';
    return `Subject registered${paren(`jurisdictions ${r.list('data.jurisdictions') ?? ''}`, `our role: ${role}`)}`;
  },
  AgeEstablished: (r) => {
    const age = r.value('data.age.ageInYears');
    return `Age established${paren(age !== undefined ? `age ${String(age)}` : r.has('data.age') ? 'from a birth date' : undefined)}`;
  },
  ChildBelowMinimumAgeFound: (r) =>
    `Below the minimum age of ${s(r, 'data.minimumAge')}${paren(`rule ${s(r, 'data.ruleId')}`, maybe(r, 'data.citation'))}`,
  DataCollected: (r) =>
    `Collected ${s(r, 'data.category')} into ${s(r, 'data.system')} from ${s(r, 'data.source')}${paren(
      `${s(r, 'data.submission')} submission`,
      r.value('data.sensitive') === true && 'special category',
      opt('policy', r.value('data.policyVersion')),
    )}`,
  ActivityRecorded: (r) => `Activity: ${s(r, 'data.kind')}${paren(opt('category', r.value('data.category')))}`,
  DataRectified: (r) => `Data rectified${paren(opt('category', r.value('data.category')))}`,
  ProcessingRestricted: (r) =>
    `Processing restricted on ground ${s(r, 'data.ground')}${paren(`scope: ${scopeOf(r)}`, opt('restriction', r.value('data.restrictionId')))}`,
  ProcessingUnrestricted: (r) =>
    `Restriction ${s(r, 'data.restrictionId')} lifted${paren(opt('subject informed at', r.value('data.subjectInformedAt')))}`,
  LegalHoldPlaced: (r) => `Legal hold ${s(r, 'data.holdId')} placed${paren(`reference ${s(r, 'data.reason')}`, `scope: ${scopeOf(r)}`)}`,
  LegalHoldLifted: (r) => `Legal hold ${s(r, 'data.holdId')} lifted`,
  SubscriptionStarted: (r) => `Subscription ${s(r, 'data.contractId')} started`,
  SubscriptionCancelled: (r) => `Subscription ${s(r, 'data.contractId')} cancelled`,
  SubscriptionReactivated: (r) => `Subscription ${s(r, 'data.contractId')} reactivated`,
  ContractTerminated: (r) => `Contract ${s(r, 'data.contractId')} terminated`,
  SubjectErased: (r) => `Data erased${paren(`scope: ${scopeOf(r)}`, `reason ${s(r, 'data.reason')}`)}`,
};

const consentSummaries: Readonly<Record<string, Summariser>> = {
  ConsentGranted: (r) =>
    `Consent granted for ${s(r, 'data.purpose')} by ${s(r, 'data.method')}${paren(
      opt('policy', r.value('data.policyVersion')),
      r.value('data.gdprValid') === false && 'not valid GDPR consent',
      r.value('data.explicit') === true && 'explicit',
      r.has('data.parentalAuthorisation') && 'parental authorisation recorded',
      opt('expires at', r.value('data.expiresAt')),
    )}`,
  ConsentRenewed: (r, topic) => `Consent for ${topic} renewed${paren(opt('expires at', r.value('data.expiresAt')) ?? 'no expiry')}`,
  ConsentWithdrawn: (r, topic) => `Consent for ${topic} withdrawn via ${s(r, 'data.channel')}`,
  ConsentExpired: (r, topic) => `Consent for ${topic} expired at ${s(r, 'data.expiredAt')}`,
};

const targetOf = (r: Reader): string =>
  r.value('data.target.system') !== undefined ? `system ${s(r, 'data.target.system')}` : `processor ${s(r, 'data.target.processor')}`;

const retentionSummaries: Readonly<Record<string, Summariser>> = {
  RetentionClockStarted: (r) =>
    `Retention clock for ${s(r, 'data.category')} started${paren(
      `basis ${s(r, 'data.basis')}`,
      `${s(r, 'data.onExpiry')} due at ${s(r, 'data.deadline.dueAt')} under ${s(r, 'data.deadline.ruleId')}`,
      opt('grace until', r.value('data.graceUntil')),
    )}`,
  RetentionClockReset: (r, topic) =>
    `Retention clock for ${topic} reset by ${s(r, 'data.activityKind')}${paren(`due at ${s(r, 'data.deadline.dueAt')} under ${s(r, 'data.deadline.ruleId')}`)}`,
  RetentionClockExpired: (r, topic) => `Retention period for ${topic} expired at ${s(r, 'data.expiredAt')}`,
  ErasureRequested: (r, topic) =>
    `Erasure of ${topic} requested${paren(
      `reason ${s(r, 'data.reason')}`,
      `to complete by ${s(r, 'data.completionDeadline.dueAt')} under ${s(r, 'data.completionDeadline.ruleId')}`,
      r.value('data.restrictProcessing') === true && 'processing restricted meanwhile',
    )}`,
  ErasureApproved: (r, topic) => `Erasure of ${topic} approved by the ${s(r, 'data.role')} role`,
  ErasureAuthorised: (r, topic) => `Erasure of ${topic} authorised${paren(opt('approved by roles', r.list('data.roles') || undefined))}`,
  ErasureConfirmed: (r, topic) => `Erasure of ${topic} confirmed for ${targetOf(r)}`,
  ErasureCompleted: (r, topic) =>
    `Erasure of ${topic} completed${paren(opt('systems', r.list('data.systems') || undefined), opt('processors', r.list('data.processors') || undefined))}`,
  ErasureCancelled: (r, topic) => `Erasure of ${topic} cancelled${paren(`reason ${s(r, 'data.reason')}`)}`,
  RetentionClockClosed: (_r, topic) => `Retention clock for ${topic} closed`,
};

const requestSummaries: Readonly<Record<string, Summariser>> = {
  RequestReceived: (r) =>
    `Request (${s(r, 'data.requestType')}) received via ${s(r, 'data.channel')}${paren(
      `jurisdiction ${s(r, 'data.jurisdiction')}`,
      `we are ${s(r, 'data.role')}`,
      `from ${s(r, 'data.receivedFrom')}`,
      r.has('data.authorisedAgent') && 'through an authorised agent',
      `respond by ${s(r, 'data.deadlines.respond.dueAt')} under ${s(r, 'data.deadlines.respond.ruleId')}`,
      r.value('data.deadlines.confirmReceipt.dueAt') !== undefined &&
        `confirm receipt by ${s(r, 'data.deadlines.confirmReceipt.dueAt')}`,
    )}`,
  IdentityVerified: (r, topic) => `Identity verified for the ${topic} request${paren(opt('method', r.value('data.method')))}`,
  IdentityVerificationFailed: (r, topic) => `Identity verification failed for the ${topic} request${paren(opt('method', r.value('data.method')))}`,
  RequestClockRestarted: (r, topic) =>
    `Clock of the ${topic} request restarted${paren(`reason ${s(r, 'data.reason')}`, `respond by ${s(r, 'data.deadlines.respond.dueAt')}`)}`,
  ReceiptConfirmed: (r, topic) => `Receipt of the ${topic} request confirmed${paren(opt('via', r.value('data.channel')))}`,
  RequestExtended: (r, topic) =>
    `Answer period of the ${topic} request extended to ${s(r, 'data.newDueAt')}${paren(`rule ${s(r, 'data.ruleId')}`, `notice sent at ${s(r, 'data.noticeSentAt')}`)}`,
  FeeProposed: (r, topic) =>
    `Fee of ${s(r, 'data.quote.amountMinor')} ${s(r, 'data.quote.currency')} (minor units) proposed for the ${topic} request${paren(`reason ${s(r, 'data.reason')}`)}`,
  RequestFulfilled: (r, topic) => `The ${topic} request was fulfilled via ${s(r, 'data.deliveryChannel')}`,
  RequestRefused: (r, topic) => `The ${topic} request was refused${paren(opt('reasons', r.list('data.reasons')))}`,
  RequestForwardedToController: (r, topic) =>
    `The ${topic} request was forwarded to controller ${s(r, 'data.controllerId')}${paren(opt('subject informed at', r.value('data.subjectInformedAt')))}`,
  RequestWithdrawn: (_r, topic) => `The ${topic} request was withdrawn`,
};

const summariesByKind: Readonly<Record<string, Readonly<Record<string, Summariser>>>> = {
  subject: subjectSummaries,
  consent: consentSummaries,
  retention: retentionSummaries,
  request: requestSummaries,
};

/**
 * Returns the one-line summary of `event` (of stream kind `kind`), written only from its
 * non-personal fields; `topic` names what the stream is about (purpose, category, request type)
 * for events that do not repeat it. An unknown event type is summarised by its type alone.
 */
export const summariseEvent = (kind: string, event: { readonly type: string; readonly data: unknown }, topic = 'the'): string => {
  const summarise = summariesByKind[kind]?.[event.type];
  return summarise === undefined ? event.type : summarise(readerOf(kind, event), topic);
};

// ---------------------------------------------------------------------------------------------
// The fold
// ---------------------------------------------------------------------------------------------

/** The event that ties a stream to its subject, and the field that names what the stream is about. */
const openers: Readonly<Record<string, { readonly type: string; readonly topic: string }>> = {
  consent: { type: 'ConsentGranted', topic: 'purpose' },
  retention: { type: 'RetentionClockStarted', topic: 'category' },
  request: { type: 'RequestReceived', topic: 'requestType' },
};

const SUBJECT_PREFIX = 'lethe.subject-';

/** Returns the timeline state before any event: no subject, no stream. */
export const initialTimelineState = (): TimelineState => ({ streams: pmEmpty(), entries: pmEmpty() });

/**
 * Returns the state after one more event: appended (O(1)) to its subject's entries when the
 * event belongs to a subject, consent, retention or request stream whose subject is known;
 * unchanged otherwise (breaches and sub-processor registers name no subject). Pure.
 */
export const applyTimelineEvent = (state: TimelineState, e: LetheEvent): TimelineState => {
  let streams = state.streams;
  let subjectId: string | undefined;
  let topic = 'the';
  if (e.kind === 'subject' && e.streamName.startsWith(SUBJECT_PREFIX)) {
    subjectId = e.streamName.slice(SUBJECT_PREFIX.length);
  } else {
    const opener = openers[e.kind];
    if (opener === undefined) return state;
    const known = pmGet(streams, e.streamName);
    if (known !== undefined) {
      subjectId = known.subjectId;
      topic = known.topic;
    } else if (e.event.type === opener.type) {
      const data = e.event.data as Readonly<Record<string, unknown>>;
      const id = data['subjectId'];
      const about = data[opener.topic];
      if (typeof id !== 'string') return state;
      subjectId = id;
      topic = typeof about === 'string' ? about : 'the';
      streams = pmSet(streams, e.streamName, { subjectId, topic });
    } else return state;
  }
  const entry: TimelineEntry = {
    at: e.metadata.occurredAt,
    recordedAt: e.metadata.recordedAt,
    kind: e.kind,
    streamName: e.streamName,
    revision: String(e.revision),
    type: e.event.type,
    eventId: e.metadata.eventId,
    summary: summariseEvent(e.kind, e.event, topic),
  };
  return { streams, entries: pmUpdate(state.entries, subjectId, (tail) => ({ head: entry, tail })) };
};

/** The timeline projection: a pure fold over the feed. Register it with the engine. */
export const timelineProjection: Projection<TimelineState> = {
  init: initialTimelineState,
  apply: applyTimelineEvent,
};

/**
 * Returns the timeline of `subjectId`, oldest first: ordered by business time (`at`), events with
 * the same business time in the order they were recorded. An unknown subject has an empty
 * timeline. Never fails.
 */
export const timeline = (state: TimelineState, subjectId: string): readonly TimelineEntry[] => {
  const newestFirst: TimelineEntry[] = [];
  for (let node = pmGet(state.entries, subjectId); node !== undefined; node = node.tail) newestFirst.push(node.head);
  const feedOrder = newestFirst.reverse();
  // Array.prototype.sort is stable: equal business times keep feed order.
  return feedOrder
    .map((entry, i) => ({ entry, i, at: Date.parse(entry.at) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((x) => x.entry);
};
