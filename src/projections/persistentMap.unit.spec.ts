import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type PersistentMap,
  type PersistentMapBucket,
  type PersistentMapNode,
  pmEmpty,
  pmGet,
  pmHas,
  pmKeys,
  pmSet,
  pmUpdate,
  pmValues,
} from './persistentMap.js';

// ---------------------------------------------------------------------------------------------
// The module's hash (32-bit FNV-1a), re-implemented here, and readers of the documented layout.
// The structural checks below tie this copy to the module: a different hash would put keys in
// other slots and fail them.
// ---------------------------------------------------------------------------------------------

const FNV_OFFSET = 0x811c9dc5;
/** FNV-1a over the UTF-16 units of `s`, from the state `h` (the offset basis by default). */
const fnv = (s: string, h = FNV_OFFSET): number => {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

const popcount = (x: number): number => {
  let n = 0;
  for (let y = x >>> 0; y !== 0; y >>>= 1) n += y & 1;
  return n;
};
const slotOf = (h: number, level: number): number => (h >>> (5 * level)) & 31;
/** The hash's slots from level 0 down, as one number: the order pmKeys promises. */
const slotOrder = (h: number): number => {
  let n = 0;
  for (let level = 0; level < 6; level++) n = n * 32 + slotOf(h, level);
  return n * 4 + (h >>> 30);
};

type AnyNode = PersistentMapNode<unknown>;
type AnyBucket = PersistentMapBucket<unknown>;

/** Where `key` sits: the number of nodes read to reach it, and its bucket when it is in one. */
const locate = (map: PersistentMap<unknown>, key: string): { readonly nodes: number; readonly bucket?: AnyBucket } | undefined => {
  const h = fnv(key);
  let node = map.root as AnyNode | undefined;
  for (let level = 0; node !== undefined; level++) {
    const [entries, nodes] = node;
    const bit = 1 << slotOf(h, level);
    const below = (bit - 1) | 0;
    const at = 2 + 2 * popcount(entries & below) + popcount(nodes & below);
    if ((entries & bit) !== 0) return node[at] === key ? { nodes: level + 1 } : undefined;
    if ((nodes & bit) === 0) return undefined;
    if (level === 6) {
      const bucket = node[at] as AnyBucket;
      return bucket.some(([k]) => k === key) ? { nodes: level + 1, bucket } : undefined;
    }
    node = node[at] as AnyNode;
  }
  return undefined;
};

/**
 * Checks every documented invariant of the trie and returns its keys: disjoint bitmaps, compact
 * nodes, keys in the slots of their hashes, sub-nodes only for slots shared by two keys or more,
 * buckets only below level 6 and only for equal hashes.
 */
const checkInvariants = (map: PersistentMap<unknown>): string[] => {
  const keys: string[] = [];
  const visit = (node: AnyNode, level: number, prefix: readonly string[]): number => {
    const [entries, nodes] = node;
    expect(entries & nodes).toBe(0);
    expect(node.length).toBe(2 + 2 * popcount(entries) + popcount(nodes));
    expect(level).toBeLessThanOrEqual(6);
    let at = 2;
    let count = 0;
    for (let slot = 0; slot < 32; slot++) {
      const bit = 1 << slot;
      if ((entries & bit) !== 0) {
        const key = node[at] as string;
        expect(typeof key).toBe('string');
        for (const [l, s] of [...prefix, String(slot)].entries()) expect(slotOf(fnv(key), l)).toBe(Number(s));
        keys.push(key);
        count++;
        at += 2;
      } else if ((nodes & bit) !== 0) {
        let below: number;
        if (level === 6) {
          const bucket = node[at] as AnyBucket;
          expect(bucket.length).toBeGreaterThanOrEqual(2);
          for (const [k] of bucket) expect(fnv(k)).toBe(fnv(bucket[0]![0]));
          for (const [l, s] of [...prefix, String(slot)].entries()) expect(slotOf(fnv(bucket[0]![0]), l)).toBe(Number(s));
          keys.push(...bucket.map(([k]) => k));
          below = bucket.length;
        } else {
          below = visit(node[at] as AnyNode, level + 1, [...prefix, String(slot)]);
        }
        expect(below).toBeGreaterThanOrEqual(2);
        count += below;
        at += 1;
      }
    }
    // level 6 reads the top 2 bits only
    if (level === 6) expect((entries | nodes) & ~0xf).toBe(0);
    return count;
  };
  if (map.root === undefined) expect(map.size).toBe(0);
  else expect(visit(map.root as AnyNode, 0, [])).toBe(map.size);
  expect(new Set(keys).size).toBe(keys.length);
  return keys;
};

const deepFreeze = <T>(x: T): T => {
  if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
};

// ---------------------------------------------------------------------------------------------
// Colliding keys, found by brute force: birthday searches over pseudo-random 8-character strings
// (a fixed xorshift sequence, so the keys are the same on every run; FNV-1a over counters such as
// base-36 numbers hardly ever collides, their bytes are too regular). FNV-1a keeps agreement: when
// two strings agree on the low k bits of their states (or on all 32), they still do after the same
// suffix is appended to both (xor and multiply never carry downwards).
// ---------------------------------------------------------------------------------------------

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';

/**
 * The first two keys `prefix + s`, for s in a fixed pseudo-random sequence of 8-character strings,
 * whose hashes agree on `mask`, and differ somewhere else when `differ` is set.
 */
const collidingPair = (prefix: string, mask: number, differ: boolean): readonly [string, string] => {
  const start = fnv(prefix);
  const seen = new Map<number, string>();
  let x = 0x9e3779b9;
  for (let n = 0; n < 1_000_000; n++) {
    let suffix = '';
    for (let i = 0; i < 8; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      suffix += ALPHABET[x & 63];
    }
    const h = fnv(suffix, start);
    const masked = (h & mask) >>> 0;
    const prior = seen.get(masked);
    if (prior === undefined) seen.set(masked, suffix);
    else if (prior !== suffix && (!differ || fnv(prior, start) !== h)) return [prefix + prior, prefix + suffix];
  }
  throw new Error(`no pair under ${mask.toString(16)}`);
};

const LOW30 = 0x3fffffff;
/** Two keys in the same level-0 slot (low 5 bits). */
const slot0 = collidingPair('slot-', 0x1f, true);
/** Two keys agreeing on the low 30 bits, not on the top 2: they part at level 6, the last one. */
const low30 = collidingPair('low30-', LOW30, true);
/** Two keys with equal 32-bit hashes. */
const full = collidingPair('full-', 0xffffffff, false);
/**
 * Four keys agreeing on the low 30 bits, of which `a1` and `a2` agree on all 32: `u` and `v` agree
 * on the low 30 bits, `r1` and `r2` collide fully after `u`, so u+r1 and u+r2 are equal, and v+r1,
 * v+r2 agree with them on the low 30 bits.
 */
const mixed = (() => {
  const [u, v] = collidingPair('mix-', LOW30, true);
  const [ur1, ur2] = collidingPair(u, 0xffffffff, false);
  const r1 = ur1.slice(u.length);
  const r2 = ur2.slice(u.length);
  return { a1: ur1, a2: ur2, b1: v + r1, b2: v + r2 };
})();

/**
 * Four keys with equal 32-bit hashes: `full` collide, and `r1`, `r2` collide after them, so each of
 * full[0] and full[1] followed by r1 or r2 gives the same hash.
 */
const quad = (() => {
  const [f1r1, f1r2] = collidingPair(full[0], 0xffffffff, false);
  const r1 = f1r1.slice(full[0].length);
  const r2 = f1r2.slice(full[0].length);
  return [f1r1, full[1] + r1, f1r2, full[1] + r2] as const;
})();

// ---------------------------------------------------------------------------------------------
// Model-based property test.
// ---------------------------------------------------------------------------------------------

const SMALL_POOL = ['a', 'b', 'subject-1', 'subject-2', '', 'ü', ...slot0, ...low30, ...full, ...quad];
const keyArb = fc.oneof({ arbitrary: fc.constantFrom(...SMALL_POOL), weight: 2 }, { arbitrary: fc.uuid(), weight: 3 });
type Op =
  | { readonly kind: 'set'; readonly key: string; readonly value: number }
  | { readonly kind: 'update'; readonly key: string; readonly delta: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: keyArb, value: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ kind: fc.constant('update' as const), key: keyArb, delta: fc.integer({ min: -2, max: 2 }) }),
);
const apply = (map: PersistentMap<number>, op: Op): PersistentMap<number> =>
  op.kind === 'set' ? pmSet(map, op.key, op.value) : pmUpdate(map, op.key, (previous) => (previous ?? 100) + op.delta);
