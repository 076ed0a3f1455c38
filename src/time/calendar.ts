/**
 * Calendars: the zone deadlines are computed in, weekend days, holidays and opening hours.
 *
 * A calendar as a document ({@link Calendar}, validated by {@link CalendarCodec}) is plain JSON.
 * Code can add a holiday function ({@link CalendarRuntime}'s `isHoliday`) for rules a list cannot
 * hold; a date is a holiday when it is listed or the function says so.
 *
 * A day is a working day when it is not a weekend day and not a holiday. For working-hour periods
 * it must also have opening hours; opening hours may not be given for weekend days (that would be
 * a contradiction the validator reports rather than guesses at).
 *
 * Local dates are civil dates (`YYYY-MM-DD`) in the calendar's zone. A local day (or an opening
 * interval) is the real time during which the local clock shows that date (or a time inside the
 * interval), found from the zone's offsets. So days of 23 or 25 hours and zones whose clocks change
 * at midnight (America/Santiago, Asia/Beirut) are handled: a day ends at the last millisecond the
 * clock shows its date, and opening time skipped by a spring-forward change does not count while
 * opening time repeated by a fall-back change counts twice.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { IANAZone } from 'luxon';
import { isValidZone } from './instant.js';
import type { Calendar, CalendarRuntime, HolidayProvider, Instant, OpeningInterval } from './types.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// Civil dates as day numbers (days since 1970-01-01), zone-free. Howard Hinnant's algorithms:
// exact for every proleptic Gregorian date, no Date object, no time zone involved.
// ---------------------------------------------------------------------------------------------

/**
 * Days since 1970-01-01 of a civil date (proleptic Gregorian; month 1..12).
 * @internal
 */
export const dayNumberOf = (y: number, m: number, d: number): number => {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
};

/**
 * The civil date of a day number.
 * @internal
 */
export const civilOf = (dayNumber: number): { readonly y: number; readonly m: number; readonly d: number } => {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
};

/**
 * Days in a month (month 1..12) of the proleptic Gregorian calendar.
 * @internal
 */
export const daysInMonth = (y: number, m: number): number =>
  m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/**
 * ISO weekday (1 = Monday ... 7 = Sunday) of a day number; 1970-01-01 was a Thursday.
 * @internal
 */
export const isoWeekdayOf = (dayNumber: number): number => ((((dayNumber + 3) % 7) + 7) % 7) + 1;

/**
 * `YYYY-MM-DD` of a day number.
 * @internal
 */
export const formatDayNumber = (dayNumber: number): string => {
  const { y, m, d } = civilOf(dayNumber);
  const year = y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : `${y < 0 ? '-' : '+'}${String(Math.abs(y)).padStart(6, '0')}`;
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
};

/**
 * The day number of a strict `YYYY-MM-DD` string naming a real date, or undefined.
 * @internal
 */
export const parseLocalDate = (s: string): number | undefined => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m === null) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return dayNumberOf(y, mo, d);
};

/**
 * Adds calendar months to a day number, clamping to the target month's last day
 * (31 Jan + 1 month = 28 or 29 Feb).
 * @internal
 */
export const addMonthsClamped = (dayNumber: number, months: number): number => {
  const { y, m, d } = civilOf(dayNumber);
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = index - ty * 12 + 1;
  return dayNumberOf(ty, tm, Math.min(d, daysInMonth(ty, tm)));
};

// ---------------------------------------------------------------------------------------------
// Zones: local dates of instants, and instants of local wall times.
// ---------------------------------------------------------------------------------------------

/** The offset of `zone` at instant `t`, in milliseconds. */
const offsetMs = (zone: IANAZone, t: number): number => zone.offset(t) * MINUTE_MS;

/**
 * The local day number of instant `t` in `zone`.
 * @internal
 */
export const localDayNumber = (zone: IANAZone, t: Instant): number =>
  Math.floor((t + offsetMs(zone, t)) / DAY_MS);

// Every UTC offset ever used lies within ±15 hours, so the instants showing a given wall time lie
// within ±16 hours of that wall time read as UTC.
const WINDOW_MS = 16 * 3_600_000;
// Offsets are sampled this far apart when looking for clock changes; two changes never fall
// within 6 hours of each other in the time-zone database.
const SAMPLE_MS = 6 * 3_600_000;

/** A stretch of real time over which the zone's offset is constant. */
interface OffsetSegment {
  readonly from: Instant;
  readonly to: Instant;
  readonly offset: number;
}

