/**
 * The injectable clock. Nothing in Lethe reads `Date.now()` except {@link systemClock}; the
 * engine, the stores and the scheduler take a clock, so tests and simulations control time.
 *
 * @module
 */

/** Reads the current instant as epoch milliseconds (UTC). */
export interface Clock {
  /** Returns the current instant as epoch milliseconds (UTC). */
  readonly now: () => number;
}

/** The wall clock: the only place in Lethe that reads `Date.now()`. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock that only moves when told: for tests, simulations and the demo. */
export interface SimulatedClock extends Clock {
  /** Moves the clock to `instant`; returns false (and does not move) if that is in the past. */
  readonly set: (instant: number) => boolean;
  /** Moves the clock forward by `ms` milliseconds (negative values are ignored). */
  readonly advance: (ms: number) => void;
}

/** Returns a clock starting at `start` (epoch milliseconds) that never moves backwards. */
export const simulatedClock = (start: number): SimulatedClock => {
  let current = start;
  return {
    now: () => current,
    set: (instant) => {
      if (instant < current) return false;
      current = instant;
      return true;
    },
    advance: (ms) => {
      if (ms > 0) current += ms;
    },
  };
};
