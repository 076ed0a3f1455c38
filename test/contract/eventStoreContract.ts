/**
 * The event-store contract: one vitest suite that every adapter of the `EventStore` port must pass,
 * so that code written against the in-memory store behaves the same on EventStoreDB.
 *
 * The suite is adapter-agnostic: it never assumes how positions are numbered (only that they are
 * ordered), it uses unique stream names per test (the store may be shared with other tests and
 * other runs) and it reads `$all` through stream-name filters or from positions it recorded.
 */
import * as E from 'fp-ts/lib/Either.js';
import { v4 as uuidv4 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePositions } from '../../src/store/port.js';
import type {
  AllSubscription,
  EventData,
  EventStore,
  ExpectedRevision,
  JsonValue,
  Position,
  RecordedEvent,
  StoreError,
} from '../../src/store/port.js';
import type { SimulatedClock } from '../../src/time/clock.js';

/** What a contract run needs from an adapter: a store, optionally the clock it reads, and a teardown. */
export interface ContractSubject {
  readonly store: EventStore;
  /** The clock the store stamps `recordedAt` with and judges `maxAge` by, when the test controls it. */
  readonly clock?: Pick<SimulatedClock, 'now' | 'advance'>;
  /**
   * Releases what the factory started, store included; may run after the store was closed. Without
   * it, the suite closes the store.
   */
  readonly teardown?: () => Promise<void>;
}

const TIMEOUT_MS = 5_000;

/** Fails the test with a readable message instead of hanging it. */
const within = <A>(promise: Promise<A>, what: string, ms = TIMEOUT_MS): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });

const ok = <A>(result: E.Either<StoreError, A>): A => {
  if (E.isLeft(result)) throw new Error(`expected success, got ${JSON.stringify(result.left, bigintJson)}`);
  return result.right;
};

const fail = <A>(result: E.Either<StoreError, A>): StoreError => {
  if (E.isRight(result)) throw new Error('expected a failure, got a success');
  return result.left;
};

const bigintJson = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? `${value}n` : value);

const event = (type: string, data: JsonValue, id?: string): EventData =>
  id === undefined ? { type, data } : { id, type, data };

const events = (count: number, type = 'ContractEvent'): EventData[] =>
  Array.from({ length: count }, (_, i) => event(type, { n: i }, uuidv4()));

/** A fresh prefix per test, so filters on `$all` see only that test's streams. */
const freshPrefix = (label: string): string => `contract-${label}-${uuidv4().replace(/-/g, '')}-`;

