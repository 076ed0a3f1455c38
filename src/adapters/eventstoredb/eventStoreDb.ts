/**
 * The event-store port on EventStoreDB (`@eventstore/db-client` 6.x) or KurrentDB
 * (`@kurrent/kurrentdb-client` 1.x): a thin mapping, since the port already has EventStoreDB's
 * meaning.
 *
 * - The client is a peer dependency and is never imported statically: {@link getEventStoreDbEventStore}
 *   takes a client you built; {@link connectEventStoreDb} loads the client package for a
 *   connection string only when called. `import 'lethe'` never loads a database client.
 * - Both clients are driven through the same structural interface. Expected revisions are passed
 *   as `expectedRevision` (EventStoreDB 6.x; KurrentDB 1.x still reads it for deletes) and
 *   `streamState` (KurrentDB 1.x appends); each client ignores the name it does not know. Errors are
 *   recognised by their `type` string, which both clients share; a conflict's current revision is
 *   `actualVersion` in 6.x and `actualState` in 1.x.
 * - KurrentDB 1.x reads (`readStream`, `readAll`) go through its native Rust reader, which keeps
 *   only the whole second of an event's `created` stamp, while its subscriptions keep
 *   milliseconds. So that a replay and a live subscription agree on every event, `recordedAt` is
 *   truncated to the whole second on every path when the client is a KurrentDB 1.x client
 *   (recognised by its `rustClient` property). Lethe's own `recordedAt` event metadata is not
 *   affected.
 * - Reads go to the leader by default (`requiresLeader: true`): in a cluster a follower may lag,
 *   and the command handler must read the latest revision it appends against. Set
 *   `readsRequireLeader: false` for reads that may be stale.
 * - Subscriptions resubscribe from the last delivered position after a dropped connection, with a
 *   bounded exponential back-off, so a consumer never skips or repeats an event.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { v4 as uuidv4 } from 'uuid';
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
  SubscribeToAllOptions,
} from '../../store/port.js';
import { validateAppend } from '../../store/validate.js';

/** The largest stream revision EventStoreDB knows (`long.MaxValue`), used as `$tb` by soft delete. */
const MAX_REVISION = 2n ** 63n - 1n;

/** The parts of a recorded event both clients hand out. */
export interface ClientRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly revision: bigint;
  readonly isJson: boolean;
  readonly created: Date | number;
  readonly data: unknown;
  readonly metadata?: unknown;
  readonly position?: Position;
}

/** The parts of a resolved event both clients hand out. */
export interface ClientResolvedEvent {
  readonly event?: ClientRecordedEvent;
  readonly commitPosition?: bigint;
}

/**
 * A subscription as both clients return it (a Node Readable in object mode); reads only need to be
 * async iterables (KurrentDB 1.x returns an async generator).
 */
export interface ClientStream<T> extends AsyncIterable<T> {
  /** Registers a listener (`caughtUp`, `error`, ...). */
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  /** Ends a subscription. */
  unsubscribe?: () => Promise<void>;
  /** Ends a read. */
  cancel?: () => Promise<void>;
}

/**
 * The methods of `EventStoreDBClient` (6.x) or `KurrentDBClient` (1.x) that the adapter uses.
 * Any object with these methods works, so a test double or a wrapped client can stand in.
 */
export interface EventStoreDbClientLike {
  /** Appends events with an expected revision. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the clients take one event or an array of their own event type
  appendToStream(stream: string, events: any, options?: Record<string, unknown>): Promise<{
    nextExpectedRevision: bigint;
    position?: Position;
  }>;
  /** Reads one stream. */
  readStream(stream: string, options?: Record<string, unknown>): AsyncIterable<ClientResolvedEvent>;
  /** Reads `$all`. */
  readAll(options?: Record<string, unknown>): AsyncIterable<ClientResolvedEvent>;
  /** Subscribes to `$all` from a position (exclusive). */
  subscribeToAll(options?: Record<string, unknown>): ClientStream<ClientResolvedEvent>;
  /** Soft-deletes a stream. */
  deleteStream(stream: string, options?: Record<string, unknown>): Promise<{ position?: Position }>;
  /** Hard-deletes a stream. */
  tombstoneStream(stream: string, options?: Record<string, unknown>): Promise<{ position?: Position }>;
  /** Writes a stream's metadata. */
  setStreamMetadata(stream: string, metadata: Record<string, unknown>, options?: Record<string, unknown>): Promise<{
    nextExpectedRevision: bigint;
    position?: Position;
  }>;
  /** Reads a stream's metadata. */
  getStreamMetadata(stream: string, options?: Record<string, unknown>): Promise<{
    metadata?: Record<string, unknown>;
    metastreamRevision?: bigint;
  }>;
  /** Closes the client's connections. */
  dispose(): Promise<void>;
}

