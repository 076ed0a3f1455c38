/**
 * Replay benchmark: how fast Lethe rebuilds its views from the log, against the bare limit of
 * reading the same log, in the same process.
 *
 * Seeds SUBJECTS data subjects through the facade (Personizely's policy, the demo's: register,
 * consent, subscription, two collections, activity, and every tenth an access request), then:
 *
 * - **read**: every event of the log read with `readAll` in pages and touched (the bare limit: no
 *   store can hand events to a processor faster than this);
 * - **validate**: the same, plus checking each Lethe event's payload and metadata against their
 *   codecs (`decodeUnchanged`): what the first read of an event costs;
 * - **decode**: the same through `decodeRecorded`, as replays do: on the in-memory store, which
 *   hands out the same deeply frozen records on every read, an event validated once is not
 *   validated again (a store that builds new records per read, like EventStoreDB, pays `validate`);
 * - **rebuild**: a second Lethe on the same store rebuilds every view (`asOf`: all projections);
 * - **catch-up**: a second Lethe processes the whole feed as at start-up (projections, reactions
 *   and their timers, outbox), dispatching nothing.
 *
 * Run from the repository root: `npm run bench:replay` or
 * `node --import tsx bench/replay.ts [--subjects N] [--repeats N]`. Writes bench/replay-results.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { createLethe } from '../src/api/lethe.js';
import type { Lethe } from '../src/api/lethe.js';
import { letheStreams } from '../src/api/streams.js';
import { decodeRecorded } from '../src/engine/commandHandler.js';
import { kindOfStream } from '../src/engine/ids.js';
import { decodeUnchanged, EventMetadata } from '../src/engine/metadata.js';
import { getInMemoryEventStore } from '../src/store/index.js';
import type { EventStore, Position, RecordedEvent } from '../src/store/index.js';
import { simulatedClock } from '../src/time/clock.js';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
};
const SUBJECTS = arg('--subjects', 5_000);
const REPEATS = arg('--repeats', 5);
const T0 = Date.parse('2026-11-02T09:00:00+01:00');
const policy: unknown = JSON.parse(
  readFileSync(fileURLToPath(new URL('../examples/demo/personizely.policy.json', import.meta.url)), 'utf8'),
);

const must = async <A>(what: string, result: Promise<E.Either<unknown, A>> | E.Either<unknown, A>): Promise<A> => {
  const r = await result;
  if (E.isLeft(r)) throw new Error(`${what} failed: ${JSON.stringify(r.left, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
  return r.right;
};

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
const subjectId = (n: number): string => `7b0c5f7e-${hex(n >>> 16, 4)}-4c1e-9a51-${hex(n & 0xffff, 12)}`;
const uuidOf = (tag: number, n: number): string => `9f1e2d3c-${hex(tag, 4)}-4a5b-8c7d-${hex(n, 12)}`;

const newLethe = (store: EventStore, at: number): Lethe => {
  const clock = simulatedClock(at);
  const created = createLethe({ policy, store, clock });
  if (E.isLeft(created)) throw new Error(`createLethe failed: ${created.left._tag}`);
  return created.right;
};

const seed = async (store: EventStore): Promise<void> => {
  const lethe = newLethe(store, T0);
  for (let n = 0; n < SUBJECTS; n++) {
    const s = subjectId(n);
    await must('registerSubject', lethe.registerSubject({ subjectId: s, jurisdictions: ['EU'], ourRole: { role: 'controller' } }));
    await must(
      'grantConsent',
      lethe.grantConsent({ grantId: uuidOf(1, n), subjectId: s, purpose: 'service', method: 'checkbox', preTicked: false }),
    );
    await must('startSubscription', lethe.startSubscription({ subjectId: s, contractId: `contract-${n}` }));
    await must(
      'collectData',
      lethe.collectData({ subjectId: s, category: 'client-account', system: 'app-db', source: 'signup', submission: 'explicit' }),
    );
    await must(
      'collectData',
      lethe.collectData({ subjectId: s, category: 'widget-contacts', system: 'app-db', source: 'widget', submission: 'explicit' }),
    );
    await must('recordActivity', lethe.recordActivity({ subjectId: s, kind: 'login' }));
    if (n % 10 === 0)
      await must(
        'receiveRequest',
        lethe.receiveRequest({
          requestId: uuidOf(2, n),
          subjectId: s,
          requestType: 'access',
          jurisdiction: 'EU',
          channel: 'email',
          receivedAt: new Date(T0).toISOString(),
          role: 'controller',
        }),
      );
    if (n % 500 === 499) await must('settle', lethe.settle());
  }
  await must('settle', lethe.settle());
};

/** Reads the whole log in pages of 1,000 and calls `visit` on every event; returns the count. */
const readLog = async (store: EventStore, visit: (e: RecordedEvent) => void): Promise<number> => {
  let count = 0;
  let from: Position | 'start' = 'start';
  for (;;) {
    const page: readonly RecordedEvent[] = await must('readAll', store.readAll({ fromPosition: from, maxCount: 1_000 }));
    const fresh = from === 'start' ? page : page.slice(1);
    for (const e of fresh) visit(e);
    count += fresh.length;
    const last: RecordedEvent | undefined = page[page.length - 1];
    if (fresh.length === 0 || last === undefined) return count;
    from = last.position;
  }
};

