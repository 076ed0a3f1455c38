import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANY,
  BACKWARDS,
  CancelledError,
  END,
  EventStoreDBClient,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import type { AllStreamResolvedEvent, Filter, Position, ResolvedEvent } from '@eventstore/db-client';
import { simulatedClock } from '../../time/clock.js';
import { startEventStoreDbTestServer } from './index.js';
import type { EsdbTestServer } from './index.js';

const T0 = Date.UTC(2026, 0, 15, 9, 30);
const LONG_MAX = 9223372036854775807n;

const collect = async <E>(items: AsyncIterable<E>): Promise<E[]> => {
  const out: E[] = [];
  for await (const item of items) out.push(item);
  return out;
};

const revisions = (events: readonly ResolvedEvent[]): bigint[] => events.map((e) => e.event?.revision ?? -1n);

const rejection = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

const stream = (prefix: string): string => `${prefix}-${randomUUID()}`;

const evt = (type: string, data: Record<string, unknown> = {}) => jsonEvent({ type, data });

const waitFor = async (condition: () => boolean, timeoutMs = 5_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('EventStoreDB test server, driven by @eventstore/db-client', () => {
  const clock = simulatedClock(T0);
  let server: EsdbTestServer;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    server = await startEventStoreDbTestServer({ clock });
    client = EventStoreDBClient.connectionString(server.connectionString);
  });

  afterAll(async () => {
    await client.dispose();
    await server.close();
  });

  it('listens on loopback with a tls=false connection string', () => {
    expect(server.connectionString).toBe(`esdb://127.0.0.1:${server.port}?tls=false`);
    expect(server.port).toBeGreaterThan(0);
    expect(server.isRunning()).toBe(true);
  });

  describe('append and expected revisions', () => {
    it('no_stream passes on an absent stream, then fails with the current revision', async () => {
      const name = stream('append');
      const first = await client.appendToStream(name, [evt('A'), evt('B')], { expectedRevision: NO_STREAM });
      expect(first.success).toBe(true);
      expect(first.nextExpectedRevision).toBe(1n);
      expect(first.position?.commit).toBeGreaterThan(0n);
      expect(first.position?.commit).toBe(first.position?.prepare);

      const error = await rejection(client.appendToStream(name, evt('C'), { expectedRevision: NO_STREAM }));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamName: name, expectedVersion: NO_STREAM, actualVersion: 1n });
    });

    it('an exact revision must equal the last revision', async () => {
      const name = stream('append');
      await client.appendToStream(name, [evt('A'), evt('B')]);
      const ok = await client.appendToStream(name, evt('C'), { expectedRevision: 1n });
      expect(ok.nextExpectedRevision).toBe(2n);

      const stale = await rejection(client.appendToStream(name, evt('D'), { expectedRevision: 0n }));
      expect(stale).toBeInstanceOf(WrongExpectedVersionError);
      expect(stale).toMatchObject({ streamName: name, expectedVersion: 0n, actualVersion: 2n });

      const ahead = await rejection(client.appendToStream(name, evt('D'), { expectedRevision: 7n }));
      expect(ahead).toMatchObject({ expectedVersion: 7n, actualVersion: 2n });

      const absent = await rejection(client.appendToStream(stream('absent'), evt('D'), { expectedRevision: 5n }));
      expect(absent).toMatchObject({ expectedVersion: 5n, actualVersion: 'no_stream' });
    });

    it('stream_exists fails on an absent stream unless its metadata stream exists', async () => {
      const absent = stream('exists');
      const error = await rejection(client.appendToStream(absent, evt('A'), { expectedRevision: STREAM_EXISTS }));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamName: absent, expectedVersion: STREAM_EXISTS, actualVersion: 'no_stream' });

      const existing = stream('exists');
      await client.appendToStream(existing, evt('A'));
      const ok = await client.appendToStream(existing, evt('B'), { expectedRevision: STREAM_EXISTS });
      expect(ok.nextExpectedRevision).toBe(1n);

      const onlyMetadata = stream('exists');
      await client.setStreamMetadata(onlyMetadata, { maxCount: 10 });
      const viaMetadata = await client.appendToStream(onlyMetadata, evt('A'), { expectedRevision: STREAM_EXISTS });
      expect(viaMetadata.nextExpectedRevision).toBe(0n);
    });

    it('any always passes', async () => {
      const name = stream('any');
      expect((await client.appendToStream(name, evt('A'), { expectedRevision: ANY })).nextExpectedRevision).toBe(0n);
      expect((await client.appendToStream(name, evt('B'), { expectedRevision: ANY })).nextExpectedRevision).toBe(1n);
    });

    it('a retry with the same event ids at the same revisions succeeds and writes nothing', async () => {
      const name = stream('idempotent');
      const events = [evt('A', { n: 1 }), evt('B', { n: 2 })];
      const first = await client.appendToStream(name, events, { expectedRevision: NO_STREAM });
      const before = server.stats();
      const retry = await client.appendToStream(name, events, { expectedRevision: NO_STREAM });
      expect(retry.success).toBe(true);
      expect(retry.nextExpectedRevision).toBe(1n);
      expect(retry.position).toEqual(first.position);
      const retryAny = await client.appendToStream(name, events, { expectedRevision: ANY });
      expect(retryAny.nextExpectedRevision).toBe(1n);
      expect(server.stats().appendedEvents).toBe(before.appendedEvents);
      expect(server.stats().appendCalls).toBe(before.appendCalls + 2);

      const third = evt('C');
      await client.appendToStream(name, third, { expectedRevision: 1n });
      const retryExact = await client.appendToStream(name, third, { expectedRevision: 1n });
      expect(retryExact.nextExpectedRevision).toBe(2n);
      expect(revisions(await collect(client.readStream(name)))).toEqual([0n, 1n, 2n]);

      // Same position, different ids: a conflict, not a retry.
      const conflict = await rejection(client.appendToStream(name, evt('D'), { expectedRevision: 1n }));
      expect(conflict).toBeInstanceOf(WrongExpectedVersionError);
    });
  });

  describe('reads', () => {
    it('reads a stream forwards and backwards with counts', async () => {
      const name = stream('read');
      await client.appendToStream(
        name,
        [0, 1, 2, 3, 4].map((n) => jsonEvent({ type: `E${n}`, data: { n }, metadata: { causation: n } })),
      );
      const all = await collect(client.readStream(name));
      expect(revisions(all)).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect(all[3]?.event).toMatchObject({ streamId: name, type: 'E3', data: { n: 3 }, metadata: { causation: 3 }, isJson: true });
      expect(all[0]?.event?.created.getTime()).toBe(T0);

      expect(revisions(await collect(client.readStream(name, { fromRevision: 1n, maxCount: 2 })))).toEqual([1n, 2n]);
      expect(
        revisions(await collect(client.readStream(name, { direction: BACKWARDS, fromRevision: END, maxCount: 2 }))),
      ).toEqual([4n, 3n]);
      expect(revisions(await collect(client.readStream(name, { direction: BACKWARDS, fromRevision: 2n })))).toEqual([
        2n,
        1n,
        0n,
      ]);
      expect(await collect(client.readStream(name, { fromRevision: END }))).toEqual([]);
    });

    it('reports an absent stream as StreamNotFoundError', async () => {
      const name = stream('missing');
      const error = await rejection(collect(client.readStream(name)));
      expect(error).toBeInstanceOf(StreamNotFoundError);
      expect(error).toMatchObject({ streamName: name });
    });

    it('reads $all from a position inclusively forwards and exclusively backwards', async () => {
      const name = stream('all');
      await client.appendToStream(name, [evt('A'), evt('B'), evt('C')]);
      const events = await collect(client.readStream(name));
      const second = events[1]?.event?.position as Position;
      expect(second.commit).toBe(second.prepare);

      const forwards = await collect(client.readAll({ fromPosition: second, maxCount: 2 }));
      expect(forwards.map((e) => e.event?.type)).toEqual(['B', 'C']);
      const backwards = await collect(client.readAll({ fromPosition: second, direction: BACKWARDS, maxCount: 1 }));
      expect(backwards.map((e) => e.event?.type)).toEqual(['A']);
      const latest = await collect(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }));
      expect(latest[0]?.event?.id).toBe(events[2]?.event?.id);

      const positions = (await collect(client.readAll())).map((e) => e.event?.position.commit ?? 0n);
      expect([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(positions);
      expect(new Set(positions).size).toBe(positions.length);
    });
  });

  describe('metadata', () => {
    it('$tb and $maxCount hide events from stream reads but not from $all', async () => {
      const truncated = stream('tb');
      await client.appendToStream(truncated, [evt('A'), evt('B'), evt('C')]);
      await client.setStreamMetadata(truncated, { truncateBefore: 2 });
      expect((await client.getStreamMetadata(truncated)).metadata).toMatchObject({ truncateBefore: 2 });
      expect(revisions(await collect(client.readStream(truncated)))).toEqual([2n]);

      const capped = stream('maxcount');
      await client.appendToStream(capped, [evt('A'), evt('B'), evt('C')]);
      await client.setStreamMetadata(capped, { maxCount: 2 });
      expect(revisions(await collect(client.readStream(capped)))).toEqual([1n, 2n]);
      expect(revisions(await collect(client.readStream(capped, { direction: BACKWARDS, fromRevision: END })))).toEqual([
        2n,
        1n,
      ]);

      const inAll = (await collect(client.readAll())).map((e) => e.event);
      expect(inAll.filter((e) => e?.streamId === truncated)).toHaveLength(3);
      expect(inAll.filter((e) => e?.streamId === capped)).toHaveLength(3);
      const metadataEvents = inAll.filter((e) => e?.streamId === `$$${capped}`);
      expect(metadataEvents.map((e) => [e?.type, e?.data])).toEqual([['$metadata', { $maxCount: 2 }]]);
    });

    it('$maxAge hides events older than the clock allows', async () => {
      const name = stream('maxage');
      await client.appendToStream(name, evt('Old'));
      clock.advance(60_000);
      await client.appendToStream(name, evt('New'));
      await client.setStreamMetadata(name, { maxAge: 30 });
      expect((await collect(client.readStream(name))).map((e) => e.event?.type)).toEqual(['New']);
      clock.advance(31_000);
      expect(await collect(client.readStream(name))).toEqual([]);
      expect((await collect(client.readAll())).filter((e) => e.event?.streamId === name)).toHaveLength(2);
    });
  });

  describe('deletion', () => {
    it('soft delete: not found, still in $all, recreated with numbering continued', async () => {
      const name = stream('soft');
      await client.appendToStream(name, [evt('A'), evt('B')]);
      const deleted = await client.deleteStream(name);
      expect(deleted.position?.commit).toBeGreaterThan(0n);
      await expect(collect(client.readStream(name))).rejects.toBeInstanceOf(StreamNotFoundError);
      const metadata = await client.getStreamMetadata(name);
      expect(Number(metadata.metadata?.truncateBefore)).toBeGreaterThanOrEqual(9.2e18);
      expect((await collect(client.readAll())).filter((e) => e.event?.streamId === name)).toHaveLength(2);

      const existsCheck = await rejection(client.appendToStream(name, evt('X'), { expectedRevision: STREAM_EXISTS }));
      expect(existsCheck).toBeInstanceOf(StreamDeletedError);

      const recreated = await client.appendToStream(name, evt('C'), { expectedRevision: NO_STREAM });
      expect(recreated.nextExpectedRevision).toBe(2n);
      const events = await collect(client.readStream(name));
      expect(events.map((e) => [e.event?.revision, e.event?.type])).toEqual([[2n, 'C']]);
      expect((await client.getStreamMetadata(name)).metadata).toMatchObject({ truncateBefore: 2 });
      // Only the first write recreates: the stream exists again.
      const again = await rejection(client.appendToStream(name, evt('D'), { expectedRevision: NO_STREAM }));
      expect(again).toMatchObject({ expectedVersion: NO_STREAM, actualVersion: 2n });
    });

    it('tombstone: the stream can never be read or written again', async () => {
      const name = stream('tombstone');
      await client.appendToStream(name, [evt('A'), evt('B')]);
      await client.tombstoneStream(name);

      const read = await rejection(collect(client.readStream(name)));
      expect(read).toBeInstanceOf(StreamDeletedError);
      expect(read).toMatchObject({ streamName: name });
      const append = await rejection(client.appendToStream(name, evt('C')));
      expect(append).toBeInstanceOf(StreamDeletedError);
      expect(await rejection(client.deleteStream(name))).toBeInstanceOf(StreamDeletedError);
      expect(await rejection(client.tombstoneStream(name))).toBeInstanceOf(StreamDeletedError);

      const inAll = (await collect(client.readAll())).filter((e) => e.event?.streamId === name);
      expect(inAll.map((e) => [e.event?.type, e.event?.revision])).toEqual([
        ['A', 0n],
        ['B', 1n],
        ['$streamDeleted', LONG_MAX],
      ]);
    });

    it('delete and tombstone report wrong expected versions with the trailers a node sends', async () => {
      const name = stream('delete-wev');
      await client.appendToStream(name, [evt('A'), evt('B')]);
      const exact = await rejection(client.deleteStream(name, { expectedRevision: 7n }));
      expect(exact).toBeInstanceOf(WrongExpectedVersionError);
      expect(exact).toMatchObject({ streamName: name, expectedVersion: 7n, actualVersion: 1n });
      // EventStoreDB's long codes: no_stream = -1, stream_exists = -4, an absent stream is -1.
      const noStream = await rejection(client.tombstoneStream(name, { expectedRevision: NO_STREAM }));
      expect(noStream).toMatchObject({ streamName: name, expectedVersion: -1n, actualVersion: 1n });
      const absent = stream('delete-wev');
      // The client sends stream_exists for tombstones (its types omit it; deleteStream cannot send it in 6.2.1).
      const streamExists = STREAM_EXISTS as unknown as bigint;
      const exists = await rejection(client.tombstoneStream(absent, { expectedRevision: streamExists }));
      expect(exists).toMatchObject({ streamName: absent, expectedVersion: -4n, actualVersion: -1n });
      await client.deleteStream(name, { expectedRevision: 1n });
      await expect(collect(client.readStream(name))).rejects.toBeInstanceOf(StreamNotFoundError);
    });
  });

  describe('subscriptions', () => {
    it('$all: confirmation, catch-up after the checkpoint (exclusive), caught up, then live', async () => {
      const name = stream('sub-all');
      await client.appendToStream(name, [evt('A'), evt('B')]);
      const [first] = await collect(client.readStream(name, { maxCount: 1 }));
      const from = first?.event?.position as Position;

      const log: string[] = [];
      const subscription = client.subscribeToAll({ fromPosition: from });
      subscription.on('confirmation', () => log.push('confirmation'));
      subscription.on('caughtUp', () => log.push('caughtUp'));
      subscription.on('data', (e: AllStreamResolvedEvent) => log.push(`${e.event?.streamId === name ? '' : 'other:'}${e.event?.type}`));
      await waitFor(() => log.includes('caughtUp'));
      await client.appendToStream(name, evt('C'));
      await waitFor(() => log.includes('C'));
      await subscription.unsubscribe();
      expect(log).toEqual(['confirmation', 'B', 'caughtUp', 'C']);
    });

    it('$all with a stream-name prefix filter delivers only matching events and checkpoints at the interval', async () => {
      const prefix = `filtered-${randomUUID()}`;
      await client.appendToStream(`${prefix}-1`, evt('A'));
      await client.appendToStream(stream('noise'), [evt('N1'), evt('N2'), evt('N3')]);
      await client.appendToStream(`${prefix}-2`, evt('B'));

      const checkpoints: bigint[] = [];
      const types: string[] = [];
      let caughtUp = false;
      const subscription = client.subscribeToAll({
        fromPosition: START,
        filter: streamNameFilter({
          prefixes: [prefix],
          maxSearchWindow: 1,
          checkpointInterval: 3,
          checkpointReached: (_subscription, position) => {
            checkpoints.push(position.commit);
            return Promise.resolve();
          },
        }),
      });
      subscription.on('data', (e: AllStreamResolvedEvent) => types.push(e.event?.type ?? '?'));
      subscription.on('caughtUp', () => {
        caughtUp = true;
      });
      await waitFor(() => caughtUp);
      await client.appendToStream(`${prefix}-3`, evt('C'));
      await waitFor(() => types.includes('C'));
      // A checkpoint every 3 records considered (window 1 x multiplier 3), at the 3rd, 6th, ... record.
      const positions = (await collect(client.readAll())).map((e) => e.event?.position.commit);
      const expected = positions.filter((_, i) => (i + 1) % 3 === 0);
      await waitFor(() => checkpoints.length === expected.length);
      await subscription.unsubscribe();

      expect(types).toEqual(['A', 'B', 'C']);
      expect(checkpoints).toEqual(expected);
    });

    it('$all with event-type and stream-name regex filters', async () => {
      const tag = randomUUID().replace(/-/g, '');
      await client.appendToStream(`rx-${tag}-1`, [evt(`Keep${tag}`), evt('Drop')]);
      await client.setStreamMetadata(`rx-${tag}-1`, { maxCount: 5 });
      await client.appendToStream(`other-${tag}`, evt(`Keep${tag}`));

      const run = async (filter: Filter): Promise<string[]> => {
        const seen: string[] = [];
        let caughtUp = false;
        const subscription = client.subscribeToAll({ fromPosition: START, filter });
        subscription.on('data', (e: AllStreamResolvedEvent) => seen.push(`${e.event?.streamId}:${e.event?.type}`));
        subscription.on('caughtUp', () => {
          caughtUp = true;
        });
        await waitFor(() => caughtUp);
        await subscription.unsubscribe();
        return seen;
      };
      expect(await run(eventTypeFilter({ regex: `^Keep${tag}$` }))).toEqual([
        `rx-${tag}-1:Keep${tag}`,
        `other-${tag}:Keep${tag}`,
      ]);
      expect(await run(streamNameFilter({ regex: `^rx-${tag}` }))).toEqual([
        `rx-${tag}-1:Keep${tag}`,
        `rx-${tag}-1:Drop`,
      ]);
      const withoutSystem = await run(excludeSystemEvents());
      expect(withoutSystem.length).toBeGreaterThan(0);
      expect(withoutSystem.some((entry) => entry.split(':')[1]?.startsWith('$'))).toBe(false);
      expect(withoutSystem).not.toContain(`$$rx-${tag}-1:$metadata`);
    });

    it('stream: catch-up from a revision (exclusive), caught up, live, hidden events skipped', async () => {
      const name = stream('sub-stream');
      await client.appendToStream(name, [evt('A'), evt('B'), evt('C')]);
      const log: string[] = [];
      const subscription = client.subscribeToStream(name, { fromRevision: 0n });
      subscription.on('caughtUp', () => log.push('caughtUp'));
      subscription.on('data', (e: ResolvedEvent) => log.push(`${e.event?.type}@${e.event?.revision}`));
      await waitFor(() => log.includes('caughtUp'));
      await client.appendToStream(name, evt('D'));
      await waitFor(() => log.length === 4);
      await subscription.unsubscribe();
      expect(log).toEqual(['B@1', 'C@2', 'caughtUp', 'D@3']);

      const truncated = stream('sub-stream');
      await client.appendToStream(truncated, [evt('A'), evt('B')]);
      await client.setStreamMetadata(truncated, { truncateBefore: 5 });
      const seen: string[] = [];
      let caughtUp = false;
      const fromStart = client.subscribeToStream(truncated, { fromRevision: START });
      fromStart.on('data', (e: ResolvedEvent) => seen.push(`${e.event?.type}@${e.event?.revision}`));
      fromStart.on('caughtUp', () => {
        caughtUp = true;
      });
      await waitFor(() => caughtUp);
      await client.appendToStream(truncated, [evt('C'), evt('D'), evt('E'), evt('F')]);
      await waitFor(() => seen.length === 4);
      await fromStart.unsubscribe();
      expect(seen).toEqual(['C@2', 'D@3', 'E@4', 'F@5']);
    });

    it('a catch-up larger than the transport buffers arrives complete and in order', async () => {
      const name = stream('big');
      for (let k = 0; k < 2; k += 1) {
        // Fresh events each time: reusing them would make every later append an idempotent retry.
        await client.appendToStream(name, Array.from({ length: 250 }, (_, n) => evt('Big', { n, padding: 'x'.repeat(256) })));
      }
      const seen: bigint[] = [];
      let caughtUp = false;
      const subscription = client.subscribeToStream(name, { fromRevision: START });
      subscription.on('data', (e: ResolvedEvent) => seen.push(e.event?.revision ?? -1n));
      subscription.on('caughtUp', () => {
        caughtUp = true;
      });
      await waitFor(() => caughtUp, 10_000);
      await subscription.unsubscribe();
      expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => BigInt(i)));
      expect(await collect(client.readStream(name))).toHaveLength(500);
    });

    it('stream: a tombstone ends the subscription with StreamDeletedError', async () => {
      const name = stream('sub-tombstone');
      await client.appendToStream(name, evt('A'));
      const errors: unknown[] = [];
      const subscription = client.subscribeToStream(name);
      subscription.on('error', (error) => errors.push(error));
      subscription.on('data', () => undefined);
      await client.tombstoneStream(name);
      await waitFor(() => errors.length > 0);
      expect(errors[0]).toBeInstanceOf(StreamDeletedError);
    });
  });

  it('concurrent appenders on one stream lose and duplicate nothing', async () => {
    const name = stream('concurrent');
    const writers = 4;
    const perWriter = 15;
    const clients = Array.from({ length: writers }, () => EventStoreDBClient.connectionString(server.connectionString));
    let conflicts = 0;
    try {
      await Promise.all(
        clients.map(async (writerClient, writer) => {
          for (let i = 0; i < perWriter; i += 1) {
            for (;;) {
              let expected: bigint | typeof NO_STREAM = NO_STREAM;
              try {
                const [last] = await collect(
                  writerClient.readStream(name, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }),
                );
                expected = last?.event?.revision ?? NO_STREAM;
              } catch (error) {
                if (!(error instanceof StreamNotFoundError)) throw error;
              }
              try {
                await writerClient.appendToStream(name, evt('Written', { writer, i }), { expectedRevision: expected });
                break;
              } catch (error) {
                if (!(error instanceof WrongExpectedVersionError)) throw error;
                conflicts += 1;
              }
            }
          }
          // Blind appends from every writer at once.
          await Promise.all(
            Array.from({ length: 5 }, (_, j) => writerClient.appendToStream(name, evt('Blind', { writer, j }))),
          );
        }),
      );
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
    }
    const events = await collect(client.readStream(name));
    const total = writers * (perWriter + 5);
    expect(revisions(events)).toEqual(Array.from({ length: total }, (_, i) => BigInt(i)));
    const keys = events.map((e) => JSON.stringify([e.event?.type, e.event?.data]));
    expect(new Set(keys).size).toBe(total);
    expect(conflicts).toBeGreaterThan(0);
  });
});

