import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendar, formatPeriod } from '../../time/index.js';
import { ruleDeadline } from '../deadlines.js';
import { problemsFromErrors } from '../errors.js';
import { DeadlineRule, Rulebook, checkRule } from '../rule.js';
import {
  ErasureExemptionReason,
  allRules,
  describeErasureExemption,
  findRule,
  gdprErasureExceptions,
  gdprErasureGrounds,
  gdprRestrictionGrounds,
  isRulebookId,
  rulebookIds,
  rulebooks,
} from './index.js';

const EXPECTED_IDS = [
  'gdpr',
  'uk-gdpr',
  'ccpa',
  'lgpd',
  'pipeda',
  'virginia',
  'colorado',
  'hipaa',
  'nydfs',
  'california-breach',
  'florida',
  'washington',
  'texas',
];

// Record obligations: no period and no target, so no deadline.
const RECORD_OBLIGATIONS = [
  'gdpr.art33.5.documentBreach',
  'uk-gdpr.art33.5.documentBreach',
  'lgpd.anpd15.recordIncident',
  'pipeda.s10.3.recordBreach',
];

describe('built-in rulebooks', () => {
  it('has exactly the documented ids, each under its own key', () => {
    expect([...rulebookIds].sort()).toEqual([...EXPECTED_IDS].sort());
    for (const id of rulebookIds) expect(rulebooks[id].id).toBe(id);
    expect(isRulebookId('gdpr')).toBe(true);
    expect(isRulebookId('toString')).toBe(false);
  });

  it.each(rulebookIds)('%s passes the Rulebook codec and decodes to an equal value', (id) => {
    const decoded = Rulebook.decode(rulebooks[id]);
    if (E.isLeft(decoded)) throw new Error(JSON.stringify(problemsFromErrors(decoded.left)));
    expect(decoded.right).toEqual(rulebooks[id]);
  });

  it('every rule decodes through the rule codec, also from its encoded (document) form, and has no rule problems', () => {
    for (const rule of allRules) {
      const direct = DeadlineRule.decode(rule);
      expect(E.isRight(direct), rule.id).toBe(true);
      const fromJson = DeadlineRule.decode(JSON.parse(JSON.stringify(DeadlineRule.encode(rule))));
      expect(fromJson, rule.id).toEqual(E.right(rule));
      expect(checkRule(rule, rule.id)).toEqual([]);
    }
  });

  it('periods are written as strings in the encoded form', () => {
    const rule = allRules.find((r) => r.id === 'gdpr.art33.1.notifyAuthority');
    expect((DeadlineRule.encode(rule!) as { period?: unknown }).period).toBe('PT72H');
  });

  it('rule ids are unique and start with their rulebook id', () => {
    const ids = allRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of rulebookIds) for (const r of rulebooks[id].rules) expect(r.id.startsWith(`${id}.`), r.id).toBe(true);
  });

  it('every rule carries a citation; rules flagged secondary-only say so in the citation', () => {
    for (const rule of allRules) {
      expect(rule.citation.trim().length, rule.id).toBeGreaterThan(3);
      if (rule.secondarySourceOnly === true) expect(rule.citation, rule.id).toMatch(/secondary/);
    }
  });

  it('findRule returns a rule by id and UnknownRule otherwise', () => {
    expect(E.map((r: DeadlineRule) => r.citation)(findRule('gdpr.art12.3.respond'))).toEqual(E.right('GDPR Art. 12(3)'));
    expect(findRule('gdpr.nope')).toEqual(E.left({ _tag: 'UnknownRule', id: 'gdpr.nope' }));
  });

  it('states the key legal facts as data', () => {
    const rule = (id: string): DeadlineRule => {
      const r = findRule(id);
      if (E.isLeft(r)) throw new Error(id);
      return r.right;
    };
    const fmt = (p: { unit: string; amount: number } | undefined) => (p === undefined ? undefined : formatPeriod(p as never));
    expect(fmt(rule('gdpr.art12.3.respond').period)).toBe('P1M');
    expect(rule('gdpr.art12.3.respond').extension).toMatchObject({ measuredFrom: 'clockStart', period: { unit: 'months', amount: 2 } });
    expect(rule('uk-gdpr.art12.3.respond')).toMatchObject({
      clockStart: 'latestOfReceiptIdentityFee',
      counting: { convention: 'uk-ico', rollForward: true },
    });
    expect(rule('gdpr.art33.1.notifyAuthority')).toMatchObject({
      period: { unit: 'hours', amount: 72 },
      onMissed: { reasonsRequired: true },
      exemptions: [{ id: 'unlikelyToResultInRisk' }],
    });
    expect(rule('gdpr.art33.2.notifyController').period).toBeUndefined();
    expect(fmt(rule('gdpr.art33.2.notifyController').target?.hostTarget)).toBe('PT24H');
    expect(rule('gdpr.art34.1.notifySubjects').exemptions?.map((e) => e.citation)).toEqual([
      'GDPR Art. 34(3)(a)',
      'GDPR Art. 34(3)(b)',
      'GDPR Art. 34(3)(c)',
    ]);
    expect(rule('gdpr.art34.1.notifySubjects').exemptions?.[2]?.insteadRequires).toBe('PublicCommunication');
    expect(fmt(rule('ccpa.7021a.confirmReceipt').period)).toBe('P10BD');
    expect(rule('ccpa.1798.130.respondToKnow')).toMatchObject({
      frequencyLimit: { count: 2, per: 'rolling12Months' },
      lookBack: { unit: 'months', amount: 12 },
      extension: { maxTotal: { unit: 'calendarDays', amount: 90 } },
    });
    expect(fmt(rule('ccpa.7026f.optOut').period)).toBe('P15BD');
    expect(fmt(rule('lgpd.art19.II.full').period)).toBe('P15D');
    expect(fmt(rule('lgpd.anpd15.notifyAnpd').period)).toBe('P3BD');
    expect(fmt(rule('lgpd.anpd15.notifyAnpd').variants?.[0]?.period)).toBe('P6BD');
    expect(fmt(rule('lgpd.anpd15.supplementary').period)).toBe('P20BD');
    expect(rule('pipeda.s8.3.respond').onMissed.consequence).toBe('deemedRefusal');
    expect(rule('colorado.6-1-1306.respond').frequencyLimit).toMatchObject({ count: 2, per: 'calendarYear', requestKinds: ['portability'] });
    expect(rule('hipaa.164.406.notifyMedia').thresholds).toEqual([{ affectedAtLeast: 501, population: expect.any(String) }]);
    expect(rule('hipaa.164.408.notifyHhs').thresholds?.[0]?.affectedAtLeast).toBe(500);
    expect(rule('nydfs.500.17.a.notify')).toMatchObject({ clockStart: 'determination', period: { unit: 'hours', amount: 72 } });
    expect(rule('california-breach.1798.82.notifyIndividuals')).toMatchObject({ inForceFrom: '2026-01-01', period: { amount: 30 } });
    expect(rule('florida.501.171.notifyIndividuals').extension?.period).toEqual({ unit: 'calendarDays', amount: 15 });
    expect(rule('texas.521.053.notifyAttorneyGeneral').thresholds?.[0]?.affectedAtLeast).toBe(250);
    expect(fmt(rule('texas.521.053.notifyIndividuals').period)).toBe('P60D');
  });

  it('every rule has a deadline at or after its clock start, finite, except the record obligations', () => {
    const cal = calendar({ zone: 'Europe/Paris', holidays: ['2026-12-25'] });
    const withDeadline = allRules.filter((r) => !RECORD_OBLIGATIONS.includes(r.id));
    expect(allRules.filter((r) => r.period === undefined && r.target === undefined).map((r) => r.id).sort()).toEqual(
      [...RECORD_OBLIGATIONS].sort(),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.constantFrom(...withDeadline),
        (start, rule) => {
          const r = ruleDeadline(rule, start, cal);
          if (E.isLeft(r)) return false;
          const d = r.right;
          const finite = [d.dueAt, d.extendedDueAt, d.extensionNoticeBy, d.hostTarget].every(
            (x) => x === undefined || Number.isFinite(x),
          );
          return (
            finite &&
            d.dueAt >= start &&
            d.explanation.citation !== undefined &&
            (d.extendedDueAt === undefined || d.extendedDueAt >= d.dueAt) &&
            (d.extensionNoticeBy === undefined || d.extensionNoticeBy >= start) &&
            (d.hostTarget === undefined || (d.hostTarget >= start && d.hostTarget <= d.dueAt))
          );
        },
      ),
      { numRuns: 400 },
    );
    for (const id of RECORD_OBLIGATIONS) {
      const rule = allRules.find((r) => r.id === id)!;
      expect(ruleDeadline(rule, Date.UTC(2026, 0, 1), cal)).toMatchObject({ _tag: 'Left', left: { _tag: 'NoDeadline', ruleId: id } });
    }
  });
});

