/**
 * Convertful (seed 003) scenarios through `createLethe` on the in-memory store with a simulated
 * clock. Zone: Europe/Dublin (the policy's calendar; GMT in winter, IST = UTC+1 from the last
 * Sunday of March to the last Sunday of October). Counting: EU Reg. 1182/71, the day of the event
 * is not counted and a day period ends at 23:59:59.999 local time of its last day, never rolled
 * forward (weekends and public holidays count); hour periods run from the exact instant.
 * Retention timers fire at the due instant; overdue timers one millisecond after it.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { dataOf, lines, policyOf, start, type TimelineStep } from './harness.fixture.js';

const SUBJECT = '0c0f0f00-0000-4000-8000-000000000001';
const BREACH = '0c0f0f00-0000-4000-8000-0000000000b1';
const register = { subjectId: SUBJECT, jurisdictions: ['IE'], ourRole: { role: 'processor', controllerId: 'customer-acme' } };
const widget = (submission: 'explicit' | 'passive', category = 'widget-submissions') => ({
  subjectId: SUBJECT,
  category,
  system: 'app-db',
  source: 'widget',
  submission,
});
const call = (at: string, name: string, input: unknown): TimelineStep => ({ at, call: name, input });
const tick = (at: string): TimelineStep => ({ at, tick: true });

describe('Convertful policy scenarios', () => {
  it('the 365 days run from the last EXPLICIT submission: page views and passive data do not reset it; 29 February makes P365D end a day before P1Y', async () => {
    const r = start(policyOf('convertful'), '2027-03-01T09:00:00Z');
    const out = await r.run([
      call('2027-03-01T09:00:00Z', 'registerSubject', register),
      call('2027-03-10T14:00:00Z', 'collectData', widget('explicit')),
      call('2027-04-01T10:00:00+01:00', 'recordActivity', { subjectId: SUBJECT, kind: 'pageView' }),
      call('2027-04-02T10:00:00+01:00', 'collectData', widget('passive')),
      call('2027-04-03T10:00:00+01:00', 'recordActivity', { subjectId: SUBJECT, kind: 'tracking' }),
      // 2027-03-10 not counted; 365 days later, across 29 February 2028, is 2028-03-09 (P1Y would give 2028-03-10). GMT.
      tick('2028-03-09T23:59:59.998Z'),
    ]);
    expect(out).toEqual([]);
    const expired = await r.run([tick('2028-03-09T23:59:59.999Z')]);
    // Erasure starts at the due instant and must complete in 30 days: 2028-03-09 not counted, day 30 is 2028-04-08 (IST).
    expect(lines(expired)).toEqual(['EraseSubjectData @2028-03-09T23:59:59.999Z dueAt=2028-04-08T22:59:59.999Z']);
    expect(dataOf(expired, 'EraseSubjectData')[0]).toMatchObject({
      subjectId: SUBJECT,
      categories: ['widget-submissions'],
      systems: ['app-db', 'backups'],
      includeBackups: true,
      reason: 'retentionExpired',
      restrictProcessing: true,
      deadline: { ruleId: 'erasure.completion' },
    });
    // CF-06: isolated from processing during the removal period.
    expect(r.lethe.canProcess(SUBJECT, 'widget-service', '2028-03-10T12:00:00Z').allowed).toBe(false);
    expect(await r.run([tick('2028-03-11T00:00:00Z')])).toEqual([]);
  });

  it('a new explicit submission resets the clock; due instants follow the DST change of the due day (March and October weekends)', async () => {
    const r = start(policyOf('convertful'), '2026-03-01T09:00:00Z');
    await r.run([
      call('2026-03-01T09:00:00Z', 'registerSubject', register),
      call('2026-03-28T11:00:00Z', 'collectData', widget('explicit')),
    ]);
    // 2026-03-28 not counted; day 365 is Sunday 2027-03-28, the day Dublin moves to IST: the end of it is 22:59:59.999Z.
    expect(r.lethe.obligations({ state: ['pending'] }).map((o) => [o.rule.ruleId, o.dueAt])).toEqual([['retention.widget-submissions', '2027-03-28T22:59:59.999Z']]);
    await r.run([call('2026-10-31T16:00:00Z', 'collectData', widget('explicit'))]);
    // Reset: 2026-10-31 not counted; day 365 is Sunday 2027-10-31, the day Dublin returns to GMT: 23:59:59.999Z.
    expect(r.lethe.obligations({ state: ['pending'] }).map((o) => [o.rule.ruleId, o.dueAt])).toEqual([['retention.widget-submissions', '2027-10-31T23:59:59.999Z']]);
    expect(await r.run([tick('2027-03-29T12:00:00+01:00'), tick('2027-10-31T23:59:59.998Z')])).toEqual([]);
    const out = await r.run([tick('2027-10-31T23:59:59.999Z')]);
    // 2027-10-31 not counted; day 30 is 2027-11-30 (GMT).
    expect(lines(out)).toEqual(['EraseSubjectData @2027-10-31T23:59:59.999Z dueAt=2027-11-30T23:59:59.999Z']);
  });

  it('a legal hold over the expiry suspends the erasure; lifted, the 30 days end on a public holiday (St Patrick\'s Day) and are not rolled forward', async () => {
    const r = start(policyOf('convertful'), '2026-02-01T09:00:00Z');
    await r.run([
      call('2026-02-01T09:00:00Z', 'registerSubject', register),
      call('2026-02-10T09:00:00Z', 'collectData', widget('explicit')),
      call('2026-06-01T09:00:00+01:00', 'placeLegalHold', { subjectId: SUBJECT, holdId: 'hold-1', reason: 'case-2026-17', scope: 'all' }),
    ]);
    // Due at the end of 2027-02-10 (GMT); the clock runs under the hold, the erasure does not.
    expect(await r.run([tick('2027-02-10T23:59:59.999Z'), tick('2027-02-12T09:00:00Z')])).toEqual([]);
    expect(r.lethe.obligations({ state: ['suspended'] }).map((o) => [o.rule.ruleId, o.dueAt])).toEqual([['retention.widget-submissions', '2027-02-10T23:59:59.999Z']]);
    const out = await r.run([call('2027-02-15T10:00:00Z', 'liftLegalHold', { subjectId: SUBJECT, holdId: 'hold-1' })]);
    // 2027-02-15 not counted; day 30 is 2027-03-17, a public holiday in the calendar, still the last day.
    expect(lines(out)).toEqual(['EraseSubjectData @2027-02-15T10:00:00.000Z dueAt=2027-03-17T23:59:59.999Z']);
    expect(dataOf(out, 'EraseSubjectData')[0]).toMatchObject({ reason: 'retentionExpired', requestedAt: '2027-02-15T10:00:00.000Z' });
  });

  it('a Customer erasure request on 31 January must complete by 1 March in a leap year; unconfirmed, it is overdue once, a millisecond after', async () => {
    const r = start(policyOf('convertful'), '2028-01-10T09:00:00Z');
    await r.run([
      call('2028-01-10T09:00:00Z', 'registerSubject', register),
      call('2028-01-10T09:05:00Z', 'collectData', widget('explicit')),
    ]);
    const requested = await r.run([call('2028-01-31T15:00:00Z', 'requestErasure', { subjectId: SUBJECT })]);
    // 2028-01-31 not counted; 29 days of February 2028 and day 30 is 2028-03-01.
    expect(lines(requested)).toEqual(['EraseSubjectData @2028-01-31T15:00:00.000Z dueAt=2028-03-01T23:59:59.999Z']);
    expect(dataOf(requested, 'EraseSubjectData')[0]).toMatchObject({ reason: 'subjectRequest', restrictProcessing: true, includeBackups: true });
    await r.run([call('2028-02-10T09:00:00Z', 'confirmErasure', { subjectId: SUBJECT, category: 'widget-submissions', target: { system: 'app-db' } })]);
    expect(await r.run([tick('2028-03-01T23:59:59.999Z')])).toEqual([]);
    const late = await r.run([tick('2028-03-02T00:00:00.000Z'), tick('2028-03-05T00:00:00.000Z')]);
    expect(lines(late)).toEqual(['ObligationOverdue @2028-03-02T00:00:00.000Z dueAt=2028-03-01T23:59:59.999Z']);
    expect(dataOf(late, 'ObligationOverdue')[0]).toMatchObject({ ruleId: 'erasure.completion', subjectId: SUBJECT, category: 'widget-submissions' });
  });

  it('a Security Incident found on a Friday evening: the Customer is due notice 24 elapsed hours after awareness, on the Saturday', async () => {
    const r = start(policyOf('convertful'), '2027-11-19T09:00:00Z');
    await r.run([call('2027-11-19T18:30:00Z', 'reportBreach', { breachId: BREACH, summary: 'widget database exposed' })]);
    const aware = await r.run([call('2027-11-19T19:00:00Z', 'establishAwareness', { breachId: BREACH })]);
    // GDPR Art. 33(2)'s host target and CF-13's, both PT24H from awareness, through the weekend.
    expect(lines(aware)).toEqual([
      'NotifyController @2027-11-19T19:00:00.000+00:00 dueAt=2027-11-20T19:00:00.000+00:00 dueAt=2027-11-20T19:00:00.000+00:00 dueAt=2027-11-20T19:00:00.000+00:00',
    ]);
    expect((dataOf(aware, 'NotifyController')[0]!['obligations'] as { ruleId: string }[]).map((o) => o.ruleId)).toEqual([
      'gdpr.art33.2.notifyController',
      'convertful.breach.notifyCustomer',
    ]);
    const notified = await r.run([
      call('2027-11-20T11:00:00Z', 'recordControllerNotification', {
        breachId: BREACH,
        controllerId: 'customer-acme',
        content: { nature: 'database snapshot exposed', likelyConsequences: 'phishing', measures: 'snapshot removed' },
      }),
      tick('2027-11-22T09:00:00Z'),
    ]);
    expect(notified).toEqual([]);
  });

  it('termination of the Main Agreement: every category is erased within 30 days and nothing is overdue once each system confirms', async () => {
    const r = start(policyOf('convertful'), '2027-06-01T09:00:00+01:00');
    await r.run([
      call('2027-06-01T09:00:00+01:00', 'registerSubject', register),
      call('2027-06-01T09:05:00+01:00', 'collectData', widget('explicit')),
      call('2027-06-01T09:05:00+01:00', 'collectData', widget('passive', 'visitor-behaviour')),
    ]);
    const ended = await r.run([
      call('2027-09-30T17:00:00+01:00', 'terminateContract', { subjectId: SUBJECT, contractId: 'main-agreement' }),
      call('2027-09-30T17:00:00+01:00', 'requestErasure', { subjectId: SUBJECT, reason: 'contractEnded' }),
    ]);
    // 2027-09-30 not counted; day 30 is 2027-10-30 (IST, the day before the October change).
    expect(lines(ended)).toEqual([
      'EraseSubjectData @2027-09-30T16:00:00.000Z dueAt=2027-10-30T22:59:59.999Z',
      'EraseSubjectData @2027-09-30T16:00:00.000Z dueAt=2027-10-30T22:59:59.999Z',
    ]);
    expect(dataOf(ended, 'EraseSubjectData').map((d) => [d['categories'], d['reason']])).toEqual([
      [['widget-submissions'], 'contractEnded'],
      [['visitor-behaviour'], 'contractEnded'],
    ]);
    for (const category of ['widget-submissions', 'visitor-behaviour'])
      for (const system of ['app-db', 'backups'])
        await r.run([call('2027-10-10T12:00:00+01:00', 'confirmErasure', { subjectId: SUBJECT, category, target: { system } })]);
    expect(r.lethe.subject(SUBJECT)?.status).toBe('erased');
    expect(await r.run([tick('2027-11-30T00:00:00Z')])).toEqual([]);
    expect(E.isRight(await r.attempt('2027-12-01T00:00:00Z', 'collectData', widget('explicit')))).toBe(false);
  });

  it('CF-18: a law-enforcement demand is forwarded to the Customer with a copy, due 24 elapsed hours after receipt (host target for "promptly"); a demand the law forbids telling gives nothing', async () => {
    const r = start(policyOf('convertful'), '2027-03-01T09:00:00Z');
    const REGISTER = '0c0f0f00-0000-4000-8000-0000000000d1';
    const demand = (demandId: string, at: string, notificationProhibited: boolean, extra: Record<string, unknown> = {}) =>
      call(at, 'receiveAuthorityDemand', { registerId: REGISTER, demandId, authority: 'an-garda-siochana', controllerId: 'customer-acme', kind: 'lawEnforcement', notificationProhibited, ...extra });
    // Received Saturday 27 March 2027 at 16:45 GMT; Dublin moves to IST that night: due Sunday 17:45 IST (16:45Z).
    const received = await r.run([demand('garda-1', '2027-03-27T16:45:00Z', false, { reference: 'case-2027-88' })]);
    expect(lines(received)).toEqual(['ForwardAuthorityDemandToController @2027-03-27T16:45:00.000+00:00 dueAt=2027-03-28T17:45:00.000+01:00']);
    const forward = dataOf(received, 'ForwardAuthorityDemandToController')[0]!;
    expect(forward).toMatchObject({
      registerId: REGISTER,
      demandId: 'garda-1',
      controllerId: 'customer-acme',
      authority: 'an-garda-siochana',
      kind: 'lawEnforcement',
      receivedAt: '2027-03-27T16:45:00.000+00:00',
      reference: 'case-2027-88',
    });
    expect(String(forward['citation'])).toMatch(/^Convertful DPA \(CF-18\)/);
    expect(String(forward['explanation'])).toMatch(/^Host target, not a legal limit: /);
    // Recording the notice settles it; recording it again is a no-op, and nothing follows.
    expect(await r.run([call('2027-03-28T10:00:00+01:00', 'recordAuthorityDemandForwarding', { registerId: REGISTER, demandId: 'garda-1' })])).toEqual([]);
    expect(await r.run([call('2027-03-29T10:00:00+01:00', 'recordAuthorityDemandForwarding', { registerId: REGISTER, demandId: 'garda-1' })])).toEqual([]);
    // Under a legal prohibition: no command at all, and a notice cannot be recorded.
    expect(await r.run([demand('garda-2', '2027-04-06T09:00:00+01:00', true, { prohibitionBasis: 'court non-disclosure order' })])).toEqual([]);
    expect(await r.attempt('2027-04-06T10:00:00+01:00', 'recordAuthorityDemandForwarding', { registerId: REGISTER, demandId: 'garda-2' })).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'Rejected', rejection: { _tag: 'AuthorityDemandNotificationProhibited', demandId: 'garda-2' } },
    });
    expect(await r.run([tick('2027-05-01T00:00:00+01:00')])).toEqual([]);
  });
});
