/**
 * The embedded in-memory event store: the default store for the demo, for tests and for hosts that
 * do not need durability. It follows EventStoreDB's rules (see `port.ts`) so that code written
 * against it behaves the same on EventStoreDB, and it does constant work per appended event: no
 * copying or recounting of streams, no scans on append, reads slice the stored arrays.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { randomFillSync } from 'node:crypto';
import { systemClock } from '../time/clock.js';
import type { Clock } from '../time/clock.js';
import type {
  AllFilter,
  AllSubscription,
  AppendOptions,
  AppendResult,
  DeleteResult,
  EventData,
  EventStore,
  ExpectedRevision,
  JsonValue,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoreError,
  StoreResult,
  StreamMetadata,
  StreamMetadataResult,
  StreamRevision,
  SubscribeToAllOptions,
} from './port.js';

/**
 * The `$tb` (truncate before) value EventStoreDB writes on a soft delete (`long.MaxValue`), and the
 * revision of the `$streamDeleted` event a tombstone writes.
 */
export const DELETED_STREAM_REVISION: StreamRevision = 2n ** 63n - 1n;

/** Options of {@link getInMemoryEventStore}. */
export interface InMemoryEventStoreOptions {
  /** Stamps `recordedAt` and judges `maxAge`; defaults to the system clock. */
  readonly clock?: Clock;
}

/**
 * What a stream has beyond its events, kept apart from them so that the append path of a plain
 * stream (no metadata, never deleted) follows one pointer fewer.
 */
interface StreamExtra {
  /** The stream's metadata as last set (`$$stream`), or undefined when never set. */
  metadata: StreamMetadata | undefined;
  tombstoned: boolean;
  /** The revision the stream was last recreated at after a soft delete, or -1. */
  recreatedAt: number;
  /**
   * Event id to revision, built the first time an `any` / `stream_exists` append with ids needs it
   * and kept up to date from then on (exact and `no_stream` retries check by position instead).
   */
  ids: Map<string, number> | undefined;
}

/** A pending `next()` of a live subscription waiting for the next append. */
type Waker = () => void;

const MAX_DEPTH = 64;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const METADATA_EVENT = '$metadata';
const TOMBSTONE_EVENT = '$streamDeleted';
const EMPTY_METADATA: StreamMetadata = Object.freeze({});
/** Bigints for the revisions most streams reach, so that appends do not allocate one each. */
const SMALL_REVISIONS: readonly bigint[] = Array.from({ length: 4096 }, (_, i) => BigInt(i));
const revisionOf = (r: number): bigint => SMALL_REVISIONS[r] ?? BigInt(r);
const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

const HEX_DIGITS = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  const hex = i.toString(16).padStart(2, '0');
  HEX_DIGITS[2 * i] = hex.charCodeAt(0);
  HEX_DIGITS[2 * i + 1] = hex.charCodeAt(1);
}
const UUID_TEXT_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34] as const;
/** How many ids are made at a time: one random fill and one decode per batch. */
const ID_BATCH = 1024;
const batchBytes = new Uint8Array(16 * ID_BATCH);
const batchText = new Uint8Array(36 * ID_BATCH);
const latin1 = new TextDecoder('latin1');
let batch = '';
let batchNext = ID_BATCH;

/** Fills `batch` with ID_BATCH fresh version 4 uuids, 36 characters each, back to back. */
const refillIds = (): void => {
  randomFillSync(batchBytes);
  for (let u = 0; u < ID_BATCH; u++) {
    const at = 16 * u;
    const out = 36 * u;
    batchBytes[at + 6] = ((batchBytes[at + 6] as number) & 0x0f) | 0x40;
    batchBytes[at + 8] = ((batchBytes[at + 8] as number) & 0x3f) | 0x80;
    for (let i = 0; i < 16; i++) {
      const digits = (batchBytes[at + i] as number) * 2;
      const to = out + (UUID_TEXT_AT[i] as number);
      batchText[to] = HEX_DIGITS[digits] as number;
      batchText[to + 1] = HEX_DIGITS[digits + 1] as number;
    }
    batchText[out + 8] = 45; /* - */
    batchText[out + 13] = 45;
    batchText[out + 18] = 45;
    batchText[out + 23] = 45;
  }
  batch = latin1.decode(batchText);
  batchNext = 0;
};

