import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { deriveId, eventIdFor, isLetheStreamName, isUuid, kindOfStream, streamNameFor } from './ids.js';
import { decodeWith, encodeForStore, isIsoDateTime } from './metadata.js';

const ConsentEvent = t.union([
  t.type({ type: t.literal('ConsentGranted'), data: t.type({ purpose: t.string, items: t.array(t.type({ amount: t.number })) }) }),
  t.type({ type: t.literal('ConsentWithdrawn'), data: t.type({ reason: t.string }) }),
]);

describe('codec failures name the path, never the value', () => {
  it('names data.purpose for a bad field inside a tagged union', () => {
    const result = decodeWith(ConsentEvent, { type: 'ConsentGranted', data: { purpose: 42, items: [] } });
    expect(result).toEqual(E.left({ path: 'data.purpose', paths: ['data.purpose'] }));
  });

  it('names array indices and unknown tags', () => {
    const nested = decodeWith(ConsentEvent, { type: 'ConsentGranted', data: { purpose: 'x', items: [{ amount: 1 }, { amount: 'no' }] } });
    expect(E.isLeft(nested) && nested.left.path).toBe('data.items.1.amount');
    const unknownTag = decodeWith(ConsentEvent, { type: 'Nope', data: {} });
    expect(E.isLeft(unknownTag) && unknownTag.left.path).toBe('');
  });

  it('encodeForStore refuses values the codec would not read back, and non-JSON values', () => {
    const bad = encodeForStore(ConsentEvent, { type: 'ConsentWithdrawn', data: { reason: undefined as unknown as string } });
    expect(E.isLeft(bad) && bad.left.path).toBe('data.reason');
    const nan = encodeForStore(t.type({ type: t.string, data: t.type({ n: t.number }) }), { type: 'X', data: { n: Number.NaN } });
    expect(E.isLeft(nan) && nan.left.path).toBe('data.n');
    const secret = 'alice@example.com';
    const leaky = encodeForStore(ConsentEvent, { type: 'ConsentWithdrawn', data: { reason: { secret } as unknown as string } });
    expect(JSON.stringify(leaky)).not.toContain(secret);
  });

  it('accepts only ISO date-times with a zone', () => {
    expect(isIsoDateTime('2026-01-31T09:00:00Z')).toBe(true);
    expect(isIsoDateTime('2026-01-31T09:00:00.123+01:00')).toBe(true);
    expect(isIsoDateTime('2026-01-31')).toBe(false);
    expect(isIsoDateTime('2026-02-31T09:00:00')).toBe(false);
    expect(isIsoDateTime('2026-02-31T09:00:00Z')).toBe(false);
    expect(isIsoDateTime('2028-02-29T09:00:00Z')).toBe(true);
    expect(isIsoDateTime('yesterday')).toBe(false);
  });
});

describe('ids and stream names', () => {
  it('derives the same uuid for the same inputs and different ones for different inputs', () => {
    expect(eventIdFor('cmd-1', 0)).toBe(eventIdFor('cmd-1', 0));
    expect(eventIdFor('cmd-1', 0)).not.toBe(eventIdFor('cmd-1', 1));
    expect(deriveId('a:b', 'c')).not.toBe(deriveId('a', 'b:c'));
    expect(isUuid(eventIdFor('cmd-1', 0))).toBe(true);
  });

  it('accepts only lethe.<kind>-<uuid> stream names', () => {
    const id = '0b5b8f8e-2f7c-4d8e-9b57-3a3c5b1c9d10';
    expect(isLetheStreamName('consent', streamNameFor('consent', id))).toBe(true);
    expect(isLetheStreamName('consent', 'lethe.consent-alice@example.com')).toBe(false);
    expect(isLetheStreamName('consent', streamNameFor('subject', id))).toBe(false);
    expect(kindOfStream(streamNameFor('retention', id))).toBe('retention');
    expect(kindOfStream('other.retention-x')).toBeUndefined();
  });
});
