/**
 * A toy stream kind (bank accounts) with a projection, a reaction and a timer handler, used by
 * the engine's tests and the given/when/then helper's tests. Not part of the public API.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { EventStore } from '../store/port.js';
import { streamKind } from './commandHandler.js';
import type { LetheEvent } from './commandHandler.js';
import type { Decider } from './decider.js';
import { streamNameFor } from './ids.js';
import type { Projection, Reaction, TimerHandler } from './processor.js';

/** Codec of the account events. */
export const AccountEvent = t.union([
  t.type({ type: t.literal('AccountOpened'), data: t.type({ accountId: t.string }) }),
  t.type({ type: t.literal('Deposited'), data: t.type({ accountId: t.string, amount: t.number }) }),
  t.type({ type: t.literal('Withdrawn'), data: t.type({ accountId: t.string, amount: t.number }) }),
  t.type({ type: t.literal('AccountClosed'), data: t.type({ accountId: t.string }) }),
]);
/** An account event. */
export type AccountEvent = t.TypeOf<typeof AccountEvent>;

/** Codec of the account commands. */
export const AccountCommand = t.union([
  t.type({ type: t.literal('OpenAccount'), data: t.type({ accountId: t.string }) }),
  t.type({ type: t.literal('Deposit'), data: t.type({ accountId: t.string, amount: t.number }) }),
  t.type({ type: t.literal('Withdraw'), data: t.type({ accountId: t.string, amount: t.number }) }),
  t.type({ type: t.literal('CloseAccount'), data: t.type({ accountId: t.string }) }),
]);
/** An account command. */
export type AccountCommand = t.TypeOf<typeof AccountCommand>;

/** Why an account command is refused. */
export type AccountRejection =
  | { readonly _tag: 'AccountAlreadyOpen' }
  | { readonly _tag: 'AccountNotOpen' }
  | { readonly _tag: 'InsufficientFunds'; readonly balance: number; readonly amount: number }
  | { readonly _tag: 'InvalidAmount' };

/** An account's state. */
export interface AccountState {
  readonly status: 'none' | 'open' | 'closed';
  readonly balance: number;
}

/** The account decider. A deposit of exactly 13 produces an event the codec refuses (to test validation). */
export const accountDecider: Decider<AccountCommand, AccountState, AccountEvent, AccountRejection> = {
  initialState: () => ({ status: 'none', balance: 0 }),
  decide: (command, state) => {
    switch (command.type) {
      case 'OpenAccount':
        return state.status === 'none'
          ? E.right([{ type: 'AccountOpened', data: { accountId: command.data.accountId } }])
          : E.left({ _tag: 'AccountAlreadyOpen' });
      case 'Deposit':
        if (state.status !== 'open') return E.left({ _tag: 'AccountNotOpen' });
        if (!(command.data.amount > 0)) return E.left({ _tag: 'InvalidAmount' });
        if (command.data.amount === 13)
          return E.right([{ type: 'Deposited', data: { accountId: command.data.accountId, amount: '13' as unknown as number } }]);
        return E.right([{ type: 'Deposited', data: command.data }]);
      case 'Withdraw':
        if (state.status !== 'open') return E.left({ _tag: 'AccountNotOpen' });
        if (!(command.data.amount > 0)) return E.left({ _tag: 'InvalidAmount' });
        if (command.data.amount > state.balance)
          return E.left({ _tag: 'InsufficientFunds', balance: state.balance, amount: command.data.amount });
        return E.right([{ type: 'Withdrawn', data: command.data }]);
      case 'CloseAccount':
        if (state.status !== 'open') return E.left({ _tag: 'AccountNotOpen' });
        return E.right(
          state.balance > 0
            ? [
                { type: 'Withdrawn', data: { accountId: command.data.accountId, amount: state.balance } },
                { type: 'AccountClosed', data: { accountId: command.data.accountId } },
              ]
            : [{ type: 'AccountClosed', data: { accountId: command.data.accountId } }],
        );
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'AccountOpened':
        return { status: 'open', balance: 0 };
      case 'Deposited':
        return { ...state, balance: state.balance + event.data.amount };
      case 'Withdrawn':
        return { ...state, balance: state.balance - event.data.amount };
      case 'AccountClosed':
        return { ...state, status: 'closed' };
    }
  },
};

