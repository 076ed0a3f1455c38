/**
 * The shapes of time in Lethe: instants, periods with explicit units, calendars, counting rules
 * and deadlines that explain themselves. The functions that work on them live beside this file.
 *
 * @module
 */

/** An instant: epoch milliseconds, UTC. Events carry ISO 8601 strings; computation uses this. */
export type Instant = number;

/** The units a period can be counted in. */
export type PeriodUnit =
  | 'hours' // elapsed time: runs through nights, weekends and holidays
  | 'calendarDays'
  | 'weeks'
  | 'businessDays' // skips the calendar's weekend days and holidays
  | 'workingHours' // counts only the calendar's opening hours
  | 'months' // calendar months, clamped at month end
  | 'years';

/** A period with an explicit unit, e.g. `{ unit: 'hours', amount: 72 }`. Amount is a whole number >= 0. */
export interface Period {
  readonly unit: PeriodUnit;
  readonly amount: number;
}

/**
 * One opening interval of a working day, local wall times `HH:mm` in the calendar's zone, `from`
 * inclusive and `to` exclusive (`to` may be `'24:00'`, the end of the day).
 */
export interface OpeningInterval {
  readonly from: string;
  readonly to: string;
}

/**
 * A calendar: the zone deadlines are computed in, its weekend days (ISO weekday numbers,
 * 1 = Monday ... 7 = Sunday), its holidays (local dates `YYYY-MM-DD`) and opening hours per ISO
 * weekday (for working-hour periods).
 */
export interface Calendar {
  readonly zone: string;
  readonly weekend: readonly number[];
  readonly holidays: readonly string[];
  /** Keyed by ISO weekday `'1'`..`'7'`; a weekday without an entry (or a holiday) has no opening hours. */
  readonly openingHours?: { readonly [isoWeekday: string]: readonly OpeningInterval[] };
  /** A name a person recognises, e.g. `'Ireland (public holidays 2026-2027)'`. */
  readonly name?: string;
}

/**
 * How day, week, month and year periods are counted:
 * - `'eu-1182-71'` (default): EU Regulation 1182/71 Art. 3: the day of the event is not counted;
 *   the period ends at the end of its last day; months end on the same-numbered day or the
 *   month's last day when there is none.
 * - `'uk-ico'`: the ICO's variant: the day of receipt is day 1, so a period in calendar days or
 *   weeks ends one day earlier than under 1182/71 (30 days from 1 June end at the end of 30 June,
 *   not 1 July). For months and years the ICO's rule ("the same date next month, or that month's
 *   last day if there is no such date": 31 March + 1 month = 30 April) gives the same last day as
 *   1182/71 Art. 3(2)(c); only the explanation differs.
 * Business-day periods never count the day of the event under either convention.
 * `rollForward`: a period in calendar days, weeks, months or years ending on a weekend day or
 * holiday extends to the end of the next working day (1182/71 Art. 3(4); the ICO does the same);
 * never applied to hour or working-hour periods, and a business-day period already ends on a
 * working day.
 */
export interface CountingRules {
  readonly convention: 'eu-1182-71' | 'uk-ico';
  readonly rollForward: boolean;
}

/**
 * Decides whether a local date (`YYYY-MM-DD` in the calendar's zone) is a holiday, for holiday
 * rules a list cannot hold (e.g. "Easter Monday"). Must be pure and must not throw.
 */
export type HolidayProvider = (localDate: string) => boolean;

/**
 * A {@link Calendar} with an optional {@link HolidayProvider}, for code (not documents: a function
 * is not JSON, so {@link Calendar} and its codec never carry one). A date is a holiday when it is
 * in `holidays` or `isHoliday` returns true for it. Every {@link Calendar} is a `CalendarRuntime`.
 */
export interface CalendarRuntime extends Calendar {
  readonly isHoliday?: HolidayProvider;
}

/**
 * A day the computation skipped, and why: `'weekend'` (one of the calendar's weekend days, checked
 * first), `'holiday'` (listed in `holidays` or reported by `isHoliday`), or `'closed'` (a weekday
 * that is neither but has no opening hours; only for working-hour periods).
 */
export interface SkippedDay {
  readonly date: string; // local date YYYY-MM-DD
  readonly reason: 'weekend' | 'holiday' | 'closed';
}

/**
 * Why a deadline falls where it does: enough for a person to check it by hand.
 */
export interface DeadlineExplanation {
  /** The instant the clock started, ISO 8601 in UTC, and the same instant in the calendar's zone. */
  readonly start: string;
  readonly startLocal: string;
  readonly zone: string;
  readonly period: Period;
  /** `'elapsed-time'` for hour and working-hour periods, else the convention the days were counted by. */
  readonly convention: CountingRules['convention'] | 'elapsed-time';
  /** What was not counted, e.g. `'the day of the event (2026-01-31)'`. */
  readonly notCounted: readonly string[];
  readonly skipped: readonly SkippedDay[];
  /** Set when the period ended on a non-working day and was extended: local dates `YYYY-MM-DD`. */
  readonly rolledForward?: { readonly from: string; readonly to: string };
  /** The due instant, ISO 8601 UTC, and the same in the calendar's zone. */
  readonly dueAt: string;
  readonly dueAtLocal: string;
  /** The legal or contractual source of the rule, when the caller named one. */
  readonly citation?: string;
  /** The whole explanation as sentences a privacy person reads. */
  readonly text: string;
}

/**
 * A computed deadline. `dueAt` is the last instant that is still on time (inclusive): start plus
 * the exact elapsed time for hour periods; the last millisecond of the last day in the calendar's
 * zone (23:59:59.999 local) for day-based periods; the instant the last working hour is used up
 * (e.g. 17:00:00.000 local, or an interval's closing time) for working-hour periods. Overdue means
 * `now > dueAt`.
 */
export interface Deadline {
  readonly dueAt: Instant;
  readonly explanation: DeadlineExplanation;
}
