import * as E from 'fp-ts/lib/Either.js';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { calendar, instantFromIso, toIso } from '../time/index.js';
import type { CalendarRuntime, Instant } from '../time/index.js';
import { canExtend, ruleDeadline, type RuleDeadline } from './deadlines.js';
import { DeadlineRule, workingHours, calendarDays, hours } from './rule.js';
import { findRule } from './rulebooks/index.js';

const at = (iso: string): Instant => {
  const r = instantFromIso(iso);
  if (E.isLeft(r)) throw new Error(iso);
  return r.right;
};
const rule = (id: string): DeadlineRule => {
  const r = findRule(id);
  if (E.isLeft(r)) throw new Error(id);
  return r.right;
};
const resolve = (...args: Parameters<typeof ruleDeadline>): RuleDeadline => {
  const r = ruleDeadline(...args);
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
  return r.right;
};
const local = (instant: Instant | undefined, zone: string): string =>
  instant === undefined ? 'undefined' : DateTime.fromMillis(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS");

const dublin = calendar({ zone: 'Europe/Dublin' });
const london = calendar({ zone: 'Europe/London', holidays: ['2026-04-03', '2026-04-06', '2026-05-04'] });
const paris = calendar({ zone: 'Europe/Paris', holidays: ['2026-11-11', '2026-12-25'] });
const saoPaulo = calendar({ zone: 'America/Sao_Paulo', holidays: ['2026-11-02', '2026-11-15', '2026-11-20', '2026-12-25'] });
const losAngeles = calendar({ zone: 'America/Los_Angeles' });

describe('GDPR Art. 12(3): a request received on 31 January', () => {
  it('is due at the end of 28 February (no roll-forward), and at the end of 30 April when extended', () => {
    const d = resolve(rule('gdpr.art12.3.respond'), at('2026-01-31T10:00:00+00:00'), dublin);
    expect(local(d.dueAt, 'Europe/Dublin')).toBe('2026-02-28T23:59:59.999');
    expect(local(d.extensionNoticeBy, 'Europe/Dublin')).toBe('2026-02-28T23:59:59.999');
    // Three months from receipt (as the ICO counts it), not two months from 28 February (28 April).
    expect(local(d.extendedDueAt, 'Europe/Dublin')).toBe('2026-04-30T23:59:59.999');
    expect(d.explanation.citation).toBe('GDPR Art. 12(3)');
    expect(d.basis).toBe('rule');
  });

  it('is due at the end of 29 February in a leap year', () => {
    const d = resolve(rule('gdpr.art12.3.respond'), at('2028-01-31T10:00:00+00:00'), dublin);
    expect(local(d.dueAt, 'Europe/Dublin')).toBe('2028-02-29T23:59:59.999');
  });
});

describe('UK GDPR Art. 12(3) with Art. 12A, ICO counting', () => {
  it('31 January: 28 February 2026 is a Saturday, so it rolls to Monday 2 March; extended total is 30 April', () => {
    const d = resolve(rule('uk-gdpr.art12.3.respond'), at('2026-01-31T10:00:00+00:00'), london);
    expect(local(d.dueAt, 'Europe/London')).toBe('2026-03-02T23:59:59.999');
    expect(local(d.extendedDueAt, 'Europe/London')).toBe('2026-04-30T23:59:59.999');
    expect(d.explanation.rolledForward).toBeDefined();
  });

  it('the corresponding date next month (ICO: received 14 September, due 14 October)', () => {
    const d = resolve(rule('uk-gdpr.art12.3.respond'), at('2026-09-14T09:00:00+01:00'), london);
    expect(local(d.dueAt, 'Europe/London')).toBe('2026-10-14T23:59:59.999');
  });
});

describe('a breach known on Friday 2026-11-20 at 17:00', () => {
  it('GDPR Art. 33(1): 72 elapsed hours, Monday 17:00; host target 48 hours shown apart', () => {
    const d = resolve(rule('gdpr.art33.1.notifyAuthority'), at('2026-11-20T17:00:00+01:00'), paris);
    expect(toIso(d.dueAt)).toBe('2026-11-23T16:00:00.000Z');
    expect(local(d.dueAt, 'Europe/Paris')).toBe('2026-11-23T17:00:00.000');
    expect(local(d.hostTarget, 'Europe/Paris')).toBe('2026-11-22T17:00:00.000');
    expect(d.explanation.citation).toBe('GDPR Art. 33(1)');
  });

  it('GDPR Art. 33(2): no legal number, so the host target (24 hours) is the due time', () => {
    const d = resolve(rule('gdpr.art33.2.notifyController'), at('2026-11-20T17:00:00+01:00'), paris);
    expect(d.basis).toBe('hostTarget');
    expect(local(d.dueAt, 'Europe/Paris')).toBe('2026-11-21T17:00:00.000');
    const own = resolve(rule('gdpr.art33.2.notifyController'), at('2026-11-20T17:00:00+01:00'), paris, { hostTarget: hours(12) });
    expect(local(own.dueAt, 'Europe/Paris')).toBe('2026-11-21T05:00:00.000');
  });

  it('LGPD / ANPD Res. 15/2024: 3 business days, the end of Wednesday 2026-11-25 in Sao Paulo', () => {
    const d = resolve(rule('lgpd.anpd15.notifyAnpd'), at('2026-11-20T17:00:00-03:00'), saoPaulo);
    expect(local(d.dueAt, 'America/Sao_Paulo')).toBe('2026-11-25T23:59:59.999');
    expect(toIso(d.dueAt)).toBe('2026-11-26T02:59:59.999Z');
    expect(d.explanation.skipped.map((s) => s.date)).toEqual(['2026-11-21', '2026-11-22']);
  });

  it('LGPD small processing agents (the doubled variant): the end of Monday 2026-11-30', () => {
    const d = resolve(rule('lgpd.anpd15.notifyAnpd'), at('2026-11-20T17:00:00-03:00'), saoPaulo, { variant: 'smallProcessingAgent' });
    expect(local(d.dueAt, 'America/Sao_Paulo')).toBe('2026-11-30T23:59:59.999');
    expect(ruleDeadline(rule('lgpd.anpd15.notifyAnpd'), 0, saoPaulo, { variant: 'tiny' })).toEqual(
      E.left({ _tag: 'UnknownVariant', ruleId: 'lgpd.anpd15.notifyAnpd', variant: 'tiny', known: ['smallProcessingAgent'] }),
    );
  });

  it('a contract: the controller within 72 working hours, Mon-Fri 09:00-18:00 → Wednesday 2 December 17:00', () => {
    const contract: DeadlineRule = {
      id: 'contract.breach.notifyController',
      title: 'Notify the controller',
      citation: 'DPA clause 7.1',
      trigger: 'BreachAwarenessEstablished',
      clockStart: 'awareness',
      period: workingHours(72),
      satisfiedBy: ['ControllerNotified'],
      onMissed: { event: 'ObligationOverdue' },
    };
    const day = [{ from: '09:00', to: '18:00' }];
    const office = calendar({ zone: 'Europe/Paris', openingHours: { '1': day, '2': day, '3': day, '4': day, '5': day } });
    // Friday 17-18 (1 h), then 7 full days of 9 h (63 h, to Tuesday 1 Dec), then 8 h on Wednesday.
    const d = resolve(contract, at('2026-11-20T17:00:00+01:00'), office);
    expect(local(d.dueAt, 'Europe/Paris')).toBe('2026-12-02T17:00:00.000');
    expect(d.explanation.citation).toBe('DPA clause 7.1');
    // Without opening hours there is no working time: an error value, not a throw.
    expect(ruleDeadline(contract, at('2026-11-20T17:00:00+01:00'), paris)).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'DeadlineFailed', ruleId: 'contract.breach.notifyController' },
    });
  });
});