/** Options of the EventStoreDB adapter. */
export interface EventStoreDbOptions {
  /** Send reads to the leader (default true): needed wherever the latest state matters. */
  readonly readsRequireLeader?: boolean;
  /** Resubscription back-off after a dropped subscription: first delay in ms (default 100). */
  readonly resubscribeInitialDelayMs?: number;
  /** Resubscription back-off ceiling in ms (default 5000). */
  readonly resubscribeMaxDelayMs?: number;
  /** Consecutive failed resubscriptions before the subscription fails for good (default 20). */
  readonly resubscribeMaxAttempts?: number;
  /** Called on every state change of a subscription (for health checks and logs; carries no event data). */
  readonly onSubscriptionState?: (state: SubscriptionState) => void;
  /** Call `dispose()` on the client when the store is closed (default true). */
  readonly disposeClientOnClose?: boolean;
}

/** What a subscription is doing, surfaced through {@link EventStoreDbOptions.onSubscriptionState}. */
export type SubscriptionState =
  | { readonly _tag: 'Subscribed'; readonly from: Position | 'start' | 'end' }
  | { readonly _tag: 'CaughtUp' }
  | { readonly _tag: 'Dropped'; readonly reason: string; readonly attempt: number; readonly retryInMs: number }
  | { readonly _tag: 'Failed'; readonly reason: string }
  | { readonly _tag: 'Closed' };

/** An {@link AllSubscription} that also says what it is doing. */
export interface EventStoreDbSubscription extends AllSubscription {
  /** The subscription's current state. */
  readonly state: () => SubscriptionState;
}

/** The port on EventStoreDB, with a subscription that reports its state. */
export interface EventStoreDbEventStore extends EventStore {
  readonly subscribeToAll: (options?: SubscribeToAllOptions) => EventStoreDbSubscription;
  /** The client underneath, for what the port does not cover (projections, persistent subscriptions). */
  readonly client: EventStoreDbClientLike;
}

const errorType = (error: unknown): string =>
  typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string'
    ? (error as { type: string }).type
    : 'unknown';

/** Maps a client error to the port's typed error; names only the stream, never event data. */
const toStoreError = (error: unknown, stream: string, expected: ExpectedRevision = 'any'): StoreError => {
  const type = errorType(error);
  switch (type) {
    case 'wrong-expected-version': {
      // 6.x names it actualVersion, KurrentDB 1.x actualState.
      const { actualVersion, actualState } = error as { actualVersion?: unknown; actualState?: unknown };
      const actual = actualState ?? actualVersion;
      return {
        _tag: 'WrongExpectedVersion',
        stream,
        expected,
        // Delete and tombstone report an absent stream as -1 in their trailers; appends say no_stream.
        actual: typeof actual === 'bigint' && actual >= 0n ? actual : 'no_stream',
      };
    }
    case 'stream-not-found':
      return { _tag: 'StreamNotFound', stream };
    case 'stream-deleted':
      return { _tag: 'StreamDeleted', stream };
    default:
      return { _tag: 'StoreUnavailable', reason: `eventstoredb: ${type}` };
  }
};

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
};

const decodePayload = (payload: unknown, isJson: boolean): JsonValue | undefined => {
  if (payload === undefined) return undefined;
  if (payload instanceof Uint8Array) {
    if (payload.length === 0) return undefined;
    try {
      return JSON.parse(Buffer.from(payload).toString('utf8')) as JsonValue;
    } catch {
      return null; // a binary event written by someone else: Lethe only reads JSON
    }
  }
  return isJson ? (payload as JsonValue) : null;
};

