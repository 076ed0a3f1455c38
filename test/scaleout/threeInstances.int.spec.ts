/**
 * Scale-out: three Lethe instances (replicas of one host service) over one EventStoreDB (the
 * in-process test server, driven by the real `@eventstore/db-client`), each with its own client
 * connection, adapter store, instance id and simulated clock (kept in step), one of them killed
 * mid-run.
 *
 * What "exactly once" means here. Delivery to a host handler is at least once: a command handed to
 * an instance that dies before its acknowledgement lands is handed again, after its lease expires,
 * to a survivor. What is exactly once is the acknowledgement: every emitted command's outbox
 * stream ends with exactly one `CommandAcknowledged`, written by the instance whose handler ran
 * to completion, and every command id is emitted once (one `CommandEmitted` per outbox stream),
 * so a host handler that is idempotent by `commandId` takes effect once. Since the simulated
 * clocks stand still while the instances run, no lease expires by accident: the only command
 * delivered twice is the one the killed instance held.
 */
import { EventStoreDBClient } from '@eventstore/db-client';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { getEventStoreDbEventStore } from '../../src/adapters/eventstoredb/index.js';
import type { EventStoreDbEventStore } from '../../src/adapters/eventstoredb/index.js';
import { createLethe, hostCommandTypes } from '../../src/api/lethe.js';
import type { Lethe } from '../../src/api/lethe.js';
import type { CommandHandler, OutboxCommand } from '../../src/engine/index.js';
import type { Position, RecordedEvent } from '../../src/store/port.js';
import { startEventStoreDbTestServer } from '../../src/testing/esdb/index.js';
import type { EsdbTestServer } from '../../src/testing/esdb/index.js';
import { simulatedClock } from '../../src/time/clock.js';
import type { SimulatedClock } from '../../src/time/clock.js';

/**
 * Subjects seeded. The issue asks for 10,000 (`LETHE_SCALEOUT_SUBJECTS=10000`); the default is 300
 * because everything here (server, three clients, three engines) shares one Node thread and each
 * gRPC call against the in-process server costs about 1.5-2.5 ms of it: seeding one subject
 * honestly through the facade takes ~40 calls (its events, the outbox claims and acknowledgements,
 * and a checkpoint write per reaction per catch-up), its due run ~20 more, so 10,000 subjects take
 * tens of minutes on a 2-core machine, 300 about a minute.
 */
const SUBJECTS = Number(process.env['LETHE_SCALEOUT_SUBJECTS'] ?? 300);
/** Every REQUEST_EVERY-th subject also sends an access request (through its controller: no identity check). */
const REQUEST_EVERY = 4;
/** Host calls in flight while seeding. */
const SEED_CONCURRENCY = Number(process.env['LETHE_SCALEOUT_SEED_CONCURRENCY'] ?? 8);
/** The kill: the victim's handler hangs on its host command number VICTIM_HANDLES_BEFORE_HANG + 1 of the due run. */
const VICTIM_HANDLES_BEFORE_HANG = Math.max(1, Math.min(50, Math.floor(SUBJECTS / 50)));
const LEASE_MS = 5_000;
const DAY = 86_400_000;

const T0 = Date.parse('2026-03-02T09:00:00Z');
/** After the 30-day retention and the one-month request deadline, before the 30-day erasure completion deadline. */
const DUE_RUN = T0 + 35 * DAY;

const policy = {
  version: '2026.1',
  effectiveFrom: '2026-01-01T00:00:00Z',
  name: 'Scale-out test policy',
  controller: { name: 'Example SaaS', contact: 'privacy@example.com', dpo: 'dpo@example.com' },
  role: 'both',
  calendar: { zone: 'Europe/Dublin', holidays: [], name: 'Ireland' },
  counting: { convention: 'eu-1182-71', rollForward: false },
  categories: [
    {
      id: 'usage-data',
      retention: { period: 'P30D', clockStart: 'collection', onExpiry: 'erase', citation: 'test: 30 days from collection' },
      systems: ['app-db'],
    },
  ],
  purposes: [{ id: 'service', lawfulBasis: 'contract', categories: ['usage-data'] }],
  requests: { rulebooks: ['gdpr'] },
  breaches: { rulebooks: ['gdpr'] },
  erasure: { restrictWhilePending: false, completionWithin: 'P30D', citation: 'test: 30 days' },
};