describe('CCPA: 45 days from receipt (receipt is day 1), one 45-day extension noticed within them', () => {
  const received = at('2026-03-02T15:00:00-08:00'); // day 1 = Monday 2 March 2026
  const dayN = (n: number, time = '12:00:00'): Instant =>
    DateTime.fromISO(`2026-03-02T${time}`, { zone: 'America/Los_Angeles' }).plus({ days: n - 1 }).toMillis();
  const respond = rule('ccpa.1798.130.respond');

  it('is due at the end of day 45 (15 April), extensible to the end of day 90 (30 May)', () => {
    const d = resolve(respond, received, losAngeles);
    expect(local(d.dueAt, 'America/Los_Angeles')).toBe('2026-04-15T23:59:59.999');
    expect(local(d.extensionNoticeBy, 'America/Los_Angeles')).toBe('2026-04-15T23:59:59.999');
    expect(local(d.extendedDueAt, 'America/Los_Angeles')).toBe('2026-05-30T23:59:59.999');
  });

  it('an extension noticed on day 44 is allowed: due at the end of day 90', () => {
    const r = canExtend(respond, received, dayN(44), losAngeles);
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
    expect(local(r.right.extendedDueAt, 'America/Los_Angeles')).toBe('2026-05-30T23:59:59.999');
    expect(r.right.extendedDueAt).toBe(dayN(90, '23:59:59.999'));
  });

  it('an extension noticed on the last millisecond of day 45 is allowed, one noticed on day 46 is refused', () => {
    expect(E.isRight(canExtend(respond, received, dayN(45, '23:59:59.999'), losAngeles))).toBe(true);
    const r = canExtend(respond, received, dayN(46), losAngeles);
    expect(r).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'ExtensionRefused', reason: 'noticeTooLate', noticeBy: dayN(45, '23:59:59.999') },
    });
  });

  it('a rule without an extension refuses one; a notice before the clock start is refused', () => {
    expect(canExtend(rule('gdpr.art33.1.notifyAuthority'), received, received, losAngeles)).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'ExtensionRefused', reason: 'noExtension' },
    });
    expect(canExtend(respond, received, received - 1, losAngeles)).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'ExtensionRefused', reason: 'noticeBeforeClockStart' },
    });
  });

  it('confirming receipt: 10 business days', () => {
    const d = resolve(rule('ccpa.7021a.confirmReceipt'), received, losAngeles);
    expect(local(d.dueAt, 'America/Los_Angeles')).toBe('2026-03-16T23:59:59.999');
  });
});

