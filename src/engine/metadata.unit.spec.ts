import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { deriveId, eventIdFor, isLetheStreamName, isUuid, kindOfStream, streamNameFor } from './ids.js';
import { decodesUnchanged, decodeUnchanged, decodeWith, encodeForStore, isIsoDateTime } from './metadata.js';

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
    expect(isIsoDateTime('2026-01-31T24:00:00Z')).toBe(true); // Date.parse takes the end of the day
    expect(isIsoDateTime('2026-01-31T23:59:60Z')).toBe(false); // and no leap second
    expect(isIsoDateTime('2026-01-31T09:00:00+24:00')).toBe(false);
    expect(isIsoDateTime('2026-13-01T09:00:00Z')).toBe(false);
    expect(isIsoDateTime('1900-02-29T09:00:00Z')).toBe(false);
    expect(isIsoDateTime('2000-02-29T09:00:00Z')).toBe(true);
  });

});

describe('ids and stream names', () => {
  it('derives the same uuid for the same inputs and different ones for different inputs', () => {
    expect(eventIdFor('lethe.a-1', 'cmd-1', 0)).toBe(eventIdFor('lethe.a-1', 'cmd-1', 0));
    expect(eventIdFor('lethe.a-1', 'cmd-1', 0)).not.toBe(eventIdFor('lethe.a-1', 'cmd-1', 1));
    // One command id on two streams: two different event ids.
    expect(eventIdFor('lethe.a-1', 'cmd-1', 0)).not.toBe(eventIdFor('lethe.a-2', 'cmd-1', 0));
    expect(deriveId('a:b', 'c')).not.toBe(deriveId('a', 'b:c'));
    expect(isUuid(eventIdFor('lethe.a-1', 'cmd-1', 0))).toBe(true);
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

describe('decodeUnchanged: the replay fast path', () => {
  const Cents = new t.Type<number, string, unknown>(
    'CentsFromString',
    (u): u is number => typeof u === 'number',
    (u, c) => (typeof u === 'string' && /^\d+$/.test(u) ? t.success(Number(u)) : t.failure(u, c)),
    String,
  );

  it('knows which codecs return their input unchanged', () => {
    expect(decodesUnchanged(ConsentEvent)).toBe(true);
    expect(decodesUnchanged(t.intersection([t.type({ a: t.string }), t.partial({ b: t.array(t.number) })]))).toBe(true);
    expect(decodesUnchanged(t.record(t.string, t.union([t.literal('x'), t.null])))).toBe(true);
    expect(decodesUnchanged(t.brand(t.string, (s): s is t.Branded<string, { readonly B: unique symbol }> => s !== '', 'B'))).toBe(true);
    // exact strips unknown keys, a custom type with an encoder transforms, and so does anything holding one
    expect(decodesUnchanged(t.exact(t.type({ a: t.string })))).toBe(false);
    expect(decodesUnchanged(Cents)).toBe(false);
    expect(decodesUnchanged(t.type({ amount: Cents }))).toBe(false);
    expect(decodesUnchanged(t.union([t.type({ a: t.string }), t.array(Cents)]))).toBe(false);
    expect(decodesUnchanged(t.recursion<string>("R", () => t.string))).toBe(false);
  });

  it('returns a valid input itself, and fails exactly as a full decode does', () => {
    const good = { type: 'ConsentWithdrawn', data: { reason: 'asked' } };
    const decoded = decodeUnchanged(ConsentEvent, good);
    expect(E.isRight(decoded) && decoded.right).toBe(good);
    const bad = { type: 'ConsentGranted', data: { purpose: 'x', items: [{ amount: 'ten' }] } };
    expect(decodeUnchanged(ConsentEvent, bad)).toEqual(decodeWith(ConsentEvent, bad));
    expect(E.isLeft(decodeUnchanged(ConsentEvent, bad))).toBe(true);
  });

  it('runs the full decode for a transforming codec, so its output is the decoded value', () => {
    const Amount = t.type({ amount: Cents });
    expect(decodeUnchanged(Amount, { amount: '250' })).toEqual(E.right({ amount: 250 }));
    const Exact = t.exact(t.type({ a: t.string }));
    expect(decodeUnchanged(Exact, { a: 'x', extra: 1 })).toEqual(E.right({ a: 'x' }));
  });
});
