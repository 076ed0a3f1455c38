/**
 * The outbox: commands emitted by reactions and timers, one stream per command
 * (`lethe.outbox-<commandId>`), and their dispatch to the host's handlers.
 *
 * - Emission appends `CommandEmitted` with expected `no_stream`; command ids are derived (uuid
 *   v5), so emitting the same command again fails with `WrongExpectedVersion`, which here means
 *   "already emitted" and is dropped.
 * - Dispatch claims a command by appending `DispatchClaimed` (instance id, lease expiry) with the
 *   exact expected revision of the command's stream: of several engine instances on one store,
 *   one wins and hands the command to its handler; the others see a conflict and leave it. An
 *   expired lease can be taken over the same way.
 * - The handler's success is recorded with `CommandAcknowledged`; a failure (Left, throw or
 *   rejection) with `DispatchAttemptFailed` and a retry time (exponential back-off from the
 *   injected clock), and after the last attempt with `CommandDispatchFailed`, which stays
 *   queryable. Failure reasons are tags or error names, never messages (they may hold personal data).
 *
 * - Commands of the types named `inOrder` (Lethe's own) and of one cause (the event or timer
 *   firing they answer) are dispatched in the order they were emitted: while one is open and not
 *   done (claimed elsewhere, backing off), the later ones wait, so a command never runs before one
 *   it depends on. Other commands (the host's) never wait for each other.
 *
 * The dispatcher's view of the outbox is an in-memory index folded from the global feed.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { EventStore, JsonValue, RecordedEvent, StoreError, StreamRevision } from '../store/port.js';
import type { Instant } from '../time/types.js';
import type { InvalidEvent } from './errors.js';
import { deriveId, outboxStreamFor } from './ids.js';
import { decodeWith, EventMetadata, IsoDateTime, isoOf } from './metadata.js';

const Json = new t.Type<JsonValue, JsonValue, unknown>(
  'Json',
  (u): u is JsonValue => u !== undefined,
  (u, c) => (u === undefined ? t.failure(u, c) : t.success(u as JsonValue)),
  t.identity,
);

/** Codec of who emitted an outbox command: a reaction or a timer, by name. */
export const EmittedBy = t.type({ source: t.union([t.literal('reaction'), t.literal('timer')]), name: t.string });
/** Codec of the timer firing an outbox command came from. */
export const TimerRef = t.type({ firingId: t.string, key: t.string, at: t.number, handler: t.string });

/** Codec of the events of an outbox stream. */
export const OutboxEvent = t.union([
  t.type({
    type: t.literal('CommandEmitted'),
    data: t.intersection([
      t.type({
        commandId: t.string,
        command: t.type({ type: t.string, data: Json }),
        occurredAt: IsoDateTime,
        causationId: t.string,
        correlationId: t.string,
        emittedBy: EmittedBy,
      }),
      t.partial({ timer: TimerRef }),
    ]),
  }),
  t.type({
    type: t.literal('DispatchClaimed'),
    data: t.type({ instanceId: t.string, attempt: t.number, leaseUntil: t.number }),
  }),
  t.type({
    type: t.literal('DispatchAttemptFailed'),
    data: t.type({ instanceId: t.string, attempt: t.number, reason: t.string, retryAt: t.number }),
  }),
  t.type({ type: t.literal('CommandAcknowledged'), data: t.type({ instanceId: t.string, attempt: t.number }) }),
  t.type({
    type: t.literal('CommandDispatchFailed'),
    data: t.type({ instanceId: t.string, attempt: t.number, reason: t.string }),
  }),
]);

/** An event of an outbox stream. */
export type OutboxEvent = t.TypeOf<typeof OutboxEvent>;

/** Which reaction or timer handler emitted a command. */
export type EmittedBy = t.TypeOf<typeof EmittedBy>;

/** The timer firing a command came from. */
export type TimerRef = t.TypeOf<typeof TimerRef>;

