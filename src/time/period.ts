/**
 * Periods: an amount and exactly one unit, written as ISO 8601 durations.
 *
 * | Spelling | Unit            | Example | Meaning                                              |
 * |----------|-----------------|---------|------------------------------------------------------|
 * | `PTnH`   | `hours`         | `PT72H` | exact elapsed time, through nights and weekends      |
 * | `PnD`    | `calendarDays`  | `P45D`  | calendar days                                        |
 * | `PnW`    | `weeks`         | `P2W`   | weeks of 7 calendar days                             |
 * | `PnM`    | `months`        | `P1M`   | calendar months, clamped at month end                |
 * | `PnY`    | `years`         | `P1Y`   | calendar years (12 calendar months)                  |
 * | `PnBD`   | `businessDays`  | `P3BD`  | days that are neither weekend days nor holidays      |
 * | `PTnWH`  | `workingHours`  | `PT72WH`| hours inside the calendar's opening hours            |
 *
 * `BD` and `WH` are Lethe's own designators (ISO 8601 has none for business time). Designators are
 * upper case; the amount is a whole number >= 0 without sign or fraction. Durations with more than
 * one unit (`P1M15D`, `P1DT12H`) are refused: counting rules differ per unit (a month is clamped,
 * days may roll forward, hours never do), so a mixed period has no single meaning. Minutes and
 * seconds are refused too: no privacy deadline is expressed in them.
 *
 * Amounts are capped per unit (see {@link maxPeriodAmount}), so every period Lethe accepts gives a
 * deadline in finite, small time.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { Period, PeriodUnit } from './types.js';

/** Why a text or value is not a period. `input` is the text (or the value as JSON). */
export interface PeriodError {
  readonly _tag: 'InvalidPeriod';
  readonly input: string;
  readonly reason: string;
}

/** Every period unit, in a stable order. */
export const periodUnits: readonly PeriodUnit[] = [
  'hours',
  'calendarDays',
  'weeks',
  'businessDays',
  'workingHours',
  'months',
  'years',
];

/**
 * The largest amount accepted per unit: 200 years of calendar time, and 10,000 for business days
 * and working hours (about 40 years and 5 years of a 40-hour week).
 */
export const maxPeriodAmount: Readonly<Record<PeriodUnit, number>> = {
  hours: 1_753_200,
  calendarDays: 73_050,
  weeks: 10_436,
  businessDays: 10_000,
  workingHours: 10_000,
  months: 2_400,
  years: 200,
};

const designatorOf: Readonly<Record<PeriodUnit, { readonly prefix: 'P' | 'PT'; readonly suffix: string }>> = {
  hours: { prefix: 'PT', suffix: 'H' },
  calendarDays: { prefix: 'P', suffix: 'D' },
  weeks: { prefix: 'P', suffix: 'W' },
  businessDays: { prefix: 'P', suffix: 'BD' },
  workingHours: { prefix: 'PT', suffix: 'WH' },
  months: { prefix: 'P', suffix: 'M' },
  years: { prefix: 'P', suffix: 'Y' },
};

const showValue = (u: unknown): string => {
  if (typeof u === 'string') return JSON.stringify(u);
  try {
    return JSON.stringify(u) ?? String(u);
  } catch {
    return String(u);
  }
};

const fail = (input: string, reason: string): Either<PeriodError, never> => E.left({ _tag: 'InvalidPeriod', input, reason });

/**
 * Checks a period value: a known unit and a whole amount from 0 to {@link maxPeriodAmount}.
 * Returns it unchanged, or `InvalidPeriod` saying what is wrong.
 */
export const validatePeriod = (p: Period): Either<PeriodError, Period> => {
  if (typeof p !== 'object' || p === null) return fail(showValue(p), 'not an object { unit, amount }');
  const input = showValue(p);
  if (!periodUnits.includes(p.unit)) {
    return fail(input, `unknown unit ${showValue(p.unit)}; expected one of ${periodUnits.join(', ')}`);
  }
  if (typeof p.amount !== 'number' || !Number.isInteger(p.amount)) return fail(input, 'the amount must be a whole number');
  if (p.amount < 0) return fail(input, 'the amount must not be negative');
  const max = maxPeriodAmount[p.unit];
  if (p.amount > max) return fail(input, `the amount must be at most ${max} for ${p.unit}`);
  return E.right(p);
};