const toRecorded = (resolved: ClientResolvedEvent, wholeSeconds: boolean): RecordedEvent | undefined => {
  const ev = resolved.event;
  if (ev === undefined) return undefined;
  const position: Position = ev.position ?? {
    commit: resolved.commitPosition ?? -1n,
    prepare: resolved.commitPosition ?? -1n,
  };
  const created = typeof ev.created === 'number' ? ev.created : ev.created.getTime();
  const recordedAt = wholeSeconds ? created - (((created % 1000) + 1000) % 1000) : created;
  return deepFreeze({
    streamName: ev.streamId,
    id: ev.id,
    type: ev.type,
    revision: ev.revision,
    position: { commit: position.commit, prepare: position.prepare },
    data: decodePayload(ev.data, ev.isJson) ?? null,
    metadata: decodePayload(ev.metadata, ev.isJson),
    recordedAt,
    isSystem: ev.type.startsWith('$') || ev.streamId.startsWith('$'),
  });
};

const matches = (filter: AllFilter | undefined, ev: RecordedEvent): boolean => {
  if (filter === undefined) return true;
  if (filter.excludeSystemEvents === true && ev.isSystem) return false;
  if (filter.streamNamePrefixes !== undefined && !filter.streamNamePrefixes.some((p) => ev.streamName.startsWith(p)))
    return false;
  if (filter.eventTypePrefixes !== undefined && !filter.eventTypePrefixes.some((p) => ev.type.startsWith(p)))
    return false;
  return true;
};

/** A server-side filter the client understands, narrowing what crosses the wire; the adapter re-checks. */
const serverFilter = (filter: AllFilter | undefined): Record<string, unknown> | undefined => {
  if (filter === undefined) return undefined;
  if (filter.streamNamePrefixes !== undefined && filter.streamNamePrefixes.length > 0)
    return { filterOn: 'streamName', prefixes: [...filter.streamNamePrefixes], checkpointInterval: 1 };
  if (filter.eventTypePrefixes !== undefined && filter.eventTypePrefixes.length > 0)
    return { filterOn: 'eventType', prefixes: [...filter.eventTypePrefixes], checkpointInterval: 1 };
  if (filter.excludeSystemEvents === true) return { filterOn: 'eventType', regex: '^[^\\$]', checkpointInterval: 1 };
  return undefined;
};

/**
 * Forwards from the end and backwards from the start read nothing. Answered without asking the
 * client: KurrentDB 1.x's native reader turns `end` into a backwards read and `start` into a
 * forwards one whatever direction it is given, and would return the whole stream.
 */
const readsNothing = (direction: 'forwards' | 'backwards', from: unknown): boolean =>
  (direction === 'forwards' && from === 'end') || (direction === 'backwards' && from === 'start');