const waitFor = async (condition: () => boolean, what: string): Promise<void> => {
  const stepMs = 5;
  for (let waited = 0; !condition(); waited += stepMs) {
    if (waited > TIMEOUT_MS) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
};

/** Drains a subscription into an array in the background; returns the array and the loop's end. */
const drain = (subscription: AllSubscription, delayMs = 0): { seen: RecordedEvent[]; done: Promise<void> } => {
  const seen: RecordedEvent[] = [];
  const done = (async () => {
    for await (const e of subscription) {
      seen.push(e);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  })();
  return { seen, done };
};

type StreamState = 'absent' | 'existing' | 'soft-deleted' | 'tombstoned';

type Outcome =
  | { readonly ok: bigint }
  | { readonly wrong: bigint | 'no_stream' }
  | { readonly tag: 'StreamDeleted' };

/**
 * EventStoreDB's expected-revision rules. The set-up streams have three events (revisions 0..2)
 * before being soft-deleted or tombstoned; the outcome is the revision of the appended event, or
 * the `actual` of the WrongExpectedVersion error, or the error tag.
 */
const MATRIX: ReadonlyArray<readonly [StreamState, ExpectedRevision, Outcome]> = [
  ['absent', 'any', { ok: 0n }],
  ['absent', 'no_stream', { ok: 0n }],
  ['absent', 'stream_exists', { wrong: 'no_stream' }],
  ['absent', 0n, { wrong: 'no_stream' }],
  ['absent', 2n, { wrong: 'no_stream' }],
  ['existing', 'any', { ok: 3n }],
  ['existing', 'no_stream', { wrong: 2n }],
  ['existing', 'stream_exists', { ok: 3n }],
  ['existing', 2n, { ok: 3n }],
  ['existing', 1n, { wrong: 2n }],
  ['existing', 5n, { wrong: 2n }],
  ['soft-deleted', 'any', { ok: 3n }],
  ['soft-deleted', 'no_stream', { ok: 3n }],
  ['soft-deleted', 'stream_exists', { tag: 'StreamDeleted' }],
  ['soft-deleted', 2n, { ok: 3n }],
  ['soft-deleted', 5n, { wrong: 2n }],
  ['tombstoned', 'any', { tag: 'StreamDeleted' }],
  ['tombstoned', 'no_stream', { tag: 'StreamDeleted' }],
  ['tombstoned', 'stream_exists', { tag: 'StreamDeleted' }],
  ['tombstoned', 2n, { tag: 'StreamDeleted' }],
];

/**
 * Defines the contract suite for one adapter. `factory` is called once for the suite (and once
 * more by the tests that close a store); every test uses its own streams.
 */
export const eventStoreContract = (name: string, factory: () => Promise<ContractSubject>): void => {
  describe(`EventStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: EventStore;

    beforeAll(async () => {
      subject = await factory();
      store = subject.store;
    });

    afterAll(async () => {
      if (subject.teardown !== undefined) await subject.teardown();
      else await store.close();
    });

    const setUp = async (state: StreamState, stream: string): Promise<void> => {
      if (state === 'absent') return;
      ok(await store.appendToStream(stream, events(3), { expectedRevision: 'no_stream' }));
      if (state === 'soft-deleted') ok(await store.deleteStream(stream));
      if (state === 'tombstoned') ok(await store.tombstoneStream(stream));
    };

    /** The revisions `readStream` shows, or the error tag. */
    const visible = async (stream: string): Promise<bigint[] | string> => {
      const read = await store.readStream(stream);
      return E.isLeft(read) ? read.left._tag : read.right.map((e) => e.revision);
    };

    /** Everything `$all` holds for streams starting with `prefix`, in global order. */
    const allOf = async (prefix: string, excludeSystemEvents = false): Promise<readonly RecordedEvent[]> =>
      ok(await store.readAll({ filter: { streamNamePrefixes: [prefix], excludeSystemEvents } }));

    describe('appendToStream and readStream', () => {
      it('numbers revisions from 0 and reads back what was appended, in order', async () => {
        const stream = `${freshPrefix('basic')}s`;
        const batch = [event('A', { n: 1 }, uuidv4()), { ...event('B', { n: 2 }, uuidv4()), metadata: { m: true } }];
        const result = ok(await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' }));
        expect(result.nextExpectedRevision).toBe(1n);
        const read = ok(await store.readStream(stream));
        expect(read.map((e) => [e.streamName, e.revision, e.type, e.data, e.id, e.isSystem])).toEqual([
          [stream, 0n, 'A', { n: 1 }, batch[0]?.id, false],
          [stream, 1n, 'B', { n: 2 }, batch[1]?.id, false],
        ]);
        expect(read[1]?.metadata).toEqual({ m: true });
        // The result's position is the append's place in $all: not before its first event.
        expect(comparePositions(result.position, read[0]!.position)).toBeGreaterThanOrEqual(0);
        expect(comparePositions(read[0]!.position, read[1]!.position)).toBeLessThan(0);
        expect(typeof read[0]?.recordedAt).toBe('number');
      });

      it('assigns a uuid when the event has no id', async () => {
        const stream = `${freshPrefix('ids')}s`;
        ok(await store.appendToStream(stream, [event('A', 1), event('A', 2)]));
        const [a, b] = ok(await store.readStream(stream));
        expect(a?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(a?.id).not.toBe(b?.id);
      });

      it('reads backwards, from a revision (inclusive) and up to maxCount', async () => {
        const stream = `${freshPrefix('slice')}s`;
        ok(await store.appendToStream(stream, events(5)));
        const revisions = async (options: Parameters<EventStore['readStream']>[1]) =>
          ok(await store.readStream(stream, options)).map((e) => e.revision);
        expect(await revisions({ direction: 'backwards' })).toEqual([4n, 3n, 2n, 1n, 0n]);
        expect(await revisions({ fromRevision: 2n })).toEqual([2n, 3n, 4n]);
        expect(await revisions({ fromRevision: 2n, maxCount: 2 })).toEqual([2n, 3n]);
        expect(await revisions({ direction: 'backwards', fromRevision: 2n })).toEqual([2n, 1n, 0n]);
        expect(await revisions({ direction: 'backwards', fromRevision: 'end', maxCount: 1 })).toEqual([4n]);
        expect(await revisions({ fromRevision: 9n })).toEqual([]);
      });

      it('reads an absent stream as StreamNotFound', async () => {
        expect(fail(await store.readStream(`${freshPrefix('absent')}s`))._tag).toBe('StreamNotFound');
      });
    });

    describe('expected revision', () => {
      it.each(MATRIX)('%s stream, expected %s', async (state, expected, outcome) => {
        const stream = `${freshPrefix('expected')}s`;
        await setUp(state, stream);
        const before = await visible(stream);
        const result = await store.appendToStream(stream, [event('Probe', { state })], { expectedRevision: expected });
        if ('ok' in outcome) {
          expect(ok(result).nextExpectedRevision).toBe(outcome.ok);
          // A soft-deleted stream comes back with only the new event visible.
          const after = ok(await store.readStream(stream));
          expect(after.map((e) => e.revision)).toEqual(state === 'existing' ? [0n, 1n, 2n, 3n] : [outcome.ok]);
          expect(after[after.length - 1]?.type).toBe('Probe');
        } else {
          const error = fail(result);
          if ('wrong' in outcome)
            expect(error).toEqual({ _tag: 'WrongExpectedVersion', stream, expected, actual: outcome.wrong });
          else expect(error).toEqual({ _tag: outcome.tag, stream });
          expect(await visible(stream)).toEqual(before);
        }
      });

      it('checks deleteStream and tombstoneStream against the expected revision too', async () => {
        const stream = `${freshPrefix('delete-expected')}s`;
        ok(await store.appendToStream(stream, events(3)));
        expect(fail(await store.deleteStream(stream, { expectedRevision: 1n }))).toEqual({
          _tag: 'WrongExpectedVersion',
          stream,
          expected: 1n,
          actual: 2n,
        });
        expect(fail(await store.tombstoneStream(stream, { expectedRevision: 'no_stream' }))).toMatchObject({
          _tag: 'WrongExpectedVersion',
          stream,
          actual: 2n,
        });
        expect(await visible(stream)).toEqual([0n, 1n, 2n]);
        ok(await store.deleteStream(stream, { expectedRevision: 2n }));
        expect(await visible(stream)).toBe('StreamNotFound');
      });
    });

    describe('idempotent retries', () => {
      it.each<[string, (last: bigint | 'no_stream') => ExpectedRevision]>([
        ['the same expected revision', (last) => last],
        ["'any'", () => 'any'],
      ])('a retry with %s succeeds with the original result and writes nothing', async (_label, expectedFor) => {
        const prefix = freshPrefix('retry');
        const stream = `${prefix}s`;
        ok(await store.appendToStream(stream, events(2)));
        const batch = events(3);
        const first = ok(await store.appendToStream(stream, batch, { expectedRevision: expectedFor(1n) }));
        const retry = ok(await store.appendToStream(stream, batch, { expectedRevision: expectedFor(1n) }));
        expect(retry).toEqual(first);
        expect(first.nextExpectedRevision).toBe(4n);
        expect(await visible(stream)).toEqual([0n, 1n, 2n, 3n, 4n]);
        expect(await allOf(prefix)).toHaveLength(5);
      });

      it('a retry of a stream-creating append with no_stream succeeds', async () => {
        const stream = `${freshPrefix('retry-create')}s`;
        const batch = events(2);
        const first = ok(await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' }));
        expect(ok(await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' }))).toEqual(first);
        expect(await visible(stream)).toEqual([0n, 1n]);
      });

      it('a partial overlap is a WrongExpectedVersion and writes nothing', async () => {
        const stream = `${freshPrefix('retry-partial')}s`;
        const batch = events(2);
        ok(await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' }));
        const longer = [...batch, ...events(1)];
        expect(fail(await store.appendToStream(stream, longer, { expectedRevision: 'no_stream' }))).toEqual({
          _tag: 'WrongExpectedVersion',
          stream,
          expected: 'no_stream',
          actual: 1n,
        });
        const different = [batch[0] as EventData, ...events(1)];
        expect(fail(await store.appendToStream(stream, different, { expectedRevision: 'no_stream' }))._tag).toBe(
          'WrongExpectedVersion',
        );
        expect(await visible(stream)).toEqual([0n, 1n]);
      });
    });

    describe('soft delete', () => {
      it('hides the stream; appending recreates it, continuing the numbering, old events stay in $all', async () => {
        const prefix = freshPrefix('soft');
        const stream = `${prefix}s`;
        const old = events(3, 'Old');
        ok(await store.appendToStream(stream, old));
        const deleted = ok(await store.deleteStream(stream));
        expect(deleted.position).toBeDefined();
        expect(fail(await store.readStream(stream))).toEqual({ _tag: 'StreamNotFound', stream });
        expect(fail(await store.readStream(stream, { direction: 'backwards' }))._tag).toBe('StreamNotFound');

        const fresh = events(2, 'New');
        const result = ok(await store.appendToStream(stream, fresh, { expectedRevision: 'no_stream' }));
        expect(result.nextExpectedRevision).toBe(4n);
        const read = ok(await store.readStream(stream));
        expect(read.map((e) => [e.revision, e.id])).toEqual([
          [3n, fresh[0]?.id],
          [4n, fresh[1]?.id],
        ]);
        const all = (await allOf(prefix, true)).map((e) => e.id);
        expect(all).toEqual([...old, ...fresh].map((e) => e.id));
      });

      it('writes the deletion as metadata, visible in $all as a system event', async () => {
        const stream = `${freshPrefix('soft-meta')}s`;
        ok(await store.appendToStream(stream, events(1)));
        ok(await store.deleteStream(stream));
        const metadata = ok(await store.getStreamMetadata(stream));
        expect(metadata.metadata.truncateBefore).toBeGreaterThan(0n);
        expect(metadata.metaRevision).not.toBe('no_stream');
        const system = await allOf(`$$${stream}`);
        expect(system.length).toBeGreaterThan(0);
        expect(system.every((e) => e.type === '$metadata' && e.isSystem)).toBe(true);
      });
    });

    describe('tombstone', () => {
      it('makes the stream unreadable and unwritable for good', async () => {
        const prefix = freshPrefix('tomb');
        const stream = `${prefix}s`;
        ok(await store.appendToStream(stream, events(2)));
        ok(await store.tombstoneStream(stream));
        const deleted = { _tag: 'StreamDeleted', stream };
        expect(fail(await store.readStream(stream))).toEqual(deleted);
        expect(fail(await store.readStream(stream, { direction: 'backwards' }))).toEqual(deleted);
        expect(fail(await store.appendToStream(stream, events(1)))).toEqual(deleted);
        expect(fail(await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' }))).toEqual(deleted);
        expect(fail(await store.deleteStream(stream))).toEqual(deleted);
        expect(fail(await store.tombstoneStream(stream))).toEqual(deleted);
        expect(fail(await store.setStreamMetadata(stream, { maxCount: 1 }))).toEqual(deleted);
        const all = await allOf(prefix);
        expect(all.map((e) => e.type)).toEqual(['ContractEvent', 'ContractEvent', '$streamDeleted']);
        expect(all[2]).toMatchObject({ streamName: stream, isSystem: true });
      });

      it('can tombstone a stream that never existed, with no_stream', async () => {
        const stream = `${freshPrefix('tomb-absent')}s`;
        ok(await store.tombstoneStream(stream, { expectedRevision: 'no_stream' }));
        expect(fail(await store.readStream(stream))._tag).toBe('StreamDeleted');
        expect(fail(await store.appendToStream(stream, events(1)))._tag).toBe('StreamDeleted');
      });
    });

    describe('stream metadata', () => {
      it('reads as empty with no_stream until set, then round-trips, checked against its own revision', async () => {
        const stream = `${freshPrefix('meta')}s`;
        const empty = ok(await store.getStreamMetadata(stream));
        expect(empty.metaRevision).toBe('no_stream');
        expect(empty.metadata.maxCount).toBeUndefined();
        expect(empty.metadata.maxAge).toBeUndefined();
        expect(empty.metadata.truncateBefore).toBeUndefined();

        const set = ok(
          await store.setStreamMetadata(stream, { maxCount: 10, custom: { purpose: 'billing' } }, {
            expectedRevision: 'no_stream',
          }),
        );
        expect(set.nextExpectedRevision).toBe(0n);
        const read = ok(await store.getStreamMetadata(stream));
        expect(read).toMatchObject({ streamName: stream, metaRevision: 0n });
        expect(read.metadata.maxCount).toBe(10);
        expect(read.metadata.custom).toEqual({ purpose: 'billing' });

        expect(fail(await store.setStreamMetadata(stream, { maxCount: 5 }, { expectedRevision: 'no_stream' }))).toEqual({
          _tag: 'WrongExpectedVersion',
          stream: `$$${stream}`,
          expected: 'no_stream',
          actual: 0n,
        });
        expect(ok(await store.setStreamMetadata(stream, { maxCount: 5 }, { expectedRevision: 0n })).nextExpectedRevision).toBe(
          1n,
        );
        expect(ok(await store.getStreamMetadata(stream)).metadata.maxCount).toBe(5);
        // The stream itself was never written: metadata does not create it.
        expect(await visible(stream)).toBe('StreamNotFound');
      });

      it('maxCount hides older events from stream reads but not from $all', async () => {
        const prefix = freshPrefix('maxcount');
        const stream = `${prefix}s`;
        ok(await store.appendToStream(stream, events(5)));
        ok(await store.setStreamMetadata(stream, { maxCount: 2 }));
        expect(await visible(stream)).toEqual([3n, 4n]);
        expect(ok(await store.readStream(stream, { direction: 'backwards' })).map((e) => e.revision)).toEqual([4n, 3n]);
        expect(await allOf(prefix, true)).toHaveLength(5);
      });

      it('truncateBefore hides earlier revisions from stream reads but not from $all', async () => {
        const prefix = freshPrefix('truncate');
        const stream = `${prefix}s`;
        ok(await store.appendToStream(stream, events(5)));
        ok(await store.setStreamMetadata(stream, { truncateBefore: 3n }));
        expect(await visible(stream)).toEqual([3n, 4n]);
        expect(ok(await store.readStream(stream, { fromRevision: 1n })).map((e) => e.revision)).toEqual([3n, 4n]);
        expect(await allOf(prefix, true)).toHaveLength(5);
      });

      it('maxAge hides events older than the clock allows from stream reads but not from $all', async (ctx) => {
        const clock = subject.clock;
        ctx.skip(clock === undefined, 'needs a controllable clock from the factory: skipped for this adapter');
        if (clock === undefined) return;
        const prefix = freshPrefix('maxage');
        const stream = `${prefix}s`;
        ok(await store.appendToStream(stream, events(2)));
        clock.advance(60_000);
        ok(await store.appendToStream(stream, events(1)));
        ok(await store.setStreamMetadata(stream, { maxAge: 30 }));
        expect(await visible(stream)).toEqual([2n]);
        clock.advance(60_000);
        expect(await visible(stream)).toEqual([]);
        expect(await allOf(prefix, true)).toHaveLength(3);
      });

      it('writes $metadata system events to $$stream, left out by excludeSystemEvents', async () => {
        const stream = `${freshPrefix('meta-events')}s`;
        ok(await store.setStreamMetadata(stream, { maxCount: 3 }));
        const written = await allOf(`$$${stream}`);
        expect(written.map((e) => [e.streamName, e.type, e.isSystem])).toEqual([[`$$${stream}`, '$metadata', true]]);
        expect(await allOf(`$$${stream}`, true)).toEqual([]);
      });
    });

    describe('$all', () => {
      it('orders events across streams by global position', async () => {
        const prefix = freshPrefix('order');
        const [a, b] = [`${prefix}a`, `${prefix}b`];
        const written: string[] = [];
        for (const [stream, e] of [
          [a, events(1)],
          [b, events(2)],
          [a, events(1)],
          [b, events(1)],
        ] as const) {
          ok(await store.appendToStream(stream, e));
          written.push(...e.map((x) => x.id as string));
        }
        const all = await allOf(prefix);
        expect(all.map((e) => e.id)).toEqual(written);
        for (let i = 1; i < all.length; i++)
          expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBeLessThan(0);
      });

      it('reads from a position inclusively forwards and exclusively backwards (EventStoreDB), up to maxCount', async () => {
        const prefix = freshPrefix('inclusive');
        ok(await store.appendToStream(`${prefix}s`, events(5)));
        const all = await allOf(prefix);
        const third = all[2] as RecordedEvent;
        const filter = { streamNamePrefixes: [prefix] };
        const ids = (read: readonly RecordedEvent[]) => read.map((e) => e.id);
        expect(ids(ok(await store.readAll({ fromPosition: third.position, maxCount: 2, filter })))).toEqual(
          ids(all.slice(2, 4)),
        );
        expect(
          ids(ok(await store.readAll({ fromPosition: third.position, direction: 'backwards', maxCount: 2, filter }))),
        ).toEqual([all[1]?.id, all[0]?.id]);
        expect(ids(ok(await store.readAll({ direction: 'backwards', maxCount: 2, filter })))).toEqual([
          all[4]?.id,
          all[3]?.id,
        ]);
        expect(ok(await store.readAll({ fromPosition: 'end', filter }))).toEqual([]);
      });

      it('filters by stream-name prefix, event-type prefix and system events', async () => {
        const prefix = freshPrefix('filter');
        ok(await store.appendToStream(`${prefix}consent`, [event('ConsentGranted', 1), event('ConsentWithdrawn', 2)]));
        ok(await store.appendToStream(`${prefix}breach`, [event('BreachDetected', 3)]));
        ok(await store.setStreamMetadata(`${prefix}breach`, { maxCount: 10 }));
        const read = async (filter: NonNullable<Parameters<EventStore['readAll']>[0]>['filter']) =>
          ok(await store.readAll({ filter })).map((e) => e.type);
        expect(await read({ streamNamePrefixes: [`${prefix}consent`] })).toEqual(['ConsentGranted', 'ConsentWithdrawn']);
        expect(await read({ streamNamePrefixes: [prefix], eventTypePrefixes: ['ConsentW', 'Breach'] })).toEqual([
          'ConsentWithdrawn',
          'BreachDetected',
        ]);
        expect(await read({ streamNamePrefixes: [`${prefix}breach`, `$$${prefix}breach`] })).toEqual([
          'BreachDetected',
          '$metadata',
        ]);
        expect(
          await read({ streamNamePrefixes: [`${prefix}breach`, `$$${prefix}breach`], excludeSystemEvents: true }),
        ).toEqual(['BreachDetected']);
      });
    });

    describe('subscribeToAll', () => {
      /** Appends a marker and returns its position: a subscription from it starts right after. */
      const mark = async (prefix: string): Promise<Position> =>
        ok(await store.appendToStream(`${prefix}marker`, [event('Marker', null)])).position;

      it('catches up, resolves caughtUp, then delivers live events in order', async () => {
        const prefix = freshPrefix('sub');
        const from = await mark(prefix);
        const backlog = events(3);
        ok(await store.appendToStream(`${prefix}a`, backlog));
        const subscription = store.subscribeToAll({ from, filter: { streamNamePrefixes: [prefix] } });
        const { seen, done } = drain(subscription);
        await within(subscription.caughtUp, 'caughtUp');
        await waitFor(() => seen.length >= 3, 'the backlog');
        const live = events(2);
        ok(await store.appendToStream(`${prefix}b`, live.slice(0, 1)));
        ok(await store.appendToStream(`${prefix}a`, live.slice(1)));
        await waitFor(() => seen.length >= 5, 'the live events');
        await subscription.unsubscribe();
        await within(done, 'the iteration to end');
        expect(seen.map((e) => e.id)).toEqual([...backlog, ...live].map((e) => e.id));
      });

      it('starts after the given position (exclusive)', async () => {
        const prefix = freshPrefix('sub-exclusive');
        const written = events(3);
        ok(await store.appendToStream(`${prefix}s`, written));
        const all = await allOf(prefix);
        const subscription = store.subscribeToAll({ from: all[0]!.position, filter: { streamNamePrefixes: [prefix] } });
        const { seen, done } = drain(subscription);
        await waitFor(() => seen.length >= 2, 'two events');
        await subscription.unsubscribe();
        await within(done, 'the iteration to end');
        expect(seen.map((e) => e.id)).toEqual([written[1]?.id, written[2]?.id]);
      });

      it('from end delivers only what is appended later, and resolves caughtUp at once', async () => {
        const prefix = freshPrefix('sub-end');
        ok(await store.appendToStream(`${prefix}s`, events(2)));
        const subscription = store.subscribeToAll({ from: 'end', filter: { streamNamePrefixes: [prefix] } });
        const { seen, done } = drain(subscription);
        await within(subscription.caughtUp, 'caughtUp');
        const later = events(1);
        ok(await store.appendToStream(`${prefix}s`, later));
        await waitFor(() => seen.length >= 1, 'the live event');
        await subscription.unsubscribe();
        await within(done, 'the iteration to end');
        expect(seen.map((e) => e.id)).toEqual([later[0]?.id]);
      });

      it('unsubscribe ends an iteration that is waiting for live events', async () => {
        const prefix = freshPrefix('sub-unsub');
        const subscription = store.subscribeToAll({ from: await mark(prefix), filter: { streamNamePrefixes: [prefix] } });
        const { seen, done } = drain(subscription);
        await within(subscription.caughtUp, 'caughtUp');
        await subscription.unsubscribe();
        await within(done, 'the iteration to end after unsubscribe');
        ok(await store.appendToStream(`${prefix}s`, events(1)));
        expect(seen).toEqual([]);
      });

      it('breaking out of for await ends the subscription', async () => {
        const prefix = freshPrefix('sub-break');
        ok(await store.appendToStream(`${prefix}s`, events(3)));
        const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [prefix] } });
        const seen: RecordedEvent[] = [];
        await within(
          (async () => {
            for await (const e of subscription) {
              seen.push(e);
              if (seen.length === 2) break;
            }
          })(),
          'the loop to break',
        );
        expect(seen).toHaveLength(2);
        // Ended: a new iteration finishes at once.
        const again: RecordedEvent[] = [];
        await within(
          (async () => {
            for await (const e of subscription) again.push(e);
          })(),
          'an ended subscription to finish',
        );
        expect(again).toEqual([]);
      });

      it('a slow consumer loses nothing', async () => {
        const prefix = freshPrefix('sub-slow');
        const from = await mark(prefix);
        const subscription = store.subscribeToAll({ from, filter: { streamNamePrefixes: [prefix] } });
        const { seen, done } = drain(subscription, 1);
        const written: string[] = [];
        for (let i = 0; i < 10; i++) {
          const batch = events(5);
          ok(await store.appendToStream(`${prefix}${i % 3}`, batch));
          written.push(...batch.map((e) => e.id as string));
        }
        await waitFor(() => seen.length >= 50, 'fifty events');
        await subscription.unsubscribe();
        await within(done, 'the iteration to end');
        expect(seen.map((e) => e.id)).toEqual(written);
      });
    });

    describe('concurrency', () => {
      it('20 writers × 25 appends on one stream with retry loops give exactly 500 events, no gaps, no duplicates', async () => {
        const stream = `${freshPrefix('concurrent')}s`;
        const writer = async (w: number): Promise<number> => {
          let conflicts = 0;
          for (let n = 0; n < 25; n++) {
            for (;;) {
              const last = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
              const expected: ExpectedRevision = E.isLeft(last)
                ? 'no_stream'
                : (last.right[0]?.revision ?? 'no_stream');
              const result = await store.appendToStream(stream, [event('Written', { w, n }, uuidv4())], {
                expectedRevision: expected,
              });
              if (E.isRight(result)) break;
              expect(result.left._tag).toBe('WrongExpectedVersion');
              conflicts++;
            }
          }
          return conflicts;
        };
        const conflicts = await Promise.all(Array.from({ length: 20 }, (_, w) => writer(w)));
        const read = ok(await store.readStream(stream));
        expect(read).toHaveLength(500);
        expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 500 }, (_, i) => BigInt(i)));
        expect(new Set(read.map((e) => e.id)).size).toBe(500);
        for (let w = 0; w < 20; w++) {
          const mine = read.map((e) => e.data as { w: number; n: number }).filter((d) => d.w === w);
          expect(mine.map((d) => d.n)).toEqual(Array.from({ length: 25 }, (_, i) => i));
        }
        // The writers really raced: some appends lost and were retried.
        expect(conflicts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      });
    });

    describe('immutability', () => {
      it('events read are frozen: mutating them throws and later reads are unchanged', async () => {
        const stream = `${freshPrefix('frozen')}s`;
        ok(await store.appendToStream(stream, [{ ...event('A', { nested: { list: [1, 2] } }), metadata: { m: 1 } }]));
        const [e] = ok(await store.readStream(stream));
        if (e === undefined) throw new Error('no event');
        const mutable = e as unknown as {
          type: string;
          data: { nested: { list: number[] }; added?: number };
          metadata: { m: number };
          position: { commit: bigint };
        };
        expect(() => {
          mutable.type = 'B';
        }).toThrow(TypeError);
        expect(() => {
          mutable.data.added = 1;
        }).toThrow(TypeError);
        expect(() => {
          mutable.data.nested.list.push(3);
        }).toThrow(TypeError);
        expect(() => {
          mutable.metadata.m = 2;
        }).toThrow(TypeError);
        expect(() => {
          mutable.position.commit = 0n;
        }).toThrow(TypeError);
        const [again] = ok(await store.readStream(stream));
        expect(again?.type).toBe('A');
        expect(again?.data).toEqual({ nested: { list: [1, 2] } });
        expect(again?.metadata).toEqual({ m: 1 });
      });

      it('changing the payload after appending (where allowed) does not change the stored event', async () => {
        const stream = `${freshPrefix('payload')}s`;
        const data = { list: [1, 2] };
        ok(await store.appendToStream(stream, [event('A', data)]));
        try {
          data.list.push(3);
        } catch {
          // Stores that keep the caller's object freeze it: then the push throws, which is fine too.
        }
        const [stored] = ok(await store.readStream(stream));
        expect(stored?.data).toEqual({ list: [1, 2] });
      });
    });

    describe('invalid appends', () => {
      const cases: ReadonlyArray<readonly [string, () => readonly EventData[], string]> = [
        ['an empty type', () => [...events(2), { type: '', data: 1 }], 'events[2].type'],
        ['a non-uuid id', () => [event('A', 1, 'not-a-uuid')], 'events[0].id'],
        [
          'a function in the data',
          () => [event('A', 1), event('B', { nested: { fn: (() => 1) as unknown as JsonValue } })],
          'events[1].data.nested.fn',
        ],
        ['a bigint in an array', () => [event('A', { list: [1, 2n as unknown as JsonValue] })], 'events[0].data.list[1]'],
        ['an undefined value', () => [event('A', { gone: undefined as unknown as JsonValue })], 'events[0].data.gone'],
        ['a non-finite number', () => [event('A', { n: Number.NaN })], 'events[0].data.n'],
        ['a class instance', () => [event('A', { at: new Map() as unknown as JsonValue })], 'events[0].data.at'],
        [
          'bad metadata',
          () => [{ type: 'A', data: 1, metadata: { s: Symbol('x') as unknown as JsonValue } }],
          'events[0].metadata.s',
        ],
      ];

      it.each(cases)('%s is an InvalidAppend naming the path, and nothing is written', async (_label, make, path) => {
        const prefix = freshPrefix('invalid');
        const stream = `${prefix}s`;
        const error = fail(await store.appendToStream(stream, make()));
        expect(error).toMatchObject({ _tag: 'InvalidAppend', stream, path });
        expect(await visible(stream)).toBe('StreamNotFound');
        expect(await allOf(prefix)).toEqual([]);
      });

      it('an invalid event in an append to an existing stream leaves the stream as it was', async () => {
        const stream = `${freshPrefix('invalid-existing')}s`;
        ok(await store.appendToStream(stream, events(2)));
        const error = fail(await store.appendToStream(stream, [...events(3), { type: 'A', data: { x: () => 1 } as never }]));
        expect(error).toMatchObject({ _tag: 'InvalidAppend', path: 'events[3].data.x' });
        expect(await visible(stream)).toEqual([0n, 1n]);
      });

      it.each(['', '$system'])('the stream name %j is rejected', async (stream) => {
        expect(fail(await store.appendToStream(stream, events(1)))).toMatchObject({
          _tag: 'InvalidAppend',
          path: 'stream',
        });
      });
    });

    describe('close', () => {
      it('ends subscriptions', async () => {
        const own = await factory();
        try {
          const subscription = own.store.subscribeToAll({ from: 'end' });
          const { done } = drain(subscription);
          await within(subscription.caughtUp, 'caughtUp');
          await own.store.close();
          await within(done, 'the iteration to end on close');
        } finally {
          await (own.teardown ?? own.store.close)();
        }
      });
    });
  });
};
