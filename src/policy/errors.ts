/**
 * Validation problems of a policy document, each named by its path
 * (`categories[2].retention.period`) and told in a sentence a privacy person can act on.
 *
 * @module
 */
import type * as t from 'io-ts';

/** One thing wrong with a policy document: where (`categories[2].retention.period`) and what. */
export interface PolicyProblem {
  /** Where: `categories[2].retention.period`, `parameters.logRetention.value`, `(document)` for the whole. */
  readonly path: string;
  /** What is wrong, in a sentence that starts with the offending value where there is one. */
  readonly message: string;
}

/**
 * A policy document that did not validate. `problems` lists every problem found (never only the
 * first), structural ones in document order, then the cross-field checks.
 */
export interface PolicyValidationError {
  /** Discriminant. */
  readonly _tag: 'InvalidPolicy';
  /** Every problem found, never empty. */
  readonly problems: readonly PolicyProblem[];
}

/** Returns an {@link PolicyValidationError} holding `problems`. */
export const invalidPolicy = (problems: readonly PolicyProblem[]): PolicyValidationError => ({
  _tag: 'InvalidPolicy',
  problems,
});

/**
 * Renders a value for a message: JSON, cut at 60 characters, so a wrong value is visible without
 * flooding the message.
 */
export const showValue = (value: unknown): string => {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value.toString()}n`;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) return String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Appends a property key to a path: `a.b`, or `a["odd key"]` when the key is not a plain name. */
export const appendKey = (path: string, key: string): string => {
  if (!IDENTIFIER.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
};

/** Appends an array index to a path: `categories[2]`. */
export const appendIndex = (path: string, index: number): string => `${path}[${index}]`;

type Tagged = { readonly _tag?: string };

const tagOf = (decoder: t.Decoder<unknown, unknown>): string | undefined => (decoder as Tagged)._tag;

const describeExpected = (decoder: t.Decoder<unknown, unknown>, value: unknown): string => {
  const tag = tagOf(decoder);
  switch (tag) {
    case 'StringType':
      return `${showValue(value)} is not a string`;
    case 'NumberType':
      return `${showValue(value)} is not a number`;
    case 'BooleanType':
      return `${showValue(value)} is not true or false`;
    case 'KeyofType': {
      const keys = Object.keys((decoder as unknown as { keys: Record<string, unknown> }).keys);
      return `${showValue(value)} is not one of ${keys.map((k) => JSON.stringify(k)).join(', ')}`;
    }
    case 'LiteralType':
      return `${showValue(value)} is not ${showValue((decoder as unknown as { value: unknown }).value)}`;
    case 'ArrayType':
    case 'ReadonlyArrayType':
      return `${showValue(value)} is not a list`;
    case 'InterfaceType':
    case 'PartialType':
    case 'StrictType':
    case 'ExactType':
    case 'IntersectionType':
    case 'DictionaryType':
      return `${showValue(value)} is not an object`;
    default:
      return `${showValue(value)} is not a valid ${decoder.name}`;
  }
};

/**
 * Turns io-ts validation errors into problems with stable, human paths and messages:
 * - keys of objects and records are joined with dots, array indices in brackets;
 * - branches of intersections are invisible; a failed union is reported once, at its own path;
 * - a missing required field reads `required field is missing`; a codec's own message wins.
 * Duplicates (same path and message) are dropped; order follows the errors.
 */
export const problemsFromErrors = (errors: t.Errors, basePath = ''): PolicyProblem[] => {
  const seen = new Set<string>();
  const out: PolicyProblem[] = [];
  for (const error of errors) {
    let path = basePath;
    let message: string | undefined;
    const context = error.context;
    for (let i = 1; i < context.length; i++) {
      const entry = context[i];
      const parent = context[i - 1];
      if (entry === undefined || parent === undefined) continue;
      const parentTag = tagOf(parent.type);
      if (parentTag === 'IntersectionType') continue;
      if (parentTag === 'UnionType') {
        // Every branch failed: one message for the union as a whole, at the union's path.
        message = `${showValue(parent.actual)} is not a valid ${parent.type.name}`;
        break;
      }
      if (parentTag === 'ArrayType' || parentTag === 'ReadonlyArrayType') {
        path = appendIndex(path, Number(entry.key));
      } else {
        path = appendKey(path, entry.key);
      }
    }
    if (message === undefined) {
      const last = context[context.length - 1];
      if (error.message !== undefined && error.message !== '') message = error.message;
      else if (error.value === undefined) message = 'required field is missing';
      else if (last !== undefined) message = describeExpected(last.type, error.value);
      else message = `${showValue(error.value)} is not valid`;
    }
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: path === '' ? '(document)' : path, message });
  }
  return out;
};

/**
 * Formats a validation error as text, one problem per line: `path: message`. The first line says
 * how many problems there are.
 */
export const formatProblems = (error: PolicyValidationError): string => {
  const n = error.problems.length;
  const head = `The policy document is invalid (${n} ${n === 1 ? 'problem' : 'problems'}):`;
  return [head, ...error.problems.map((p) => `  ${p.path}: ${p.message}`)].join('\n');
};
