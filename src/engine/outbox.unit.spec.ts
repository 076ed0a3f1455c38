import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { getInMemoryEventStore } from '../store/index.js';
import type { EventStore } from '../store/port.js';
import { simulatedClock } from '../time/clock.js';
import type { LetheEvent } from './commandHandler.js';
import { createEngine, routeToStreamKind } from './engine.js';
import type { CommandHandler, EngineNotice } from './engine.js';
import { outboxStreamFor, reactionCommandId, streamNameFor } from './ids.js';
import { backoffDelay, emitCommand } from './outbox.js';
import type { OutboxCommand } from './outbox.js';
import type { Reaction } from './processor.js';
import { accountKind, accountPolicy, emittedCommands, eventually, unwrap } from './testAccount.fixture.js';
import type { AccountEvent } from './testAccount.fixture.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const accounts = Array.from({ length: 10 }, (_, i) => `0b5b8f8e-2f7c-4d8e-9b57-3a3c5b1c9d${String(i).padStart(2, '0')}`);
const A = accounts[0] as string;

interface Options {
  readonly handlers?: Readonly<Record<string, CommandHandler>>;
  readonly reaction?: Reaction<LetheEvent<AccountEvent, 'account'>>;
  readonly notices?: EngineNotice[];
  readonly instanceId?: string;
  readonly maxAttempts?: number;
}

const build = (store: EventStore, options: Options = {}) =>
  unwrap(
    createEngine({
      store,
      clock: simulatedClock(T0),
      streams: { account: accountKind },
      reactions: { policy: options.reaction ?? accountPolicy },
      timerHandlers: { dormancy: () => ({}) },
      commandHandlers: options.handlers ?? {},
      dispatch: { maxAttempts: options.maxAttempts ?? 3, backoff: { initialMs: 1_000, factor: 2 }, leaseMs: 10_000 },
      ...(options.instanceId === undefined ? {} : { instanceId: options.instanceId }),
      onNotice: (n) => options.notices?.push(n),
    }),
  );
type TestEngine = ReturnType<typeof build>;

const largeDeposit = async (engine: TestEngine, accountId: string) => {
  unwrap(await engine.execute({ kind: 'account', command: { type: 'OpenAccount', data: { accountId } }, occurredAt: '2026-02-01T00:00:00Z', actor: 'u' }));
  unwrap(
    await engine.execute({
      kind: 'account',
      command: { type: 'Deposit', data: { accountId, amount: 5000 } },
      occurredAt: '2026-02-01T00:00:00Z',
      actor: 'u',
    }),
  );
};

const outboxTypes = async (store: EventStore, commandId: string) =>
  unwrap(await store.readStream(outboxStreamFor(commandId))).map((e) => e.type);

/** A handler that records the commands it is given and answers with the next scripted outcome (then Right). */
const scripted = (script: readonly ('left' | 'throw' | 'reject')[] = []) => {
  const calls: OutboxCommand[] = [];
  const handler: CommandHandler = async (command) => {
    const step = script[calls.length];
    calls.push(command);
    if (step === 'left') return E.left({ _tag: 'MailServerDown', detail: 'alice@example.com' });
    if (step === 'throw') throw new TypeError('alice@example.com not reachable');
    if (step === 'reject') return Promise.reject(new RangeError('nope'));
    return E.right(undefined);
  };
  return { calls, handler };
};

describe('emission', () => {
  it('appends each command once to its own stream, whatever the number of emissions', async () => {
    const store = getInMemoryEventStore();
    const command: OutboxCommand = {
      commandId: reactionCommandId('policy', 'e1', 0),
      type: 'ReviewLargeDeposit',
      data: { accountId: A },
      occurredAt: '2026-02-01T00:00:00Z',
      causationId: 'e1',
      correlationId: 'c1',
      emittedBy: { source: 'reaction', name: 'policy' },
    };
    expect(unwrap(await emitCommand(store, T0, command))).toBe('emitted');
    const again = unwrap(await emitCommand(store, T0 + 5, { ...command, data: { accountId: 'other' } }));
    expect(['emitted', 'duplicate']).toContain(again);
    expect(await outboxTypes(store, command.commandId)).toEqual(['CommandEmitted']);
    expect(await emittedCommands(store)).toEqual([['ReviewLargeDeposit', command.commandId]]);
  });

  it('a reaction re-run over the same event (two instances, no checkpoint yet) leaves one outbox stream', async () => {
    const store = getInMemoryEventStore();
    const a = build(store);
    await largeDeposit(a, A);
    const b = build(store);
    await Promise.all([a.catchUp(), b.catchUp()]).then((rs) => rs.forEach(unwrap));
    expect(await emittedCommands(store)).toHaveLength(1);
  });
});

