/**
 * The command handler: the only place that loads a stream, decides and appends. It reads the
 * stream (absent = initial state), folds `evolve`, calls `decide`, validates every new event with
 * the stream kind's codec and appends with the loaded revision as the expected revision; on a
 * concurrent write it reloads and decides again, a bounded number of times.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { v4 as uuidv4 } from 'uuid';
import type { EventData, EventStore, JsonValue, Position, RecordedEvent, StoreError, StreamRevision } from '../store/port.js';
import type { Clock } from '../time/clock.js';
import type { Decider, DomainEvent, Rejection } from './decider.js';
import type { CommandError, InvalidEvent } from './errors.js';
import { eventIdFor, isLetheStreamName } from './ids.js';
import { decodesUnchanged, decodeUnchanged, decodeWith, encodeForStore, EventMetadata, isIsoDateTime, isoOf } from './metadata.js';

/** How many times `execute` reloads and decides again after a concurrent write, unless the kind says otherwise. */
export const DEFAULT_MAX_RETRIES = 5;

/**
 * A stream kind registration: its decider, the codec of its events (the union of its event
 * types; validated on append and on read), and how a command names its stream. `streamName`
 * must return `lethe.<kind>-<uuid>` (see `streamNameFor`); anything else is refused, so personal
 * data never ends up in a stream name.
 */
export interface StreamKind<C, S, Ev extends DomainEvent, R extends Rejection = Rejection> {
  readonly decider: Decider<C, S, Ev, R>;
  readonly events: t.Type<Ev, unknown, unknown>;
  /** Returns the stream a command addresses: `lethe.<kind>-<uuid>`, never personal data. */
  readonly streamName: (command: C) => string;
  /** Reloads after a concurrent write, at most this many times (default {@link DEFAULT_MAX_RETRIES}). */
  readonly maxRetries?: number;
  /** Codec of the kind's commands: needed only to route outbox commands to it (`dispatchToStreamKind`). */
  readonly commands?: t.Type<C, unknown, unknown>;
}

/** Any stream kind, for maps of kinds with different types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStreamKind = StreamKind<any, any, any, any>;

/** Returns its argument: a typed identity that lets TypeScript infer a stream kind's type parameters. */
export const streamKind = <C, S, Ev extends DomainEvent, R extends Rejection = Rejection>(
  kind: StreamKind<C, S, Ev, R>,
): StreamKind<C, S, Ev, R> => kind;

/** The commands of a stream kind. */
export type CommandOf<K> = K extends StreamKind<infer C, infer _S, infer _E, infer _R> ? C : never;
/** The state of a stream kind. */
export type StateOf<K> = K extends StreamKind<infer _C, infer S, infer _E, infer _R> ? S : never;
/** The events of a stream kind. */
export type EventOf<K> = K extends StreamKind<infer _C, infer _S, infer Ev, infer _R> ? Ev : never;
/** The rejections of a stream kind. */
export type RejectionOf<K> = K extends StreamKind<infer _C, infer _S, infer _E, infer R> ? R : never;

/**
 * A command to execute against a stream kind, with the facts the events will carry:
 * `occurredAt` is business time (ISO 8601 with zone), `actor` who acts (an id, never a name).
 * With a `commandId`, event ids are uuid v5 of (commandId, index) and executing the same command
 * again returns the events it already produced (`alreadyApplied: true`) instead of deciding again.
 */
export interface CommandRequest<K extends string = string, C = unknown> {
  readonly kind: K;
  readonly command: C;
  readonly occurredAt: string;
  readonly actor: string;
  readonly commandId?: string;
  readonly causationId?: string;
  readonly correlationId?: string;
  readonly policyVersion?: string | null;
}

/** A Lethe event read back from the store: decoded payload, decoded metadata and where it sits. */
export interface LetheEvent<Ev extends DomainEvent = DomainEvent, K extends string = string> {
  readonly kind: K;
  readonly streamName: string;
  readonly revision: StreamRevision;
  readonly position: Position;
  readonly event: Ev;
  readonly metadata: EventMetadata;
}

/** An event `execute` appended (its global position is not known per event; see {@link ExecuteResult.position}). */
export interface AppendedEvent<Ev extends DomainEvent = DomainEvent> {
  readonly streamName: string;
  readonly revision: StreamRevision;
  readonly event: Ev;
  readonly metadata: EventMetadata;
}

