/**
 * Instaply (seed 001) scenarios through `createLethe` on the in-memory store with a simulated
 * clock. Zone: Europe/Paris (CET = UTC+1, CEST = UTC+2 from the last Sunday of March to the last
 * Sunday of October). Working hours (IN-15) count only the calendar's opening hours, an assumption
 * the host sets: Monday to Friday 09:00-18:00 Paris time (9 hours a day), French public holidays
 * closed. Hour periods (IN-19) are elapsed time from the exact instant. Day and month periods:
 * EU Reg. 1182/71, the day of the event not counted, ending 23:59:59.999 Paris time.
 */
import { describe, expect, it } from 'vitest';
import { dataOf, lines, policyOf, start, type TimelineStep } from './harness.fixture.js';

const USER = '1a5ba000-0000-4000-8000-000000000001';
const CHILD = '1a5ba000-0000-4000-8000-000000000002';
const TEEN = '1a5ba000-0000-4000-8000-000000000003';
const GRANT = '1a5ba000-0000-4000-8000-0000000000c1';
const REQUEST = '1a5ba000-0000-4000-8000-0000000000a1';
const BREACH = '1a5ba000-0000-4000-8000-0000000000b1';
const call = (at: string, name: string, input: unknown): TimelineStep => ({ at, call: name, input });
const tick = (at: string): TimelineStep => ({ at, tick: true });
const role = { role: 'processor', controllerId: 'client-shop' };
const register = (subjectId: string, at: string, age?: number): TimelineStep =>
  call(at, 'registerSubject', { subjectId, jurisdictions: ['FR'], ourRole: role, ...(age === undefined ? {} : { age: { ageInYears: age } }) });
const forwarded = (requestId: string, at: string, requestType = 'access') =>
  call(at, 'receiveRequest', { requestId, subjectId: USER, requestType, jurisdiction: 'FR', channel: 'dpoEmail', receivedAt: at, role: 'processor', receivedFrom: 'controller', controllerId: 'client-shop' });

