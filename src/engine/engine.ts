/**
 * The engine: the imperative shell around pure deciders, projections and reactions.
 *
 * - `execute` runs a command through its stream kind's decider with optimistic concurrency.
 * - The global feed (`$all`, system events left out, only `lethe.<kind>-` streams of registered
 *   kinds and the outbox) drives projections (in memory, rebuilt from the start when an engine
 *   starts), reactions (durable checkpoints, idempotent effects) and the outbox index, in order:
 *   deterministically with `catchUp()`, or live with `start()` / `stop()` over the store's
 *   subscription.
 * - `tick(now)` catches up, then fires every timer due by `now` exactly once, in due order.
 * - `dispatch()` hands pending outbox commands to the host's handlers, with claims, leases,
 *   back-off and a typed failure after the last attempt.
 *
 * Exactly-once effects across restarts rest on derived ids: a reaction's commands are uuid v5 of
 * (reaction, cause event id, index), a timer's of (key, due instant, handler, index), and the
 * outbox refuses a second stream for the same id.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { v4 as uuidv4 } from 'uuid';
import type { AllFilter, EventStore, Position, RecordedEvent } from '../store/port.js';
import { comparePositions } from '../store/port.js';
import type { Clock } from '../time/clock.js';
import type { Instant } from '../time/types.js';
import type { Checkpoint } from './checkpoints.js';
import { readCheckpoint, storeCheckpoint } from './checkpoints.js';
import type {
  AnyStreamKind,
  CommandOf,
  CommandRequest,
  EventOf,
  ExecuteResult,
  LetheEvent,
  RejectionOf,
} from './commandHandler.js';
import { decodeRecorded, executeCommand } from './commandHandler.js';
import type { Rejection } from './decider.js';
import type { CommandError, InvalidConfiguration, ProcessingError } from './errors.js';
import {
  isValidKind,
  isValidProcessorName,
  kindOfStream,
  OUTBOX_PREFIX,
  reactionCommandId,
  timerCommandId,
  timerFiringId,
} from './ids.js';
import { isoOf } from './metadata.js';
import type { CommandDispatchHandler, DispatchOptions, DispatchReport, OutboxCommand, OutboxEntry } from './outbox.js';
import { createOutboxIndex, DEFAULT_DISPATCH_OPTIONS, dispatchOutbox, emitCommand } from './outbox.js';
import type { EmittedCommand, Projection, Reaction, TimerHandler } from './processor.js';
import { checkCommands, checkReactionResult } from './processor.js';
import type { ScheduledTimer } from './scheduler.js';
import { createScheduler } from './scheduler.js';

/** The events of the feed for a map of stream kinds: a union of {@link LetheEvent}s, one per kind. */
export type FeedEvent<Kinds extends Readonly<Record<string, AnyStreamKind>>> = {
  [K in keyof Kinds & string]: LetheEvent<EventOf<Kinds[K]>, K>;
}[keyof Kinds & string];

/** The states of a map of projections, by name: what reactions and timer handlers see as `views`. */
export type ViewsOf<Projs> = {
  readonly [N in keyof Projs]: Projs[N] extends Projection<infer S, infer _Ev> ? S : never;
};

/** What a command handler of the host gets beside the command. */
export interface DispatchContext {
  /** The instant the dispatcher runs at. */
  readonly now: Instant;
  /** The engine's `execute`, untyped: for handlers that turn an outbox command into a Lethe command. */
  readonly execute: (
    request: CommandRequest<string, unknown>,
  ) => Promise<E.Either<CommandError<Rejection>, ExecuteResult>>;
  /**
   * Executes this outbox command against stream kind `kind`: decodes `{ type, data }` with the
   * kind's `commands` codec (`InvalidCommand` when it has none or the command fails it) and
   * executes it with the outbox command id, so a redelivery is idempotent.
   */
  readonly executeAs: (kind: string) => Promise<E.Either<CommandError<Rejection>, ExecuteResult>>;
}

/** A host's handler for one command type (see `outbox.ts` for the failure rules). */
export type CommandHandler = CommandDispatchHandler<DispatchContext>;

