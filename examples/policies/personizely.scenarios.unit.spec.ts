/**
 * Personizely (seed 004) scenarios through `createLethe` on the in-memory store with a simulated
 * clock. Zone: Europe/Berlin (the policy's calendar; CET = UTC+1, CEST = UTC+2 from the last
 * Sunday of March to the last Sunday of October). Counting: EU Reg. 1182/71, the day of the event
 * is not counted, day periods end at 23:59:59.999 Berlin time of their last day and are not rolled
 * forward; a month ends on the same-numbered day or the month's last day; hour periods are
 * elapsed time from the exact instant (a DST change neither adds nor removes an hour).
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { dataOf, lines, policyOf, start, type TimelineStep } from './harness.fixture.js';

const ANA = '7b0c5f7e-1111-4c1e-9a51-000000000001';
const GRANT = '9f1e2d3c-0000-4a5b-8c7d-00000000000a';
const REQUEST = '5e4d3c2b-0000-4a1b-9c8d-0000000000a1';
const BREACH = '3c2b1a09-0000-4f1e-8d7c-0000000000b1';
const call = (at: string, name: string, input: unknown): TimelineStep => ({ at, call: name, input });
const tick = (at: string): TimelineStep => ({ at, tick: true });

const signUp = (at: string): TimelineStep[] => [
  call(at, 'registerSubject', { subjectId: ANA, jurisdictions: ['DE'], ourRole: { role: 'controller' } }),
  call(at, 'grantConsent', { grantId: GRANT, subjectId: ANA, purpose: 'service', method: 'checkbox', preTicked: false, evidence: { ip: '203.0.113.7' } }),
  call(at, 'startSubscription', { subjectId: ANA, contractId: 'sub-ana' }),
  call(at, 'collectData', { subjectId: ANA, category: 'client-account', system: 'app-db', source: 'signup', submission: 'explicit' }),
];
const approve = (at: string, role: string): TimelineStep =>
  call(at, 'approveErasure', { subjectId: ANA, category: 'client-account', role, approvedBy: `${role.toLowerCase()}-on-duty` });

describe('Personizely policy scenarios', () => {
  it('a cancellation on 30 November starts 90 days of grace; a reactivation inside it cancels the pending erasure', async () => {
    const r = start(policyOf('personizely'), '2026-06-01T09:00:00+02:00');
    await r.run(signUp('2026-06-01T09:00:00+02:00'));
    const cancelled = await r.run([call('2026-11-30T18:00:00+01:00', 'cancelSubscription', { subjectId: ANA, contractId: 'sub-ana' })]);
    expect(lines(cancelled)).toEqual([]);
    // 2026-11-30 not counted; day 90 is 2027-02-28 (CET).
    expect(r.lethe.obligations({ state: ['pending'] }).map((o) => [o.rule.ruleId, o.dueAt])).toEqual([['retention.client-account', '2027-02-28T22:59:59.999Z']]);
    await r.run([call('2027-02-28T23:59:00+01:00', 'reactivateSubscription', { subjectId: ANA, contractId: 'sub-ana' })]);
    expect(await r.run([tick('2027-03-01T09:00:00+01:00'), tick('2027-06-01T09:00:00+02:00')])).toEqual([]);
    expect(r.lethe.canProcess(ANA, 'service', '2027-03-01T09:00:00+01:00').allowed).toBe(true);
  });

  it('without reactivation the erasure needs both the CEO and the DPO (mode all); one approval is not enough', async () => {
    const r = start(policyOf('personizely'), '2026-01-05T09:00:00+01:00');
    await r.run(signUp('2026-01-05T09:00:00+01:00'));
    await r.run([call('2026-01-31T12:00:00+01:00', 'cancelSubscription', { subjectId: ANA, contractId: 'sub-ana' })]);
    // 2026-01-31 not counted; day 90 is 2026-05-01 (a public holiday, not rolled forward), ending 23:59:59.999 CEST.
    expect(await r.run([tick('2026-05-01T23:59:59.999+02:00')])).toEqual([]);
    const expired = await r.run([tick('2026-05-02T00:00:00.000+02:00')]);
    // The grace runs to the last millisecond of day 90, so the timer fires a millisecond after it (00:00 CEST on 2 May);
    // the completion month is counted from 2 May: due at the end of 2 June (CEST).
    expect(lines(expired)).toEqual(['RequestErasureApproval @2026-05-01T22:00:00.000Z dueAt=2026-06-02T21:59:59.999Z']);
    expect(dataOf(expired, 'RequestErasureApproval')[0]).toMatchObject({ category: 'client-account', roles: ['CEO', 'DPO'], mode: 'all', reason: 'retentionExpired' });
    const ceo = await r.run([approve('2026-05-04T10:00:00+02:00', 'CEO')]);
    expect(lines(ceo)).toEqual([]);
    const dpo = await r.run([approve('2026-05-04T11:00:00+02:00', 'DPO')]);
    // The destruction, backups included (PZ-17), keeps the completion deadline set when approval was asked.
    expect(lines(dpo)).toEqual(['EraseSubjectData @2026-05-04T09:00:00.000Z dueAt=2026-06-02T21:59:59.999Z']);
    expect(dataOf(dpo, 'EraseSubjectData')[0]).toMatchObject({
      categories: ['client-account'],
      systems: ['app-db', 'hetzner-backups'],
      processors: ['hetzner'],
      includeBackups: true,
      reason: 'retentionExpired',
    });
  });

  it('a consent withdrawal stops processing at once; the erasure of what rested on it waits for both approvals', async () => {
    const r = start(policyOf('personizely'), '2026-03-02T09:00:00+01:00');
    await r.run(signUp('2026-03-02T09:00:00+01:00'));
    const withdrawn = await r.run([call('2026-03-28T16:40:00+01:00', 'withdrawConsent', { grantId: GRANT, channel: 'email' })]);
    // Saturday 28 March, the eve of the March DST change: the month runs to the end of 28 April, CEST.
    expect(lines(withdrawn)).toEqual([
      'StopProcessing @2026-03-28T15:40:00.000Z',
      'RequestErasureApproval @2026-03-28T15:40:00.000Z dueAt=2026-04-28T21:59:59.999Z',
    ]);
    expect(dataOf(withdrawn, 'StopProcessing')[0]).toMatchObject({ purposes: ['service'], categories: ['client-account', 'widget-contacts'], reason: 'consentWithdrawn', citation: 'GDPR Art. 7(3)' });
    expect(dataOf(withdrawn, 'RequestErasureApproval')[0]).toMatchObject({ category: 'client-account', roles: ['CEO', 'DPO'], mode: 'all', reason: 'consentWithdrawn' });
    expect(r.lethe.canProcess(ANA, 'service', '2026-03-28T16:40:00+01:00').allowed).toBe(false);
    const approved = await r.run([approve('2026-03-30T10:00:00+02:00', 'CEO'), approve('2026-03-30T10:30:00+02:00', 'DPO')]);
    expect(lines(approved)).toEqual(['EraseSubjectData @2026-03-30T08:30:00.000Z dueAt=2026-04-28T21:59:59.999Z']);
  });

  it('an access request received on 31 January is due on 28 February; extended, on 30 April (GDPR Art. 12(3)); the export alerts the CEO and DPO (PZ-16)', async () => {
    const r = start(policyOf('personizely'), '2026-01-05T09:00:00+01:00');
    await r.run(signUp('2026-01-05T09:00:00+01:00'));
    const received = await r.run([
      call('2026-01-31T10:00:00+01:00', 'receiveRequest', { requestId: REQUEST, subjectId: ANA, requestType: 'access', jurisdiction: 'EU', channel: 'email', receivedAt: '2026-01-31T10:00:00+01:00', role: 'controller' }),
    ]);
    // 2026-01-31 not counted; one month later has no 31 February: the end of 28 February (CET). The extension notice
    // is due within that first month; extended, three months from receipt: the end of 30 April (CEST).
    expect(lines(received)).toEqual([
      'RespondToRequest @2026-01-31T10:00:00+01:00 dueAt=2026-02-28T23:59:59.999+01:00 dueAt=2026-02-28T23:59:59.999+01:00 noticeBy=2026-02-28T23:59:59.999+01:00 extendedDueAt=2026-04-30T23:59:59.999+02:00',
    ]);
    const extended = await r.run([
      call('2026-02-20T10:00:00+01:00', 'extendRequest', { requestId: REQUEST, at: '2026-02-20T10:00:00+01:00', reason: 'contacts of many widgets to collect' }),
      call('2026-02-21T10:00:00+01:00', 'verifyIdentity', { requestId: REQUEST, at: '2026-02-21T10:00:00+01:00', method: 'account-login' }),
    ]);
    // The export once the identity is verified, and at the same instant the alert to the CEO and the DPO (PZ-16,
    // parameters.exportAlertRoles): it has no due instant of its own, it is simultaneous with the export.
    expect(lines(extended)).toEqual([
      'ExportSubjectData @2026-02-21T10:00:00+01:00 dueAt=2026-04-30T23:59:59.999+02:00',
      'AlertDataExported @2026-02-21T10:00:00+01:00',
    ]);
    expect(dataOf(extended, 'AlertDataExported')).toEqual([
      {
        requestId: REQUEST,
        subjectId: ANA,
        requestType: 'access',
        roles: ['CEO', 'DPO'],
        at: '2026-02-21T10:00:00+01:00',
        citation: "Personizely (PZ-16): 'Notifications and alerts have been set up to notify the CEO and DPO whenever Client or customer's data is being exported'",
      },
    ]);
    expect(await r.run([tick('2026-04-30T23:59:59.999+02:00')])).toEqual([]);
    // Not answered: overdue once, the millisecond after the extended due instant.
    expect(lines(await r.run([tick('2026-05-01T00:00:00.000+02:00'), tick('2026-05-04T09:00:00+02:00')]))).toEqual([
      'ObligationOverdue @2026-04-30T22:00:00.000Z dueAt=2026-04-30T23:59:59.999+02:00',
    ]);
  });

  it('a breach detected on the Friday before the October DST change: authority and Clients are due 72 elapsed hours after detection', async () => {
    const r = start(policyOf('personizely'), '2026-10-23T09:00:00+02:00');
    await r.run(signUp('2026-10-23T09:00:00+02:00'));
    const detected = await r.run([
      call('2026-10-23T19:30:00+02:00', 'reportBreach', { breachId: BREACH, detectedAt: '2026-10-23T19:30:00+02:00', summary: 'exposed database snapshot' }),
      call('2026-10-23T21:00:00+02:00', 'establishAwareness', { breachId: BREACH, awareAt: '2026-10-23T21:00:00+02:00', role: 'controller' }),
    ]);
    // GDPR Art. 33(1): 72 hours from awareness (21:00 CEST = 19:00Z), host target 48 hours; PZ-19: 72 hours from
    // detection (19:30 CEST = 17:30Z). Elapsed hours: across the night Berlin returns to CET, the wall clock shows an hour less.
    expect(lines(detected)).toEqual([
      'NotifySupervisoryAuthority @2026-10-23T21:00:00+02:00 dueAt=2026-10-26T20:00:00.000+01:00 dueAt=2026-10-26T20:00:00.000+01:00 hostTargetAt=2026-10-25T20:00:00.000+01:00 hostTargetAt=2026-10-25T20:00:00.000+01:00',
      'NotifySupervisoryAuthority @2026-10-23T21:00:00+02:00 dueAt=2026-10-26T18:30:00.000+01:00 dueAt=2026-10-26T18:30:00.000+01:00',
      'NotifyDataSubjects @2026-10-23T21:00:00+02:00 dueAt=2026-10-26T18:30:00.000+01:00 dueAt=2026-10-26T18:30:00.000+01:00',
    ]);
    expect(dataOf(detected, 'NotifySupervisoryAuthority').map((d) => (d['obligations'] as { ruleId: string }[]).map((o) => o.ruleId))).toEqual([
      ['gdpr.art33.1.notifyAuthority'],
      ['personizely.breach.authorityAndClients'],
    ]);
    const assessed = await r.run([
      call('2026-10-24T10:00:00+02:00', 'assessBreach', {
        breachId: BREACH, assessedAt: '2026-10-24T10:00:00+02:00', risk: 'high', dataCategories: ['client-account'], dataSubjectCategories: ['clients'],
        approxSubjects: 1, approxRecords: 1, dataUnintelligible: false, nature: 'actual', cause: 'internal', likelyConsequences: 'phishing', measures: 'keys rotated', role: 'controller',
      }),
    ]);
    // High risk: GDPR Art. 34 adds the notice to data subjects, due with Art. 33's outer limit from awareness.
    expect(lines(assessed)).toEqual(['NotifyDataSubjects @2026-10-24T10:00:00+02:00 dueAt=2026-10-26T20:00:00.000+01:00 dueAt=2026-10-26T20:00:00.000+01:00']);
    // Nothing notified: PZ-19's two duties are overdue a millisecond after 18:30 CET, GDPR's after 20:00 CET.
    expect(await r.run([tick('2026-10-26T18:30:00.000+01:00')])).toEqual([]);
    const late = await r.run([tick('2026-10-26T18:30:00.001+01:00'), tick('2026-10-26T20:00:00.001+01:00')]);
    expect(late.map((c) => `${(c.data as { ruleId: string }).ruleId} @${c.occurredAt}`)).toEqual([
      'personizely.breach.authorityAndClients @2026-10-26T17:30:00.001Z',
      'personizely.breach.notifyClients @2026-10-26T17:30:00.001Z',
      'gdpr.art33.1.notifyAuthority @2026-10-26T19:00:00.001Z',
    ]);
    // Art. 34 gives no number: past its host target the duty is due, not overdue, and emits nothing.
    expect(late.every((c) => c.type === 'ObligationOverdue')).toBe(true);
  });

  it('a legal hold over the end of the grace period suspends the approval request until it is lifted', async () => {
    const r = start(policyOf('personizely'), '2026-01-05T09:00:00+01:00');
    await r.run(signUp('2026-01-05T09:00:00+01:00'));
    await r.run([
      call('2026-02-27T12:00:00+01:00', 'cancelSubscription', { subjectId: ANA, contractId: 'sub-ana' }),
      call('2026-03-02T12:00:00+01:00', 'placeLegalHold', { subjectId: ANA, holdId: 'tax-audit', reason: 'audit-2026-3', scope: 'all' }),
    ]);
    // 2026-02-27 not counted; day 90 is 2026-05-28 (CEST).
    expect(await r.run([tick('2026-05-29T09:00:00+02:00')])).toEqual([]);
    const lifted = await r.run([call('2026-06-10T09:00:00+02:00', 'liftLegalHold', { subjectId: ANA, holdId: 'tax-audit' })]);
    // The approval request goes out at the lift; the month runs from then: the end of 10 July (CEST).
    expect(lines(lifted)).toEqual(['RequestErasureApproval @2026-06-10T07:00:00.000Z dueAt=2026-07-10T21:59:59.999Z']);
    expect(dataOf(lifted, 'RequestErasureApproval')[0]).toMatchObject({ reason: 'retentionExpired', requestedAt: '2026-06-10T07:00:00.000Z' });
  });
});
