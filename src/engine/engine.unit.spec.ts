import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getInMemoryEventStore } from '../store/index.js';
import type { EventStore } from '../store/port.js';
import { simulatedClock } from '../time/clock.js';
import { readCheckpoint } from './checkpoints.js';
import type { LetheEvent } from './commandHandler.js';
import { CHECKPOINT_LAG, createEngine } from './engine.js';
import type { EngineNotice } from './engine.js';
import { reactionCommandId, streamNameFor } from './ids.js';
import type { Reaction } from './processor.js';
import {
  accountKind,
  accountPolicy,
  balancesProjection,
  countsProjection,
  dormancyHandler,
  emittedCommands,
  eventually,
  unwrap,
} from './testAccount.fixture.js';
import type { AccountCommand, AccountEvent } from './testAccount.fixture.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const ids = [
  '0b5b8f8e-2f7c-4d8e-9b57-3a3c5b1c9d10',
  '1c6c9f9f-3f8d-4e9f-8c68-4b4d6c2dae21',
  '2d7daf0a-4a9e-4faa-9d79-5c5e7d3ebf32',
  '3e8eb01b-5baf-40bb-ae8a-6d6f8e4fc043',
] as const;
const at = '2026-02-28T09:00:00Z';

type Notices = EngineNotice[];

const build = (
  store: EventStore,
  options: { reaction?: Reaction<LetheEvent<AccountEvent, 'account'>>; notices?: Notices; batchSize?: number } = {},
) =>
  unwrap(
    createEngine({
      store,
      clock: simulatedClock(T0),
      streams: { account: accountKind },
      projections: { balances: balancesProjection, counts: countsProjection },
      reactions: { policy: options.reaction ?? accountPolicy },
      timerHandlers: { dormancy: dormancyHandler },
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      onNotice: (n) => options.notices?.push(n),
    }),
  );

type TestEngine = ReturnType<typeof build>;

const run = async (engine: Pick<TestEngine, 'execute'>, command: AccountCommand) =>
  engine.execute({ kind: 'account', command, occurredAt: at, actor: 'user-1' });

const openAndDeposit = async (engine: Pick<TestEngine, 'execute'>, accountId: string, amounts: readonly number[]) => {
  unwrap(await run(engine, { type: 'OpenAccount', data: { accountId } }));
  for (const amount of amounts) unwrap(await run(engine, { type: 'Deposit', data: { accountId, amount } }));
};

/** Counts calls per event id, to see what a reaction was shown. */
const spy = () => {
  const seen: string[] = [];
  const reaction: Reaction<LetheEvent<AccountEvent, 'account'>> = {
    react: (event, context) => {
      seen.push(event.metadata.eventId);
      return accountPolicy.react(event, context);
    },
  };
  return { seen, reaction };
};

