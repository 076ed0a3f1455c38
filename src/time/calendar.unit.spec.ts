import * as E from 'fp-ts/lib/Either.js';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  CalendarCodec,
  addMonthsClamped,
  calendar,
  civilOf,
  dayNumberOf,
  endOfLocalDay,
  formatDayNumber,
  isWorkingDay,
  isoWeekdayOf,
  localDateOf,
  localSpans,
  parseLocalDate,
  validateCalendar,
} from './calendar.js';
import { toIso, toLocalIso } from './instant.js';
import type { Calendar } from './types.js';

const day = (s: string): number => {
  const d = parseLocalDate(s);
  if (d === undefined) throw new Error(`bad date ${s}`);
  return d;
};

describe('civil dates', () => {
  it('day numbers agree with Date.UTC over four centuries', () => {
    for (let n = dayNumberOf(1900, 1, 1); n < dayNumberOf(2300, 1, 1); n += 37) {
      const { y, m, d } = civilOf(n);
      expect(Date.UTC(y, m - 1, d) / 86_400_000).toBe(n);
      expect(isoWeekdayOf(n)).toBe(((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1);
    }
  });

  it('adds months clamping at month end', () => {
    expect(formatDayNumber(addMonthsClamped(day('2026-01-31'), 1))).toBe('2026-02-28');
    expect(formatDayNumber(addMonthsClamped(day('2028-01-31'), 1))).toBe('2028-02-29');
    expect(formatDayNumber(addMonthsClamped(day('2026-03-31'), 1))).toBe('2026-04-30');
    expect(formatDayNumber(addMonthsClamped(day('2026-11-30'), 3))).toBe('2027-02-28');
    expect(formatDayNumber(addMonthsClamped(day('2028-02-29'), 12))).toBe('2029-02-28');
    expect(formatDayNumber(addMonthsClamped(day('2026-01-15'), 0))).toBe('2026-01-15');
  });

  it('parses only real dates', () => {
    expect(parseLocalDate('2026-02-29')).toBeUndefined();
    expect(parseLocalDate('2028-02-29')).toBe(dayNumberOf(2028, 2, 29));
    expect(parseLocalDate('2026-13-01')).toBeUndefined();
    expect(parseLocalDate('2026-1-01')).toBeUndefined();
  });
});

describe('local days in a zone', () => {
  it('a spring-forward day lasts 23 hours and a fall-back day 25', () => {
    const paris = IANAZone.create('Europe/Paris');
    const spring = localSpans(paris, day('2026-03-29') * 86_400_000, day('2026-03-30') * 86_400_000);
    const autumn = localSpans(paris, day('2026-10-25') * 86_400_000, day('2026-10-26') * 86_400_000);
    expect(spring.map((s) => s.to - s.from)).toEqual([23 * 3_600_000]);
    expect(autumn.map((s) => s.to - s.from)).toEqual([25 * 3_600_000]);
  });

  it('wall time skipped by the clock has no instants; wall time shown twice has two stretches', () => {
    const paris = IANAZone.create('Europe/Paris');
    const base = day('2026-03-29') * 86_400_000;
    expect(localSpans(paris, base + 2 * 3_600_000, base + 2.5 * 3_600_000)).toEqual([]);
    const fold = day('2026-10-25') * 86_400_000;
    const twice = localSpans(paris, fold + 2 * 3_600_000, fold + 2.5 * 3_600_000);
    expect(twice.map((s) => [toIso(s.from), toIso(s.to)])).toEqual([
      ['2026-10-25T00:00:00.000Z', '2026-10-25T00:30:00.000Z'],
      ['2026-10-25T01:00:00.000Z', '2026-10-25T01:30:00.000Z'],
    ]);
  });

  it('ends a day at its last millisecond, even where clocks change at midnight', () => {
    // Chile falls back at 24:00 to 23:00: 4 April 2026 has two 23:xx hours and ends at the second.
    const santiagoAutumn = endOfLocalDay('2026-04-04', 'America/Santiago');
    expect(toIso(santiagoAutumn ?? 0)).toBe('2026-04-05T03:59:59.999Z');
    expect(toLocalIso((santiagoAutumn ?? 0) + 1, 'America/Santiago')).toBe('2026-04-05T00:00:00.000-04:00');
    // Chile springs forward at 24:00 to 01:00: 6 September 2026 has no midnight.
    const santiagoSpring = endOfLocalDay('2026-09-05', 'America/Santiago');
    expect(toLocalIso(santiagoSpring ?? 0, 'America/Santiago')).toBe('2026-09-05T23:59:59.999-04:00');
    expect(toLocalIso((santiagoSpring ?? 0) + 1, 'America/Santiago')).toBe('2026-09-06T01:00:00.000-03:00');
    // Beirut fell back at midnight on 30 October 2022.
    expect(toIso(endOfLocalDay('2022-10-29', 'Asia/Beirut') ?? 0)).toBe('2022-10-29T21:59:59.999Z');
    // Samoa skipped 30 December 2011 entirely: that day "ends" when 31 December starts.
    expect(toLocalIso((endOfLocalDay('2011-12-30', 'Pacific/Apia') ?? 0) + 1, 'Pacific/Apia')).toBe('2011-12-31T00:00:00.000+14:00');
  });

  it('gives the local date of an instant, and undefined for bad input', () => {
    expect(localDateOf(Date.UTC(2026, 0, 30, 23, 30), 'Europe/Paris')).toBe('2026-01-31');
    expect(localDateOf(Date.UTC(2026, 0, 30, 23, 30), 'America/New_York')).toBe('2026-01-30');
    expect(localDateOf(0, 'Nowhere/Special')).toBeUndefined();
    expect(endOfLocalDay('2026-02-30', 'Europe/Paris')).toBeUndefined();
  });
});

describe('calendar() and isWorkingDay', () => {
  it('fills defaults: Saturday and Sunday off, no holidays, no opening hours', () => {
    expect(calendar({ zone: 'Europe/Dublin' })).toEqual({ zone: 'Europe/Dublin', weekend: [6, 7], holidays: [] });
  });

  it('treats weekend days, listed holidays and provider holidays as non-working', () => {
    const isHoliday = (d: string): boolean => d.endsWith('-12-25');
    const c = calendar({ zone: 'Europe/Dublin', holidays: ['2026-03-17'], isHoliday });
    expect(isWorkingDay(c, '2026-03-16')).toBe(true);
    expect(isWorkingDay(c, '2026-03-17')).toBe(false);
    expect(isWorkingDay(c, '2026-03-21')).toBe(false);
    expect(isWorkingDay(c, '2026-12-25')).toBe(false);
    expect(isWorkingDay(c, '2026-12-24')).toBe(true);
    expect(isWorkingDay(calendar({ zone: 'Asia/Dubai', weekend: [6, 7] }), '2026-01-30')).toBe(true);
    expect(isWorkingDay(calendar({ zone: 'Asia/Riyadh', weekend: [5, 6] }), '2026-01-30')).toBe(false);
    expect(isWorkingDay(c, 'not a date')).toBe(false);
  });
});

describe('validateCalendar and CalendarCodec', () => {
  const ok: Calendar = {
    zone: 'Europe/Paris',
    weekend: [6, 7],
    holidays: ['2026-05-01'],
    openingHours: { '1': [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '18:00' }], '5': [{ from: '00:00', to: '24:00' }] },
    name: 'Paris office',
  };

  it('accepts a good calendar', () => {
    expect(validateCalendar(ok)).toEqual(E.right(ok));
    expect(CalendarCodec.decode(ok)).toEqual(E.right(ok));
    expect(CalendarCodec.is(ok)).toBe(true);
    expect(CalendarCodec.is({ zone: 'Europe/Paris' })).toBe(false);
    expect(CalendarCodec.is({ ...ok, zone: 'Europe/Pariss' })).toBe(false);
  });

  it('fills defaults and drops unknown fields on decode; encodes with defaults written out', () => {
    expect(CalendarCodec.decode({ zone: 'Europe/Paris', extra: 1 })).toEqual(E.right({ zone: 'Europe/Paris', weekend: [6, 7], holidays: [] }));
    expect(CalendarCodec.encode(calendar({ zone: 'Europe/Paris' }))).toEqual({ zone: 'Europe/Paris', weekend: [6, 7], holidays: [] });
  });

  const failure = (u: unknown): string => {
    const r = CalendarCodec.decode(u);
    if (E.isRight(r)) throw new Error(`expected ${JSON.stringify(u)} to be rejected`);
    return PathReporter.report(r).join('\n');
  };

  it.each<[string, unknown, RegExp]>([
    ['an unknown zone', { zone: 'Europe/Pariss' }, /calendar zone: "Europe\/Pariss" is not an IANA time zone/],
    ['a fixed offset instead of a zone', { zone: '+01:00' }, /is not an IANA time zone/],
    ['weekend day 0', { zone: 'UTC', weekend: [0] }, /calendar weekend\[0\]: 0 is not an ISO weekday/],
    ['weekend day 1.5', { zone: 'UTC', weekend: [1.5] }, /weekend\[0\]/],
    ['an impossible holiday', { zone: 'UTC', holidays: ['2026-02-30'] }, /calendar holidays\[0\]: "2026-02-30" is not a date/],
    ['a holiday in another format', { zone: 'UTC', holidays: ['30/01/2026'] }, /holidays\[0\]/],
    ['a bad weekday key', { zone: 'UTC', openingHours: { Mon: [] } }, /openingHours.Mon: "Mon" is not an ISO weekday key/],
    ['a bad time', { zone: 'UTC', openingHours: { '1': [{ from: '9:00', to: '18:00' }] } }, /openingHours.1\[0\].from: "9:00" is not a time HH:mm/],
    ['24:00 as a start', { zone: 'UTC', openingHours: { '1': [{ from: '24:00', to: '24:00' }] } }, /openingHours.1\[0\].from/],
    ['from after to', { zone: 'UTC', openingHours: { '1': [{ from: '18:00', to: '09:00' }] } }, /18:00-09:00 does not end after it starts/],
    ['an empty interval', { zone: 'UTC', openingHours: { '1': [{ from: '09:00', to: '09:00' }] } }, /does not end after it starts/],
    ['overlapping intervals', { zone: 'UTC', openingHours: { '1': [{ from: '09:00', to: '13:00' }, { from: '12:00', to: '18:00' }] } }, /overlaps/],
    ['opening hours on a weekend day', { zone: 'UTC', openingHours: { '6': [{ from: '09:00', to: '13:00' }] } }, /weekday 6 is a weekend day/],
    ['a missing zone', { weekend: [6, 7] }, /zone/],
    ['a number', 42, /Calendar/],
  ])('rejects %s', (_, input, message) => {
    expect(failure(input)).toMatch(message);
  });

  it('validateCalendar reports the zone with its own tag', () => {
    expect(validateCalendar({ zone: 'Nowhere', weekend: [], holidays: [] })).toMatchObject(E.left({ _tag: 'InvalidZone', zone: 'Nowhere' }));
    expect(validateCalendar({ zone: 'UTC', weekend: [8], holidays: [] })).toMatchObject(E.left({ _tag: 'InvalidCalendar', path: 'weekend[0]' }));
  });
});
