/**
 * `settle`: runs the engine until nothing is left to do at an instant. The facade calls it after
 * every host call (and after every tick), so that the views answer for everything the call set in
 * motion: reactions' commands dispatched, their events processed, their reactions' commands
 * dispatched in turn.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { CatchUpReport } from '../engine/engine.js';
import type { ProcessingError } from '../engine/errors.js';
import type { DispatchReport } from '../engine/outbox.js';
import type { Instant } from '../time/types.js';

/** What `settle` needs of an engine. */
export interface Settleable {
  /** The engine's `catchUp`. */
  readonly catchUp: () => Promise<E.Either<ProcessingError, CatchUpReport>>;
  /** The engine's `dispatch`. */
  readonly dispatch: (now?: Instant) => Promise<E.Either<ProcessingError, DispatchReport>>;
}

/** What `settle` did. */
export interface SettleReport {
  /** Rounds of catch-up and dispatch run (the last one found nothing to do). */
  readonly rounds: number;
  /** Feed events processed by the catch-ups. */
  readonly processed: number;
  /** Commands handed to handlers (acknowledged, retrying or failed). */
  readonly dispatched: number;
  /** Command ids whose dispatch failed for good during the settle. */
  readonly failed: readonly string[];
  /** Command ids that failed and wait for a retry after `now`. */
  readonly retrying: readonly string[];
}

/** The engine did not come to rest within the rounds allowed (a reaction loop, most likely). */
export interface SettleDidNotConverge {
  readonly _tag: 'SettleDidNotConverge';
  /** The rounds run. */
  readonly rounds: number;
}

/**
 * Returns once a round of `catchUp()` then `dispatch(now)` processes no event and hands no command
 * to a handler: everything due at `now` is done (commands waiting for a retry after `now` stay
 * pending and are listed in `retrying`). Fails with the engine's `ProcessingError`, or
 * `SettleDidNotConverge` after `maxRounds` (default 100) busy rounds.
 */
export const settle = async (
  engine: Settleable,
  now: Instant,
  maxRounds = 100,
): Promise<E.Either<ProcessingError | SettleDidNotConverge, SettleReport>> => {
  let processed = 0;
  let dispatched = 0;
  const failed: string[] = [];
  const retrying = new Set<string>();
  for (let round = 1; round <= maxRounds; round++) {
    const caughtUp = await engine.catchUp();
    if (E.isLeft(caughtUp)) return caughtUp;
    const report = await engine.dispatch(now);
    if (E.isLeft(report)) return report;
    const r = report.right;
    processed += caughtUp.right.processed;
    const handed = r.acknowledged.length + r.retrying.length + r.failed.length + r.contended.length;
    dispatched += r.acknowledged.length + r.retrying.length + r.failed.length;
    failed.push(...r.failed);
    for (const id of r.retrying) retrying.add(id);
    for (const id of [...r.acknowledged, ...r.failed]) retrying.delete(id);
    if (handed === 0 && caughtUp.right.processed === 0)
      return E.right({ rounds: round, processed, dispatched, failed, retrying: [...retrying] });
  }
  return E.left({ _tag: 'SettleDidNotConverge', rounds: maxRounds });
};