/** The account stream kind: `lethe.account-<accountId>`. */
export const accountKind = streamKind({
  decider: accountDecider,
  events: AccountEvent,
  commands: AccountCommand,
  streamName: (command: AccountCommand) => streamNameFor('account', command.data.accountId),
});

type AccountFeedEvent = LetheEvent<AccountEvent, 'account'>;

/** Balances by account id. */
export const balancesProjection: Projection<Readonly<Record<string, number>>, AccountFeedEvent> = {
  init: () => ({}),
  apply: (state, { event }) => {
    switch (event.type) {
      case 'Deposited':
        return { ...state, [event.data.accountId]: (state[event.data.accountId] ?? 0) + event.data.amount };
      case 'Withdrawn':
        return { ...state, [event.data.accountId]: (state[event.data.accountId] ?? 0) - event.data.amount };
      default:
        return state;
    }
  },
};

/** How many account events the feed has carried, by type. */
export const countsProjection: Projection<Readonly<Record<string, number>>, AccountFeedEvent> = {
  init: () => ({}),
  apply: (state, { event }) => ({ ...state, [event.type]: (state[event.type] ?? 0) + 1 }),
};

/** Thirty days, the dormancy period of the toy policy. */
export const DORMANT_AFTER_MS = 30 * 24 * 3600 * 1000;

/**
 * The toy policy: a deposit of 1000 or more emits `ReviewLargeDeposit`; every account event but
 * closing (re)sets the dormancy timer 30 days after its business time; closing cancels it.
 */
export const accountPolicy: Reaction<AccountFeedEvent> = {
  react: ({ event, metadata }) => {
    const key = `dormancy:${event.data.accountId}`;
    if (event.type === 'AccountClosed') return { cancelTimers: [key] };
    const timers = [
      { key, at: Date.parse(metadata.occurredAt) + DORMANT_AFTER_MS, handler: 'dormancy', payload: { accountId: event.data.accountId } },
    ];
    if (event.type === 'Deposited' && event.data.amount >= 1000)
      return { timers, commands: [{ type: 'ReviewLargeDeposit', data: { accountId: event.data.accountId, amount: event.data.amount } }] };
    return { timers };
  },
};

/** The dormancy timer handler: emits `NotifyDormantAccount` for the account in the payload. */
export const dormancyHandler: TimerHandler = (timer) => ({
  commands: [{ type: 'NotifyDormantAccount', data: timer.payload ?? null }],
});

/** Returns the Right value, or throws with the Left (bigints shown): for tests only. */
export const unwrap = <A>(either: E.Either<unknown, A>): A => {
  if (E.isLeft(either))
    throw new Error(`expected Right, got ${JSON.stringify(either.left, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`);
  return either.right;
};

/** Returns every `CommandEmitted` in the store's outbox, as `[type, commandId]`, in global order. */
export const emittedCommands = async (store: EventStore): Promise<readonly (readonly [string, string])[]> => {
  const all = unwrap(
    await store.readAll({ filter: { streamNamePrefixes: ['lethe.outbox-'], eventTypePrefixes: ['CommandEmitted'] } }),
  );
  return all.map((e) => {
    const data = e.data as { readonly commandId: string; readonly command: { readonly type: string } };
    return [data.command.type, data.commandId] as const;
  });
};

/** Resolves once `check` returns true (polling every few milliseconds), or rejects after `timeoutMs`. */
export const eventually = async (check: () => boolean, timeoutMs = 2_000): Promise<void> => {
  for (let waited = 0; !check(); waited += 5) {
    if (waited > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
