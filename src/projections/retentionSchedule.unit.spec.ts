import { describe, expect, it } from 'vitest';
import { SUBJECT, lifecyclePolicy, world } from '../api/lifecycle.fixture.js';
import { retentionClockId } from '../model/shared.js';
import { clockFor, clockStatus, clocksOf, dueClocks } from './retentionSchedule.js';
import { subjectOf } from './subjectView.js';

const policy = lifecyclePolicy();
const clockId = retentionClockId(SUBJECT, 'widget-leads');
const deadline = (dueAt: string) => ({ ruleId: 'retention.widget-leads', dueAt, citation: 'CF-22', explanation: '365 days' });
const started = {
  type: 'RetentionClockStarted',
  data: {
    subjectId: SUBJECT,
    category: 'widget-leads',
    basis: 'lastActivity',
    startedAt: '2026-03-10T14:00:00Z',
    deadline: deadline('2027-03-10T23:59:59.999Z'),
    onExpiry: 'erase',
    policyVersion: '2026.1',
    systems: ['app-db', 'backups'],
    processors: ['aws'],
    resetBy: ['explicitSubmission'],
    approvalsRequired: { roles: ['CEO', 'DPO'], mode: 'all' },
  },
};
const completion = { ruleId: 'erasure.completion', dueAt: '2027-04-09T22:59:59.999Z', citation: 'CF-06', explanation: '30 days' };

