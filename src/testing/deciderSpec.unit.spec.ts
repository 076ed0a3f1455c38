import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { accountDecider } from '../engine/testAccount.fixture.js';
import { deciderSpec } from './deciderSpec.js';

const accountId = '0b5b8f8e-2f7c-4d8e-9b57-3a3c5b1c9d10';
const opened = { type: 'AccountOpened', data: { accountId } } as const;
const spec = deciderSpec(accountDecider);

describe('deciderSpec', () => {
  it('passes when the command produces exactly the expected events', () => {
    spec.given([opened]).when({ type: 'Deposit', data: { accountId, amount: 10 } }).then([
      { type: 'Deposited', data: { accountId, amount: 10 } },
    ]);
  });

  it('fails when the events differ', () => {
    expect(() =>
      spec.given([opened]).when({ type: 'Deposit', data: { accountId, amount: 10 } }).then([
        { type: 'Deposited', data: { accountId, amount: 11 } },
      ]),
    ).toThrow();
  });

  it('fails `then` when the command is rejected, naming the rejection tag', () => {
    expect(() => spec.given([]).when({ type: 'Deposit', data: { accountId, amount: 10 } }).then([])).toThrow(
      /AccountNotOpen/,
    );
  });

  it('passes thenRejects with an equal rejection or a satisfied predicate', () => {
    const withdraw = spec.given([opened]).when({ type: 'Withdraw', data: { accountId, amount: 5 } });
    withdraw.thenRejects({ _tag: 'InsufficientFunds', balance: 0, amount: 5 });
    withdraw.thenRejects((r) => r._tag === 'InsufficientFunds');
  });

  it('fails thenRejects when the rejection differs, the predicate refuses, or the command is accepted', () => {
    const withdraw = spec.given([opened]).when({ type: 'Withdraw', data: { accountId, amount: 5 } });
    expect(() => withdraw.thenRejects({ _tag: 'AccountNotOpen' })).toThrow();
    expect(() => withdraw.thenRejects((r) => r._tag === 'AccountNotOpen')).toThrow(/predicate/);
    expect(() => spec.given([]).when({ type: 'OpenAccount', data: { accountId } }).thenRejects({ _tag: 'AccountAlreadyOpen' })).toThrow(
      /produced 1 event/,
    );
  });

  it('folds the given events before deciding', () => {
    spec
      .given([opened, { type: 'Deposited', data: { accountId, amount: 7 } }])
      .when({ type: 'CloseAccount', data: { accountId } })
      .then([
        { type: 'Withdrawn', data: { accountId, amount: 7 } },
        { type: 'AccountClosed', data: { accountId } },
      ]);
    spec.given([opened]).when({ type: 'CloseAccount', data: { accountId } }).thenState({ status: 'closed', balance: 0 });
  });

  it('exposes the raw result and refuses to be awaited', async () => {
    const when = spec.given([]).when({ type: 'OpenAccount', data: { accountId } });
    expect(E.isRight(when.result())).toBe(true);
    await expect(Promise.resolve().then(() => when)).rejects.toThrow(/awaited/);
  });

  it('thenNothingHappens fails when events are produced', () => {
    expect(() => spec.given([]).when({ type: 'OpenAccount', data: { accountId } }).thenNothingHappens()).toThrow();
  });
});