/** A command waiting in the outbox, as handed to the host's handler. */
export interface OutboxCommand {
  /** Derived (uuid v5): the same on every replay; use it to make the handler idempotent. */
  readonly commandId: string;
  readonly type: string;
  readonly data: JsonValue;
  /** Business time of the command (the cause event's `occurredAt`, or the timer's due instant). */
  readonly occurredAt: string;
  /** The id of the event that caused it (for a timer: the event that set the timer). */
  readonly causationId: string;
  readonly correlationId: string;
  readonly emittedBy: EmittedBy;
  readonly timer?: TimerRef;
}

/** Where a command stands in the outbox. Acknowledged commands leave the index. */
export interface OutboxEntry {
  readonly streamName: string;
  readonly command: OutboxCommand;
  /** `pending`: waiting (maybe for its retry time); `claimed`: an instance holds a lease; `failed`: gave up. */
  readonly status: 'pending' | 'claimed' | 'failed';
  /** The revision of the command's outbox stream as last seen. */
  readonly revision: StreamRevision;
  /** Dispatch attempts started so far. */
  readonly attempts: number;
  /** Not before this instant (after a failed attempt). */
  readonly retryAt: Instant | undefined;
  readonly claim: { readonly instanceId: string; readonly leaseUntil: Instant } | undefined;
  /** The tag or error name of the last failure. */
  readonly lastFailure: string | undefined;
}

/** The in-memory view of the outbox, folded from the outbox streams of the feed. */
export interface OutboxIndex {
  /** Folds one event of an outbox stream; Left when it fails its codec. */
  readonly apply: (recorded: RecordedEvent) => E.Either<InvalidEvent, void>;
  /** Commands not yet acknowledged nor failed, in emission order. */
  readonly open: () => readonly OutboxEntry[];
  /** Commands whose dispatch failed for good, in emission order. */
  readonly failed: () => readonly OutboxEntry[];
  /** True when a timer firing with this id has emitted commands. */
  readonly hasFired: (firingId: string) => boolean;
  /** True when a command with this id was ever emitted (and seen in the feed). */
  readonly has: (commandId: string) => boolean;
}

/** Returns an empty {@link OutboxIndex}. */
export const createOutboxIndex = (): OutboxIndex => {
  const open = new Map<string, OutboxEntry>();
  const failed = new Map<string, OutboxEntry>();
  const firedTimers = new Set<string>();
  const seen = new Set<string>();
  const byStream = new Map<string, string>();

  return {
    apply: (recorded) => {
      const decoded = decodeWith(OutboxEvent, { type: recorded.type, data: recorded.data });
      if (E.isLeft(decoded))
        return E.left({
          _tag: 'InvalidEvent',
          stream: recorded.streamName,
          direction: 'read',
          part: 'event',
          path: decoded.left.path,
          paths: decoded.left.paths,
          revision: recorded.revision,
        });
      const event = decoded.right;
      if (event.type === 'CommandEmitted') {
        const d = event.data;
        const command: OutboxCommand = {
          commandId: d.commandId,
          type: d.command.type,
          data: d.command.data,
          occurredAt: d.occurredAt,
          causationId: d.causationId,
          correlationId: d.correlationId,
          emittedBy: d.emittedBy,
          ...(d.timer === undefined ? {} : { timer: d.timer }),
        };
        seen.add(d.commandId);
        if (d.timer !== undefined) firedTimers.add(d.timer.firingId);
        byStream.set(recorded.streamName, d.commandId);
        open.set(d.commandId, {
          streamName: recorded.streamName,
          command,
          status: 'pending',
          revision: recorded.revision,
          attempts: 0,
          retryAt: undefined,
          claim: undefined,
          lastFailure: undefined,
        });
        return E.right(undefined);
      }
      const commandId = byStream.get(recorded.streamName);
      const entry = commandId === undefined ? undefined : open.get(commandId);
      if (commandId === undefined || entry === undefined) return E.right(undefined);
      switch (event.type) {
        case 'DispatchClaimed':
          open.set(commandId, {
            ...entry,
            status: 'claimed',
            revision: recorded.revision,
            attempts: event.data.attempt,
            claim: { instanceId: event.data.instanceId, leaseUntil: event.data.leaseUntil },
          });
          break;
        case 'DispatchAttemptFailed':
          open.set(commandId, {
            ...entry,
            status: 'pending',
            revision: recorded.revision,
            retryAt: event.data.retryAt,
            claim: undefined,
            lastFailure: event.data.reason,
          });
          break;
        case 'CommandAcknowledged':
          open.delete(commandId);
          byStream.delete(recorded.streamName);
          break;
        case 'CommandDispatchFailed':
          open.delete(commandId);
          byStream.delete(recorded.streamName);
          failed.set(commandId, {
            ...entry,
            status: 'failed',
            revision: recorded.revision,
            claim: undefined,
            lastFailure: event.data.reason,
          });
          break;
      }
      return E.right(undefined);
    },
    open: () => [...open.values()],
    failed: () => [...failed.values()],
    hasFired: (firingId) => firedTimers.has(firingId),
    has: (commandId) => seen.has(commandId),
  };
};