/** What `execute` returns: the events the command produced and the stream's revision after it. */
export interface ExecuteResult<Ev extends DomainEvent = DomainEvent> {
  readonly streamName: string;
  readonly events: readonly AppendedEvent<Ev>[];
  /** The revision of the stream's last event after the command, or `'no_stream'` if it has none. */
  readonly streamRevision: StreamRevision | 'no_stream';
  /** The global position of the last appended event; undefined when nothing was appended. */
  readonly position: Position | undefined;
  /** True when the command (same `commandId`) had already been applied: `events` are the ones it produced then. */
  readonly alreadyApplied: boolean;
}

/**
 * Stored events already found valid, with the codec that found them so. The port hands out events
 * deeply frozen, so a record that passed once passes for good: the in-memory store hands out the
 * same objects on every read, and a replay (rebuild, `asOf`, a second engine on the same store)
 * then skips validation. Stores that build new objects per read (EventStoreDB) never hit it; their
 * entries go when the records do.
 */
const validated = new WeakMap<RecordedEvent, unknown>();

/**
 * Decodes a recorded event of stream kind `kind` with its codec and the metadata codec.
 * Returns the {@link LetheEvent}, or an `InvalidEvent` (direction `'read'`) naming the path.
 * With a codec that never transforms ({@link decodesUnchanged}, every Lethe kind's) the decoded
 * payload and metadata are the stored objects themselves, and a record validated once is not
 * validated again.
 */
export const decodeRecorded = <Ev extends DomainEvent>(
  kind: string,
  codec: t.Type<Ev, unknown, unknown>,
  recorded: RecordedEvent,
): E.Either<InvalidEvent, LetheEvent<Ev>> => {
  const wrap = (event: Ev, metadata: EventMetadata): E.Either<InvalidEvent, LetheEvent<Ev>> =>
    E.right({ kind, streamName: recorded.streamName, revision: recorded.revision, position: recorded.position, event, metadata });
  if (validated.get(recorded) === codec)
    return wrap({ type: recorded.type, data: recorded.data } as unknown as Ev, recorded.metadata as unknown as EventMetadata);
  const fail = (part: 'event' | 'metadata', path: string, paths: readonly string[]): InvalidEvent => ({
    _tag: 'InvalidEvent',
    stream: recorded.streamName,
    direction: 'read',
    part,
    path,
    paths,
    revision: recorded.revision,
  });
  const event = decodeUnchanged(codec, { type: recorded.type, data: recorded.data });
  if (E.isLeft(event)) return E.left(fail('event', event.left.path, event.left.paths));
  const metadata = decodeUnchanged(EventMetadata, recorded.metadata);
  if (E.isLeft(metadata)) return E.left(fail('metadata', metadata.left.path, metadata.left.paths));
  if (Object.isFrozen(recorded) && Object.isFrozen(recorded.data) && Object.isFrozen(recorded.metadata) && decodesUnchanged(codec))
    validated.set(recorded, codec);
  return wrap(event.right, metadata.right);
};

/**
 * When `stream` has been deleted (tombstoned, or soft-deleted: then it reads as not found), finds
 * in the global log the events a command with `commandId` appended to it before the delete, as an
 * `alreadyApplied` result; undefined when the stream was never deleted or the command is not
 * there. `$all` keeps a deleted stream's events until a scavenge. Only a command that carries an
 * id and meets a missing stream pays for this: a metadata read, and for a deleted stream a read of
 * the log filtered to it.
 */