const offsetSegments = (zone: IANAZone, from: Instant, to: Instant): readonly OffsetSegment[] => {
  const segments: OffsetSegment[] = [];
  let segmentStart = from;
  let offset = offsetMs(zone, from);
  let t = from;
  while (t < to) {
    const next = Math.min(t + SAMPLE_MS, to);
    if (offsetMs(zone, next) === offset) {
      t = next;
      continue;
    }
    // The offset changes in (t, next]: bisect to the first instant with the new offset.
    let lo = t;
    let hi = next;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetMs(zone, mid) === offset) lo = mid;
      else hi = mid;
    }
    segments.push({ from: segmentStart, to: hi, offset });
    segmentStart = hi;
    offset = offsetMs(zone, hi);
    t = hi;
  }
  segments.push({ from: segmentStart, to, offset });
  return segments;
};

/**
 * The stretches of real time `[from, to)` during which the local clock in `zone` shows a wall time
 * in `[wallFrom, wallTo)` (wall times as epoch-like milliseconds: day number × 86,400,000 plus
 * the time of day). Usually one stretch; none when the clock skips the whole range (a
 * spring-forward gap), two when it shows part of it twice (a fall-back fold). Sorted, disjoint.
 * @internal
 */
export const localSpans = (
  zone: IANAZone,
  wallFrom: number,
  wallTo: number,
): readonly { readonly from: Instant; readonly to: Instant }[] => {
  const spans: { from: Instant; to: Instant }[] = [];
  for (const segment of offsetSegments(zone, wallFrom - WINDOW_MS, wallTo + WINDOW_MS)) {
    const from = Math.max(segment.from, wallFrom - segment.offset);
    const to = Math.min(segment.to, wallTo - segment.offset);
    if (to <= from) continue;
    const last = spans[spans.length - 1];
    if (last !== undefined && last.to === from) last.to = to;
    else spans.push({ from, to });
  }
  return spans;
};

/**
 * The real-time stretches of local day `dayNumber` in `zone` (see {@link localSpans}).
 * @internal
 */
export const localDaySpans = (zone: IANAZone, dayNumber: number): readonly { readonly from: Instant; readonly to: Instant }[] =>
  localSpans(zone, dayNumber * DAY_MS, (dayNumber + 1) * DAY_MS);

/**
 * The last millisecond of local day `dayNumber` in `zone`: 23:59:59.999 local, or the millisecond
 * before the clock jumps past midnight, or (on a fall-back at midnight) the second 23:59:59.999.
 * A day the zone skipped entirely (Pacific/Apia, 2011-12-30) ends when the next day starts, minus
 * one millisecond.
 * @internal
 */
export const endOfLocalDayNumber = (zone: IANAZone, dayNumber: number): Instant => {
  const spans = localDaySpans(zone, dayNumber);
  const last = spans[spans.length - 1];
  if (last !== undefined) return last.to - 1;
  for (let next = dayNumber + 1; next <= dayNumber + 3; next += 1) {
    const first = localDaySpans(zone, next)[0];
    if (first !== undefined) return first.from - 1;
  }
  return (dayNumber + 1) * DAY_MS - offsetMs(zone, (dayNumber + 1) * DAY_MS) - 1;
};

/**
 * The local date (`YYYY-MM-DD`) of an instant in an IANA zone. Returns undefined for an invalid
 * zone or a non-finite instant.
 */
export const localDateOf = (instant: Instant, zone: string): string | undefined =>
  Number.isFinite(instant) && isValidZone(zone)
    ? formatDayNumber(localDayNumber(IANAZone.create(zone), instant))
    : undefined;

/**
 * The last instant (23:59:59.999 local, or the millisecond before the clock jumps past midnight)
 * of a local date `YYYY-MM-DD` in an IANA zone. Returns undefined for an invalid date or zone.
 */
export const endOfLocalDay = (localDate: string, zone: string): Instant | undefined => {
  const day = parseLocalDate(localDate);
  return day === undefined || !isValidZone(zone) ? undefined : endOfLocalDayNumber(IANAZone.create(zone), day);
};

// ---------------------------------------------------------------------------------------------
// Calendars
// ---------------------------------------------------------------------------------------------

/** A calendar as written in a document: weekend and holidays may be left out (defaults apply). */
export interface CalendarInput {
  readonly zone: string;
  /** ISO weekdays, 1 = Monday ... 7 = Sunday; defaults to `[6, 7]` (Saturday, Sunday). */
  readonly weekend?: readonly number[];
  /** Local dates `YYYY-MM-DD`; defaults to none. */
  readonly holidays?: readonly string[];
  readonly openingHours?: { readonly [isoWeekday: string]: readonly OpeningInterval[] };
  readonly name?: string;
}

