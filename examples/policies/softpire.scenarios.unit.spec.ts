/**
 * Softpire (seed 002) scenarios through `createLethe` on the in-memory store with a simulated
 * clock. Zone: America/Los_Angeles (PST = UTC-8; PDT = UTC-7 from the second Sunday of March to
 * the first Sunday of November). Counting: the day of receipt is day 1 (as the CCPA rulebook
 * counts, 'uk-ico' convention), a day period ends at 23:59:59.999 Los Angeles time of its last day
 * and is not rolled forward over weekends or California holidays.
 */
import { describe, expect, it } from 'vitest';
import { dataOf, lines, policyOf, start, type TimelineStep } from './harness.fixture.js';

const CONSUMER = '5077f1e0-0000-4000-8000-000000000001';
const GRANT = '5077f1e0-0000-4000-8000-0000000000c1';
const rq = (n: number) => `5077f1e0-0000-4000-8000-0000000000a${n}`;
const call = (at: string, name: string, input: unknown): TimelineStep => ({ at, call: name, input });
const tick = (at: string): TimelineStep => ({ at, tick: true });
const signUp = (at: string): TimelineStep[] => [
  call(at, 'registerSubject', { subjectId: CONSUMER, jurisdictions: ['US-CA'], ourRole: { role: 'controller' } }),
  call(at, 'startSubscription', { subjectId: CONSUMER, contractId: 'licence-1' }),
  call(at, 'collectData', { subjectId: CONSUMER, category: 'identifiers', system: 'softpire-db', source: 'signup', submission: 'explicit' }),
];
const receive = (n: number, at: string, requestType = 'access') =>
  call(at, 'receiveRequest', { requestId: rq(n), subjectId: CONSUMER, requestType, jurisdiction: 'US-CA', channel: 'email', receivedAt: at });