interface Component {
  readonly amount: string;
  readonly designator: string;
  readonly inTime: boolean;
}

const unitOf = (c: Component): Either<string, PeriodUnit> => {
  if (c.inTime) {
    switch (c.designator) {
      case 'H':
        return E.right('hours');
      case 'WH':
        return E.right('workingHours');
      case 'M':
        return E.left('minutes are not supported; use whole hours (PTnH)');
      case 'S':
        return E.left('seconds are not supported; use whole hours (PTnH)');
      default:
        return E.left(`"${c.designator}" belongs before the T (write P${c.amount}${c.designator})`);
    }
  }
  switch (c.designator) {
    case 'Y':
      return E.right('years');
    case 'M':
      return E.right('months');
    case 'W':
      return E.right('weeks');
    case 'D':
      return E.right('calendarDays');
    case 'BD':
      return E.right('businessDays');
    default:
      return E.left(`"${c.designator}" belongs after a T (write PT${c.amount}${c.designator})`);
  }
};

const ALL_DESIGNATORS = ['BD', 'WH', 'Y', 'M', 'W', 'D', 'H', 'S'];

/**
 * Parses an ISO 8601 duration with exactly one unit: `PT72H`, `P45D`, `P2W`, `P1M`, `P1Y`, and
 * Lethe's `P3BD` (business days) and `PT72WH` (working hours). Fails with `InvalidPeriod` and a
 * reason for an empty or signed text, a fraction (`P1.5D`), an unknown designator (`P3X`), more
 * than one unit (`P1M15D`), minutes or seconds, or an amount above {@link maxPeriodAmount}.
 */
export const parsePeriod = (text: string): Either<PeriodError, Period> => {
  if (typeof text !== 'string') return fail(showValue(text), 'not a string');
  if (text === '') return fail(text, 'empty text; expected an ISO 8601 duration such as P1M or PT72H');
  if (text.trim() !== text) return fail(text, 'surrounding whitespace is not allowed');
  if (/^[-\u2212]/.test(text)) return fail(text, 'negative periods are not allowed');
  if (text.startsWith('+')) return fail(text, 'a sign is not allowed');
  if (text.startsWith('p')) return fail(text, 'designators are upper case (P, T, Y, M, W, D, BD, H, WH)');
  if (!text.startsWith('P')) return fail(text, 'an ISO 8601 duration starts with P (e.g. P45D, PT72H)');

  const components: Component[] = [];
  let inTime = false;
  let sawT = false;
  let i = 1;
  while (i < text.length) {
    if (text[i] === 'T') {
      if (sawT) return fail(text, 'T appears twice');
      sawT = true;
      inTime = true;
      i += 1;
      continue;
    }
    const number = /^[0-9.,]*/.exec(text.slice(i))?.[0] ?? '';
    i += number.length;
    const rest = text.slice(i);
    if (number === '') {
      return fail(text, rest === '' ? 'no amount' : `"${rest[0] ?? ''}" is not preceded by an amount`);
    }
    if (rest === '' || rest.startsWith('T')) return fail(text, `the amount ${number} has no unit designator`);
    const designator = ALL_DESIGNATORS.find((d) => rest.startsWith(d));
    if (designator === undefined) {
      const found = /^[A-Za-z]+/.exec(rest)?.[0] ?? rest[0] ?? '';
      const hint = found.toUpperCase() !== found && ALL_DESIGNATORS.some((d) => found.toUpperCase().startsWith(d)) ? ' (designators are upper case)' : '';
      return fail(
        text,
        `unknown unit designator "${found}"${hint}; use Y, M, W, D or BD (years, months, weeks, calendar days, business days) or, after T, H or WH (hours, working hours)`,
      );
    }
    if (/[.,]/.test(number)) {
      return fail(text, 'fractional amounts are not allowed; use a smaller unit (PT36H rather than P1.5D)');
    }
    components.push({ amount: number, designator, inTime });
    i += designator.length;
  }
  if (components.length === 0) return fail(text, sawT ? 'no amount after T' : 'no amount and unit (e.g. P45D)');
  if (sawT && !components.some((c) => c.inTime)) return fail(text, 'T with nothing after it');
  if (components.length > 1) {
    return fail(
      text,
      `a period has exactly one unit, because counting rules differ per unit (months clamp at month end, days may roll forward, hours never do); this one has ${components.length} (${components
        .map((c) => `${c.amount}${c.designator}`)
        .join(', ')}): express it in a single unit`,
    );
  }
  const [only] = components;
  if (only === undefined) return fail(text, 'no amount and unit');
  const unit = unitOf(only);
  if (E.isLeft(unit)) return fail(text, unit.left);
  const amount = Number(only.amount);
  if (!Number.isSafeInteger(amount)) return fail(text, 'the amount is too large');
  const checked = validatePeriod({ unit: unit.right, amount });
  return E.isLeft(checked) ? fail(text, checked.left.reason) : checked;
};

