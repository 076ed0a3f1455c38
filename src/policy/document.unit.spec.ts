import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendar, instantFromIso } from '../time/index.js';
import { applicableRules } from './applicable.js';
import { ruleDeadline } from './deadlines.js';
import { PolicyDocument, decodePolicy, retentionPeriodOf } from './document.js';
import { formatProblems, type PolicyProblem } from './errors.js';

import { goodDocument } from './recordsOfProcessing.fixture.js';

const problemsOf = (input: unknown): readonly PolicyProblem[] => {
  const r = decodePolicy(input);
  if (E.isRight(r)) throw new Error('expected the document to be invalid');
  return r.left.problems;
};

describe('decodePolicy: a realistic document', () => {
  it('decodes, with periods parsed, calendar defaults filled and the parameter resolved', () => {
    const r = decodePolicy(goodDocument());
    if (E.isLeft(r)) throw new Error(formatProblems(r.left));
    const doc = r.right;
    expect(doc.calendar.weekend).toEqual([6, 7]);
    expect(doc.categories[0]?.retention.period).toEqual({ unit: 'calendarDays', amount: 90 });
    expect(doc.breaches.duties?.[2]?.period).toEqual({ unit: 'workingHours', amount: 72 });
    expect(retentionPeriodOf(doc, doc.categories[2]!)).toEqual({ unit: 'calendarDays', amount: 30 });
    expect(retentionPeriodOf(doc, doc.categories[0]!)).toEqual({ unit: 'calendarDays', amount: 90 });
  });

  it('round-trips through its encoded JSON form', () => {
    const r = decodePolicy(goodDocument());
    if (E.isLeft(r)) throw new Error(formatProblems(r.left));
    const again = decodePolicy(JSON.parse(JSON.stringify(PolicyDocument.encode(r.right))));
    expect(again).toEqual(r);
  });

  it('a contractual duty from the document resolves against the document calendar', () => {
    const r = decodePolicy(goodDocument());
    if (E.isLeft(r)) throw new Error(formatProblems(r.left));
    const duty = r.right.breaches.duties![2]!;
    const start = instantFromIso('2026-11-20T17:00:00+00:00');
    if (E.isLeft(start)) throw new Error('bad instant');
    const d = ruleDeadline(duty, start.right, calendar(r.right.calendar));
    // Friday 17-18 (1 h), Mon 23 to Tue 1 Dec (63 h), Wednesday 2 Dec 09:00-17:00 (8 h), Dublin time = UTC.
    expect(E.map((x: { dueAt: number }) => new Date(x.dueAt).toISOString())(d)).toEqual(E.right('2026-12-02T17:00:00.000Z'));
  });
});

