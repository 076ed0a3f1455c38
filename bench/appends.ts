/**
 * Append benchmark: Lethe's in-memory store against the bare-loop limit (a Map of arrays with a
 * revision check, one `await` per append), the event-shape floor (the bare loop building the event
 * the port hands out) and Emmett's in-memory store, each measured in the same run.
 *
 * Run from the repository root: `npm run bench` (installs Emmett into bench/node_modules first)
 * or `node --import tsx bench/appends.ts [--repeats N]`. Prints a table and writes bench/results.json.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { getInMemoryEventStore } from '../src/store/index.js';
import type { ExpectedRevision, JsonValue, RecordedEvent } from '../src/store/index.js';

/** The slice of Emmett's API this benchmark uses (loaded at run time: it lives in bench/node_modules). */
interface EmmettModule {
  readonly STREAM_DOES_NOT_EXIST: string;
  readonly getInMemoryEventStore: () => {
    appendToStream: (
      stream: string,
      events: { type: string; data: Record<string, unknown> }[],
      options?: { expectedStreamVersion?: bigint | string },
    ) => Promise<{ nextExpectedStreamVersion: bigint }>;
    readStream: (stream: string) => Promise<{ events: unknown[] }>;
  };
}

interface Row {
  readonly scenario: string;
  readonly store: 'lethe' | 'bare' | 'floor' | 'emmett';
  readonly operation: 'append' | 'readAll' | 'readStream';
  readonly ops: number;
  readonly streams: number;
  readonly seconds: number;
  readonly opsPerSecond: number;
  /**
   * Appends only: the seconds each tenth of the appends took. Flat means constant work per append;
   * a store that copies or recounts streams shows them growing.
   */
  readonly tenths?: readonly number[];
  /** Every repeat's seconds for this row (the row itself is the fastest); filled in by `main`. */
  readonly allSeconds?: readonly number[];
  /** The median of `allSeconds`. */
  readonly medianSeconds?: number;
}

const PAGE = 10_000;

const streamNames = (count: number): string[] => Array.from({ length: count }, () => `lethe.subject-${randomUUID()}`);

const payload = (i: number) => ({ category: 'contact-details', system: 'crm', sequence: i });

const expectedFor = (revision: number): ExpectedRevision => (revision === 0 ? 'no_stream' : BigInt(revision - 1));

const row = (
  scenario: string,
  store: Row['store'],
  operation: Row['operation'],
  ops: number,
  streams: number,
  seconds: number,
  tenths?: readonly number[],
): Row => ({
  scenario,
  store,
  operation,
  ops,
  streams,
  seconds,
  opsPerSecond: ops / seconds,
  ...(tenths === undefined ? {} : { tenths }),
});

/** Records the time each tenth of `total` steps took. */
const tenthsTimer = (total: number) => {
  const tenths: number[] = [];
  const every = Math.max(1, Math.floor(total / 10));
  let last = performance.now();
  return {
    tenths,
    step: (i: number): void => {
      if ((i + 1) % every !== 0) return;
      const now = performance.now();
      tenths.push((now - last) / 1000);
      last = now;
    },
  };
};

const fail = (message: string): never => {
  throw new Error(message);
};

/**
 * The timed loop every store runs: `appends` single-event appends round robin over `names`
 * (expected revision `no_stream`, then the exact one), each awaited and checked with `failed`.
 * Returns the seconds taken and the seconds of each tenth. Each scenario runs in its own process,
 * so the calls through `append` and `failed` see one store only.
 */
const timedAppends = async <R>(
  names: readonly string[],
  appends: number,
  append: (stream: string, events: { type: string; data: JsonValue }[], options: { expectedRevision: ExpectedRevision }) => Promise<R>,
  failed: (result: R) => string | undefined,
): Promise<{ readonly seconds: number; readonly tenths: readonly number[] }> => {
  const streamCount = names.length;
  const timer = tenthsTimer(appends);
  const t0 = performance.now();
  for (let i = 0; i < appends; i++) {
    const revision = Math.floor(i / streamCount);
    const result = await append(names[i % streamCount] as string, [{ type: 'DataCollected', data: payload(i) }], {
      expectedRevision: expectedFor(revision),
    });
    const why = failed(result);
    if (why !== undefined) fail(`append ${i} failed: ${why}`);
    timer.step(i);
  }
  return { seconds: (performance.now() - t0) / 1000, tenths: timer.tenths };
};

