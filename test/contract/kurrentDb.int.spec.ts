// The contract suite on the EventStoreDB adapter driving the real @kurrent/kurrentdb-client 1.x
// over gRPC, against the in-process test server built from that client's own protocol modules.
//
// Both clients' generated protobuf code registers the same global names (proto.event_store.client.…),
// so this file must never load @eventstore/db-client. Vitest's default pool (forks, isolate: true)
// runs each test file in a child process of its own; the first and last tests check that this
// process indeed never loaded the 6.x client, so running with isolation off fails here instead of
// failing somewhere else in a confusing way.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import * as KurrentStreamsPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js';
import { connectEventStoreDb, getEventStoreDbEventStore } from '../../src/adapters/eventstoredb/index.js';
import type { EventStoreDbEventStore } from '../../src/adapters/eventstoredb/index.js';
import type { ExpectedRevision, RecordedEvent } from '../../src/store/index.js';
import { startEventStoreDbTestServer } from '../../src/testing/esdb/index.js';
import type { EsdbTestServer } from '../../src/testing/esdb/index.js';
import { simulatedClock } from '../../src/time/clock.js';
import { eventStoreContract } from './eventStoreContract.js';

const loadedModulePaths = (): string[] =>
  Object.keys(createRequire(`${process.cwd()}/`).cache).map((path) => path.replace(/\\/g, '/'));

const ESDB_CLIENT = '/node_modules/@eventstore/db-client/';
const KURRENT_CLIENT = '/node_modules/@kurrent/kurrentdb-client/';

/** The class google-protobuf registered globally under the Streams ReadReq name. */
const globalReadReq = (): unknown =>
  (globalThis as { proto?: { event_store?: { client?: { streams?: { ReadReq?: unknown } } } } }).proto
    ?.event_store?.client?.streams?.ReadReq;

const kurrentReadReq = (): unknown =>
  // ESM import() of a CommonJS module: module.exports is on `default`.
  ((KurrentStreamsPb as unknown as { default?: typeof KurrentStreamsPb }).default ?? KurrentStreamsPb).ReadReq;

const expectOnlyTheKurrentClientLoaded = (): void => {
  const paths = loadedModulePaths();
  expect(paths.filter((path) => path.includes(ESDB_CLIENT))).toEqual([]);
  expect(paths.some((path) => path.includes(KURRENT_CLIENT))).toBe(true);
  // The global protobuf names are the KurrentDB client's, so its messages deserialize as its own.
  expect(globalReadReq()).toBe(kurrentReadReq());
};