describe('catchUp', () => {
  it('folds projections over the feed in order, once per event, leaving out bookkeeping streams', async () => {
    const store = getInMemoryEventStore();
    const engine = build(store);
    await openAndDeposit(engine, ids[0], [5, 1000]);
    await openAndDeposit(engine, ids[1], [7]);
    const first = unwrap(await engine.catchUp());
    // 5 account events, then the outbox stream of the ReviewLargeDeposit the policy emitted.
    expect(first.processed).toBe(6);
    expect(engine.projection('balances')).toEqual({ [ids[0]]: 1005, [ids[1]]: 7 });
    expect(engine.projection('counts')).toEqual({ AccountOpened: 2, Deposited: 3 });
    expect(unwrap(await engine.catchUp()).processed).toBe(0);
    expect(engine.projection('counts')).toEqual({ AccountOpened: 2, Deposited: 3 });
    expect(await emittedCommands(store)).toHaveLength(1);
  });

  it('hands reactions the views as of the event; a checkpoint with nothing emitted waits for stop (or the lag limit)', async () => {
    const store = getInMemoryEventStore();
    const views: unknown[] = [];
    const engine = build(store, {
      reaction: {
        react: (_event, context) => {
          views.push(context.views['balances']);
          return {};
        },
      },
    });
    await openAndDeposit(engine, ids[0], [5, 6]);
    const report = unwrap(await engine.catchUp());
    expect(views).toEqual([{}, { [ids[0]]: 5 }, { [ids[0]]: 11 }]);
    // The reaction emitted nothing: no checkpoint write per catch-up (re-running it emits nothing).
    expect(unwrap(await readCheckpoint(store, 'policy')).position).toBeUndefined();
    unwrap(await engine.stop());
    expect(unwrap(await readCheckpoint(store, 'policy')).position).toEqual(report.position);
  });

  it('writes a silent reaction\'s checkpoint once it lags CHECKPOINT_LAG events behind', async () => {
    const store = getInMemoryEventStore();
    const engine = build(store, { reaction: { react: () => ({}) } });
    const amounts = Array.from({ length: CHECKPOINT_LAG + 5 }, () => 1);
    await openAndDeposit(engine, ids[0], amounts.slice(0, CHECKPOINT_LAG - 2));
    unwrap(await engine.catchUp());
    expect(unwrap(await readCheckpoint(store, 'policy')).position).toBeUndefined();
    await openAndDeposit(engine, ids[1], amounts.slice(0, 10));
    const report = unwrap(await engine.catchUp());
    expect(unwrap(await readCheckpoint(store, 'policy')).position).toEqual(report.position);
  });

  it('resumes from the checkpoint after a restart: nothing skipped, no effect twice', async () => {
    const store = getInMemoryEventStore();
    const first = spy();
    const engine1 = build(store, { reaction: first.reaction });
    await openAndDeposit(engine1, ids[0], [1000, 2000]);
    unwrap(await engine1.catchUp());
    // More events arrive while no engine is running.
    await openAndDeposit(engine1, ids[1], [3000]);
    unwrap(await run(engine1, { type: 'Deposit', data: { accountId: ids[0], amount: 7 } }));

    const second = spy();
    const engine2 = build(store, { reaction: second.reaction });
    unwrap(await engine2.catchUp());
    const emitted = await emittedCommands(store);
    expect(emitted.map(([type]) => type)).toEqual(['ReviewLargeDeposit', 'ReviewLargeDeposit', 'ReviewLargeDeposit']);
    expect(new Set(emitted.map(([, id]) => id)).size).toBe(3);
    // The new instance saw every event once (old ones replayed for timers, new ones live) ...
    const accountEvents = unwrap(await store.readAll({ filter: { streamNamePrefixes: ['lethe.account-'] } }));
    expect(second.seen).toEqual(accountEvents.map((e) => e.id));
    // ... and its projections equal the state of one uninterrupted run.
    expect(engine2.projection('balances')).toEqual({ [ids[0]]: 3007, [ids[1]]: 3000 });
    expect(engine2.projection('counts')).toEqual({ AccountOpened: 2, Deposited: 4 });
  });

  it('re-delivery after a crash between effect and checkpoint emits nothing twice', async () => {
    const raw = getInMemoryEventStore();
    let failCheckpoints = true;
    const crashing: EventStore = {
      ...raw,
      appendToStream: (stream, events, options) =>
        failCheckpoints && stream.startsWith('lethe.checkpoint-')
          ? Promise.resolve(E.left({ _tag: 'StoreUnavailable', reason: 'crash' }))
          : raw.appendToStream(stream, events, options),
    };
    const engine1 = build(crashing);
    await openAndDeposit(engine1, ids[0], [1000, 5, 2000]);
    expect(await engine1.catchUp()).toEqual(E.left({ _tag: 'StoreUnavailable', reason: 'crash' }));
    expect(await emittedCommands(raw)).toHaveLength(2);
    expect(unwrap(await readCheckpoint(raw, 'policy')).position).toBeUndefined();

    failCheckpoints = false;
    const { seen, reaction } = spy();
    const engine2 = build(raw, { reaction });
    unwrap(await engine2.catchUp());
    expect(seen).toHaveLength(4);
    const emitted = await emittedCommands(raw);
    expect(emitted.map(([, id]) => id)).toEqual(
      unwrap(await raw.readAll({ filter: { streamNamePrefixes: ['lethe.account-'], eventTypePrefixes: ['Deposited'] } }))
        .filter((e) => (e.data as { amount: number }).amount >= 1000)
        .map((e) => reactionCommandId('policy', e.id, 0)),
    );
    expect(unwrap(await readCheckpoint(raw, 'policy')).position).toBeDefined();
  });

  it('stops at an invalid event in the feed, naming it, without applying anything after it', async () => {
    const store = getInMemoryEventStore();
    const engine = build(store);
    await openAndDeposit(engine, ids[0], [5]);
    const stream = streamNameFor('account', ids[0]);
    const metadata = unwrap(await store.readStream(stream))[0]?.metadata ?? null;
    unwrap(await store.appendToStream(stream, [{ type: 'Deposited', data: { accountId: ids[0] }, metadata }]));
    unwrap(await run(engine, { type: 'OpenAccount', data: { accountId: ids[1] } }));
    const result = await engine.catchUp();
    expect(result).toEqual(
      E.left({ _tag: 'InvalidEvent', stream, direction: 'read', part: 'event', path: 'data.amount', paths: ['data.amount'], revision: 2n }),
    );
    expect(engine.projection('counts')).toEqual({ AccountOpened: 1, Deposited: 1 });
    expect(await engine.catchUp()).toEqual(result);
  });

  it('turns a throwing projection into HostCodeFailed and applies the event exactly once when it recovers', async () => {
    const store = getInMemoryEventStore();
    let failing = true;
    const boom = new Error('boom');
    const engine = unwrap(
      createEngine({
        store,
        clock: simulatedClock(T0),
        streams: { account: accountKind },
        projections: {
          counts: {
            init: () => 0,
            apply: (n: number) => {
              if (failing) throw boom;
              return n + 1;
            },
          },
        },
      }),
    );
    await openAndDeposit(engine, ids[0], [1, 2]);
    expect(await engine.catchUp()).toEqual(E.left({ _tag: 'HostCodeFailed', source: 'projection:counts', error: boom }));
    failing = false;
    unwrap(await engine.catchUp());
    expect(engine.projection('counts')).toBe(3);
  });

  it('two instances on one store emit each command once and report the checkpoint conflict', async () => {
    const store = getInMemoryEventStore();
    const notices: Notices = [];
    const a = build(store, { notices });
    const b = build(store, { notices });
    await openAndDeposit(a, ids[0], [1000]);
    unwrap(await a.catchUp());
    unwrap(await b.catchUp());
    await openAndDeposit(a, ids[1], [5000]);
    await Promise.all([a.catchUp(), b.catchUp()]).then((rs) => rs.forEach(unwrap));
    expect((await emittedCommands(store)).map(([type]) => type)).toEqual(['ReviewLargeDeposit', 'ReviewLargeDeposit']);
    expect(notices.some((n) => n._tag === 'CheckpointConflict')).toBe(true);
  });
});