const appliedBeforeDelete = async <Ev extends DomainEvent>(
  store: EventStore,
  kindName: string,
  kind: { readonly events: t.Type<Ev, unknown, unknown> },
  stream: string,
  commandId: string,
  seen: 'StreamNotFound' | 'StreamDeleted',
): Promise<E.Either<StoreError | InvalidEvent, ExecuteResult<Ev> | undefined>> => {
  if (seen === 'StreamNotFound') {
    const meta = await store.getStreamMetadata(stream);
    if (E.isLeft(meta)) {
      if (meta.left._tag !== 'StreamDeleted') return meta;
    } else if (meta.right.metadata.truncateBefore === undefined) return E.right(undefined);
  }
  const found: AppendedEvent<Ev>[] = [];
  let last: RecordedEvent | undefined;
  let from: Position | 'start' = 'start';
  for (;;) {
    const page = await store.readAll({ fromPosition: from, maxCount: 1000, filter: { streamNamePrefixes: [stream], excludeSystemEvents: true } });
    if (E.isLeft(page)) return page;
    const fresh = from === 'start' ? page.right : page.right.slice(1);
    for (const r of fresh) {
      if (r.streamName !== stream) continue;
      last = r;
      const decoded = decodeRecorded(kindName, kind.events, r);
      if (E.isLeft(decoded)) return decoded;
      if (decoded.right.metadata.commandId !== commandId) continue;
      const { streamName, revision, event, metadata } = decoded.right;
      found.push({ streamName, revision, event, metadata });
    }
    const tail = page.right[page.right.length - 1];
    if (fresh.length === 0 || tail === undefined) break;
    from = tail.position;
  }
  if (found.length === 0) return E.right(undefined);
  return E.right({ streamName: stream, events: found, streamRevision: last?.revision ?? 'no_stream', position: undefined, alreadyApplied: true });
};

/** What {@link executeCommand} needs from the engine. */
export interface CommandHandlerDeps {
  readonly store: EventStore;
  readonly clock: Clock;
}

const invalidCommand = (path: string, reason: string): CommandError<never> => ({ _tag: 'InvalidCommand', path, reason });

const checkRequest = (request: CommandRequest<string, unknown>): CommandError<never> | undefined => {
  if (!isIsoDateTime(request.occurredAt)) return invalidCommand('occurredAt', 'must be an ISO 8601 date-time with a zone');
  if (typeof request.actor !== 'string' || request.actor.length === 0)
    return invalidCommand('actor', 'must be a non-empty string');
  if (request.commandId !== undefined && (typeof request.commandId !== 'string' || request.commandId.length === 0))
    return invalidCommand('commandId', 'must be a non-empty string');
  if (request.causationId !== undefined && typeof request.causationId !== 'string')
    return invalidCommand('causationId', 'must be a string');
  if (request.correlationId !== undefined && typeof request.correlationId !== 'string')
    return invalidCommand('correlationId', 'must be a string');
  if (request.policyVersion !== undefined && request.policyVersion !== null && typeof request.policyVersion !== 'string')
    return invalidCommand('policyVersion', 'must be a string or null');
  return undefined;
};

const attempt = <A>(source: string, f: () => A): E.Either<CommandError<never>, A> => {
  try {
    return E.right(f());
  } catch (error) {
    return E.left({ _tag: 'HostCodeFailed', source, error });
  }
};

/**
 * Executes one command against stream kind `kindName`: load, fold, decide, validate, append with
 * optimistic concurrency; retries after `WrongExpectedVersion` up to the kind's `maxRetries`.
 * Returns the appended events, or `Rejected`, `InvalidEvent`, `InvalidCommand`,
 * `InvalidStreamName`, `ConcurrencyConflict`, `HostCodeFailed` or a store error. Never throws.
 */
