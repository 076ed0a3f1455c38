import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { getInMemoryEventStore } from '../store/index.js';
import { readCheckpoint, storeCheckpoint } from './checkpoints.js';
import { checkpointStreamFor } from './ids.js';
import { unwrap } from './testAccount.fixture.js';

const p = (n: number) => ({ commit: BigInt(n), prepare: BigInt(n) });

describe('checkpoints', () => {
  it('reads none before the first write, then the last position written, on a $maxCount 1 stream', async () => {
    const store = getInMemoryEventStore();
    const none = unwrap(await readCheckpoint(store, 'policy'));
    expect(none).toEqual({ position: undefined, revision: 'no_stream' });
    const first = unwrap(await storeCheckpoint(store, 'policy', none, p(5), 'i1'));
    const second = unwrap(await storeCheckpoint(store, 'policy', first.checkpoint, p(9), 'i1'));
    expect(second).toEqual({ checkpoint: { position: p(9), revision: 1n }, conflict: false });
    expect(unwrap(await readCheckpoint(store, 'policy'))).toEqual({ position: p(9), revision: 1n });
    expect(unwrap(await store.getStreamMetadata(checkpointStreamFor('policy'))).metadata.maxCount).toBe(1);
    expect(unwrap(await store.readStream(checkpointStreamFor('policy')))).toHaveLength(1);
  });

  it('notices a second writer: the newer position wins whichever instance wrote it', async () => {
    const store = getInMemoryEventStore();
    const start = unwrap(await readCheckpoint(store, 'policy'));
    unwrap(await storeCheckpoint(store, 'policy', start, p(10), 'a'));
    // b still believes the stream is empty: its older position must not overwrite a's newer one.
    const behind = unwrap(await storeCheckpoint(store, 'policy', start, p(7), 'b'));
    expect(behind).toEqual({ checkpoint: { position: p(10), revision: 0n }, conflict: true });
    // b is ahead of what is stored: its position is written over, after the conflict.
    const ahead = unwrap(await storeCheckpoint(store, 'policy', start, p(12), 'b'));
    expect(ahead).toEqual({ checkpoint: { position: p(12), revision: 1n }, conflict: true });
    expect(unwrap(await readCheckpoint(store, 'policy')).position).toEqual(p(12));
  });

  it('refuses a checkpoint event it cannot read, naming the path', async () => {
    const store = getInMemoryEventStore();
    unwrap(await store.appendToStream(checkpointStreamFor('policy'), [{ type: 'CheckpointStored', data: { commit: 'x', prepare: '1' } }]));
    const result = await readCheckpoint(store, 'policy');
    expect(E.isLeft(result) && result.left._tag === 'InvalidEvent' && result.left.path).toBe('commit');
  });
});