/** Whether {@link emitCommand} wrote the command or found it already emitted. */
export type EmitOutcome = 'emitted' | 'duplicate';

const metadataFor = (
  eventId: string,
  occurredAt: string,
  recordedAt: string,
  causationId: string,
  correlationId: string,
  actor: string,
): EventMetadata => ({ eventId, occurredAt, recordedAt, causationId, correlationId, actor, policyVersion: null });

/**
 * Appends `CommandEmitted` to the command's own outbox stream with expected `no_stream`.
 * Returns `'duplicate'` when the stream already exists (the command was emitted before, or the
 * stream was tombstoned), `'emitted'` otherwise, or a store error.
 */
export const emitCommand = async (
  store: EventStore,
  recordedAt: Instant,
  command: OutboxCommand,
): Promise<E.Either<StoreError, EmitOutcome>> => {
  const eventId = deriveId('outbox-emitted', command.commandId);
  const actor = `lethe.${command.emittedBy.source}/${command.emittedBy.name}`;
  const result = await store.appendToStream(
    outboxStreamFor(command.commandId),
    [
      {
        id: eventId,
        type: 'CommandEmitted',
        data: {
          commandId: command.commandId,
          command: { type: command.type, data: command.data },
          occurredAt: command.occurredAt,
          causationId: command.causationId,
          correlationId: command.correlationId,
          emittedBy: command.emittedBy,
          ...(command.timer === undefined ? {} : { timer: command.timer }),
        },
        metadata: {
          ...metadataFor(eventId, command.occurredAt, isoOf(recordedAt), command.causationId, command.correlationId, actor),
        },
      },
    ],
    { expectedRevision: 'no_stream' },
  );
  if (E.isRight(result)) return E.right('emitted');
  // WrongExpectedVersion on `no_stream` means the command was emitted before: drop the duplicate.
  if (result.left._tag === 'WrongExpectedVersion' || result.left._tag === 'StreamDeleted') return E.right('duplicate');
  return E.left(result.left);
};

/** Exponential back-off: the delay before attempt n+1 is `min(maxMs, initialMs * factor^(n-1))`. */
export interface Backoff {
  readonly initialMs: number;
  readonly factor?: number;
  readonly maxMs?: number;
}

/** How the dispatcher retries and leases. */
export interface DispatchOptions {
  /** Attempts before a command is marked `CommandDispatchFailed` (default 5). */
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  /** How long a claim holds before another instance may take the command over (default 60 s). */
  readonly leaseMs: number;
}

/** The default dispatch options: 5 attempts, back-off 1 s doubling up to 1 h, 60 s leases. */
export const DEFAULT_DISPATCH_OPTIONS: DispatchOptions = {
  maxAttempts: 5,
  backoff: { initialMs: 1_000, factor: 2, maxMs: 3_600_000 },
  leaseMs: 60_000,
};

