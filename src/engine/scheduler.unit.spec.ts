import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { getInMemoryEventStore } from '../store/index.js';
import type { EventStore } from '../store/port.js';
import { simulatedClock } from '../time/clock.js';
import { createEngine } from './engine.js';
import { timerCommandId, timerFiringId } from './ids.js';
import type { TimerHandler } from './processor.js';
import { createScheduler } from './scheduler.js';
import {
  accountKind,
  accountPolicy,
  DORMANT_AFTER_MS,
  dormancyHandler,
  emittedCommands,
  unwrap,
} from './testAccount.fixture.js';
import type { AccountCommand } from './testAccount.fixture.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const DAY = 24 * 3600 * 1000;
const A = '0b5b8f8e-2f7c-4d8e-9b57-3a3c5b1c9d10';
const B = '1c6c9f9f-3f8d-4e9f-8c68-4b4d6c2dae21';
const C = '2d7daf0a-4a9e-4faa-9d79-5c5e7d3ebf32';
const iso = (ms: number): string => new Date(ms).toISOString();

const build = (store: EventStore, calls: string[] = []) => {
  const counting: TimerHandler = (timer, context) => {
    calls.push(timer.key);
    return dormancyHandler(timer, context);
  };
  return unwrap(
    createEngine({
      store,
      clock: simulatedClock(T0),
      streams: { account: accountKind },
      reactions: { policy: accountPolicy },
      timerHandlers: { dormancy: counting },
    }),
  );
};
type TestEngine = ReturnType<typeof build>;

const run = async (engine: TestEngine, command: AccountCommand, occurredAt: number) =>
  unwrap(await engine.execute({ kind: 'account', command, occurredAt: iso(occurredAt), actor: 'user-1' }));
const open = (engine: TestEngine, accountId: string, occurredAt: number) =>
  run(engine, { type: 'OpenAccount', data: { accountId } }, occurredAt);

describe('scheduler', () => {
  it('restores a timer only when its key was not set again', () => {
    const scheduler = createScheduler();
    const timer = { key: 'k', at: 5, handler: 'h', causationId: 'e', correlationId: 'c' };
    scheduler.set(timer);
    expect(scheduler.takeDue(5)).toEqual([timer]);
    scheduler.restore(timer);
    expect(scheduler.get('k')).toEqual(timer);
    scheduler.set({ ...timer, at: 9 });
    scheduler.restore(timer);
    expect(scheduler.get('k')?.at).toBe(9);
  });
});

