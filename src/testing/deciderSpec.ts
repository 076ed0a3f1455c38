/**
 * Given/when/then tests over a decider, so a domain test reads like the rule it checks:
 *
 * ```ts
 * deciderSpec(accountDecider)
 *   .given([{ type: 'AccountOpened', data: { accountId } }])
 *   .when({ type: 'Withdraw', data: { accountId, amount: 5 } })
 *   .thenRejects({ _tag: 'InsufficientFunds', balance: 0, amount: 5 });
 * ```
 *
 * Assertions use `node:assert/strict` (deep strict equality), so any test runner shows the diff. The object `when` returns has a
 * method named `then`: do not `await` it or return it from a test (a promise would call `then`
 * itself); call `.then(expectedEvents)` as a statement.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import assert from 'node:assert/strict';
import type { Decider, DomainEvent, Rejection } from '../engine/decider.js';

/** The assertions available once the command is known. */
export interface DeciderThen<S, Ev extends DomainEvent, R extends Rejection> {
  /** Asserts that the command is accepted and produces exactly `expected` (deep equality, in order). */
  readonly then: (expected: readonly Ev[]) => void;
  /** Asserts that the command produces no event (accepted, nothing to record). */
  readonly thenNothingHappens: () => void;
  /** Asserts that the command is rejected with a rejection deep-equal to `expected`, or one the predicate accepts. */
  readonly thenRejects: (expected: R | ((rejection: R) => boolean)) => void;
  /** Asserts that the state after the given events and the produced events equals `expected`. */
  readonly thenState: (expected: S) => void;
  /** Returns the decider's raw result, for assertions of your own. */
  readonly result: () => E.Either<R, readonly Ev[]>;
}

/** The `when` step: the command under test. */
export interface DeciderWhen<C, S, Ev extends DomainEvent, R extends Rejection> {
  /** Decides `command` on the state the given events fold to; returns the assertions. */
  readonly when: (command: C) => DeciderThen<S, Ev, R>;
}

/** The `given` step: the events already in the stream (none for a new stream). */
export interface DeciderSpec<C, S, Ev extends DomainEvent, R extends Rejection> {
  /** Starts from the state these events fold to (in order, from the initial state). */
  readonly given: (events: readonly Ev[]) => DeciderWhen<C, S, Ev, R>;
}

const guard = (value: unknown): void => {
  if (typeof value === 'function')
    throw new TypeError(
      'deciderSpec: the result of when(...) was awaited or returned from a test; call .then(expectedEvents) instead',
    );
};

const describeRejection = (value: unknown): string =>
  typeof value === 'object' && value !== null && typeof (value as { _tag?: unknown })._tag === 'string'
    ? (value as { _tag: string })._tag
    : typeof value;

/** Returns a given/when/then spec over `decider` that asserts with `node:assert/strict`. */
export const deciderSpec = <C, S, Ev extends DomainEvent, R extends Rejection>(
  decider: Decider<C, S, Ev, R>,
): DeciderSpec<C, S, Ev, R> => ({
  given: (events) => ({
    when: (command) => {
      const stateBefore = (): S => events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
      const result = (): E.Either<R, readonly Ev[]> => decider.decide(command, stateBefore());
      const accepted = (): readonly Ev[] => {
        const outcome = result();
        if (E.isLeft(outcome))
          assert.fail(`expected the command to be accepted, but it was rejected with ${describeRejection(outcome.left)}`);
        return outcome.right;
      };
      return {
        then: (expected) => {
          guard(expected);
          assert.deepStrictEqual(accepted(), expected);
        },
        thenNothingHappens: () => {
          assert.deepStrictEqual(accepted(), []);
        },
        thenRejects: (expected) => {
          const outcome = result();
          if (E.isRight(outcome))
            assert.fail(`expected a rejection, but the command produced ${outcome.right.length} event(s)`);
          if (typeof expected === 'function') {
            const predicate = expected as (rejection: R) => boolean;
            assert.ok(predicate(outcome.left), `rejection ${describeRejection(outcome.left)} does not satisfy the predicate`);
          } else assert.deepStrictEqual(outcome.left, expected);
        },
        thenState: (expected) => {
          const produced = accepted();
          assert.deepStrictEqual(produced.reduce((state, event) => decider.evolve(state, event), stateBefore()), expected);
        },
        result,
      };
    },
  }),
});