const applyAll = (ops: readonly Op[]): PersistentMap<number> => ops.reduce(apply, pmEmpty<number>());

const byNumber = (a: number, b: number): number => a - b;

/** Checks `map` against the model: get, has, size, keys and values (as multisets and paired). */
const expectLike = (map: PersistentMap<number>, model: ReadonlyMap<string, number>, probes: Iterable<string>): void => {
  expect(map.size).toBe(model.size);
  for (const k of probes) {
    expect(pmGet(map, k)).toBe(model.get(k));
    expect(pmHas(map, k)).toBe(model.has(k));
  }
  const keys = pmKeys(map);
  const values = pmValues(map);
  expect([...keys].sort()).toEqual([...model.keys()].sort());
  expect([...values].sort(byNumber)).toEqual([...model.values()].sort(byNumber));
  expect(values).toEqual(keys.map((k) => model.get(k)));
};

describe('persistentMap', () => {
  it('behaves like a Map after every set and update, and every earlier version still answers as the model did then', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 150 }), fc.array(fc.uuid(), { maxLength: 3 }), (ops, absent) => {
        const model = new Map<string, number>();
        const probes = new Set<string>([...SMALL_POOL, ...absent]);
        const versions: [PersistentMap<number>, Map<string, number>][] = [[pmEmpty(), new Map()]];
        let map = pmEmpty<number>();
        for (const op of ops) {
          const before = map;
          const had = model.has(op.key);
          const previous = model.get(op.key);
          map = apply(map, op);
          model.set(op.key, op.kind === 'set' ? op.value : (previous ?? 100) + op.delta);
          probes.add(op.key);
          if (had && Object.is(previous, model.get(op.key))) expect(map).toBe(before);
          expectLike(map, model, probes);
          versions.push([map, new Map(model)]);
        }
        checkInvariants(map);
        for (const [version, expected] of versions) expectLike(version, expected, probes);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps its invariants, in every version', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        let map = pmEmpty<number>();
        for (const op of ops) {
          map = apply(map, op);
          checkInvariants(map);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('answers on the empty map', () => {
    const empty = pmEmpty<string>();
    expect(empty).toEqual({ size: 0, root: undefined });
    expect(pmGet(empty, 'x')).toBeUndefined();
    expect(pmHas(empty, 'x')).toBe(false);
    expect(pmKeys(empty)).toEqual([]);
    expect(pmValues(empty)).toEqual([]);
  });

  it('holds a key whose value is undefined (pmHas tells it from a missing key)', () => {
    const map = pmSet(pmEmpty<number | undefined>(), 'k', undefined);
    expect(map.size).toBe(1);
    expect(pmHas(map, 'k')).toBe(true);
    expect(pmGet(map, 'k')).toBeUndefined();
    expect(pmKeys(map)).toEqual(['k']);
    expect(pmValues(map)).toEqual([undefined]);
    expect(pmSet(map, 'k', undefined)).toBe(map);
    expect(pmUpdate(map, 'k', (previous) => previous)).toBe(map);
  });

  it('returns the same map when a key is set to the value it holds (Object.is)', () => {
    const value = { n: 1 };
    const map = pmSet(pmSet(pmEmpty<unknown>(), 'a', value), 'b', Number.NaN);
    expect(pmSet(map, 'a', value)).toBe(map);
    expect(pmSet(map, 'b', Number.NaN)).toBe(map);
    expect(pmSet(map, 'a', { n: 1 })).not.toBe(map);
    expect(pmUpdate(map, 'a', (previous) => previous)).toBe(map);
    const zero = pmSet(pmEmpty<number>(), 'z', 0);
    expect(pmGet(pmSet(zero, 'z', -0), 'z')).toBe(-0);
  });

  it('stores an entry as high as its hash lets it: a lone key at the root, a sub-node only on a shared slot', () => {
    const one = pmSet(pmEmpty<number>(), 'only', 1);
    expect(one.root).toEqual([1 << slotOf(fnv('only'), 0), 0, 'only', 1]);
    const two = pmSet(pmSet(pmEmpty<number>(), slot0[0], 1), slot0[1], 2);
    const [entries, nodes] = two.root!;
    expect(entries).toBe(0);
    expect(nodes).toBe(1 << slotOf(fnv(slot0[0]), 0));
    expect(two.root).toHaveLength(3);
    expect(locate(two, slot0[0])!.nodes).toBeGreaterThanOrEqual(2);
  });

  describe('forced hash collisions', () => {
    it('finds the keys it means to', () => {
      expect(slotOf(fnv(slot0[0]), 0)).toBe(slotOf(fnv(slot0[1]), 0));
      expect(fnv(slot0[0])).not.toBe(fnv(slot0[1]));
      expect(fnv(low30[0]) & LOW30).toBe(fnv(low30[1]) & LOW30);
      expect(fnv(low30[0])).not.toBe(fnv(low30[1]));
      expect(full[0]).not.toBe(full[1]);
      expect(fnv(full[0])).toBe(fnv(full[1]));
      const { a1, a2, b1, b2 } = mixed;
      expect(new Set([a1, a2, b1, b2]).size).toBe(4);
      expect(fnv(a1)).toBe(fnv(a2));
      for (const k of [b1, b2]) expect(fnv(k) & LOW30).toBe(fnv(a1) & LOW30);
    });

    const filler = Array.from({ length: 600 }, (_, i) => `filler-${i}`);

    for (const [name, [k1, k2], nodesRead] of [
      ['the first 5-bit slot', slot0, undefined],
      ['the first 30 bits (they part at the last level)', low30, 7],
      ['all 32 bits (a bucket below the last level)', full, 7],
    ] as const) {
      it(`gets, sets and overwrites two keys sharing ${name}`, () => {
        let map = pmEmpty<string>();
        for (const f of filler.slice(0, 300)) map = pmSet(map, f, f);
        const withFirst = pmSet(map, k1, 'one');
        const withBoth = pmSet(withFirst, k2, 'two');
        for (const f of filler.slice(300)) map = pmSet(map, f, f);
        expect(withBoth.size).toBe(302);
        expect(pmGet(withBoth, k1)).toBe('one');
        expect(pmGet(withBoth, k2)).toBe('two');
        expect(pmGet(withFirst, k2)).toBeUndefined();
        expect(pmHas(withFirst, k2)).toBe(false);
        if (nodesRead !== undefined) {
          expect(locate(withBoth, k1)!.nodes).toBe(nodesRead);
          expect(locate(withBoth, k2)!.nodes).toBe(nodesRead);
        }
        expect(locate(withFirst, k1)!.nodes).toBeLessThan(nodesRead ?? 8);

        const overwritten = pmSet(withBoth, k2, 'TWO');
        expect(overwritten.size).toBe(302);
        expect(pmGet(overwritten, k2)).toBe('TWO');
        expect(pmGet(overwritten, k1)).toBe('one');
        expect(pmGet(withBoth, k2)).toBe('two');
        const first = pmUpdate(overwritten, k1, (previous) => `${previous ?? ''}!`);
        expect(pmGet(first, k1)).toBe('one!');
        expect(pmGet(first, k2)).toBe('TWO');
        expect(pmSet(first, k1, 'one!')).toBe(first);
        expect(pmKeys(first)).toEqual(pmKeys(withBoth));
        for (const f of filler.slice(0, 300)) expect(pmGet(first, f)).toBe(f);
        checkInvariants(first);
      });
    }

    it('keeps fully colliding keys in a bucket, in the order they were first set', () => {
      const [k1, k2] = full;
      const forward = pmSet(pmSet(pmEmpty<number>(), k1, 1), k2, 2);
      const backward = pmSet(pmSet(pmEmpty<number>(), k2, 2), k1, 1);
      expect(locate(forward, k1)!.bucket).toEqual([
        [k1, 1],
        [k2, 2],
      ]);
      expect(pmKeys(forward)).toEqual([k1, k2]);
      expect(pmKeys(backward)).toEqual([k2, k1]);
      expect(pmKeys(pmSet(forward, k1, 10))).toEqual([k1, k2]);
      expect(pmValues(pmSet(forward, k1, 10))).toEqual([10, 2]);
      // the chain down to the bucket: one sub-node per level, seven levels
      let node = forward.root as AnyNode;
      for (let level = 0; level < 6; level++) {
        expect(node[0]).toBe(0);
        expect(node).toHaveLength(3);
        node = node[2] as AnyNode;
      }
      expect(node).toEqual([0, 1 << (fnv(k1) >>> 30), [[k1, 1], [k2, 2]]]);
    });

    it('grows, overwrites and keeps the order of a bucket of four keys', () => {
      expect(new Set(quad).size).toBe(4);
      for (const k of quad) expect(fnv(k)).toBe(fnv(quad[0]));
      const [q0, q1, q2, q3] = quad;
      const versions: PersistentMap<number>[] = [pmEmpty()];
      for (const [i, k] of [q2, q0, q3, q1].entries()) versions.push(pmSet(versions.at(-1)!, k, i));
      const map = versions.at(-1)!;
      expect(map.size).toBe(4);
      expect(pmKeys(map)).toEqual([q2, q0, q3, q1]);
      expect(pmValues(map)).toEqual([0, 1, 2, 3]);
      expect(locate(map, q1)!.bucket).toEqual([
        [q2, 0],
        [q0, 1],
        [q3, 2],
        [q1, 3],
      ]);
      for (const [n, version] of versions.entries()) {
        expect(version.size).toBe(n);
        expect(pmKeys(version)).toEqual([q2, q0, q3, q1].slice(0, n));
      }
      const overwritten = pmUpdate(map, q3, (previous) => (previous ?? 0) * 10);
      expect(pmValues(overwritten)).toEqual([0, 1, 20, 3]);
      expect(pmValues(map)).toEqual([0, 1, 2, 3]);
      expect(pmKeys(overwritten)).toEqual(pmKeys(map));
      const withNaN = pmSet(overwritten, q0, Number.NaN);
      expect(pmSet(withNaN, q0, Number.NaN)).toBe(withNaN);
      expect(pmSet(withNaN, q3, 20)).toBe(withNaN);
      expect(pmGet(withNaN, q0)).toBeNaN();
      checkInvariants(withNaN);
    });

    it('mixes a bucket with entries that part from it only at the last level', () => {
      const { a1, a2, b1, b2 } = mixed;
      let map = pmEmpty<string>();
      const snapshots: [PersistentMap<string>, Map<string, string>][] = [];
      const model = new Map<string, string>();
      for (const [k, v] of [
        [b1, 'b1'],
        [a1, 'a1'],
        ['x', 'x'],
        [a2, 'a2'],
        [b2, 'b2'],
        [a1, 'A1'],
        [b1, 'B1'],
        [a2, 'A2'],
      ] as const) {
        map = pmSet(map, k, v);
        model.set(k, v);
        snapshots.push([map, new Map(model)]);
        checkInvariants(map);
      }
      expect(locate(map, a1)!.bucket).toEqual([
        [a1, 'A1'],
        [a2, 'A2'],
      ]);
      for (const k of [a1, a2, b1, b2]) expect(locate(map, k)!.nodes).toBe(7);
      for (const [version, expected] of snapshots) {
        expect(version.size).toBe(expected.size);
        for (const k of [a1, a2, b1, b2, 'x']) expect(pmGet(version, k)).toBe(expected.get(k));
      }
    });
  });

  describe('determinism', () => {
    it('gives structurally equal maps, with the same key order, for the same operations', () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
          const a = applyAll(ops);
          const b = applyAll(ops);
          expect(a).toStrictEqual(b);
          expect(pmKeys(a)).toEqual(pmKeys(b));
          expect(pmValues(a)).toEqual(pmValues(b));
        }),
        { numRuns: 100 },
      );
    });

    it('lists keys in slot order (low hash bits first), then by first insertion for equal hashes, whatever the order of the sets', () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.oneof(fc.uuid(), fc.constantFrom(...SMALL_POOL)), { maxLength: 120 }),
          fc.integer({ min: 0, max: 1000 }),
          (keys, seed) => {
            const shuffled = [...keys].sort((x, y) => fnv(x, seed) - fnv(y, seed) || (x < y ? -1 : 1));
            const one = keys.reduce((m, k) => pmSet(m, k, k.length), pmEmpty<number>());
            const other = shuffled.reduce((m, k) => pmSet(m, k, k.length), pmEmpty<number>());
            const firstSeen = (order: readonly string[]) => (x: string, y: string) =>
              slotOrder(fnv(x)) - slotOrder(fnv(y)) || order.indexOf(x) - order.indexOf(y);
            expect(pmKeys(one)).toEqual([...keys].sort(firstSeen(keys)));
            expect(pmKeys(other)).toEqual([...keys].sort(firstSeen(shuffled)));
            const fullyColliding = keys.filter((k) => keys.some((o) => o !== k && fnv(o) === fnv(k)));
            if (fullyColliding.length === 0) {
              expect(one).toStrictEqual(other);
              expect(pmKeys(one)).toEqual(pmKeys(other));
            }
          },
        ),
        { numRuns: 150 },
      );
    });
  });

  describe('immutability', () => {
    it('never changes a map it was given', () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 120 }), fc.array(opArb, { minLength: 1, maxLength: 10 }), (setup, more) => {
          const old = applyAll(setup);
          const rootBefore = structuredClone(old.root);
          const keysBefore = pmKeys(old);
          const valuesBefore = pmValues(old);
          const sizeBefore = old.size;
          // a frozen map throws on any write in strict mode, so a set that wrote into it would fail here
          deepFreeze(old);
          let next = old;
          for (const op of more) next = apply(next, op);
          expect(old.root).toStrictEqual(rootBefore);
          expect(old.size).toBe(sizeBefore);
          expect(pmKeys(old)).toEqual(keysBefore);
          expect(pmValues(old)).toEqual(valuesBefore);
          for (const [i, k] of keysBefore.entries()) expect(pmGet(old, k)).toBe(valuesBefore[i]);
          for (const op of more) if (!keysBefore.includes(op.key)) expect(pmHas(old, op.key)).toBe(false);
        }),
        { numRuns: 150 },
      );
    });

    it('leaves the previous version intact across splits, buckets and overwrites', () => {
      let map = pmEmpty<number>();
      const keys = [...SMALL_POOL, mixed.a1, mixed.a2, mixed.b1, mixed.b2, ...Array.from({ length: 200 }, (_, i) => `k${i}`)];
      for (const [i, k] of keys.entries()) {
        const before = structuredClone(map.root);
        const old = map;
        map = pmSet(map, k, i);
        expect(old.root).toStrictEqual(before);
        expect(pmHas(old, k)).toBe(false);
        const again = structuredClone(map.root);
        const overwritten = pmSet(map, k, -i - 1);
        expect(map.root).toStrictEqual(again);
        expect(pmGet(map, k)).toBe(i);
        expect(pmGet(overwritten, k)).toBe(-i - 1);
      }
      expect(map.size).toBe(keys.length);
    });
  });
});
