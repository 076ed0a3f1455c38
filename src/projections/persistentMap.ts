/**
 * A small persistent (immutable) map keyed by strings, for projections: `set` copies only the path
 * to the touched entry (four 32-slot nodes and one tiny bucket), never the whole map, so a fold over
 * a log of n events costs O(n), not O(n²), however many subjects, grants or clocks it holds; and
 * every earlier state stays valid, as the engine's projection contract requires (a failed event is
 * applied again to the previous state).
 *
 * Keys are spread by a 32-bit FNV-1a hash, so time-ordered ids (uuid v7) spread as well as random
 * ones. The map is plain data (nested arrays), read through the functions of this module.
 *
 * @module
 */

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;
const DEPTH = 4;

/** A leaf of the trie: the entries whose hashes share all the trie's bits. */
export type PersistentMapBucket<V> = readonly (readonly [string, V])[];
/** An inner node of the trie: 32 slots, each a node, a bucket (at the last level) or empty. */
export type PersistentMapNode<V> = readonly (PersistentMapNode<V> | PersistentMapBucket<V> | undefined)[];
type Bucket<V> = PersistentMapBucket<V>;
type Node<V> = PersistentMapNode<V>;

/** A persistent map from string keys to `V`: read it with {@link pmGet}, change it with {@link pmSet}. */
export interface PersistentMap<V> {
  /** The number of keys. */
  readonly size: number;
  /** The trie's root; undefined when empty. */
  readonly root: PersistentMapNode<V> | undefined;
}

const hash = (key: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

const slot = (h: number, level: number): number => (h >>> (level * BITS)) & MASK;

/** Returns the empty map. */
export const pmEmpty = <V>(): PersistentMap<V> => ({ size: 0, root: undefined });

/** Returns the value under `key`, or undefined. */
export const pmGet = <V>(map: PersistentMap<V>, key: string): V | undefined => {
  const h = hash(key);
  let node: Node<V> | Bucket<V> | undefined = map.root;
  for (let level = 0; level < DEPTH && node !== undefined; level++) node = (node as Node<V>)[slot(h, level)];
  if (node === undefined) return undefined;
  for (const [k, v] of node as Bucket<V>) if (k === key) return v;
  return undefined;
};

/** True when the map holds `key`. */
export const pmHas = <V>(map: PersistentMap<V>, key: string): boolean => pmGet(map, key) !== undefined;

/** Returns a map with `key` set to `value`; `map` itself is unchanged. */
export const pmSet = <V>(map: PersistentMap<V>, key: string, value: V): PersistentMap<V> => {
  const h = hash(key);
  let added = false;
  const setIn = (node: Node<V> | undefined, level: number): Node<V> => {
    const copy: (Node<V> | Bucket<V> | undefined)[] = node === undefined ? new Array<undefined>(WIDTH) : node.slice();
    const i = slot(h, level);
    if (level === DEPTH - 1) {
      const bucket = (copy[i] as Bucket<V> | undefined) ?? [];
      const at = bucket.findIndex(([k]) => k === key);
      if (at < 0) {
        added = true;
        copy[i] = [...bucket, [key, value] as const];
      } else {
        const next = bucket.slice();
        next[at] = [key, value] as const;
        copy[i] = next;
      }
    } else {
      copy[i] = setIn(copy[i] as Node<V> | undefined, level + 1);
    }
    return copy;
  };
  const root = setIn(map.root, 0);
  return { size: map.size + (added ? 1 : 0), root };
};

/** Returns a map with the value under `key` replaced by `update(previous)` (previous may be undefined). */
export const pmUpdate = <V>(map: PersistentMap<V>, key: string, update: (previous: V | undefined) => V): PersistentMap<V> =>
  pmSet(map, key, update(pmGet(map, key)));

/** Lists the values, in a deterministic order (by hash, then insertion). */
export const pmValues = <V>(map: PersistentMap<V>): V[] => {
  const out: V[] = [];
  const walk = (node: Node<V> | Bucket<V> | undefined, level: number): void => {
    if (node === undefined) return;
    if (level === DEPTH) {
      for (const [, v] of node as Bucket<V>) out.push(v);
      return;
    }
    for (const child of node as Node<V>) walk(child, level + 1);
  };
  walk(map.root, 0);
  return out;
};

/** Lists the keys, in the order of {@link pmValues}. */
export const pmKeys = <V>(map: PersistentMap<V>): string[] => {
  const out: string[] = [];
  const walk = (node: Node<V> | Bucket<V> | undefined, level: number): void => {
    if (node === undefined) return;
    if (level === DEPTH) {
      for (const [k] of node as Bucket<V>) out.push(k);
      return;
    }
    for (const child of node as Node<V>) walk(child, level + 1);
  };
  walk(map.root, 0);
  return out;
};