/** Formats a period as the text {@link parsePeriod} reads back: `PT72H`, `P3BD`, `P1M`... */
export const formatPeriod = (p: Period): string => {
  const d = designatorOf[p.unit];
  return `${d.prefix}${p.amount}${d.suffix}`;
};

const unitNames: Readonly<Record<PeriodUnit, readonly [string, string]>> = {
  hours: ['hour', 'hours'],
  calendarDays: ['calendar day', 'calendar days'],
  weeks: ['week', 'weeks'],
  businessDays: ['business day', 'business days'],
  workingHours: ['working hour', 'working hours'],
  months: ['calendar month', 'calendar months'],
  years: ['year', 'years'],
};

/** Describes a period in English words: `"72 hours"`, `"3 business days"`, `"1 calendar month"`. */
export const describePeriod = (p: Period): string => {
  const [one, many] = unitNames[p.unit];
  return `${p.amount} ${p.amount === 1 ? one : many}`;
};

const isPeriod = (u: unknown): u is Period =>
  typeof u === 'object' && u !== null && E.isRight(validatePeriod(u as Period));

/**
 * io-ts codec between a period's ISO 8601 text (as {@link parsePeriod} reads it) and a
 * {@link Period}. A bad value fails with a message like
 * `"P3X" is not a period: unknown unit designator "X"; ...`.
 */
export const PeriodFromString: t.Type<Period, string, unknown> = new t.Type<Period, string, unknown>(
  'PeriodFromString',
  isPeriod,
  (u, c) => {
    if (typeof u !== 'string') {
      return t.failure(u, c, `${showValue(u)} is not a period: expected an ISO 8601 duration text such as "P1M" or "PT72H"`);
    }
    const parsed = parsePeriod(u);
    return E.isLeft(parsed) ? t.failure(u, c, `${JSON.stringify(u)} is not a period: ${parsed.left.reason}`) : t.success(parsed.right);
  },
  formatPeriod,
);

/**
 * io-ts codec of a period written either as text (`"P3BD"`) or as an object
 * `{ unit: 'businessDays', amount: 3 }`; encodes to text. Fails with a message like
 * `"P3X" is not a period: ...` or `{"unit":"days","amount":3} is not a period: unknown unit ...`.
 */
export const PeriodCodec: t.Type<Period, string, unknown> = new t.Type<Period, string, unknown>(
  'Period',
  isPeriod,
  (u, c) => {
    if (typeof u === 'string') return PeriodFromString.validate(u, c);
    if (typeof u !== 'object' || u === null || Array.isArray(u)) {
      return t.failure(u, c, `${showValue(u)} is not a period: expected text such as "P1M" or an object { unit, amount }`);
    }
    const o = u as { readonly unit?: unknown; readonly amount?: unknown };
    const checked = validatePeriod({ unit: o.unit as PeriodUnit, amount: o.amount as number });
    return E.isLeft(checked)
      ? t.failure(u, c, `${showValue(u)} is not a period: ${checked.left.reason}`)
      : t.success({ unit: checked.right.unit, amount: checked.right.amount });
  },
  formatPeriod,
);
