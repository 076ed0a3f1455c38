/**
 * Durable processor checkpoints: one stream per processor, `lethe.checkpoint-<name>`, holding
 * the global position of the last event the processor has fully handled. The stream has
 * `$maxCount` 1 (only the newest checkpoint is kept visible) and every write carries the expected
 * revision, so two engine instances running the same processor notice each other instead of
 * silently overwriting: on a conflict the newer of the two positions wins.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { EventStore, Position, StoreError, StreamRevision } from '../store/port.js';
import { comparePositions } from '../store/port.js';
import type { InvalidEvent } from './errors.js';
import { checkpointStreamFor, deriveId } from './ids.js';
import { decodeWith } from './metadata.js';

const Digits = new t.Type<string, string, unknown>(
  'Digits',
  (u): u is string => typeof u === 'string' && /^\d+$/.test(u),
  (u, c) => (typeof u === 'string' && /^\d+$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** Codec of a checkpoint event's data: a global position, bigints as decimal strings. */
export const CheckpointData = t.type({ commit: Digits, prepare: Digits });

/** The event type of checkpoint events. */
export const CHECKPOINT_EVENT_TYPE = 'CheckpointStored';

/** A processor's durable checkpoint: the last position it handled, and the checkpoint stream's revision. */
export interface Checkpoint {
  /** Undefined when the processor has never stored a checkpoint (start from the beginning). */
  readonly position: Position | undefined;
  readonly revision: StreamRevision | 'no_stream';
}

/** Returns the stored checkpoint of `processor` (none: position undefined), or a store or codec error. */
export const readCheckpoint = async (
  store: EventStore,
  processor: string,
): Promise<E.Either<StoreError | InvalidEvent, Checkpoint>> => {
  const stream = checkpointStreamFor(processor);
  const read = await store.readStream(stream, { direction: 'backwards', fromRevision: 'end', maxCount: 1 });
  if (E.isLeft(read))
    return read.left._tag === 'StreamNotFound' ? E.right({ position: undefined, revision: 'no_stream' }) : read;
  const last = read.right[0];
  if (last === undefined) return E.right({ position: undefined, revision: 'no_stream' });
  const data = decodeWith(CheckpointData, last.data);
  if (E.isLeft(data))
    return E.left({
      _tag: 'InvalidEvent',
      stream,
      direction: 'read',
      part: 'event',
      path: data.left.path,
      paths: data.left.paths,
      revision: last.revision,
    });
  return E.right({
    position: { commit: BigInt(data.right.commit), prepare: BigInt(data.right.prepare) },
    revision: last.revision,
  });
};

/** What {@link storeCheckpoint} did. `conflict` is true when another writer had moved the checkpoint. */
export interface StoredCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly conflict: boolean;
}

/**
 * Stores `position` as the checkpoint of `processor` on behalf of engine instance `writer`,
 * expecting the stream at `current.revision`.
 * When another instance wrote meanwhile, re-reads: if its position is at or past ours it is kept
 * (ours is already covered), otherwise ours is written over it, a bounded number of times.
 * Returns the checkpoint now stored and whether a conflict happened, or a store error.
 */
export const storeCheckpoint = async (
  store: EventStore,
  processor: string,
  current: Checkpoint,
  position: Position,
  writer: string,
): Promise<E.Either<StoreError | InvalidEvent, StoredCheckpoint>> => {
  const stream = checkpointStreamFor(processor);
  let expected = current;
  let conflict = false;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (expected.position !== undefined && comparePositions(expected.position, position) >= 0)
      return E.right({ checkpoint: expected, conflict });
    if (expected.revision === 'no_stream') {
      // Only the newest checkpoint matters; keep the stream at one visible event.
      const meta = await store.setStreamMetadata(stream, { maxCount: 1 });
      if (E.isLeft(meta) && meta.left._tag !== 'WrongExpectedVersion') return meta;
    }
    const appended = await store.appendToStream(
      stream,
      [
        {
          // The writer is part of the id: another instance's identical write is a conflict, not an idempotent retry.
          id: deriveId('checkpoint', processor, writer, position.commit, position.prepare, expected.revision),
          type: CHECKPOINT_EVENT_TYPE,
          data: { commit: position.commit.toString(), prepare: position.prepare.toString() },
        },
      ],
      { expectedRevision: expected.revision },
    );
    if (E.isRight(appended))
      return E.right({ checkpoint: { position, revision: appended.right.nextExpectedRevision }, conflict });
    if (appended.left._tag !== 'WrongExpectedVersion') return appended;
    conflict = true;
    const reread = await readCheckpoint(store, processor);
    if (E.isLeft(reread)) return reread;
    expected = reread.right;
  }
  return E.left({ _tag: 'WrongExpectedVersion', stream, expected: expected.revision, actual: expected.revision });
};