/** Returns the delay after the `attempt`-th failed attempt (1-based). */
export const backoffDelay = (backoff: Backoff, attempt: number): number => {
  const raw = backoff.initialMs * Math.pow(backoff.factor ?? 2, Math.max(0, attempt - 1));
  return Math.min(raw, backoff.maxMs ?? Number.POSITIVE_INFINITY);
};

/** A host's handler for one command type: Right when done; Left, a throw or a rejection count as a failed attempt. */
export type CommandDispatchHandler<Ctx> = (
  command: OutboxCommand,
  context: Ctx,
) => E.Either<unknown, unknown> | Promise<E.Either<unknown, unknown>>;

/** What one dispatcher run did, by command id. */
export interface DispatchReport {
  readonly acknowledged: readonly string[];
  /** Failed this time, will be retried at their `retryAt`. */
  readonly retrying: readonly string[];
  /** Failed for the last time: now in `failedCommands()`. */
  readonly failed: readonly string[];
  /** Pending with no handler registered for their type: they stay pending. */
  readonly unhandled: readonly string[];
  /** Claimed by another instance first (or its lease taken over): left to it. */
  readonly contended: readonly string[];
}

/** Everything {@link dispatchOutbox} needs. */
export interface DispatchDeps<Ctx> {
  readonly store: EventStore;
  readonly instanceId: string;
  readonly options: DispatchOptions;
  readonly handlers: Readonly<Record<string, CommandDispatchHandler<Ctx>>>;
  readonly context: (command: OutboxCommand) => Ctx;
  /** Reads the clock for the recorded-at metadata. */
  readonly clockNow: () => Instant;
  /**
   * Command types dispatched in emission order within one cause (default none): such a command
   * waits while an earlier one of these types, emitted for the same event or timer, is open and
   * not done. For commands that depend on each other, like Lethe's own.
   */
  readonly inOrder?: ReadonlySet<string>;
}

const isEither = (value: unknown): value is E.Either<unknown, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  ((value as { _tag?: unknown })._tag === 'Left' || (value as { _tag?: unknown })._tag === 'Right');

const reasonOf = (failure: unknown): string => {
  if (typeof failure === 'object' && failure !== null) {
    const tag = (failure as { _tag?: unknown })._tag;
    if (typeof tag === 'string' && tag.length > 0) return tag.slice(0, 100);
    if (failure instanceof Error) return failure.name;
  }
  return 'Failed';
};

const runHandler = async <Ctx>(
  handler: CommandDispatchHandler<Ctx>,
  command: OutboxCommand,
  context: Ctx,
): Promise<E.Either<string, void>> => {
  try {
    const result: unknown = await handler(command, context);
    if (!isEither(result)) return E.left('HandlerReturnedNoEither');
    return E.isLeft(result) ? E.left(reasonOf(result.left)) : E.right(undefined);
  } catch (error) {
    return E.left(reasonOf(error));
  }
};

/**
 * Runs the dispatcher once over `entries` (the open commands of the index) at instant `now`:
 * claims each due command, hands it to its handler, records the outcome. Sequential; returns
 * what happened per command, or the first store error other than a lost race.
 */
