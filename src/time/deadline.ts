/**
 * Deadlines: when a period that starts at an instant ends, in a calendar, under counting rules,
 * with an explanation a privacy person can check by hand.
 *
 * {@link computeDeadline} is pure and deterministic (no clock, no locale) and never throws for
 * any input; bad input is an error value. The meaning of each unit:
 *
 * - **hours** (`PT72H`): exact elapsed time, `dueAt = start + amount × 3,600,000 ms`. Nights,
 *   weekends, holidays and clock changes neither stop nor shift it (72 hours across the March
 *   clock change are 72 real hours; the wall clock shows 73 hours later in spring-forward zones). Never
 *   rolled forward: EU Reg. 1182/71 Art. 3(4) excludes periods in hours. Art. 3(1) would leave out
 *   the hour in which the event occurs; Lethe counts from the exact instant, which can only make
 *   the deadline earlier (Friday 17:00 + 72 h = Monday 17:00).
 * - **calendar days** (`P45D`) and **weeks** (`P2W`, 7 days each): under `'eu-1182-71'` the day of
 *   the event is not counted (Art. 3(1)) and the period ends at the end of its last day
 *   (Art. 3(2)(b), (c)): the last day is the start's local date + N days. Under `'uk-ico'` the day
 *   of receipt is day 1, so the last day is the start's local date + N − 1 days.
 * - **months** (`P1M`) and **years** (`P1Y` = 12 months): the last day is the day with the same
 *   date N months later, or that month's last day when there is none (Art. 3(2)(c); 31 January +
 *   1 month = 28 February, 29 in leap years; 31 March + 1 month = 30 April). The ICO's rule ("the
 *   same date next month") gives the same last day; only the wording of the explanation differs.
 * - **business days** (`P3BD`): the day of the event is not counted (under either convention);
 *   the last day is the Nth following day that is neither a weekend day nor a holiday (3 business
 *   days from a Friday end on Wednesday). Every skipped day is listed with its reason.
 * - **working hours** (`PT72WH`): only the calendar's opening hours count, from the start (or the
 *   next opening when the start is outside opening hours); weekend days and holidays have none.
 *   A day is open whenever its local clock shows a time inside one of its intervals, so a clock
 *   change inside opening hours makes that day's opening one hour shorter or longer in real time.
 *   `dueAt` is the exact instant the Nth hour is used up, which may be an interval's closing time.
 *
 * Day-based periods end at the last millisecond of the last local day in the calendar's zone
 * (23:59:59.999 local; on a day whose clock jumps past midnight, the millisecond before the jump).
 * With `rollForward`, a calendar-day, week, month or year period whose last day is a weekend day or
 * holiday extends to the end of the next working day (Art. 3(4)); the days passed over are listed.
 *
 * Amount 0: hours → due at the start; calendar days, weeks, months, years → end of the start's
 * local day (under either convention); business days → end of the start's day if it is a working
 * day, else of the next working day; working hours → the start, or the next opening after it.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { IANAZone } from 'luxon';
import {
  addMonthsClamped,
  civilOf,
  endOfLocalDayNumber,
  formatDayNumber,
  isoWeekdayOf,
  localDayNumber,
  minutesOfHhMm,
  nonWorkingReasonFn,
  validateCalendar,
  localSpans,
} from './calendar.js';
import type { CalendarError } from './calendar.js';
import { toIso, toLocalIso } from './instant.js';
import { describePeriod, validatePeriod } from './period.js';
import type { PeriodError } from './period.js';
import type {
  CalendarRuntime,
  CountingRules,
  Deadline,
  DeadlineExplanation,
  Instant,
  Period,
  SkippedDay,
} from './types.js';

/** What {@link computeDeadline} needs: when the clock started, how long, where, and by which rules. */
export interface DeadlineInput {
  /** The instant the clock started (business time: receipt, awareness...). */
  readonly start: Instant;
  readonly period: Period;
  /** The calendar whose zone, weekend, holidays and opening hours apply. */
  readonly calendar: CalendarRuntime;
  /** Defaults to {@link defaultCountingRules}. */
  readonly rules?: CountingRules;
  /** The legal or contractual source, copied into the explanation (e.g. `'GDPR Art. 33(1)'`). */
  readonly citation?: string;
}

