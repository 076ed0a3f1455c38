import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { Decider } from '../../engine/decider.js';
import { personalPaths } from '../personal.js';
import { deriveId } from '../shared.js';
import type { PolicyCommand } from './commands.js';
import { PolicyCommand as PolicyCommandCodec } from './commands.js';
import { policyDecider } from './decider.js';
import type { PolicyRejection, PolicyState } from './decider.js';
import { PolicyEvent, PolicyVersionPublished, policyStreamId } from './events.js';

// The engine folds this decider through its generic interface: a type error here means the engine cannot use it.
const asEngineDecider: Decider<PolicyCommand, PolicyState, PolicyEvent, PolicyRejection> = policyDecider;

const decodeData = (value: unknown): PolicyVersionPublished['data'] => {
  const r = PolicyVersionPublished.props.data.decode(value);
  if (E.isLeft(r)) throw new Error('test fixture does not decode');
  return r.right;
};

const given = (events: readonly PolicyEvent[]) => ({
  when: (command: PolicyCommand) => {
    const state = events.reduce(asEngineDecider.evolve, asEngineDecider.initialState());
    const result = asEngineDecider.decide(command, state);
    expect(PolicyCommandCodec.is(command)).toBe(true);
    return {
      then: (expected: readonly PolicyEvent[]): void => {
        expect(result).toEqual(E.right(expected));
        if (E.isRight(result)) for (const e of result.right) expect(PolicyEvent.is(e)).toBe(true);
      },
      thenRejects: (expected: PolicyRejection): void => {
        expect(result).toEqual(E.left(expected));
      },
    };
  },
});

const v1 = decodeData({
  version: '2026.1',
  effectiveFrom: '2026-01-01T00:00:00Z',
  publishedAt: '2025-12-15T09:00:00Z',
  meaningfullyReducesRights: false,
});
const v2 = decodeData({
  version: '2026.2',
  effectiveFrom: '2026-07-01T00:00:00Z',
  publishedAt: '2026-06-01T09:00:00Z',
  meaningfullyReducesRights: true,
  summary: 'Analytics cookies now need consent',
});
const published = (data: PolicyVersionPublished['data']): PolicyEvent => ({ type: 'PolicyVersionPublished', data });
const publish = (data: PolicyVersionPublished['data']): PolicyCommand => ({ type: 'PublishPolicyVersion', data });

describe('policy decider', () => {
  it('given nothing, when a version is published, then PolicyVersionPublished; a later one follows', () => {
    given([]).when(publish(v1)).then([published(v1)]);
    given([published(v1)]).when(publish(v2)).then([published(v2)]);
  });

  it('given a version, when it is published again identical (a retry), then nothing; with other data, then PolicyVersionConflict', () => {
    given([published(v1), published(v2)]).when(publish({ ...v1 })).then([]);
    given([published(v1)])
      .when(publish({ ...v1, meaningfullyReducesRights: true }))
      .thenRejects({ _tag: 'PolicyVersionConflict', version: v1.version });
  });

  it('given a version, when a new one takes effect before it, then EffectiveFromBeforePrevious; at the same instant, accepted', () => {
    const early = decodeData({ ...v2, version: '2025.9', effectiveFrom: '2026-06-30T23:59:59Z' });
    given([published(v1), published(v2)]).when(publish(early)).thenRejects({
      _tag: 'EffectiveFromBeforePrevious',
      version: early.version,
      effectiveFrom: early.effectiveFrom,
      previousVersion: v2.version,
      previousEffectiveFrom: v2.effectiveFrom,
    });
    const same = decodeData({ ...v2, version: '2026.2a', effectiveFrom: '2026-07-01T02:00:00+02:00' });
    given([published(v2)]).when(publish(same)).then([published(same)]);
  });

  it('has no personal field, and the stream id is derived from the name', () => {
    expect(personalPaths(PolicyVersionPublished)).toEqual([]);
    expect(policyStreamId('Example SAS')).toBe(deriveId('policy', 'Example SAS'));
    expect(policyStreamId('Example SAS')).not.toBe(policyStreamId('Other SAS'));
  });
});