describe('other extension bases and overrides', () => {
  it('PIPEDA: +30 days counted from the original due time (end of day 30 → end of day 60)', () => {
    const d = resolve(rule('pipeda.s8.3.respond'), at('2026-03-02T10:00:00-05:00'), calendar({ zone: 'America/Toronto' }));
    expect(local(d.dueAt, 'America/Toronto')).toBe('2026-04-01T23:59:59.999');
    expect(local(d.extendedDueAt, 'America/Toronto')).toBe('2026-05-01T23:59:59.999');
  });

  it('a contractual period can only make the due time earlier', () => {
    const start = at('2026-01-31T10:00:00+00:00');
    const shorter = resolve(rule('gdpr.art12.3.respond'), start, dublin, { period: calendarDays(20), citation: 'MSA §9' });
    expect(shorter.basis).toBe('override');
    expect(local(shorter.dueAt, 'Europe/Dublin')).toBe('2026-02-20T23:59:59.999');
    expect(shorter.explanation.citation).toBe('MSA §9');
    const longer = resolve(rule('gdpr.art12.3.respond'), start, dublin, { period: calendarDays(60) });
    expect(longer.basis).toBe('rule');
    expect(local(longer.dueAt, 'Europe/Dublin')).toBe('2026-02-28T23:59:59.999');
  });

  it('a host target never falls after the legal due time', () => {
    const d = resolve(rule('gdpr.art33.1.notifyAuthority'), at('2026-11-20T17:00:00+01:00'), paris, { hostTarget: hours(100) });
    expect(d.hostTarget).toBe(d.dueAt);
  });
});