/** Why a deadline could not be computed. Every variant carries a `reason` to show a person. */
export type DeadlineError =
  | { readonly _tag: 'InvalidStart'; readonly start: number; readonly reason: string }
  | { readonly _tag: 'InvalidRules'; readonly reason: string }
  | { readonly _tag: 'NoOpeningHours'; readonly reason: string }
  | { readonly _tag: 'NoWorkingTime'; readonly searchedFrom: string; readonly searchedTo: string; readonly reason: string }
  | PeriodError
  | CalendarError;

/** EU Reg. 1182/71 counting without roll-forward: the rules used when none are given. */
export const defaultCountingRules: CountingRules = Object.freeze({ convention: 'eu-1182-71', rollForward: false });

/** Searching for a working day or working time gives up after this many days in a row without one. */
export const maxDaysWithoutWorkingTime = 3660;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
// Starts are restricted to years 1900-8999: every deadline then stays inside 4-digit years and
// modern time-zone data, and no legal period is computed for earlier times.
const MIN_START = Date.UTC(1900, 0, 1);
const MAX_START = Date.UTC(9000, 0, 1) - 1;

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
const WEEKDAYS_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

const weekdayName = (day: number): string => WEEKDAYS[isoWeekdayOf(day) - 1] ?? '?';
const ordinal = (n: number): string => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
};
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** `1 h`, `8 h 30 min`, `45 min 10 s`: a duration in ms, deterministic. */
const formatDuration = (ms: number): string => {
  const parts: string[] = [];
  const h = Math.floor(ms / HOUR_MS);
  const min = Math.floor((ms % HOUR_MS) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const rest = ms % 1000;
  if (h > 0) parts.push(`${h} h`);
  if (min > 0) parts.push(`${min} min`);
  if (s > 0) parts.push(`${s} s`);
  if (rest > 0) parts.push(`${rest} ms`);
  return parts.length === 0 ? '0 h' : parts.join(' ');
};

/** What a unit's computation contributes to the deadline and its explanation. */
interface Computed {
  readonly dueAt: Instant;
  readonly convention: DeadlineExplanation['convention'];
  readonly notCounted: readonly string[];
  readonly skipped: readonly SkippedDay[];
  readonly rolledForward?: { readonly from: string; readonly to: string };
  /** Sentences between "Clock started" and "Due". */
  readonly body: readonly string[];
  readonly due: string;
}

interface Context {
  readonly start: Instant;
  readonly period: Period;
  readonly calendar: CalendarRuntime;
  readonly rules: CountingRules;
  readonly zone: IANAZone;
  readonly startDay: number;
  readonly nonWorking: (day: number) => 'weekend' | 'holiday' | undefined;
}

const noWorkingTime = (from: number, to: number, what: string): DeadlineError => ({
  _tag: 'NoWorkingTime',
  searchedFrom: formatDayNumber(from),
  searchedTo: formatDayNumber(to),
  reason: `no ${what} in ${maxDaysWithoutWorkingTime} consecutive days from ${formatDayNumber(from)} to ${formatDayNumber(to)}`,
});

const dueAtEndOf = (ctx: Context, day: number): { readonly dueAt: Instant; readonly due: string } => {
  const dueAt = endOfLocalDayNumber(ctx.zone, day);
  return { dueAt, due: `Due at the end of ${formatDayNumber(day)}: ${toLocalIso(dueAt, ctx.calendar.zone)} (${toIso(dueAt)}).` };
};

const skippedText = (skipped: readonly SkippedDay[]): string => skipped.map((s) => `${s.date} (${s.reason})`).join(', ');

/** Extends `last` to the next working day when the rules say so. */
const rollForward = (
  ctx: Context,
  last: number,
): Either<DeadlineError, { readonly last: number; readonly skipped: readonly SkippedDay[]; readonly body: readonly string[]; readonly rolled?: { readonly from: string; readonly to: string } }> => {
  const reason = ctx.nonWorking(last);
  if (reason === undefined) return E.right({ last, skipped: [], body: [] });
  const what = reason === 'weekend' ? `a weekend day (${weekdayName(last)})` : 'a holiday';
  if (!ctx.rules.rollForward) {
    return E.right({
      last,
      skipped: [],
      body: [`The last day, ${formatDayNumber(last)}, is ${what}; these rules do not roll it forward to a working day.`],
    });
  }
  const skipped: SkippedDay[] = [];
  let day = last;
  for (let r = ctx.nonWorking(day); r !== undefined; r = ctx.nonWorking(day)) {
    skipped.push({ date: formatDayNumber(day), reason: r });
    if (skipped.length > maxDaysWithoutWorkingTime) return E.left(noWorkingTime(last, day, 'working day'));
    day += 1;
  }
  const source =
    ctx.rules.convention === 'uk-ico'
      ? 'ICO guidance: a deadline on a weekend or bank holiday moves to the next working day'
      : 'EU Reg. 1182/71 Art. 3(4)';
  return E.right({
    last: day,
    skipped,
    rolled: { from: formatDayNumber(last), to: formatDayNumber(day) },
    body: [
      `The last day, ${formatDayNumber(last)}, is ${what}, so the period is extended to the end of the next working day, ${formatDayNumber(day)} (${weekdayName(day)}) (${source}).`,
    ],
  });
};

const hoursDeadline = (ctx: Context): Either<DeadlineError, Computed> => {
  const dueAt = ctx.start + ctx.period.amount * HOUR_MS;
  return E.right({
    dueAt,
    convention: 'elapsed-time',
    notCounted: [],
    skipped: [],
    body: [
      `Period: ${describePeriod(ctx.period)} of elapsed time from the exact instant the clock started; nights, weekends, holidays and clock changes neither stop nor shift it, and it is never rolled forward to a working day (EU Reg. 1182/71 Art. 3(4) does not apply to periods in hours).`,
      `Counting from the exact instant rather than leaving out the hour of the event (Art. 3(1)) can only make the deadline earlier.`,
    ],
    due: `Due at ${toLocalIso(dueAt, ctx.calendar.zone)} (${toIso(dueAt)}).`,
  });
};

const dayBasedDeadline = (ctx: Context): Either<DeadlineError, Computed> => {
  const { period, rules, startDay } = ctx;
  const start = formatDayNumber(startDay);
  const isWeeks = period.unit === 'weeks';
  const days = isWeeks ? period.amount * 7 : period.amount;
  const uk = rules.convention === 'uk-ico';
  const last = uk ? startDay + Math.max(days - 1, 0) : startDay + days;
  const lastText = formatDayNumber(last);
  const notCounted = !uk && days > 0 ? [`the day of the event, ${start} (EU Reg. 1182/71 Art. 3(1))`] : [];
  let sentence: string;
  if (days === 0) {
    sentence = `Period: ${describePeriod(period)}: it ends at the end of the day of the event, ${start}.`;
  } else if (uk) {
    sentence = `Period: ${describePeriod(period)}${isWeeks ? ` (${days} days)` : ''}; the day of receipt, ${start}, is day 1 (ICO guidance), so day ${days} is ${lastText} (${weekdayName(last)}); the period ends at the end of that day.`;
  } else if (isWeeks) {
    sentence = `Period: ${describePeriod(period)} (${days} days); the day of the event, ${start} (a ${weekdayName(startDay)}), is not counted (EU Reg. 1182/71 Art. 3(1)); the period ends at the end of the same weekday ${describePeriod(period)} later, ${lastText} (Art. 3(2)(c)).`;
  } else {
    sentence = `Period: ${describePeriod(period)}; the day of the event, ${start}, is not counted (EU Reg. 1182/71 Art. 3(1)), so day 1 is ${formatDayNumber(startDay + 1)} and day ${days} is ${lastText} (${weekdayName(last)}); the period ends at the end of its last day (Art. 3(2)(b)).`;
  }
  return E.map((rolled: { readonly last: number; readonly skipped: readonly SkippedDay[]; readonly body: readonly string[]; readonly rolled?: { readonly from: string; readonly to: string } }) => ({
    ...dueAtEndOf(ctx, rolled.last),
    convention: rules.convention,
    notCounted,
    skipped: rolled.skipped,
    ...(rolled.rolled === undefined ? {} : { rolledForward: rolled.rolled }),
    body: [sentence, ...rolled.body],
  }))(rollForward(ctx, last));
};

const monthBasedDeadline = (ctx: Context): Either<DeadlineError, Computed> => {
  const { period, rules, startDay } = ctx;
  const months = period.unit === 'years' ? period.amount * 12 : period.amount;
  const last = addMonthsClamped(startDay, months);
  const start = formatDayNumber(startDay);
  const s = civilOf(startDay);
  const l = civilOf(last);
  const clamped = l.d < s.d;
  const lastText = `${formatDayNumber(last)} (${weekdayName(last)})${clamped ? `, because ${MONTHS[l.m - 1] ?? ''} ${l.y} has no ${ordinal(s.d)}` : ''}`;
  const later = describePeriod(period);
  const uk = rules.convention === 'uk-ico';
  let sentence: string;
  if (months === 0) {
    sentence = `Period: ${later}: it ends at the end of the day of the event, ${start}.`;
  } else if (uk) {
    sentence = `Period: ${later}; the day of receipt, ${start}, is day 1 (ICO guidance); the deadline is the same date ${later} later, or that month's last day when there is no such date: ${lastText}. For months and years this is the same last day as under EU Reg. 1182/71 Art. 3(2)(c).`;
  } else {
    sentence = `Period: ${later}; the day of the event, ${start}, is not counted (EU Reg. 1182/71 Art. 3(1)); the period ends at the end of the day ${later} later with the same date, or of that month's last day when there is no such date (Art. 3(2)(c)): ${lastText}.`;
  }
  const notCounted = !uk && months > 0 ? [`the day of the event, ${start} (EU Reg. 1182/71 Art. 3(1))`] : [];
  return E.map((rolled: { readonly last: number; readonly skipped: readonly SkippedDay[]; readonly body: readonly string[]; readonly rolled?: { readonly from: string; readonly to: string } }) => ({
    ...dueAtEndOf(ctx, rolled.last),
    convention: rules.convention,
    notCounted,
    skipped: rolled.skipped,
    ...(rolled.rolled === undefined ? {} : { rolledForward: rolled.rolled }),
    body: [sentence, ...rolled.body],
  }))(rollForward(ctx, last));
};

const weekendText = (weekend: readonly number[]): string =>
  weekend.length === 0
    ? 'the calendar has no weekend days'
    : `weekend days (${[...new Set(weekend)].sort((a, b) => a - b).map((w) => WEEKDAYS[w - 1] ?? '?').join(', ')})`;

const businessDaysDeadline = (ctx: Context): Either<DeadlineError, Computed> => {
  const { period, rules, startDay, nonWorking } = ctx;
  const start = formatDayNumber(startDay);
  const skipped: SkippedDay[] = [];
  const counted: number[] = [];
  let day = startDay;
  let idle = 0;
  if (period.amount === 0) {
    for (let r = nonWorking(day); r !== undefined; r = nonWorking(day)) {
      skipped.push({ date: formatDayNumber(day), reason: r });
      if (++idle > maxDaysWithoutWorkingTime) return E.left(noWorkingTime(startDay, day, 'working day'));
      day += 1;
    }
  } else {
    while (counted.length < period.amount) {
      day += 1;
      const r = nonWorking(day);
      if (r === undefined) {
        counted.push(day);
        idle = 0;
      } else {
        skipped.push({ date: formatDayNumber(day), reason: r });
        if (++idle > maxDaysWithoutWorkingTime) return E.left(noWorkingTime(day - idle + 1, day, 'working day'));
      }
    }
  }
  const source = rules.convention === 'uk-ico' ? 'business days are counted from the day after the event' : 'EU Reg. 1182/71 Art. 3(1)';
  const body =
    period.amount === 0
      ? [`Period: 0 business days: due at the end of the day of the event, ${start}, if it is a working day, else at the end of the next working day; ${weekendText(ctx.calendar.weekend)} and the calendar's holidays are not working days.`]
      : [
          `Period: ${describePeriod(period)}; the day of the event, ${start}, is not counted (${source}); ${weekendText(ctx.calendar.weekend)} and the calendar's holidays are skipped.`,
          counted.length <= 31
            ? `Counted: ${counted.map((d) => `${formatDayNumber(d)} (${weekdayName(d)})`).join(', ')}.`
            : `Counted: ${counted.length} working days from ${formatDayNumber(counted[0] ?? day)} to ${formatDayNumber(day)}.`,
        ];
  return E.right({
    ...dueAtEndOf(ctx, day),
    convention: rules.convention,
    notCounted: period.amount === 0 ? [] : [`the day of the event, ${start} (${source})`],
    skipped,
    body,
  });
};

interface DayOpening {
  readonly text: string;
  readonly intervals: readonly { readonly from: number; readonly to: number }[];
}

const openingsByWeekday = (ctx: Context): readonly DayOpening[] =>
  [1, 2, 3, 4, 5, 6, 7].map((w) => {
    const raw = ctx.calendar.openingHours?.[String(w)] ?? [];
    return {
      text: raw.map((i) => `${i.from}-${i.to}`).join(', '),
      intervals: raw.map((i) => ({ from: minutesOfHhMm(i.from, false) ?? 0, to: minutesOfHhMm(i.to, true) ?? 0 })),
    };
  });

const workingHoursDeadline = (ctx: Context): Either<DeadlineError, Computed> => {
  const { period, start, startDay, zone, nonWorking } = ctx;
  const openings = openingsByWeekday(ctx);
  if (openings.every((o) => o.intervals.length === 0)) {
    return E.left({
      _tag: 'NoOpeningHours',
      reason: `a period in working hours needs a calendar with opening hours; ${ctx.calendar.name ?? ctx.calendar.zone} has none`,
    });
  }
  const skipped: SkippedDay[] = [];
  const used: { readonly day: number; readonly ms: number }[] = [];
  let remaining = period.amount * HOUR_MS;
  let countingStart: Instant | undefined;
  let dueAt: Instant | undefined;
  let idle = 0;
  let cursor = start;
  for (let day = startDay; dueAt === undefined; day += 1) {
    const opening = openings[isoWeekdayOf(day) - 1];
    const reason = nonWorking(day) ?? (opening === undefined || opening.intervals.length === 0 ? 'closed' : undefined);
    let usedToday = 0;
    if (reason !== undefined) {
      skipped.push({ date: formatDayNumber(day), reason });
    } else {
      // Open whenever the local clock shows a time inside an interval: on a fall-back night a
      // stretch of wall time can occur twice, so collect the day's real-time spans and use them
      // in real-time order.
      const spans = (opening?.intervals ?? [])
        .flatMap((i) => localSpans(zone, day * DAY_MS + i.from * 60_000, day * DAY_MS + i.to * 60_000))
        .sort((a, b) => a.from - b.from);
      for (const span of spans) {
        const from = Math.max(span.from, cursor);
        if (span.to <= from) continue;
        countingStart ??= from;
        if (remaining <= span.to - from) {
          dueAt = from + remaining;
          usedToday += remaining;
          break;
        }
        remaining -= span.to - from;
        usedToday += span.to - from;
        cursor = span.to;
      }
    }
    if (usedToday > 0) used.push({ day, ms: usedToday });
    if (usedToday > 0 || dueAt !== undefined) idle = 0;
    else if (++idle > maxDaysWithoutWorkingTime) return E.left(noWorkingTime(day - idle + 1, day, 'opening time'));
  }
  const opened = openings
    .map((o, i) => (o.intervals.length === 0 ? undefined : `${WEEKDAYS_SHORT[i] ?? '?'} ${o.text}`))
    .filter((s): s is string => s !== undefined)
    .join('; ');
  const startsAt = countingStart ?? dueAt;
  const body = [
    `Period: ${describePeriod(period)}, counted only inside the calendar's opening hours (${opened}); weekend days and holidays have none.`,
    startsAt === start
      ? 'Counting starts at the instant the clock started, which is inside opening hours.'
      : `The clock started outside opening hours, so counting starts at the next opening, ${toLocalIso(startsAt, ctx.calendar.zone)}.`,
    ...(used.length === 0
      ? []
      : used.length <= 31
        ? [`Working time counted: ${used.map((u) => `${formatDayNumber(u.day)} ${formatDuration(u.ms)}`).join(', ')}.`]
        : [`Working time counted on ${used.length} days from ${formatDayNumber(used[0]?.day ?? startDay)} to ${formatDayNumber(used[used.length - 1]?.day ?? startDay)}.`]),
  ];
  return E.right({
    dueAt,
    convention: 'elapsed-time',
    notCounted: ["time outside the calendar's opening hours"],
    skipped,
    body,
    due: `Due when ${plural(period.amount, 'working hour has', 'working hours have')} been used up: ${toLocalIso(dueAt, ctx.calendar.zone)} (${toIso(dueAt)}).`,
  });
};

const computeUnit = (ctx: Context): Either<DeadlineError, Computed> => {
  switch (ctx.period.unit) {
    case 'hours':
      return hoursDeadline(ctx);
    case 'calendarDays':
    case 'weeks':
      return dayBasedDeadline(ctx);
    case 'months':
    case 'years':
      return monthBasedDeadline(ctx);
    case 'businessDays':
      return businessDaysDeadline(ctx);
    case 'workingHours':
      return workingHoursDeadline(ctx);
  }
};

// A host's holiday function that throws must not escape computeDeadline: its exception is carried
// out of the unit computation in this marked wrapper and turned into an InvalidCalendar error.
const PROVIDER_FAILURE = Symbol('lethe.time.holidayProviderFailure');
interface ProviderFailure {
  readonly [PROVIDER_FAILURE]: true;
  readonly date: string;
  readonly message: string;
}
const isProviderFailure = (e: unknown): e is ProviderFailure =>
  typeof e === 'object' && e !== null && PROVIDER_FAILURE in e;
const guardProvider =
  (f: (day: number) => 'weekend' | 'holiday' | undefined) =>
  (day: number): 'weekend' | 'holiday' | undefined => {
    try {
      return f(day);
    } catch (e) {
      const failure: ProviderFailure = {
        [PROVIDER_FAILURE]: true,
        date: formatDayNumber(day),
        message: e instanceof Error ? e.message : String(e),
      };
      throw failure;
    }
  };

/**
 * Computes when a period that started at `start` ends, in the calendar's zone, under `rules`
 * (default {@link defaultCountingRules}), with an explanation (see the module doc for each unit's
 * meaning). Fails with `InvalidStart` (not a finite instant in years 1900-8999), `InvalidPeriod`,
 * `InvalidZone` or `InvalidCalendar` (bad calendar), `InvalidRules`, `NoOpeningHours` (working
 * hours without opening hours) or `NoWorkingTime` (no working day or opening time in
 * {@link maxDaysWithoutWorkingTime} consecutive days). Never throws: a throwing `isHoliday` gives
 * `InvalidCalendar` with path `'isHoliday'`.
 */
export const computeDeadline = (input: DeadlineInput): Either<DeadlineError, Deadline> => {
  const { start, period, citation } = input;
  if (typeof start !== 'number' || !Number.isFinite(start) || start < MIN_START || start > MAX_START) {
    return E.left({ _tag: 'InvalidStart', start, reason: `${String(start)} is not an instant in the years 1900 to 8999` });
  }
  const periodChecked = validatePeriod(period);
  if (E.isLeft(periodChecked)) return periodChecked;
  const calendarChecked = validateCalendar(input.calendar);
  if (E.isLeft(calendarChecked)) return calendarChecked;
  const rules = input.rules ?? defaultCountingRules;
  if (
    typeof rules !== 'object' ||
    rules === null ||
    (rules.convention !== 'eu-1182-71' && rules.convention !== 'uk-ico') ||
    typeof rules.rollForward !== 'boolean'
  ) {
    return E.left({ _tag: 'InvalidRules', reason: "rules need convention 'eu-1182-71' or 'uk-ico' and a boolean rollForward" });
  }
  const calendar = input.calendar;
  const zone = IANAZone.create(calendar.zone);
  const ctx: Context = {
    start,
    period,
    calendar,
    rules,
    zone,
    startDay: localDayNumber(zone, start),
    nonWorking: guardProvider(nonWorkingReasonFn(calendar)),
  };
  const computed = ((): Either<DeadlineError, Computed> => {
    try {
      return computeUnit(ctx);
    } catch (e) {
      if (isProviderFailure(e)) {
        return E.left({ _tag: 'InvalidCalendar', path: 'isHoliday', reason: `isHoliday threw for ${e.date}: ${e.message}` });
      }
      throw e;
    }
  })();
  if (E.isLeft(computed)) return computed;
  const c = computed.right;
  const startLocal = toLocalIso(start, calendar.zone);
  const lines = [
    `Clock started ${startLocal} (${calendar.zone}; ${toIso(start)}).`,
    ...(calendar.name === undefined ? [] : [`Calendar: ${calendar.name}.`]),
    ...c.body,
    ...(c.skipped.length === 0 ? [] : [`Skipped: ${skippedText(c.skipped)}.`]),
    c.due,
    ...(citation === undefined ? [] : [`Source: ${citation}${/[.!?]$/.test(citation) ? '' : '.'}`]),
  ];
  const explanation: DeadlineExplanation = {
    start: toIso(start),
    startLocal,
    zone: calendar.zone,
    period: { unit: period.unit, amount: period.amount },
    convention: c.convention,
    notCounted: c.notCounted,
    skipped: c.skipped,
    ...(c.rolledForward === undefined ? {} : { rolledForward: c.rolledForward }),
    dueAt: toIso(c.dueAt),
    dueAtLocal: toLocalIso(c.dueAt, calendar.zone),
    ...(citation === undefined ? {} : { citation }),
    text: lines.join(' '),
  };
  return E.right({ dueAt: c.dueAt, explanation });
};

/** Whether `now` is past the deadline: true when `now > dueAt` (the due instant itself is on time). */
export const isOverdue = (deadline: Deadline, now: Instant): boolean => now > deadline.dueAt;