describe('Instaply policy scenarios', () => {
  it('a request the controller forwards on Friday afternoon is due 72 working hours later: the weekend does not count', async () => {
    const r = start(policyOf('instaply'), '2026-06-01T09:00:00+02:00');
    await r.run([register(USER, '2026-06-01T09:00:00+02:00')]);
    const out = await r.run([forwarded(REQUEST, '2026-06-05T16:00:00+02:00')]);
    // Friday 16:00-18:00 is 2 hours; then 9 a day Monday to Tuesday of the second week (63), 7 more on Wednesday 17 June.
    expect(lines(out)).toEqual([
      'RespondToRequest @2026-06-05T16:00:00+02:00 dueAt=2026-06-17T16:00:00.000+02:00 dueAt=2026-06-17T16:00:00.000+02:00',
      'ExportSubjectData @2026-06-05T16:00:00+02:00 dueAt=2026-06-17T16:00:00.000+02:00',
    ]);
    expect((dataOf(out, 'RespondToRequest')[0]!['deadline'] as { ruleId: string } | undefined)?.ruleId ?? dataOf(out, 'RespondToRequest')[0]!['ruleId']).toBe('instaply.request.answerController');
    expect(await r.run([tick('2026-06-17T16:00:00.000+02:00')])).toEqual([]);
    expect(lines(await r.run([tick('2026-06-17T16:00:00.001+02:00')]))).toEqual(['ObligationOverdue @2026-06-17T14:00:00.001Z dueAt=2026-06-17T16:00:00.000+02:00']);
  });

  it('working hours skip public holidays: a request received before Ascension (14 May) and Whit Monday (25 May)', async () => {
    const r = start(policyOf('instaply'), '2026-05-11T09:00:00+02:00');
    await r.run([register(USER, '2026-05-11T09:00:00+02:00')]);
    const out = await r.run([forwarded(REQUEST, '2026-05-13T10:00:00+02:00')]);
    // Wed 13: 8 h; Thu 14 closed (Ascension); Fri 15 to Fri 22: 6 days, 62 h; Mon 25 closed (Whit Monday); Tue 26: 71 h; Wed 27: 10:00.
    expect(lines(out)).toEqual([
      'RespondToRequest @2026-05-13T10:00:00+02:00 dueAt=2026-05-27T10:00:00.000+02:00 dueAt=2026-05-27T10:00:00.000+02:00',
      'ExportSubjectData @2026-05-13T10:00:00+02:00 dueAt=2026-05-27T10:00:00.000+02:00',
    ]);
  });

  it('a breach of any kind: the customer is due notice 24 elapsed hours after awareness, through the March DST night', async () => {
    const r = start(policyOf('instaply'), '2026-03-28T09:00:00+01:00');
    await r.run([call('2026-03-28T10:00:00+01:00', 'reportBreach', { breachId: BREACH, summary: 'message store exposed' })]);
    const out = await r.run([call('2026-03-28T12:00:00+01:00', 'establishAwareness', { breachId: BREACH })]);
    // 12:00 CET = 11:00Z; 24 elapsed hours later is 11:00Z on Sunday, 13:00 CEST after the clocks went forward.
    expect(lines(out)).toEqual([
      'NotifyController @2026-03-28T12:00:00.000+01:00 dueAt=2026-03-29T13:00:00.000+02:00 dueAt=2026-03-29T13:00:00.000+02:00 dueAt=2026-03-29T13:00:00.000+02:00',
    ]);
    expect((dataOf(out, 'NotifyController')[0]!['obligations'] as { ruleId: string }[]).map((o) => o.ruleId)).toEqual(['gdpr.art33.2.notifyController', 'instaply.breach.notifyCustomer']);
    expect(await r.run([tick('2026-03-29T13:00:00.000+02:00')])).toEqual([]);
    // Not notified: IN-19's contractual 24 hours are overdue a millisecond after; GDPR Art. 33(2)
    // gives no number, so its host target passing makes it due, not overdue, and emits nothing.
    const late = await r.run([tick('2026-03-29T13:00:00.001+02:00')]);
    expect(lines(late)).toEqual(['ObligationOverdue @2026-03-29T11:00:00.001Z dueAt=2026-03-29T13:00:00.000+02:00']);
    expect(dataOf(late, 'ObligationOverdue').map((d) => d['ruleId'])).toEqual(['instaply.breach.notifyCustomer']);
  });

  it('a child found to be under 15 is erased whatever a parent says (IN-21); registered under 15, nothing can be collected', async () => {
    const r = start(policyOf('instaply'), '2026-09-01T09:00:00+02:00');
    await r.run([
      register(CHILD, '2026-09-01T09:00:00+02:00'),
      call('2026-09-01T09:01:00+02:00', 'grantConsent', {
        grantId: GRANT, subjectId: CHILD, purpose: 'location-features', method: 'toggle', preTicked: false, parentalAuthorisation: { by: 'parent-ref-1', at: '2026-09-01T09:00:00+02:00' },
      }),
      call('2026-09-01T09:02:00+02:00', 'collectData', { subjectId: CHILD, category: 'account', system: 'aws-eu', source: 'signup', submission: 'explicit' }),
    ]);
    const out = await r.run([call('2026-09-04T11:00:00+02:00', 'establishAge', { subjectId: CHILD, age: { ageInYears: 14 } })]);
    // The host target is 'at once'; the completion window (GDPR Art. 12(3), one month assumed) ends 4 October (CEST).
    expect(lines(out)).toEqual(['EraseSubjectData @2026-09-04T09:00:00.000Z dueAt=2026-10-04T21:59:59.999Z hostTargetAt=2026-09-04T09:00:00.000Z']);
    expect(dataOf(out, 'EraseSubjectData')[0]).toMatchObject({ reason: 'childBelowMinimumAge' });

    const other = '1a5ba000-0000-4000-8000-000000000004';
    await r.run([call('2026-09-05T09:00:00+02:00', 'registerSubject', { subjectId: other, jurisdictions: ['FR'], ourRole: role, age: { ageInYears: 14 } })]);
    expect(r.lethe.subject(other)).toMatchObject({ status: 'erased', erasureReason: 'childBelowMinimumAge' });
    expect(await r.attempt('2026-09-05T09:01:00+02:00', 'collectData', { subjectId: other, category: 'account', system: 'aws-eu', source: 'signup', submission: 'explicit' })).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'Rejected', rejection: { _tag: 'SubjectErased' } },
    });
  });

  it('a minor of 16 needs parental authorisation before collection (IN-22: 15 to under 18)', async () => {
    const r = start(policyOf('instaply'), '2026-09-01T09:00:00+02:00');
    await r.run([register(TEEN, '2026-09-01T09:00:00+02:00', 16)]);
    const collect = { subjectId: TEEN, category: 'location', system: 'aws-eu', source: 'app', submission: 'passive' };
    expect(await r.attempt('2026-09-01T09:06:00+02:00', 'collectData', collect)).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'Rejected', rejection: { _tag: 'ParentalAuthorisationRequired', belowAge: 18, ruleId: 'consent.parentalBand' } },
    });
    await r.run([
      call('2026-09-01T09:10:00+02:00', 'grantConsent', {
        grantId: GRANT, subjectId: TEEN, purpose: 'location-features', method: 'toggle', preTicked: false, parentalAuthorisation: { by: 'parent-ref-1', at: '2026-09-01T09:08:00+02:00' },
      }),
    ]);
    expect(await r.run([call('2026-09-01T09:12:00+02:00', 'collectData', collect)])).toEqual([]);
    expect(r.lethe.canProcess(TEEN, 'location-features', '2026-09-01T09:12:00+02:00').allowed).toBe(true);
  });

  it('sensitive content needs explicit consent; withdrawing it stops processing and erases within 30 days (assumption)', async () => {
    const r = start(policyOf('instaply'), '2026-10-01T09:00:00+02:00');
    await r.run([
      register(USER, '2026-10-01T09:00:00+02:00'),
      call('2026-10-01T09:01:00+02:00', 'grantConsent', { grantId: GRANT, subjectId: USER, purpose: 'sensitive-content', method: 'checkbox', preTicked: false, explicit: true }),
      call('2026-10-01T09:02:00+02:00', 'collectData', { subjectId: USER, category: 'sensitive-content', system: 'aws-eu', source: 'chat', submission: 'explicit' }),
    ]);
    const out = await r.run([call('2026-10-24T18:00:00+02:00', 'withdrawConsent', { grantId: GRANT, channel: 'in-app' })]);
    expect(lines(out)).toEqual(['StopProcessing @2026-10-24T16:00:00.000Z']);
    expect(r.lethe.canProcess(USER, 'sensitive-content', '2026-10-24T18:00:00+02:00').allowed).toBe(false);
    // 2026-10-24 not counted; across the October DST change, day 30 is 2026-11-23, ending 23:59:59.999 CET.
    expect(await r.run([tick('2026-11-23T23:59:59.998+01:00')])).toEqual([]);
    const erased = await r.run([tick('2026-11-23T23:59:59.999+01:00')]);
    // Then the erasure itself has a month (assumption): the end of 23 December (CET).
    expect(lines(erased)).toEqual(['EraseSubjectData @2026-11-23T22:59:59.999Z dueAt=2026-12-23T22:59:59.999Z']);
    expect(dataOf(erased, 'EraseSubjectData')[0]).toMatchObject({ categories: ['sensitive-content'], processors: ['aws'] });
  });

  it('IN-02: every published amendment must be announced; the notice is owed at once, required, and a retry of the same publication emits nothing', async () => {
    const r = start(policyOf('instaply'), '2026-03-01T09:00:00+01:00');
    const published = await r.run([
      call('2026-03-27T10:00:00+01:00', 'publishPolicyVersion', { version: '2026-04-01', effectiveFrom: '2026-04-01T00:00:00+02:00', meaningfullyReducesRights: false, summary: 'sub-processor list updated' }),
    ]);
    // No period in the seed: the command carries no due instant; it is emitted at the publication (CET, the day
    // before Paris moves to CEST), and the version takes effect on 1 April (the Date of Last Update).
    expect(lines(published)).toEqual(['NotifyUsersOfPolicyChange @2026-03-27T10:00:00.000+01:00']);
    const notice = dataOf(published, 'NotifyUsersOfPolicyChange')[0]!;
    expect(notice['policyId']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect({ ...notice, policyId: 'derived' }).toEqual({
      policyId: 'derived',
      version: '2026-04-01',
      effectiveFrom: '2026-04-01T00:00:00+02:00',
      publishedAt: '2026-03-27T10:00:00.000+01:00',
      meaningfullyReducesRights: false,
      required: true,
      citation:
        "Instaply (IN-02): 'we will notify you of such changes by publishing them within the Services or by email or other form of notification'; the Date of Last Update is updated once the amendments come into effect",
    });
    // The same publication recorded again (a retry) is a no-op: no second notice.
    expect(
      await r.run([
        call('2026-03-27T11:00:00+01:00', 'publishPolicyVersion', {
          version: '2026-04-01',
          effectiveFrom: '2026-04-01T00:00:00+02:00',
          meaningfullyReducesRights: false,
          summary: 'sub-processor list updated',
          publishedAt: '2026-03-27T10:00:00.000+01:00',
        }),
      ]),
    ).toEqual([]);
    // A later amendment reducing rights: required too (IN-02 makes no distinction).
    const second = await r.run([
      call('2026-09-15T09:00:00+02:00', 'publishPolicyVersion', { version: '2026-10-01', effectiveFrom: '2026-10-01T00:00:00+02:00', meaningfullyReducesRights: true }),
    ]);
    expect(lines(second)).toEqual(['NotifyUsersOfPolicyChange @2026-09-15T09:00:00.000+02:00']);
    expect(dataOf(second, 'NotifyUsersOfPolicyChange')[0]).toMatchObject({ policyId: notice['policyId'], version: '2026-10-01', meaningfullyReducesRights: true, required: true });
  });
});
