import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { getInMemoryEventStore } from '../store/index.js';
import type { EventStore } from '../store/port.js';
import { simulatedClock } from '../time/clock.js';
import { streamKind } from './commandHandler.js';
import type { AnyStreamKind } from './commandHandler.js';
import { createEngine } from './engine.js';
import { eventIdFor, streamNameFor } from './ids.js';
import { accountDecider, AccountEvent, accountKind } from './testAccount.fixture.js';
import type { AccountCommand } from './testAccount.fixture.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const accountId = '0b5b8f8e-2f7c-4d8e-9b57-3a3c5b1c9d10';
const stream = streamNameFor('account', accountId);
const at = '2026-02-28T09:00:00Z';

const right = <A>(either: E.Either<unknown, A>): A => {
  if (E.isLeft(either)) throw new Error(`expected Right, got ${JSON.stringify(either.left, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`);
  return either.right;
};

const engineOver = <K extends Readonly<Record<string, AnyStreamKind>>>(store: EventStore, streams: K) =>
  right(createEngine({ store, clock: simulatedClock(T0), streams }));

const cmd = (command: AccountCommand, extra: { commandId?: string } = {}) => ({
  kind: 'account' as const,
  command,
  occurredAt: at,
  actor: 'user-7',
  ...extra,
});

const open = cmd({ type: 'OpenAccount', data: { accountId } });
const deposit = (amount: number, commandId?: string) =>
  cmd({ type: 'Deposit', data: { accountId, amount } }, commandId === undefined ? {} : { commandId });

/** A store where, `times` times, a concurrent deposit lands on the account stream right after it is read. */
const interferingStore = (
  raw: EventStore,
  times: number,
  concurrent: ReturnType<typeof cmd> = deposit(10),
): { store: EventStore; interfered: () => number } => {
  const other = engineOver(raw, { account: accountKind });
  let left = times;
  let done = 0;
  const store: EventStore = {
    ...raw,
    readStream: async (name, options) => {
      const read = await raw.readStream(name, options);
      if (name === stream && left > 0) {
        left--;
        done++;
        right(await other.execute(concurrent));
      }
      return read;
    },
  };
  return { store, interfered: () => done };
};