describe('node failure and scavenging', () => {
  it('stop() drops a subscription; after restart() a subscription from the last seen position continues without gaps', async () => {
    const server = await startEventStoreDbTestServer();
    const client = EventStoreDBClient.connectionString(server.connectionString);
    try {
      const name = stream('restart');
      await client.appendToStream(name, [evt('E1'), evt('E2')]);
      const seen: AllStreamResolvedEvent[] = [];
      const errors: unknown[] = [];
      const first = client.subscribeToAll({ fromPosition: START });
      first.on('data', (e: AllStreamResolvedEvent) => seen.push(e));
      first.on('error', (error) => errors.push(error));
      await waitFor(() => seen.length === 2);
      await client.appendToStream(name, evt('E3'));
      await server.stop();
      expect(server.isRunning()).toBe(false);
      // Open calls are reset by the closing server: grpc-js reports CANCELLED, the client then reconnects.
      await waitFor(() => errors.length > 0);
      expect(errors[0]).toBeInstanceOf(CancelledError);
      expect(server.stats().activeSubscriptions).toBe(0);

      await server.restart();
      expect(server.isRunning()).toBe(true);
      await client.appendToStream(name, evt('E4'));
      const last = seen[seen.length - 1]?.event?.position as Position;
      const second = client.subscribeToAll({ fromPosition: last });
      second.on('data', (e: AllStreamResolvedEvent) => seen.push(e));
      await waitFor(() => seen.some((e) => e.event?.type === 'E4'));
      await second.unsubscribe();

      expect(seen.map((e) => e.event?.type)).toEqual(['E1', 'E2', 'E3', 'E4']);
      expect(revisions(await collect(client.readStream(name)))).toEqual([0n, 1n, 2n, 3n]);
      expect(server.stats().starts).toBe(2);
    } finally {
      await client.dispose();
      await server.close();
    }
    await expect(server.restart()).rejects.toThrow(/closed/);
  });

  it('scavenge removes hidden events from $all but keeps each stream last event', async () => {
    const server = await startEventStoreDbTestServer();
    const client = EventStoreDBClient.connectionString(server.connectionString);
    try {
      await client.appendToStream('capped', [evt('C0'), evt('C1'), evt('C2')]);
      await client.setStreamMetadata('capped', { maxCount: 1 });
      await client.setStreamMetadata('capped', { maxCount: 2 });
      await client.appendToStream('soft', [evt('S0'), evt('S1')]);
      await client.deleteStream('soft');
      await client.appendToStream('hard', [evt('H0'), evt('H1')]);
      await client.tombstoneStream('hard');
      await client.appendToStream('truncated', [evt('T0'), evt('T1')]);
      await client.setStreamMetadata('truncated', { truncateBefore: 9 });

      const before = (await collect(client.readAll())).map((e) => `${e.event?.streamId}:${e.event?.type}`);
      expect(before).toHaveLength(14);
      expect(server.scavenge()).toEqual({ removed: 6 });
      const after = (await collect(client.readAll())).map((e) => `${e.event?.streamId}:${e.event?.type}`);
      expect(after).toEqual([
        'capped:C1',
        'capped:C2',
        '$$capped:$metadata',
        'soft:S1',
        '$$soft:$metadata',
        'hard:$streamDeleted',
        'truncated:T1',
        '$$truncated:$metadata',
      ]);
      expect(revisions(await collect(client.readStream('capped')))).toEqual([1n, 2n]);
      expect((await client.getStreamMetadata('capped')).metadata).toMatchObject({ maxCount: 2 });
      expect(await collect(client.readStream('truncated'))).toEqual([]);
      expect(server.scavenge()).toEqual({ removed: 0 });
      expect(server.stats().records).toBe(8);
    } finally {
      await client.dispose();
      await server.close();
    }
  });
});

describe('one client package per process', () => {
  const loaded = (fragment: string): string[] =>
    Object.keys(createRequire(`${process.cwd()}/`).cache).filter((path) => path.replace(/\\/g, '/').includes(fragment));

  it('this file runs in a process that loaded @eventstore/db-client and never @kurrent/kurrentdb-client', () => {
    expect(loaded('/node_modules/@eventstore/db-client/generated/').length).toBeGreaterThan(0);
    expect(loaded('/node_modules/@kurrent/')).toEqual([]);
  });

  it('builds the default server from @eventstore/db-client, with an esdb:// connection string', async () => {
    const server = await startEventStoreDbTestServer();
    try {
      expect(server.client).toBe('eventstoredb');
      expect(server.connectionString).toBe(`esdb://127.0.0.1:${server.port}?tls=false`);
    } finally {
      await server.close();
    }
  });

  it('refuses a kurrentdb server here, before loading anything of @kurrent/kurrentdb-client', async () => {
    await expect(startEventStoreDbTestServer({ client: 'kurrentdb' })).rejects.toThrow(
      /eventstoredb client's protocol modules are already loaded/,
    );
    expect(loaded('/node_modules/@kurrent/')).toEqual([]);
  });
});
