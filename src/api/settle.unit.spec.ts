import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { DispatchReport } from '../engine/outbox.js';
import { settle, type Settleable } from './settle.js';

const report = (acknowledged: string[] = [], extra: Partial<DispatchReport> = {}): DispatchReport => ({
  acknowledged,
  retrying: [],
  failed: [],
  unhandled: [],
  contended: [],
  ...extra,
});

// A scripted engine: each round's catch-up count and dispatch report, then quiet.
const scripted = (rounds: readonly [number, DispatchReport][]): Settleable & { readonly calls: number[] } => {
  let i = 0;
  const calls: number[] = [];
  return {
    calls,
    catchUp: () => Promise.resolve(E.right({ processed: rounds[i]?.[0] ?? 0, position: undefined })),
    dispatch: (now) => {
      calls.push(now ?? -1);
      const r = rounds[i]?.[1] ?? report();
      i++;
      return Promise.resolve(E.right(r));
    },
  };
};

describe('settle', () => {
  it('runs rounds until one processes nothing and hands nothing, dispatching at the given instant', async () => {
    const engine = scripted([
      [3, report(['a'])],
      [0, report(['b'], { retrying: ['c'] })],
      [2, report([], { failed: ['c'] })],
    ]);
    const r = await settle(engine, 1_000);
    expect(r).toEqual(E.right({ rounds: 4, processed: 5, dispatched: 4, failed: ['c'], retrying: [] }));
    expect(engine.calls).toEqual([1_000, 1_000, 1_000, 1_000]);
  });

  it('a pending command with no handler (unhandled) does not keep it busy; a loop is reported', async () => {
    expect(await settle(scripted([[0, report([], { unhandled: ['x'] })]]), 0)).toEqual(
      E.right({ rounds: 1, processed: 0, dispatched: 0, failed: [], retrying: [] }),
    );
    const busy: Settleable = {
      catchUp: () => Promise.resolve(E.right({ processed: 1, position: undefined })),
      dispatch: () => Promise.resolve(E.right(report(['again']))),
    };
    expect(await settle(busy, 0, 5)).toEqual(E.left({ _tag: 'SettleDidNotConverge', rounds: 5 }));
  });

  it('returns the engine error as it is', async () => {
    const failing: Settleable = {
      catchUp: () => Promise.resolve(E.left({ _tag: 'StoreUnavailable', reason: 'down' } as never)),
      dispatch: () => Promise.resolve(E.right(report())),
    };
    expect(await settle(failing, 0)).toEqual(E.left({ _tag: 'StoreUnavailable', reason: 'down' }));
  });
});