describe('process isolation (before the suite)', () => {
  it('this test file runs in a process that has not loaded @eventstore/db-client', () => {
    expectOnlyTheKurrentClientLoaded();
  });

  it('the test server refuses to be built from @eventstore/db-client in this process, without loading it', async () => {
    await expect(startEventStoreDbTestServer({ client: 'eventstoredb' })).rejects.toThrow(/kurrentdb client's protocol modules/);
    expect(loadedModulePaths().filter((path) => path.includes(ESDB_CLIENT))).toEqual([]);
  });
});

eventStoreContract('eventstoredb adapter with @kurrent/kurrentdb-client over the test server', async () => {
  const clock = simulatedClock(Date.UTC(2026, 0, 1));
  const server = await startEventStoreDbTestServer({ clock, client: 'kurrentdb' });
  // Through the connection-string entry point: kurrentdb:// loads @kurrent/kurrentdb-client.
  const connected = await connectEventStoreDb(server.connectionString);
  if (E.isLeft(connected)) throw new Error(`cannot connect: ${connected.left._tag}`);
  const store = connected.right;
  return {
    store,
    clock,
    teardown: async () => {
      await store.close();
      await server.close();
    },
  };
});

const ok = <A>(result: E.Either<unknown, A>): A => {
  if (E.isLeft(result)) throw new Error(`expected Right, got ${JSON.stringify(result.left, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  return result.right;
};

describe('eventstoredb adapter with @kurrent/kurrentdb-client: what differs from 6.x', () => {
  // 12:00:00.123, so that a whole-second truncation shows.
  const T0 = Date.UTC(2026, 0, 1, 12, 0, 0, 123);
  const clock = simulatedClock(T0);
  let server: EsdbTestServer;
  let store: EventStoreDbEventStore;

  beforeAll(async () => {
    server = await startEventStoreDbTestServer({ clock, client: 'kurrentdb' });
    expect(server.connectionString).toBe(`kurrentdb://127.0.0.1:${server.port}?tls=false`);
    // A KurrentDBClient is an EventStoreDbClientLike as it is: this line type-checks that.
    store = getEventStoreDbEventStore(KurrentDBClient.connectionString(server.connectionString));
  });

  afterAll(async () => {
    await store.close();
    await server.close();
  });

  it('reports the current revision of a conflict (KurrentDB names it actualState)', async () => {
    const stream = `lethe.subject-conflict-${clock.now()}`;
    ok(await store.appendToStream(stream, [{ type: 'A', data: {} }, { type: 'B', data: {} }]));
    const conflict = await store.appendToStream(stream, [{ type: 'C', data: {} }], { expectedRevision: 0n });
    expect(conflict).toEqual(E.left({ _tag: 'WrongExpectedVersion', stream, expected: 0n, actual: 1n }));
    const onAbsent = await store.appendToStream(`${stream}-absent`, [{ type: 'C', data: {} }], {
      expectedRevision: 'stream_exists',
    });
    expect(onAbsent).toEqual(
      E.left({ _tag: 'WrongExpectedVersion', stream: `${stream}-absent`, expected: 'stream_exists', actual: 'no_stream' }),
    );
    // Delete reports it in trailers (an absent stream as -1): the same mapping.
    const deleteConflict = await store.deleteStream(`${stream}-absent`, { expectedRevision: 3n });
    expect(deleteConflict).toEqual(
      E.left({ _tag: 'WrongExpectedVersion', stream: `${stream}-absent`, expected: 3n, actual: 'no_stream' }),
    );
  });

  it('gives readStream, readAll and a subscription the same recordedAt, in whole seconds', async () => {
    const stream = `lethe.subject-recorded-${clock.now()}`;
    clock.set(T0);
    const appended = ok(await store.appendToStream(stream, [{ type: 'Stamped', data: { n: 1 } }]));
    const fromStream = ok(await store.readStream(stream));
    const fromAll = ok(await store.readAll({ filter: { streamNamePrefixes: [stream] } }));
    const subscription = store.subscribeToAll({ from: 'start', filter: { streamNamePrefixes: [stream] } });
    let fromSubscription: RecordedEvent | undefined;
    for await (const event of subscription) {
      fromSubscription = event;
      break;
    }
    await subscription.unsubscribe();
    const whole = T0 - (T0 % 1000);
    expect(fromStream.map((e) => e.recordedAt)).toEqual([whole]);
    expect(fromAll.map((e) => e.recordedAt)).toEqual([whole]);
    expect(fromSubscription?.recordedAt).toBe(whole);
    expect(fromSubscription?.position).toEqual(appended.position);
    expect(fromStream[0]?.position).toEqual(appended.position);
  });

  it('reads nothing forwards from the end or backwards from the start (the native reader would read everything)', async () => {
    const stream = `lethe.subject-ends-${clock.now()}`;
    ok(await store.appendToStream(stream, [{ type: 'A', data: {} }, { type: 'B', data: {} }]));
    expect(ok(await store.readStream(stream, { direction: 'forwards', fromRevision: 'end' }))).toEqual([]);
    expect(ok(await store.readStream(stream, { direction: 'backwards', fromRevision: 'start' }))).toEqual([]);
    expect(ok(await store.readAll({ direction: 'backwards', fromPosition: 'start' }))).toEqual([]);
    expect(ok(await store.readAll({ direction: 'forwards', fromPosition: 'end' }))).toEqual([]);
    // An absent stream still says so.
    const absent = await store.readStream(`${stream}-absent`, { direction: 'forwards', fromRevision: 'end' });
    expect(absent).toEqual(E.left({ _tag: 'StreamNotFound', stream: `${stream}-absent` }));
  });

  it('reads JSON data and metadata back as values, positions as bigints', async () => {
    const stream = `lethe.subject-payload-${clock.now()}`;
    ok(
      await store.appendToStream(stream, [
        { type: 'WithMetadata', data: { a: [1, 'two', null] }, metadata: { correlationId: 'c-1' } },
        { type: 'WithoutMetadata', data: { b: true } },
      ]),
    );
    const read = ok(await store.readStream(stream));
    expect(read.map((e) => [e.type, e.data, e.metadata])).toEqual([
      ['WithMetadata', { a: [1, 'two', null] }, { correlationId: 'c-1' }],
      ['WithoutMetadata', { b: true }, undefined],
    ]);
    expect(typeof read[0]?.position.commit).toBe('bigint');
    expect(Object.isFrozen(read[0]?.data)).toBe(true);
  });

  it('two clients on two connections racing on one stream: every append lands once, in order', async () => {
    // A second KurrentDBClient: its own HTTP/2 connections (grpc-js for appends, the native reader
    // for reads), so the race crosses connections the way two service instances would.
    const other = getEventStoreDbEventStore(KurrentDBClient.connectionString(server.connectionString));
    const stream = `lethe.subject-race-${clock.now()}`;
    const writer = async (writerStore: EventStoreDbEventStore, w: number): Promise<number> => {
      let conflicts = 0;
      for (let n = 0; n < 20; n++) {
        for (;;) {
          const last = await writerStore.readStream(stream, { direction: 'backwards', maxCount: 1 });
          const expected: ExpectedRevision = E.isLeft(last) ? 'no_stream' : (last.right[0]?.revision ?? 'no_stream');
          const result = await writerStore.appendToStream(stream, [{ type: 'Written', data: { w, n } }], {
            expectedRevision: expected,
          });
          if (E.isRight(result)) break;
          expect(result.left._tag).toBe('WrongExpectedVersion');
          conflicts++;
        }
      }
      return conflicts;
    };
    try {
      const conflicts = await Promise.all(
        Array.from({ length: 10 }, (_, w) => writer(w % 2 === 0 ? store : other, w)),
      );
      const read = ok(await store.readStream(stream));
      expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 200 }, (_, i) => BigInt(i)));
      for (let w = 0; w < 10; w++) {
        const mine = read.map((e) => e.data as { w: number; n: number }).filter((d) => d.w === w);
        expect(mine.map((d) => d.n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      }
      expect(conflicts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });
});

describe('process isolation (after the suite)', () => {
  it('nothing in the run loaded @eventstore/db-client', () => {
    expectOnlyTheKurrentClientLoaded();
  });
});
