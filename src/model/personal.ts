/**
 * Personal fields, declared in the codecs. A field wrapped in {@link personal} is data about a
 * person (a name, an e-mail address, an IP address kept as consent evidence, request
 * correspondence). The engine never writes such a field into a stream name, a log line or an error
 * message, and crypto-shredding (sealing these fields under per-subject keys) finds them through
 * {@link personalPaths} without any change to event shapes.
 *
 * {@link redacted} wraps a value so that its string, JSON and inspect forms print `<redacted>`.
 *
 * @module
 */
import * as t from 'io-ts';

/** A codec marked as carrying personal data; it validates exactly like the codec it wraps. */
export interface PersonalType<C extends t.Mixed> extends t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> {
  readonly personal: true;
  readonly inner: C;
}

/** Returns `codec` marked as personal data: same validation, visible to {@link personalPaths}. */
export const personal = <C extends t.Mixed>(codec: C): PersonalType<C> =>
  Object.assign(new t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown>(`Personal<${codec.name}>`, codec.is, codec.validate, codec.encode), {
    personal: true as const,
    inner: codec,
  });

/** True when the codec was built by {@link personal}. */
export const isPersonal = (codec: t.Mixed): codec is PersonalType<t.Mixed> =>
  (codec as Partial<PersonalType<t.Mixed>>).personal === true;

interface CodecWithProps extends t.Mixed {
  readonly props: t.Props;
}
interface CodecWithTypes extends t.Mixed {
  readonly types: readonly t.Mixed[];
}
interface CodecWithType extends t.Mixed {
  readonly type: t.Mixed;
}

/**
 * Lists the paths of personal fields in a codec (`data.contact.email`, `evidence.ip`,
 * `notes[]`), walking type, partial, exact, strict, intersection, union, array, readonly and
 * refinement codecs. A union contributes the paths of every member.
 */
export const personalPaths = (codec: t.Mixed, prefix = ''): readonly string[] => {
  if (isPersonal(codec)) return [prefix];
  const seen = new Set<string>();
  const add = (paths: readonly string[]): void => paths.forEach((p) => seen.add(p));
  const c = codec as Partial<CodecWithProps & CodecWithTypes & CodecWithType>;
  if (c.props !== undefined) {
    for (const [key, inner] of Object.entries(c.props)) add(personalPaths(inner, prefix === '' ? key : `${prefix}.${key}`));
  } else if (c.types !== undefined) {
    for (const inner of c.types) add(personalPaths(inner, prefix));
  } else if (c.type !== undefined && typeof c.type === 'object' && c.type !== null && 'validate' in c.type) {
    const inner = c.type;
    const isArray = codec instanceof t.ArrayType || codec instanceof t.ReadonlyArrayType;
    add(personalPaths(inner, isArray ? `${prefix}[]` : prefix));
  }
  return [...seen].sort();
};

/** A value that prints as `<redacted>` in strings, JSON and `util.inspect`; read it with `.reveal()`. */
export interface Redacted<A> {
  /** Returns the wrapped value: call it only where the value is really needed. */
  readonly reveal: () => A;
  /** Returns `<redacted>`. */
  readonly toString: () => string;
  /** Returns `<redacted>`, so JSON never carries the value. */
  readonly toJSON: () => string;
}

const REDACTED = '<redacted>';

/** Wraps a personal value so that a stray log line or error message never shows it. */
export const redacted = <A>(value: A): Redacted<A> =>
  Object.freeze({
    reveal: () => value,
    toString: () => REDACTED,
    toJSON: () => REDACTED,
    [Symbol.for('nodejs.util.inspect.custom')]: () => REDACTED,
  });
