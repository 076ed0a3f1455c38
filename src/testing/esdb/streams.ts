/**
 * The storage engine behind the EventStoreDB test server: one in-memory log with EventStoreDB's
 * rules for expected revisions, idempotent retries, soft delete, tombstones, stream metadata
 * (`$tb`, `$maxCount`, `$maxAge`) and scavenging. It knows nothing of gRPC; `server.ts` maps the
 * wire protocol onto it.
 *
 * The write-side checks follow EventStoreDB's `IndexWriter.CheckCommit` and
 * `StorageWriterService` step by step (expected versions as EventStoreDB's `long` codes: any = -2,
 * no_stream = -1, stream_exists = -4), so that a test which passes here passes against a real node.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../time/clock.js';

/** EventStoreDB's `EventNumber.DeletedStream` (long.MaxValue): the tombstone's revision and the `$tb` of a soft-deleted stream. */
export const DELETED_STREAM_REVISION = 9223372036854775807n;

/** .NET ticks (100 ns) per millisecond: `created` travels as ticks since the Unix epoch. */
export const TICKS_PER_MILLISECOND = 10_000n;

/** The `long` codes EventStoreDB uses for expected versions on the wire (e.g. in `expected-version` trailers). */
export const EXPECTED_VERSION_CODE: {
  /** `ExpectedVersion.Any`. */
  readonly any: -2n;
  /** `ExpectedVersion.NoStream`. */
  readonly no_stream: -1n;
  /** `ExpectedVersion.StreamExists`. */
  readonly stream_exists: -4n;
} = { any: -2n, no_stream: -1n, stream_exists: -4n };

// Metastreams keep one event by default (EventStoreDB's MetastreamMaxCount).
const METASTREAM_MAX_COUNT = 1;
// The log does not start at 0 on a real node either (chunk header, epoch records); starting
// higher keeps "subscribe from position 0 (exclusive)" from ever skipping a user event.
const FIRST_POSITION = 128n;
// Fixed part of a record's size in the synthetic byte-offset positions.
const RECORD_OVERHEAD = 88;

/** What a writer expects of a stream before writing (the same four kinds as the wire protocol). */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** An event as proposed by a client. */
export interface ProposedEvent {
  /** Event id (uuid, lower case). */
  readonly id: string;
  /** Event type. */
  readonly type: string;
  /** `application/json` or `application/octet-stream`. */
  readonly contentType: string;
  /** Payload bytes. */
  readonly data: Uint8Array;
  /** Custom metadata bytes (empty when none). */
  readonly metadata: Uint8Array;
}

/** An event as recorded in the log (never mutated; scavenging drops whole records). */
export interface StoredEvent extends ProposedEvent {
  /** The stream it belongs to. */
  readonly streamName: string;
  /** Its revision in the stream ({@link DELETED_STREAM_REVISION} for a tombstone). */
  readonly revision: bigint;
  /** Commit and prepare position (the same value): a byte-offset-like counter that only grows. */
  readonly position: bigint;
  /** .NET ticks since the Unix epoch, from the engine's clock. */
  readonly created: bigint;
}

/** Outcome of an append. `currentRevision` is -1n for "no stream". */
export type AppendOutcome =
  | {
      /** Discriminant. */
      readonly _tag: 'Appended';
      /** The stream's last revision after the append, -1n for "no stream". */
      readonly currentRevision: bigint;
      /** Position of the last event written (or, for an idempotent retry, of the original last event); undefined when nothing was written. */
      readonly position: bigint | undefined;
      /** Events this call wrote: 0 for an idempotent retry. */
      readonly written: number;
    }
  | WrongExpectedVersionOutcome
  | StreamDeletedOutcome;

/** The expected revision did not hold. */
export interface WrongExpectedVersionOutcome {
  /** Discriminant. */
  readonly _tag: 'WrongExpectedVersion';
  /** The stream's last revision, -1n for "no stream". */
  readonly currentRevision: bigint;
}

/** The stream is tombstoned (or soft-deleted, for `stream_exists`). */
export interface StreamDeletedOutcome {
  /** Discriminant. */
  readonly _tag: 'StreamDeleted';
}

