import * as E from 'fp-ts/lib/Either.js';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import { describe, expect, it } from 'vitest';
import {
  PeriodCodec,
  PeriodFromString,
  describePeriod,
  formatPeriod,
  maxPeriodAmount,
  parsePeriod,
  periodUnits,
  validatePeriod,
} from './period.js';
import type { Period } from './types.js';

const reasonOf = (text: string): string => {
  const r = parsePeriod(text);
  if (E.isRight(r)) throw new Error(`expected ${text} to be rejected, got ${JSON.stringify(r.right)}`);
  expect(r.left._tag).toBe('InvalidPeriod');
  expect(r.left.input).toBe(text);
  return r.left.reason;
};

const messagesOf = (codec: typeof PeriodCodec, u: unknown): string[] => {
  const r = codec.decode(u);
  if (E.isRight(r)) throw new Error(`expected ${JSON.stringify(u)} to be rejected`);
  return PathReporter.report(r);
};

describe('parsePeriod', () => {
  it.each<[string, Period]>([
    ['PT72H', { unit: 'hours', amount: 72 }],
    ['P45D', { unit: 'calendarDays', amount: 45 }],
    ['P2W', { unit: 'weeks', amount: 2 }],
    ['P1M', { unit: 'months', amount: 1 }],
    ['P1Y', { unit: 'years', amount: 1 }],
    ['P3BD', { unit: 'businessDays', amount: 3 }],
    ['PT72WH', { unit: 'workingHours', amount: 72 }],
    ['P0D', { unit: 'calendarDays', amount: 0 }],
    ['PT0H', { unit: 'hours', amount: 0 }],
    ['P045D', { unit: 'calendarDays', amount: 45 }],
    ['P200Y', { unit: 'years', amount: 200 }],
  ])('reads %s', (text, expected) => {
    expect(parsePeriod(text)).toEqual(E.right(expected));
  });

  it('rejects an unknown designator and names it', () => {
    expect(reasonOf('P3X')).toMatch(/unknown unit designator "X"/);
    expect(reasonOf('P3B')).toMatch(/unknown unit designator "B"/);
    expect(reasonOf('P3d')).toMatch(/upper case/);
  });

  it('rejects durations with more than one unit, saying why', () => {
    expect(reasonOf('P1M15D')).toMatch(/exactly one unit.*counting rules differ per unit.*has 2 \(1M, 15D\)/);
    expect(reasonOf('P1DT12H')).toMatch(/exactly one unit/);
    expect(reasonOf('P1Y2M3D')).toMatch(/has 3/);
  });

  it('rejects signs, fractions, empty text and other malformed input', () => {
    expect(reasonOf('-P1D')).toMatch(/negative/);
    expect(reasonOf('+P1D')).toMatch(/sign/);
    expect(reasonOf('P1.5D')).toMatch(/fractional/);
    expect(reasonOf('P1,5D')).toMatch(/fractional/);
    expect(reasonOf('PT0.5H')).toMatch(/fractional/);
    expect(reasonOf('')).toMatch(/empty/);
    expect(reasonOf(' P1D')).toMatch(/whitespace/);
    expect(reasonOf('P')).toMatch(/no amount/);
    expect(reasonOf('PT')).toMatch(/no amount after T/);
    expect(reasonOf('P1DT')).toMatch(/T with nothing after it/);
    expect(reasonOf('PD')).toMatch(/not preceded by an amount/);
    expect(reasonOf('P5')).toMatch(/no unit designator/);
    expect(reasonOf('1D')).toMatch(/starts with P/);
    expect(reasonOf('p1d')).toMatch(/upper case/);
    expect(reasonOf('PT1HT1H')).toMatch(/T appears twice/);
    expect(reasonOf('P1T1H')).toMatch(/the amount 1 has no unit designator/);
  });

  it('refuses minutes and seconds, and designators on the wrong side of T', () => {
    expect(reasonOf('PT30M')).toMatch(/minutes are not supported/);
    expect(reasonOf('PT30S')).toMatch(/seconds are not supported/);
    expect(reasonOf('P72H')).toMatch(/belongs after a T \(write PT72H\)/);
    expect(reasonOf('P72WH')).toMatch(/write PT72WH/);
    expect(reasonOf('PT3D')).toMatch(/belongs before the T \(write P3D\)/);
    expect(reasonOf('PT3BD')).toMatch(/write P3BD/);
  });

  it('caps amounts per unit so every accepted period gives a deadline quickly', () => {
    expect(reasonOf('P201Y')).toMatch(/at most 200 for years/);
    expect(reasonOf('P10001BD')).toMatch(/at most 10000 for businessDays/);
    expect(reasonOf('P99999999999999999999D')).toMatch(/too large/);
  });
});

