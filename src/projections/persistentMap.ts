/**
 * A small persistent (immutable) map keyed by strings, for projections. Every earlier version
 * stays valid and unchanged, as the engine's projection contract requires (a failed event is
 * applied again to the previous state), and a change copies only the path to the touched entry, so
 * a fold over a log of n events costs O(n), not O(n²), however many subjects, grants or clocks it
 * holds.
 *
 * The structure is a hash array mapped trie (HAMT) with bitmap-indexed nodes. Keys are spread by a
 * 32-bit FNV-1a hash, so time-ordered ids (uuid v7) spread as well as random ones. Each level of
 * the trie reads the next 5 bits of the hash, lowest bits first, as a slot number from 0 to 31
 * (levels 0 to 5 read 5 bits each, level 6 the top 2). A node is one compact array: two 32-bit
 * bitmaps saying which slots hold an entry and which a sub-node, then only the populated slots, in
 * slot order, found by counting the bitmaps' bits below the slot's bit (see
 * {@link PersistentMapNode}). A slot holds either one entry (its key and value, two cells) or a
 * sub-node (one cell), and a sub-node is made only when two keys share the slot, so an entry sits
 * as high in the trie as its hash lets it. Only keys whose 32 hash bits are all equal (about one
 * pair among 100,000 keys) go below level 6, into a bucket.
 *
 * Costs, for n keys. A read hashes the key (one multiply per UTF-16 unit, which is most of the cost
 * of reading a small map) and visits about 1 + log32(n) nodes: 1 or 2 at 10 keys, 3 or 4 at
 * 10,000, 4 or 5 at 100,000; at most 7 and a bucket. A set hashes the key once and copies the
 * nodes on the same path, each only as large as its populated slots. Near the root of a large map
 * those nodes are full (34 cells: the two bitmaps and 32 sub-nodes); the last one holds a few
 * entries. On 64-bit V8 (8-byte cells, no pointer compression) a set allocates about 0.27 KB on a
 * map of 10 keys, 0.75 KB at 1,000 keys, 0.9 KB at 10,000 and 1.15 KB at 100,000, the result
 * object included. A key that meets another in its slot also hashes the other key again and makes
 * the sub-node(s) that separate them. Setting a key to the value it already holds (`Object.is`)
 * copies nothing and returns the same map. Listing keys or values walks the whole trie, O(n).
 *
 * The map is plain data (nested arrays of numbers, strings and values), read and changed only
 * through the functions of this module; no node reachable from a map is ever written after the map
 * is returned. Its shape depends only on the keys, their values and, for keys whose hashes are
 * equal, the order in which they were first set (not on the order of the other sets, nor on the
 * values a key held before), so two maps built by the same operations are structurally equal.
 *
 * @module
 */

const BITS = 5;
const MASK = (1 << BITS) - 1;
/** The shift of the last level that reads hash bits (level 6: the top 2 bits); its sub-nodes are buckets. */
const LAST_SHIFT = 6 * BITS;

/**
 * A collision bucket, below the last level of the trie: the entries whose 32-bit hashes are all
 * equal, as `[key, value]` pairs in the order their keys were first set. It holds at least two
 * entries.
 */
export type PersistentMapBucket<V> = readonly (readonly [string, V])[];

/**
 * A node of the trie, flattened into one array:
 * `[entryBitmap, nodeBitmap, ...cells]`.
 *
 * The node at level `l` (the root is level 0) puts a key in slot `(hash >>> 5l) & 31` (at level 6,
 * the hash's top 2 bits). Bit `s` of `entryBitmap` is set when slot `s` holds one entry, bit `s` of
 * `nodeBitmap` when it holds a sub-node (two or more keys share the slot); a slot holds at most one
 * of them, and an empty slot takes no cell. The bitmaps are 32-bit integers, stored signed as
 * JavaScript's bit operators give them. The populated slots follow in increasing slot order: an
 * entry as two cells, its key then its value; a sub-node as one cell, the `PersistentMapNode` of
 * the next level, or below level 6 a {@link PersistentMapBucket}. A slot's first cell is therefore at
 * `2 + 2 * popcount(entryBitmap & below) + popcount(nodeBitmap & below)`, where `below` masks the
 * slots before it.
 */