/** Returns a command handler that executes the outbox command against stream kind `kind` (see {@link DispatchContext.executeAs}). */
export const routeToStreamKind =
  (kind: string): CommandHandler =>
  (_command, context) =>
    context.executeAs(kind);

/** Something the host should know that is not an error of the call that met it. */
export type EngineNotice =
  | { readonly _tag: 'CheckpointConflict'; readonly processor: string }
  | { readonly _tag: 'CommandWithoutHandler'; readonly commandId: string; readonly commandType: string }
  | { readonly _tag: 'DispatchContended'; readonly commandId: string }
  | { readonly _tag: 'CommandDispatchFailed'; readonly commandId: string; readonly commandType: string }
  | { readonly _tag: 'LiveProcessingFailed'; readonly error: ProcessingError };

/** The engine's configuration. Names of kinds, projections, reactions and handlers are the record keys. */
export interface EngineConfig<
  Kinds extends Readonly<Record<string, AnyStreamKind>>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  Projs extends Readonly<Record<string, Projection<any, FeedEvent<Kinds>>>>,
> {
  readonly store: EventStore;
  readonly clock: Clock;
  /** Stream kinds by kind name (`lethe.<kind>-<uuid>` streams); kinds are lower camelCase, not `checkpoint` or `outbox`. */
  readonly streams: Kinds;
  readonly projections?: Projs;
  /** Reactions by name; the name keys the checkpoint stream and the derived command ids, so never rename one lightly. */
  readonly reactions?: Readonly<Record<string, Reaction<FeedEvent<Kinds>, ViewsOf<Projs>>>>;
  readonly timerHandlers?: Readonly<Record<string, TimerHandler<ViewsOf<Projs>>>>;
  /** The host's handlers for emitted commands, by command type. */
  readonly commandHandlers?: Readonly<Record<string, CommandHandler>>;
  /**
   * Command types dispatched in emission order within one cause (see `dispatchOutbox`): for
   * commands that depend on each other. Lethe passes its own internal commands.
   */
  readonly orderedCommandTypes?: readonly string[];
  /** Identifies this engine in claims (default: a random uuid); unique per running engine, since a claim under it is taken as its own. */
  readonly instanceId?: string;
  readonly dispatch?: Partial<DispatchOptions>;
  /** Events read per `$all` page while catching up (default 500). */
  readonly batchSize?: number;
  /** Receives notices (checkpoint conflicts, commands without handler, ...). */
  readonly onNotice?: (notice: EngineNotice) => void;
}

/** What `catchUp` did. */
export interface CatchUpReport {
  /** Feed events handled by this call. */
  readonly processed: number;
  /** The position of the last feed event handled (undefined: the feed is empty). */
  readonly position: Position | undefined;
}

/** A timer that fired in a tick, and the commands it emitted (ids). */
export interface FiredTimer {
  readonly key: string;
  readonly at: Instant;
  readonly handler: string;
  readonly firingId: string;
  readonly commandIds: readonly string[];
}

/** What `tick` did. */
export interface TickReport {
  readonly fired: readonly FiredTimer[];
  /** Due timers whose firing had already emitted its commands (before a restart): not fired again. */
  readonly alreadyFired: readonly string[];
}

/** A pending outbox command and whether a handler is registered for its type. */
export interface PendingCommand extends OutboxEntry {
  readonly hasHandler: boolean;
}

/** Options of live mode. */
export interface StartOptions {
  /** Run the dispatcher when new commands reach the outbox (default true). */
  readonly dispatch?: boolean;
}

/** A running engine. Every async operation resolves to an `Either`; none rejects. */
export interface Engine<
  Kinds extends Readonly<Record<string, AnyStreamKind>>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  Projs extends Readonly<Record<string, Projection<any, FeedEvent<Kinds>>>>,
