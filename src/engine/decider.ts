/**
 * The decider: three pure functions that hold all of a stream kind's domain logic, testable
 * without a store. The command handler is the only place that loads, decides and appends.
 *
 * @module
 */
import type { Either } from 'fp-ts/lib/Either.js';

/** A domain event as the decider sees it: a past-tense `type` and its payload. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** A command as the outbox and the host see it: an imperative `type` and its payload. */
export interface DomainCommand<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** Why a decider refused a command: a typed value with a `_tag`, never a thrown error. */
export interface Rejection {
  readonly _tag: string;
}

/**
 * A decider over commands `C`, state `S`, events `E` and rejections `R`:
 * `decide` returns the events a command produces in a state (or a rejection), `evolve` folds one
 * event into the state, `initialState` is the state of a stream that does not exist yet.
 * All three must be pure and deterministic.
 */
export interface Decider<C, S, E extends DomainEvent, R extends Rejection = Rejection> {
  /** Returns the state of a stream with no events. */
  readonly initialState: () => S;
  /** Returns the events a command produces on a state, or the rejection; pure. */
  readonly decide: (command: C, state: S) => Either<R, readonly E[]>;
  /** Returns the state after one more event; pure. */
  readonly evolve: (state: S, event: E) => S;
}

/** Returns the state after folding `events` into the decider's initial state. */
export const foldEvents = <C, S, E extends DomainEvent, R extends Rejection>(
  decider: Decider<C, S, E, R>,
  events: readonly E[],
): S => events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
