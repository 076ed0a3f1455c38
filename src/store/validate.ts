/**
 * Input checks shared by every adapter, so that a bad append fails the same way everywhere:
 * before anything is written, with the path of the bad field and no payload in the message.
 *
 * @module
 */
import type { EventData, StoreError } from './port.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Returns the path and reason of the first value that JSON cannot carry, or undefined when all is
 * JSON. Array indices are written `a[0]` (default) or `a.0` (`indexStyle: 'dots'`); an empty
 * `path` names the value itself.
 */
export const findNonJson = (
  value: unknown,
  path: string,
  depth = 0,
  indexStyle: 'brackets' | 'dots' = 'brackets',
): { path: string; reason: string } | undefined => {
  if (depth > 64) return { path, reason: 'nested too deeply (more than 64 levels)' };
  const key = (k: string): string => (path === '' ? k : `${path}.${k}`);
  const index = (i: number): string => (indexStyle === 'dots' ? key(String(i)) : `${path}[${i}]`);
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { path, reason: 'is not a finite number' };
    case 'object': {
      if (value === null) return undefined;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const bad = findNonJson(value[i], index(i), depth + 1, indexStyle);
          if (bad !== undefined) return bad;
        }
        return undefined;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return { path, reason: 'is not a plain object' };
      for (const k of Object.keys(value)) {
        const bad = findNonJson((value as Record<string, unknown>)[k], key(k), depth + 1, indexStyle);
        if (bad !== undefined) return bad;
      }
      return undefined;
    }
    default:
      return { path, reason: `is ${typeof value}, which JSON cannot carry` };
  }
};

/**
 * Checks an append before it touches the store: returns an `InvalidAppend` error naming the bad
 * field (`events[2].data.amount`), or undefined when the append is well-formed.
 */
export const validateAppend = (stream: string, events: readonly EventData[]): StoreError | undefined => {
  const invalid = (path: string, reason: string): StoreError => ({ _tag: 'InvalidAppend', stream, path, reason });
  if (typeof stream !== 'string' || stream.length === 0) return invalid('stream', 'must be a non-empty string');
  if (stream.startsWith('$')) return invalid('stream', 'streams starting with $ are system streams');
  if (!Array.isArray(events)) return invalid('events', 'must be an array');
  // EventStoreDB takes an empty append as a no-op; Lethe refuses it so every store behaves the same.
  if (events.length === 0) return invalid('events', 'must hold at least one event');
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as EventData | undefined;
    if (typeof event !== 'object' || event === null) return invalid(`events[${i}]`, 'must be an object');
    if (typeof event.type !== 'string' || event.type.length === 0)
      return invalid(`events[${i}].type`, 'must be a non-empty string');
    if (event.id !== undefined && (typeof event.id !== 'string' || !UUID.test(event.id)))
      return invalid(`events[${i}].id`, 'must be a uuid');
    const badData = findNonJson(event.data, `events[${i}].data`);
    if (badData !== undefined) return invalid(badData.path, badData.reason);
    if (event.metadata !== undefined) {
      const badMeta = findNonJson(event.metadata, `events[${i}].metadata`);
      if (badMeta !== undefined) return invalid(badMeta.path, badMeta.reason);
    }
  }
  return undefined;
};
