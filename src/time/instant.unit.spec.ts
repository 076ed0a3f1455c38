import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { instantFromIso, isValidInstant, isValidZone, toIso, toLocalIso } from './instant.js';

describe('instantFromIso', () => {
  it.each([
    ['2026-01-30T17:00:00+01:00', Date.UTC(2026, 0, 30, 16)],
    ['2026-01-30T16:00:00Z', Date.UTC(2026, 0, 30, 16)],
    ['2026-01-30T16:00:00.123Z', Date.UTC(2026, 0, 30, 16, 0, 0, 123)],
    ['2026-01-30T16:00Z', Date.UTC(2026, 0, 30, 16)],
    ['2026-01-30T21:30:00+0530', Date.UTC(2026, 0, 30, 16)],
    ['2026-01-30T13:00:00-03', Date.UTC(2026, 0, 30, 16)],
    ['2026-01-31T05:45:00+13:45', Date.UTC(2026, 0, 30, 16)],
  ])('reads %s', (text, expected) => {
    expect(instantFromIso(text)).toEqual(E.right(expected));
  });

  it('rejects a local time without offset as ambiguous', () => {
    const r = instantFromIso('2026-01-30T17:00:00');
    expect(r).toMatchObject(E.left({ _tag: 'InvalidInstant', input: '2026-01-30T17:00:00', reason: expect.stringMatching(/no offset/) }));
    expect(instantFromIso('2026-01-30')).toMatchObject(E.left({ reason: expect.stringMatching(/no offset/) }));
  });

  it('rejects dates and times that do not exist, and other formats', () => {
    expect(instantFromIso('2026-02-30T10:00:00Z')).toMatchObject(E.left({ reason: expect.stringMatching(/not a real date/) }));
    expect(instantFromIso('2026-01-30T24:00:00Z')).toMatchObject(E.left({ _tag: 'InvalidInstant' }));
    expect(instantFromIso('2026-01-30T10:60:00Z')).toMatchObject(E.left({ _tag: 'InvalidInstant' }));
    expect(instantFromIso('2026-W05-5T10:00:00Z')).toMatchObject(E.left({ reason: expect.stringMatching(/not an ISO 8601 date-time/) }));
    expect(instantFromIso('yesterday')).toMatchObject(E.left({ _tag: 'InvalidInstant' }));
    expect(instantFromIso('')).toMatchObject(E.left({ _tag: 'InvalidInstant' }));
  });
});

describe('toIso and toLocalIso', () => {
  it('formats in UTC with milliseconds and round-trips through instantFromIso', () => {
    const i = Date.UTC(2026, 10, 20, 16, 0, 0, 5);
    expect(toIso(i)).toBe('2026-11-20T16:00:00.005Z');
    expect(instantFromIso(toIso(i))).toEqual(E.right(i));
  });

  it('formats local time with the offset in force at that instant', () => {
    expect(toLocalIso(Date.UTC(2026, 10, 20, 16), 'Europe/Paris')).toBe('2026-11-20T17:00:00.000+01:00');
    expect(toLocalIso(Date.UTC(2026, 6, 20, 16), 'Europe/Paris')).toBe('2026-07-20T18:00:00.000+02:00');
    expect(toLocalIso(Date.UTC(2026, 0, 30, 16), 'Pacific/Chatham')).toBe('2026-01-31T05:45:00.000+13:45');
    expect(toLocalIso(Date.UTC(2026, 0, 30, 16), 'Asia/Kolkata')).toBe('2026-01-30T21:30:00.000+05:30');
    expect(toLocalIso(Date.UTC(2026, 0, 30, 16), 'UTC')).toBe('2026-01-30T16:00:00.000+00:00');
    const i = Date.UTC(2026, 2, 29, 0, 59, 59, 999);
    expect(instantFromIso(toLocalIso(i, 'Europe/Berlin'))).toEqual(E.right(i));
  });

  it('never throws on invalid input', () => {
    expect(toIso(Number.NaN)).toBe('<invalid instant: NaN>');
    expect(toIso(Number.POSITIVE_INFINITY)).toBe('<invalid instant: Infinity>');
    expect(toLocalIso(0, 'Mars/Olympus')).toBe('<invalid zone: Mars/Olympus>');
    expect(isValidInstant(8.64e15 + 1)).toBe(false);
    expect(isValidInstant(0)).toBe(true);
  });

  it('knows IANA zones', () => {
    expect(isValidZone('America/Sao_Paulo')).toBe(true);
    expect(isValidZone('Europe/Pariss')).toBe(false);
    expect(isValidZone('+01:00')).toBe(false);
  });
});