describe('retention schedule', () => {
  it('follows a clock from start through reset, expiry, approvals, confirmations to closing', () => {
    const w = world(policy);
    w.feed('retention', clockId, started);
    w.feed('retention', clockId, { type: 'RetentionClockReset', data: { activityKind: 'explicitSubmission', resetAt: '2026-05-01T09:00:00Z', deadline: deadline('2027-05-01T23:59:59.999Z') } });
    let c = clockFor(w.views().retentionSchedule, SUBJECT, 'widget-leads')!;
    expect(c).toMatchObject({ clockId, state: 'running', cycle: 1, runningSince: '2026-05-01T09:00:00Z', deadline: deadline('2027-05-01T23:59:59.999Z') });
    expect(dueClocks(w.views().retentionSchedule, Date.parse('2027-05-01T23:59:59.999Z')).map((x) => x.clockId)).toEqual([clockId]);
    expect(dueClocks(w.views().retentionSchedule, Date.parse('2027-05-01T23:59:59.998Z'))).toEqual([]);
    w.feed('retention', clockId, { type: 'RetentionClockExpired', data: { expiredAt: '2027-05-01T23:59:59.999Z', checkedAt: '2027-05-01T23:59:59.999Z' } });
    w.feed('retention', clockId, { type: 'ErasureRequested', data: { reason: 'retentionExpired', requestedAt: '2027-05-01T23:59:59.999Z', completionDeadline: completion, restrictProcessing: true } });
    expect(clockFor(w.views().retentionSchedule, SUBJECT, 'widget-leads')?.state).toBe('awaitingApproval');
    w.feed('retention', clockId, { type: 'ErasureApproved', data: { role: 'CEO', approvedBy: 'employee-7', approvedAt: '2027-05-02T10:00:00Z' } });
    w.feed('retention', clockId, { type: 'ErasureApproved', data: { role: 'DPO', approvedBy: 'employee-9', approvedAt: '2027-05-02T11:00:00Z' } });
    w.feed('retention', clockId, { type: 'ErasureAuthorised', data: { authorisedAt: '2027-05-02T11:00:00Z', roles: ['CEO', 'DPO'] } });
    w.feed('retention', clockId, { type: 'ErasureConfirmed', data: { target: { system: 'app-db' }, confirmedAt: '2027-05-03T00:00:00Z' } });
    w.feed('retention', clockId, { type: 'ErasureConfirmed', data: { target: { processor: 'aws' }, confirmedAt: '2027-05-03T01:00:00Z' } });
    c = clockFor(w.views().retentionSchedule, SUBJECT, 'widget-leads')!;
    expect(c.state).toBe('erasing');
    expect(c.erasure).toEqual({
      reason: 'retentionExpired',
      requestedAt: '2027-05-01T23:59:59.999Z',
      completionDeadline: completion,
      restrictProcessing: true,
      approvals: { CEO: '2027-05-02T10:00:00Z', DPO: '2027-05-02T11:00:00Z' },
      authorisedAt: '2027-05-02T11:00:00Z',
      confirmedSystems: ['app-db'],
      confirmedProcessors: ['aws'],
    });
    expect(JSON.stringify(c)).not.toContain('employee-7');
    w.feed('retention', clockId, { type: 'ErasureConfirmed', data: { target: { system: 'backups' }, confirmedAt: '2027-05-04T00:00:00Z' } });
    w.feed('retention', clockId, { type: 'ErasureCompleted', data: { completedAt: '2027-05-04T00:00:00Z', systems: ['app-db', 'backups'], processors: ['aws'] } });
    w.feed('retention', clockId, { type: 'RetentionClockClosed', data: { closedAt: '2027-05-04T00:00:00Z' } });
    c = clockFor(w.views().retentionSchedule, SUBJECT, 'widget-leads')!;
    expect(c.state).toBe('closed');
    expect(c.erasure?.completedAt).toBe('2027-05-04T00:00:00Z');
    expect(clocksOf(w.views().retentionSchedule, SUBJECT)).toHaveLength(1);
  });

  it('shows suspendedByLegalHold for an expired clock under an active hold (derived from the subject view), and the recorded state once lifted', () => {
    const w = world(policy);
    w.feed('subject', SUBJECT, { type: 'SubjectRegistered', data: { subjectId: SUBJECT, jurisdictions: ['IE'], ourRole: { role: 'controller' }, registeredAt: '2026-01-01T00:00:00Z' } });
    w.feed('subject', SUBJECT, { type: 'LegalHoldPlaced', data: { holdId: 'h1', reason: 'case-42', scope: ['widget-leads'], placedAt: '2026-06-01T00:00:00Z' } });
    w.feed('retention', clockId, started);
    const subject = () => subjectOf(w.views().subjectView, SUBJECT);
    const clock = () => clockFor(w.views().retentionSchedule, SUBJECT, 'widget-leads')!;
    expect(clockStatus(clock(), subject(), Date.parse('2027-01-01T00:00:00Z'))).toBe('running');
    expect(clockStatus(clock(), subject(), Date.parse('2027-03-11T00:00:00Z'))).toBe('suspendedByLegalHold');
    w.feed('retention', clockId, { type: 'RetentionClockExpired', data: { expiredAt: '2027-03-10T23:59:59.999Z', checkedAt: '2027-03-10T23:59:59.999Z' } });
    expect(clockStatus(clock(), subject())).toBe('suspendedByLegalHold');
    w.feed('subject', SUBJECT, { type: 'LegalHoldLifted', data: { holdId: 'h1', liftedAt: '2027-06-01T00:00:00Z' } });
    expect(clockStatus(clock(), subject())).toBe('expired');
  });

  it('a cancelled erasure returns the clock to expired (or cancelled within grace) and remembers why it was requested', () => {
    const w = world(policy);
    w.feed('retention', clockId, started);
    w.feed('retention', clockId, { type: 'ErasureRequested', data: { reason: 'subjectRequest', requestedAt: '2026-06-01T00:00:00Z', completionDeadline: completion, restrictProcessing: true } });
    w.feed('retention', clockId, { type: 'ErasureCancelled', data: { reason: 'holdPlaced', cancelledAt: '2026-06-02T00:00:00Z' } });
    const c = clockFor(w.views().retentionSchedule, SUBJECT, 'widget-leads')!;
    expect(c.state).toBe('running');
    expect(c.erasure).toBeUndefined();
    expect(c.lastCancellation).toEqual({ reason: 'holdPlaced', cancelledAt: '2026-06-02T00:00:00Z', erasureReason: 'subjectRequest' });
  });
});