describe('tick', () => {
  it('catches up first, then fires a due timer once, with a command id derived from the timer', async () => {
    const store = getInMemoryEventStore();
    const calls: string[] = [];
    const engine = build(store, calls);
    await open(engine, A, T0);
    const due = T0 + DORMANT_AFTER_MS;
    expect(unwrap(await engine.tick(due - 1)).fired).toEqual([]);
    const report = unwrap(await engine.tick(due));
    const firingId = timerFiringId(`dormancy:${A}`, due, 'dormancy');
    expect(report.fired).toEqual([
      { key: `dormancy:${A}`, at: due, handler: 'dormancy', firingId, commandIds: [timerCommandId(firingId, 0)] },
    ]);
    expect(unwrap(await engine.tick(due)).fired).toEqual([]);
    expect(unwrap(await engine.tick(due + 10 * DAY)).fired).toEqual([]);
    expect(calls).toEqual([`dormancy:${A}`]);
    expect(await emittedCommands(store)).toEqual([['NotifyDormantAccount', timerCommandId(firingId, 0)]]);
    const pending = unwrap(await engine.pendingCommands());
    expect(pending.map((p) => [p.command.type, p.command.occurredAt, p.command.data])).toEqual([
      ['NotifyDormantAccount', iso(due), { accountId: A }],
    ]);
  });

  it('fires due timers in due order, ties broken by key', async () => {
    const store = getInMemoryEventStore();
    const calls: string[] = [];
    const engine = build(store, calls);
    await open(engine, C, T0);
    await open(engine, B, T0 + DAY);
    await open(engine, A, T0 + DAY);
    const report = unwrap(await engine.tick(T0 + 100 * DAY));
    expect(report.fired.map((f) => f.key)).toEqual([`dormancy:${C}`, `dormancy:${A}`, `dormancy:${B}`]);
    expect(calls).toEqual([`dormancy:${C}`, `dormancy:${A}`, `dormancy:${B}`]);
  });

  it('replaces a timer set again under the same key, and forgets a cancelled one', async () => {
    const store = getInMemoryEventStore();
    const engine = build(store);
    await open(engine, A, T0);
    await open(engine, B, T0);
    // Activity 10 days later resets A's clock; closing B cancels its timer.
    await run(engine, { type: 'Deposit', data: { accountId: A, amount: 1 } }, T0 + 10 * DAY);
    await run(engine, { type: 'CloseAccount', data: { accountId: B } }, T0 + DAY);
    expect(unwrap(await engine.tick(T0 + DORMANT_AFTER_MS)).fired).toEqual([]);
    expect(engine.timer(`dormancy:${A}`)?.at).toBe(T0 + 10 * DAY + DORMANT_AFTER_MS);
    expect(engine.timer(`dormancy:${B}`)).toBeUndefined();
    expect(unwrap(await engine.tick(T0 + 10 * DAY + DORMANT_AFTER_MS)).fired.map((f) => f.key)).toEqual([`dormancy:${A}`]);
    expect((await emittedCommands(store)).map(([type]) => type)).toEqual(['NotifyDormantAccount']);
  });

  it('fires each timer once under concurrent and overlapping ticks', async () => {
    const store = getInMemoryEventStore();
    const calls: string[] = [];
    const engine = build(store, calls);
    for (const [i, id] of [A, B, C].entries()) await open(engine, id, T0 + i * DAY);
    const due = (i: number) => T0 + i * DAY + DORMANT_AFTER_MS;
    const reports = await Promise.all([engine.tick(due(1)), engine.tick(due(1)), engine.tick(due(2)), engine.tick(due(0)), engine.tick(due(2))]);
    const fired = reports.flatMap((r) => unwrap(r).fired.map((f) => f.key));
    expect(fired.sort()).toEqual([`dormancy:${A}`, `dormancy:${B}`, `dormancy:${C}`].sort());
    expect(calls).toHaveLength(3);
    expect(await emittedCommands(store)).toHaveLength(3);
  });

  it('does not fire again after a restart: the new engine rebuilds its timers and finds them already fired', async () => {
    const store = getInMemoryEventStore();
    const engine1 = build(store);
    await open(engine1, A, T0);
    await open(engine1, B, T0 + 5 * DAY);
    const dueA = T0 + DORMANT_AFTER_MS;
    expect(unwrap(await engine1.tick(dueA)).fired.map((f) => f.key)).toEqual([`dormancy:${A}`]);

    const calls: string[] = [];
    const engine2 = build(store, calls);
    unwrap(await engine2.catchUp());
    expect(engine2.timer(`dormancy:${A}`)?.at).toBe(dueA);
    expect(engine2.timer(`dormancy:${B}`)?.at).toBe(T0 + 5 * DAY + DORMANT_AFTER_MS);
    const report = unwrap(await engine2.tick(T0 + 100 * DAY));
    expect(report.alreadyFired).toEqual([`dormancy:${A}`]);
    expect(report.fired.map((f) => f.key)).toEqual([`dormancy:${B}`]);
    expect(calls).toEqual([`dormancy:${B}`]);
    expect((await emittedCommands(store)).map(([type]) => type)).toEqual(['NotifyDormantAccount', 'NotifyDormantAccount']);

    // A third instance restarted after everything fired emits nothing at all.
    const engine3 = build(store);
    expect(unwrap(await engine3.tick(T0 + 200 * DAY)).fired).toEqual([]);
    expect(await emittedCommands(store)).toHaveLength(2);
  });

  it('keeps a timer whose firing failed, and fires it at the next tick', async () => {
    const raw = getInMemoryEventStore();
    let down = true;
    const store: EventStore = {
      ...raw,
      appendToStream: (stream, events, options) =>
        down && stream.startsWith('lethe.outbox-')
          ? Promise.resolve(E.left({ _tag: 'StoreUnavailable', reason: 'down' }))
          : raw.appendToStream(stream, events, options),
    };
    const engine = build(store);
    await open(engine, A, T0);
    const due = T0 + DORMANT_AFTER_MS;
    expect(await engine.tick(due)).toEqual(E.left({ _tag: 'StoreUnavailable', reason: 'down' }));
    expect(engine.timer(`dormancy:${A}`)?.at).toBe(due);
    down = false;
    expect(unwrap(await engine.tick(due)).fired.map((f) => f.key)).toEqual([`dormancy:${A}`]);
    expect(await emittedCommands(raw)).toHaveLength(1);
  });
});