export const dispatchOutbox = async <Ctx>(
  deps: DispatchDeps<Ctx>,
  entries: readonly OutboxEntry[],
  now: Instant,
): Promise<E.Either<StoreError, DispatchReport>> => {
  const acknowledged: string[] = [];
  const retrying: string[] = [];
  const failed: string[] = [];
  const unhandled: string[] = [];
  const contended: string[] = [];
  const { store, instanceId, options } = deps;
  const actor = `lethe.engine/${instanceId}`;

  const append = async (
    entry: OutboxEntry,
    expected: StreamRevision,
    type: string,
    data: JsonValue,
  ): Promise<E.Either<StoreError, StreamRevision>> => {
    const eventId = deriveId('outbox', entry.command.commandId, expected + 1n, instanceId);
    const result = await store.appendToStream(
      entry.streamName,
      [
        {
          id: eventId,
          type,
          data,
          metadata: {
            ...metadataFor(
              eventId,
              isoOf(now),
              isoOf(deps.clockNow()),
              entry.command.commandId,
              entry.command.correlationId,
              actor,
            ),
          },
        },
      ],
      { expectedRevision: expected },
    );
    return E.isRight(result) ? E.right(result.right.nextExpectedRevision) : result;
  };

  /**
   * Causes (the event or timer a command answers) with a command still open ahead in emission
   * order: the later commands of one cause wait for the earlier ones, so that, say, a retention
   * clock is started before the erasure that needs it is requested, even when the start is held
   * up (a lease of an instance that died, a back-off).
   */
  const waiting = new Set<string>();
  for (const entry of entries) {
    const id = entry.command.commandId;
    const ordered = deps.inOrder?.has(entry.command.type) === true;
    const cause = ordered ? entry.command.causationId : undefined;
    if (cause !== undefined && waiting.has(cause)) continue;
    // A claim of this instance is due at once: dispatch runs one pass at a time per instance, so
    // no handler of ours still holds it; it was left when recording the outcome failed (or the
    // answer to the claim was lost), and waiting out our own lease would only delay the command.
    const due =
      entry.status === 'pending'
        ? entry.retryAt === undefined || entry.retryAt <= now
        : entry.status === 'claimed' &&
          entry.claim !== undefined &&
          (entry.claim.leaseUntil < now || entry.claim.instanceId === instanceId);
    const handler = Object.prototype.hasOwnProperty.call(deps.handlers, entry.command.type)
      ? deps.handlers[entry.command.type]
      : undefined;
    if (handler === undefined) {
      // No handler here: it never holds up the others (this instance could never complete it).
      if (due) unhandled.push(id);
      continue;
    }
    if (!due) {
      if (cause !== undefined) waiting.add(cause);
      continue;
    }
    const holdUp = (): void => {
      if (cause !== undefined) waiting.add(cause);
    };
    const attempt = entry.attempts + 1;
    if (attempt > options.maxAttempts) {
      // A lease expired on the last attempt (the instance holding it stopped): give up, visibly.
      const gaveUp = await append(entry, entry.revision, 'CommandDispatchFailed', {
        instanceId,
        attempt: entry.attempts,
        reason: 'LeaseExpired',
      });
      if (E.isLeft(gaveUp)) {
        if (gaveUp.left._tag !== 'WrongExpectedVersion') return gaveUp;
        contended.push(id);
      } else failed.push(id);
      continue;
    }
    const claimed = await append(entry, entry.revision, 'DispatchClaimed', {
      instanceId,
      attempt,
      leaseUntil: now + options.leaseMs,
    });
    if (E.isLeft(claimed)) {
      if (claimed.left._tag !== 'WrongExpectedVersion') return claimed;
      contended.push(id);
      holdUp();
      continue;
    }
    const outcome = await runHandler(handler, entry.command, deps.context(entry.command));
    const recorded = E.isRight(outcome)
      ? await append(entry, claimed.right, 'CommandAcknowledged', { instanceId, attempt })
      : attempt >= options.maxAttempts
        ? await append(entry, claimed.right, 'CommandDispatchFailed', { instanceId, attempt, reason: outcome.left })
        : await append(entry, claimed.right, 'DispatchAttemptFailed', {
            instanceId,
            attempt,
            reason: outcome.left,
            retryAt: now + backoffDelay(options.backoff, attempt),
          });
    if (E.isLeft(recorded)) {
      if (recorded.left._tag !== 'WrongExpectedVersion') return recorded;
      // Our lease was taken over meanwhile: the other instance owns the outcome now.
      contended.push(id);
      holdUp();
      continue;
    }
    if (E.isRight(outcome)) acknowledged.push(id);
    else if (attempt >= options.maxAttempts) failed.push(id);
    else {
      retrying.push(id);
      holdUp();
    }
  }
  return E.right({ acknowledged, retrying, failed, unhandled, contended });
};