interface Row {
  readonly operation: 'read' | 'validate' | 'decode' | 'rebuild' | 'catch-up';
  readonly events: number;
  readonly seconds: readonly number[];
  readonly fastest: number;
  readonly median: number;
  readonly eventsPerSecond: number;
  readonly microsecondsPerEvent: number;
}

const timed = async (operation: Row['operation'], events: number, run: () => Promise<void>): Promise<Row> => {
  await run(); // warm-up
  const seconds: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    await run();
    seconds.push((performance.now() - t0) / 1000);
  }
  const sorted = [...seconds].sort((a, b) => a - b);
  const fastest = sorted[0] as number;
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  return { operation, events, seconds, fastest, median, eventsPerSecond: events / fastest, microsecondsPerEvent: (fastest / events) * 1e6 };
};

const main = async (): Promise<void> => {
  const store = getInMemoryEventStore({ clock: simulatedClock(T0) });
  const s0 = performance.now();
  await seed(store);
  const seedSeconds = (performance.now() - s0) / 1000;
  let total = 0;
  let lethe = 0;
  const kinds = letheStreams as unknown as Record<string, { readonly events: Parameters<typeof decodeRecorded>[1] }>;
  await readLog(store, (e) => {
    total++;
    if (!e.isSystem && !e.streamName.startsWith('lethe.outbox')) lethe++;
  });

  const rows: Row[] = [];
  let sink = 0;
  rows.push(
    await timed('read', total, async () => {
      await readLog(store, (e) => {
        sink += e.streamName.length;
      });
    }),
  );
  rows.push(
    await timed('validate', total, async () => {
      await readLog(store, (e) => {
        const kind = kindOfStream(e.streamName);
        const codec = kind === undefined ? undefined : kinds[kind]?.events;
        if (kind === undefined || codec === undefined) return;
        const event = decodeUnchanged(codec, { type: e.type, data: e.data });
        const metadata = decodeUnchanged(EventMetadata, e.metadata);
        if (E.isLeft(event) || E.isLeft(metadata)) throw new Error(`validation failed at ${e.streamName}@${e.revision}`);
        sink += 1;
      });
    }),
  );
  rows.push(
    await timed('decode', total, async () => {
      await readLog(store, (e) => {
        const kind = kindOfStream(e.streamName);
        const codec = kind === undefined ? undefined : kinds[kind]?.events;
        if (kind === undefined || codec === undefined) return;
        const decoded = decodeRecorded(kind, codec, e);
        if (E.isLeft(decoded)) throw new Error(`decode failed at ${e.streamName}@${e.revision}`);
        sink += decoded.right.event.type.length;
      });
    }),
  );
  const now = T0 + 86_400_000;
  rows.push(
    await timed('rebuild', total, async () => {
      const views = await must('asOf', newLethe(store, now).asOf(now));
      sink += views.at.length;
    }),
  );
  rows.push(
    await timed('catch-up', total, async () => {
      const l = newLethe(store, now);
      const pending = await must('pendingCommands', l.pendingCommands());
      sink += pending.length;
    }),
  );

  const read = rows[0] as Row;
  console.log(`seeded ${SUBJECTS} subjects in ${seedSeconds.toFixed(1)} s: ${total} events in the log, ${lethe} of them Lethe domain events`);
  console.log(`${'operation'.padEnd(10)} ${'events'.padStart(8)} ${'fastest s'.padStart(10)} ${'median s'.padStart(9)} ${'events/s'.padStart(11)} ${'µs/event'.padStart(9)} ${'vs read'.padStart(8)}`);
  for (const r of rows)
    console.log(
      `${r.operation.padEnd(10)} ${String(r.events).padStart(8)} ${r.fastest.toFixed(3).padStart(10)} ${r.median.toFixed(3).padStart(9)} ` +
        `${Math.round(r.eventsPerSecond).toLocaleString('en-US').padStart(11)} ${r.microsecondsPerEvent.toFixed(2).padStart(9)} ` +
        `${(r.fastest / read.fastest).toFixed(1).padStart(7)}x`,
    );
  if (sink === -1) console.log(''); // keeps the reads from being optimised away

  const cpus = os.cpus();
  const out = fileURLToPath(new URL('./replay-results.json', import.meta.url));
  writeFileSync(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, platform: `${os.platform()} ${os.release()} ${os.arch()}` },
        node: process.version,
        subjects: SUBJECTS,
        events: total,
        domainEvents: lethe,
        repeats: REPEATS,
        rows,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`\nWrote ${out}`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
