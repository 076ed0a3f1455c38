/**
 * Instants and their ISO 8601 spellings. Events carry ISO strings; computation uses
 * {@link Instant} (epoch milliseconds, UTC). An ISO string must name its offset (`Z` or `+01:00`):
 * a local time without one is ambiguous, so {@link instantFromIso} rejects it.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { DateTime, IANAZone } from 'luxon';
import type { Instant } from './types.js';

/** Why a string is not an instant. */
export interface InstantError {
  readonly _tag: 'InvalidInstant';
  readonly input: string;
  readonly reason: string;
}

/** The largest magnitude an ECMAScript date can hold (±100,000,000 days from 1970). */
const MAX_EPOCH_MS = 8.64e15;

// A calendar date and time of day, then a mandatory offset. Week dates, ordinal dates and
// date-only strings are refused: each of them hides a zone choice or a time-of-day choice.
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/;

const invalid = (input: string, reason: string): Either<InstantError, Instant> =>
  E.left({ _tag: 'InvalidInstant', input, reason });

/**
 * Parses an ISO 8601 date-time with an offset (`2026-01-30T17:00:00+01:00`, `...Z`) into an
 * {@link Instant}. Fractions beyond milliseconds are truncated. Fails with `InvalidInstant` when
 * the string has no offset (a local time is ambiguous), is not a calendar date-time, or names a
 * date or time that does not exist (`2026-02-30`, `25:00`).
 */
export const instantFromIso = (s: string): Either<InstantError, Instant> => {
  if (typeof s !== 'string') return invalid(String(s), 'not a string');
  const m = ISO_WITH_OFFSET.exec(s);
  if (m === null) {
    const withoutOffset = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}([.,]\d+)?)?)?$/.test(s);
    return invalid(
      s,
      withoutOffset
        ? 'no offset: a local date or time is ambiguous; add Z or an offset such as +01:00'
        : 'not an ISO 8601 date-time with offset (YYYY-MM-DDTHH:mm[:ss[.sss]] then Z or ±HH:MM)',
    );
  }
  const parsed = DateTime.fromISO(s, { setZone: true });
  if (!parsed.isValid) {
    return invalid(s, `not a real date or time (${parsed.invalidExplanation ?? parsed.invalidReason ?? 'invalid'})`);
  }
  const hour = Number(m[4]);
  if (hour > 23) return invalid(s, 'hour must be 00 to 23');
  return E.right(parsed.toMillis());
};

const zoneValidity = new Map<string, boolean>();

/**
 * Whether `zone` is an IANA time zone the runtime knows (luxon's `IANAZone.isValidZone`, which
 * builds an `Intl.DateTimeFormat`; memoised because that costs about 100 µs).
 */
export const isValidZone = (zone: string): boolean => {
  if (typeof zone !== 'string') return false;
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (zoneValidity.size < 1000) zoneValidity.set(zone, valid);
  }
  return valid;
};

/** Whether `i` is a finite number of milliseconds an ECMAScript date can hold. */
export const isValidInstant = (i: unknown): i is Instant =>
  typeof i === 'number' && Number.isFinite(i) && Math.abs(i) <= MAX_EPOCH_MS;

/**
 * Formats an instant as ISO 8601 in UTC with milliseconds (`2026-01-30T16:00:00.000Z`). Never
 * throws: a value that is not a valid instant (NaN, ±Infinity, beyond ±8.64e15) gives
 * `'<invalid instant: …>'`, which no parser accepts.
 */
export const toIso = (i: Instant): string =>
  isValidInstant(i) ? new Date(i).toISOString() : `<invalid instant: ${String(i)}>`;

const pad = (n: number, width: number): string => String(Math.trunc(Math.abs(n))).padStart(width, '0');

const formatYear = (y: number): string => (y >= 0 && y <= 9999 ? pad(y, 4) : `${y < 0 ? '-' : '+'}${pad(y, 6)}`);

/** Formats a UTC offset given in minutes as `+HH:MM` (or `+HH:MM:SS` for pre-1972 local mean times). */
const formatOffset = (offsetMinutes: number): string => {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const totalSeconds = Math.round(Math.abs(offsetMinutes) * 60);
  const h = Math.floor(totalSeconds / 3600);
  const min = Math.floor((totalSeconds % 3600) / 60);
  const sec = totalSeconds % 60;
  return `${sign}${pad(h, 2)}:${pad(min, 2)}${sec === 0 ? '' : `:${pad(sec, 2)}`}`;
};

/**
 * Formats an instant as ISO 8601 local time in an IANA zone, with the offset in force at that
 * instant (`2026-01-30T17:00:00.000+01:00`). Deterministic: no locale is involved. Never throws:
 * an invalid instant or zone gives `'<invalid instant: …>'` or `'<invalid zone: …>'`.
 */
export const toLocalIso = (i: Instant, zone: string): string => {
  if (!isValidInstant(i)) return toIso(i);
  if (!isValidZone(zone)) return `<invalid zone: ${zone}>`;
  const offset = IANAZone.create(zone).offset(i);
  const local = new Date(i + offset * 60_000);
  const date = `${formatYear(local.getUTCFullYear())}-${pad(local.getUTCMonth() + 1, 2)}-${pad(local.getUTCDate(), 2)}`;
  const time = `${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:${pad(local.getUTCSeconds(), 2)}.${pad(local.getUTCMilliseconds(), 3)}`;
  return `${date}T${time}${formatOffset(offset)}`;
};