/** Outcome of a soft delete or tombstone. */
export type DeleteOutcome =
  | {
      /** Discriminant. */
      readonly _tag: 'Deleted';
      /** Position of the `$metadata` (soft delete) or `$streamDeleted` (tombstone) record. */
      readonly position: bigint;
    }
  | WrongExpectedVersionOutcome
  | StreamDeletedOutcome;

/** Outcome of a stream read. */
export type ReadStreamOutcome =
  | {
      /** Discriminant. */
      readonly _tag: 'Events';
      /** The events read, in read order. */
      readonly events: readonly StoredEvent[];
    }
  | {
      /** Discriminant: absent or soft-deleted. */
      readonly _tag: 'StreamNotFound';
    }
  | StreamDeletedOutcome;

/** Where a read starts: the first/last record, or a revision (stream reads) / position (`$all` reads). */
export type ReadFrom = 'start' | 'end' | bigint;

/** Options of a read. */
export interface ReadOptions {
  /** Read direction. */
  readonly direction: 'forwards' | 'backwards';
  /** Where to start. */
  readonly from: ReadFrom;
  /** At most this many events. */
  readonly maxCount: number;
}

/** The in-memory EventStoreDB log. Every operation is synchronous, so each one is atomic. */
export interface EsdbStorage {
  /** Appends `events` if `expected` holds (with EventStoreDB's idempotency by event id). */
  readonly append: (
    streamName: string,
    expected: ExpectedRevision,
    events: readonly ProposedEvent[],
  ) => AppendOutcome;
  /** Soft-deletes (`$tb` = long.MaxValue in `$$stream`) or tombstones (`$streamDeleted`) a stream. */
  readonly deleteStream: (
    streamName: string,
    expected: ExpectedRevision,
    mode: 'soft' | 'tombstone',
  ) => DeleteOutcome;
  /** Reads a stream, hiding what `$tb`, `$maxCount` and `$maxAge` hide. `from` is inclusive. */
  readonly readStream: (streamName: string, options: ReadOptions) => ReadStreamOutcome;
  /** Reads `$all` (nothing hidden). Forwards from a position is inclusive, backwards exclusive. */
  readonly readAll: (
    options: ReadOptions,
    filter?: (event: StoredEvent) => boolean,
  ) => readonly StoredEvent[];
  /** Up to `limit` events of a stream with a revision above `afterRevision`, optionally only the visible ones. */
  readonly streamEventsAfter: (
    streamName: string,
    afterRevision: bigint,
    limit: number,
    visibleOnly: boolean,
  ) => readonly StoredEvent[];
  /** Up to `limit` records of `$all` with a position above `afterPosition`. */
  readonly allEventsAfter: (afterPosition: bigint, limit: number) => readonly StoredEvent[];
  /** The stream's last revision: -1n if it has none, {@link DELETED_STREAM_REVISION} if tombstoned. */
  readonly lastRevision: (streamName: string) => bigint;
  /** Position of the last record in the log, or -1n when the log is empty. */
  readonly headPosition: () => bigint;
  /** Number of records in the log (after scavenges). */
  readonly size: () => number;
  /** Calls `listener` after every write; returns the function that removes it. */
  readonly onWrite: (listener: () => void) => () => void;
  /** Drops the records stream reads can no longer see, keeping each stream's last event. */
  readonly scavenge: () => ScavengeOutcome;
}

/** What a scavenge removed. */
export interface ScavengeOutcome {
  /** Records physically removed from the log. */
  readonly removed: number;
}

interface StreamState {
  readonly events: StoredEvent[]; // by revision, ascending
  lastRevision: bigint; // -1n none, DELETED_STREAM_REVISION tombstoned
}

/** The parts of stream metadata that hide events. */
export interface StreamMetadataRules {
  /** `$tb`: revisions below it are hidden (long.MaxValue: soft-deleted). */
  readonly truncateBefore?: bigint;
  /** `$maxCount`: only the newest N revisions are visible. */
  readonly maxCount?: number;
  /** `$maxAge`, in seconds: older events are hidden. */
  readonly maxAge?: number;
}

interface Visibility {
  readonly minRevision: bigint;
  readonly minCreated: bigint | undefined;
}

