/**
 * Small io-ts building blocks for the policy codecs: objects that reject unknown fields (a typo
 * such as `retension` is a problem, not a silently dropped key), periods and instants with
 * messages a person understands, non-empty strings and whole numbers.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { PeriodCodec, instantFromIso } from '../time/index.js';
import type { Period } from '../time/types.js';
import { showValue } from './errors.js';

/**
 * An object codec with required and optional fields that reports every bad field and every
 * unknown field (with the fields it expected), instead of stripping or ignoring them.
 */
export const struct = <R extends t.Props, P extends t.Props>(
  name: string,
  required: R,
  optional: P,
): t.Type<t.TypeOf<t.TypeC<R>> & t.TypeOf<t.PartialC<P>>, t.OutputOf<t.TypeC<R>> & t.OutputOf<t.PartialC<P>>, unknown> => {
  const base = t.intersection([t.type(required), t.partial(optional)], name);
  const known = [...Object.keys(required), ...Object.keys(optional)];
  return new t.Type(
    name,
    base.is,
    (input, context) => {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        return t.failure(input, context, `${showValue(input)} is not an object`);
      }
      const record = input as Record<string, unknown>;
      const errors: t.ValidationError[] = [];
      const out: Record<string, unknown> = {};
      const field = (key: string, codec: t.Mixed, isRequired: boolean): void => {
        const value = record[key];
        if (value === undefined) {
          if (isRequired) {
            errors.push({ value, context: t.appendContext(context, key, codec, value), message: 'required field is missing' });
          }
          return;
        }
        const result = codec.validate(value, t.appendContext(context, key, codec, value));
        if (E.isLeft(result)) errors.push(...result.left);
        else out[key] = result.right;
      };
      for (const [key, codec] of Object.entries(required)) field(key, codec, true);
      for (const [key, codec] of Object.entries(optional)) field(key, codec, false);
      for (const key of Object.keys(record)) {
        if (known.includes(key)) continue;
        errors.push({
          value: record[key],
          context: t.appendContext(context, key, t.unknown, record[key]),
          message: `unknown field (expected one of: ${known.join(', ')})`,
        });
      }
      return errors.length > 0 ? t.failures(errors) : t.success(out as t.TypeOf<t.TypeC<R>> & t.TypeOf<t.PartialC<P>>);
    },
    (value) => base.encode(value),
  );
};

/**
 * A period as documents write it: an ISO-style string (`P30D`, `PT72H`, `P1M`, `P3BD`, `PT72WH`)
 * or `{ unit, amount }`; decodes to a `Period`. Failure: `"P3X" is not a period: <reason>`.
 */
export const PeriodField: t.Type<Period, string, unknown> = PeriodCodec;

/** A string that is not empty (after trimming). */
export const NonEmptyString = new t.Type<string, string, unknown>(
  'NonEmptyString',
  (u): u is string => typeof u === 'string' && u.trim().length > 0,
  (u, c) =>
    typeof u !== 'string'
      ? t.failure(u, c, `${showValue(u)} is not a string`)
      : u.trim().length === 0
        ? t.failure(u, c, 'must not be empty')
        : t.success(u),
  (s) => s,
);

/** A whole number >= `min`. */
export const wholeNumber = (min: number, name = `WholeNumber>=${min}`): t.Type<number, number, unknown> =>
  new t.Type<number, number, unknown>(
    name,
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min,
    (u, c) =>
      typeof u === 'number' && Number.isInteger(u) && u >= min
        ? t.success(u)
        : t.failure(u, c, `${showValue(u)} is not a whole number of at least ${min}`),
    (n) => n,
  );

/** An ISO 8601 instant with a zone offset (`2026-01-01T00:00:00Z`), kept as the string. */
export const IsoInstant = new t.Type<string, string, unknown>(
  'IsoInstant',
  (u): u is string => typeof u === 'string' && E.isRight(instantFromIso(u)),
  (u, c) =>
    typeof u === 'string' && E.isRight(instantFromIso(u))
      ? t.success(u)
      : t.failure(u, c, `${showValue(u)} is not an ISO 8601 instant with a zone offset (e.g. 2026-01-01T00:00:00Z)`),
  (s) => s,
);

/** A local date `YYYY-MM-DD` that exists in the calendar. */
export const LocalDate = new t.Type<string, string, unknown>(
  'LocalDate',
  (u): u is string => typeof u === 'string' && isLocalDate(u),
  (u, c) =>
    typeof u === 'string' && isLocalDate(u) ? t.success(u) : t.failure(u, c, `${showValue(u)} is not a date YYYY-MM-DD`),
  (s) => s,
);

const isLocalDate = (s: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
};

/** A codec that adds a check to `codec`; a value failing it is reported with `message(value)`. */
export const refine = <A, O>(
  codec: t.Type<A, O, unknown>,
  check: (a: A) => boolean,
  message: (a: A) => string,
  name: string = codec.name,
): t.Type<A, O, unknown> =>
  new t.Type(
    name,
    (u): u is A => codec.is(u) && check(u),
    (input, context) => {
      const result = codec.validate(input, context);
      if (E.isLeft(result)) return result;
      return check(result.right) ? result : t.failure(input, context, message(result.right));
    },
    codec.encode,
  );

/**
 * A codec of one of `values` (an io-ts keyof codec at run time, so a failure lists the allowed
 * values), typed as a plain union of string literals.
 */
export const oneOf = <K extends string>(name: string, values: readonly K[]): t.Type<K, K, unknown> =>
  t.keyof(Object.fromEntries(values.map((v) => [v, null])) as { [P in K]: null }, name);
