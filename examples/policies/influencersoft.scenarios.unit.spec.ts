/**
 * InfluencerSoft (seed 000) scenarios through `createLethe` on the in-memory store with a
 * simulated clock. Zone: America/Los_Angeles (PST = UTC-8; PDT = UTC-7 from the second Sunday of
 * March to the first Sunday of November). Counting: EU Reg. 1182/71 (the document's default; GDPR
 * duties), the day of the event not counted, day and month periods ending 23:59:59.999 Los Angeles
 * time, not rolled forward; hour periods are elapsed time from the exact instant.
 */
import { describe, expect, it } from 'vitest';
import { dataOf, lines, policyOf, start, type TimelineStep } from './harness.fixture.js';

const USER = '1f50f700-0000-4000-8000-000000000001';
const END_USER = '1f50f700-0000-4000-8000-000000000002';
const BREACH = '1f50f700-0000-4000-8000-0000000000b1';
const REGISTER = '1f50f700-0000-4000-8000-0000000000d1';
const rq = (n: number) => `1f50f700-0000-4000-8000-0000000000a${n}`;
const call = (at: string, name: string, input: unknown): TimelineStep => ({ at, call: name, input });
const tick = (at: string): TimelineStep => ({ at, tick: true });
const collect = (subjectId: string, category: string, system = 'app-db') => ({ subjectId, category, system, source: 'signup', submission: 'explicit' });
const signUp = (at: string): TimelineStep[] => [
  call(at, 'registerSubject', { subjectId: USER, jurisdictions: ['GB'], ourRole: { role: 'controller' } }),
  call(at, 'startSubscription', { subjectId: USER, contractId: 'registration-1' }),
  call(at, 'collectData', collect(USER, 'registration')),
  call(at, 'collectData', collect(USER, 'registration-audit')),
];
const customerEndUser = (at: string): TimelineStep[] => [
  call(at, 'registerSubject', { subjectId: END_USER, jurisdictions: ['DE'], ourRole: { role: 'processor', controllerId: 'customer-coach' } }),
  call(at, 'startSubscription', { subjectId: END_USER, contractId: 'paid-services-coach' }),
  call(at, 'collectData', { ...collect(END_USER, 'controlled-data'), source: 'customer-funnel' }),
];
const endUserAccess = (n: number, at: string) =>
  call(at, 'receiveRequest', { requestId: rq(n), subjectId: END_USER, requestType: 'access', jurisdiction: 'DE', channel: 'email', receivedAt: at, role: 'processor', controllerId: 'customer-coach' });
const demand = (demandId: string, at: string, notificationProhibited: boolean) =>
  call(at, 'receiveAuthorityDemand', { registerId: REGISTER, demandId, authority: 'us-district-court-sd-cal', controllerId: 'customer-coach', kind: 'court', notificationProhibited });
const assessment = (cause: string) => ({
  breachId: BREACH, risk: 'high', dataCategories: ['controlled-data'], dataSubjectCategories: ['end-users'], approxSubjects: 40, approxRecords: 40,
  dataUnintelligible: false, nature: 'actual', cause, likelyConsequences: 'spam', measures: 'access closed', role: 'processor',
});

