/**
 * Processors over the global feed: projections (pure folds kept in memory) and reactions (pure
 * functions from an event and the current views to commands and timers). The engine feeds both
 * in global order; this module holds their shapes and the checks on what a reaction returns.
 *
 * Projections are kept in memory and rebuilt from the start of the log when an engine starts,
 * so their state is always the fold of exactly the events before the engine's cursor (nothing
 * skipped, nothing applied twice) and needs no serialisable form. Reactions keep a durable
 * checkpoint (see `checkpoints.ts`): on start they are replayed up to it only to rebuild their
 * timers, and their commands are emitted only for events after it.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { JsonValue } from '../store/port.js';
import type { Instant } from '../time/types.js';
import type { LetheEvent } from './commandHandler.js';
import type { InvalidEffect } from './errors.js';
import { findNonJsonPath, isIsoDateTime } from './metadata.js';
import type { TimerRequest } from './scheduler.js';

/**
 * A projection: a pure fold over the feed. `init` returns the state before any event, `apply`
 * the state after one more. Both must be pure: no clock, no randomness, no mutation of the state
 * passed in (return a new one), so that a rebuild equals the incremental state.
 */
export interface Projection<S, Ev = LetheEvent> {
  /** Returns the state before any event. */
  readonly init: () => S;
  /** Returns the state after one more event (a new value; the old one is not mutated). */
  readonly apply: (state: S, event: Ev) => S;
}

/** A command a reaction or a timer emits for the host: an imperative `type` and a JSON payload. */
export interface EmittedCommand {
  readonly type: string;
  readonly data: JsonValue;
  /** Business time for the command; default: the cause event's `occurredAt`, or the timer's due instant. */
  readonly occurredAt?: string;
}

/**
 * What a reaction returns for one event: commands to emit (through the outbox, with ids derived
 * from the event id, the reaction's name and the index), timers to set or replace (by key) and
 * timer keys to cancel. Cancellations apply before the timers set in the same result.
 */
export interface ReactionResult {
  readonly commands?: readonly EmittedCommand[];
  readonly timers?: readonly TimerRequest[];
  readonly cancelTimers?: readonly string[];
}

/** What a reaction sees beside the event: the projections' states right after that event. */
export interface ReactionContext<Views = Readonly<Record<string, unknown>>> {
  readonly views: Views;
}

/**
 * A reaction: a pure, deterministic function from an event (and the views) to effects. It is
 * called again for old events when an engine starts (to rebuild timers); only its effects for
 * events after its checkpoint are emitted, and those are idempotent.
 */
export interface Reaction<Ev = LetheEvent, Views = Readonly<Record<string, unknown>>> {
  /** Returns the commands, timers and cancellations one event leads to; pure and deterministic. */
  readonly react: (event: Ev, context: ReactionContext<Views>) => ReactionResult;
}

/** A timer that is due, as its handler sees it. */
export interface DueTimer {
  readonly key: string;
  readonly at: Instant;
  readonly handler: string;
  readonly payload: JsonValue | undefined;
  /** Uuid v5 of (key, at, handler): the identity the emitted command ids derive from. */
  readonly firingId: string;
}

/** What a timer handler sees beside the timer: the current views and the tick's `now`. */
export interface TimerContext<Views = Readonly<Record<string, unknown>>> {
  readonly views: Views;
  readonly now: Instant;
}

/** What a timer handler returns: commands to emit through the outbox. */
export interface TimerResult {
  readonly commands?: readonly EmittedCommand[];
}

/** Runs when a timer it is registered for is due. Pure and deterministic, like a reaction. */
export type TimerHandler<Views = Readonly<Record<string, unknown>>> = (
  timer: DueTimer,
  context: TimerContext<Views>,
) => TimerResult;

const invalid = (source: string, path: string, reason: string): E.Either<InvalidEffect, never> =>
  E.left({ _tag: 'InvalidEffect', source, path, reason });

/** Checks emitted commands: a non-empty `type`, JSON `data`, an ISO `occurredAt` when given. */
export const checkCommands = (
  source: string,
  commands: readonly EmittedCommand[] | undefined,
): E.Either<InvalidEffect, readonly EmittedCommand[]> => {
  if (commands === undefined) return E.right([]);
  if (!Array.isArray(commands)) return invalid(source, 'commands', 'must be an array');
  for (let i = 0; i < commands.length; i++) {
    const c = commands[i] as EmittedCommand | undefined;
    if (typeof c !== 'object' || c === null) return invalid(source, `commands.${i}`, 'must be an object');
    if (typeof c.type !== 'string' || c.type.length === 0) return invalid(source, `commands.${i}.type`, 'must be a non-empty string');
    const bad = findNonJsonPath(c.data, `commands.${i}.data`);
    if (bad !== undefined || c.data === undefined) return invalid(source, bad ?? `commands.${i}.data`, 'must be JSON');
    if (c.occurredAt !== undefined && !isIsoDateTime(c.occurredAt))
      return invalid(source, `commands.${i}.occurredAt`, 'must be an ISO 8601 date-time with a zone');
  }
  return E.right(commands);
};

/** Checks a reaction's result: its commands, timers (registered handler, finite `at`) and cancellations. */
export const checkReactionResult = (
  source: string,
  result: ReactionResult,
  hasTimerHandler: (handler: string) => boolean,
): E.Either<InvalidEffect, ReactionResult> => {
  if (typeof result !== 'object' || result === null) return invalid(source, '', 'must return an object');
  const commands = checkCommands(source, result.commands);
  if (E.isLeft(commands)) return commands;
  const timers = result.timers ?? [];
  if (!Array.isArray(timers)) return invalid(source, 'timers', 'must be an array');
  for (let i = 0; i < timers.length; i++) {
    const timer = timers[i] as TimerRequest;
    if (typeof timer.key !== 'string' || timer.key.length === 0) return invalid(source, `timers.${i}.key`, 'must be a non-empty string');
    if (typeof timer.at !== 'number' || !Number.isFinite(timer.at)) return invalid(source, `timers.${i}.at`, 'must be a finite number');
    if (typeof timer.handler !== 'string' || !hasTimerHandler(timer.handler))
      return invalid(source, `timers.${i}.handler`, 'no timer handler is registered under this name');
    if (timer.payload !== undefined) {
      const bad = findNonJsonPath(timer.payload, `timers.${i}.payload`);
      if (bad !== undefined) return invalid(source, bad, 'must be JSON');
    }
  }
  const cancels = result.cancelTimers ?? [];
  if (!Array.isArray(cancels) || cancels.some((k) => typeof k !== 'string'))
    return invalid(source, 'cancelTimers', 'must be an array of keys');
  return E.right(result);
};
