/**
 * Property tests of computeDeadline against an independent oracle written here: plain `Date`
 * UTC arithmetic for civil dates and `Intl.DateTimeFormat` for local dates, weekdays and wall
 * times. Nothing from the implementation is reused except the function under test.
 */
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDeadline } from './deadline.js';
import type { CalendarRuntime, CountingRules, Deadline, OpeningInterval, Period, PeriodUnit } from './types.js';

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (zone: string): Intl.DateTimeFormat => {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
};

/** The local date `YYYY-MM-DD` and minute of the day of instant `t` in `zone`, per Intl. */
const wall = (t: number, zone: string): { readonly date: string; readonly minute: number } => {
  const parts = Object.fromEntries(formatterFor(zone).formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minute: Number(parts.hour) * 60 + Number(parts.minute) };
};
const localDate = (t: number, zone: string): string => wall(t, zone).date;

const addDays = (date: string, n: number): string => {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, (d ?? 1) + n)).toISOString().slice(0, 10);
};
const isoWeekday = (date: string): number => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** `date` + `months` calendar months, clamped to the target month's last day. */
const addMonthsOracle = (date: string, months: number): string => {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1 + months, 1));
  const lastOfMonth = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d ?? 1, lastOfMonth))).toISOString().slice(0, 10);
};

const oracleWorking = (cal: CalendarRuntime) => (date: string): boolean =>
  !cal.weekend.includes(isoWeekday(date)) && !cal.holidays.includes(date) && !(cal.isHoliday?.(date) ?? false);

/** `dueAt` is the last millisecond of local date `date`. */
const expectEndOfLocalDay = (dueAt: number, date: string, zone: string): void => {
  expect(localDate(dueAt, zone)).toBe(date);
  expect(localDate(dueAt + 1, zone)).toBe(addDays(date, 1));
};

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const ZONES = [
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Sao_Paulo',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'America/Santiago',
  'Asia/Beirut',
  'UTC',
] as const;

const MIN = Date.UTC(2020, 0, 1);
const MAX = Date.UTC(2032, 11, 31);
// Around clock changes (approximate instants; ±3 days around each) as well as anywhere in 2020-2032.
const CLOCK_CHANGES = [
  Date.UTC(2026, 2, 29, 1), // Europe spring
  Date.UTC(2026, 9, 25, 1), // Europe autumn
  Date.UTC(2026, 2, 8, 7), // New York spring
  Date.UTC(2026, 10, 1, 6), // New York autumn
  Date.UTC(2026, 3, 4, 16), // Sydney autumn
  Date.UTC(2026, 9, 3, 16), // Sydney spring
  Date.UTC(2026, 3, 4, 14), // Chatham autumn
  Date.UTC(2026, 8, 26, 14), // Chatham spring
  Date.UTC(2026, 3, 5, 3), // Santiago autumn, at local midnight
  Date.UTC(2026, 8, 6, 4), // Santiago spring, at local midnight
  Date.UTC(2022, 2, 26, 22), // Beirut spring, at local midnight
  Date.UTC(2022, 9, 29, 21), // Beirut autumn, at local midnight
  Date.UTC(2020, 9, 4, 16), // Sydney spring 2020
];
const instantArb = fc.oneof(
  fc.integer({ min: MIN, max: MAX }),
  fc.tuple(fc.constantFrom(...CLOCK_CHANGES), fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 })).map(([c, d]) => c + d),
);
const zoneArb = fc.constantFrom(...ZONES);
const weekendArb = fc.constantFrom<readonly number[]>([6, 7], [5, 6], [7], [], [1, 3, 5]);
const rulesArb = fc.record<CountingRules>({ convention: fc.constantFrom('eu-1182-71', 'uk-ico'), rollForward: fc.boolean() });

/** A calendar whose holidays lie within 80 days of `start`'s local date, and maybe a holiday function. */
const calendarArb = (start: number, zone: string) =>
  fc
    .record({
      weekend: weekendArb,
      holidayOffsets: fc.uniqueArray(fc.integer({ min: -5, max: 80 }), { maxLength: 12 }),
      thirteenths: fc.boolean(),
    })
    .map(({ weekend, holidayOffsets, thirteenths }): CalendarRuntime => ({
      zone,
      weekend,
      holidays: holidayOffsets.map((o) => addDays(localDate(start, zone), o)),
      ...(thirteenths ? { isHoliday: (d: string) => d.endsWith('-13') } : {}),
    }));

const startCalendarArb = fc
  .tuple(instantArb, zoneArb)
  .chain(([start, zone]) => calendarArb(start, zone).map((calendar) => ({ start, calendar })));

const quarter = (q: number): string => (q === 96 ? '24:00' : `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`);