/** Lethe: `appends` single-event appends, round robin over `streamCount` streams, then reads. */
const runLethe = async (appends: number, streamCount: number, withReads: boolean): Promise<Row[]> => {
  const names = streamNames(streamCount);
  const store = getInMemoryEventStore();
  const scenario = `${appends} appends / ${streamCount} streams`;
  const timed = await timedAppends(names, appends, store.appendToStream, (r) => (E.isLeft(r) ? r.left._tag : undefined));
  const t1 = performance.now();
  const rows = [row(scenario, 'lethe', 'append', appends, streamCount, timed.seconds, timed.tenths)];
  if (withReads) {
    let read = 0;
    let from: RecordedEvent['position'] | 'start' = 'start';
    for (;;) {
      const page = await store.readAll({ fromPosition: from, maxCount: from === 'start' ? PAGE : PAGE + 1 });
      if (E.isLeft(page)) fail('readAll failed');
      const events = E.isRight(page) ? page.right : [];
      // fromPosition is inclusive: every page after the first repeats the previous page's last event.
      const fresh = from === 'start' ? events.length : events.length - 1;
      read += fresh;
      const last = events[events.length - 1];
      if (fresh <= 0 || last === undefined) break;
      from = last.position;
    }
    const t2 = performance.now();
    if (read !== appends) fail(`readAll returned ${read} events, expected ${appends}`);
    let streamed = 0;
    for (const name of names) {
      const events = await store.readStream(name);
      if (E.isLeft(events)) fail('readStream failed');
      streamed += E.isRight(events) ? events.right.length : 0;
    }
    const t3 = performance.now();
    if (streamed !== appends) fail(`readStream returned ${streamed} events, expected ${appends}`);
    rows.push(row(scenario, 'lethe', 'readAll', appends, streamCount, (t2 - t1) / 1000));
    rows.push(row(scenario, 'lethe', 'readStream', appends, streamCount, (t3 - t2) / 1000));
  }
  await store.close();
  return rows;
};

/** The bare limit: what a Map of arrays with a revision check and one await per append costs. */
const runBare = async (appends: number, streamCount: number, withReads: boolean): Promise<Row[]> => {
  const names = streamNames(streamCount);
  type BareEvent = { readonly stream: string; readonly revision: number; readonly type: string; readonly data: unknown };
  const streams = new Map<string, BareEvent[]>();
  const all: BareEvent[] = [];
  // The same call shape as Lethe's appendToStream: an events array and an options object in, a
  // result object out, one await.
  const append = async (
    stream: string,
    events: readonly { type: string; data: unknown }[],
    options: { expectedRevision: ExpectedRevision },
  ) => {
    let stored = streams.get(stream);
    const last = stored === undefined ? -1 : stored.length - 1;
    const expected = options.expectedRevision;
    if (expected === 'no_stream' ? last !== -1 : typeof expected === 'bigint' && Number(expected) !== last)
      return { ok: false as const };
    if (stored === undefined) {
      stored = [];
      streams.set(stream, stored);
    }
    for (const e of events) {
      const event = { stream, revision: stored.length, type: e.type, data: e.data };
      stored.push(event);
      all.push(event);
    }
    return { ok: true as const, nextExpectedRevision: stored.length - 1 };
  };
  const scenario = `${appends} appends / ${streamCount} streams`;
  const timed = await timedAppends(names, appends, append, (r) => (r.ok ? undefined : 'wrong expected version'));
  const t1 = performance.now();
  const rows = [row(scenario, 'bare', 'append', appends, streamCount, timed.seconds, timed.tenths)];
  if (withReads) {
    let read = 0;
    for (let i = 0; i < all.length; i += PAGE) read += (await Promise.resolve(all.slice(i, i + PAGE))).length;
    const t2 = performance.now();
    let streamed = 0;
    for (const name of names) streamed += (await Promise.resolve(streams.get(name)?.slice() ?? [])).length;
    const t3 = performance.now();
    if (read !== appends || streamed !== appends) fail('bare read-back lost events');
    rows.push(row(scenario, 'bare', 'readAll', appends, streamCount, (t2 - t1) / 1000));
    rows.push(row(scenario, 'bare', 'readStream', appends, streamCount, (t3 - t2) / 1000));
  }
  return rows;
};