describe('decodePolicy: a broken document lists every problem by path', () => {
  it('reports structural and cross-field problems together, in a stable order', () => {
    const doc = goodDocument() as Record<string, any>;
    doc['effectiveFrom'] = '2026-01-01';
    doc['role'] = 'owner';
    doc['calendar'].zone = 'Mars/Base';
    doc['calendar'].weekend = [6, 8];
    doc['categories'][1].retension = doc['categories'][1].retention;
    delete doc['categories'][1].retention;
    doc['categories'][2].retention.period = 'P3X';
    doc['categories'][3].id = 'account';
    doc['purposes'][0].categories.push('billing');
    doc['purposes'][1].lawfulBasis = 'vibes';
    doc['requests'].rulebooks.push('quebec');
    doc['requests'].overrides.push({ rule: 'gdpr.art99.respond', citation: 'x' });
    doc['erasure'].approvals.roles = [];
    doc['consent'].parentalBand.fromAge = 13;
    delete doc['parameters'].logRetention.value;

    expect(problemsOf(doc)).toEqual([
      {
        path: 'effectiveFrom',
        message: '"2026-01-01" is not an ISO 8601 instant with a zone offset (e.g. 2026-01-01T00:00:00Z)',
      },
      { path: 'role', message: '"owner" is not one of "controller", "processor", "both"' },
      { path: 'calendar.zone', message: '"Mars/Base" is not an IANA time zone' },
      { path: 'calendar.weekend[1]', message: '8 is not an ISO weekday (1 = Monday ... 7 = Sunday)' },
      { path: 'categories[1].retention', message: 'required field is missing' },
      {
        path: 'categories[1].retension',
        message:
          'unknown field (expected one of: id, retention, systems, description, fields, processors, sensitive, explicitConsentRequired, includesBackups)',
      },
      {
        path: 'categories[2].retention.period',
        message: expect.stringMatching(/^"P3X" is not a period: unknown unit designator "X"/),
      },
      {
        path: 'purposes[1].lawfulBasis',
        message:
          '"vibes" is not one of "consent", "contract", "legalObligation", "vitalInterest", "publicTask", "legitimateInterest"',
      },
      { path: 'categories[3].id', message: 'duplicate category id "account" (first at categories[0])' },
      { path: 'purposes[0].categories[2]', message: 'unknown category "billing"' },
      { path: 'purposes[2].categories[0]', message: 'unknown category "health-notes"' },
      {
        path: 'requests.rulebooks[2]',
        message: expect.stringMatching(/^unknown rulebook "quebec" \(known: "gdpr", "uk-gdpr", "ccpa", /),
      },
      {
        path: 'requests.overrides[1].rule',
        message: '"gdpr.art99.respond" is not a rule of the rulebooks listed in requests.rulebooks or of requests.rules',
      },
      {
        path: 'consent.parentalBand.fromAge',
        message:
          'the parental band starts at 13, below the hard minimum age 15: ages 13 to 14 would be erased whatever a parent says, so the band must start at 15 or later',
      },
      { path: 'erasure.approvals.roles', message: 'approvals are required but no role is named' },
      { path: 'parameters.logRetention.value', message: 'required parameter has no value' },
    ]);
  });

  it('formats the problems one per line with a count', () => {
    const doc = goodDocument() as Record<string, any>;
    doc['calendar'].zone = 'Mars/Base';
    delete doc['parameters'].logRetention.value;
    const r = decodePolicy(doc);
    if (E.isRight(r)) throw new Error('expected invalid');
    expect(formatProblems(r.left)).toBe(
      [
        'The policy document is invalid (2 problems):',
        '  calendar.zone: "Mars/Base" is not an IANA time zone',
        '  parameters.logRetention.value: required parameter has no value',
      ].join('\n'),
    );
  });

  it('checks contractual rules, overrides, parameters and processors', () => {
    const doc = goodDocument() as Record<string, any>;
    doc['breaches'].duties[0].id = 'Bad Id';
    doc['breaches'].duties[1].id = 'gdpr.art33.1.notifyAuthority';
    doc['breaches'].duties.push({ ...doc['breaches'].duties[2] });
    doc['breaches'].overrides[0].variant = 'huge';
    doc['requests'].overrides[0].period = 'P2M';
    doc['requests'].rulebooks.push('hipaa');
    doc['parameters'].logRetention.value = 'thirty days';
    doc['parameters'].maxRecipients = { description: 'x', kind: 'number', required: false, value: 'ten' };
    doc['categories'][0].processors.push('mailchimp');
    doc['categories'][0].retention.resetBy = ['pageView'];
    doc['purposes'][2].lawfulBasis = 'legitimateInterest';
    doc['consent'].parentalBand = { fromAge: 18, toAge: 15 };
    doc['erasure'].approvals.roles = ['CEO', 'CEO'];

    expect(problemsOf(doc)).toEqual([
      { path: 'categories[0].retention.resetBy', message: 'activities reset only a clock that starts at lastActivity (this one starts at subscriptionCancelled)' },
      { path: 'categories[0].processors[1]', message: 'unknown processor "mailchimp" (not in processors.subProcessors)' },
      {
        path: 'purposes[2].categories[0]',
        message: 'category "health-notes" needs explicit consent but purpose "wellbeing" rests on legitimateInterest',
      },
      { path: 'requests.rulebooks[2]', message: 'rulebook "hipaa" has no request rules' },
      {
        path: 'requests.overrides[0].period',
        message: "an override cannot lengthen the rule's period (1 calendar month); the earlier due time would apply",
      },
      {
        path: 'breaches.duties[0].id',
        message: '"Bad Id" is not a rule id (dotted lower-case words, e.g. "contract.breach.notifyController")',
      },
      {
        path: 'breaches.duties[1].id',
        message: '"gdpr.art33.1.notifyAuthority" is the id of a built-in rule; use overrides to change it',
      },
      { path: 'breaches.duties[3].id', message: 'duplicate rule id "contract.breach.workingHours" (first at breaches.duties[2])' },
      {
        path: 'breaches.overrides[0].variant',
        message: 'rule "lgpd.anpd15.notifyAnpd" has no variant "huge" (known: "smallProcessingAgent")',
      },
      { path: 'consent.parentalBand', message: 'the band is empty: fromAge 18 is not below toAge 15 (toAge is exclusive)' },
      { path: 'erasure.approvals.roles[1]', message: 'duplicate role "CEO" (first at erasure.approvals.roles[0])' },
      {
        path: 'parameters.logRetention.value',
        message: expect.stringMatching(/^"thirty days" is not a period: /),
      },
      { path: 'parameters.maxRecipients.value', message: '"ten" is not a number' },
    ]);
  });

  it('reports a wrong shape at every level without throwing', () => {
    expect(problemsOf(null)).toEqual([{ path: '(document)', message: 'null is not an object' }]);
    expect(problemsOf({ version: '' }).slice(0, 3)).toEqual([
      { path: 'version', message: 'must not be empty' },
      { path: 'effectiveFrom', message: 'required field is missing' },
      { path: 'controller', message: 'required field is missing' },
    ]);
    const doc = goodDocument() as Record<string, any>;
    doc['categories'] = 'all of them';
    doc['parameters'] = { x: 5 };
    expect(problemsOf(doc)).toEqual([
      { path: 'categories', message: '"all of them" is not a list' },
      { path: 'parameters.x', message: '5 is not an object' },
      // The cross-checks still run on what decoded: the purposes name categories that are missing.
      { path: 'purposes[0].categories[0]', message: 'unknown category "account"' },
      { path: 'purposes[0].categories[1]', message: 'unknown category "widget-submissions"' },
      { path: 'purposes[1].categories[0]', message: 'unknown category "server-logs"' },
      { path: 'purposes[2].categories[0]', message: 'unknown category "health-notes"' },
      { path: 'processors.subProcessors[0].categories[0]', message: 'unknown category "account"' },
      { path: 'processors.subProcessors[0].categories[1]', message: 'unknown category "widget-submissions"' },
    ]);
  });

  it('never throws and never accepts arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const r = decodePolicy(input);
        return E.isLeft(r) && r.left._tag === 'InvalidPolicy' && r.left.problems.length > 0;
      }),
      { numRuns: 300 },
    );
  });

  it('never throws when any single field of a good document is replaced by an arbitrary value', () => {
    const paths: (readonly (string | number)[])[] = [];
    const walk = (v: unknown, path: (string | number)[]): void => {
      paths.push(path);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    };
    walk(goodDocument(), []);
    fc.assert(
      fc.property(fc.constantFrom(...paths.filter((p) => p.length > 0)), fc.anything(), (path, value) => {
        const doc = goodDocument() as any;
        let target = doc;
        for (const key of path.slice(0, -1)) target = target[key];
        target[path[path.length - 1]!] = value;
        const r = decodePolicy(doc);
        return E.isRight(r) || r.left.problems.every((p) => typeof p.path === 'string' && p.message.length > 0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('applicableRules', () => {
  const decoded = () => {
    const r = decodePolicy(goodDocument());
    if (E.isLeft(r)) throw new Error(formatProblems(r.left));
    return r.right;
  };

  it('lists the request rules of the listed rulebooks with the document overrides, and nothing else', () => {
    const rules = applicableRules(decoded(), 'requests');
    expect(rules.map((a) => a.rule.id)).toEqual([
      'gdpr.art12.3.respond',
      'gdpr.art12.4.refuse',
      'ccpa.7021a.confirmReceipt',
      'ccpa.1798.130.respondToKnow',
      'ccpa.1798.130.respond',
      'ccpa.7026f.optOut',
    ]);
    const respond = rules[0]!;
    expect(respond.options).toEqual({
      defaultCounting: { convention: 'eu-1182-71', rollForward: false },
      period: { unit: 'calendarDays', amount: 30 },
      citation: 'Customer contract §7',
    });
    // 30 days from 31 January 2026 end on 2 March, after the legal month (28 February): the law wins.
    const start = instantFromIso('2026-01-31T10:00:00Z');
    if (E.isLeft(start)) throw new Error('bad instant');
    const d = ruleDeadline(respond.rule, start.right, calendar(decoded().calendar), respond.options);
    expect(E.map((x: { basis: string; dueAt: number }) => [x.basis, new Date(x.dueAt).toISOString()])(d)).toEqual(
      E.right(['rule', '2026-02-28T23:59:59.999Z']),
    );
  });

  it('lists breach rules and the document duties, with variants and host targets, not erasure or request rules', () => {
    const rules = applicableRules(decoded(), 'breaches');
    const ids = rules.map((a) => a.rule.id);
    expect(ids).toContain('gdpr.art33.1.notifyAuthority');
    expect(ids).toContain('gdpr.art33.5.documentBreach');
    expect(ids).not.toContain('gdpr.art17.1.erase');
    expect(ids).not.toContain('gdpr.art12.3.respond');
    expect(ids.slice(-3)).toEqual([
      'contract.breach.notifyController',
      'contract.breach.notifyCustomerAfterConfirmation',
      'contract.breach.workingHours',
    ]);
    expect(rules.find((a) => a.rule.id === 'lgpd.anpd15.notifyAnpd')?.options.variant).toBe('smallProcessingAgent');
    expect(rules.find((a) => a.rule.id === 'gdpr.art33.2.notifyController')?.options.hostTarget).toEqual({ unit: 'hours', amount: 12 });
    expect(rules.filter((a) => a.source === 'document')).toHaveLength(3);
  });

  it('leaves out rules not yet in force at the given instant', () => {
    const doc = goodDocument();
    doc.breaches.rulebooks.push('california-breach');
    const r = decodePolicy(doc);
    if (E.isLeft(r)) throw new Error(formatProblems(r.left));
    const ca = (iso: string) => {
      const at = instantFromIso(iso);
      if (E.isLeft(at)) throw new Error(iso);
      return applicableRules(r.right, 'breaches', at.right).filter((a) => a.source === 'california-breach').length;
    };
    expect(ca('2025-12-31T12:00:00Z')).toBe(0);
    expect(ca('2026-01-01T12:00:00Z')).toBe(2);
  });
});
