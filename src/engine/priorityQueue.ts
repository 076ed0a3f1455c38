/**
 * A keyed min-priority queue: a binary heap with lazy deletion. Setting a key that is already
 * queued replaces it (the old heap entry goes stale and is skipped when it reaches the top);
 * removing a key only forgets it. Pushing and popping cost O(log n); taking the k due entries
 * costs O(k log n) plus the stale entries met on the way, never a scan of everything pending.
 * The heap is compacted when stale entries outnumber live ones, so memory stays O(live).
 *
 * @module
 */

/** An entry of a {@link KeyedPriorityQueue}: its key, its priority (lower first) and its value. */
export interface QueueEntry<V> {
  readonly key: string;
  readonly priority: number;
  readonly value: V;
}

/** A keyed min-priority queue; ties on priority are broken by key (code-unit order), so order is deterministic. */
export interface KeyedPriorityQueue<V> {
  /** Queues `value` under `key` at `priority`, replacing whatever `key` held. */
  readonly set: (key: string, priority: number, value: V) => void;
  /** Forgets `key`; returns true when it was queued. */
  readonly remove: (key: string) => boolean;
  /** Returns the entry queued under `key`, or undefined. */
  readonly get: (key: string) => QueueEntry<V> | undefined;
  /** Returns the entry that would be popped next, or undefined when empty. */
  readonly peek: () => QueueEntry<V> | undefined;
  /** Removes and returns the lowest entry, or undefined when empty. */
  readonly pop: () => QueueEntry<V> | undefined;
  /** Removes and returns every entry with priority at most `limit`, lowest first. */
  readonly popUntil: (limit: number) => readonly QueueEntry<V>[];
  /** The number of live (not removed, not replaced) entries. */
  readonly size: () => number;
  /** The number of heap slots, stale ones included (for tests of the compaction). */
  readonly heapSize: () => number;
}

interface Slot<V> extends QueueEntry<V> {
  readonly seq: number;
}

const before = <V>(a: Slot<V>, b: Slot<V>): boolean =>
  a.priority < b.priority || (a.priority === b.priority && (a.key < b.key || (a.key === b.key && a.seq < b.seq)));

/** Returns an empty {@link KeyedPriorityQueue}. */
export const keyedPriorityQueue = <V>(): KeyedPriorityQueue<V> => {
  let heap: Slot<V>[] = [];
  const live = new Map<string, Slot<V>>();
  let seq = 0;

  const swap = (i: number, j: number): void => {
    const a = heap[i] as Slot<V>;
    heap[i] = heap[j] as Slot<V>;
    heap[j] = a;
  };
  const up = (start: number): void => {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Slot<V>, heap[parent] as Slot<V>)) return;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < heap.length && before(heap[l] as Slot<V>, heap[best] as Slot<V>)) best = l;
      if (r < heap.length && before(heap[r] as Slot<V>, heap[best] as Slot<V>)) best = r;
      if (best === i) return;
      swap(i, best);
      i = best;
    }
  };
  const removeTop = (): Slot<V> | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      down(0);
    }
    return top;
  };
  const isLive = (slot: Slot<V>): boolean => live.get(slot.key) === slot;
  const dropStale = (): void => {
    while (heap.length > 0 && !isLive(heap[0] as Slot<V>)) removeTop();
  };
  const compactIfNeeded = (): void => {
    if (heap.length > 32 && heap.length > 2 * live.size) {
      heap = [...live.values()];
      for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
    }
  };
  const entry = (slot: Slot<V>): QueueEntry<V> => ({ key: slot.key, priority: slot.priority, value: slot.value });

  const pop = (): QueueEntry<V> | undefined => {
    dropStale();
    const top = removeTop();
    if (top === undefined) return undefined;
    live.delete(top.key);
    return entry(top);
  };

  return {
    set: (key, priority, value) => {
      const slot: Slot<V> = { key, priority, value, seq: seq++ };
      live.set(key, slot);
      heap.push(slot);
      up(heap.length - 1);
      compactIfNeeded();
    },
    remove: (key) => {
      const had = live.delete(key);
      if (had) compactIfNeeded();
      return had;
    },
    get: (key) => {
      const slot = live.get(key);
      return slot === undefined ? undefined : entry(slot);
    },
    peek: () => {
      dropStale();
      const top = heap[0];
      return top === undefined ? undefined : entry(top);
    },
    pop,
    popUntil: (limit) => {
      const out: QueueEntry<V>[] = [];
      for (;;) {
        dropStale();
        const top = heap[0];
        if (top === undefined || top.priority > limit) return out;
        const popped = pop();
        if (popped !== undefined) out.push(popped);
      }
    },
    size: () => live.size,
    heapSize: () => heap.length,
  };
};