const expectedOptions = (expected: ExpectedRevision): Record<string, unknown> => ({
  expectedRevision: expected,
  streamState: expected,
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Returns the event-store port on an EventStoreDB or KurrentDB client you built (cluster
 * connection strings, `nodePreference` and credentials are the client's business).
 * Never throws; every operation resolves to an `Either`.
 */
export const getEventStoreDbEventStore = (
  client: EventStoreDbClientLike,
  options: EventStoreDbOptions = {},
): EventStoreDbEventStore => {
  const requiresLeader = options.readsRequireLeader ?? true;
  const initialDelay = options.resubscribeInitialDelayMs ?? 100;
  const maxDelay = options.resubscribeMaxDelayMs ?? 5_000;
  const maxAttempts = options.resubscribeMaxAttempts ?? 20;
  const subscriptions = new Set<EventStoreDbSubscription>();
  // KurrentDB 1.x: its native reader keeps whole seconds of `created` (see the module comment).
  const wholeSeconds = 'rustClient' in client;

  const appendToStream = async (
    stream: string,
    events: readonly EventData[],
    appendOptions: AppendOptions = {},
  ): StoreResult<AppendResult> => {
    const invalid = validateAppend(stream, events);
    if (invalid !== undefined) return E.left(invalid);
    const expected = appendOptions.expectedRevision ?? 'any';
    const payload = events.map((e) => ({
      id: e.id ?? uuidv4(),
      contentType: 'application/json',
      type: e.type,
      data: e.data,
      metadata: e.metadata,
    }));
    try {
      const result = await client.appendToStream(stream, payload, expectedOptions(expected));
      return E.right({
        nextExpectedRevision: result.nextExpectedRevision,
        position: result.position ?? { commit: -1n, prepare: -1n },
      });
    } catch (error) {
      return E.left(toStoreError(error, stream, expected));
    }
  };

  /**
   * Drains a read to its end. Leaving a read early (a `break` at maxCount) leaves a gRPC stream
   * with unread data that never finishes, and the client's `dispose()` then waits for it forever;
   * so the server is always told how many to send, and the adapter reads them all.
   */
  const drain = async (read: AsyncIterable<ClientResolvedEvent>): Promise<RecordedEvent[]> => {
    const out: RecordedEvent[] = [];
    for await (const resolved of read) {
      const ev = toRecorded(resolved, wholeSeconds);
      if (ev !== undefined) out.push(ev);
    }
    return out;
  };

  const readStream = async (stream: string, readOptions: ReadStreamOptions = {}): StoreResult<readonly RecordedEvent[]> => {
    const direction = readOptions.direction ?? 'forwards';
    const fromRevision = readOptions.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
    try {
      if (readsNothing(direction, fromRevision)) {
        // Nothing to read, but an absent or tombstoned stream must still say so.
        const probe = await readStream(stream, { direction: 'backwards', maxCount: 1 });
        return E.isLeft(probe) ? probe : E.right([]);
      }
      const read = client.readStream(stream, {
        direction,
        fromRevision,
        ...(readOptions.maxCount !== undefined ? { maxCount: BigInt(readOptions.maxCount) } : {}),
        requiresLeader,
      });
      return E.right(await drain(read));
    } catch (error) {
      return E.left(toStoreError(error, stream));
    }
  };

  /** Events per page when `$all` is filtered on the client side and the server cannot count matches. */
  const FILTERED_PAGE = 512;

  const readAll = async (readOptions: ReadAllOptions = {}): StoreResult<readonly RecordedEvent[]> => {
    const direction = readOptions.direction ?? 'forwards';
    const maxCount = readOptions.maxCount ?? Number.POSITIVE_INFINITY;
    const filter = readOptions.filter;
    let from: Position | 'start' | 'end' = readOptions.fromPosition ?? (direction === 'forwards' ? 'start' : 'end');
    try {
      if (maxCount <= 0 || readsNothing(direction, from)) return E.right([]);
      if (filter === undefined) {
        const read = client.readAll({
          direction,
          fromPosition: from,
          ...(Number.isFinite(maxCount) ? { maxCount: BigInt(maxCount) } : {}),
          requiresLeader,
        });
        return E.right(await drain(read));
      }
      const out: RecordedEvent[] = [];
      for (let firstPage = true; ; firstPage = false) {
        const page = await drain(
          client.readAll({ direction, fromPosition: from, maxCount: BigInt(FILTERED_PAGE), requiresLeader }),
        );
        // Forwards from a position includes the event at it: skip the one the last page ended on.
        const fresh =
          !firstPage && from !== 'start' && from !== 'end' && direction === 'forwards' && page[0] !== undefined &&
          page[0].position.commit === from.commit && page[0].position.prepare === from.prepare
            ? page.slice(1)
            : page;
        for (const ev of fresh) {
          if (matches(filter, ev)) out.push(ev);
          if (out.length >= maxCount) return E.right(out);
        }
        const last = page[page.length - 1];
        if (page.length < FILTERED_PAGE || last === undefined) return E.right(out);
        from = last.position;
      }
    } catch (error) {
      return E.left(toStoreError(error, '$all'));
    }
  };

  const subscribeToAll = (subscribeOptions: SubscribeToAllOptions = {}): EventStoreDbSubscription => {
    const filter = subscribeOptions.filter;
    let from: Position | 'start' | 'end' = subscribeOptions.from ?? 'start';
    let state: SubscriptionState = { _tag: 'Subscribed', from };
    let closed = false;
    let current: ClientStream<ClientResolvedEvent> | undefined;
    let resolveCaughtUp: () => void = () => undefined;
    const caughtUp = new Promise<void>((resolve) => {
      resolveCaughtUp = resolve;
    });
    const setState = (next: SubscriptionState): void => {
      state = next;
      if (next._tag === 'CaughtUp') resolveCaughtUp();
      options.onSubscriptionState?.(next);
    };

    async function* iterate(): AsyncGenerator<RecordedEvent> {
      let failures = 0;
      while (!closed) {
        const sub = client.subscribeToAll({
          fromPosition: from,
          ...(serverFilter(filter) !== undefined ? { filter: serverFilter(filter) } : {}),
        });
        current = sub;
        sub.on('caughtUp', () => setState({ _tag: 'CaughtUp' }));
        setState({ _tag: 'Subscribed', from });
        try {
          for await (const resolved of sub) {
            failures = 0;
            const ev = toRecorded(resolved, wholeSeconds);
            if (ev === undefined) continue;
            from = ev.position; // resubscribing from here is exclusive: nothing repeats
            if (matches(filter, ev)) yield ev;
            if (closed) break;
          }
          if (closed) break;
          throw new Error('subscription ended by the server');
        } catch (error) {
          if (closed) break;
          failures += 1;
          const reason = error instanceof Error && errorType(error) === 'unknown' ? error.message : errorType(error);
          if (failures > maxAttempts) {
            setState({ _tag: 'Failed', reason });
            throw toStoreError(error, '$all');
          }
          const retryInMs = Math.min(maxDelay, initialDelay * 2 ** (failures - 1));
          setState({ _tag: 'Dropped', reason, attempt: failures, retryInMs });
          await sleep(retryInMs);
        }
      }
      setState({ _tag: 'Closed' });
    }

    const generator = iterate();
    const subscription: EventStoreDbSubscription = {
      [Symbol.asyncIterator]: () => generator,
      caughtUp,
      state: () => state,
      unsubscribe: async () => {
        if (closed) return;
        closed = true;
        subscriptions.delete(subscription);
        await current?.unsubscribe?.().catch(() => undefined);
        await generator.return(undefined);
        setState({ _tag: 'Closed' });
      },
    };
    subscriptions.add(subscription);
    return subscription;
  };

  /** The 6.2 client cannot send `stream_exists` on delete: read the last revision and send it exactly. */
  const resolveDeleteExpected = async (stream: string, expected: ExpectedRevision): Promise<E.Either<StoreError, ExpectedRevision>> => {
    if (expected !== 'stream_exists') return E.right(expected);
    const last = await readStream(stream, { direction: 'backwards', maxCount: 1 });
    if (E.isLeft(last)) {
      return last.left._tag === 'StreamNotFound'
        ? E.left({ _tag: 'WrongExpectedVersion', stream, expected, actual: 'no_stream' })
        : E.left(last.left);
    }
    const revision = last.right[0]?.revision;
    return revision === undefined
      ? E.left({ _tag: 'WrongExpectedVersion', stream, expected, actual: 'no_stream' })
      : E.right(revision);
  };

  const removeStream =
    (hard: boolean) =>
    async (stream: string, deleteOptions: AppendOptions = {}): StoreResult<DeleteResult> => {
      const expected = deleteOptions.expectedRevision ?? 'any';
      const resolved = await resolveDeleteExpected(stream, expected);
      if (E.isLeft(resolved)) return resolved;
      try {
        const result = hard
          ? await client.tombstoneStream(stream, expectedOptions(resolved.right))
          : await client.deleteStream(stream, expectedOptions(resolved.right));
        return E.right({ position: result.position ?? { commit: -1n, prepare: -1n } });
      } catch (error) {
        const mapped = toStoreError(error, stream, expected);
        return E.left(mapped);
      }
    };

  const setStreamMetadata = async (
    stream: string,
    metadata: StreamMetadata,
    metaOptions: AppendOptions = {},
  ): StoreResult<AppendResult> => {
    const expected = metaOptions.expectedRevision ?? 'any';
    const body: Record<string, unknown> = { ...(metadata.custom ?? {}) };
    if (metadata.maxAge !== undefined) body['maxAge'] = metadata.maxAge;
    if (metadata.maxCount !== undefined) body['maxCount'] = metadata.maxCount;
    if (metadata.truncateBefore !== undefined) body['truncateBefore'] = Number(metadata.truncateBefore);
    try {
      const result = await client.setStreamMetadata(stream, body, expectedOptions(expected));
      return E.right({
        nextExpectedRevision: result.nextExpectedRevision,
        position: result.position ?? { commit: -1n, prepare: -1n },
      });
    } catch (error) {
      // A conflict is on the metadata stream (as EventStoreDB reports it); a deletion is the stream's.
      const mapped = toStoreError(error, stream, expected);
      return E.left(mapped._tag === 'WrongExpectedVersion' ? { ...mapped, stream: `$$${stream}` } : mapped);
    }
  };

  /**
   * Reads `$$stream` itself rather than through `client.getStreamMetadata`: the 6.2.1 client returns
   * the metadata event's commit position as `metastreamRevision`, which an expected-revision check
   * cannot use.
   */
  const getStreamMetadata = async (stream: string): StoreResult<StreamMetadataResult> => {
    const metaStream = `$$${stream}`;
    let last: ClientRecordedEvent | undefined;
    try {
      const read = client.readStream(metaStream, { direction: 'backwards', fromRevision: 'end', maxCount: 1n, requiresLeader });
      for await (const resolved of read) last = resolved.event;
    } catch (error) {
      const mapped = toStoreError(error, stream);
      if (mapped._tag !== 'StreamNotFound') return E.left(mapped);
    }
    const raw = last === undefined ? {} : (decodePayload(last.data, last.isJson) ?? {});
    const custom: Record<string, JsonValue> = {};
    let maxAge: number | undefined;
    let maxCount: number | undefined;
    let truncateBefore: bigint | undefined;
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
      for (const [key, value] of Object.entries(raw as Record<string, JsonValue>)) {
        if (key === '$maxAge' && typeof value === 'number') maxAge = value;
        else if (key === '$maxCount' && typeof value === 'number') maxCount = value;
        else if (key === '$tb' && typeof value === 'number')
          // $tb = long.MaxValue (soft delete) loses precision as a JSON number: compare by threshold.
          truncateBefore = value >= 9.2e18 ? MAX_REVISION : BigInt(Math.trunc(value));
        else if (!key.startsWith('$')) custom[key] = value;
      }
    }
    const metadata: StreamMetadata = {
      ...(maxAge !== undefined ? { maxAge } : {}),
      ...(maxCount !== undefined ? { maxCount } : {}),
      ...(truncateBefore !== undefined ? { truncateBefore } : {}),
      ...(Object.keys(custom).length > 0 ? { custom } : {}),
    };
    return E.right(deepFreeze({ streamName: stream, metaRevision: last?.revision ?? 'no_stream', metadata }));
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    // Idempotent: disposing the client twice never settles.
    closing ??= (async () => {
      await Promise.all([...subscriptions].map((s) => s.unsubscribe()));
      if (options.disposeClientOnClose ?? true) await client.dispose();
    })();
    return closing;
  };

  return {
    appendToStream,
    readStream,
    readAll,
    subscribeToAll,
    deleteStream: removeStream(false),
    tombstoneStream: removeStream(true),
    setStreamMetadata,
    getStreamMetadata,
    close,
    client,
  };
};

/**
 * Connects to EventStoreDB or KurrentDB by connection string and returns the port on it.
 * `kurrentdb://` and `kurrentdb+discover://` load `@kurrent/kurrentdb-client`; `esdb://` and
 * `esdb+discover://` (one host, several hosts, `nodePreference=leader|follower|random`, TLS
 * settings) load `@eventstore/db-client`. Resolves to `StoreUnavailable` if the client package is
 * missing or the string is malformed; never rejects.
 */
export const connectEventStoreDb = async (
  connectionString: string,
  options: EventStoreDbOptions = {},
): StoreResult<EventStoreDbEventStore> => {
  const kurrent = /^kurrent(db)?(\+discover)?:\/\//i.test(connectionString);
  const packageName = kurrent ? '@kurrent/kurrentdb-client' : '@eventstore/db-client';
  const className = kurrent ? 'KurrentDBClient' : 'EventStoreDBClient';
  let module: Record<string, unknown>;
  try {
    module = (await import(packageName)) as Record<string, unknown>;
  } catch {
    return E.left({ _tag: 'StoreUnavailable', reason: `${packageName} is not installed (a peer dependency of lethe/eventstoredb)` });
  }
  const ClientClass = (module[className] ?? (module['default'] as Record<string, unknown> | undefined)?.[className]) as
    | { connectionString: (cs: string) => EventStoreDbClientLike }
    | undefined;
  if (ClientClass === undefined) return E.left({ _tag: 'StoreUnavailable', reason: `${packageName} has no ${className}` });
  try {
    return E.right(getEventStoreDbEventStore(ClientClass.connectionString(connectionString), options));
  } catch (error) {
    return E.left({
      _tag: 'StoreUnavailable',
      reason: `invalid connection string (${error instanceof Error ? error.name : 'error'})`,
    });
  }
};