/** Opening hours on quarter hours, at least 2 hours a day on every non-weekend day, one or two intervals. */
const openingHoursArb = (weekend: readonly number[]) =>
  fc
    .array(
      fc
        .record({ from: fc.integer({ min: 0, max: 80 }), length: fc.integer({ min: 8, max: 40 }), second: fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined }) })
        .map(({ from, length, second }): OpeningInterval[] => {
          const to = Math.min(96, from + length);
          const first = { from: quarter(from), to: quarter(to) };
          if (second === undefined || to + 1 >= 96) return [first];
          return [first, { from: quarter(to + 1), to: quarter(Math.min(96, to + 1 + second)) }];
        }),
      { minLength: 7, maxLength: 7 },
    )
    .map((days) =>
      Object.fromEntries(
        days.flatMap((intervals, i) => (weekend.includes(i + 1) ? [] : [[String(i + 1), intervals] as const])),
      ),
    );

const compute = (start: number, period: Period, calendar: CalendarRuntime, rules?: CountingRules): Deadline => {
  const r = computeDeadline({ start, period, calendar, ...(rules === undefined ? {} : { rules }) });
  if (E.isLeft(r)) throw new Error(`unexpected ${JSON.stringify(r.left)}`);
  return r.right;
};

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('computeDeadline against an independent oracle', () => {
  it('N business days land on a working day, exactly N working days after the day of the event', () => {
    fc.assert(
      fc.property(startCalendarArb, fc.integer({ min: 0, max: 40 }), ({ start, calendar }, n) => {
        fc.pre(calendar.weekend.length < 7);
        const d = compute(start, { unit: 'businessDays', amount: n }, calendar);
        const working = oracleWorking(calendar);
        const startDate = localDate(start, calendar.zone);
        const dueDate = localDate(d.dueAt, calendar.zone);
        expectEndOfLocalDay(d.dueAt, dueDate, calendar.zone);
        expect(working(dueDate)).toBe(true);
        const span = daysBetween(startDate, dueDate);
        const between = Array.from({ length: Math.max(span, 0) }, (_, i) => addDays(startDate, i + 1));
        if (n === 0) {
          // Due on the day of the event if it is a working day, else on the next one.
          const before = Array.from({ length: span }, (_, i) => addDays(startDate, i));
          expect(before.every((date) => !working(date))).toBe(true);
        } else {
          expect(span).toBeGreaterThan(0);
          expect(between.filter(working)).toHaveLength(n);
          expect(d.explanation.skipped.map((s) => s.date)).toEqual(between.filter((date) => !working(date)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('hour periods are exact elapsed time', () => {
    fc.assert(
      fc.property(startCalendarArb, fc.integer({ min: 0, max: 20_000 }), rulesArb, ({ start, calendar }, n, rules) => {
        const d = compute(start, { unit: 'hours', amount: n }, calendar, rules);
        expect(d.dueAt - start).toBe(n * 3_600_000);
        expect(d.explanation.rolledForward).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('months and years end on the same day of the month, clamped at month end, under both conventions', () => {
    fc.assert(
      fc.property(
        startCalendarArb,
        fc.oneof(
          fc.record({ unit: fc.constant<PeriodUnit>('months'), amount: fc.integer({ min: 0, max: 240 }) }),
          fc.record({ unit: fc.constant<PeriodUnit>('years'), amount: fc.integer({ min: 0, max: 30 }) }),
        ),
        fc.constantFrom<CountingRules['convention']>('eu-1182-71', 'uk-ico'),
        ({ start, calendar }, period, convention) => {
          const d = compute(start, period, calendar, { convention, rollForward: false });
          const startDate = localDate(start, calendar.zone);
          const months = period.unit === 'years' ? period.amount * 12 : period.amount;
          const expected = addMonthsOracle(startDate, months);
          expectEndOfLocalDay(d.dueAt, expected, calendar.zone);
          const startDay = Number(startDate.slice(8));
          const dueDay = Number(expected.slice(8));
          const target = new Date(Date.UTC(Number(startDate.slice(0, 4)), Number(startDate.slice(5, 7)) - 1 + months + 1, 0));
          if (startDay <= target.getUTCDate()) expect(dueDay).toBe(startDay);
          else expect(dueDay).toBe(target.getUTCDate());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('calendar days and weeks: +N days (1182/71) or +N-1 days (ICO), then to the next working day when rolling forward', () => {
    fc.assert(
      fc.property(
        startCalendarArb,
        fc.constantFrom<PeriodUnit>('calendarDays', 'weeks'),
        fc.integer({ min: 0, max: 60 }),
        rulesArb,
        ({ start, calendar }, unit, amount, rules) => {
          fc.pre(calendar.weekend.length < 7);
          const d = compute(start, { unit, amount }, calendar, rules);
          const days = unit === 'weeks' ? amount * 7 : amount;
          const startDate = localDate(start, calendar.zone);
          let last = addDays(startDate, rules.convention === 'uk-ico' ? Math.max(days - 1, 0) : days);
          const working = oracleWorking(calendar);
          const rolled = rules.rollForward && !working(last);
          const from = last;
          if (rules.rollForward) while (!working(last)) last = addDays(last, 1);
          expectEndOfLocalDay(d.dueAt, last, calendar.zone);
          expect(d.explanation.rolledForward).toEqual(rolled ? { from, to: last } : undefined);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('working hours end inside (or at the end of) an opening interval, after exactly N hours of opening time', () => {
    const QUARTER = 15 * 60_000;
    const quarterInstantArb = instantArb.map((t) => Math.floor(t / QUARTER) * QUARTER);
    const weekendAndHoursArb = fc
      .constantFrom<readonly number[]>([6, 7], [7], [5, 6])
      .chain((weekend) => openingHoursArb(weekend).map((openingHours) => ({ weekend, openingHours })));
    fc.assert(
      fc.property(
        quarterInstantArb,
        zoneArb,
        weekendAndHoursArb,
        fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 24 }),
        (start, zone, { weekend, openingHours }, holidayOffsets, n) => {
          const calendar: CalendarRuntime = {
            zone,
            weekend,
            holidays: holidayOffsets.map((o) => addDays(localDate(start, zone), o)),
            openingHours,
          };
          const d = compute(start, { unit: 'workingHours', amount: n }, calendar);
          const working = oracleWorking(calendar);
          const isOpen = (t: number): boolean => {
            const w = wall(t, zone);
            if (!working(w.date)) return false;
            return (openingHours[String(isoWeekday(w.date))] ?? []).some((i) => {
              const [fh, fm] = i.from.split(':').map(Number);
              const [th, tm] = i.to.split(':').map(Number);
              return w.minute >= (fh ?? 0) * 60 + (fm ?? 0) && w.minute < (th ?? 0) * 60 + (tm ?? 0);
            });
          };
          // Every interval boundary and every clock change falls on a quarter hour, so opening
          // time is a whole number of quarter-hour blocks: walk them from the start.
          let t = start;
          if (n === 0) {
            while (!isOpen(t)) t += QUARTER;
          } else {
            for (let blocks = 0; blocks < n * 4; t += QUARTER) if (isOpen(t)) blocks += 1;
          }
          expect(d.dueAt).toBe(t);
          // Inside an opening interval, or at the end of one.
          expect(isOpen(d.dueAt) || isOpen(d.dueAt - 1)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  const anyPeriodArb = fc.oneof(
    fc.record({ unit: fc.constant<PeriodUnit>('hours'), amount: fc.integer({ min: 0, max: 2000 }) }),
    fc.record({ unit: fc.constant<PeriodUnit>('calendarDays'), amount: fc.integer({ min: 0, max: 400 }) }),
    fc.record({ unit: fc.constant<PeriodUnit>('weeks'), amount: fc.integer({ min: 0, max: 60 }) }),
    fc.record({ unit: fc.constant<PeriodUnit>('businessDays'), amount: fc.integer({ min: 0, max: 40 }) }),
    fc.record({ unit: fc.constant<PeriodUnit>('workingHours'), amount: fc.integer({ min: 0, max: 40 }) }),
    fc.record({ unit: fc.constant<PeriodUnit>('months'), amount: fc.integer({ min: 0, max: 120 }) }),
    fc.record({ unit: fc.constant<PeriodUnit>('years'), amount: fc.integer({ min: 0, max: 10 }) }),
  );
  const officeHours = {
    '1': [{ from: '08:30', to: '12:00' }, { from: '13:00', to: '17:30' }],
    '2': [{ from: '00:00', to: '03:00' }],
    '3': [{ from: '09:00', to: '24:00' }],
    '4': [{ from: '01:00', to: '03:30' }],
    '5': [{ from: '09:00', to: '16:00' }],
  };

  it('is monotonic in the start, and due at or after the start, for every unit', () => {
    fc.assert(
      fc.property(
        startCalendarArb,
        fc.integer({ min: 0, max: 40 * 86_400_000 }),
        anyPeriodArb,
        rulesArb,
        ({ start, calendar }, delta, period, rules) => {
          fc.pre(calendar.weekend.length < 7);
          const cal: CalendarRuntime = { ...calendar, weekend: [6, 7], openingHours: officeHours };
          const a = compute(start, period, cal, rules);
          const b = compute(start + delta, period, cal, rules);
          expect(Number.isFinite(a.dueAt)).toBe(true);
          expect(a.dueAt).toBeGreaterThanOrEqual(start);
          expect(b.dueAt).toBeGreaterThanOrEqual(start + delta);
          expect(b.dueAt).toBeGreaterThanOrEqual(a.dueAt);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is monotonic across the instants of a clock change (start within minutes of it)', () => {
    // Starts one minute apart, within three hours of a clock change.
    fc.assert(
      fc.property(fc.constantFrom(...CLOCK_CHANGES), fc.integer({ min: -180, max: 180 }), zoneArb, anyPeriodArb, rulesArb, (change, minute, zone, period, rules) => {
        const cal: CalendarRuntime = { zone, weekend: [6, 7], holidays: [], openingHours: officeHours };
        const s = change + minute * 60_000;
        const a = compute(s, period, cal, rules);
        const b = compute(s + 60_000, period, cal, rules);
        expect(b.dueAt).toBeGreaterThanOrEqual(a.dueAt);
        expect(a.dueAt).toBeGreaterThanOrEqual(s);
      }),
      { numRuns: 300 },
    );
  });
});
