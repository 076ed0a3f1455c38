/**
 * The event-store port: one interface every adapter implements, with EventStoreDB's meaning
 * (revisions from 0, `no_stream` / `stream_exists` / `any` / exact expected revisions, soft delete
 * and tombstone, `$tb` / `$maxCount` / `$maxAge` metadata hiding events from stream reads only),
 * so that the EventStoreDB adapter is a thin mapping.
 *
 * Every operation resolves to an fp-ts `Either` (`Promise<Either<StoreError, A>>`); none rejects
 * for an expected failure. Events handed out are deeply frozen (the record, its position, its
 * data and metadata): mutating them throws in strict mode and never changes the store, and a
 * reader may rely on an event it has checked staying as it was.
 *
 * @module
 */
import type { Either } from 'fp-ts/lib/Either.js';

/** A value that survives `JSON.stringify` / `JSON.parse` unchanged. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** The result shape of every port operation: never rejects for an expected failure. */
export type StoreResult<A> = Promise<Either<StoreError, A>>;

/**
 * A position in the global (`$all`) order. EventStoreDB has a commit and a prepare position; the
 * in-memory store sets both to the event's sequence number. Compare with {@link comparePositions}.
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** A stream revision: 0 for a stream's first event, as in EventStoreDB. */
export type StreamRevision = bigint;

/**
 * What the writer expects the stream to be before an append or delete:
 * - `'any'`: no check;
 * - `'no_stream'`: the stream does not exist, or was soft-deleted;
 * - `'stream_exists'`: the stream has at least one event (fails with `StreamDeleted` if soft-deleted);
 * - a bigint: the revision of the stream's last event.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | StreamRevision;

/** An event to append. `id` is a uuid; omitted, the store assigns a random one. */
export interface EventData {
  readonly id?: string;
  readonly type: string;
  readonly data: JsonValue;
  readonly metadata?: JsonValue;
}

/** An event as stored: immutable. */
export interface RecordedEvent {
  readonly streamName: string;
  readonly id: string;
  readonly type: string;
  readonly revision: StreamRevision;
  readonly position: Position;
  readonly data: JsonValue;
  readonly metadata: JsonValue | undefined;
  /** When the store appended it (epoch milliseconds, from the store's clock). */
  readonly recordedAt: number;
  /** True for events the store writes itself (`$metadata`, `$streamDeleted`) and streams named `$…`. */
  readonly isSystem: boolean;
}

/** Stream metadata that hides events from stream reads (never from `$all`). */
export interface StreamMetadata {
  /** Seconds: events older than this are hidden from stream reads (`$maxAge`). */
  readonly maxAge?: number;
  /** Only the newest N events are visible to stream reads (`$maxCount`). */
  readonly maxCount?: number;
  /** Events with a revision lower than this are hidden (`$tb`). */
  readonly truncateBefore?: StreamRevision;
  /** Anything else the host wants to keep beside the stream. */
  readonly custom?: { readonly [key: string]: JsonValue };
}

/** The direction of a read: oldest first or newest first. */
export type Direction = 'forwards' | 'backwards';

/** Options of an append, delete or metadata write: the revision the writer expects. */
export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
}

/** What a successful append returns. */
export interface AppendResult {
  /** The revision of the stream's last event after this append. */
  readonly nextExpectedRevision: StreamRevision;
  /** The global position of the last event appended. */
  readonly position: Position;
}

/** Options of a stream read. */
export interface ReadStreamOptions {
  readonly direction?: Direction;
  /** Inclusive. Default: `'start'` forwards, `'end'` backwards. */
  readonly fromRevision?: StreamRevision | 'start' | 'end';
  readonly maxCount?: number;
}

/** Which events of `$all` a reader or subscriber sees. */
export interface AllFilter {
  /** Leave out system events and `$`-streams (default false for reads, as in EventStoreDB). */
  readonly excludeSystemEvents?: boolean;
  /** Only streams whose name starts with one of these. */
  readonly streamNamePrefixes?: readonly string[];
  /** Only events whose type starts with one of these. */
  readonly eventTypePrefixes?: readonly string[];
}