const uuid = (prefix: number, n: number): string =>
  `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const subjectId = (n: number): string => uuid(1, n);
const requestId = (n: number): string => uuid(2, n);

/** One handler call: which command, on which instance, and whether the handler returned (a hung one never does). */
interface Delivery {
  readonly commandId: string;
  readonly type: string;
  readonly instance: string;
  readonly key: string;
  returned: boolean;
}

/** The entity a host command is about, so the expected set can be computed from the seeded data alone. */
const keyOf = (command: OutboxCommand): string => {
  const data = command.data as { subjectId?: string; requestId?: string; entity?: { kind: string; id: string } };
  if (command.type === 'ObligationOverdue') return `ObligationOverdue:${data.entity?.kind}:${data.entity?.id}`;
  return `${command.type}:${data.requestId ?? data.subjectId}`;
};

const ok = async <A>(result: Promise<E.Either<unknown, A>>): Promise<A> => {
  const r = await result;
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
  return r.right;
};

interface Instance {
  readonly name: string;
  readonly clock: SimulatedClock;
  readonly store: EventStoreDbEventStore;
  readonly lethe: Lethe;
}

let server: EsdbTestServer | undefined;
const instances: Instance[] = [];
let releaseHang: (() => void) | undefined;

afterAll(async () => {
  releaseHang?.();
  for (const i of instances) await i.store.close();
  await server?.close();
});

/** Reads every event of streams starting with `prefix`, in log order. */
const readAllWithPrefix = async (store: EventStoreDbEventStore, prefix: string): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  let from: Position | 'start' = 'start';
  for (let first = true; ; first = false) {
    const page: readonly RecordedEvent[] = await ok(store.readAll({ fromPosition: from, maxCount: 2000, filter: { excludeSystemEvents: true, streamNamePrefixes: [prefix] } }));
    out.push(...(first ? page : page.slice(1)));
    const last: RecordedEvent | undefined = page[page.length - 1];
    if (page.length < 2000 || last === undefined) break;
    from = last.position;
  }
  return out;
};

describe('three Lethe instances over one EventStoreDB', () => {
  it(`handles every due command of ${SUBJECTS} subjects once, with one instance killed mid-run`, async () => {
    const started = performance.now();
    const lap = (what: string) => console.log(`[scaleout] ${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const serverClock = simulatedClock(T0);
    server = await startEventStoreDbTestServer({ clock: serverClock });
    const deliveries: Delivery[] = [];
    const byType = new Map<string, number>();
    let victimHandled = 0;
    let killVictim: (() => void) | undefined;
    const victimHung = new Promise<void>((resolve) => (killVictim = resolve));
    const hang = new Promise<E.Either<unknown, unknown>>((resolve) => (releaseHang = () => resolve(E.left({ _tag: 'Crashed' }))));
    let armed = false;

    const handlerFor =
      (instance: string): CommandHandler =>
      async (command) => {
        const delivery: Delivery = { commandId: command.commandId, type: command.type, instance, key: keyOf(command), returned: false };
        deliveries.push(delivery);
        if (instance === 'c' && armed && ++victimHandled > VICTIM_HANDLES_BEFORE_HANG) {
          // The crash: c has claimed this command, its handler never returns and c is killed.
          killVictim?.();
          return hang;
        }
        delivery.returned = true;
        byType.set(command.type, (byType.get(command.type) ?? 0) + 1);
        return E.right(undefined);
      };

    for (const name of ['a', 'b', 'c']) {
      const clock = simulatedClock(T0);
      const store = getEventStoreDbEventStore(EventStoreDBClient.connectionString(server.connectionString));
      const handler = handlerFor(name);
      const created = createLethe({
        policy,
        store,
        clock,
        instanceId: `replica-${name}`,
        handlers: Object.fromEntries(hostCommandTypes.map((t) => [t, handler])),
        dispatch: { leaseMs: LEASE_MS, maxAttempts: 5, backoff: { initialMs: 1_000 } },
      });
      if (E.isLeft(created)) throw new Error(JSON.stringify(created.left));
      instances.push({ name, clock, store, lethe: created.right });
    }
    const [a, b, c] = instances as [Instance, Instance, Instance];
    const setClocks = (at: number) => [serverClock, ...instances.map((i) => i.clock)].forEach((k) => k.set(at));

    // Seeding: every subject through the facade's host calls (validated, decided, settled). The
    // request answers (RespondToRequest, ExportSubjectData) are dispatched here, by a.
    const at = new Date(T0).toISOString();
    const seedOne = async (lethe: Lethe, n: number) => {
      const s = subjectId(n);
      await ok(lethe.registerSubject({ subjectId: s, jurisdictions: ['EU'], ourRole: { role: 'controller' } }, { at }));
      await ok(lethe.collectData({ subjectId: s, category: 'usage-data', system: 'app-db', source: 'app', submission: 'passive' }, { at }));
      if (n % REQUEST_EVERY === 0)
        await ok(
          lethe.receiveRequest(
            { requestId: requestId(n), subjectId: s, requestType: 'access', jurisdiction: 'EU', channel: 'email', receivedAt: at, role: 'processor', receivedFrom: 'controller', controllerId: 'acme' },
            { at },
          ),
        );
    };
    // One instance seeds, a few calls in flight: spread over three, each call's settle keeps polling
    // the log while the other instances write, which made seeding several times slower.
    let next = 0;
    await Promise.all(
      Array.from({ length: SEED_CONCURRENCY }, async () => {
        while (next < SUBJECTS) await seedOne(a.lethe, next++);
      }),
    );
    await Promise.all(instances.map((i) => ok(i.lethe.settle(T0))));
    lap('seeded');

    // The due run: every retention clock and every request deadline has passed. All three tick at
    // once; c hangs in a handler after a while and is killed (its client closed, never acknowledging).
    setClocks(DUE_RUN);
    armed = true;
    const survivorsRun = Promise.all([a, b].map((i) => ok(i.lethe.tick(DUE_RUN))));
    const victimRun = c.lethe.tick(DUE_RUN); // never settles: c dies inside it
    await Promise.race([
      victimHung,
      victimRun.then(() => {
        throw new Error('c finished its run before it was killed: lower VICTIM_HANDLES_BEFORE_HANG');
      }),
    ]);
    await c.store.close();
    await survivorsRun;
    await Promise.all([a, b].map((i) => ok(i.lethe.settle(DUE_RUN))));
    lap('due run');

    // What c held is claimed by c and stays so until its lease expires.
    const orphans = deliveries.filter((d) => d.instance === 'c' && !d.returned);
    expect(orphans).toHaveLength(1);
    const stuck = await ok(a.lethe.pendingCommands());
    expect(stuck.map((p) => [p.command.commandId, p.status, p.claim?.instanceId])).toEqual(orphans.map((o) => [o.commandId, 'claimed', 'replica-c']));

    // Past the lease: the survivors take the orphans over.
    setClocks(DUE_RUN + LEASE_MS + 1);
    await Promise.all([a, b].map((i) => ok(i.lethe.tick(DUE_RUN + LEASE_MS + 1))));
    await Promise.all([a, b].map((i) => ok(i.lethe.settle(DUE_RUN + LEASE_MS + 1))));
    lap('takeover');

    // None lost: exactly the host commands the seeded data calls for, each acknowledged once.
    const expected: string[] = [];
    for (let n = 0; n < SUBJECTS; n++) {
      expected.push(`EraseSubjectData:${subjectId(n)}`);
      if (n % REQUEST_EVERY === 0)
        expected.push(`RespondToRequest:${requestId(n)}`, `ExportSubjectData:${requestId(n)}`, `ObligationOverdue:request:${requestId(n)}`);
    }
    const outbox = await readAllWithPrefix(a.store, 'lethe.outbox-');
    const streams = new Map<string, RecordedEvent[]>();
    for (const e of outbox) streams.set(e.streamName, [...(streams.get(e.streamName) ?? []), e]);
    const emitted = new Map<string, { type: string; acks: string[]; emissions: number; failures: number }>();
    for (const events of streams.values()) {
      const first = events[0] as RecordedEvent;
      const data = first.data as { commandId: string; command: { type: string } };
      emitted.set(data.commandId, {
        type: data.command.type,
        emissions: events.filter((e) => e.type === 'CommandEmitted').length,
        acks: events.filter((e) => e.type === 'CommandAcknowledged').map((e) => (e.data as { instanceId: string }).instanceId),
        failures: events.filter((e) => e.type === 'CommandDispatchFailed').length,
      });
    }
    // One CommandEmitted per outbox stream, one acknowledgement per command, no failure.
    expect([...emitted.values()].filter((e) => e.emissions !== 1)).toEqual([]);
    expect([...emitted.entries()].filter(([, e]) => e.acks.length !== 1 || e.failures !== 0)).toEqual([]);
    expect(await ok(a.lethe.failedCommands())).toEqual([]);
    expect(await ok(b.lethe.failedCommands())).toEqual([]);
    expect(await ok(a.lethe.pendingCommands())).toEqual([]);

    // Host commands: every expected one was handed over and acknowledged, nothing else was.
    const hostTypes = new Set(hostCommandTypes);
    const hostEmitted = [...emitted.entries()].filter(([, e]) => hostTypes.has(e.type));
    const returnedById = new Map<string, Delivery[]>();
    for (const d of deliveries) returnedById.set(d.commandId, [...(returnedById.get(d.commandId) ?? []), d]);
    const acknowledgedKeys = hostEmitted.map(([id]) => (returnedById.get(id) ?? []).find((d) => d.returned)?.key ?? `unhandled:${id}`);
    expect(acknowledgedKeys.sort()).toEqual([...expected].sort());
    // Each acknowledgement came from the instance whose handler returned; each handler call but c's hung one returned.
    for (const [id, e] of hostEmitted) {
      const calls = returnedById.get(id) ?? [];
      expect(calls.filter((d) => d.returned).map((d) => `replica-${d.instance}`)).toEqual(e.acks);
    }
    // Delivered once, except the orphan: twice, and acknowledged by a survivor.
    const twice = [...returnedById.entries()].filter(([, ds]) => ds.length !== 1);
    expect(twice.map(([id, ds]) => [id, ds.map((d) => (d.instance === 'c' ? 'c' : 'survivor'))])).toEqual(
      orphans.map((o) => [o.commandId, ['c', 'survivor']]),
    );
    // Every instance did its share before the kill.
    expect(new Set(deliveries.map((d) => d.instance))).toEqual(new Set(['a', 'b', 'c']));

    // Lethe's own commands (clocks started, expired, erasures requested) went through the same outbox: each acknowledged once.
    const internal = new Map<string, number>();
    for (const [, e] of emitted) if (!hostTypes.has(e.type)) internal.set(e.type, (internal.get(e.type) ?? 0) + 1);
    expect(Object.fromEntries(internal)).toEqual({ StartRetentionClock: SUBJECTS, ExpireRetentionClock: SUBJECTS, RequestErasure: SUBJECTS });
    console.log(
      `[scaleout] ${SUBJECTS} subjects, ${emitted.size} commands (${hostEmitted.length} host), ${deliveries.length} deliveries,`,
      Object.fromEntries(byType),
    );
    lap('checked');
  }, Math.max(600_000, SUBJECTS * 300)); // about 0.1 s a subject here; the full 10,000 needs the headroom
});
