/**
 * The EventStoreDB adapter over the in-process test server (NOT an EventStoreDB benchmark: the
 * server is Lethe's in-memory protocol double, so the figures say what the adapter costs on top of
 * the client and the gRPC round trip, not what a database does).
 *
 * For each client package (`@eventstore/db-client` 6.x, `@kurrent/kurrentdb-client` 1.x), in a
 * child process of its own (their generated protobuf code shares global names, so one process must
 * load only one of them), against one test server built for that client:
 * - appends: N single-event appends round robin over S streams (expected revision `no_stream`,
 *   then the exact revision), one at a time, through the adapter and then straight through the raw
 *   client (the peer) on its own connection;
 * - replay: the whole `$all` read in pages, and a subscription to `$all` from the start until it
 *   has delivered every event (catch-up), through the adapter and through the raw client.
 * Each path warms up first; appends interleave the two paths in tenths, replays alternate them and
 * keep each path's faster of two passes, so neither profits from running second. Prints a table
 * with events/s and the adapter/raw-client time ratio, and writes bench/adapter-results.json.
 * Appends run one at a time, so they measure a round trip each, not the server's throughput.
 *
 * Run from the repository root: `node --import tsx bench/adapter.ts [--appends N] [--streams S]
 * [--clients eventstoredb,kurrentdb]`.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import type * as EsdbClientModule from '@eventstore/db-client';
import type * as KurrentClientModule from '@kurrent/kurrentdb-client';
import { getEventStoreDbEventStore } from '../src/adapters/eventstoredb/index.js';
import type { EventStoreDbClientLike } from '../src/adapters/eventstoredb/index.js';
import type { ExpectedRevision, Position } from '../src/store/index.js';
import { startEventStoreDbTestServer } from '../src/testing/esdb/index.js';
import type { EsdbClientPackage } from '../src/testing/esdb/index.js';

const TITLE = 'Lethe EventStoreDB adapter over the in-process test server (not an EventStoreDB benchmark)';
const PAGE = 1_000;
const WARM_UP_APPENDS = 1_000;
const REPLAY_PASSES = 2;

type Path = 'adapter' | 'raw client';
type Operation = 'append' | 'readAll in pages' | 'subscription catch-up';

interface Row {
  readonly client: EsdbClientPackage;
  readonly path: Path;
  readonly operation: Operation;
  readonly events: number;
  readonly streams: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

interface Scenario {
  readonly client: EsdbClientPackage;
  readonly appends: number;
  readonly streams: number;
}

/** What the benchmark does with a raw client: the same work as the adapter, in the client's own terms. */
interface RawPath {
  readonly append: (stream: string, data: Record<string, unknown>, expected: ExpectedRevision) => Promise<void>;
  /** Reads up to `count` events of `$all` from `from` (inclusive); returns how many and the last position. */
  readonly readAllPage: (from: Position | 'start', count: number) => Promise<{ count: number; last?: Position }>;
  /** Subscribes to `$all` from the start and resolves once `total` events arrived. */
  readonly catchUp: (total: number) => Promise<void>;
  readonly dispose: () => Promise<void>;
}

const moduleExports = <A>(namespace: A): A => (namespace as { default?: A }).default ?? namespace;

/** The part of a read or subscription event both clients share. */
type ResolvedLike = { readonly event?: { readonly position?: Position } | undefined };

/** Counts a page of `$all` read by a raw client and returns its last position. */
const countPage = async (events: AsyncIterable<ResolvedLike>): Promise<{ count: number; last?: Position }> => {
  let n = 0;
  let last: Position | undefined;
  for await (const resolved of events) {
    n += 1;
    last = resolved.event?.position;
  }
  return last === undefined ? { count: n } : { count: n, last };
};

/** A raw client's `$all` subscription, as the bench uses it. */
type RawSubscription = AsyncIterable<ResolvedLike> & { readonly unsubscribe: () => Promise<unknown> };

/** Reads a raw client's `$all` subscription until `total` events arrived, then unsubscribes. */
const countUntil = async (subscription: RawSubscription, total: number): Promise<void> => {
  let n = 0;
  for await (const resolved of subscription) {
    if (resolved.event !== undefined) n += 1;
    if (n >= total) break;
  }
  await subscription.unsubscribe();
};

