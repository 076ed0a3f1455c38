import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { decodePolicy } from './document.js';
import { appendKey, formatProblems, problemsFromErrors, showValue } from './errors.js';
import { ErasureExemptionReason } from './rulebooks/index.js';

const errorsOf = <A>(codec: t.Type<A, unknown, unknown>, u: unknown): t.Errors => {
  const r = codec.decode(u);
  if (E.isRight(r)) throw new Error('expected a failure');
  return r.left;
};

describe('problemsFromErrors', () => {
  it('reports a failed union once, at the union\'s own path', () => {
    const codec = t.type({ exemptions: t.array(ErasureExemptionReason) });
    expect(problemsFromErrors(errorsOf(codec, { exemptions: [{ rulebook: 'gdpr', reason: 'legalClaims' }, { rulebook: 'pipeda', reason: 'x' }] }))).toEqual([
      { path: 'exemptions[1]', message: '{"rulebook":"pipeda","reason":"x"} is not a valid ErasureExemptionReason' },
    ]);
  });

  it('names plain io-ts failures by the expected type', () => {
    const codec = t.type({ a: t.string, b: t.array(t.number), c: t.boolean, d: t.type({ e: t.literal('x') }) });
    expect(problemsFromErrors(errorsOf(codec, { a: 1, b: [1, 'two'], d: { e: 'y' } }))).toEqual([
      { path: 'a', message: '1 is not a string' },
      { path: 'b[1]', message: '"two" is not a number' },
      { path: 'c', message: 'required field is missing' },
      { path: 'd.e', message: '"y" is not "x"' },
    ]);
  });

  it('quotes keys that are not plain names, and shortens long values', () => {
    expect(appendKey('parameters', 'log retention')).toBe('parameters["log retention"]');
    expect(appendKey('', 'calendar')).toBe('calendar');
    expect(showValue('x'.repeat(100))).toHaveLength(60);
    const r = decodePolicy({ parameters: { 'log retention': { description: 'd', kind: 'period', required: true } } });
    if (E.isRight(r)) throw new Error('expected invalid');
    expect(r.left.problems).toContainEqual({ path: 'parameters["log retention"].value', message: 'required parameter has no value' });
    expect(formatProblems(r.left).split('\n')[0]).toBe(`The policy document is invalid (${r.left.problems.length} problems):`);
  });
});
