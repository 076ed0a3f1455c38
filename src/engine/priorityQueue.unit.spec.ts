import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyedPriorityQueue } from './priorityQueue.js';

type Op = { op: 'set'; key: string; priority: number } | { op: 'remove'; key: string } | { op: 'pop' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), priority: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ op: fc.constant('remove' as const), key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') }),
  fc.record({ op: fc.constant('pop' as const) }),
);

describe('keyedPriorityQueue', () => {
  it('behaves like a sorted map keyed by key (priority, then key) under any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const queue = keyedPriorityQueue<number>();
        const model = new Map<string, number>();
        for (const op of ops) {
          if (op.op === 'set') {
            queue.set(op.key, op.priority, op.priority);
            model.set(op.key, op.priority);
          } else if (op.op === 'remove') {
            expect(queue.remove(op.key)).toBe(model.delete(op.key));
          } else {
            const expected = [...model.entries()].sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : 1))[0];
            const popped = queue.pop();
            expect(popped === undefined ? undefined : [popped.key, popped.priority]).toEqual(expected);
            if (expected !== undefined) model.delete(expected[0]);
          }
          expect(queue.size()).toBe(model.size);
        }
      }),
    );
  });

  it('popUntil returns the due entries in order, ties broken by key, and leaves the rest', () => {
    const queue = keyedPriorityQueue<string>();
    queue.set('z', 5, 'z');
    queue.set('b', 5, 'b');
    queue.set('a', 9, 'a');
    queue.set('c', 1, 'c');
    expect(queue.popUntil(5).map((e) => e.key)).toEqual(['c', 'b', 'z']);
    expect(queue.popUntil(5)).toEqual([]);
    expect(queue.peek()?.key).toBe('a');
  });

  it('replacing a key keeps only the latest priority and value', () => {
    const queue = keyedPriorityQueue<string>();
    queue.set('k', 1, 'first');
    queue.set('k', 10, 'second');
    expect(queue.popUntil(5)).toEqual([]);
    expect(queue.popUntil(10)).toEqual([{ key: 'k', priority: 10, value: 'second' }]);
    expect(queue.size()).toBe(0);
  });

  it('keeps the heap within a constant factor of the live entries however often keys are replaced', () => {
    const queue = keyedPriorityQueue<number>();
    for (let i = 0; i < 10_000; i++) queue.set(`k${i % 10}`, i, i);
    expect(queue.size()).toBe(10);
    expect(queue.heapSize()).toBeLessThanOrEqual(33);
    expect(queue.popUntil(Infinity).map((e) => e.priority)).toEqual([9990, 9991, 9992, 9993, 9994, 9995, 9996, 9997, 9998, 9999]);
  });

  it('takes the due entries out of many pending ones, in order, leaving the others queued', () => {
    const queue = keyedPriorityQueue<number>();
    const n = 50_000;
    for (let i = 0; i < n; i++) queue.set(`t${i}`, n - i, i);
    const taken: number[] = [];
    for (let round = 0; round < 100; round++) taken.push(...queue.popUntil(round + 1).map((e) => e.priority));
    expect(taken).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(queue.size()).toBe(n - 100);
    expect(queue.peek()?.priority).toBe(101);
  });
});