/** Loads only the chosen client package, and returns a second client (for the adapter) and the raw path. */
const loadClient = async (
  client: EsdbClientPackage,
  connectionString: string,
): Promise<{ adapterClient: EventStoreDbClientLike; raw: RawPath }> => {
  if (client === 'kurrentdb') {
    const k = moduleExports(await import('@kurrent/kurrentdb-client')) as typeof KurrentClientModule;
    const rawClient = k.KurrentDBClient.connectionString(connectionString);
    return {
      adapterClient: k.KurrentDBClient.connectionString(connectionString),
      raw: {
        append: async (stream, data, expected) => {
          await rawClient.appendToStream(stream, k.jsonEvent({ type: 'BenchEvent', data }), { streamState: expected });
        },
        readAllPage: (from, count) => countPage(rawClient.readAll({ fromPosition: from, maxCount: count }) as AsyncIterable<ResolvedLike>),
        catchUp: (total) => countUntil(rawClient.subscribeToAll({ fromPosition: k.START }) as unknown as RawSubscription, total),
        dispose: () => rawClient.dispose(),
      },
    };
  }
  const e = moduleExports(await import('@eventstore/db-client')) as typeof EsdbClientModule;
  const rawClient = e.EventStoreDBClient.connectionString(connectionString);
  return {
    adapterClient: e.EventStoreDBClient.connectionString(connectionString),
    raw: {
      append: async (stream, data, expected) => {
        await rawClient.appendToStream(stream, e.jsonEvent({ type: 'BenchEvent', data }), { expectedRevision: expected });
      },
      readAllPage: (from, count) => countPage(rawClient.readAll({ fromPosition: from, maxCount: count }) as AsyncIterable<ResolvedLike>),
      catchUp: (total) => countUntil(rawClient.subscribeToAll({ fromPosition: e.START }) as unknown as RawSubscription, total),
      dispose: () => rawClient.dispose(),
    },
  };
};

const expectedFor = (revision: number): ExpectedRevision => (revision === 0 ? 'no_stream' : BigInt(revision - 1));

const payload = (i: number) => ({ category: 'contact-details', system: 'crm', sequence: i });

const streamNames = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `lethe.subject-${prefix}-${i.toString().padStart(6, '0')}`);

/** Pages through `$all` from the start; forwards from a position includes the event at it, so every later page asks one more and drops it. */
const pagedReplay = async (
  page: (from: Position | 'start', count: number) => Promise<{ count: number; last?: Position }>,
): Promise<number> => {
  let total = 0;
  let from: Position | 'start' = 'start';
  for (;;) {
    const first = from === 'start';
    const result = await page(from, first ? PAGE : PAGE + 1);
    const fresh = first ? result.count : Math.max(0, result.count - 1);
    total += fresh;
    if (result.last === undefined || fresh < PAGE) return total;
    from = result.last;
  }
};

const runScenario = async ({ client, appends, streams }: Scenario): Promise<Row[]> => {
  const server = await startEventStoreDbTestServer({ client });
  const { adapterClient, raw } = await loadClient(client, server.connectionString);
  const store = getEventStoreDbEventStore(adapterClient);
  const rows: Row[] = [];
  const row = (path: Path, operation: Operation, events: number, seconds: number): void => {
    rows.push({ client, path, operation, events, streams, seconds, eventsPerSecond: events / seconds });
  };

  const adapterAppends = async (names: readonly string[], count: number, offset = 0): Promise<number> => {
    const start = performance.now();
    for (let i = offset; i < offset + count; i++) {
      const stream = names[i % names.length] as string;
      const result = await store.appendToStream(stream, [{ type: 'BenchEvent', data: payload(i) }], {
        expectedRevision: expectedFor(Math.floor(i / names.length)),
      });
      if (E.isLeft(result)) throw new Error(`adapter append failed: ${result.left._tag}`);
    }
    return (performance.now() - start) / 1000;
  };
  const rawAppends = async (names: readonly string[], count: number, offset = 0): Promise<number> => {
    const start = performance.now();
    for (let i = offset; i < offset + count; i++) {
      await raw.append(names[i % names.length] as string, payload(i), expectedFor(Math.floor(i / names.length)));
    }
    return (performance.now() - start) / 1000;
  };
  const adapterReplay = async (): Promise<number> =>
    pagedReplay(async (from, count) => {
      const read = await store.readAll({ fromPosition: from, maxCount: count });
      if (E.isLeft(read)) throw new Error(`adapter readAll failed: ${read.left._tag}`);
      const last = read.right[read.right.length - 1]?.position;
      return last === undefined ? { count: read.right.length } : { count: read.right.length, last };
    });
  const adapterCatchUp = async (total: number): Promise<void> => {
    const subscription = store.subscribeToAll({ from: 'start' });
    let n = 0;
    for await (const event of subscription) {
      void event;
      n += 1;
      if (n >= total) break;
    }
    await subscription.unsubscribe();
  };
  const timed = async (work: () => Promise<unknown>): Promise<number> => {
    const start = performance.now();
    await work();
    return (performance.now() - start) / 1000;
  };

  try {
    // Warm-up: connections, JIT, the native reader's first connection (KurrentDB), on other streams.
    const warmStreams = Math.max(1, Math.min(streams, WARM_UP_APPENDS / 10));
    await adapterAppends(streamNames('warm-adapter', warmStreams), WARM_UP_APPENDS);
    await rawAppends(streamNames('warm-raw', warmStreams), WARM_UP_APPENDS);
    await store.readAll({ maxCount: PAGE });
    await raw.readAllPage('start', PAGE);

    // Interleaved in tenths, so that neither path profits from running second (a warmer JIT, a
    // longer log is the same for both).
    const adapterStreams = streamNames('adapter', streams);
    const rawStreams = streamNames('raw', streams);
    let adapterSeconds = 0;
    let rawSeconds = 0;
    const tenth = Math.ceil(appends / 10);
    for (let done = 0; done < appends; done += tenth) {
      const count = Math.min(tenth, appends - done);
      adapterSeconds += await adapterAppends(adapterStreams, count, done);
      rawSeconds += await rawAppends(rawStreams, count, done);
    }
    row('adapter', 'append', appends, adapterSeconds);
    row('raw client', 'append', appends, rawSeconds);

    // Replays alternate (adapter, raw, adapter, raw) and keep each path's faster run: the machine
    // is shared and the first pass also warms what the second reuses.
    const total = server.stats().records;
    const best = { adapterReplay: Infinity, rawReplay: Infinity, adapterCatchUp: Infinity, rawCatchUp: Infinity };
    for (let pass = 0; pass < REPLAY_PASSES; pass++) {
      let replayed = 0;
      best.adapterReplay = Math.min(best.adapterReplay, await timed(async () => (replayed = await adapterReplay())));
      if (replayed !== total) throw new Error(`adapter replay read ${replayed} of ${total} events`);
      best.rawReplay = Math.min(best.rawReplay, await timed(async () => (replayed = await pagedReplay(raw.readAllPage))));
      if (replayed !== total) throw new Error(`raw replay read ${replayed} of ${total} events`);
      best.adapterCatchUp = Math.min(best.adapterCatchUp, await timed(() => adapterCatchUp(total)));
      best.rawCatchUp = Math.min(best.rawCatchUp, await timed(() => raw.catchUp(total)));
    }
    row('adapter', 'readAll in pages', total, best.adapterReplay);
    row('raw client', 'readAll in pages', total, best.rawReplay);
    row('adapter', 'subscription catch-up', total, best.adapterCatchUp);
    row('raw client', 'subscription catch-up', total, best.rawCatchUp);
  } finally {
    await store.close();
    await raw.dispose();
    await server.close();
  }
  return rows;
};

