import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IsoInstant } from '../model/shared.js';
import { isIsoDateTime } from '../engine/metadata.js';
import { isIsoDateTimeText } from './isoText.js';

/** The definition the scanner replaces: the pattern, Date.parse, and (optionally) the calendar date. */
const PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const oracle = (s: string, calendarDate: boolean): boolean => {
  if (!PATTERN.test(s) || Number.isNaN(Date.parse(s))) return false;
  if (!calendarDate) return true;
  const [year, month, day] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

const two = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((n) => String(n).padStart(2, '0'));
/** Strings of the right shape with every field drawn past its valid range, and near misses. */
const shaped = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 4, 100, 1900, 2000, 2024, 2100, 2400)),
    month: two(0, 19),
    day: two(0, 39),
    hour: two(0, 29),
    minute: two(0, 69),
    second: fc.option(two(0, 69)),
    fraction: fc.option(fc.integer({ min: 0, max: 11 }).map((n) => '.' + '7'.repeat(n))),
    zone: fc.oneof(
      fc.constantFrom('Z', 'z', '', '+0100', 'Z '),
      fc.tuple(fc.constantFrom('+', '-'), two(0, 29), two(0, 69)).map(([sign, h, m]) => `${sign}${h}:${m}`),
    ),
  })
  .map(
    (p) =>
      `${String(p.year).padStart(4, '0')}-${p.month}-${p.day}T${p.hour}:${p.minute}` +
      (p.second === null ? (p.fraction ?? '') : `:${p.second}${p.fraction ?? ''}`) +
      p.zone,
  );
/** A valid-looking date-time with one character replaced: separators, digits, lengths. */
const mutated = fc
  .tuple(shaped, fc.nat(), fc.constantFrom('-', ':', 'T', '.', 'Z', '+', '1', 'x', ' ', '٣'))
  .map(([s, at, c]) => (s.length === 0 ? s : s.slice(0, at % s.length) + c + s.slice((at % s.length) + 1)));

describe('isIsoDateTimeText', () => {
  it('answers as the pattern with Date.parse does, with and without the calendar-date check', () => {
    fc.assert(
      fc.property(fc.oneof(shaped, mutated, fc.string()), (s) => {
        expect(isIsoDateTimeText(s, true)).toBe(oracle(s, true));
        expect(isIsoDateTimeText(s, false)).toBe(oracle(s, false));
      }),
      { numRuns: 30_000 },
    );
  });

  it('decides the unusual cases as Date.parse does', () => {
    expect(isIsoDateTimeText('2026-01-31T24:00:00Z', true)).toBe(true); // the end of the day
    expect(isIsoDateTimeText('2026-01-31T24:00:00.5Z', true)).toBe(false);
    expect(isIsoDateTimeText('2026-01-31T23:59:60Z', true)).toBe(false); // no leap seconds
    expect(isIsoDateTimeText('2026-01-31T09:00:00+24:00', true)).toBe(false);
    expect(isIsoDateTimeText('2026-02-31T09:00:00Z', false)).toBe(true); // Date.parse rolls it over
    expect(isIsoDateTimeText('2026-02-31T09:00:00Z', true)).toBe(false);
    expect(isIsoDateTimeText('2000-02-29T09:00Z', true)).toBe(true);
    expect(isIsoDateTimeText('1900-02-29T09:00Z', true)).toBe(false);
    expect(isIsoDateTimeText('0000-02-29T09:00Z', true)).toBe(true); // year 0 is a leap year
    expect(isIsoDateTimeText('2026-01-31T09:00:00.1234567891Z', true)).toBe(false);
  });

  it('is what the IsoInstant and IsoDateTime codecs use', () => {
    expect(IsoInstant.is('2026-02-31T09:00:00Z')).toBe(true);
    expect(isIsoDateTime('2026-02-31T09:00:00Z')).toBe(false);
    expect(IsoInstant.is('2026-01-31T09:00:00')).toBe(false);
    expect(isIsoDateTime(20260131)).toBe(false);
  });
});