describe('Softpire policy scenarios', () => {
  it('a request to know is due on day 45 counting the day of receipt; extended on day 44, it is due on day 90', async () => {
    const r = start(policyOf('softpire'), '2026-01-02T09:00:00-08:00');
    await r.run(signUp('2026-01-02T09:00:00-08:00'));
    const received = await r.run([receive(1, '2026-01-05T10:00:00-08:00')]);
    // Day 1 is Monday 5 January, day 45 is 18 February; the extension notice is due by then; day 90 is 4 April (PDT).
    // The CCPA's receipt confirmation (11 CCR 7021(a)): 10 business days, skipping Martin Luther King Day (19 January).
    expect(lines(received)).toEqual([
      'ConfirmRequestReceipt @2026-01-05T10:00:00-08:00 dueAt=2026-01-20T23:59:59.999-08:00 dueAt=2026-01-20T23:59:59.999-08:00',
      'RespondToRequest @2026-01-05T10:00:00-08:00 dueAt=2026-02-18T23:59:59.999-08:00 dueAt=2026-02-18T23:59:59.999-08:00 noticeBy=2026-02-18T23:59:59.999-08:00 extendedDueAt=2026-04-04T23:59:59.999-07:00',
    ]);
    expect(dataOf(received, 'RespondToRequest')[0]).toMatchObject({ requestId: rq(1) });
    await r.run([call('2026-01-06T09:00:00-08:00', 'confirmRequestReceipt', { requestId: rq(1) })]);
    const extended = await r.run([call('2026-02-17T10:00:00-08:00', 'extendRequest', { requestId: rq(1), reason: 'records in three systems' })]);
    // The extension is recorded on the request; nothing new for the host to do.
    expect(extended).toEqual([]);
    expect(await r.run([tick('2026-02-19T09:00:00-08:00')])).toEqual([]);
    expect(await r.run([tick('2026-04-04T23:59:59.999-07:00')])).toEqual([]);
    // Not answered by the end of day 90: overdue once, the millisecond after.
    expect(lines(await r.run([tick('2026-04-05T00:00:00.000-07:00'), tick('2026-04-10T00:00:00.000-07:00')]))).toEqual([
      'ObligationOverdue @2026-04-05T07:00:00.000Z dueAt=2026-04-04T23:59:59.999-07:00',
    ]);
  });

  it('an extension notice after day 45 is too late and refused', async () => {
    const r = start(policyOf('softpire'), '2026-01-02T09:00:00-08:00');
    await r.run(signUp('2026-01-02T09:00:00-08:00'));
    await r.run([receive(1, '2026-01-05T10:00:00-08:00')]);
    const late = await r.attempt('2026-02-19T10:00:00-08:00', 'extendRequest', { requestId: rq(1), reason: 'records in three systems' });
    // Day 46: the notice is too late (SP-15: within the first 45 days).
    expect(late).toMatchObject({ _tag: 'Left', left: { _tag: 'Rejected', rejection: { _tag: 'ExtensionTooLate', noticeBy: '2026-02-18T23:59:59.999-08:00' } } });
  });

  it('"twice a year" per calendar year (the default reading): a third request in 2026 may be declined, the first of 2027 may not', async () => {
    const r = start(policyOf('softpire'), '2026-01-02T09:00:00-08:00');
    await r.run(signUp('2026-01-02T09:00:00-08:00'));
    await r.run([receive(1, '2026-03-02T10:00:00-08:00'), receive(2, '2026-09-01T10:00:00-07:00')]);
    // A third request to know in 2026 is beyond both readings' limit: the engine refuses to open it.
    expect(await r.attempt('2026-12-30T10:00:00-08:00', 'receiveRequest', { requestId: rq(3), subjectId: CONSUMER, requestType: 'access', jurisdiction: 'US-CA', channel: 'email', receivedAt: '2026-12-30T10:00:00-08:00' })).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'Rejected', rejection: { _tag: 'FrequencyLimitExceeded', limit: 2, priorRequestsInWindow: 2 } },
    });
    // 4 January 2027: the calendar-year count starts again, so the request is opened (the CCPA's rolling
    // twelve months would still count March and September 2026 and let it be declined).
    const next = await r.run([receive(4, '2027-01-04T10:00:00-08:00')]);
    expect(lines(next)).toEqual([
      'ConfirmRequestReceipt @2027-01-04T10:00:00-08:00 dueAt=2027-01-19T23:59:59.999-08:00 dueAt=2027-01-19T23:59:59.999-08:00',
      'RespondToRequest @2027-01-04T10:00:00-08:00 dueAt=2027-02-17T23:59:59.999-08:00 dueAt=2027-02-17T23:59:59.999-08:00 noticeBy=2027-02-17T23:59:59.999-08:00 extendedDueAt=2027-04-03T23:59:59.999-07:00',
    ]);
  });

  it('a verified deletion request is due on day 45 across the November DST change; erasure reaches the service providers; answered in time, nothing is overdue', async () => {
    const r = start(policyOf('softpire'), '2026-09-01T09:00:00-07:00');
    await r.run(signUp('2026-09-01T09:00:00-07:00'));
    const received = await r.run([receive(1, '2026-09-22T10:00:00-07:00', 'erasure')]);
    // Day 1 is 22 September (PDT); day 45 is 5 November, after the clocks went back on 1 November (PST).
    expect(lines(received)).toEqual([
      'ConfirmRequestReceipt @2026-09-22T10:00:00-07:00 dueAt=2026-10-06T23:59:59.999-07:00 dueAt=2026-10-06T23:59:59.999-07:00',
      'RespondToRequest @2026-09-22T10:00:00-07:00 dueAt=2026-11-05T23:59:59.999-08:00 dueAt=2026-11-05T23:59:59.999-08:00 noticeBy=2026-11-05T23:59:59.999-08:00 extendedDueAt=2026-12-20T23:59:59.999-08:00',
    ]);
    const verified = await r.run([
      call('2026-09-23T10:00:00-07:00', 'confirmRequestReceipt', { requestId: rq(1) }),
      call('2026-09-25T10:00:00-07:00', 'verifyIdentity', { requestId: rq(1), method: 'emailLink' }),
    ]);
    // Once the identity is verified, Lethe starts the erasure itself (SP-13, SP-14): requested at
    // 25 September 10:00 PDT; day 1 is 25 September, day 45 is 8 November, which ends at
    // 23:59:59.999 PST (the clocks went back on 1 November).
    expect(lines(verified)).toEqual(['EraseSubjectData @2026-09-25T10:00:00.000-07:00 dueAt=2026-11-09T07:59:59.999Z']);
    expect(dataOf(verified, 'EraseSubjectData')[0]).toMatchObject({ categories: ['identifiers'], processors: ['cloud-services', 'fraud-prevention'], reason: 'subjectRequest', requestedAt: '2026-09-25T10:00:00.000-07:00' });
    // Answering the request records the answer; it starts nothing new.
    const fulfilled = await r.run([call('2026-10-01T10:00:00-07:00', 'fulfilRequest', { requestId: rq(1), deliveryChannel: 'email' })]);
    expect(fulfilled).toEqual([]);
    expect(await r.run([tick('2026-11-06T00:00:00.000-08:00')])).toEqual([]);
  });

  it('a written withdrawal of consent stops the processing at once; the data is erased 30 days later (assumption)', async () => {
    const r = start(policyOf('softpire'), '2026-01-02T09:00:00-08:00');
    await r.run([
      ...signUp('2026-01-02T09:00:00-08:00'),
      call('2026-01-02T09:01:00-08:00', 'grantConsent', { grantId: GRANT, subjectId: CONSUMER, purpose: 'marketing', method: 'checkbox', preTicked: false }),
      call('2026-01-02T09:02:00-08:00', 'collectData', { subjectId: CONSUMER, category: 'marketing-profile', system: 'softpire-db', source: 'survey', submission: 'explicit' }),
    ]);
    const out = await r.run([call('2026-02-27T16:00:00-08:00', 'withdrawConsent', { grantId: GRANT, channel: 'written' })]);
    expect(lines(out)).toEqual(['StopProcessing @2026-02-28T00:00:00.000Z']);
    expect(dataOf(out, 'StopProcessing')[0]).toMatchObject({ purposes: ['marketing'], categories: ['marketing-profile'], reason: 'consentWithdrawn' });
    // Document counting (day of the event is day 1): day 30 is 28 March, ending 23:59:59.999 PDT; the erasure then
    // has 45 days (assumption, with the answer): day 45 counted from 28 March is 11 May.
    expect(lines(await r.run([tick('2026-04-01T00:00:00-07:00')]))).toEqual(['EraseSubjectData @2026-03-29T06:59:59.999Z dueAt=2026-05-12T06:59:59.999Z']);
  });

  it('an authorised agent\'s deletion request: receipt must be confirmed within 10 business days (Thanksgiving skipped) and goes overdue once; nothing is fulfilled before the consumer is verified', async () => {
    const r = start(policyOf('softpire'), '2026-11-02T09:00:00-08:00');
    await r.run(signUp('2026-11-02T09:00:00-08:00'));
    const received = await r.run([
      call('2026-11-18T10:00:00-08:00', 'receiveRequest', {
        requestId: rq(5),
        subjectId: CONSUMER,
        requestType: 'erasure',
        jurisdiction: 'US-CA',
        channel: 'email',
        receivedAt: '2026-11-18T10:00:00-08:00',
        authorisedAgent: { name: 'Dana Agent', authorisation: 'signedPermission' },
      }),
    ]);
    // Receipt on Wednesday 18 November (PST) is not a business day of the count: 19, 20, 23, 24, 25 November, then
    // Thanksgiving and the day after (26, 27) are California holidays, 30 November, 1, 2, 3 and 4 December: the end of 4
    // December. The answer: day 1 is 18 November, day 45 is 1 January 2027 (a holiday, not rolled forward); day 90, 15 February.
    expect(lines(received)).toEqual([
      'ConfirmRequestReceipt @2026-11-18T10:00:00-08:00 dueAt=2026-12-04T23:59:59.999-08:00 dueAt=2026-12-04T23:59:59.999-08:00',
      'RespondToRequest @2026-11-18T10:00:00-08:00 dueAt=2027-01-01T23:59:59.999-08:00 dueAt=2027-01-01T23:59:59.999-08:00 noticeBy=2027-01-01T23:59:59.999-08:00 extendedDueAt=2027-02-15T23:59:59.999-08:00',
    ]);
    expect(dataOf(received, 'RespondToRequest')[0]).toMatchObject({ requestId: rq(5), requestType: 'erasure', identityVerificationRequired: true, confirmReceiptBy: '2026-12-04T23:59:59.999-08:00' });
    // SP-22: the agent's signed permission does not replace the consumer's verification.
    expect(await r.attempt('2026-11-20T10:00:00-08:00', 'fulfilRequest', { requestId: rq(5), deliveryChannel: 'email' })).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'Rejected', rejection: { _tag: 'IdentityNotVerified' } },
    });
    expect(await r.run([tick('2026-12-04T23:59:59.999-08:00')])).toEqual([]);
    const late = await r.run([tick('2026-12-05T00:00:00.000-08:00'), tick('2026-12-10T00:00:00-08:00')]);
    expect(lines(late)).toEqual(['ObligationOverdue @2026-12-05T08:00:00.000Z dueAt=2026-12-04T23:59:59.999-08:00']);
    expect(dataOf(late, 'ObligationOverdue')[0]).toMatchObject({ ruleId: 'ccpa.7021a.confirmReceipt', duty: 'ConfirmRequestReceipt', entity: { kind: 'request', id: rq(5) } });
    // Verified on 10 December: the erasure starts by itself (SP-13); document counting, day 1 is 10 December, day 45 is
    // 23 January 2027 (PST).
    const verified = await r.run([call('2026-12-10T10:00:00-08:00', 'verifyIdentity', { requestId: rq(5), method: 'signedDeclaration' })]);
    expect(lines(verified)).toEqual(['EraseSubjectData @2026-12-10T10:00:00.000-08:00 dueAt=2027-01-24T07:59:59.999Z']);
    expect(dataOf(verified, 'EraseSubjectData')[0]).toMatchObject({ categories: ['identifiers'], processors: ['cloud-services', 'fraud-prevention'], reason: 'subjectRequest' });
    // The confirmation stays overdue; the answer is still pending.
    expect(r.lethe.obligations({ state: ['pending', 'overdue'] }).map((o) => [o.rule.ruleId, o.dueAt, o.state])).toEqual([
      ['ccpa.7021a.confirmReceipt', '2026-12-04T23:59:59.999-08:00', 'overdue'],
      ['ccpa.1798.130.respond', '2027-01-01T23:59:59.999-08:00', 'pending'],
      ['erasure.completion', '2027-01-24T07:59:59.999Z', 'pending'],
    ]);
  });
});