/**
 * The event-shape floor: the bare loop, but storing what the port promises to hand back for each
 * event (EventStoreDB's recorded event: a unique uuid, the revision and a global position as
 * bigints, the time) and returning the port's result in an `Either`-shaped object. It skips
 * everything else Lethe does (input validation, deep freezing, idempotency by id, metadata,
 * deletion), so no store with this port can append faster than this on the same machine. The ids
 * come from a counter behind a random prefix (cheaper than random ids, so the floor stays a floor).
 */
const runFloor = async (appends: number, streamCount: number): Promise<Row[]> => {
  const names = streamNames(streamCount);
  type FloorEvent = {
    readonly streamName: string;
    readonly id: string;
    readonly type: string;
    readonly revision: bigint;
    readonly position: { readonly commit: bigint; readonly prepare: bigint };
    readonly data: unknown;
    readonly metadata: unknown;
    readonly recordedAt: number;
    readonly isSystem: boolean;
  };
  const streams = new Map<string, FloorEvent[]>();
  const log: FloorEvent[] = [];
  const prefix = randomUUID().slice(0, 24);
  let counter = 0;
  const append = async (
    stream: string,
    events: readonly { type: string; data: unknown; metadata?: unknown }[],
    options: { expectedRevision: ExpectedRevision },
  ) => {
    let stored = streams.get(stream);
    const last = stored === undefined ? -1 : stored.length - 1;
    const expected = options.expectedRevision;
    if (expected === 'no_stream' ? last !== -1 : typeof expected === 'bigint' && Number(expected) !== last)
      return { _tag: 'Left' as const };
    if (stored === undefined) {
      stored = [];
      streams.set(stream, stored);
    }
    const recordedAt = Date.now();
    let event: FloorEvent | undefined;
    for (const e of events) {
      const seq = BigInt(log.length + 1);
      event = {
        streamName: stream,
        id: prefix + (counter++).toString(16).padStart(12, '0'),
        type: e.type,
        revision: BigInt(stored.length),
        position: { commit: seq, prepare: seq },
        data: e.data,
        metadata: e.metadata,
        recordedAt,
        isSystem: false,
      };
      stored.push(event);
      log.push(event);
    }
    const lastEvent = event as FloorEvent;
    return {
      _tag: 'Right' as const,
      right: { nextExpectedRevision: lastEvent.revision, position: lastEvent.position },
    };
  };
  const scenario = `${appends} appends / ${streamCount} streams`;
  const timed = await timedAppends(names, appends, append, (r) => (r._tag === 'Right' ? undefined : 'wrong expected version'));
  if (log.length !== appends) fail('floor lost appends');
  return [row(scenario, 'floor', 'append', appends, streamCount, timed.seconds, timed.tenths)];
};

/** Emmett's in-memory store (versions count events: no stream = STREAM_DOES_NOT_EXIST, then 1, 2, ...). */
const runEmmett = async (emmett: EmmettModule, appends: number, streamCount: number): Promise<Row[]> => {
  const names = streamNames(streamCount);
  const store = emmett.getInMemoryEventStore();
  const timer = tenthsTimer(appends);
  const t0 = performance.now();
  for (let i = 0; i < appends; i++) {
    const revision = Math.floor(i / streamCount);
    await store.appendToStream(names[i % streamCount] as string, [{ type: 'DataCollected', data: payload(i) }], {
      expectedStreamVersion: revision === 0 ? emmett.STREAM_DOES_NOT_EXIST : BigInt(revision),
    });
    timer.step(i);
  }
  const t1 = performance.now();
  let streamed = 0;
  for (const name of names) streamed += (await store.readStream(name)).events.length;
  const t2 = performance.now();
  if (streamed !== appends) fail(`emmett read back ${streamed} events, expected ${appends}`);
  const scenario = `${appends} appends / ${streamCount} streams`;
  return [
    row(scenario, 'emmett', 'append', appends, streamCount, (t1 - t0) / 1000, timer.tenths),
    row(scenario, 'emmett', 'readStream', appends, streamCount, (t2 - t1) / 1000),
  ];
};