export type PersistentMapNode<V> = readonly [
  entryBitmap: number,
  nodeBitmap: number,
  ...cells: (string | V | PersistentMapNode<V> | PersistentMapBucket<V>)[],
];

/** A persistent map from string keys to `V`: read it with {@link pmGet}, change it with {@link pmSet}. */
export interface PersistentMap<V> {
  /** The number of keys. */
  readonly size: number;
  /** The trie's root node (see {@link PersistentMapNode}); undefined when empty. */
  readonly root: PersistentMapNode<V> | undefined;
}

/** A node as this module reads it (a cell's type follows from the bitmaps and the level). */
type Node = readonly unknown[];
/** A bucket as this module reads it. */
type Bucket = readonly (readonly [string, unknown])[];

const hash = (key: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
};

/** The number of set bits of a 32-bit integer. */
const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
};

/** The index of the first cell of the slot whose bit is `bit`, in a node with these bitmaps. */
const cellOf = (entries: number, nodes: number, bit: number): number => {
  const below = (bit - 1) | 0;
  return 2 + 2 * popcount(entries & below) + popcount(nodes & below);
};

/** What `find` returns for a missing key (values may be undefined, so undefined cannot say it). */
const MISSING: unique symbol = Symbol('missing');

const findInBucket = (bucket: Bucket, key: string): unknown => {
  for (let i = 0; i < bucket.length; i++) {
    const entry = bucket[i] as readonly [string, unknown];
    if (entry[0] === key) return entry[1];
  }
  return MISSING;
};

const find = (root: Node | undefined, key: string, h: number): unknown => {
  let node = root;
  if (node === undefined) return MISSING;
  for (let shift = 0; ; shift += BITS) {
    const entries = node[0] as number;
    const nodes = node[1] as number;
    const bit = 1 << ((h >>> shift) & MASK);
    if ((entries & bit) !== 0) {
      const at = cellOf(entries, nodes, bit);
      return node[at] === key ? node[at + 1] : MISSING;
    }
    if ((nodes & bit) === 0) return MISSING;
    const child = node[cellOf(entries, nodes, bit)];
    if (shift === LAST_SHIFT) return findInBucket(child as Bucket, key);
    node = child as Node;
  }
};

/** Set by `setIn` when the key was not in the map (the walk is synchronous). */
let added = false;

/** A copy of `node` with the cell at `at` replaced by `cell`. */
const withCell = (node: Node, at: number, cell: unknown): Node => {
  const copy = node.slice();
  copy[at] = cell;
  return copy;
};

/** The node(s) separating two entries that met in a slot, from the level at `shift` down. */
const split = (k1: string, v1: unknown, h1: number, k2: string, v2: unknown, h2: number, shift: number): Node | Bucket => {
  if (shift > LAST_SHIFT) return [[k1, v1] as const, [k2, v2] as const];
  const s1 = (h1 >>> shift) & MASK;
  const s2 = (h2 >>> shift) & MASK;
  if (s1 === s2) return [0, 1 << s1, split(k1, v1, h1, k2, v2, h2, shift + BITS)];
  return s1 < s2 ? [(1 << s1) | (1 << s2), 0, k1, v1, k2, v2] : [(1 << s1) | (1 << s2), 0, k2, v2, k1, v1];
};

const setInBucket = (bucket: Bucket, key: string, value: unknown): Bucket => {
  for (let i = 0; i < bucket.length; i++) {
    const entry = bucket[i] as readonly [string, unknown];
    if (entry[0] !== key) continue;
    if (Object.is(entry[1], value)) return bucket;
    const copy = bucket.slice();
    copy[i] = [key, value] as const;
    return copy;
  }
  added = true;
  return [...bucket, [key, value] as const];
};