describe('erasure and restriction reasons', () => {
  it('enumerates GDPR 17(1)(a)-(f), 17(3)(a)-(e) and 18(1)(a)-(d) with citations in order', () => {
    expect(Object.values(gdprErasureGrounds).map((e) => e.citation)).toEqual(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((l) => `GDPR Art. 17(1)(${l})`),
    );
    expect(Object.values(gdprErasureExceptions).map((e) => e.citation)).toEqual(
      ['a', 'b', 'c', 'd', 'e'].map((l) => `GDPR Art. 17(3)(${l})`),
    );
    expect(Object.values(gdprRestrictionGrounds).map((e) => e.citation)).toEqual(
      ['a', 'b', 'c', 'd'].map((l) => `GDPR Art. 18(1)(${l})`),
    );
  });

  it('decodes a recorded exemption per rulebook and refuses one from the wrong rulebook', () => {
    expect(E.isRight(ErasureExemptionReason.decode({ rulebook: 'gdpr', reason: 'legalClaims' }))).toBe(true);
    expect(E.isRight(ErasureExemptionReason.decode({ rulebook: 'pipeda', reason: 'recoursePending' }))).toBe(true);
    expect(E.isRight(ErasureExemptionReason.decode({ rulebook: 'ccpa', reason: 'debugging' }))).toBe(true);
    expect(E.isLeft(ErasureExemptionReason.decode({ rulebook: 'pipeda', reason: 'legalClaims' }))).toBe(true);
    expect(describeErasureExemption({ rulebook: 'pipeda', reason: 'recoursePending' }).citation).toBe('PIPEDA s. 8(8)');
    expect(describeErasureExemption({ rulebook: 'uk-gdpr', reason: 'legalClaims' }).citation).toBe('UK GDPR Art. 17(3)(e)');
    expect(describeErasureExemption({ rulebook: 'ccpa', reason: 'debugging' }).citation).toMatch(/1798\.105.*secondary/);
  });
});