describe('dispatch', () => {
  it('hands a pending command to its handler once and acknowledges it on its stream', async () => {
    const store = getInMemoryEventStore();
    const { calls, handler } = scripted();
    const engine = build(store, { handlers: { ReviewLargeDeposit: handler } });
    await largeDeposit(engine, A);
    const report = unwrap(await engine.dispatch());
    const [[, commandId]] = (await emittedCommands(store)) as [[string, string]];
    expect(report.acknowledged).toEqual([commandId]);
    expect(calls.map((c) => [c.commandId, c.type, c.data, c.emittedBy])).toEqual([
      [commandId, 'ReviewLargeDeposit', { accountId: A, amount: 5000 }, { source: 'reaction', name: 'policy' }],
    ]);
    expect(await outboxTypes(store, commandId)).toEqual(['CommandEmitted', 'DispatchClaimed', 'CommandAcknowledged']);
    expect(unwrap(await engine.dispatch()).acknowledged).toEqual([]);
    expect(calls).toHaveLength(1);
    expect(unwrap(await engine.pendingCommands())).toEqual([]);
  });

  it('retries a failing handler with exponential back-off driven by the given instants', async () => {
    const store = getInMemoryEventStore();
    const { calls, handler } = scripted(['left', 'throw']);
    const engine = build(store, { handlers: { ReviewLargeDeposit: handler } });
    await largeDeposit(engine, A);
    expect(unwrap(await engine.dispatch(T0)).retrying).toHaveLength(1);
    expect(unwrap(await engine.dispatch(T0 + 999)).retrying).toEqual([]);
    const [pending] = unwrap(await engine.pendingCommands());
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, retryAt: T0 + 1000, lastFailure: 'MailServerDown' });
    expect(unwrap(await engine.dispatch(T0 + 1000)).retrying).toHaveLength(1);
    expect(unwrap(await engine.dispatch(T0 + 1000 + 1999)).acknowledged).toEqual([]);
    expect(unwrap(await engine.dispatch(T0 + 1000 + 2000)).acknowledged).toHaveLength(1);
    expect(calls).toHaveLength(3);
    expect(backoffDelay({ initialMs: 1000, factor: 2, maxMs: 3000 }, 3)).toBe(3000);
  });

  it('records a typed failure after the last attempt, queryable and without the error message', async () => {
    const store = getInMemoryEventStore();
    const notices: EngineNotice[] = [];
    const { calls, handler } = scripted(['left', 'reject', 'throw', 'left']);
    const engine = build(store, { handlers: { ReviewLargeDeposit: handler }, notices });
    await largeDeposit(engine, A);
    for (const t of [T0, T0 + 1000, T0 + 3000, T0 + 100_000]) unwrap(await engine.dispatch(t));
    expect(calls).toHaveLength(3);
    const failed = unwrap(await engine.failedCommands());
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ status: 'failed', attempts: 3, lastFailure: 'TypeError' });
    expect(unwrap(await engine.pendingCommands())).toEqual([]);
    const commandId = failed[0]?.command.commandId as string;
    expect(await outboxTypes(store, commandId)).toEqual([
      'CommandEmitted',
      'DispatchClaimed',
      'DispatchAttemptFailed',
      'DispatchClaimed',
      'DispatchAttemptFailed',
      'DispatchClaimed',
      'CommandDispatchFailed',
    ]);
    expect(JSON.stringify(unwrap(await store.readStream(outboxStreamFor(commandId))).map((e) => e.data))).not.toContain('alice');
    expect(notices).toContainEqual({ _tag: 'CommandDispatchFailed', commandId, commandType: 'ReviewLargeDeposit' });
    // A new engine over the same store sees the failure too.
    expect(unwrap(await build(store).failedCommands()).map((f) => f.command.commandId)).toEqual([commandId]);
  });

  it('two instances dispatching the same outbox hand each command to a handler once', async () => {
    const store = getInMemoryEventStore();
    const handled: string[] = [];
    const handler: CommandHandler = async (command) => {
      handled.push(command.commandId);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return E.right(undefined);
    };
    const a = build(store, { handlers: { ReviewLargeDeposit: handler }, instanceId: 'a' });
    const b = build(store, { handlers: { ReviewLargeDeposit: handler }, instanceId: 'b' });
    for (const id of accounts) await largeDeposit(a, id);
    unwrap(await a.catchUp());
    const [ra, rb] = (await Promise.all([a.dispatch(), b.dispatch(), a.dispatch(), b.dispatch()])).map(unwrap);
    expect(handled).toHaveLength(10);
    expect(new Set(handled).size).toBe(10);
    expect((ra?.acknowledged.length ?? 0) + (rb?.acknowledged.length ?? 0)).toBeLessThanOrEqual(10);
    expect(unwrap(await b.pendingCommands())).toEqual([]);
  });

  it('takes over a command whose lease expired, and not before', async () => {
    const store = getInMemoryEventStore();
    const a = build(store);
    await largeDeposit(a, A);
    unwrap(await a.catchUp());
    const [[, commandId]] = (await emittedCommands(store)) as [[string, string]];
    // An instance claimed it and then died.
    unwrap(
      await store.appendToStream(
        outboxStreamFor(commandId),
        [{ type: 'DispatchClaimed', data: { instanceId: 'dead', attempt: 1, leaseUntil: T0 + 10_000 } }],
        { expectedRevision: 0n },
      ),
    );
    const { calls, handler } = scripted();
    const b = build(store, { handlers: { ReviewLargeDeposit: handler }, instanceId: 'b' });
    expect(unwrap(await b.dispatch(T0 + 10_000)).acknowledged).toEqual([]);
    expect(unwrap(await b.pendingCommands())[0]).toMatchObject({ status: 'claimed', claim: { instanceId: 'dead' } });
    expect(unwrap(await b.dispatch(T0 + 10_001)).acknowledged).toEqual([commandId]);
    expect(calls).toHaveLength(1);
    expect(unwrap(await store.readStream(outboxStreamFor(commandId))).map((e) => (e.data as { attempt?: number }).attempt)).toEqual([
      undefined,
      1,
      2,
      2,
    ]);
  });

  it('leaves a command without handler pending and reports it once', async () => {
    const store = getInMemoryEventStore();
    const notices: EngineNotice[] = [];
    const engine = build(store, { notices });
    await largeDeposit(engine, A);
    const first = unwrap(await engine.dispatch());
    unwrap(await engine.dispatch());
    expect(first.unhandled).toHaveLength(1);
    const [pending] = unwrap(await engine.pendingCommands());
    expect(pending).toMatchObject({ status: 'pending', attempts: 0, hasHandler: false });
    expect(notices.filter((n) => n._tag === 'CommandWithoutHandler')).toEqual([
      { _tag: 'CommandWithoutHandler', commandId: pending?.command.commandId, commandType: 'ReviewLargeDeposit' },
    ]);
  });

  it('routes an emitted command to a stream kind, idempotently across redelivery', async () => {
    const raw = getInMemoryEventStore();
    let loseAcks = 1;
    const store: EventStore = {
      ...raw,
      appendToStream: (stream, events, options) =>
        loseAcks > 0 && events[0]?.type === 'CommandAcknowledged'
          ? (loseAcks--, Promise.resolve(E.left({ _tag: 'StoreUnavailable', reason: 'lost' })))
          : raw.appendToStream(stream, events, options),
    };
    // Welcome bonus: every opened account gets a deposit of 1 through the outbox.
    const bonus: Reaction<LetheEvent<AccountEvent, 'account'>> = {
      react: ({ event }) =>
        event.type === 'AccountOpened' ? { commands: [{ type: 'Deposit', data: { accountId: event.data.accountId, amount: 1 } }] } : {},
    };
    const engine = build(store, { reaction: bonus, handlers: { Deposit: routeToStreamKind('account') } });
    unwrap(await engine.execute({ kind: 'account', command: { type: 'OpenAccount', data: { accountId: A } }, occurredAt: '2026-02-01T00:00:00Z', actor: 'u' }));
    expect(await engine.dispatch(T0)).toEqual(E.left({ _tag: 'StoreUnavailable', reason: 'lost' }));
    // The handler ran but its acknowledgement was lost: after the lease, it runs again, harmlessly.
    expect(unwrap(await engine.dispatch(T0 + 10_001)).acknowledged).toHaveLength(1);
    const events = unwrap(await raw.readStream(streamNameFor('account', A)));
    expect(events.map((e) => [e.type, (e.data as { amount?: number }).amount])).toEqual([
      ['AccountOpened', undefined],
      ['Deposited', 1],
    ]);
    expect(events[1]?.metadata).toMatchObject({ actor: 'lethe.reaction/policy', occurredAt: '2026-02-01T00:00:00Z' });
  });

  it('in live mode, dispatches commands as they are emitted', async () => {
    const store = getInMemoryEventStore();
    const { calls, handler } = scripted();
    const engine = build(store, { handlers: { ReviewLargeDeposit: handler } });
    unwrap(await engine.start());
    await largeDeposit(engine, A);
    await eventually(() => calls.length === 1);
    unwrap(await engine.stop());
    expect(unwrap(await engine.pendingCommands())).toEqual([]);
    expect(calls).toHaveLength(1);
  });
});