type CommitCheck =
  | { readonly decision: 'Ok'; readonly current: bigint; readonly softDeleted: boolean }
  | {
      readonly decision: 'Idempotent';
      readonly current: bigint;
      readonly start: bigint;
      readonly end: bigint;
    }
  | { readonly decision: 'WrongExpectedVersion'; readonly current: bigint }
  | { readonly decision: 'Deleted'; readonly current: bigint };

const isMetastream = (streamName: string): boolean => streamName.startsWith('$$');
const metastreamOf = (streamName: string): string => `$$${streamName}`;
const originalStreamOf = (metastreamName: string): string => metastreamName.slice(2);

const toCode = (expected: ExpectedRevision): bigint =>
  typeof expected === 'bigint' ? expected : EXPECTED_VERSION_CODE[expected];

const maxBigInt = (a: bigint, b: bigint): bigint => (a > b ? a : b);

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * Reads `$tb`, `$maxCount` and `$maxAge` from a `$metadata` event's JSON. `$tb` of a soft delete
 * is long.MaxValue, which JSON.parse rounds; the digits are taken from the text instead.
 */
export const parseStreamMetadata = (data: Uint8Array): StreamMetadataRules => {
  let text: string;
  let parsed: unknown;
  try {
    text = utf8.decode(data);
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  const record = parsed as Record<string, unknown>;
  const rules: { truncateBefore?: bigint; maxCount?: number; maxAge?: number } = {};
  const tb = record['$tb'];
  if (typeof tb === 'number' && tb >= 0 && Number.isInteger(tb)) {
    if (Number.isSafeInteger(tb)) rules.truncateBefore = BigInt(tb);
    else {
      const digits = /"\$tb"\s*:\s*(\d+)/.exec(text)?.[1];
      const exact = digits === undefined ? BigInt(tb) : BigInt(digits);
      rules.truncateBefore = exact > DELETED_STREAM_REVISION ? DELETED_STREAM_REVISION : exact;
    }
  }
  const maxCount = record['$maxCount'];
  if (typeof maxCount === 'number' && Number.isSafeInteger(maxCount) && maxCount > 0) {
    rules.maxCount = maxCount;
  }
  const maxAge = record['$maxAge'];
  if (typeof maxAge === 'number' && Number.isSafeInteger(maxAge) && maxAge > 0) {
    rules.maxAge = maxAge;
  }
  return rules;
};

/** Index of the first element for which `isAtOrAfter` holds (elements are sorted so it flips once). */
const lowerBound = <A>(items: readonly A[], isAtOrAfter: (item: A) => boolean): number => {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isAtOrAfter(items[mid] as A)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};

const encodeJson = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');

/** Creates an empty log whose `created` stamps and `$maxAge` checks read `clock`. */
export const createEsdbStorage = (clock: Clock): EsdbStorage => {
  let log: StoredEvent[] = [];
  const streams = new Map<string, StreamState>();
  const byEventId = new Map<string, StoredEvent>();
  const listeners = new Set<() => void>();
  let nextPosition = FIRST_POSITION;

  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };

  const streamOf = (streamName: string): StreamState => {
    let state = streams.get(streamName);
    if (state === undefined) {
      state = { events: [], lastRevision: -1n };
      streams.set(streamName, state);
    }
    return state;
  };

  const lastEventNumber = (streamName: string): bigint => {
    // A tombstoned stream takes its metastream with it.
    if (
      isMetastream(streamName) &&
      lastEventNumber(originalStreamOf(streamName)) === DELETED_STREAM_REVISION
    ) {
      return DELETED_STREAM_REVISION;
    }
    return streams.get(streamName)?.lastRevision ?? -1n;
  };

  const metadataCache = new Map<string, { readonly from: StoredEvent; readonly rules: StreamMetadataRules }>();
  const metadataOf = (streamName: string): StreamMetadataRules => {
    if (isMetastream(streamName)) return { maxCount: METASTREAM_MAX_COUNT };
    const meta = streams.get(metastreamOf(streamName));
    const last = meta?.events[meta.events.length - 1];
    if (last === undefined) return {};
    const cached = metadataCache.get(streamName);
    if (cached?.from === last) return cached.rules;
    const rules = parseStreamMetadata(last.data);
    metadataCache.set(streamName, { from: last, rules });
    return rules;
  };

  const isSoftDeleted = (streamName: string): boolean =>
    metadataOf(streamName).truncateBefore === DELETED_STREAM_REVISION;

  const visibilityOf = (streamName: string): Visibility => {
    const rules = metadataOf(streamName);
    const last = streams.get(streamName)?.lastRevision ?? -1n;
    let minRevision = 0n;
    if (rules.truncateBefore !== undefined) minRevision = maxBigInt(minRevision, rules.truncateBefore);
    if (rules.maxCount !== undefined) {
      minRevision = maxBigInt(minRevision, last - BigInt(rules.maxCount) + 1n);
    }
    const minCreated =
      rules.maxAge === undefined
        ? undefined
        : (BigInt(Math.trunc(clock.now())) - BigInt(rules.maxAge) * 1000n) * TICKS_PER_MILLISECOND;
    return { minRevision, minCreated };
  };

  const isVisible = (event: StoredEvent, visibility: Visibility): boolean =>
    event.revision >= visibility.minRevision &&
    (visibility.minCreated === undefined || event.created >= visibility.minCreated);

  const eventAt = (streamName: string, revision: bigint): StoredEvent | undefined => {
    const events = streams.get(streamName)?.events ?? [];
    const event = events[lowerBound(events, (e) => e.revision >= revision)];
    return event?.revision === revision ? event : undefined;
  };

  // EventStoreDB's IndexWriter.CheckCommit, including its idempotency rules.
  const checkCommit = (
    streamName: string,
    expected: ExpectedRevision,
    eventIds: readonly string[],
  ): CommitCheck => {
    const expectedVersion = toCode(expected);
    const current = lastEventNumber(streamName);
    if (current === DELETED_STREAM_REVISION) return { decision: 'Deleted', current };

    if (expected === 'stream_exists') {
      if (isSoftDeleted(streamName)) return { decision: 'Deleted', current };
      // A stream that only has metadata "exists" for this check.
      if (current < 0n && lastEventNumber(metastreamOf(streamName)) < 0n) {
        return { decision: 'WrongExpectedVersion', current };
      }
    }

    if (expected === 'any' || expected === 'stream_exists') {
      let start: bigint | undefined;
      let end = -1n;
      for (const id of eventIds) {
        const known = byEventId.get(id);
        if (known === undefined || known.streamName !== streamName) {
          return start === undefined
            ? { decision: 'Ok', current, softDeleted: isSoftDeleted(streamName) }
            : { decision: 'WrongExpectedVersion', current }; // corrupted idempotency
        }
        start ??= known.revision;
        end = known.revision;
      }
      return start === undefined
        ? { decision: 'Ok', current, softDeleted: isSoftDeleted(streamName) }
        : { decision: 'Idempotent', current, start, end };
    }

    if (expectedVersion < current) {
      let eventNumber = expectedVersion;
      for (const id of eventIds) {
        eventNumber += 1n;
        const known = byEventId.get(id);
        if (known?.streamName === streamName && known.revision === eventNumber) continue;
        if (eventAt(streamName, eventNumber)?.id === id) continue;
        if (eventNumber !== expectedVersion + 1n) return { decision: 'WrongExpectedVersion', current };
        // no_stream recreates a soft-deleted stream.
        if (expected === 'no_stream' && isSoftDeleted(streamName)) {
          return { decision: 'Ok', current, softDeleted: true };
        }
        return { decision: 'WrongExpectedVersion', current };
      }
      return eventNumber === expectedVersion
        ? { decision: 'WrongExpectedVersion', current }
        : { decision: 'Idempotent', current, start: expectedVersion + 1n, end: eventNumber };
    }

    if (expectedVersion > current) return { decision: 'WrongExpectedVersion', current };
    return { decision: 'Ok', current, softDeleted: isSoftDeleted(streamName) };
  };

  const writeRecord = (streamName: string, revision: bigint, proposed: ProposedEvent): StoredEvent => {
    const record: StoredEvent = Object.freeze({
      streamName,
      revision,
      position: nextPosition,
      created: BigInt(Math.trunc(clock.now())) * TICKS_PER_MILLISECOND,
      id: proposed.id,
      type: proposed.type,
      contentType: proposed.contentType,
      data: proposed.data.slice(),
      metadata: proposed.metadata.slice(),
    });
    nextPosition += BigInt(
      RECORD_OVERHEAD +
        utf8Length(streamName) +
        utf8Length(proposed.type) +
        proposed.data.byteLength +
        proposed.metadata.byteLength,
    );
    const state = streamOf(streamName);
    state.events.push(record);
    state.lastRevision = revision;
    log.push(record);
    byEventId.set(record.id, record);
    return record;
  };

  const metadataEvent = (data: Uint8Array): ProposedEvent => ({
    id: randomUUID(),
    type: '$metadata',
    contentType: 'application/json',
    data,
    metadata: new Uint8Array(),
  });

  // StorageWriterService.SoftUndeleteStream: rewrite the metadata with $tb = recreateFrom.
  const softUndeleteStream = (streamName: string, recreateFrom: bigint): void => {
    const metastream = metastreamOf(streamName);
    const meta = streams.get(metastream);
    const raw = meta?.events[meta.events.length - 1];
    if (meta === undefined || raw === undefined) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(utf8.decode(raw.data));
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return;
    const updated = { ...(parsed as Record<string, unknown>), $tb: Number(recreateFrom) };
    writeRecord(metastream, meta.lastRevision + 1n, metadataEvent(encodeJson(updated)));
  };

  const append: EsdbStorage['append'] = (streamName, expected, events) => {
    const check = checkCommit(
      streamName,
      expected,
      events.map((e) => e.id),
    );
    switch (check.decision) {
      case 'Deleted':
        return { _tag: 'StreamDeleted' };
      case 'WrongExpectedVersion':
        return { _tag: 'WrongExpectedVersion', currentRevision: check.current };
      case 'Idempotent':
        return {
          _tag: 'Appended',
          currentRevision: check.end,
          position: eventAt(streamName, check.end)?.position,
          written: 0,
        };
      case 'Ok': {
        const undeleteOriginal =
          isMetastream(streamName) && isSoftDeleted(originalStreamOf(streamName));
        let revision = check.current;
        let last: StoredEvent | undefined;
        for (const event of events) {
          revision += 1n;
          last = writeRecord(streamName, revision, event);
        }
        if (check.softDeleted) softUndeleteStream(streamName, check.current + 1n);
        if (undeleteOriginal) {
          const original = originalStreamOf(streamName);
          softUndeleteStream(original, lastEventNumber(original) + 1n);
        }
        notify();
        return {
          _tag: 'Appended',
          currentRevision: revision,
          position: last?.position,
          written: events.length,
        };
      }
    }
  };

  const deleteStream: EsdbStorage['deleteStream'] = (streamName, expected, mode) => {
    const check = checkCommit(streamName, expected, [randomUUID()]);
    switch (check.decision) {
      case 'Deleted':
        return { _tag: 'StreamDeleted' };
      case 'WrongExpectedVersion':
      case 'Idempotent': // cannot happen with a fresh event id
        return { _tag: 'WrongExpectedVersion', currentRevision: check.current };
      case 'Ok': {
        const record =
          mode === 'tombstone'
            ? writeRecord(streamName, DELETED_STREAM_REVISION, {
                id: randomUUID(),
                type: '$streamDeleted',
                contentType: 'application/octet-stream',
                data: new Uint8Array(),
                metadata: new Uint8Array(),
              })
            : writeRecord(
                metastreamOf(streamName),
                lastEventNumber(metastreamOf(streamName)) + 1n,
                // The soft delete replaces the metadata: {"$tb": long.MaxValue}, nothing else.
                metadataEvent(Buffer.from(`{"$tb":${DELETED_STREAM_REVISION.toString()}}`, 'utf8')),
              );
        notify();
        return { _tag: 'Deleted', position: record.position };
      }
    }
  };

  const readStream: EsdbStorage['readStream'] = (streamName, { direction, from, maxCount }) => {
    const last = lastEventNumber(streamName);
    if (last === DELETED_STREAM_REVISION) return { _tag: 'StreamDeleted' };
    if (last < 0n || isSoftDeleted(streamName)) return { _tag: 'StreamNotFound' };
    const events = streams.get(streamName)?.events ?? [];
    const visibility = visibilityOf(streamName);
    const out: StoredEvent[] = [];
    if (direction === 'forwards') {
      const start = from === 'start' ? 0n : from === 'end' ? last + 1n : from;
      const firstRevision = maxBigInt(start, visibility.minRevision);
      for (
        let i = lowerBound(events, (e) => e.revision >= firstRevision);
        i < events.length && out.length < maxCount;
        i += 1
      ) {
        const event = events[i] as StoredEvent;
        if (isVisible(event, visibility)) out.push(event);
      }
    } else {
      const start = from === 'start' ? -1n : from === 'end' ? last : from;
      for (
        let i = lowerBound(events, (e) => e.revision > start) - 1;
        i >= 0 && out.length < maxCount;
        i -= 1
      ) {
        const event = events[i] as StoredEvent;
        if (event.revision < visibility.minRevision) break;
        if (isVisible(event, visibility)) out.push(event);
      }
    }
    return { _tag: 'Events', events: out };
  };

  const readAll: EsdbStorage['readAll'] = ({ direction, from, maxCount }, filter) => {
    const out: StoredEvent[] = [];
    const accept = filter ?? (() => true);
    if (direction === 'forwards') {
      if (from === 'end') return out;
      const start = from === 'start' ? 0 : lowerBound(log, (e) => e.position >= from);
      for (let i = start; i < log.length && out.length < maxCount; i += 1) {
        const event = log[i] as StoredEvent;
        if (accept(event)) out.push(event);
      }
    } else {
      if (from === 'start') return out;
      const start = from === 'end' ? log.length - 1 : lowerBound(log, (e) => e.position >= from) - 1;
      for (let i = start; i >= 0 && out.length < maxCount; i -= 1) {
        const event = log[i] as StoredEvent;
        if (accept(event)) out.push(event);
      }
    }
    return out;
  };

  const streamEventsAfter: EsdbStorage['streamEventsAfter'] = (
    streamName,
    afterRevision,
    limit,
    visibleOnly,
  ) => {
    const events = streams.get(streamName)?.events ?? [];
    const visibility = visibleOnly ? visibilityOf(streamName) : undefined;
    const out: StoredEvent[] = [];
    for (
      let i = lowerBound(events, (e) => e.revision > afterRevision);
      i < events.length && out.length < limit;
      i += 1
    ) {
      const event = events[i] as StoredEvent;
      if (visibility === undefined || isVisible(event, visibility)) out.push(event);
    }
    return out;
  };

  const allEventsAfter: EsdbStorage['allEventsAfter'] = (afterPosition, limit) => {
    const start = lowerBound(log, (e) => e.position > afterPosition);
    return log.slice(start, start + limit);
  };

  const scavenge: EsdbStorage['scavenge'] = () => {
    const removed = new Set<StoredEvent>();
    for (const [streamName, state] of streams) {
      if (state.events.length <= 1) continue;
      const last = state.events[state.events.length - 1] as StoredEvent;
      const tombstoned = state.lastRevision === DELETED_STREAM_REVISION;
      // visibilityOf already hides everything of a soft-deleted stream ($tb = long.MaxValue).
      const visibility = visibilityOf(streamName);
      const kept = new Set(
        state.events.filter((event) => event === last || (!tombstoned && isVisible(event, visibility))),
      );
      if (kept.size === state.events.length) continue;
      for (const event of state.events) if (!kept.has(event)) removed.add(event);
      state.events.length = 0;
      for (const event of kept) state.events.push(event);
    }
    if (removed.size > 0) {
      log = log.filter((event) => !removed.has(event));
      for (const event of removed) {
        if (byEventId.get(event.id) === event) byEventId.delete(event.id);
      }
    }
    return { removed: removed.size };
  };

  return {
    append,
    deleteStream,
    readStream,
    readAll,
    streamEventsAfter,
    allEventsAfter,
    lastRevision: lastEventNumber,
    headPosition: () => log[log.length - 1]?.position ?? -1n,
    size: () => log.length,
    onWrite: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    scavenge,
  };
};
