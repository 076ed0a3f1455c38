import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { simulatedClock } from '../time/clock.js';
import { DELETED_STREAM_REVISION, getInMemoryEventStore } from './inMemory.js';
import type { EventData, EventStore, JsonValue, StoreError } from './port.js';

const ok = <A>(result: E.Either<StoreError, A>): A => {
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left._tag}`);
  return result.right;
};

const fail = <A>(result: E.Either<StoreError, A>): StoreError => {
  if (E.isRight(result)) throw new Error('expected a failure');
  return result.left;
};

const ID = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const ev = (type: string, data: JsonValue, id?: string): EventData => (id === undefined ? { type, data } : { id, type, data });

const setup = () => {
  const clock = simulatedClock(Date.UTC(2026, 2, 1));
  return { clock, store: getInMemoryEventStore({ clock }) };
};

const readAllOf = async (store: EventStore) => ok(await store.readAll());

describe('getInMemoryEventStore', () => {
  it('numbers global positions densely from 1, commit equal to prepare, system events included', async () => {
    const { store } = setup();
    ok(await store.appendToStream('a', [ev('A', 1), ev('A', 2)]));
    ok(await store.setStreamMetadata('a', { maxCount: 5 }));
    ok(await store.appendToStream('b', [ev('B', 3)]));
    ok(await store.deleteStream('b'));
    ok(await store.tombstoneStream('a'));
    const all = await readAllOf(store);
    expect(all.map((e) => [e.position.commit, e.position.prepare])).toEqual(
      [1n, 2n, 3n, 4n, 5n, 6n].map((p) => [p, p]),
    );
    expect(all.map((e) => e.type)).toEqual(['A', 'A', '$metadata', 'B', '$metadata', '$streamDeleted']);
    expect(all.map((e) => e.isSystem)).toEqual([false, false, true, false, true, true]);
    expect(all[5]?.revision).toBe(DELETED_STREAM_REVISION);
  });

  it('stamps recordedAt from the injected clock', async () => {
    const { store, clock } = setup();
    ok(await store.appendToStream('a', [ev('A', 1)]));
    clock.advance(1_500);
    ok(await store.appendToStream('a', [ev('A', 2)]));
    expect(ok(await store.readStream('a')).map((e) => e.recordedAt)).toEqual([clock.now() - 1_500, clock.now()]);
  });

  it("soft delete writes $tb = long.MaxValue; recreating rewrites it to the first new revision and keeps the rest", async () => {
    const { store } = setup();
    ok(await store.appendToStream('s', [ev('A', 1), ev('A', 2)]));
    ok(await store.setStreamMetadata('s', { maxCount: 10, custom: { owner: 'billing' } }));
    ok(await store.deleteStream('s'));
    const deleted = ok(await store.getStreamMetadata('s'));
    expect(deleted.metaRevision).toBe(1n);
    expect(deleted.metadata).toEqual({ maxCount: 10, custom: { owner: 'billing' }, truncateBefore: DELETED_STREAM_REVISION });

    ok(await store.appendToStream('s', [ev('B', 3)], { expectedRevision: 'no_stream' }));
    const recreated = ok(await store.getStreamMetadata('s'));
    expect(recreated.metaRevision).toBe(2n);
    expect(recreated.metadata).toEqual({ maxCount: 10, custom: { owner: 'billing' }, truncateBefore: 2n });
    expect(ok(await store.readStream('s')).map((e) => [e.revision, e.type])).toEqual([[2n, 'B']]);
    // The metadata stream is a stream like any other, made of $metadata events.
    const meta = ok(await store.readStream('$$s'));
    expect(meta.map((e) => [e.revision, e.type, e.data])).toEqual([
      [0n, '$metadata', { owner: 'billing', $maxCount: 10 }],
      [1n, '$metadata', { owner: 'billing', $maxCount: 10, $tb: Number(DELETED_STREAM_REVISION) }],
      [2n, '$metadata', { owner: 'billing', $maxCount: 10, $tb: 2 }],
    ]);
  });

  it('a retry of the creating append after a soft delete and recreation is still recognised', async () => {
    const { store } = setup();
    ok(await store.appendToStream('s', [ev('A', 1)]));
    ok(await store.deleteStream('s'));
    const batch = [ev('B', 2, ID(1)), ev('B', 3, ID(2))];
    const first = ok(await store.appendToStream('s', batch, { expectedRevision: 'no_stream' }));
    expect(first.nextExpectedRevision).toBe(2n);
    expect(ok(await store.appendToStream('s', batch, { expectedRevision: 'no_stream' }))).toEqual(first);
    expect(ok(await store.readStream('s')).map((e) => e.revision)).toEqual([1n, 2n]);
  });

  it('compares ids case-insensitively and stores them in lower case, as EventStoreDB does', async () => {
    const { store } = setup();
    const upper = 'ABCDEF00-0000-4000-8000-000000000001';
    const first = ok(await store.appendToStream('s', [ev('A', 1, upper)]));
    expect(ok(await store.readStream('s'))[0]?.id).toBe(upper.toLowerCase());
    expect(ok(await store.appendToStream('s', [ev('A', 1, upper.toLowerCase())], { expectedRevision: 'any' }))).toEqual(
      first,
    );
    expect(ok(await store.readStream('s'))).toHaveLength(1);
  });

  it('gives events appended without an id distinct version 4 uuids, across batches of generated ids', async () => {
    const { store } = setup();
    // More than two batches of 1,024, in appends of one and of several events.
    for (let i = 0; i < 1_500; i++) ok(await store.appendToStream(`s-${i % 7}`, [ev('A', i)]));
    ok(await store.appendToStream('many', Array.from({ length: 700 }, (_, i) => ev('B', i))));
    const ids = ok(await store.readAll()).map((e) => e.id);
    expect(ids).toHaveLength(2_200);
    expect(new Set(ids).size).toBe(2_200);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("an 'any' or 'stream_exists' retry finds its events anywhere in the stream; other streams do not count", async () => {
    const { store } = setup();
    ok(await store.appendToStream('s', [ev('A', 0)]));
    const batch = [ev('B', 1, ID(7)), ev('B', 2, ID(8))];
    const first = ok(await store.appendToStream('s', batch));
    ok(await store.appendToStream('s', [ev('C', 3)]));
    expect(ok(await store.appendToStream('s', batch, { expectedRevision: 'stream_exists' }))).toEqual(first);
    expect(ok(await store.appendToStream('s', batch, { expectedRevision: 'any' }))).toEqual(first);
    // Appended after the index was built, still found.
    const later = [ev('D', 4, ID(9))];
    const laterResult = ok(await store.appendToStream('s', later));
    expect(ok(await store.appendToStream('s', later))).toEqual(laterResult);
    expect(ok(await store.readStream('s'))).toHaveLength(5);
    // The same ids in another stream are new events there.
    expect(ok(await store.appendToStream('t', batch)).nextExpectedRevision).toBe(1n);
  });

  it('freezes the payload objects it was given and hands out those very objects', async () => {
    const { store } = setup();
    const data = { nested: { list: [1, 2] } };
    const metadata = { correlationId: ID(3) };
    ok(await store.appendToStream('s', [{ type: 'A', data, metadata }]));
    expect(Object.isFrozen(data) && Object.isFrozen(data.nested) && Object.isFrozen(data.nested.list)).toBe(true);
    expect(Object.isFrozen(metadata)).toBe(true);
    const [first] = ok(await store.readStream('s'));
    const [second] = ok(await store.readAll());
    expect(first).toBe(second);
    expect(first?.data).toBe(data);
    expect(Object.isFrozen(first) && Object.isFrozen(first?.position)).toBe(true);
  });

  it('rejects appends that EventStoreDB would not take, without writing', async () => {
    const { store } = setup();
    let deep: JsonValue = 1;
    for (let i = 0; i < 70; i++) deep = { d: deep };
    expect(fail(await store.appendToStream('s', []))).toMatchObject({ _tag: 'InvalidAppend', path: 'events' });
    expect(fail(await store.appendToStream('s', null as unknown as EventData[]))).toMatchObject({ path: 'events' });
    expect(fail(await store.appendToStream('s', [null as unknown as EventData]))).toMatchObject({ path: 'events[0]' });
    expect(fail(await store.appendToStream('s', [ev('A', deep)]))).toMatchObject({ _tag: 'InvalidAppend' });
    expect(
      fail(await store.appendToStream('s', [ev('A', 1)], { expectedRevision: -1n as unknown as bigint })),
    ).toMatchObject({ _tag: 'InvalidAppend', path: 'options.expectedRevision' });
    expect(
      fail(await store.appendToStream('s', [ev('A', undefined as unknown as JsonValue)])),
    ).toMatchObject({ _tag: 'InvalidAppend', path: 'events[0].data' });
    expect(await readAllOf(store)).toEqual([]);
  });

  it('names the path of a bad value without quoting the value', async () => {
    const { store } = setup();
    const error = fail(await store.appendToStream('s', [ev('A', { email: { secret: 12n as unknown as JsonValue } })]));
    expect(error).toEqual({
      _tag: 'InvalidAppend',
      stream: 's',
      path: 'events[0].data.email.secret',
      reason: 'is bigint, which JSON cannot carry',
    });
  });

  it('validates stream metadata', async () => {
    const { store } = setup();
    expect(fail(await store.setStreamMetadata('s', { maxCount: 0 }))).toMatchObject({ path: 'metadata.maxCount' });
    expect(fail(await store.setStreamMetadata('s', { maxAge: 1.5 }))).toMatchObject({ path: 'metadata.maxAge' });
    expect(fail(await store.setStreamMetadata('s', { truncateBefore: -1n }))).toMatchObject({
      path: 'metadata.truncateBefore',
    });
    expect(fail(await store.setStreamMetadata('s', { custom: { $acl: 1 } }))).toMatchObject({
      path: 'metadata.custom.$acl',
    });
    expect(fail(await store.setStreamMetadata('s', { custom: { a: [1, () => 2] as unknown as JsonValue } }))).toMatchObject({
      _tag: 'InvalidAppend',
      path: 'metadata.custom.a[1]',
    });
    expect(fail(await store.setStreamMetadata('$s', {}))).toMatchObject({ path: 'stream' });
    expect(ok(await store.getStreamMetadata('s')).metaRevision).toBe('no_stream');
  });

  it('copies custom metadata rather than freezing the caller object', async () => {
    const { store } = setup();
    const custom = { owner: 'billing' };
    ok(await store.setStreamMetadata('s', { custom }));
    custom.owner = 'changed';
    expect(ok(await store.getStreamMetadata('s')).metadata.custom).toEqual({ owner: 'billing' });
  });

  it('reads the metadata of a tombstoned stream as StreamDeleted', async () => {
    const { store } = setup();
    ok(await store.setStreamMetadata('s', { maxCount: 3 }));
    ok(await store.tombstoneStream('s'));
    expect(fail(await store.getStreamMetadata('s'))._tag).toBe('StreamDeleted');
    expect(fail(await store.readStream('$$s'))._tag).toBe('StreamDeleted');
  });

  it('reads nothing backwards from start or forwards from end, and nothing with maxCount 0', async () => {
    const { store } = setup();
    ok(await store.appendToStream('s', [ev('A', 1), ev('A', 2)]));
    expect(ok(await store.readAll({ direction: 'backwards', fromPosition: 'start' }))).toEqual([]);
    expect(ok(await store.readAll({ fromPosition: 'end' }))).toEqual([]);
    expect(ok(await store.readAll({ maxCount: 0 }))).toEqual([]);
    expect(ok(await store.readStream('s', { maxCount: 0 }))).toEqual([]);
    expect(ok(await store.readStream('s', { direction: 'backwards', fromRevision: 'start' }))).toEqual([]);
  });

  it('wakes every live subscriber with one append, and each sees the system events unless filtered', async () => {
    const { store } = setup();
    const a = store.subscribeToAll();
    const b = store.subscribeToAll({ filter: { excludeSystemEvents: true } });
    const nextA = a[Symbol.asyncIterator]().next();
    const nextB = b[Symbol.asyncIterator]().next();
    ok(await store.setStreamMetadata('s', { maxCount: 1 }));
    ok(await store.appendToStream('s', [ev('A', 1)]));
    expect((await nextA).value?.type).toBe('$metadata');
    expect((await nextB).value?.type).toBe('A');
    await a.unsubscribe();
    await b.unsubscribe();
  });

  it('resolves caughtUp at once on an empty store, and when a subscription ends before catching up', async () => {
    const { store } = setup();
    await store.subscribeToAll().caughtUp;
    ok(await store.appendToStream('s', [ev('A', 1)]));
    const behind = store.subscribeToAll();
    await behind.unsubscribe();
    await behind.caughtUp;
    expect(await behind[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
  });

  it('after close, operations fail with StoreUnavailable and new subscriptions end at once', async () => {
    const { store } = setup();
    ok(await store.appendToStream('s', [ev('A', 1)]));
    await store.close();
    expect(fail(await store.appendToStream('s', [ev('A', 2)]))).toEqual({
      _tag: 'StoreUnavailable',
      reason: 'store closed',
    });
    expect(fail(await store.readStream('s'))._tag).toBe('StoreUnavailable');
    expect(fail(await store.readAll())._tag).toBe('StoreUnavailable');
    const late = store.subscribeToAll();
    expect(await late[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
  });
});