/** Options of a read of `$all`. */
export interface ReadAllOptions {
  readonly direction?: Direction;
  /**
   * As in EventStoreDB: forwards from a position includes the event at it; backwards from a position
   * returns the events before it. Default: `'start'` forwards, `'end'` backwards.
   */
  readonly fromPosition?: Position | 'start' | 'end';
  readonly maxCount?: number;
  readonly filter?: AllFilter;
}

/** Options of a subscription to `$all`. */
export interface SubscribeToAllOptions {
  /** Exclusive: the first event delivered is the one after this position. Default `'start'`. */
  readonly from?: Position | 'start' | 'end';
  readonly filter?: AllFilter;
}

/**
 * A catch-up subscription to `$all`: iterate it with `for await`; it delivers every event after
 * `from` in global order, then goes live. `unsubscribe()` ends the iteration.
 * If the store fails for good, the iteration throws a {@link StoreError} value.
 */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  /** Resolves once the subscription has delivered every event that existed when it started. */
  readonly caughtUp: Promise<void>;
  /** Ends the iteration (a pending `next()` resolves as done) and releases the subscription. */
  readonly unsubscribe: () => Promise<void>;
}

/** What a successful delete or tombstone returns. */
export interface DeleteResult {
  readonly position: Position;
}

/** A stream's metadata and the revision of its metadata stream. */
export interface StreamMetadataResult {
  readonly streamName: string;
  /** The revision of the metadata stream's last event, or `'no_stream'` when none was ever set. */
  readonly metaRevision: StreamRevision | 'no_stream';
  readonly metadata: StreamMetadata;
}

/** Errors are values with a `_tag`, never thrown across the port. */
export type StoreError =
  | {
      readonly _tag: 'WrongExpectedVersion';
      readonly stream: string;
      readonly expected: ExpectedRevision;
      /** The stream's last revision, or `'no_stream'` when it has none. */
      readonly actual: StreamRevision | 'no_stream';
    }
  | { readonly _tag: 'StreamNotFound'; readonly stream: string }
  | { readonly _tag: 'StreamDeleted'; readonly stream: string }
  | { readonly _tag: 'InvalidAppend'; readonly stream: string; readonly path: string; readonly reason: string }
  | { readonly _tag: 'StoreUnavailable'; readonly reason: string };

/** The event-store port. Implementations: `getInMemoryEventStore()`, `lethe/eventstoredb`. */
export interface EventStore {
  /** Appends atomically; `WrongExpectedVersion` on conflict; a retry with the same event ids is a success. */
  readonly appendToStream: (
    stream: string,
    events: readonly EventData[],
    options?: AppendOptions,
  ) => StoreResult<AppendResult>;
  /** Reads a stream's visible events; `StreamNotFound` if absent or soft-deleted, `StreamDeleted` if tombstoned. */
  readonly readStream: (stream: string, options?: ReadStreamOptions) => StoreResult<readonly RecordedEvent[]>;
  /** Reads `$all` in global order, including system events unless filtered. */
  readonly readAll: (options?: ReadAllOptions) => StoreResult<readonly RecordedEvent[]>;
  /** Catch-up subscription to `$all`, exclusive of `from`. */
  readonly subscribeToAll: (options?: SubscribeToAllOptions) => AllSubscription;
  /** Soft delete: the stream reads as absent; appending again continues its numbering. */
  readonly deleteStream: (stream: string, options?: AppendOptions) => StoreResult<DeleteResult>;
  /** Hard delete: the stream can never be written or read again. */
  readonly tombstoneStream: (stream: string, options?: AppendOptions) => StoreResult<DeleteResult>;
  /** Writes the stream's metadata (`$$stream`), checked against the metadata stream's revision. */
  readonly setStreamMetadata: (
    stream: string,
    metadata: StreamMetadata,
    options?: AppendOptions,
  ) => StoreResult<AppendResult>;
  /** Reads the stream's metadata; empty metadata and `'no_stream'` when none was ever set. */
  readonly getStreamMetadata: (stream: string) => StoreResult<StreamMetadataResult>;
  /** Ends every subscription and releases resources. */
  readonly close: () => Promise<void>;
}

/** Orders two global positions by commit, then prepare: negative, zero or positive. */
export const comparePositions = (a: Position, b: Position): number =>
  a.commit < b.commit ? -1 : a.commit > b.commit ? 1 : a.prepare < b.prepare ? -1 : a.prepare > b.prepare ? 1 : 0;