/** Each client package runs in a fresh process: both register the same global protobuf names. */
const runIsolated = (scenario: Scenario): Row[] => {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--scenario', JSON.stringify(scenario)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(out) as Row[];
};

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};

const pad = (text: string, width: number): string => text.padEnd(width);
const lpad = (text: string, width: number): string => text.padStart(width);

const main = async (): Promise<void> => {
  const scenarioArg = argument('--scenario');
  if (scenarioArg !== undefined) {
    const rows = await runScenario(JSON.parse(scenarioArg) as Scenario);
    process.stdout.write(JSON.stringify(rows));
    return;
  }
  const appends = Math.max(1, Number(argument('--appends') ?? 20_000) || 20_000);
  const streams = Math.max(1, Number(argument('--streams') ?? 2_000) || 2_000);
  const clients = (argument('--clients') ?? 'eventstoredb,kurrentdb')
    .split(',')
    .filter((c): c is EsdbClientPackage => c === 'eventstoredb' || c === 'kurrentdb');

  console.log(`${TITLE}\n${appends.toLocaleString('en-US')} single-event appends over ${streams.toLocaleString('en-US')} streams, then a full replay of $all\n`);
  const rows: Row[] = [];
  for (const client of clients) rows.push(...runIsolated({ client, appends, streams }));

  const peerOf = (r: Row): Row | undefined =>
    rows.find((p) => p.client === r.client && p.operation === r.operation && p.path === 'raw client');
  const table = rows.map((r) => {
    const peer = peerOf(r);
    return { ...r, adapterOverRaw: r.path === 'adapter' && peer !== undefined ? r.seconds / peer.seconds : undefined };
  });
  const header = ['client', 'path', 'operation', 'events', 'seconds', 'events/s', 'adapter/raw'];
  const widths = [13, 11, 22, 8, 8, 10, 12];
  console.log(header.map((h, i) => (i < 3 ? pad(h, widths[i] ?? 0) : lpad(h, widths[i] ?? 0))).join(' '));
  for (const r of table) {
    console.log(
      [
        pad(r.client, widths[0] ?? 0),
        pad(r.path, widths[1] ?? 0),
        pad(r.operation, widths[2] ?? 0),
        lpad(String(r.events), widths[3] ?? 0),
        lpad(r.seconds.toFixed(3), widths[4] ?? 0),
        lpad(Math.round(r.eventsPerSecond).toLocaleString('en-US'), widths[5] ?? 0),
        lpad(r.adapterOverRaw === undefined ? '' : `${r.adapterOverRaw.toFixed(2)}x time`, widths[6] ?? 0),
      ].join(' '),
    );
  }

  const cpus = os.cpus();
  const results = {
    title: TITLE,
    date: new Date().toISOString(),
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    },
    node: process.version,
    scenario: { appends, streams, readAllPage: PAGE, warmUpAppends: WARM_UP_APPENDS, replayPasses: REPLAY_PASSES },
    note: 'adapterOverRaw = adapter seconds / raw client seconds for the same work in the same process and server (1 = no overhead).',
    rows: table,
  };
  const out = fileURLToPath(new URL('./adapter-results.json', import.meta.url));
  writeFileSync(out, JSON.stringify(results, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2) + '\n');
  console.log(`\nWrote ${out}`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