/**
 * A random (version 4) uuid for events appended without an id. `crypto.randomUUID()` builds its
 * text by string concatenation, which leaves each stored id as a tree of rope nodes several times
 * its size. Here ids are made 1,024 at a time: one random fill, one decode of the whole batch into
 * a flat string, and each id a 36-character slice of it (V8 keeps a slice as a pointer into the
 * batch), so an append pays neither a call into C++ nor a rope.
 */
const randomEventId = (): string => {
  if (batchNext === ID_BATCH) refillIds();
  const from = 36 * batchNext++;
  return batch.slice(from, from + 36);
};

/** Where a payload stopped being JSON: keys from the innermost outwards, built only on failure. */
interface JsonFault {
  readonly keys: (string | number)[];
  readonly reason: string;
}

/**
 * Checks that `value` is plain JSON (plain objects, arrays, strings, finite numbers, booleans,
 * null) and deep-freezes it in the same walk. Returns the fault or undefined.
 * Freezing as we go means a payload rejected half-way stays partly frozen: documented on
 * {@link getInMemoryEventStore}; it keeps appends to one walk of each payload.
 */
const freezeJson = (value: unknown, depth: number): JsonFault | undefined => {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { keys: [], reason: 'is not a finite number' };
    case 'object': {
      if (value === null) return undefined;
      if (depth >= MAX_DEPTH) return { keys: [], reason: `nested too deeply (more than ${MAX_DEPTH} levels)` };
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const fault = freezeJson(value[i], depth + 1);
          if (fault !== undefined) {
            fault.keys.push(i);
            return fault;
          }
        }
        Object.freeze(value);
        return undefined;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return { keys: [], reason: 'is not a plain object' };
      const record = value as Record<string, unknown>;
      for (const key in record) {
        const fault = freezeJson(record[key], depth + 1);
        if (fault !== undefined) {
          fault.keys.push(key);
          return fault;
        }
      }
      Object.freeze(value);
      return undefined;
    }
    default:
      return { keys: [], reason: `is ${typeof value}, which JSON cannot carry` };
  }
};

/** A deep-frozen copy of `value` when it is plain JSON, or where it is not. */
const copyJson = (value: unknown, depth: number): { readonly value: JsonValue } | JsonFault => {
  if (typeof value !== 'object' || value === null) {
    const fault = freezeJson(value, depth);
    return fault ?? { value: value as JsonValue };
  }
  if (depth >= MAX_DEPTH) return { keys: [], reason: `nested too deeply (more than ${MAX_DEPTH} levels)` };
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (let i = 0; i < value.length; i++) {
      const item = copyJson(value[i], depth + 1);
      if ('reason' in item) {
        item.keys.push(i);
        return item;
      }
      out.push(item.value);
    }
    return { value: Object.freeze(out) };
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return { keys: [], reason: 'is not a plain object' };
  const out: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(value)) {
    const item = copyJson((value as Record<string, unknown>)[key], depth + 1);
    if ('reason' in item) {
      item.keys.push(key);
      return item;
    }
    out[key] = item.value;
  }
  return { value: Object.freeze(out) };
};

const faultPath = (prefix: string, fault: JsonFault): string => {
  let path = prefix;
  for (let i = fault.keys.length - 1; i >= 0; i--) {
    const key = fault.keys[i];
    path += typeof key === 'number' ? `[${key}]` : `.${key}`;
  }
  return path;
};

const invalid = (stream: string, path: string, reason: string): E.Either<StoreError, never> =>
  E.left({ _tag: 'InvalidAppend', stream, path, reason });

const checkStreamName = (stream: unknown): E.Either<StoreError, never> | undefined => {
  if (typeof stream !== 'string' || stream.length === 0) return invalid('', 'stream', 'must be a non-empty string');
  if (stream.charCodeAt(0) === 36 /* $ */)
    return invalid(stream, 'stream', 'names starting with $ are reserved for system streams');
  return undefined;
};

const checkExpectedRevision = (stream: string, expected: unknown): E.Either<StoreError, never> | undefined => {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return undefined;
  if (typeof expected === 'bigint' && expected >= 0n && expected < DELETED_STREAM_REVISION) return undefined;
  return invalid(stream, 'options.expectedRevision', "must be 'any', 'no_stream', 'stream_exists' or a revision >= 0");
};

const wrongExpectedVersion = (stream: string, expected: ExpectedRevision, last: number): E.Either<StoreError, never> =>
  E.left({ _tag: 'WrongExpectedVersion', stream, expected, actual: last < 0 ? 'no_stream' : revisionOf(last) });