describe('InfluencerSoft policy scenarios', () => {
  it('cancelling the registration erases ALL personal data at once, Intercom and the other recipients included (IS-07)', async () => {
    const r = start(policyOf('influencersoft'), '2026-01-15T09:00:00-08:00');
    await r.run(signUp('2026-01-15T09:00:00-08:00'));
    await r.run([call('2026-01-31T18:00:00-08:00', 'cancelSubscription', { subjectId: USER, contractId: 'registration-1' })]);
    const out = await r.run([tick('2026-01-31T18:00:00-08:00')]);
    // The clocks run zero hours from the cancellation (18:00 PST = 02:00Z); the erasure then has GDPR's month:
    // 31 January not counted, no 31 February, so the end of 28 February (PST).
    expect(lines(out)).toEqual([
      'EraseSubjectData @2026-02-01T02:00:00.000Z dueAt=2026-03-01T07:59:59.999Z',
      'EraseSubjectData @2026-02-01T02:00:00.000Z dueAt=2026-03-01T07:59:59.999Z',
    ]);
    expect(dataOf(out, 'EraseSubjectData').map((d) => [d['categories'], d['processors']]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      [['registration'], ['hetzner', 'intercom', 'stripe', 'zendesk']],
      [['registration-audit'], []],
    ]);
    expect(await r.run([tick('2026-02-02T09:00:00-08:00')])).toEqual([]);
  });

  it('server logs are erased after the host-set retention (IS-01; assumption P14D), across the March DST change', async () => {
    const r = start(policyOf('influencersoft'), '2026-03-01T09:00:00-08:00');
    await r.run([
      call('2026-03-01T09:00:00-08:00', 'registerSubject', { subjectId: USER, jurisdictions: ['GB'], ourRole: { role: 'controller' } }),
      call('2026-03-01T09:00:00-08:00', 'collectData', collect(USER, 'server-log', 'web-server')),
    ]);
    expect(await r.run([tick('2026-03-15T23:59:59.998-07:00')])).toEqual([]);
    const out = await r.run([tick('2026-03-16T00:00:00-07:00')]);
    // 1 March not counted; day 14 is 15 March, after the clocks went forward (PDT); then a month: 15 April.
    expect(lines(out)).toEqual(['EraseSubjectData @2026-03-16T06:59:59.999Z dueAt=2026-04-16T06:59:59.999Z']);
    expect(dataOf(out, 'EraseSubjectData')[0]).toMatchObject({ categories: ['server-log'], systems: ['web-server'], processors: ['cloudflare'] });
  });

  it('the processor breach notice counts from awareness AND confirmation (IS-21)', async () => {
    const r = start(policyOf('influencersoft'), '2026-06-12T09:00:00-07:00');
    await r.run([call('2026-06-12T17:00:00-07:00', 'reportBreach', { breachId: BREACH, summary: 'funnel database exposed' })]);
    const aware = await r.run([call('2026-06-12T18:00:00-07:00', 'establishAwareness', { breachId: BREACH, role: 'processor' })]);
    // At awareness only GDPR Art. 33(2)'s host target runs (24 hours); IS-21 waits for confirmation.
    expect(lines(aware)).toEqual(['NotifyController @2026-06-12T18:00:00.000-07:00 dueAt=2026-06-13T18:00:00.000-07:00 dueAt=2026-06-13T18:00:00.000-07:00']);
    expect((dataOf(aware, 'NotifyController')[0]!['obligations'] as { ruleId: string }[]).map((o) => o.ruleId)).toEqual(['gdpr.art33.2.notifyController']);
    const confirmed = await r.run([call('2026-06-15T11:00:00-07:00', 'confirmBreach', { breachId: BREACH })]);
    // Confirmed on Monday 15 June, 11:00 PDT: IS-21's 24-hour target runs from then (the later of the two instants).
    expect(lines(confirmed)).toEqual(['NotifyController @2026-06-15T11:00:00.000-07:00 dueAt=2026-06-16T11:00:00.000-07:00 dueAt=2026-06-16T11:00:00.000-07:00']);
    expect((dataOf(confirmed, 'NotifyController')[0]!['obligations'] as { ruleId: string }[]).map((o) => o.ruleId)).toEqual(['influencersoft.breach.notifyCustomer']);
  });

  it('no breach duty for an incident the customer caused (IS-22)', async () => {
    const r = start(policyOf('influencersoft'), '2026-06-12T09:00:00-07:00');
    await r.run([
      call('2026-06-12T17:00:00-07:00', 'reportBreach', { breachId: BREACH, summary: 'customer shared an admin password' }),
      call('2026-06-12T18:00:00-07:00', 'establishAwareness', { breachId: BREACH, role: 'processor' }),
      call('2026-06-12T19:00:00-07:00', 'assessBreach', { ...assessment('customer'), assessedAt: '2026-06-12T19:00:00-07:00' }),
    ]);
    const out = await r.run([call('2026-06-13T11:00:00-07:00', 'confirmBreach', { breachId: BREACH })]);
    // Excluded cause: IS-21's duty never opens (GDPR Art. 33(2) still ran from awareness).
    expect(out).toEqual([]);
    expect(r.commands.filter((c) => JSON.stringify(c.data).includes('influencersoft.breach.notifyCustomer'))).toEqual([]);
  });

  it('IS-28(a): the end of the paid services offers the controlled data back with a written-request window ending on day 90; the data is erased at the same instant', async () => {
    const r = start(policyOf('influencersoft'), '2026-02-02T10:00:00-08:00');
    await r.run(customerEndUser('2026-02-02T10:00:00-08:00'));
    // The host records the cancellation of the customer's paid services as the end of the contract.
    const ended = await r.run([call('2026-11-30T17:00:00-08:00', 'terminateContract', { subjectId: END_USER, contractId: 'paid-services-coach' })]);
    // 30 November (PST) not counted; day 90 is Sunday 28 February 2027, ending 23:59:59.999 PST (not rolled forward).
    expect(ended.map((c) => [c.type, c.occurredAt])).toEqual([['ReturnData', '2026-12-01T01:00:00.000Z']]);
    expect(dataOf(ended, 'ReturnData')).toEqual([
      {
        subjectId: END_USER,
        contractId: 'paid-services-coach',
        categories: ['controlled-data'],
        systems: ['app-db', 'hetzner-db'],
        format: 'original',
        terminatedAt: '2026-12-01T01:00:00.000Z',
        citation: "InfluencerSoft (IS-28(a)): 'upon your written request, we will ... return such data and copies of such data to you'",
        requestWindowEndsAt: '2027-03-01T07:59:59.999Z',
      },
    ]);
    // The controlled data's retention (parameters.controlledDataRetention, P90D from the cancellation) ends at the same instant.
    expect(r.lethe.obligations({ state: ['pending'] }).map((o) => [o.rule.ruleId, o.dueAt])).toEqual([['retention.controlled-data', '2027-03-01T07:59:59.999Z']]);
    expect(await r.run([tick('2027-02-28T23:59:59.998-08:00')])).toEqual([]);
    const expired = await r.run([tick('2027-02-28T23:59:59.999-08:00'), tick('2027-03-02T09:00:00-08:00')]);
    // Then GDPR's month for the erasure: 28 February not counted, the end of 28 March, after the clocks went forward (PDT).
    expect(lines(expired)).toEqual(['EraseSubjectData @2027-03-01T07:59:59.999Z dueAt=2027-03-29T06:59:59.999Z']);
    expect(dataOf(expired, 'EraseSubjectData')[0]).toMatchObject({ categories: ['controlled-data'], processors: ['hetzner'], reason: 'retentionExpired', includeBackups: true });
  });

  it('IS-13: a customer\'s end user who asks InfluencerSoft for access is referred to the customer within the 24-hour host target; unreferred, it is overdue once', async () => {
    const r = start(policyOf('influencersoft'), '2026-02-02T10:00:00-08:00');
    await r.run(customerEndUser('2026-02-02T10:00:00-08:00'));
    const received = await r.run([endUserAccess(1, '2026-03-07T15:00:00-08:00')]);
    // 24 elapsed hours across the night of 8 March, when Los Angeles moves to PDT: the wall clock shows an hour more.
    expect(lines(received)).toEqual(['ForwardRequestToController @2026-03-07T15:00:00-08:00 dueAt=2026-03-08T16:00:00.000-07:00 dueAt=2026-03-08T16:00:00.000-07:00']);
    expect(dataOf(received, 'ForwardRequestToController')[0]).toMatchObject({
      requestId: rq(1),
      subjectId: END_USER,
      requestType: 'access',
      controllerId: 'customer-coach',
      mayInformSubject: true,
      deadline: { ruleId: 'influencersoft.request.referToCustomer' },
    });
    // InfluencerSoft does not answer the substance: no RespondToRequest and no export.
    expect(r.commands.filter((c) => c.type === 'RespondToRequest' || c.type === 'ExportSubjectData')).toEqual([]);
    expect(await r.run([call('2026-03-08T09:00:00-07:00', 'forwardRequest', { requestId: rq(1) }), tick('2026-03-09T09:00:00-07:00')])).toEqual([]);
    // A second request, never referred: overdue the millisecond after its due instant, and only once.
    await r.run([endUserAccess(2, '2026-04-10T15:00:00-07:00')]);
    expect(await r.run([tick('2026-04-11T15:00:00.000-07:00')])).toEqual([]);
    const late = await r.run([tick('2026-04-11T15:00:00.001-07:00'), tick('2026-04-20T09:00:00-07:00')]);
    expect(lines(late)).toEqual(['ObligationOverdue @2026-04-11T22:00:00.001Z dueAt=2026-04-11T15:00:00.000-07:00']);
    expect(dataOf(late, 'ObligationOverdue')[0]).toMatchObject({ ruleId: 'influencersoft.request.referToCustomer', entity: { kind: 'request', id: rq(2) } });
  });

  it('IS-12, IS-23: a subpoena for a customer\'s data is forwarded to the customer within 24 elapsed hours; one the law forbids telling gives nothing', async () => {
    const r = start(policyOf('influencersoft'), '2026-10-30T09:00:00-07:00');
    // Received on Saturday 31 October at 17:30 PDT; the clocks go back on Sunday 1 November: due at 16:30 PST.
    const received = await r.run([demand('subpoena-1', '2026-10-31T17:30:00-07:00', false)]);
    expect(lines(received)).toEqual(['ForwardAuthorityDemandToController @2026-10-31T17:30:00.000-07:00 dueAt=2026-11-01T16:30:00.000-08:00']);
    expect(dataOf(received, 'ForwardAuthorityDemandToController')[0]).toMatchObject({
      registerId: REGISTER,
      demandId: 'subpoena-1',
      controllerId: 'customer-coach',
      authority: 'us-district-court-sd-cal',
      kind: 'court',
      receivedAt: '2026-10-31T17:30:00.000-07:00',
    });
    expect(String(dataOf(received, 'ForwardAuthorityDemandToController')[0]!['citation'])).toContain('IS-12, IS-23');
    expect(await r.run([call('2026-11-01T10:00:00-08:00', 'recordAuthorityDemandForwarding', { registerId: REGISTER, demandId: 'subpoena-1' })])).toEqual([]);
    // A demand under a non-disclosure order: nothing is owed to the customer, and recording a notice is refused.
    expect(await r.run([demand('subpoena-2', '2026-11-03T09:00:00-08:00', true)])).toEqual([]);
    expect(await r.attempt('2026-11-03T10:00:00-08:00', 'recordAuthorityDemandForwarding', { registerId: REGISTER, demandId: 'subpoena-2' })).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'Rejected', rejection: { _tag: 'AuthorityDemandNotificationProhibited', demandId: 'subpoena-2' } },
    });
  });

  it('IS-30 (reading: optional): a new policy version gives a notice the host MAY send, even when it meaningfully reduces rights', async () => {
    const r = start(policyOf('influencersoft'), '2026-10-30T09:00:00-07:00');
    const out = await r.run([
      call('2026-10-30T10:00:00-07:00', 'publishPolicyVersion', { version: '2026-11', effectiveFrom: '2026-11-15T00:00:00-08:00', meaningfullyReducesRights: true }),
    ]);
    expect(lines(out)).toEqual(['NotifyUsersOfPolicyChange @2026-10-30T10:00:00.000-07:00']);
    expect(dataOf(out, 'NotifyUsersOfPolicyChange')[0]).toMatchObject({
      version: '2026-11',
      effectiveFrom: '2026-11-15T00:00:00-08:00',
      publishedAt: '2026-10-30T10:00:00.000-07:00',
      meaningfullyReducesRights: true,
      required: false,
      citation: "InfluencerSoft (IS-30): 'If a modification meaningfully reduces your rights, we may notify you'; 'reserves the right to update this Privacy Policy from time to time without notice'",
    });
    // Nothing is due: no timer, no overdue.
    expect(await r.run([tick('2027-01-01T00:00:00-08:00')])).toEqual([]);
  });
});