> {
  readonly instanceId: string;
  /** Executes a command against its stream kind; returns the appended events or a typed error. */
  readonly execute: <K extends keyof Kinds & string>(
    request: CommandRequest<K, CommandOf<Kinds[K]>>,
  ) => Promise<E.Either<CommandError<RejectionOf<Kinds[K]>>, ExecuteResult<EventOf<Kinds[K]>>>>;
  /** Processes every feed event now in the store; fails on an invalid event or failing host code (processing stops there). */
  readonly catchUp: () => Promise<E.Either<ProcessingError, CatchUpReport>>;
  /** Catches up, then fires every timer due by `now` exactly once, in due order (ties by key). */
  readonly tick: (now: Instant) => Promise<E.Either<ProcessingError, TickReport>>;
  /** Catches up, then runs the dispatcher once at `now` (default: the clock). */
  readonly dispatch: (now?: Instant) => Promise<E.Either<ProcessingError, DispatchReport>>;
  /** Catches up, then follows the store's subscription until `stop()`. */
  readonly start: (options?: StartOptions) => Promise<E.Either<ProcessingError, void>>;
  /** Ends live mode, stores the reactions' checkpoints and waits for a running dispatch. */
  readonly stop: () => Promise<E.Either<ProcessingError, void>>;
  /** The projection's state as of the last event processed (its `init()` before any). */
  readonly projection: <N extends keyof Projs & string>(name: N) => ViewsOf<Projs>[N];
  /** Catches up, refolds the projection from the start of the log up to the engine's position and returns it. */
  readonly rebuild: <N extends keyof Projs & string>(name: N) => Promise<E.Either<ProcessingError, ViewsOf<Projs>[N]>>;
  /** Catches up, then returns the commands waiting in the outbox (pending or claimed), in emission order. */
  readonly pendingCommands: () => Promise<E.Either<ProcessingError, readonly PendingCommand[]>>;
  /** Catches up, then returns the commands whose dispatch failed for good. */
  readonly failedCommands: () => Promise<E.Either<ProcessingError, readonly OutboxEntry[]>>;
  /** The pending timer under `key`, or undefined (as of the last event processed). */
  readonly timer: (key: string) => ScheduledTimer | undefined;
}

interface ReactionCursor {
  checkpoint: Checkpoint;
  /** The last event this reaction handled in this engine's life. */
  done: Position | undefined;
  /** The last live event handled and not yet in the durable checkpoint. */
  dirty: Position | undefined;
  /** Events handled since the durable checkpoint. */
  unflushed: number;
  /** The reaction emitted since the durable checkpoint: the checkpoint must be written. */
  mustFlush: boolean;
}

/**
 * A reaction's checkpoint is written when the reaction emitted commands, when it lags this many
 * events behind, and when the engine stops. Re-running a reaction over events that emitted nothing
 * emits nothing again (reactions are pure; timers are rebuilt from the whole log on start), so a
 * lagging checkpoint costs only replay work after a crash, while writing one per reaction after
 * every catch-up cost most of the appends a host call made on EventStoreDB.
 */
export const CHECKPOINT_LAG = 1_000;

