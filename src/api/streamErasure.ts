/**
 * The stream-erasure area: deletes a fully erased subject's own streams as the policy's
 * `erasure.streams` says (reaction in `policy/reactions/streamErasure.ts`), with the built-in
 * handler of its `PurgeSubjectStreams` command. The facade registers that handler itself, on its
 * own store; a host cannot handle the command.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import type { CommandHandler } from '../engine/index.js';
import { PURGEABLE_STREAM_KINDS, PurgeSubjectStreams, streamErasureReactions } from '../policy/reactions/streamErasure.js';
import type { EventStore, StoreError } from '../store/index.js';
import type { DomainArea } from './area.js';

/** The stream-erasure area: one reaction, no projections (it reads the lifecycle views), no timers. */
export const streamErasureArea: DomainArea = {
  projections: {},
  reactions: streamErasureReactions,
  timerHandlers: () => ({}),
  // Handled by {@link purgeSubjectStreamsHandler} on the facade's store, not routed to a stream kind.
  internalCommands: {},
};

/** Why a `PurgeSubjectStreams` command failed (the outbox retries it; every step is idempotent). */
export type PurgeSubjectStreamsError =
  | { readonly _tag: 'InvalidPurgeCommand'; readonly reason: string }
  | { readonly _tag: 'StreamNotPurgeable'; readonly stream: string }
  | {
      readonly _tag: 'StreamPurgeFailed';
      readonly stream: string;
      readonly action: 'softDelete' | 'tombstone' | 'maxAge';
      readonly error: StoreError;
    };

const isPurgeable = (stream: string): boolean =>
  PURGEABLE_STREAM_KINDS.some((kind) => new RegExp(`^lethe\\.${kind}-[0-9a-f-]{36}$`).test(stream));

/**
 * Purges one stream. A stream that is already gone as far as `action` goes is fine: tombstoned
 * (`StreamDeleted`, for every action) or absent (`StreamNotFound`).
 */
const purgeStream = async (
  store: EventStore,
  stream: string,
  command: PurgeSubjectStreams,
): Promise<Either<PurgeSubjectStreamsError, void>> => {
  const action = command.maxAgeSeconds !== undefined ? 'maxAge' : command.mode;
  const gone = (error: StoreError): boolean => error._tag === 'StreamDeleted' || error._tag === 'StreamNotFound';
  const failed = (error: StoreError): Either<PurgeSubjectStreamsError, void> =>
    gone(error) ? E.right(undefined) : E.left({ _tag: 'StreamPurgeFailed', stream, action, error });
  if (action === 'maxAge') {
    const current = await store.getStreamMetadata(stream);
    if (E.isLeft(current)) return failed(current.left);
    const written = await store.setStreamMetadata(
      stream,
      { ...current.right.metadata, maxAge: command.maxAgeSeconds },
      { expectedRevision: current.right.metaRevision },
    );
    return E.isLeft(written) ? failed(written.left) : E.right(undefined);
  }
  const done = action === 'tombstone' ? await store.tombstoneStream(stream) : await store.deleteStream(stream);
  return E.isLeft(done) ? failed(done.left) : E.right(undefined);
};

/**
 * Returns the built-in handler of `PurgeSubjectStreams` on `store`: soft-deletes or tombstones
 * each listed stream, or sets its `$maxAge`, in order; Right when every stream is done (a stream
 * already deleted or tombstoned counts as done), else the first failure, typed (the outbox
 * retries the whole command, which is idempotent). Refuses a stream that is not a subject,
 * consent or retention stream (`StreamNotPurgeable`) before touching any.
 */
export const purgeSubjectStreamsHandler =
  (store: EventStore): CommandHandler =>
  async (outboxCommand) => {
    const decoded = PurgeSubjectStreams.decode(outboxCommand.data);
    if (E.isLeft(decoded)) return E.left<PurgeSubjectStreamsError>({ _tag: 'InvalidPurgeCommand', reason: 'data does not match PurgeSubjectStreams' });
    const command = decoded.right;
    if (command.maxAgeSeconds !== undefined && (command.mode !== 'softDelete' || !(command.maxAgeSeconds >= 0)))
      return E.left<PurgeSubjectStreamsError>({ _tag: 'InvalidPurgeCommand', reason: 'maxAgeSeconds is a number >= 0, only with mode softDelete' });
    const refused = command.streams.find((stream) => !isPurgeable(stream));
    if (refused !== undefined) return E.left<PurgeSubjectStreamsError>({ _tag: 'StreamNotPurgeable', stream: refused });
    for (const stream of command.streams) {
      const done = await purgeStream(store, stream, command);
      if (E.isLeft(done)) return done;
    }
    return E.right(undefined);
  };