/** `node` (at the level of `shift`) with `key` set to `value`; `node` itself when nothing changes. */
const setIn = (node: Node, key: string, h: number, value: unknown, shift: number): Node => {
  const entries = node[0] as number;
  const nodes = node[1] as number;
  const bit = 1 << ((h >>> shift) & MASK);
  const at = cellOf(entries, nodes, bit);
  const n = node.length;
  if ((entries & bit) !== 0) {
    const k = node[at] as string;
    const v = node[at + 1];
    if (k === key) return Object.is(v, value) ? node : withCell(node, at + 1, value);
    // Two keys in one slot: the entry's two cells become one sub-node cell.
    added = true;
    const copy = new Array<unknown>(n - 1);
    copy[0] = entries ^ bit;
    copy[1] = nodes | bit;
    for (let i = 2; i < at; i++) copy[i] = node[i];
    copy[at] = split(k, v, hash(k), key, value, h, shift + BITS);
    for (let i = at + 2; i < n; i++) copy[i - 1] = node[i];
    return copy;
  }
  if ((nodes & bit) !== 0) {
    const child = node[at];
    const next =
      shift === LAST_SHIFT ? setInBucket(child as Bucket, key, value) : setIn(child as Node, key, h, value, shift + BITS);
    return next === child ? node : withCell(node, at, next);
  }
  added = true;
  const copy = new Array<unknown>(n + 2);
  copy[0] = entries | bit;
  copy[1] = nodes;
  for (let i = 2; i < at; i++) copy[i] = node[i];
  copy[at] = key;
  copy[at + 1] = value;
  for (let i = at; i < n; i++) copy[i + 2] = node[i];
  return copy;
};

const setHashed = <V>(map: PersistentMap<V>, key: string, h: number, value: V): PersistentMap<V> => {
  const root = map.root as Node | undefined;
  if (root === undefined) return { size: 1, root: [1 << (h & MASK), 0, key, value] };
  added = false;
  const next = setIn(root, key, h, value, 0);
  if (next === root) return map;
  return { size: added ? map.size + 1 : map.size, root: next as unknown as PersistentMapNode<V> };
};

/** Returns the empty map. */
export const pmEmpty = <V>(): PersistentMap<V> => ({ size: 0, root: undefined });

/** Returns the value under `key`, or undefined (when the key is missing, or holds undefined). */
export const pmGet = <V>(map: PersistentMap<V>, key: string): V | undefined => {
  const found = find(map.root, key, hash(key));
  return found === MISSING ? undefined : (found as V);
};

/** True when the map holds `key` (even when the value under it is undefined). */
export const pmHas = <V>(map: PersistentMap<V>, key: string): boolean => find(map.root, key, hash(key)) !== MISSING;

/**
 * Returns a map with `key` set to `value`; `map` itself is unchanged. When `key` already holds
 * `value` (by `Object.is`), returns `map` itself.
 */
export const pmSet = <V>(map: PersistentMap<V>, key: string, value: V): PersistentMap<V> =>
  setHashed(map, key, hash(key), value);

/**
 * Returns a map with the value under `key` replaced by `update(previous)` (previous is undefined
 * when the key is missing); `map` itself is unchanged, and returned when the new value is the
 * previous one (by `Object.is`) and the key was already there.
 */
export const pmUpdate = <V>(map: PersistentMap<V>, key: string, update: (previous: V | undefined) => V): PersistentMap<V> => {
  const h = hash(key);
  const found = find(map.root, key, h);
  return setHashed(map, key, h, update(found === MISSING ? undefined : (found as V)));
};

const walk = (node: Node, shift: number, visit: (key: string, value: unknown) => void): void => {
  const entries = node[0] as number;
  let at = 2;
  for (let slots = entries | (node[1] as number); slots !== 0; slots &= slots - 1) {
    if ((entries & slots & -slots) !== 0) {
      visit(node[at] as string, node[at + 1]);
      at += 2;
    } else {
      const child = node[at];
      if (shift === LAST_SHIFT) for (const [k, v] of child as Bucket) visit(k, v);
      else walk(child as Node, shift + BITS, visit);
      at += 1;
    }
  }
};

/**
 * Lists the values, in a deterministic order that depends only on the keys' hashes and, among keys
 * with equal 32-bit hashes, the order in which they were first set: by the hash's lowest 5 bits,
 * then the next 5, and so on up to the top 2 (the trie's slot order), then by first insertion.
 * Neither the order of the other insertions nor the values change it.
 */
export const pmValues = <V>(map: PersistentMap<V>): V[] => {
  const out: V[] = [];
  if (map.root !== undefined) walk(map.root as Node, 0, (_, v) => out.push(v as V));
  return out;
};

/** Lists the keys, in the order of {@link pmValues}. */
export const pmKeys = <V>(map: PersistentMap<V>): string[] => {
  const out: string[] = [];
  if (map.root !== undefined) walk(map.root as Node, 0, (k) => out.push(k));
  return out;
};