const serialiser = (): (<A>(task: () => Promise<A>) => Promise<A>) => {
  let tail: Promise<unknown> = Promise.resolve();
  return <A>(task: () => Promise<A>): Promise<A> => {
    const run = tail.then(task);
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
};

const after = (position: Position, bound: Position | undefined): boolean =>
  bound === undefined || comparePositions(position, bound) > 0;

const own = <V>(record: Readonly<Record<string, V>> | undefined, key: string): V | undefined =>
  record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;

interface ConfigShape {
  readonly streams: Readonly<Record<string, AnyStreamKind>>;
  readonly projections?: object;
  readonly reactions?: object;
  readonly dispatch?: Partial<DispatchOptions>;
  readonly instanceId?: string;
  readonly batchSize?: number;
}

const checkConfig = (config: ConfigShape): InvalidConfiguration | undefined => {
  const bad = (path: string, reason: string): InvalidConfiguration => ({ _tag: 'InvalidConfiguration', path, reason });
  for (const [name, kind] of Object.entries(config.streams)) {
    if (!isValidKind(name)) return bad(`streams.${name}`, 'kinds are lower camelCase letters and digits, not checkpoint or outbox');
    if (typeof kind.streamName !== 'function' || typeof kind.decider?.decide !== 'function' || typeof kind.events?.decode !== 'function')
      return bad(`streams.${name}`, 'needs a decider, an events codec and streamName');
    if (kind.maxRetries !== undefined && (!Number.isInteger(kind.maxRetries) || kind.maxRetries < 0))
      return bad(`streams.${name}.maxRetries`, 'must be a whole number >= 0');
  }
  for (const group of ['projections', 'reactions'] as const)
    for (const name of Object.keys(config[group] ?? {}))
      if (!isValidProcessorName(name) || name === '__proto__') return bad(`${group}.${name}`, 'names are letters, digits, _ and .');
  const dispatch = { ...DEFAULT_DISPATCH_OPTIONS, ...config.dispatch };
  if (!Number.isInteger(dispatch.maxAttempts) || dispatch.maxAttempts < 1)
    return bad('dispatch.maxAttempts', 'must be a whole number >= 1');
  if (!(dispatch.backoff.initialMs >= 0)) return bad('dispatch.backoff.initialMs', 'must be >= 0');
  if (!(dispatch.leaseMs > 0)) return bad('dispatch.leaseMs', 'must be > 0');
  if (config.instanceId !== undefined && (typeof config.instanceId !== 'string' || config.instanceId.length === 0))
    return bad('instanceId', 'must be a non-empty string');
  if (config.batchSize !== undefined && (!Number.isInteger(config.batchSize) || config.batchSize < 2))
    return bad('batchSize', 'must be a whole number >= 2');
  return undefined;
};

/**
 * Returns an engine over `config.store`, or `InvalidConfiguration` naming the bad entry.
 * Nothing is read until the first call: the first `catchUp` (or `tick`, `dispatch`, `start`)
 * loads the reactions' checkpoints and replays the log from the start to rebuild projections
 * and timers.
 *
 * @example
 * ```ts
 * const engine = createEngine({ store, clock, streams: { account }, projections: { balances } });
 * if (E.isRight(engine)) {
 *   await engine.right.execute({ kind: 'account', command, occurredAt: '2026-01-01T00:00:00Z', actor: 'user-1' });
 *   await engine.right.catchUp();
 *   engine.right.projection('balances');
 * }
 * ```
 */
export const createEngine = <
  Kinds extends Readonly<Record<string, AnyStreamKind>>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  Projs extends Readonly<Record<string, Projection<any, FeedEvent<Kinds>>>> = Readonly<Record<never, never>>,
>(
  config: EngineConfig<Kinds, Projs>,
): E.Either<InvalidConfiguration, Engine<Kinds, Projs>> => {
  const invalid = checkConfig(config);
  if (invalid !== undefined) return E.left(invalid);

  const { store, clock } = config;
  const kinds = config.streams as Readonly<Record<string, AnyStreamKind>>;
  const projections = Object.entries((config.projections ?? {}) as Readonly<Record<string, Projection<unknown, LetheEvent>>>);
  const reactions = Object.entries(config.reactions ?? {}) as [string, Reaction<LetheEvent, unknown>][];
  const timerHandlers = (config.timerHandlers ?? {}) as Readonly<Record<string, TimerHandler<unknown>>>;
  const commandHandlers = config.commandHandlers ?? {};
  const instanceId = config.instanceId ?? uuidv4();
  const orderedCommandTypes: ReadonlySet<string> = new Set(config.orderedCommandTypes ?? []);
  const dispatchOptions: DispatchOptions = { ...DEFAULT_DISPATCH_OPTIONS, ...config.dispatch };
  const batchSize = config.batchSize ?? 500;
  const notify = (notice: EngineNotice): void => {
    try {
      config.onNotice?.(notice);
    } catch {
      // A failing observer must not break processing.
    }
  };
  const filter: AllFilter = {
    excludeSystemEvents: true,
    streamNamePrefixes: [...Object.keys(kinds).map((k) => `lethe.${k}-`), OUTBOX_PREFIX],
  };

  const feedLock = serialiser();
  const dispatchLock = serialiser();
  const scheduler = createScheduler();
  const outbox = createOutboxIndex();
  /**
   * Every projection's state by name, frozen: it is also the `views` object reactions and timer
   * handlers see, so that processing an event builds one small object, not a map and a copy.
   */
  let states: Readonly<Record<string, unknown>> = Object.freeze({});
  const initStates = (): E.Either<ProcessingError, void> => {
    const fresh: Record<string, unknown> = {};
    for (const [name, p] of projections) {
      try {
        fresh[name] = p.init();
      } catch (error) {
        return E.left({ _tag: 'HostCodeFailed', source: `projection:${name}`, error });
      }
    }
    states = Object.freeze(fresh);
    return E.right(undefined);
  };
  const initialStates = initStates();
  let cursor: Position | undefined;
  const cursors = new Map<string, ReactionCursor>();
  let loaded = false;
  const reportedUnhandled = new Set<string>();

  const load = async (): Promise<E.Either<ProcessingError, void>> => {
    if (loaded) return E.right(undefined);
    if (E.isLeft(initialStates)) return initialStates;
    for (const [name] of reactions) {
      const checkpoint = await readCheckpoint(store, name);
      if (E.isLeft(checkpoint)) return checkpoint;
      cursors.set(name, { checkpoint: checkpoint.right, done: undefined, dirty: undefined, unflushed: 0, mustFlush: false });
    }
    loaded = true;
    return E.right(undefined);
  };

  const emit = async (command: OutboxCommand): Promise<E.Either<ProcessingError, void>> => {
    if (outbox.has(command.commandId)) return E.right(undefined);
    const emitted = await emitCommand(store, clock.now(), command);
    return E.isLeft(emitted) ? emitted : E.right(undefined);
  };

  /** Handles one feed event; returns how many commands it emitted. */
  const processRecord = async (record: RecordedEvent): Promise<E.Either<ProcessingError, number>> => {
    if (record.streamName.startsWith(OUTBOX_PREFIX)) {
      const applied = outbox.apply(record);
      if (E.isLeft(applied)) return applied;
      cursor = record.position;
      return E.right(0);
    }
    const kindName = kindOfStream(record.streamName);
    const kind = kindName === undefined ? undefined : own(kinds, kindName);
    if (kindName === undefined || kind === undefined) {
      cursor = record.position;
      return E.right(0);
    }
    const decoded = decodeRecorded(kindName, kind.events, record);
    if (E.isLeft(decoded)) return decoded;
    const event = decoded.right;

    const next: Record<string, unknown> = {};
    for (const [name, p] of projections) {
      try {
        next[name] = p.apply(states[name], event);
      } catch (error) {
        return E.left({ _tag: 'HostCodeFailed', source: `projection:${name}`, error });
      }
    }
    const views: Readonly<Record<string, unknown>> = Object.freeze(next);
    let emitted = 0;
    for (const [name, reaction] of reactions) {
      const state = cursors.get(name) as ReactionCursor;
      if (!after(record.position, state.done)) continue;
      const source = `reaction:${name}`;
      let result;
      try {
        result = reaction.react(event, { views });
      } catch (error) {
        return E.left({ _tag: 'HostCodeFailed', source, error });
      }
      const checked = checkReactionResult(source, result, (h) => own(timerHandlers, h) !== undefined);
      if (E.isLeft(checked)) return checked;
      for (const key of checked.right.cancelTimers ?? []) scheduler.cancel(key);
      for (const timer of checked.right.timers ?? [])
        scheduler.set({
          key: timer.key,
          at: timer.at,
          handler: timer.handler,
          ...(timer.payload === undefined ? {} : { payload: timer.payload }),
          causationId: record.id,
          correlationId: event.metadata.correlationId,
        });
      if (after(record.position, state.checkpoint.position)) {
        const commands = checked.right.commands ?? [];
        for (let i = 0; i < commands.length; i++) {
          const command = commands[i] as EmittedCommand;
          const done = await emit({
            commandId: reactionCommandId(name, record.id, i),
            type: command.type,
            data: command.data,
            occurredAt: command.occurredAt ?? event.metadata.occurredAt,
            causationId: record.id,
            correlationId: event.metadata.correlationId,
            emittedBy: { source: 'reaction', name },
          });
          if (E.isLeft(done)) return done;
        }
        emitted += commands.length;
        state.dirty = record.position;
        state.unflushed += 1;
        if (commands.length > 0) state.mustFlush = true;
      }
      state.done = record.position;
    }
    states = views;
    cursor = record.position;
    return E.right(emitted);
  };

  const flushCheckpoints = async (force = false): Promise<E.Either<ProcessingError, void>> => {
    for (const [name, state] of cursors) {
      if (state.dirty === undefined) continue;
      if (!force && !state.mustFlush && state.unflushed < CHECKPOINT_LAG) continue;
      const stored = await storeCheckpoint(store, name, state.checkpoint, state.dirty, instanceId);
      if (E.isLeft(stored)) return stored;
      if (stored.right.conflict) notify({ _tag: 'CheckpointConflict', processor: name });
      state.checkpoint = stored.right.checkpoint;
      state.dirty = undefined;
      state.unflushed = 0;
      state.mustFlush = false;
    }
    return E.right(undefined);
  };

  const catchUpLocked = async (): Promise<E.Either<ProcessingError, CatchUpReport>> => {
    const ready = await load();
    if (E.isLeft(ready)) return ready;
    let processed = 0;
    for (;;) {
      const page = await store.readAll({ fromPosition: cursor ?? 'start', maxCount: batchSize, filter });
      if (E.isLeft(page)) return page;
      let fresh = 0;
      for (const record of page.right) {
        if (!after(record.position, cursor)) continue;
        fresh++;
        const handled = await processRecord(record);
        if (E.isLeft(handled)) return handled;
        processed++;
      }
      if (fresh === 0) break;
      const flushed = await flushCheckpoints();
      if (E.isLeft(flushed)) return flushed;
    }
    return E.right({ processed, position: cursor });
  };

  const catchUp = (): Promise<E.Either<ProcessingError, CatchUpReport>> => feedLock(catchUpLocked);

  const execute = ((request: CommandRequest<string, unknown>) => {
    const kind = own(kinds, request.kind);
    if (kind === undefined) return Promise.resolve(E.left({ _tag: 'UnknownStreamKind', kind: String(request.kind) }));
    return executeCommand({ store, clock }, request.kind, kind, request);
  }) as Engine<Kinds, Projs>['execute'];

  const tick = (now: Instant): Promise<E.Either<ProcessingError, TickReport>> =>
    feedLock(async () => {
      const caughtUp = await catchUpLocked();
      if (E.isLeft(caughtUp)) return caughtUp;
      const due = scheduler.takeDue(now);
      const fired: FiredTimer[] = [];
      const alreadyFired: string[] = [];
      const views = states;
      for (let t = 0; t < due.length; t++) {
        const timer = due[t] as ScheduledTimer;
        const giveBack = (): void => due.slice(t).forEach((rest) => scheduler.restore(rest));
        const firingId = timerFiringId(timer.key, timer.at, timer.handler);
        if (outbox.hasFired(firingId)) {
          alreadyFired.push(timer.key);
          continue;
        }
        const source = `timer:${timer.handler}`;
        const handler = own(timerHandlers, timer.handler);
        if (handler === undefined) {
          giveBack();
          return E.left({ _tag: 'InvalidEffect', source, path: 'handler', reason: 'no timer handler is registered under this name' });
        }
        let result;
        try {
          result = handler({ key: timer.key, at: timer.at, handler: timer.handler, payload: timer.payload, firingId }, { views, now });
        } catch (error) {
          giveBack();
          return E.left({ _tag: 'HostCodeFailed', source, error });
        }
        const commands = checkCommands(source, typeof result === 'object' && result !== null ? result.commands : undefined);
        if (E.isLeft(commands)) {
          giveBack();
          return commands;
        }
        const commandIds: string[] = [];
        for (let i = 0; i < commands.right.length; i++) {
          const command = commands.right[i] as EmittedCommand;
          const commandId = timerCommandId(firingId, i);
          const done = await emit({
            commandId,
            type: command.type,
            data: command.data,
            occurredAt: command.occurredAt ?? isoOf(timer.at),
            causationId: timer.causationId,
            correlationId: timer.correlationId,
            emittedBy: { source: 'timer', name: timer.handler },
            timer: { firingId, key: timer.key, at: timer.at, handler: timer.handler },
          });
          if (E.isLeft(done)) {
            giveBack();
            return done;
          }
          commandIds.push(commandId);
        }
        fired.push({ key: timer.key, at: timer.at, handler: timer.handler, firingId, commandIds });
      }
      const ingested = await catchUpLocked();
      if (E.isLeft(ingested)) return ingested;
      return E.right({ fired, alreadyFired });
    });

  const dispatchContext = (now: Instant) => (command: OutboxCommand): DispatchContext => ({
    now,
    execute: execute as DispatchContext['execute'],
    executeAs: (kindName) => {
      const kind = own(kinds, kindName);
      if (kind === undefined) return Promise.resolve(E.left({ _tag: 'UnknownStreamKind', kind: kindName }));
      if (kind.commands === undefined)
        return Promise.resolve(E.left({ _tag: 'InvalidCommand', path: 'kind', reason: 'the stream kind has no commands codec' }));
      const decoded: E.Either<unknown, unknown> = kind.commands.decode({ type: command.type, data: command.data });
      if (E.isLeft(decoded))
        return Promise.resolve(E.left({ _tag: 'InvalidCommand', path: 'command', reason: 'does not match the kind\'s commands codec' }));
      const request = {
        kind: kindName,
        command: decoded.right,
        commandId: command.commandId,
        occurredAt: command.occurredAt,
        actor: `lethe.${command.emittedBy.source}/${command.emittedBy.name}`,
        causationId: command.commandId,
        correlationId: command.correlationId,
      };
      // Lethe's own command: a store that was unavailable once (a lost answer, a blip) is tried again at
      // once, up to twice, before the dispatch records a failed attempt and backs off; the
      // command id makes a retry of a write that did land a no-op.
      return (async () => {
        let result = await executeCommand({ store, clock }, kindName, kind, request);
        for (let retry = 0; retry < 2 && E.isLeft(result) && result.left._tag === 'StoreUnavailable'; retry++)
          result = await executeCommand({ store, clock }, kindName, kind, request);
        return result;
      })();
    },
  });

  const dispatch = (now?: Instant): Promise<E.Either<ProcessingError, DispatchReport>> =>
    dispatchLock(async () => {
      const caughtUp = await catchUp();
      if (E.isLeft(caughtUp)) return caughtUp;
      const at = now ?? clock.now();
      const report = await dispatchOutbox(
        {
          store,
          instanceId,
          options: dispatchOptions,
          handlers: commandHandlers,
          context: dispatchContext(at),
          clockNow: clock.now,
          inOrder: orderedCommandTypes,
        },
        outbox.open(),
        at,
      );
      if (E.isLeft(report)) return report;
      for (const id of report.right.unhandled) {
        if (reportedUnhandled.has(id)) continue;
        reportedUnhandled.add(id);
        const entry = outbox.open().find((e) => e.command.commandId === id);
        notify({ _tag: 'CommandWithoutHandler', commandId: id, commandType: entry?.command.type ?? '' });
      }
      for (const id of report.right.contended) notify({ _tag: 'DispatchContended', commandId: id });
      const failedTypes = new Map(outbox.open().map((e) => [e.command.commandId, e.command.type]));
      for (const id of report.right.failed)
        notify({ _tag: 'CommandDispatchFailed', commandId: id, commandType: failedTypes.get(id) ?? '' });
      const ingested = await catchUp();
      if (E.isLeft(ingested)) return ingested;
      return report;
    });

  // Live mode.
  let live: { readonly stop: () => Promise<void> } | undefined;
  let liveDispatch: Promise<unknown> = Promise.resolve();

  const start = async (options?: StartOptions): Promise<E.Either<ProcessingError, void>> => {
    if (live !== undefined) return E.right(undefined);
    const autoDispatch = options?.dispatch ?? true;
    const ready = await catchUp();
    if (E.isLeft(ready)) return ready;
    const subscription = store.subscribeToAll({ from: cursor ?? 'start', filter });
    let sinceFlush = 0;
    const loop = (async () => {
      try {
        for await (const record of subscription) {
          const outcome = await feedLock(async (): Promise<E.Either<ProcessingError, boolean>> => {
            if (!after(record.position, cursor)) return E.right(false);
            const handled = await processRecord(record);
            if (E.isLeft(handled)) return handled;
            sinceFlush++;
            if (handled.right > 0 || sinceFlush >= 100) {
              sinceFlush = 0;
              const flushed = await flushCheckpoints();
              if (E.isLeft(flushed)) return flushed;
            }
            return E.right(record.streamName.startsWith(OUTBOX_PREFIX) && record.type === 'CommandEmitted');
          });
          if (E.isLeft(outcome)) {
            notify({ _tag: 'LiveProcessingFailed', error: outcome.left });
            break;
          }
          if (outcome.right && autoDispatch)
            liveDispatch = liveDispatch.then(async () => {
              const dispatched = await dispatch();
              if (E.isLeft(dispatched)) notify({ _tag: 'LiveProcessingFailed', error: dispatched.left });
            });
        }
      } catch (error) {
        const storeError: ProcessingError =
          typeof error === 'object' && error !== null && typeof (error as { _tag?: unknown })._tag === 'string'
            ? (error as ProcessingError)
            : { _tag: 'StoreUnavailable', reason: 'the subscription ended with an error' };
        notify({ _tag: 'LiveProcessingFailed', error: storeError });
      }
    })();
    live = {
      stop: async () => {
        await subscription.unsubscribe();
        await loop;
      },
    };
    return E.right(undefined);
  };

  const stop = async (): Promise<E.Either<ProcessingError, void>> => {
    const running = live;
    live = undefined;
    if (running !== undefined) await running.stop();
    await liveDispatch;
    return feedLock(() => flushCheckpoints(true));
  };

  const rebuild = <N extends keyof Projs & string>(name: N): Promise<E.Either<ProcessingError, ViewsOf<Projs>[N]>> =>
    feedLock(async () => {
      const caughtUp = await catchUpLocked();
      if (E.isLeft(caughtUp)) return caughtUp;
      const projection = projections.find(([n]) => n === name)?.[1];
      if (projection === undefined) return E.left({ _tag: 'InvalidEffect', source: `projection:${name}`, path: '', reason: 'no such projection' });
      const source = `projection:${name}`;
      const bound = cursor;
      let state: unknown;
      try {
        state = projection.init();
      } catch (error) {
        return E.left({ _tag: 'HostCodeFailed', source, error });
      }
      let from: Position | 'start' = 'start';
      let last: Position | undefined;
      if (bound !== undefined)
        for (;;) {
          const page = await store.readAll({ fromPosition: from, maxCount: batchSize, filter });
          if (E.isLeft(page)) return page;
          let fresh = 0;
          let reachedBound = false;
          for (const record of page.right) {
            if (!after(record.position, last)) continue;
            if (after(record.position, bound)) {
              reachedBound = true;
              break;
            }
            fresh++;
            last = record.position;
            const kindName = kindOfStream(record.streamName);
            const kind = kindName === undefined ? undefined : own(kinds, kindName);
            if (record.streamName.startsWith(OUTBOX_PREFIX) || kindName === undefined || kind === undefined) continue;
            const decoded = decodeRecorded(kindName, kind.events, record);
            if (E.isLeft(decoded)) return decoded;
            try {
              state = projection.apply(state, decoded.right);
            } catch (error) {
              return E.left({ _tag: 'HostCodeFailed', source, error });
            }
          }
          if (reachedBound || fresh === 0 || last === undefined) break;
          from = last;
        }
      states = Object.freeze({ ...states, [name]: state });
      return E.right(state as ViewsOf<Projs>[N]);
    });

  return E.right({
    instanceId,
    execute,
    catchUp,
    tick,
    dispatch,
    start,
    stop,
    projection: <N extends keyof Projs & string>(name: N) => states[name] as ViewsOf<Projs>[N],
    rebuild,
    pendingCommands: () =>
      feedLock(async () => {
        const caughtUp = await catchUpLocked();
        if (E.isLeft(caughtUp)) return caughtUp;
        return E.right(
          outbox.open().map((entry) => ({ ...entry, hasHandler: own(commandHandlers, entry.command.type) !== undefined })),
        );
      }),
    failedCommands: () =>
      feedLock(async () => {
        const caughtUp = await catchUpLocked();
        if (E.isLeft(caughtUp)) return caughtUp;
        return E.right(outbox.failed());
      }),
    timer: (key) => scheduler.get(key),
  });
};
