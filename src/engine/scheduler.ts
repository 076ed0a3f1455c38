/**
 * The scheduler: timers that reactions ask for, kept in memory in a keyed priority queue.
 * Timers are derived from events (a restarted engine rebuilds them by replaying its reactions),
 * so the queue is never persisted; exactly-once firing across restarts comes from the outbox,
 * whose command ids are derived from the timer's identity (key, due instant, handler).
 *
 * @module
 */
import type { JsonValue } from '../store/port.js';
import type { Instant } from '../time/types.js';
import { keyedPriorityQueue } from './priorityQueue.js';

/**
 * A timer a reaction asks for. A timer with the same `key` replaces the earlier one (a retention
 * clock reset moves its deadline); keys are global to the engine, so prefix them with what they
 * time (`retention:<clockId>`). `handler` names the timer handler that runs when it is due.
 */
export interface TimerRequest {
  readonly key: string;
  /** When the timer is due: epoch milliseconds. */
  readonly at: Instant;
  readonly handler: string;
  readonly payload?: JsonValue;
}

/** A timer as the scheduler keeps it: the request and the event that set it (for causation). */
export interface ScheduledTimer extends TimerRequest {
  /** The id of the event whose reaction set the timer. */
  readonly causationId: string;
  /** The correlation id of that event. */
  readonly correlationId: string;
}

/** The in-memory timer queue of one engine. */
export interface Scheduler {
  /** Sets (or replaces, by key) a timer. */
  readonly set: (timer: ScheduledTimer) => void;
  /** Cancels the timer with `key`; returns true when one was pending. */
  readonly cancel: (key: string) => boolean;
  /** Removes and returns every timer due at or before `now`, in due order (ties by key). */
  readonly takeDue: (now: Instant) => readonly ScheduledTimer[];
  /** Puts back a timer taken by {@link Scheduler.takeDue} that could not be fired, unless its key was set again meanwhile. */
  readonly restore: (timer: ScheduledTimer) => void;
  /** Returns the pending timer with `key`, or undefined. */
  readonly get: (key: string) => ScheduledTimer | undefined;
  /** The number of pending timers. */
  readonly size: () => number;
  /** Forgets every timer (before a replay rebuilds them). */
  readonly clear: () => void;
}

/** Returns an empty {@link Scheduler}. */
export const createScheduler = (): Scheduler => {
  let queue = keyedPriorityQueue<ScheduledTimer>();
  return {
    set: (timer) => queue.set(timer.key, timer.at, timer),
    cancel: (key) => queue.remove(key),
    takeDue: (now) => queue.popUntil(now).map((entry) => entry.value),
    restore: (timer) => {
      if (queue.get(timer.key) === undefined) queue.set(timer.key, timer.at, timer);
    },
    get: (key) => queue.get(key)?.value,
    size: () => queue.size(),
    clear: () => {
      queue = keyedPriorityQueue<ScheduledTimer>();
    },
  };
};