const loadEmmett = async (): Promise<EmmettModule | undefined> => {
  // A variable specifier keeps the root typecheck independent of bench/node_modules.
  const specifier = '@event-driven-io/emmett';
  try {
    return (await import(specifier)) as EmmettModule;
  } catch {
    return undefined;
  }
};

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

type Scenario = { readonly store: Row['store']; readonly appends: number; readonly streams: number; readonly reads: boolean };

/** Runs one scenario in this process, after a warm-up so the JIT has compiled the hot paths. */
const runScenario = async (scenario: Scenario): Promise<Row[]> => {
  if (scenario.store === 'emmett') {
    const emmett = await loadEmmett();
    if (emmett === undefined) return [];
    await runEmmett(emmett, 2_000, 200);
    return runEmmett(emmett, scenario.appends, scenario.streams);
  }
  if (scenario.store === 'floor') {
    await runFloor(50_000, 5_000);
    return runFloor(scenario.appends, scenario.streams);
  }
  const run = scenario.store === 'lethe' ? runLethe : runBare;
  await run(50_000, 5_000, scenario.reads);
  return run(scenario.appends, scenario.streams, scenario.reads);
};

/**
 * Each scenario runs in a fresh process, so that one scenario's heap (a million stored events) does
 * not change the garbage collector's work in the next one.
 */
const runIsolated = (scenario: Scenario): Row[] => {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--scenario', JSON.stringify(scenario)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(out) as Row[];
};

