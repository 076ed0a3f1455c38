/**
 * What every Lethe event carries beside its payload, and the io-ts helpers the engine uses to
 * validate payloads on the way in and out with errors that name the path (`data.purpose`) and
 * never the value (which may be personal data).
 *
 * @module
 */
import { findNonJson } from '../store/validate.js';
import { isIsoDateTimeText } from '../time/isoText.js';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { JsonValue } from '../store/port.js';

/**
 * True when `value` is an ISO 8601 date-time with a zone designator (`2026-01-31T09:00:00Z`) that
 * `Date.parse` reads and whose calendar date exists. Every event carries at least two and replays
 * check them all, so this scans the characters rather than running a pattern and `Date.parse`.
 */
export const isIsoDateTime = (value: unknown): value is string => typeof value === 'string' && isIsoDateTimeText(value, true);

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

const IDENTITY_TAGS = new Set([
  'StringType',
  'NumberType',
  'BigIntType',
  'BooleanType',
  'NullType',
  'UndefinedType',
  'VoidType',
  'UnknownType',
  'AnyType',
  'LiteralType',
  'KeyofType',
  'UnknownRecordType',
  'UnknownArrayType',
]);

/** The parts of io-ts codecs the walk below reads. */
interface CodecParts {
  readonly _tag?: string;
  readonly encode?: unknown;
  readonly props?: Readonly<Record<string, unknown>>;
  readonly types?: readonly unknown[];
  readonly type?: unknown;
  readonly domain?: unknown;
  readonly codomain?: unknown;
  readonly inner?: unknown;
}

const unchangedByDecode = new WeakMap<object, boolean>();

/**
 * True when decoding with `codec` always yields its input unchanged: built from io-ts's plain
 * types, literals, keyofs, objects (`type`, `partial`), arrays, records, unions, intersections,
 * tuples, refinements and brands, and custom types whose `encode` is the identity (Lethe's
 * `personal()` marker is looked through). `exact`/`strict` (they strip keys), recursive types and
 * custom types with an encoder are treated as transforming. Remembered per codec.
 */
export const decodesUnchanged = (codec: unknown): boolean => {
  if (typeof codec !== 'object' || codec === null) return false;
  const known = unchangedByDecode.get(codec);
  if (known !== undefined) return known;
  // Provisional answer, so that a cycle is not walked forever (and is judged transforming).
  unchangedByDecode.set(codec, false);
  const c = codec as CodecParts;
  const all = (parts: readonly unknown[]): boolean => parts.every(decodesUnchanged);
  let answer: boolean;
  if (c.inner !== undefined) answer = decodesUnchanged(c.inner);
  else if (c._tag === undefined) answer = c.encode === t.identity;
  else if (IDENTITY_TAGS.has(c._tag)) answer = true;
  else if (c._tag === 'InterfaceType' || c._tag === 'PartialType') answer = all(Object.values(c.props ?? {}));
  else if (c._tag === 'UnionType' || c._tag === 'IntersectionType' || c._tag === 'TupleType') answer = all(c.types ?? []);
  else if (c._tag === 'ArrayType' || c._tag === 'ReadonlyArrayType' || c._tag === 'RefinementType' || c._tag === 'ReadonlyType')
    answer = decodesUnchanged(c.type);
  else if (c._tag === 'DictionaryType') answer = decodesUnchanged(c.domain) && decodesUnchanged(c.codomain);
  else answer = false;
  unchangedByDecode.set(codec, answer);
  return answer;
};

/**
 * Decodes `input` with `codec`, Left naming the failing paths, like {@link decodeWith}; for a
 * codec whose decoded value is always its input ({@link decodesUnchanged}: every Lethe event and
 * metadata codec), an input the codec's type guard accepts is returned as it is, which skips
 * io-ts's validation contexts and costs a fraction of a full decode. Replays decode every event,
 * so this is their hot path. Never throws.
 */
export const decodeUnchanged = <A, O>(codec: t.Type<A, O, unknown>, input: unknown): E.Either<CodecFailure, A> => {
  if (decodesUnchanged(codec)) {
    try {
      if (codec.is(input)) return E.right(input);
    } catch {
      // fall through: the full decode reports it
    }
  }
  return decodeWith(codec, input);
};

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
