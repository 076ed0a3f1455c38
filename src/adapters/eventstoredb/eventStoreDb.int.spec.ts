// The adapter's own behaviour over real gRPC (the contract suite covers the port's rules):
// resubscription after a dropped connection, the surfaced subscription state, error mapping.
import { EventStoreDBClient } from '@eventstore/db-client';
import * as E from 'fp-ts/lib/Either.js';
import { v4 as uuidv4 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { startEventStoreDbTestServer } from '../../testing/esdb/index.js';
import type { EsdbTestServer } from '../../testing/esdb/index.js';
import type { RecordedEvent } from '../../store/port.js';
import { connectEventStoreDb, getEventStoreDbEventStore } from './index.js';
import type { EventStoreDbEventStore, SubscriptionState } from './index.js';

let server: EsdbTestServer | undefined;
let store: EventStoreDbEventStore | undefined;

afterEach(async () => {
  await store?.close();
  await server?.close();
  store = undefined;
  server = undefined;
});

const event = (n: number) => ({ id: uuidv4(), type: 'Numbered', data: { n } });

/** Resolves once `predicate` holds, polling every 10 ms, or rejects after `ms`. */
const eventually = async (predicate: () => boolean, what: string, ms = 10_000): Promise<void> => {
  const until = performance.now() + ms;
  while (!predicate()) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('EventStoreDB adapter over the test server', () => {
  it('resubscribes from the last delivered position after the server drops: nothing skipped or repeated', async () => {
    server = await startEventStoreDbTestServer();
    const states: SubscriptionState[] = [];
    store = getEventStoreDbEventStore(EventStoreDBClient.connectionString(server.connectionString), {
      resubscribeInitialDelayMs: 20,
      resubscribeMaxDelayMs: 200,
      onSubscriptionState: (s) => states.push(s),
    });
    const stream = `reconnect-${uuidv4()}`;
    for (let n = 0; n < 5; n++) expect(E.isRight(await store.appendToStream(stream, [event(n)]))).toBe(true);

    const seen: number[] = [];
    const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [stream] } });
    const consuming = (async () => {
      for await (const e of subscription as AsyncIterable<RecordedEvent>) seen.push((e.data as { n: number }).n);
    })();
    await eventually(() => seen.length === 5, 'the catch-up');

    await server.stop(); // the node goes down mid-subscription
    await eventually(() => states.some((s) => s._tag === 'Dropped'), 'the drop to be reported');
    await server.restart();
    for (let n = 5; n < 10; n++) {
      // appends may race the reconnect; retry until the server takes them
      let appended = await store.appendToStream(stream, [event(n)]);
      for (let i = 0; E.isLeft(appended) && i < 50; i++) {
        await new Promise((r) => setTimeout(r, 20));
        appended = await store.appendToStream(stream, [event(n)]);
      }
      expect(E.isRight(appended)).toBe(true);
    }
    await eventually(() => seen.length >= 10, 'the events after the restart');
    await subscription.unsubscribe();
    await consuming;

    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(subscription.state()._tag).toBe('Closed');
    const dropped = states.find((s) => s._tag === 'Dropped');
    expect(dropped).toMatchObject({ _tag: 'Dropped', attempt: 1, retryInMs: 20 });
  });

  it('fails the subscription for good after the configured number of failed resubscriptions', async () => {
    server = await startEventStoreDbTestServer();
    store = getEventStoreDbEventStore(EventStoreDBClient.connectionString(server.connectionString), {
      resubscribeInitialDelayMs: 5,
      resubscribeMaxDelayMs: 10,
      resubscribeMaxAttempts: 2,
    });
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    const first = iterator.next();
    await server.close(); // never comes back
    await expect(first).rejects.toMatchObject({ _tag: 'StoreUnavailable' });
    expect(subscription.state()._tag).toBe('Failed');
  });

  it('maps a wrong expected version on delete to the port error with actual no_stream for an absent stream', async () => {
    server = await startEventStoreDbTestServer();
    store = getEventStoreDbEventStore(EventStoreDBClient.connectionString(server.connectionString));
    const stream = `absent-${uuidv4()}`;
    const result = await store.deleteStream(stream, { expectedRevision: 0n });
    expect(result).toEqual(E.left({ _tag: 'WrongExpectedVersion', stream, expected: 0n, actual: 'no_stream' }));
    const exists = await store.deleteStream(stream, { expectedRevision: 'stream_exists' });
    expect(exists).toEqual(E.left({ _tag: 'WrongExpectedVersion', stream, expected: 'stream_exists', actual: 'no_stream' }));
  });

  it('connects by connection string, loading the client only then, and reports a malformed string as a value', async () => {
    server = await startEventStoreDbTestServer();
    const connected = await connectEventStoreDb(server.connectionString);
    expect(E.isRight(connected)).toBe(true);
    if (E.isRight(connected)) {
      store = connected.right;
      const stream = `connect-${uuidv4()}`;
      expect(E.isRight(await store.appendToStream(stream, [event(1)]))).toBe(true);
    }
    const malformed = await connectEventStoreDb('esdb://');
    expect(malformed).toMatchObject({ _tag: 'Left', left: { _tag: 'StoreUnavailable' } });
    if (E.isLeft(malformed)) expect(malformed.left).not.toHaveProperty('reason', expect.stringContaining('esdb://'));
  });
});