describe('formatPeriod and describePeriod', () => {
  it('formatPeriod is the inverse of parsePeriod for every unit', () => {
    for (const unit of periodUnits) {
      for (const amount of [0, 1, 7, maxPeriodAmount[unit]]) {
        const p: Period = { unit, amount };
        expect(parsePeriod(formatPeriod(p))).toEqual(E.right(p));
      }
    }
    expect(formatPeriod({ unit: 'businessDays', amount: 3 })).toBe('P3BD');
    expect(formatPeriod({ unit: 'workingHours', amount: 72 })).toBe('PT72WH');
    expect(formatPeriod({ unit: 'hours', amount: 72 })).toBe('PT72H');
  });

  it('describes periods in words, singular and plural', () => {
    expect(describePeriod({ unit: 'hours', amount: 72 })).toBe('72 hours');
    expect(describePeriod({ unit: 'hours', amount: 1 })).toBe('1 hour');
    expect(describePeriod({ unit: 'businessDays', amount: 3 })).toBe('3 business days');
    expect(describePeriod({ unit: 'months', amount: 1 })).toBe('1 calendar month');
    expect(describePeriod({ unit: 'months', amount: 3 })).toBe('3 calendar months');
    expect(describePeriod({ unit: 'calendarDays', amount: 45 })).toBe('45 calendar days');
    expect(describePeriod({ unit: 'workingHours', amount: 1 })).toBe('1 working hour');
    expect(describePeriod({ unit: 'weeks', amount: 2 })).toBe('2 weeks');
    expect(describePeriod({ unit: 'years', amount: 1 })).toBe('1 year');
  });
});

describe('validatePeriod', () => {
  it('accepts whole amounts from 0 to the cap and rejects the rest', () => {
    expect(E.isRight(validatePeriod({ unit: 'hours', amount: 0 }))).toBe(true);
    expect(validatePeriod({ unit: 'hours', amount: -1 })).toMatchObject(E.left({ reason: expect.stringMatching(/negative/) }));
    expect(validatePeriod({ unit: 'hours', amount: 1.5 })).toMatchObject(E.left({ reason: expect.stringMatching(/whole/) }));
    expect(validatePeriod({ unit: 'hours', amount: Number.NaN })).toMatchObject(E.left({ _tag: 'InvalidPeriod' }));
    expect(validatePeriod({ unit: 'days' as never, amount: 1 })).toMatchObject(E.left({ reason: expect.stringMatching(/unknown unit "days"/) }));
  });
});

describe('PeriodFromString', () => {
  it('decodes text and encodes back to the same text', () => {
    expect(PeriodFromString.decode('P3BD')).toEqual(E.right({ unit: 'businessDays', amount: 3 }));
    expect(PeriodFromString.encode({ unit: 'months', amount: 1 })).toBe('P1M');
  });

  it('fails with a message that reads "<text>" is not a period', () => {
    const [message] = messagesOf(PeriodFromString, 'P3X');
    expect(message).toMatch(/^"P3X" is not a period: unknown unit designator "X"/);
    expect(messagesOf(PeriodFromString, 'P1M15D')[0]).toMatch(/^"P1M15D" is not a period: a period has exactly one unit/);
    expect(messagesOf(PeriodFromString, 3)[0]).toMatch(/^3 is not a period/);
  });

  it('is() recognises valid period values only', () => {
    expect(PeriodFromString.is({ unit: 'hours', amount: 72 })).toBe(true);
    expect(PeriodFromString.is({ unit: 'hours', amount: -1 })).toBe(false);
    expect(PeriodFromString.is('PT72H')).toBe(false);
  });
});

describe('PeriodCodec', () => {
  it('accepts text or an object { unit, amount } and encodes to text', () => {
    expect(PeriodCodec.decode('PT72H')).toEqual(E.right({ unit: 'hours', amount: 72 }));
    expect(PeriodCodec.decode({ unit: 'businessDays', amount: 3 })).toEqual(E.right({ unit: 'businessDays', amount: 3 }));
    expect(PeriodCodec.encode({ unit: 'businessDays', amount: 3 })).toBe('P3BD');
  });

  it('drops unknown fields of an object', () => {
    expect(PeriodCodec.decode({ unit: 'years', amount: 2, note: 'x' })).toEqual(E.right({ unit: 'years', amount: 2 }));
  });

  it('rejects bad objects and bad text with a readable message', () => {
    expect(messagesOf(PeriodCodec, 'P3X')[0]).toMatch(/^"P3X" is not a period/);
    expect(messagesOf(PeriodCodec, { unit: 'days', amount: 3 })[0]).toMatch(/is not a period: unknown unit "days"/);
    expect(messagesOf(PeriodCodec, { unit: 'hours', amount: 1.5 })[0]).toMatch(/whole number/);
    expect(messagesOf(PeriodCodec, null)[0]).toMatch(/^null is not a period/);
    expect(messagesOf(PeriodCodec, [1])[0]).toMatch(/is not a period/);
  });
});