describe('execute', () => {
  it('appends the decided events with metadata from the request and the clock', async () => {
    const store = getInMemoryEventStore();
    const engine = engineOver(store, { account: accountKind });
    const result = right(await engine.execute({ ...open, commandId: 'cmd-open', policyVersion: 'v3' }));
    expect(result.streamName).toBe(stream);
    expect(result.streamRevision).toBe(0n);
    expect(result.events).toEqual([
      {
        streamName: stream,
        revision: 0n,
        event: { type: 'AccountOpened', data: { accountId } },
        metadata: {
          eventId: eventIdFor(stream, 'cmd-open', 0),
          occurredAt: at,
          recordedAt: '2026-03-01T10:00:00.000Z',
          causationId: 'cmd-open',
          correlationId: 'cmd-open',
          actor: 'user-7',
          policyVersion: 'v3',
          commandId: 'cmd-open',
        },
      },
    ]);
    const stored = right(await store.readStream(stream));
    expect(stored.map((e) => [e.id, e.type, e.revision])).toEqual([[eventIdFor(stream, 'cmd-open', 0), 'AccountOpened', 0n]]);
  });

  it('folds the stream and appends at its revision; rejections come back typed and append nothing', async () => {
    const store = getInMemoryEventStore();
    const engine = engineOver(store, { account: accountKind });
    right(await engine.execute(open));
    right(await engine.execute(deposit(30)));
    const rejected = await engine.execute(cmd({ type: 'Withdraw', data: { accountId, amount: 31 } }));
    expect(rejected).toEqual(E.left({ _tag: 'Rejected', stream, rejection: { _tag: 'InsufficientFunds', balance: 30, amount: 31 } }));
    const closed = right(await engine.execute(cmd({ type: 'CloseAccount', data: { accountId } })));
    expect(closed.events.map((e) => [e.event.type, e.revision])).toEqual([
      ['Withdrawn', 2n],
      ['AccountClosed', 3n],
    ]);
    expect(right(await store.readStream(stream))).toHaveLength(4);
  });

  it('reloads and appends after a concurrent append, at the new revision', async () => {
    const raw = getInMemoryEventStore();
    right(await engineOver(raw, { account: accountKind }).execute(open));
    const { store, interfered } = interferingStore(raw, 1);
    const engine = engineOver(store, { account: accountKind });
    const result = right(await engine.execute(deposit(5)));
    expect(interfered()).toBe(1);
    expect(result.events.map((e) => [e.event.type, e.revision])).toEqual([['Deposited', 2n]]);
    expect(right(await raw.readStream(stream)).map((e) => (e.data as { amount?: number }).amount)).toEqual([undefined, 10, 5]);
  });

  it('decides again on the reloaded state after a conflict', async () => {
    const raw = getInMemoryEventStore();
    const setup = engineOver(raw, { account: accountKind });
    right(await setup.execute(open));
    right(await setup.execute(deposit(10)));
    // Read at balance 10, then a concurrent withdrawal of 8 lands: withdrawing 5 must now be refused.
    const { store, interfered } = interferingStore(raw, 1, cmd({ type: 'Withdraw', data: { accountId, amount: 8 } }));
    const result = await engineOver(store, { account: accountKind }).execute(cmd({ type: 'Withdraw', data: { accountId, amount: 5 } }));
    expect(interfered()).toBe(1);
    expect(result).toEqual(E.left({ _tag: 'Rejected', stream, rejection: { _tag: 'InsufficientFunds', balance: 2, amount: 5 } }));
    expect(right(await raw.readStream(stream))).toHaveLength(3);
  });

  it('gives up with ConcurrencyConflict after maxRetries reloads, having appended nothing of its own', async () => {
    const raw = getInMemoryEventStore();
    right(await engineOver(raw, { account: accountKind }).execute(open));
    const { store, interfered } = interferingStore(raw, 100);
    const engine = engineOver(store, { account: { ...accountKind, maxRetries: 2 } });
    const result = await engine.execute(deposit(1));
    expect(result).toEqual(E.left({ _tag: 'ConcurrencyConflict', stream, attempts: 3 }));
    expect(interfered()).toBe(3);
    const amounts = right(await raw.readStream(stream)).map((e) => (e.data as { amount?: number }).amount);
    expect(amounts).toEqual([undefined, 10, 10, 10]);
  });

  it('with a command id, executing the same command again is idempotent', async () => {
    const store = getInMemoryEventStore();
    const engine = engineOver(store, { account: accountKind });
    right(await engine.execute(open));
    const first = right(await engine.execute(deposit(5, 'cmd-dep')));
    const again = right(await engine.execute(deposit(5, 'cmd-dep')));
    expect(first.alreadyApplied).toBe(false);
    expect(again.alreadyApplied).toBe(true);
    expect(again.events).toEqual(first.events);
    expect(right(await store.readStream(stream))).toHaveLength(2);
  });

  it('refuses an event the codec rejects, naming the path, and appends none of the batch', async () => {
    const store = getInMemoryEventStore();
    const twoEvents = streamKind({
      ...accountKind,
      decider: {
        ...accountDecider,
        decide: (command: AccountCommand) =>
          E.right([
            { type: 'AccountOpened' as const, data: { accountId: command.data.accountId } },
            { type: 'Deposited' as const, data: { accountId: command.data.accountId, purpose: 'x' } as unknown as { accountId: string; amount: number } },
          ]),
      },
    });
    const engine = engineOver(store, { account: twoEvents });
    const result = await engine.execute(open);
    expect(result).toEqual(
      E.left({ _tag: 'InvalidEvent', stream, direction: 'append', part: 'event', path: 'data.amount', paths: ['data.amount'], index: 1 }),
    );
    expect(E.isLeft(await store.readStream(stream))).toBe(true);
  });

  it('refuses an invalid event read from the store, naming its revision and path', async () => {
    const store = getInMemoryEventStore();
    const engine = engineOver(store, { account: accountKind });
    right(await engine.execute(open));
    const good = right(await store.readStream(stream))[0];
    right(await store.appendToStream(stream, [{ type: 'Deposited', data: { accountId, amount: 'lots' }, metadata: good?.metadata ?? null }]));
    expect(await engine.execute(deposit(1))).toEqual(
      E.left({ _tag: 'InvalidEvent', stream, direction: 'read', part: 'event', path: 'data.amount', paths: ['data.amount'], revision: 1n }),
    );
    right(await store.appendToStream(streamNameFor('account', eventIdFor('s', 'x', 0)), [{ type: 'AccountOpened', data: { accountId }, metadata: { actor: 'x' } }]));
    const badMeta = await engineOver(store, { account: { ...accountKind, streamName: () => streamNameFor('account', eventIdFor('s', 'x', 0)) } }).execute(deposit(1));
    expect(E.isLeft(badMeta) && badMeta.left._tag === 'InvalidEvent' && badMeta.left.part).toBe('metadata');
  });

  it('refuses stream names that are not lethe.<kind>-<uuid>, without echoing them', async () => {
    const engine = engineOver(getInMemoryEventStore(), {
      account: { ...accountKind, streamName: () => 'lethe.account-alice@example.com' },
    });
    const result = await engine.execute(open);
    expect(result).toEqual(E.left({ _tag: 'InvalidStreamName', kind: 'account' }));
    expect(JSON.stringify(result)).not.toContain('alice');
  });

  it('refuses malformed requests and unknown kinds, and turns a throwing decider into a value', async () => {
    const store = getInMemoryEventStore();
    const engine = engineOver(store, { account: accountKind });
    expect(await engine.execute({ ...open, occurredAt: 'yesterday' })).toEqual(
      E.left({ _tag: 'InvalidCommand', path: 'occurredAt', reason: 'must be an ISO 8601 date-time with a zone' }),
    );
    expect(await engine.execute({ ...open, actor: '' })).toMatchObject(E.left({ _tag: 'InvalidCommand', path: 'actor' }));
    expect(await engine.execute({ ...open, kind: 'nope' } as unknown as typeof open)).toEqual(
      E.left({ _tag: 'UnknownStreamKind', kind: 'nope' }),
    );
    const boom = new Error('boom');
    const throwing = engineOver(store, {
      account: { ...accountKind, decider: { ...accountDecider, decide: () => { throw boom; } } },
    });
    expect(await throwing.execute(open)).toEqual(E.left({ _tag: 'HostCodeFailed', source: 'decider:account', error: boom }));
  });

  it('decodes stored events with the kind codec before folding', () => {
    expect(AccountEvent.is({ type: 'Deposited', data: { accountId, amount: 1 } })).toBe(true);
  });
});
