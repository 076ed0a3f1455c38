/**
 * The check of ISO 8601 date-time text that every event's timestamps go through on every replay,
 * written to cost a few dozen character reads instead of a regular expression and `Date.parse`.
 *
 * @module
 */

/** The digit at `at` (0-9), or -1 when there is none. */
const digitAt = (s: string, at: number): number => {
  const d = s.charCodeAt(at) - 48;
  return d >= 0 && d <= 9 ? d : -1;
};

/** The two-digit number at `at`, or -1 when either character is not a digit. */
const twoDigitsAt = (s: string, at: number): number => {
  const a = digitAt(s, at);
  const b = digitAt(s, at + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
};

/** The number of days in `month` (1-12) of `year`, proleptic Gregorian. */
export const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31;

/**
 * True when `s` is an ISO 8601 date-time with a zone designator, `YYYY-MM-DDTHH:MM[:SS[.f{1,9}]]`
 * then `Z` or `±HH:MM`, that `Date.parse` reads; with `calendarDate`, its date must also exist
 * (`Date.parse` rolls 31 February over into March; with `calendarDate` false that is accepted).
 *
 * The shape is scanned character by character; when every field is in its everyday range (month
 * 1-12, a day the month has, 00:00-23:59:59, offset up to ±23:59, which `Date.parse` always reads)
 * the answer needs nothing else. Anything unusual (`24:00`, a leap second, a 31 April without
 * `calendarDate`) is decided by `Date.parse`, so the answers are those of the regular expression
 * `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$` with `Date.parse`
 * (property-tested against exactly that).
 */
export const isIsoDateTimeText = (s: string, calendarDate: boolean): boolean => {
  const n = s.length;
  if (n < 17 || n > 35) return false;
  const century = twoDigitsAt(s, 0);
  const yearOfCentury = twoDigitsAt(s, 2);
  const month = twoDigitsAt(s, 5);
  const day = twoDigitsAt(s, 8);
  const hour = twoDigitsAt(s, 11);
  const minute = twoDigitsAt(s, 14);
  if (century < 0 || yearOfCentury < 0 || month < 0 || day < 0 || hour < 0 || minute < 0) return false;
  if (s.charCodeAt(4) !== 45 /* - */ || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 /* T */ || s.charCodeAt(13) !== 58 /* : */)
    return false;
  let at = 16;
  let second = 0;
  if (s.charCodeAt(at) === 58 /* : */) {
    second = twoDigitsAt(s, at + 1);
    if (second < 0) return false;
    at += 3;
    if (s.charCodeAt(at) === 46 /* . */) {
      let end = at + 1;
      while (end < n && digitAt(s, end) >= 0) end++;
      const fractionDigits = end - at - 1;
      if (fractionDigits < 1 || fractionDigits > 9) return false;
      at = end;
    }
  }
  let offsetHours = 0;
  let offsetMinutes = 0;
  const zone = s.charCodeAt(at);
  if (zone === 90 /* Z */) {
    if (at + 1 !== n) return false;
  } else if (zone === 43 /* + */ || zone === 45 /* - */) {
    if (at + 6 !== n || s.charCodeAt(at + 3) !== 58 /* : */) return false;
    offsetHours = twoDigitsAt(s, at + 1);
    offsetMinutes = twoDigitsAt(s, at + 4);
    if (offsetHours < 0 || offsetMinutes < 0) return false;
  } else return false;

  const year = century * 100 + yearOfCentury;
  if (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= (calendarDate ? daysInMonth(year, month) : 31) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59
  )
    return true;
  if (Number.isNaN(Date.parse(s))) return false;
  if (!calendarDate) return true;
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};