/**
 * Builds a calendar with defaults: weekend Saturday and Sunday (`[6, 7]`), no holidays, no opening
 * hours; keeps `isHoliday` when given. Does not validate (it never fails): use
 * {@link validateCalendar} or {@link CalendarCodec} for untrusted input; `computeDeadline`
 * validates the calendar it is given.
 */
export const calendar = (input: CalendarInput & { readonly isHoliday?: HolidayProvider }): CalendarRuntime => ({
  zone: input.zone,
  weekend: input.weekend ?? [6, 7],
  holidays: input.holidays ?? [],
  ...(input.openingHours === undefined ? {} : { openingHours: input.openingHours }),
  ...(input.name === undefined ? {} : { name: input.name }),
  ...(input.isHoliday === undefined ? {} : { isHoliday: input.isHoliday }),
});

/** Why a calendar is not valid: `path` names the field (`'openingHours.1[0].to'`). */
export type CalendarError =
  | { readonly _tag: 'InvalidZone'; readonly zone: string; readonly reason: string }
  | { readonly _tag: 'InvalidCalendar'; readonly path: string; readonly reason: string };

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Minutes since local midnight of an `HH:mm` time (`'24:00'` allowed when `allowEndOfDay`), or
 * undefined.
 * @internal
 */
export const minutesOfHhMm = (s: string, allowEndOfDay: boolean): number | undefined => {
  if (allowEndOfDay && s === '24:00') return 1440;
  const m = HH_MM.exec(s);
  return m === null ? undefined : Number(m[1]) * 60 + Number(m[2]);
};

const calendarError = (path: string, reason: string): Either<CalendarError, never> =>
  E.left({ _tag: 'InvalidCalendar', path, reason });

/**
 * Checks a calendar: `zone` is an IANA zone the runtime knows, weekend days are integers 1..7, holidays
 * are real dates `YYYY-MM-DD`, opening hours are keyed `'1'`..`'7'` (not weekend days) with
 * `HH:mm` intervals (`to` may be `'24:00'`), `from` < `to`, sorted and not overlapping. Returns the
 * calendar unchanged, or the first problem found (`InvalidZone` or `InvalidCalendar`).
 */
export const validateCalendar = <C extends Calendar>(c: C): Either<CalendarError, C> => {
  if (typeof c !== 'object' || c === null) return calendarError('', 'not an object');
  if (typeof c.zone !== 'string' || !isValidZone(c.zone)) {
    return E.left({ _tag: 'InvalidZone', zone: String(c.zone), reason: `"${String(c.zone)}" is not an IANA time zone` });
  }
  if (!Array.isArray(c.weekend)) return calendarError('weekend', 'not an array of ISO weekdays');
  for (const [i, w] of c.weekend.entries()) {
    if (!Number.isInteger(w) || w < 1 || w > 7) {
      return calendarError(`weekend[${i}]`, `${JSON.stringify(w)} is not an ISO weekday (1 = Monday ... 7 = Sunday)`);
    }
  }
  if (!Array.isArray(c.holidays)) return calendarError('holidays', 'not an array of dates');
  for (const [i, h] of c.holidays.entries()) {
    if (typeof h !== 'string' || parseLocalDate(h) === undefined) {
      return calendarError(`holidays[${i}]`, `${JSON.stringify(h)} is not a date YYYY-MM-DD`);
    }
  }
  if ('isHoliday' in c && c.isHoliday !== undefined && typeof c.isHoliday !== 'function') {
    return calendarError('isHoliday', 'not a function');
  }
  if (c.openingHours !== undefined) {
    if (typeof c.openingHours !== 'object' || c.openingHours === null) {
      return calendarError('openingHours', 'not an object keyed by ISO weekday');
    }
    for (const [key, intervals] of Object.entries(c.openingHours)) {
      const path = `openingHours.${key}`;
      if (!/^[1-7]$/.test(key)) return calendarError(path, `"${key}" is not an ISO weekday key ("1" = Monday ... "7" = Sunday)`);
      if (!Array.isArray(intervals)) return calendarError(path, 'not an array of opening intervals');
      if (intervals.length > 0 && c.weekend.includes(Number(key))) {
        return calendarError(path, `weekday ${key} is a weekend day of this calendar and cannot have opening hours`);
      }
      let previousEnd = -1;
      for (const [i, interval] of (intervals as readonly OpeningInterval[]).entries()) {
        const at = `${path}[${i}]`;
        const from = minutesOfHhMm(interval?.from, false);
        const to = minutesOfHhMm(interval?.to, true);
        if (from === undefined) return calendarError(`${at}.from`, `${JSON.stringify(interval?.from)} is not a time HH:mm (00:00 to 23:59)`);
        if (to === undefined) return calendarError(`${at}.to`, `${JSON.stringify(interval?.to)} is not a time HH:mm (00:01 to 24:00)`);
        if (from >= to) return calendarError(at, `opening interval ${interval.from}-${interval.to} does not end after it starts`);
        if (from < previousEnd) return calendarError(at, `opening interval ${interval.from}-${interval.to} overlaps or precedes the one before it`);
        previousEnd = to;
      }
    }
  }
  return E.right(c);
};