const streamDeleted = (stream: string): E.Either<StoreError, never> => E.left({ _tag: 'StreamDeleted', stream });
const streamNotFound = (stream: string): E.Either<StoreError, never> => E.left({ _tag: 'StreamNotFound', stream });

const isSoftDeleted = (extra: StreamExtra | undefined): boolean =>
  extra?.metadata?.truncateBefore === DELETED_STREAM_REVISION;

/**
 * EventStoreDB's expected-revision rule for a stream that is not tombstoned: returns an error or
 * undefined when the write may go ahead.
 */
const checkExpected = (
  stream: string,
  events: readonly RecordedEvent[] | undefined,
  extra: StreamExtra | undefined,
  expected: ExpectedRevision,
): E.Either<StoreError, never> | undefined => {
  if (expected === 'any') return undefined;
  const last = events === undefined ? -1 : events.length - 1;
  if (expected === 'no_stream') {
    if (last < 0 || isSoftDeleted(extra)) return undefined;
    return wrongExpectedVersion(stream, expected, last);
  }
  if (expected === 'stream_exists') {
    if (isSoftDeleted(extra)) return streamDeleted(stream);
    return last < 0 ? wrongExpectedVersion(stream, expected, last) : undefined;
  }
  return Number(expected) === last ? undefined : wrongExpectedVersion(stream, expected, last);
};

const metadataStreamOf = (stream: string): string => `$$${stream}`;

/** The metadata as EventStoreDB writes it in a `$metadata` event: `$`-keys beside the custom keys. */
const metadataEventData = (metadata: StreamMetadata): JsonValue => {
  const data: { [key: string]: JsonValue } = { ...(metadata.custom ?? {}) };
  if (metadata.maxAge !== undefined) data['$maxAge'] = metadata.maxAge;
  if (metadata.maxCount !== undefined) data['$maxCount'] = metadata.maxCount;
  // A JSON number, as EventStoreDB writes it; above 2^53 it is approximate in JavaScript.
  if (metadata.truncateBefore !== undefined) data['$tb'] = Number(metadata.truncateBefore);
  return data;
};

/** Validates metadata and returns a frozen normalised copy. */
const normaliseMetadata = (stream: string, metadata: unknown): E.Either<StoreError, StreamMetadata> => {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    return invalid(stream, 'metadata', 'must be an object');
  const m = metadata as Record<string, unknown>;
  const positiveInteger = (key: 'maxAge' | 'maxCount'): E.Either<StoreError, never> | undefined => {
    const v = m[key];
    return v === undefined || (typeof v === 'number' && Number.isSafeInteger(v) && v > 0)
      ? undefined
      : invalid(stream, `metadata.${key}`, 'must be a positive integer');
  };
  const badNumber = positiveInteger('maxAge') ?? positiveInteger('maxCount');
  if (badNumber !== undefined) return badNumber;
  const tb = m['truncateBefore'];
  if (tb !== undefined && (typeof tb !== 'bigint' || tb < 0n || tb > DELETED_STREAM_REVISION))
    return invalid(stream, 'metadata.truncateBefore', 'must be a revision >= 0');
  const custom = m['custom'];
  let customCopy: { [key: string]: JsonValue } | undefined;
  if (custom !== undefined) {
    if (typeof custom !== 'object' || custom === null || Array.isArray(custom))
      return invalid(stream, 'metadata.custom', 'must be an object');
    for (const key of Object.keys(custom)) {
      if (key.startsWith('$')) return invalid(stream, `metadata.custom.${key}`, 'keys starting with $ are reserved');
    }
    // Copied, so that freezing does not reach into an object the caller keeps using for settings.
    const copy = copyJson(custom, 0);
    if ('reason' in copy) return invalid(stream, faultPath('metadata.custom', copy), copy.reason);
    customCopy = copy.value as { [key: string]: JsonValue };
  }
  const out: {
    maxAge?: number;
    maxCount?: number;
    truncateBefore?: StreamRevision;
    custom?: { readonly [key: string]: JsonValue };
  } = {};
  if (m['maxAge'] !== undefined) out.maxAge = m['maxAge'] as number;
  if (m['maxCount'] !== undefined) out.maxCount = m['maxCount'] as number;
  if (tb !== undefined) out.truncateBefore = tb as StreamRevision;
  if (customCopy !== undefined) out.custom = customCopy;
  return E.right(Object.freeze(out));
};

