/**
 * What every Lethe event carries beside its payload, and the io-ts helpers the engine uses to
 * validate payloads on the way in and out with errors that name the path (`data.purpose`) and
 * never the value (which may be personal data).
 *
 * @module
 */
import { findNonJson } from '../store/validate.js';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { JsonValue } from '../store/port.js';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** True when `value` is an ISO 8601 date-time with a zone designator (`2026-01-31T09:00:00Z`). */
export const isIsoDateTime = (value: unknown): value is string => {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) return false;
  // Date.parse rolls 31 February over into March: check the calendar date exists.
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/** Codec of an ISO 8601 date-time string with a zone designator; decodes to the same string. */
export const IsoDateTime: t.Type<string, string, unknown> = new t.Type<string, string, unknown>(
  'IsoDateTime',
  isIsoDateTime,
  (u, c) => (isIsoDateTime(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/**
 * Codec of the metadata on every event the engine appends:
 * - `eventId`: the event's id (derived from the command id when the caller gave one);
 * - `occurredAt`: business time, supplied by the caller (deadlines run from it);
 * - `recordedAt`: when the engine appended it, from the engine's clock;
 * - `causationId`: the id of the message that caused it (the command, or the event a reaction answered);
 * - `correlationId`: the id shared by everything one original request set in motion;
 * - `actor`: who or what acted (a user id, `lethe.reaction/<name>`, ...; never a name or e-mail);
 * - `policyVersion`: the policy document version in force, or null;
 * - `commandId`: the id of the command that produced it, when the caller gave one.
 */
export const EventMetadata = t.intersection([
  t.type({
    eventId: t.string,
    occurredAt: IsoDateTime,
    recordedAt: IsoDateTime,
    causationId: t.union([t.string, t.null]),
    correlationId: t.string,
    actor: t.string,
    policyVersion: t.union([t.string, t.null]),
  }),
  t.partial({ commandId: t.string }),
]);

/** The metadata of a Lethe event (see {@link EventMetadata}). */
export type EventMetadata = t.TypeOf<typeof EventMetadata>;

/** Why a value failed its codec: the first failing path, every failing path, and no value. */
export interface CodecFailure {
  /** Dotted path of the first failure, e.g. `data.purpose` or `data.items.2.amount`; `''` for the root. */
  readonly path: string;
  /** Every distinct failing path, in the codec's order. */
  readonly paths: readonly string[];
}

const wrapperTags = new Set(['UnionType', 'IntersectionType', 'TaggedUnionType']);

/** Returns the dotted path of one io-ts error, leaving out the index keys unions and intersections add. */
export const errorPath = (error: t.ValidationError): string => {
  const keys: string[] = [];
  const context = error.context;
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1]?.type as { readonly _tag?: string } | undefined;
    if (parent?._tag !== undefined && wrapperTags.has(parent._tag)) continue;
    const key = context[i]?.key;
    if (key !== undefined && key !== '') keys.push(key);
  }
  return keys.join('.');
};

/** Returns the failing paths of io-ts errors, first failure first, without duplicates. */
export const codecFailure = (errors: t.Errors): CodecFailure => {
  const paths = [...new Set(errors.map(errorPath))];
  return { path: paths[0] ?? '', paths };
};

/** Returns the first path at which `value` is not JSON (undefined when it all is). */
export const findNonJsonPath = (value: unknown, path = ''): string | undefined =>
  findNonJson(value, path, 0, 'dots')?.path;

/** Decodes `input` with `codec`; Left names the failing paths. Never throws. */
export const decodeWith = <A, O>(codec: t.Type<A, O, unknown>, input: unknown): E.Either<CodecFailure, A> => {
  try {
    const result = codec.decode(input);
    return E.isRight(result) ? result : E.left(codecFailure(result.left));
  } catch {
    return E.left({ path: '', paths: [''] });
  }
};

/**
 * Validates a value on its way into the store: encodes it, checks the result is JSON, and
 * decodes it back, so that what is written is exactly what a reader will accept. Returns the
 * JSON form, or the failing paths. Never throws (a throwing encoder fails at the root path).
 */
export const encodeForStore = <A, O>(codec: t.Type<A, O, unknown>, value: A): E.Either<CodecFailure, JsonValue> => {
  let encoded: O;
  try {
    encoded = codec.encode(value);
  } catch {
    // An encoder throws on values outside its type (a union with an unknown tag): name the path
    // the decoder would have named, when it can.
    const asInput = decodeWith(codec, value);
    return E.left(E.isLeft(asInput) ? asInput.left : { path: '', paths: [''] });
  }
  const nonJson = findNonJsonPath(encoded);
  if (nonJson !== undefined) return E.left({ path: nonJson, paths: [nonJson] });
  const back = decodeWith(codec, encoded);
  return E.isLeft(back) ? back : E.right(encoded as JsonValue);
};

/** Returns the ISO 8601 UTC form of an instant (epoch milliseconds). Reads no clock. */
export const isoOf = (instant: number): string => new Date(instant).toISOString();