export const executeCommand = async <C, S, Ev extends DomainEvent, R extends Rejection>(
  deps: CommandHandlerDeps,
  kindName: string,
  kind: StreamKind<C, S, Ev, R>,
  request: CommandRequest<string, C>,
): Promise<E.Either<CommandError<R>, ExecuteResult<Ev>>> => {
  const bad = checkRequest(request);
  if (bad !== undefined) return E.left(bad);
  const named = attempt(`streamName:${kindName}`, () => kind.streamName(request.command));
  if (E.isLeft(named)) return named;
  const stream = named.right;
  if (typeof stream !== 'string' || !isLetheStreamName(kindName, stream))
    return E.left({ _tag: 'InvalidStreamName', kind: kindName });

  const maxRetries = kind.maxRetries ?? DEFAULT_MAX_RETRIES;
  for (let attemptNo = 1; attemptNo <= maxRetries + 1; attemptNo++) {
    const read = await deps.store.readStream(stream);
    let recorded: readonly RecordedEvent[] = [];
    if (E.isLeft(read)) {
      if (read.left._tag !== 'StreamNotFound' && read.left._tag !== 'StreamDeleted') return E.left(read.left);
      // A deleted stream (an erasure purge) no longer shows what it held: a retried command may
      // have been applied before the delete. Then it is answered from the log, not decided again.
      if (request.commandId !== undefined) {
        const earlier = await appliedBeforeDelete(deps.store, kindName, kind, stream, request.commandId, read.left._tag);
        if (E.isLeft(earlier)) return earlier;
        if (earlier.right !== undefined) return E.right(earlier.right);
      }
      if (read.left._tag === 'StreamDeleted') return E.left(read.left);
    } else recorded = read.right;

    const loaded: LetheEvent<Ev>[] = [];
    for (const r of recorded) {
      const decoded = decodeRecorded(kindName, kind.events, r);
      if (E.isLeft(decoded)) return decoded;
      loaded.push(decoded.right);
    }
    if (request.commandId !== undefined) {
      const earlier = loaded.filter((e) => e.metadata.commandId === request.commandId);
      if (earlier.length > 0) {
        const last = loaded[loaded.length - 1];
        return E.right({
          streamName: stream,
          events: earlier.map(({ streamName, revision, event, metadata }) => ({ streamName, revision, event, metadata })),
          streamRevision: last === undefined ? 'no_stream' : last.revision,
          position: undefined,
          alreadyApplied: true,
        });
      }
    }

    const state = attempt(`decider:${kindName}`, () =>
      loaded.reduce((s, e) => kind.decider.evolve(s, e.event), kind.decider.initialState()),
    );
    if (E.isLeft(state)) return state;
    const decided = attempt(`decider:${kindName}`, () => kind.decider.decide(request.command, state.right));
    if (E.isLeft(decided)) return decided;
    if (E.isLeft(decided.right)) return E.left({ _tag: 'Rejected', stream, rejection: decided.right.left });
    const events = decided.right.right;
    if (!Array.isArray(events))
      return E.left({ _tag: 'HostCodeFailed', source: `decider:${kindName}`, error: new TypeError('decide returned Right without an array') });

    const lastRecorded = recorded[recorded.length - 1];
    const expected: StreamRevision | 'no_stream' = lastRecorded === undefined ? 'no_stream' : lastRecorded.revision;
    if (events.length === 0)
      return E.right({ streamName: stream, events: [], streamRevision: expected, position: undefined, alreadyApplied: false });

    const recordedAt = isoOf(deps.clock.now());
    const ids = events.map((_, i) => (request.commandId === undefined ? uuidv4() : eventIdFor(stream, request.commandId, i)));
    const commandId = request.commandId;
    const toAppend: EventData[] = [];
    const appended: Omit<AppendedEvent<Ev>, 'revision'>[] = [];
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as Ev;
      const encoded = encodeForStore(kind.events, event);
      const invalid = (path: string, paths: readonly string[]): InvalidEvent => ({
        _tag: 'InvalidEvent',
        stream,
        direction: 'append',
        part: 'event',
        path,
        paths,
        index: i,
      });
      if (E.isLeft(encoded)) return E.left(invalid(encoded.left.path, encoded.left.paths));
      const json = encoded.right;
      if (typeof json !== 'object' || json === null || Array.isArray(json) || typeof (json as { type?: unknown }).type !== 'string')
        return E.left(invalid('type', ['type']));
      const shape = json as { readonly type: string; readonly data?: JsonValue };
      const eventId = ids[i] as string;
      const metadata: EventMetadata = {
        eventId,
        occurredAt: request.occurredAt,
        recordedAt,
        causationId: request.causationId ?? commandId ?? null,
        correlationId: request.correlationId ?? commandId ?? (ids[0] as string),
        actor: request.actor,
        policyVersion: request.policyVersion ?? null,
        ...(commandId === undefined ? {} : { commandId }),
      };
      toAppend.push({ id: eventId, type: shape.type, data: shape.data ?? null, metadata: { ...metadata } });
      appended.push({ streamName: stream, event, metadata });
    }

    const result = await deps.store.appendToStream(stream, toAppend, { expectedRevision: expected });
    if (E.isRight(result)) {
      const next = result.right.nextExpectedRevision;
      const first = next - BigInt(appended.length) + 1n;
      return E.right({
        streamName: stream,
        events: appended.map((e, i) => ({ ...e, revision: first + BigInt(i) })),
        streamRevision: next,
        position: result.right.position,
        alreadyApplied: false,
      });
    }
    if (result.left._tag !== 'WrongExpectedVersion') return E.left(result.left);
  }
  return E.left({ _tag: 'ConcurrencyConflict', stream, attempts: maxRetries + 1 });
};