const main = async (): Promise<void> => {
  const scenarioArg = process.argv.indexOf('--scenario');
  if (scenarioArg >= 0) {
    const rows = await runScenario(JSON.parse(process.argv[scenarioArg + 1] ?? '{}') as Scenario);
    process.stdout.write(JSON.stringify(rows));
    return;
  }
  const scenarios: Scenario[] = [
    { store: 'bare', appends: 1_000_000, streams: 100_000, reads: true },
    { store: 'floor', appends: 1_000_000, streams: 100_000, reads: false },
    { store: 'lethe', appends: 1_000_000, streams: 100_000, reads: true },
    { store: 'bare', appends: 100_000, streams: 10_000, reads: true },
    { store: 'floor', appends: 100_000, streams: 10_000, reads: false },
    { store: 'lethe', appends: 100_000, streams: 10_000, reads: true },
    { store: 'bare', appends: 20_000, streams: 2_000, reads: false },
    { store: 'lethe', appends: 20_000, streams: 2_000, reads: false },
    { store: 'emmett', appends: 20_000, streams: 2_000, reads: false },
  ];
  // The machine is shared and timings are noisy: every scenario runs `repeats` times (each in a
  // fresh process) and each row keeps its fastest run, the usual estimate of the true cost.
  const repeatsArg = process.argv.indexOf('--repeats');
  const repeats = repeatsArg >= 0 ? Math.max(1, Number(process.argv[repeatsArg + 1]) || 1) : 5;
  const rows: Row[] = [];
  const median = (xs: readonly number[]): number => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  };
  for (const scenario of scenarios) {
    const runs: Row[][] = [];
    for (let run = 0; run < repeats; run++) runs.push(runIsolated(scenario));
    const first = runs[0] ?? [];
    if (scenario.store === 'emmett' && first.length === 0)
      console.warn('Emmett is not installed (run `npm --prefix bench ci`): skipping its rows.');
    // Each row keeps its fastest run, and the median of all runs beside it.
    rows.push(
      ...first.map((_, i) => {
        const all = runs.map((r) => r[i]).filter((r): r is Row => r !== undefined);
        const fastest = all.reduce((a, b) => (b.seconds < a.seconds ? b : a));
        const allSeconds = all.map((r) => r.seconds);
        return { ...fastest, allSeconds, medianSeconds: median(allSeconds) };
      }),
    );
  }

  const find = (store: Row['store'], ops: number, operation: Row['operation'] = 'append') =>
    rows.find((r) => r.store === store && r.ops === ops && r.operation === operation);

  const header = ['scenario', 'store', 'operation', 'ops', 'seconds', 'events/s', 'vs bare', 'vs emmett'];
  const widths = [30, 7, 11, 10, 9, 12, 8, 10];
  console.log(header.map((h, i) => (i < 3 ? pad(h, widths[i] ?? 0) : lpad(h, widths[i] ?? 0))).join(' '));
  const table = rows.map((r) => {
    const bare = find('bare', r.ops, r.operation);
    const emmettRow = find('emmett', r.ops, r.operation);
    const vsBare = r.store === 'bare' || bare === undefined ? undefined : r.seconds / bare.seconds;
    const vsEmmett = r.store !== 'lethe' || emmettRow === undefined ? undefined : emmettRow.seconds / r.seconds;
    return { ...r, vsBare, vsEmmett };
  });
  for (const r of table) {
    const cells = [
      pad(r.scenario, widths[0] ?? 0),
      pad(r.store, widths[1] ?? 0),
      pad(r.operation, widths[2] ?? 0),
      lpad(String(r.ops), widths[3] ?? 0),
      lpad(r.seconds.toFixed(3), widths[4] ?? 0),
      lpad(Math.round(r.opsPerSecond).toLocaleString('en-US'), widths[5] ?? 0),
      lpad(r.vsBare === undefined ? '' : `${r.vsBare.toFixed(2)}x`, widths[6] ?? 0),
      lpad(r.vsEmmett === undefined ? '' : `${r.vsEmmett.toFixed(1)}x faster`, widths[7] ?? 0),
    ];
    console.log(cells.join(' '));
  }

  const lethe1M = find('lethe', 1_000_000);
  const lethe100K = find('lethe', 100_000);
  const linearity = lethe1M !== undefined && lethe100K !== undefined ? lethe1M.seconds / lethe100K.seconds : undefined;
  const bare1M = find('bare', 1_000_000);
  const bare100K = find('bare', 100_000);
  const bareLinearity = bare1M !== undefined && bare100K !== undefined ? bare1M.seconds / bare100K.seconds : undefined;
  /**
   * Last tenth over second tenth of a run (the first creates every stream): about 1 when an append
   * costs the same however full the store is.
   */
  const drift = (r: Row | undefined): number | undefined => {
    const first = r?.tenths?.[1];
    const last = r?.tenths?.[r.tenths.length - 1];
    return first === undefined || last === undefined ? undefined : last / first;
  };
  /**
   * Appends/s over tenths 2 to 10 of a run: the first tenth creates every stream (a Map insert and
   * a new array each), so this is the cost of an append to a stream that already exists.
   */
  const steady = (r: Row | undefined): number | undefined => {
    const rest = r?.tenths?.slice(1);
    if (r === undefined || rest === undefined || rest.length === 0) return undefined;
    return ((r.ops / 10) * rest.length) / rest.reduce((a, b) => a + b, 0);
  };
  const floor1M = find('floor', 1_000_000);
  const floor100K = find('floor', 100_000);
  const medianRatio = (a: Row | undefined, b: Row | undefined): number | undefined =>
    a?.medianSeconds !== undefined && b?.medianSeconds !== undefined ? a.medianSeconds / b.medianSeconds : undefined;
  const floorLinearity = floor1M !== undefined && floor100K !== undefined ? floor1M.seconds / floor100K.seconds : undefined;
  const summary = {
    appendsPerSecond1M: lethe1M?.opsPerSecond,
    costRatio1Mvs100K: linearity,
    bareCostRatio1Mvs100K: bareLinearity,
    floorCostRatio1Mvs100K: floorLinearity,
    /** The same ratios from the median run of each scenario instead of the fastest. */
    medianRuns: {
      costRatio1Mvs100K: medianRatio(lethe1M, lethe100K),
      bareCostRatio1Mvs100K: medianRatio(bare1M, bare100K),
      floorCostRatio1Mvs100K: medianRatio(floor1M, floor100K),
      vsBareLimit1M: medianRatio(lethe1M, bare1M),
      vsFloor1M: medianRatio(lethe1M, floor1M),
      appendsPerSecond1M: lethe1M?.medianSeconds === undefined ? undefined : lethe1M.ops / lethe1M.medianSeconds,
    },
    lastTenthVsSecondTenth1M: { lethe: drift(lethe1M), bare: drift(bare1M) },
    vsBareLimit1M: lethe1M !== undefined && bare1M !== undefined ? lethe1M.seconds / bare1M.seconds : undefined,
    /** The bare limit and the event-shape floor, 1M appends, in appends/s. */
    bareLimitPerSecond1M: bare1M?.opsPerSecond,
    floorPerSecond1M: floor1M?.opsPerSecond,
    vsFloor1M: lethe1M !== undefined && floor1M !== undefined ? lethe1M.seconds / floor1M.seconds : undefined,
    steadyAppendsPerSecond1M: { lethe: steady(lethe1M), floor: steady(floor1M), bare: steady(bare1M) },
    emmettSlowdownAt20K: table.find((r) => r.store === 'lethe' && r.ops === 20_000 && r.operation === 'append')
      ?.vsEmmett,
    targets: { appendsPerSecond: 1_000_000, costRatio1Mvs100K: 12, vsBareLimit: 3 },
  };
  const fixed = (n: number | undefined): string => (n === undefined ? 'n/a' : n.toFixed(2));
  const perSecond = (n: number | undefined): string => (n === undefined ? 'n/a' : Math.round(n).toLocaleString('en-US'));
  console.log(
    `\n1M/100K cost ratio: ${fixed(linearity)} (target <= 12; the bare limit's own: ${fixed(bareLinearity)}, the floor's: ${fixed(floorLinearity)})` +
      `\n1M appends/s: ${perSecond(summary.appendsPerSecond1M)} (target >= 1,000,000)` +
      `; vs bare limit: ${fixed(summary.vsBareLimit1M)}x (target <= 3x)` +
      `\n  bare limit ${perSecond(summary.bareLimitPerSecond1M)}/s; event-shape floor ${perSecond(summary.floorPerSecond1M)}/s` +
      ` (no store with this port appends faster here); Lethe ${fixed(summary.vsFloor1M)}x the floor's time` +
      `\n  steady state (appends to existing streams, tenths 2-10): Lethe ${perSecond(summary.steadyAppendsPerSecond1M.lethe)}/s,` +
      ` floor ${perSecond(summary.steadyAppendsPerSecond1M.floor)}/s, bare ${perSecond(summary.steadyAppendsPerSecond1M.bare)}/s` +
      `\n  from the median run of each scenario instead of the fastest: 1M/100K ${fixed(summary.medianRuns.costRatio1Mvs100K)}` +
      ` (bare ${fixed(summary.medianRuns.bareCostRatio1Mvs100K)}, floor ${fixed(summary.medianRuns.floorCostRatio1Mvs100K)}),` +
      ` ${perSecond(summary.medianRuns.appendsPerSecond1M)} appends/s, ${fixed(summary.medianRuns.vsBareLimit1M)}x bare,` +
      ` ${fixed(summary.medianRuns.vsFloor1M)}x floor` +
      `\n1M appends, last tenth / second tenth: lethe ${fixed(summary.lastTenthVsSecondTenth1M.lethe)}, ` +
      `bare ${fixed(summary.lastTenthVsSecondTenth1M.bare)} (1 = constant work per append)`,
  );

  const cpus = os.cpus();
  const results = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    },
    node: process.version,
    repeats,
    summary,
    rows: table,
  };
  const out = fileURLToPath(new URL('./results.json', import.meta.url));
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  console.log(`\nWrote ${out}`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