const matchesFilter = (event: RecordedEvent, filter: AllFilter | undefined): boolean => {
  if (filter === undefined) return true;
  if (filter.excludeSystemEvents === true && event.isSystem) return false;
  const streams = filter.streamNamePrefixes;
  if (streams !== undefined && !streams.some((p) => event.streamName.startsWith(p))) return false;
  const types = filter.eventTypePrefixes;
  if (types !== undefined && !types.some((p) => event.type.startsWith(p))) return false;
  return true;
};

const nonNegativeCount = (maxCount: number | undefined): number =>
  maxCount === undefined || Number.isNaN(maxCount) ? Infinity : Math.max(0, Math.floor(maxCount));

/**
 * Returns an empty in-memory {@link EventStore} with EventStoreDB's semantics; never fails.
 *
 * Gotchas: appending deep-freezes the `data` and `metadata` objects you pass (the store keeps and
 * hands out those very objects, frozen, instead of copying them), even when the append then
 * fails; copy them first if you mean to mutate them. An empty `events` array is an
 * `InvalidAppend`. After `close()` every operation fails with `StoreUnavailable`.
 */
export const getInMemoryEventStore = (options?: InMemoryEventStoreOptions): EventStore => {
  const clock = options?.clock ?? systemClock;
  /** `$all`: the event at position p (commit = prepare = p) is `log[p - 1]`. */
  const log: RecordedEvent[] = [];
  /**
   * Each user stream's events by revision (hidden ones included): `events[r]` has revision `r`.
   * Only valid names get in, so an append to a stream found here needs no name check.
   */
  const streams = new Map<string, RecordedEvent[]>();
  /** The `$$stream` metadata streams, kept apart from user streams (see above). */
  const systemStreams = new Map<string, RecordedEvent[]>();
  /** Metadata, deletion and id-index state, for the (few) streams that have any. */
  const extras = new Map<string, StreamExtra>();
  /** Live subscriptions parked in `next()`, woken by the next write. */
  let wakers: Waker[] = [];
  const closers = new Set<() => void>();
  let closed = false;

  const unavailable = (): E.Either<StoreError, never> => E.left({ _tag: 'StoreUnavailable', reason: 'store closed' });

  const wake = (): void => {
    if (wakers.length === 0) return;
    const woken = wakers;
    wakers = [];
    for (const w of woken) w();
  };

  const eventsOf = (map: Map<string, RecordedEvent[]>, stream: string): RecordedEvent[] => {
    let events = map.get(stream);
    if (events === undefined) {
      events = [];
      map.set(stream, events);
    }
    return events;
  };

  const mapOf = (stream: string): Map<string, RecordedEvent[]> =>
    stream.charCodeAt(0) === 36 /* $ */ ? systemStreams : streams;

  const extraOf = (stream: string): StreamExtra => {
    let extra = extras.get(stream);
    if (extra === undefined) {
      extra = { metadata: undefined, tombstoned: false, recreatedAt: -1, ids: undefined };
      extras.set(stream, extra);
    }
    return extra;
  };

  /** The extra state of a stream, without a lookup while no stream has any. */
  const extraIfAny = (stream: string): StreamExtra | undefined => (extras.size === 0 ? undefined : extras.get(stream));

  /** Appends one stored event to its stream and to `$all`: the single write path. */
  const record = (
    events: RecordedEvent[] | undefined,
    extra: StreamExtra | undefined,
    streamName: string,
    id: string,
    type: string,
    revision: StreamRevision,
    data: JsonValue,
    metadata: JsonValue | undefined,
    recordedAt: number,
    isSystem: boolean,
  ): RecordedEvent => {
    const seq = BigInt(log.length + 1);
    const position: Position = Object.freeze({ commit: seq, prepare: seq });
    const event: RecordedEvent = Object.freeze({
      streamName,
      id,
      type,
      revision,
      position,
      data,
      metadata,
      recordedAt,
      isSystem,
    });
    log.push(event);
    if (events !== undefined) {
      const at = events.push(event) - 1;
      const ids = extra?.ids;
      if (ids !== undefined && !ids.has(id)) ids.set(id, at);
    }
    return event;
  };

  /** The revision of the first event with this id in the stream, or -1. */
  const findInStream = (stream: string, events: readonly RecordedEvent[], id: string): number => {
    const extra = extraOf(stream);
    let ids = extra.ids;
    if (ids === undefined) {
      // Built once per stream, then maintained by `record`: amortised constant work per event.
      ids = new Map();
      for (let r = 0; r < events.length; r++) {
        const eventId = (events[r] as RecordedEvent).id;
        if (!ids.has(eventId)) ids.set(eventId, r);
      }
      extra.ids = ids;
    }
    return ids.get(id) ?? -1;
  };

  /**
   * EventStoreDB's idempotent write: when the first event's id is already in the stream where this
   * append would have started, the append is a retry. Returns the original result, a
   * WrongExpectedVersion for a partial overlap, or undefined when it is not a retry.
   * Exact and `no_stream` retries are checked by position (constant work); `any` and
   * `stream_exists` look the id up in the stream's id index.
   */
  const checkRetry = (
    stream: string,
    events: readonly RecordedEvent[],
    extra: StreamExtra | undefined,
    ids: readonly (string | undefined)[],
    expected: ExpectedRevision,
  ): E.Either<StoreError, AppendResult> | undefined => {
    const firstId = ids[0];
    if (firstId === undefined) return undefined;
    const recreatedAt = extra?.recreatedAt ?? -1;
    let start: number;
    if (typeof expected === 'bigint') {
      start = Number(expected) + 1;
      if (events[start]?.id !== firstId) return undefined;
    } else if (expected === 'no_stream') {
      if (events[0]?.id === firstId) start = 0;
      else if (recreatedAt >= 0 && events[recreatedAt]?.id === firstId) start = recreatedAt;
      else return undefined;
    } else {
      start = findInStream(stream, events, firstId);
      if (start < 0) return undefined;
    }
    let last = events[start] as RecordedEvent;
    for (let i = 1; i < ids.length; i++) {
      const stored = events[start + i];
      if (stored === undefined || stored.id !== ids[i]) return wrongExpectedVersion(stream, expected, events.length - 1);
      last = stored;
    }
    return E.right({ nextExpectedRevision: last.revision, position: last.position });
  };

  /** Writes `metadata` as a `$metadata` event to `$$stream` and makes it the stream's metadata. */
  const writeMetadata = (stream: string, metadata: StreamMetadata, now: number): RecordedEvent => {
    const metaName = metadataStreamOf(stream);
    const metaEvents = eventsOf(systemStreams, metaName);
    const event = record(
      metaEvents,
      extras.get(metaName),
      metaName,
      randomEventId(),
      METADATA_EVENT,
      revisionOf(metaEvents.length),
      Object.freeze(metadataEventData(metadata)),
      undefined,
      now,
      true,
    );
    extraOf(stream).metadata = metadata;
    return event;
  };

  const appendToStream = async (
    stream: string,
    events: readonly EventData[],
    appendOptions?: AppendOptions,
  ): StoreResult<AppendResult> => {
    try {
      if (closed) return unavailable();
      const existing = streams.get(stream);
      if (existing === undefined) {
        const badName = checkStreamName(stream);
        if (badName !== undefined) return badName;
      }
      const expected = appendOptions?.expectedRevision ?? 'any';
      const badExpected = checkExpectedRevision(stream, expected);
      if (badExpected !== undefined) return badExpected;
      if (!Array.isArray(events)) return invalid(stream, 'events', 'must be an array');
      const count = events.length;
      if (count === 0) return invalid(stream, 'events', 'must contain at least one event');

      // Validate (and freeze) every event before touching the store: an append is all or nothing.
      let ids: (string | undefined)[] | undefined;
      for (let i = 0; i < count; i++) {
        const event = events[i] as unknown;
        if (typeof event !== 'object' || event === null) return invalid(stream, `events[${i}]`, 'must be an object');
        const { id, type, data, metadata } = event as EventData;
        if (typeof type !== 'string' || type.length === 0)
          return invalid(stream, `events[${i}].type`, 'must be a non-empty string');
        if (id !== undefined) {
          if (typeof id !== 'string' || !UUID.test(id)) return invalid(stream, `events[${i}].id`, 'must be a uuid');
          ids ??= new Array<string | undefined>(count);
          ids[i] = id.toLowerCase();
        }
        if (data === undefined) return invalid(stream, `events[${i}].data`, 'is undefined, which JSON cannot carry');
        const dataFault = freezeJson(data, 0);
        if (dataFault !== undefined) return invalid(stream, faultPath(`events[${i}].data`, dataFault), dataFault.reason);
        if (metadata !== undefined) {
          const metaFault = freezeJson(metadata, 0);
          if (metaFault !== undefined)
            return invalid(stream, faultPath(`events[${i}].metadata`, metaFault), metaFault.reason);
        }
      }

      let extra = extraIfAny(stream);
      if (extra?.tombstoned === true) return streamDeleted(stream);
      if (ids !== undefined && existing !== undefined && existing.length > 0) {
        const retry = checkRetry(stream, existing, extra, ids, expected);
        if (retry !== undefined) return retry;
        // The check may have built the stream's id index, which `record` must now keep up to date.
        extra = extraIfAny(stream);
      }
      const conflict = checkExpected(stream, existing, extra, expected);
      if (conflict !== undefined) return conflict;

      let stored = existing;
      if (stored === undefined) {
        // A new stream: `existing` was the lookup, so no second one.
        stored = [];
        streams.set(stream, stored);
      }
      const recreating = isSoftDeleted(extra);
      const now = clock.now();
      let revision = stored.length;
      let last: RecordedEvent | undefined;
      for (let i = 0; i < count; i++) {
        const event = events[i] as EventData;
        last = record(
          stored,
          extra,
          stream,
          ids?.[i] ?? randomEventId(),
          event.type,
          revisionOf(revision++),
          event.data,
          event.metadata,
          now,
          false,
        );
      }
      if (recreating && extra !== undefined) {
        // EventStoreDB recreates a soft-deleted stream on the next write: it rewrites `$tb` to the
        // first new revision, keeping the rest of the metadata.
        const firstNew = stored.length - count;
        extra.recreatedAt = firstNew;
        writeMetadata(stream, Object.freeze({ ...extra.metadata, truncateBefore: BigInt(firstNew) }), now);
      }
      wake();
      const lastEvent = last as RecordedEvent;
      return E.right({ nextExpectedRevision: lastEvent.revision, position: lastEvent.position });
    } catch (error) {
      return E.left({ _tag: 'StoreUnavailable', reason: `unexpected failure in appendToStream: ${describe(error)}` });
    }
  };

  /** The first revision a stream read may show, after `$tb`, `$maxCount` (and soft delete). */
  const firstVisible = (events: readonly RecordedEvent[], metadata: StreamMetadata | undefined): number => {
    const last = events.length - 1;
    if (metadata === undefined) return 0;
    let first = 0;
    if (metadata.truncateBefore !== undefined) first = Math.max(first, Number(metadata.truncateBefore));
    if (metadata.maxCount !== undefined) first = Math.max(first, last + 1 - metadata.maxCount);
    return first;
  };

  const readStream = async (
    stream: string,
    readOptions?: ReadStreamOptions,
  ): StoreResult<readonly RecordedEvent[]> => {
    try {
      if (closed) return unavailable();
      const extra = extraIfAny(stream);
      if (extra?.tombstoned === true) return streamDeleted(stream);
      const events = mapOf(stream).get(stream);
      if (events === undefined || events.length === 0 || isSoftDeleted(extra)) return streamNotFound(stream);
      const direction = readOptions?.direction ?? 'forwards';
      const maxCount = nonNegativeCount(readOptions?.maxCount);
      const from = readOptions?.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
      const lo = firstVisible(events, extra?.metadata);
      const hi = events.length - 1;
      const maxAge = extra?.metadata?.maxAge;
      const oldest = maxAge === undefined ? -Infinity : clock.now() - maxAge * 1000;
      const out: RecordedEvent[] = [];
      if (direction === 'forwards') {
        const start = Math.max(lo, from === 'start' ? 0 : from === 'end' ? hi + 1 : clampRevision(from));
        if (maxAge === undefined) return E.right(events.slice(start, Math.min(hi + 1, start + maxCount)));
        for (let r = start; r <= hi && out.length < maxCount; r++) {
          const e = events[r] as RecordedEvent;
          if (e.recordedAt >= oldest) out.push(e);
        }
      } else {
        const start = Math.min(hi, from === 'start' ? -1 : from === 'end' ? hi : clampRevision(from));
        for (let r = start; r >= lo && out.length < maxCount; r--) {
          const e = events[r] as RecordedEvent;
          if (e.recordedAt >= oldest) out.push(e);
        }
      }
      return E.right(out);
    } catch (error) {
      return E.left({ _tag: 'StoreUnavailable', reason: `unexpected failure in readStream: ${describe(error)}` });
    }
  };

  /** The index in `log` of a position: exact for positions this store handed out. */
  const indexOf = (position: Position): number => clampRevision(position.commit) - 1;

  const readAll = async (readOptions?: ReadAllOptions): StoreResult<readonly RecordedEvent[]> => {
    try {
      if (closed) return unavailable();
      const direction = readOptions?.direction ?? 'forwards';
      const maxCount = nonNegativeCount(readOptions?.maxCount);
      const from = readOptions?.fromPosition ?? (direction === 'forwards' ? 'start' : 'end');
      const filter = readOptions?.filter;
      const out: RecordedEvent[] = [];
      if (direction === 'forwards') {
        const start = from === 'start' ? 0 : from === 'end' ? log.length : Math.max(0, indexOf(from));
        if (filter === undefined) return E.right(log.slice(start, maxCount === Infinity ? undefined : start + maxCount));
        for (let i = start; i < log.length && out.length < maxCount; i++) {
          const e = log[i] as RecordedEvent;
          if (matchesFilter(e, filter)) out.push(e);
        }
      } else {
        // Backwards from a position is exclusive, as in EventStoreDB: the records before it.
        const start = from === 'start' ? -1 : from === 'end' ? log.length - 1 : Math.min(log.length - 1, indexOf(from) - 1);
        for (let i = start; i >= 0 && out.length < maxCount; i--) {
          const e = log[i] as RecordedEvent;
          if (matchesFilter(e, filter)) out.push(e);
        }
      }
      return E.right(out);
    } catch (error) {
      return E.left({ _tag: 'StoreUnavailable', reason: `unexpected failure in readAll: ${describe(error)}` });
    }
  };

  const subscribeToAll = (subscribeOptions?: SubscribeToAllOptions): AllSubscription => {
    const from = subscribeOptions?.from ?? 'start';
    const filter = subscribeOptions?.filter;
    // Exclusive of `from`: the event at position p sits at log[p - 1], so the next one is log[p].
    let next = from === 'start' ? 0 : from === 'end' ? log.length : Math.max(0, clampRevision(from.commit));
    const backlogEnd = log.length;
    let ended = closed;
    let resolveCaughtUp: () => void = () => undefined;
    let isCaughtUp = false;
    const caughtUp = new Promise<void>((resolve) => {
      resolveCaughtUp = resolve;
    });
    const markCaughtUp = (): void => {
      if (isCaughtUp) return;
      isCaughtUp = true;
      resolveCaughtUp();
    };
    let parked: Waker | undefined;
    const end = (): void => {
      if (ended) return;
      ended = true;
      closers.delete(end);
      // A subscription ended before it caught up will never catch up: do not leave awaiters hanging.
      markCaughtUp();
      const w = parked;
      parked = undefined;
      if (w !== undefined) {
        wakers = wakers.filter((x) => x !== w);
        w();
      }
    };
    if (ended) markCaughtUp();
    else closers.add(end);
    if (next >= backlogEnd) markCaughtUp();

    const nextEvent = async (): Promise<IteratorResult<RecordedEvent, undefined>> => {
      for (;;) {
        if (ended) return DONE;
        while (next < log.length) {
          const e = log[next++] as RecordedEvent;
          if (matchesFilter(e, filter)) return { done: false, value: e };
        }
        if (next >= backlogEnd) markCaughtUp();
        await new Promise<void>((resolve) => {
          const w: Waker = () => {
            if (parked === w) parked = undefined;
            resolve();
          };
          parked = w;
          wakers.push(w);
        });
      }
    };

    const unsubscribe = async (): Promise<void> => {
      end();
    };
    const iterator: AsyncIterator<RecordedEvent, undefined> = {
      next: nextEvent,
      return: async () => {
        end();
        return DONE;
      },
    };
    return {
      caughtUp,
      unsubscribe,
      [Symbol.asyncIterator]: () => iterator,
    };
  };

  const deleteStream = async (stream: string, deleteOptions?: AppendOptions): StoreResult<DeleteResult> => {
    try {
      if (closed) return unavailable();
      const badName = checkStreamName(stream);
      if (badName !== undefined) return badName;
      const expected = deleteOptions?.expectedRevision ?? 'any';
      const badExpected = checkExpectedRevision(stream, expected);
      if (badExpected !== undefined) return badExpected;
      const extra = extras.get(stream);
      if (extra?.tombstoned === true) return streamDeleted(stream);
      const conflict = checkExpected(stream, streams.get(stream), extra, expected);
      if (conflict !== undefined) return conflict;
      // EventStoreDB's soft delete is a metadata write: `$tb` = long.MaxValue, other settings kept.
      const event = writeMetadata(
        stream,
        Object.freeze({ ...extra?.metadata, truncateBefore: DELETED_STREAM_REVISION }),
        clock.now(),
      );
      wake();
      return E.right({ position: event.position });
    } catch (error) {
      return E.left({ _tag: 'StoreUnavailable', reason: `unexpected failure in deleteStream: ${describe(error)}` });
    }
  };

  const tombstoneStream = async (stream: string, deleteOptions?: AppendOptions): StoreResult<DeleteResult> => {
    try {
      if (closed) return unavailable();
      const badName = checkStreamName(stream);
      if (badName !== undefined) return badName;
      const expected = deleteOptions?.expectedRevision ?? 'any';
      const badExpected = checkExpectedRevision(stream, expected);
      if (badExpected !== undefined) return badExpected;
      const extra = extras.get(stream);
      if (extra?.tombstoned === true) return streamDeleted(stream);
      const conflict = checkExpected(stream, streams.get(stream), extra, expected);
      if (conflict !== undefined) return conflict;
      // The tombstone goes to $all only: its revision (long.MaxValue) is no index in the stream.
      const event = record(
        undefined,
        undefined,
        stream,
        randomEventId(),
        TOMBSTONE_EVENT,
        DELETED_STREAM_REVISION,
        Object.freeze({}),
        undefined,
        clock.now(),
        true,
      );
      extraOf(stream).tombstoned = true;
      extraOf(metadataStreamOf(stream)).tombstoned = true;
      wake();
      return E.right({ position: event.position });
    } catch (error) {
      return E.left({ _tag: 'StoreUnavailable', reason: `unexpected failure in tombstoneStream: ${describe(error)}` });
    }
  };

  const setStreamMetadata = async (
    stream: string,
    metadata: StreamMetadata,
    metaOptions?: AppendOptions,
  ): StoreResult<AppendResult> => {
    try {
      if (closed) return unavailable();
      const badName = checkStreamName(stream);
      if (badName !== undefined) return badName;
      const expected = metaOptions?.expectedRevision ?? 'any';
      const badExpected = checkExpectedRevision(stream, expected);
      if (badExpected !== undefined) return badExpected;
      const normalised = normaliseMetadata(stream, metadata);
      if (E.isLeft(normalised)) return normalised;
      if (extras.get(stream)?.tombstoned === true) return streamDeleted(stream);
      const metaName = metadataStreamOf(stream);
      // The metadata stream is never soft-deleted itself, so its expected-revision check is plain.
      const conflict = checkExpected(metaName, systemStreams.get(metaName), undefined, expected);
      if (conflict !== undefined) return conflict;
      const event = writeMetadata(stream, normalised.right, clock.now());
      wake();
      return E.right({ nextExpectedRevision: event.revision, position: event.position });
    } catch (error) {
      return E.left({ _tag: 'StoreUnavailable', reason: `unexpected failure in setStreamMetadata: ${describe(error)}` });
    }
  };

  const getStreamMetadata = async (stream: string): StoreResult<StreamMetadataResult> => {
    try {
      if (closed) return unavailable();
      const extra = extras.get(stream);
      if (extra?.tombstoned === true) return streamDeleted(stream);
      const metaEvents = systemStreams.get(metadataStreamOf(stream));
      const lastMeta = metaEvents?.[metaEvents.length - 1];
      return E.right({
        streamName: stream,
        metaRevision: lastMeta === undefined ? 'no_stream' : lastMeta.revision,
        metadata: extra?.metadata ?? EMPTY_METADATA,
      });
    } catch (error) {
      return E.left({ _tag: 'StoreUnavailable', reason: `unexpected failure in getStreamMetadata: ${describe(error)}` });
    }
  };

  const close = async (): Promise<void> => {
    closed = true;
    for (const end of [...closers]) end();
  };

  return {
    appendToStream,
    readStream,
    readAll,
    subscribeToAll,
    deleteStream,
    tombstoneStream,
    setStreamMetadata,
    getStreamMetadata,
    close,
  };
};

/** A revision or position as an array index, clamped to the safe integer range. */
const clampRevision = (value: bigint): number =>
  value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : value < 0n ? 0 : Number(value);

/** A short description of an unexpected error: its name, never a payload. */
const describe = (error: unknown): string => (error instanceof Error ? error.name : typeof error);