describe('dispatch order within one cause', () => {
  const emitPair = async (store: EventStore) => {
    const base = { occurredAt: '2026-02-01T00:00:00Z', causationId: 'cause-1', correlationId: 'c1', emittedBy: { source: 'reaction' as const, name: 'policy' } };
    const first: OutboxCommand = { ...base, commandId: reactionCommandId('policy', 'cause-1', 0), type: 'First', data: {} };
    const second: OutboxCommand = { ...base, commandId: reactionCommandId('policy', 'cause-1', 1), type: 'Second', data: {} };
    unwrap(await emitCommand(store, T0, first));
    unwrap(await emitCommand(store, T0, second));
    return { first, second };
  };
  const engineWith = (store: EventStore, ordered: readonly string[], handled: string[], instanceId = 'b') =>
    unwrap(
      createEngine({
        store,
        clock: simulatedClock(T0),
        streams: { account: accountKind },
        commandHandlers: {
          First: (c) => (handled.push(c.type), E.right(undefined)),
          Second: (c) => (handled.push(c.type), E.right(undefined)),
        },
        dispatch: { maxAttempts: 3, backoff: { initialMs: 1_000, factor: 2 }, leaseMs: 10_000 },
        instanceId,
        orderedCommandTypes: ordered,
      }),
    );
  const claim = async (store: EventStore, commandId: string, instanceId: string) =>
    unwrap(
      await store.appendToStream(
        outboxStreamFor(commandId),
        [{ type: 'DispatchClaimed', data: { instanceId, attempt: 1, leaseUntil: T0 + 10_000 } }],
        { expectedRevision: 0n },
      ),
    );

  it('an ordered command waits while an earlier one of its cause is held elsewhere, then follows it', async () => {
    const store = getInMemoryEventStore();
    const { first } = await emitPair(store);
    await claim(store, first.commandId, 'dead');
    const handled: string[] = [];
    const engine = engineWith(store, ['First', 'Second'], handled);
    unwrap(await engine.dispatch(T0 + 5_000));
    expect(handled).toEqual([]);
    unwrap(await engine.dispatch(T0 + 10_001)); // the dead instance's lease is over
    expect(handled).toEqual(['First', 'Second']);
  });

  it('commands not named in order never wait for each other', async () => {
    const store = getInMemoryEventStore();
    const { first } = await emitPair(store);
    await claim(store, first.commandId, 'dead');
    const handled: string[] = [];
    unwrap(await engineWith(store, [], handled).dispatch(T0 + 5_000));
    expect(handled).toEqual(['Second']);
  });

  it("a claim under the dispatching instance's own id is taken again at once", async () => {
    const store = getInMemoryEventStore();
    const { first } = await emitPair(store);
    await claim(store, first.commandId, 'b');
    const handled: string[] = [];
    unwrap(await engineWith(store, ['First', 'Second'], handled, 'b').dispatch(T0 + 5_000));
    expect(handled).toEqual(['First', 'Second']);
  });
});
