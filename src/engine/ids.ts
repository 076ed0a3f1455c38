/**
 * Ids and stream names. Derived ids are uuid v5 of their inputs under Lethe's namespace, so a
 * replay, a retry or a restart produces the same ids and the store drops the duplicates.
 * Stream names are `lethe.<kind>-<uuid>`: they never carry personal data, because EventStoreDB
 * keeps a deleted stream's name forever.
 *
 * @module
 */
import { deriveId } from '../model/shared.js';

export { deriveId, LETHE_NAMESPACE } from '../model/shared.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KIND = /^[a-z][a-zA-Z0-9]*$/;
const PROCESSOR_NAME = /^[A-Za-z0-9][A-Za-z0-9_.]*$/;

/** True when `value` is a uuid (any version), in canonical 8-4-4-4-12 form. */
export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * Returns the id of the `index`-th event a command with id `commandId` produced on `stream`: uuid
 * v5 of (stream, commandId, index). The stream is part of it so that one command id used on two
 * streams (a host reusing an idempotency key) never gives two events the same id: reactions derive
 * their commands' ids from the event's, and would take the second for a repeat of the first.
 */
export const eventIdFor = (stream: string, commandId: string, index: number): string => deriveId('event', stream, commandId, index);

/** Returns the id of the `index`-th command reaction `reaction` emitted for the event `causeEventId`. */
export const reactionCommandId = (reaction: string, causeEventId: string, index: number): string =>
  deriveId('reaction', reaction, causeEventId, index);

/** Returns the identity of a timer firing: uuid v5 of (key, due instant, handler). */
export const timerFiringId = (key: string, at: number, handler: string): string => deriveId('timer', key, at, handler);

/** Returns the id of the `index`-th command a timer firing emitted. */
export const timerCommandId = (firingId: string, index: number): string => deriveId('timer-command', firingId, index);

/** True when `kind` can name a stream kind: starts with a lower-case letter, then letters and digits only. */
export const isValidKind = (kind: string): boolean => KIND.test(kind) && !RESERVED_KINDS.has(kind);

/** True when `name` can name a processor (projection or reaction): letters, digits, `_` and `.`. */
export const isValidProcessorName = (name: string): boolean => PROCESSOR_NAME.test(name);

/** Kinds the engine keeps for its own bookkeeping streams. */
export const RESERVED_KINDS: ReadonlySet<string> = new Set(['checkpoint', 'outbox']);

/** Returns the stream name `lethe.<kind>-<id>`; `id` should be a uuid (see {@link isLetheStreamName}). */
export const streamNameFor = (kind: string, id: string): string => `lethe.${kind}-${id}`;

/** True when `name` is exactly `lethe.<kind>-<uuid>`. */
export const isLetheStreamName = (kind: string, name: string): boolean => {
  const prefix = `lethe.${kind}-`;
  return name.startsWith(prefix) && isUuid(name.slice(prefix.length));
};

/** Returns the kind of a `lethe.<kind>-…` stream name, or undefined for any other name. */
export const kindOfStream = (name: string): string | undefined => {
  if (!name.startsWith('lethe.')) return undefined;
  const dash = name.indexOf('-', 6);
  return dash > 6 ? name.slice(6, dash) : undefined;
};

/** Returns the checkpoint stream of a processor: `lethe.checkpoint-<name>`. */
export const checkpointStreamFor = (processor: string): string => `lethe.checkpoint-${processor}`;

/** Returns the outbox stream of an emitted command: `lethe.outbox-<commandId>`. */
export const outboxStreamFor = (commandId: string): string => `lethe.outbox-${commandId}`;

/** The prefix of every outbox stream. */
export const OUTBOX_PREFIX = 'lethe.outbox-';

/** The prefix of every checkpoint stream. */
export const CHECKPOINT_PREFIX = 'lethe.checkpoint-';