/** Whether a local date is a holiday of the calendar (listed, or reported by `isHoliday`). */
const holidayTest = (c: CalendarRuntime): ((dayNumber: number) => boolean) => {
  const listed = new Set(c.holidays);
  const provider = c.isHoliday;
  return (dayNumber) => {
    const date = formatDayNumber(dayNumber);
    return listed.has(date) || (provider !== undefined && provider(date));
  };
};

/**
 * Why a day is not a working day: weekend first, then holiday; undefined for a working day.
 * @internal
 */
export const nonWorkingReasonFn = (c: CalendarRuntime): ((dayNumber: number) => 'weekend' | 'holiday' | undefined) => {
  const weekend = new Set(c.weekend);
  const isHoliday = holidayTest(c);
  return (dayNumber) => (weekend.has(isoWeekdayOf(dayNumber)) ? 'weekend' : isHoliday(dayNumber) ? 'holiday' : undefined);
};

/**
 * Whether a local date `YYYY-MM-DD` is a working day of the calendar: not one of its weekend days
 * and not a holiday. Returns false for a string that is not a real date.
 */
export const isWorkingDay = (c: CalendarRuntime, localDate: string): boolean => {
  const day = parseLocalDate(localDate);
  return day !== undefined && nonWorkingReasonFn(c)(day) === undefined;
};

// ---------------------------------------------------------------------------------------------
// Codec
// ---------------------------------------------------------------------------------------------

const CalendarShape = t.intersection([
  t.type({ zone: t.string }),
  t.partial({
    weekend: t.array(t.number),
    holidays: t.array(t.string),
    openingHours: t.record(t.string, t.array(t.type({ from: t.string, to: t.string }))),
    name: t.string,
  }),
]);

/**
 * The io-ts codec of a calendar document. Decoding checks the shape, then everything
 * {@link validateCalendar} checks, and fills the defaults (weekend `[6, 7]`, no holidays); the
 * decoded value holds only the known fields (copies, no `isHoliday`). Encoding gives the calendar
 * with every default written out. Error messages name the field, e.g.
 * `calendar zone: "Europe/Pariss" is not an IANA time zone`.
 */
export const CalendarCodec: t.Type<Calendar, CalendarInput, unknown> = new t.Type<Calendar, CalendarInput, unknown>(
  'Calendar',
  (u): u is Calendar =>
    E.isRight(CalendarShape.decode(u)) &&
    Array.isArray((u as Calendar).weekend) &&
    Array.isArray((u as Calendar).holidays) &&
    E.isRight(validateCalendar(u as Calendar)),
  (u, c) => {
    const shape = CalendarShape.validate(u, c);
    if (E.isLeft(shape)) return shape;
    const input = shape.right;
    const cal: Calendar = {
      zone: input.zone,
      weekend: [...(input.weekend ?? [6, 7])],
      holidays: [...(input.holidays ?? [])],
      ...(input.openingHours === undefined
        ? {}
        : {
            openingHours: Object.fromEntries(
              Object.entries(input.openingHours).map(([k, v]) => [k, v.map((i) => ({ from: i.from, to: i.to }))]),
            ),
          }),
      ...(input.name === undefined ? {} : { name: input.name }),
    };
    const checked = validateCalendar(cal);
    if (E.isLeft(checked)) {
      const e = checked.left;
      return t.failure(u, c, e._tag === 'InvalidZone' ? `calendar zone: ${e.reason}` : `calendar ${e.path}: ${e.reason}`);
    }
    return t.success(cal);
  },
  (cal) => ({
    zone: cal.zone,
    weekend: [...cal.weekend],
    holidays: [...cal.holidays],
    ...(cal.openingHours === undefined ? {} : { openingHours: cal.openingHours }),
    ...(cal.name === undefined ? {} : { name: cal.name }),
  }),
);