describe('rebuild', () => {
  const commandArb = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 2000 }));

  it('equals the incremental state over a long generated log, caught up at random points', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(commandArb, { minLength: 300, maxLength: 600 }),
        fc.array(fc.integer({ min: 0, max: 599 }), { maxLength: 10 }),
        async (commands, catchUpPoints) => {
          const store = getInMemoryEventStore();
          const engine = build(store, { batchSize: 37 });
          for (const id of ids) unwrap(await run(engine, { type: 'OpenAccount', data: { accountId: id } }));
          for (let i = 0; i < commands.length; i++) {
            const [which, op, amount] = commands[i] as [number, number, number];
            const accountId = ids[which] as string;
            const command: AccountCommand =
              op === 3 ? { type: 'Withdraw', data: { accountId, amount } } : { type: 'Deposit', data: { accountId, amount: amount === 13 ? 14 : amount } };
            await run(engine, command); // rejections (insufficient funds) are part of the story
            if (catchUpPoints.includes(i)) unwrap(await engine.catchUp());
          }
          unwrap(await engine.catchUp());
          const incremental = { balances: engine.projection('balances'), counts: engine.projection('counts') };
          expect(unwrap(await engine.rebuild('balances'))).toEqual(incremental.balances);
          expect(unwrap(await engine.rebuild('counts'))).toEqual(incremental.counts);
          const other = build(store, { batchSize: 1000 });
          unwrap(await other.catchUp());
          expect(other.projection('balances')).toEqual(incremental.balances);
        },
      ),
      { numRuns: 5 },
    );
  });
});

describe('live mode', () => {
  it('follows the subscription until stopped, then resumes with catchUp', async () => {
    const store = getInMemoryEventStore();
    const engine = build(store);
    await openAndDeposit(engine, ids[0], [5]);
    unwrap(await engine.start({ dispatch: false }));
    expect(engine.projection('balances')).toEqual({ [ids[0]]: 5 });
    unwrap(await run(engine, { type: 'Deposit', data: { accountId: ids[0], amount: 1000 } }));
    await eventually(() => engine.projection('balances')[ids[0]] === 1005);
    await eventually(() => engine.timer(`dormancy:${ids[0]}`) !== undefined);
    unwrap(await engine.stop());
    unwrap(await run(engine, { type: 'Deposit', data: { accountId: ids[0], amount: 1 } }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(engine.projection('balances')).toEqual({ [ids[0]]: 1005 });
    unwrap(await engine.catchUp());
    expect(engine.projection('balances')).toEqual({ [ids[0]]: 1006 });
    expect(engine.projection('counts')).toEqual({ AccountOpened: 1, Deposited: 3 });
    expect(await emittedCommands(store)).toHaveLength(1);
    expect(unwrap(await readCheckpoint(store, 'policy')).position).toBeDefined();
  });
});

describe('createEngine', () => {
  it('refuses reserved or malformed names', () => {
    const store = getInMemoryEventStore();
    const clock = simulatedClock(T0);
    expect(createEngine({ store, clock, streams: { outbox: accountKind } })).toMatchObject(
      E.left({ _tag: 'InvalidConfiguration', path: 'streams.outbox' }),
    );
    expect(createEngine({ store, clock, streams: { 'my-kind': accountKind } })).toMatchObject(
      E.left({ _tag: 'InvalidConfiguration', path: 'streams.my-kind' }),
    );
    expect(createEngine({ store, clock, streams: { account: accountKind }, reactions: { 'a/b': accountPolicy } })).toMatchObject(
      E.left({ _tag: 'InvalidConfiguration', path: 'reactions.a/b' }),
    );
    expect(createEngine({ store, clock, streams: { account: accountKind }, dispatch: { maxAttempts: 0 } })).toMatchObject(
      E.left({ _tag: 'InvalidConfiguration', path: 'dispatch.maxAttempts' }),
    );
  });
});
