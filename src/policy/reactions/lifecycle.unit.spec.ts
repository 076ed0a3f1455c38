/**
 * Lifecycle reactions, one event at a time: the exact commands, timers and cancellations each
 * returns. Deadlines are in the policy's calendar, Europe/Dublin (GMT in winter, IST = UTC+1 in
 * summer); day-based deadlines end at 23:59:59.999 Dublin time.
 */
import { describe, expect, it } from 'vitest';
import { GRANT, SUBJECT, lifecyclePolicy, world } from '../../api/lifecycle.fixture.js';
import { retentionClockId } from '../../model/shared.js';
import { LIFECYCLE_TIMERS, erasureRestrictionId, lifecycleTimerHandlers } from './lifecycle.js';

const WIDGET = retentionClockId(SUBJECT, 'widget-leads');
const registered = {
  type: 'SubjectRegistered',
  data: { subjectId: SUBJECT, jurisdictions: ['IE'], ourRole: { role: 'controller' }, registeredAt: '2026-01-05T10:00:00Z' },
};
const collected = (category: string, collectedAt: string, submission = 'explicit', system = 'app-db') => ({
  type: 'DataCollected',
  data: { category, system, source: 'widget', submission, policyVersion: '2026.1', sensitive: false, collectedAt },
});
const widgetDeadline = (dueAt: string) => ({
  ruleId: 'retention.widget-leads',
  dueAt,
  citation: 'Convertful DPA Annex A (CF-22)',
  explanation: expect.stringContaining('365 calendar days') as unknown as string,
});
const startedWidget = (startedAt: string, dueAt: string, extra: Record<string, unknown> = {}) => ({
  type: 'RetentionClockStarted',
  data: {
    subjectId: SUBJECT,
    category: 'widget-leads',
    basis: 'lastActivity',
    startedAt,
    deadline: { ruleId: 'retention.widget-leads', dueAt, citation: 'Convertful DPA Annex A (CF-22)', explanation: '365 days' },
    onExpiry: 'erase',
    policyVersion: '2026.1',
    systems: ['app-db', 'backups'],
    processors: ['aws'],
    resetBy: ['explicitSubmission'],
    ...extra,
  },
});
const completion = (dueAt: string, extra: Record<string, unknown> = {}) => ({
  ruleId: 'erasure.completion',
  dueAt,
  citation: 'Convertful DPA 3.6 (CF-06)',
  explanation: expect.stringContaining('30 calendar days') as unknown as string,
  ...extra,
});

describe('lifecycle reactions: retention clocks', () => {
  it('the first collection of a lastActivity category starts its clock, due 365 days later (P365D, not P1Y)', () => {
    const w = world(lifecyclePolicy());
    w.feed('subject', SUBJECT, registered);
    // 2028 is a leap year: P365D from 2027-03-10 ends on 2028-03-09, where P1Y would end on 2028-03-10.
    const out = w.feed('subject', SUBJECT, collected('widget-leads', '2027-03-10T14:00:00Z'));
    expect(out['lifecycle.subject']).toEqual({
      commands: [
        {
          type: 'StartRetentionClock',
          data: {
            subjectId: SUBJECT,
            category: 'widget-leads',
            basis: 'lastActivity',
            startedAt: '2027-03-10T14:00:00Z',
            deadline: widgetDeadline('2028-03-09T23:59:59.999Z'),
            onExpiry: 'erase',
            policyVersion: '2026.1',
            systems: ['app-db', 'backups'],
            processors: ['aws'],
            resetBy: ['explicitSubmission'],
          },
        },
      ],
    });
  });

  it('an explicit submission resets a running clock; a passive collection or a page view does not (CF-22)', () => {
    const w = world(lifecyclePolicy());
    w.feed('subject', SUBJECT, registered);
    w.feed('subject', SUBJECT, collected('widget-leads', '2026-03-10T14:00:00Z'));
    w.feed('retention', WIDGET, startedWidget('2026-03-10T14:00:00Z', '2027-03-10T23:59:59.999Z'));
    expect(w.feed('subject', SUBJECT, collected('widget-leads', '2026-04-01T10:00:00Z', 'passive'))['lifecycle.subject']).toEqual({});
    expect(
      w.feed('subject', SUBJECT, { type: 'ActivityRecorded', data: { kind: 'pageView', activityAt: '2026-04-02T10:00:00Z' } })['lifecycle.subject'],
    ).toEqual({ commands: [] });
    const out = w.feed('subject', SUBJECT, collected('widget-leads', '2026-05-01T09:00:00Z'));
    expect(out['lifecycle.subject']).toEqual({
      commands: [
        {
          type: 'ResetRetentionClock',
          data: {
            subjectId: SUBJECT,
            category: 'widget-leads',
            activityKind: 'explicitSubmission',
            resetAt: '2026-05-01T09:00:00Z',
            // Day 365 is 2027-05-01, ending 23:59:59.999 IST (UTC+1).
            deadline: widgetDeadline('2027-05-01T22:59:59.999Z'),
          },
        },
      ],
    });
  });

  it('an activity kind the rule names resets the clock', () => {
    const policy = lifecyclePolicy((doc) => {
      doc['categories'][0].retention.resetBy = ['explicitSubmission', 'login'];
    });
    const w = world(policy);
    w.feed('subject', SUBJECT, registered);
    w.feed('retention', WIDGET, startedWidget('2026-03-10T14:00:00Z', '2027-03-10T23:59:59.999Z', { resetBy: ['explicitSubmission', 'login'] }));
    const out = w.feed('subject', SUBJECT, { type: 'ActivityRecorded', data: { kind: 'login', activityAt: '2026-12-01T08:00:00Z' } });
    expect(out['lifecycle.subject']?.commands).toEqual([
      {
        type: 'ResetRetentionClock',
        data: { subjectId: SUBJECT, category: 'widget-leads', activityKind: 'login', resetAt: '2026-12-01T08:00:00Z', deadline: widgetDeadline('2027-12-01T23:59:59.999Z') },
      },
    ]);
  });

  it('a started clock sets its retention timer at the due instant (replacing by key)', () => {
    const w = world(lifecyclePolicy());
    const out = w.feed('retention', WIDGET, startedWidget('2026-03-10T14:00:00Z', '2027-03-10T23:59:59.999Z'));
    expect(out['lifecycle.retention']).toEqual({
      timers: [{ key: `retention:${WIDGET}`, at: Date.parse('2027-03-10T23:59:59.999Z'), handler: LIFECYCLE_TIMERS.retentionDue, payload: { clockId: WIDGET } }],
    });
  });

  it('the retention timer expires a running clock at its due instant, and does nothing for a stale one', () => {
    const w = world(lifecyclePolicy());
    w.feed('retention', WIDGET, startedWidget('2026-03-10T14:00:00Z', '2027-03-10T23:59:59.999Z'));
    const handler = lifecycleTimerHandlers(lifecyclePolicy())[LIFECYCLE_TIMERS.retentionDue]!;
    const timer = (at: string) => ({ key: `retention:${WIDGET}`, at: Date.parse(at), handler: LIFECYCLE_TIMERS.retentionDue, payload: { clockId: WIDGET }, firingId: 'f' });
    expect(handler(timer('2027-03-10T23:59:59.999Z'), { views: { ...w.views() }, now: Date.parse('2027-03-12T00:00:00Z') })).toEqual({
      commands: [{ type: 'ExpireRetentionClock', data: { subjectId: SUBJECT, category: 'widget-leads', at: '2027-03-10T23:59:59.999Z' } }],
    });
    expect(handler(timer('2027-03-10T23:59:59.998Z'), { views: { ...w.views() }, now: Date.parse('2027-03-12T00:00:00Z') })).toEqual({});
  });

  it('expiry requests erasure stamped at the due instant, 30-day completion; under a legal hold it requests nothing', () => {
    for (const held of [false, true]) {
      const w = world(lifecyclePolicy());
      w.feed('subject', SUBJECT, registered);
      if (held) w.feed('subject', SUBJECT, { type: 'LegalHoldPlaced', data: { holdId: 'h1', reason: 'case-9', scope: ['widget-leads'], placedAt: '2026-06-01T00:00:00Z' } });
      w.feed('retention', WIDGET, startedWidget('2026-03-10T14:00:00Z', '2027-03-10T23:59:59.999Z'));
      const out = w.feed('retention', WIDGET, { type: 'RetentionClockExpired', data: { expiredAt: '2027-03-10T23:59:59.999Z', checkedAt: '2027-03-10T23:59:59.999Z' } });
      expect(out['lifecycle.retention']).toEqual(
        held
          ? {}
          : {
              commands: [
                {
                  type: 'RequestErasure',
                  data: {
                    subjectId: SUBJECT,
                    category: 'widget-leads',
                    reason: 'retentionExpired',
                    requestedAt: '2027-03-10T23:59:59.999Z',
                    // 2027-03-10 (GMT) not counted; day 30 is 2027-04-09, ending 23:59:59.999 IST.
                    completionDeadline: completion('2027-04-09T22:59:59.999Z'),
                    restrictProcessing: true,
                    context: { legalHoldActive: false },
                  },
                },
              ],
            },
      );
    }
  });

  it('an erasure request restricts processing, asks the approvers (PZ-17) and sets the completion timer', () => {
    const policy = lifecyclePolicy((doc) => {
      doc['erasure'].approvals = { required: true, roles: ['CEO', 'DPO'], mode: 'all', citation: 'PZ-17' };
    });
    const w = world(policy);
    w.feed('subject', SUBJECT, registered);
    w.feed('retention', WIDGET, startedWidget('2026-03-10T14:00:00Z', '2027-03-10T23:59:59.999Z', { approvalsRequired: { roles: ['CEO', 'DPO'], mode: 'all' } }));
    const deadline = { ruleId: 'erasure.completion', dueAt: '2027-04-09T22:59:59.999Z', citation: 'CF-06', explanation: '30 days' };
    const out = w.feed('retention', WIDGET, {
      type: 'ErasureRequested',
      data: { reason: 'retentionExpired', requestedAt: '2027-03-10T23:59:59.999Z', completionDeadline: deadline, restrictProcessing: true },
    });
    expect(out['lifecycle.retention']).toEqual({
      commands: [
        {
          type: 'RestrictProcessing',
          data: {
            subjectId: SUBJECT,
            restrictionId: erasureRestrictionId(WIDGET, '2027-03-10T23:59:59.999Z'),
            ground: 'erasurePending',
            scope: ['widget-leads'],
            restrictedAt: '2027-03-10T23:59:59.999Z',
          },
        },
        {
          type: 'RequestErasureApproval',
          data: {
            subjectId: SUBJECT,
            clockId: WIDGET,
            category: 'widget-leads',
            roles: ['CEO', 'DPO'],
            mode: 'all',
            reason: 'retentionExpired',
            requestedAt: '2027-03-10T23:59:59.999Z',
            deadline,
          },
        },
      ],
      timers: [
        {
          key: `erasure:${WIDGET}`,
          at: Date.parse('2027-04-09T23:00:00.000Z'),
          handler: LIFECYCLE_TIMERS.erasureOverdue,
          payload: { clockId: WIDGET, dueAt: '2027-04-09T22:59:59.999Z' },
        },
      ],
    });
  });

  it('completion closes the clock, audits (parameter destructionAudit), lifts the isolation and records the erased category', () => {
    const policy = lifecyclePolicy((doc) => {
      doc['parameters'].destructionAudit = { description: 'PZ-18 audit', kind: 'boolean', required: false, value: true, citation: 'Personizely PZ-18' };
    });
    const w = world(policy);
    w.feed('subject', SUBJECT, registered);
    w.feed('subject', SUBJECT, collected('widget-leads', '2026-03-10T14:00:00Z'));
    w.feed('subject', SUBJECT, collected('account', '2026-03-10T14:00:00Z'));
    const restrictionId = erasureRestrictionId(WIDGET, '2027-03-10T23:59:59.999Z');
    w.feed('subject', SUBJECT, { type: 'ProcessingRestricted', data: { restrictionId, ground: 'erasurePending', scope: ['widget-leads'], restrictedAt: '2027-03-10T23:59:59.999Z' } });
    w.feed('retention', WIDGET, startedWidget('2026-03-10T14:00:00Z', '2027-03-10T23:59:59.999Z'));
    const out = w.feed('retention', WIDGET, { type: 'ErasureCompleted', data: { completedAt: '2027-03-20T00:00:00Z', systems: ['app-db', 'backups'], processors: ['aws'] } });
    expect(out['lifecycle.retention']).toEqual({
      commands: [
        {
          type: 'AuditDestruction',
          data: { subjectId: SUBJECT, clockId: WIDGET, category: 'widget-leads', systems: ['app-db', 'backups'], processors: ['aws'], completedAt: '2027-03-20T00:00:00Z', citation: 'Personizely PZ-18' },
        },
        { type: 'CloseRetentionClock', data: { subjectId: SUBJECT, category: 'widget-leads', closedAt: '2027-03-20T00:00:00Z' } },
        { type: 'LiftRestriction', data: { subjectId: SUBJECT, restrictionId, unrestrictedAt: '2027-03-20T00:00:00Z' } },
        { type: 'EraseSubject', data: { subjectId: SUBJECT, scope: ['widget-leads'], reason: 'retentionExpired', erasedAt: '2027-03-20T00:00:00Z' } },
      ],
      cancelTimers: [`erasure:${WIDGET}`],
    });
  });
});

describe('lifecycle reactions: subscriptions, contracts, holds, children', () => {
  it('cancellation starts the grace clock and, with cancellationWithdrawsConsent (PZ-06), withdraws every active grant', () => {
    const policy = lifecyclePolicy((doc) => {
      doc['parameters'].cancellationWithdrawsConsent = { description: 'PZ-06', kind: 'boolean', required: false, value: true };
    });
    const w = world(policy);
    w.feed('subject', SUBJECT, registered);
    w.feed('subject', SUBJECT, { type: 'SubscriptionStarted', data: { contractId: 'sub-1', startedAt: '2026-01-05T10:00:00Z' } });
    w.feed('subject', SUBJECT, collected('account', '2026-01-05T10:05:00Z'));
    w.feed('consent', GRANT, {
      type: 'ConsentGranted',
      data: { grantId: GRANT, subjectId: SUBJECT, purpose: 'newsletter', lawfulBasis: 'consent', policyVersion: '2026.1', method: 'checkbox', gdprValid: true, evidence: {}, explicit: false, grantedAt: '2026-01-05T10:06:00Z' },
    });
    const out = w.feed('subject', SUBJECT, { type: 'SubscriptionCancelled', data: { contractId: 'sub-1', cancelledAt: '2026-02-01T12:00:00Z' } });
    expect(out['lifecycle.subject']).toEqual({
      commands: [
        {
          type: 'StartRetentionClock',
          data: {
            subjectId: SUBJECT,
            category: 'account',
            basis: 'subscriptionCancelled',
            startedAt: '2026-02-01T12:00:00Z',
            deadline: { ruleId: 'retention.account', dueAt: '2026-05-02T22:59:59.999Z', citation: 'Personizely GDPR page (PZ-13)', explanation: expect.stringContaining('90 calendar days') },
            onExpiry: 'erase',
            policyVersion: '2026.1',
            systems: ['app-db'],
            processors: ['aws'],
            graceUntil: '2026-05-02T22:59:59.999Z',
          },
        },
        { type: 'WithdrawConsent', data: { grantId: GRANT, withdrawnAt: '2026-02-01T12:00:00Z', channel: 'subscriptionCancelled' } },
      ],
    });
  });

  it('termination starts contractEnd clocks and offers the data back (returnDataOnContractEnd, 90-day window: IS-28)', () => {
    const policy = lifecyclePolicy((doc) => {
      doc['parameters'].returnDataOnContractEnd = { description: 'PZ-32', kind: 'boolean', required: false, value: true, citation: 'Personizely DPA (PZ-32)' };
      doc['parameters'].returnDataRequestWindow = { description: 'IS-28', kind: 'period', required: false, value: 'P90D' };
    });
    const w = world(policy);
    w.feed('subject', SUBJECT, registered);
    w.feed('subject', SUBJECT, collected('support-tickets', '2026-01-10T10:00:00Z', 'explicit', 'helpdesk'));
    const out = w.feed('subject', SUBJECT, { type: 'ContractTerminated', data: { contractId: 'c-9', terminatedAt: '2026-01-31T10:00:00Z' } });
    expect(out['lifecycle.subject']?.commands).toEqual([
      {
        type: 'StartRetentionClock',
        data: {
          subjectId: SUBJECT,
          category: 'support-tickets',
          basis: 'contractEnd',
          startedAt: '2026-01-31T10:00:00Z',
          // 31 January + 6 months: 31 July, ending 23:59:59.999 IST.
          deadline: { ruleId: 'retention.support-tickets', dueAt: '2026-07-31T22:59:59.999Z', citation: 'SP-10', explanation: expect.any(String) },
          onExpiry: 'anonymise',
          policyVersion: '2026.1',
          systems: ['helpdesk'],
          processors: [],
        },
      },
      {
        type: 'ReturnData',
        data: {
          subjectId: SUBJECT,
          contractId: 'c-9',
          categories: ['support-tickets'],
          systems: ['helpdesk'],
          format: 'original',
          terminatedAt: '2026-01-31T10:00:00Z',
          citation: 'Personizely DPA (PZ-32)',
          // Day 90 after 2026-01-31 is 2026-05-01 (IST).
          requestWindowEndsAt: '2026-05-01T22:59:59.999Z',
        },
      },
    ]);
  });

  it('reactivation within the grace period cancels the erasure and its timers; after it, nothing', () => {
    for (const [at, cancels] of [['2026-05-02T22:59:59.999Z', true], ['2026-05-02T23:00:00Z', false]] as const) {
      const w = world(lifecyclePolicy());
      const clockId = retentionClockId(SUBJECT, 'account');
      w.feed('subject', SUBJECT, registered);
      w.feed('subject', SUBJECT, { type: 'SubscriptionStarted', data: { contractId: 'sub-1', startedAt: '2026-01-05T10:00:00Z' } });
      w.feed('subject', SUBJECT, { type: 'SubscriptionCancelled', data: { contractId: 'sub-1', cancelledAt: '2026-02-01T12:00:00Z' } });
      w.feed('retention', clockId, {
        type: 'RetentionClockStarted',
        data: {
          subjectId: SUBJECT, category: 'account', basis: 'subscriptionCancelled', startedAt: '2026-02-01T12:00:00Z',
          deadline: { ruleId: 'retention.account', dueAt: '2026-05-02T22:59:59.999Z', citation: 'PZ-13', explanation: '90 days' },
          onExpiry: 'erase', policyVersion: '2026.1', systems: ['app-db'], processors: ['aws'], graceUntil: '2026-05-02T22:59:59.999Z',
        },
      });
      const out = w.feed('subject', SUBJECT, { type: 'SubscriptionReactivated', data: { contractId: 'sub-1', reactivatedAt: at } });
      expect(out['lifecycle.subject']).toEqual(
        cancels
          ? {
              commands: [{ type: 'CancelErasure', data: { subjectId: SUBJECT, category: 'account', reason: 'reactivatedWithinGrace', cancelledAt: at } }],
              cancelTimers: [`retention:${clockId}`, `erasure:${clockId}`],
            }
          : { commands: [], cancelTimers: [] },
      );
    }
  });

  it('a hold cancels a pending erasure in its scope; lifting it requests the expired clock\'s erasure at the lift instant', () => {
    const w = world(lifecyclePolicy());
    w.feed('subject', SUBJECT, registered);
    w.feed('retention', WIDGET, startedWidget('2026-03-10T14:00:00Z', '2027-03-10T23:59:59.999Z'));
    w.feed('retention', WIDGET, { type: 'RetentionClockExpired', data: { expiredAt: '2027-03-10T23:59:59.999Z', checkedAt: '2027-03-10T23:59:59.999Z' } });
    w.feed('retention', WIDGET, {
      type: 'ErasureRequested',
      data: { reason: 'retentionExpired', requestedAt: '2027-03-10T23:59:59.999Z', completionDeadline: { ruleId: 'erasure.completion', dueAt: '2027-04-09T22:59:59.999Z', citation: 'CF-06', explanation: 'x' }, restrictProcessing: false },
    });
    const placed = w.feed('subject', SUBJECT, { type: 'LegalHoldPlaced', data: { holdId: 'h1', reason: 'case-9', scope: 'all', placedAt: '2027-03-11T09:00:00Z' } });
    expect(placed['lifecycle.subject']).toEqual({
      commands: [{ type: 'CancelErasure', data: { subjectId: SUBJECT, category: 'widget-leads', reason: 'holdPlaced', cancelledAt: '2027-03-11T09:00:00Z' } }],
      cancelTimers: [`erasure:${WIDGET}`],
    });
    w.feed('retention', WIDGET, { type: 'ErasureCancelled', data: { reason: 'holdPlaced', cancelledAt: '2027-03-11T09:00:00Z' } });
    const lifted = w.feed('subject', SUBJECT, { type: 'LegalHoldLifted', data: { holdId: 'h1', liftedAt: '2027-06-01T08:00:00Z' } });
    expect(lifted['lifecycle.subject']).toEqual({
      commands: [
        {
          type: 'RequestErasure',
          data: {
            subjectId: SUBJECT,
            category: 'widget-leads',
            reason: 'retentionExpired',
            requestedAt: '2027-06-01T08:00:00.000Z',
            completionDeadline: completion('2027-07-01T22:59:59.999Z'),
            restrictProcessing: true,
            context: { legalHoldActive: false },
          },
        },
      ],
    });
  });

  it('a child below the minimum age: every collected category is erased, as soon as possible (IN-21)', () => {
    const w = world(lifecyclePolicy());
    w.feed('subject', SUBJECT, registered);
    w.feed('subject', SUBJECT, collected('widget-leads', '2026-03-10T14:00:00Z'));
    w.feed('subject', SUBJECT, collected('support-tickets', '2026-03-10T14:00:00Z', 'explicit', 'helpdesk'));
    w.feed('retention', WIDGET, startedWidget('2026-03-10T14:00:00Z', '2027-03-10T23:59:59.999Z'));
    const found = '2026-04-01T09:00:00Z';
    const out = w.feed('subject', SUBJECT, { type: 'ChildBelowMinimumAgeFound', data: { minimumAge: 15, foundAt: found, ruleId: 'consent.minimumAge', citation: 'Instaply IN-21' } });
    const due = completion('2026-05-01T22:59:59.999Z', { hostTargetAt: found });
    const immediate = { ruleId: 'erasure.childBelowMinimumAge', dueAt: found, citation: 'Instaply IN-21', explanation: 'Due at once: the data is erased for childBelowMinimumAge (Instaply IN-21).' };
    expect(out['lifecycle.subject']).toEqual({
      commands: [
        {
          type: 'RequestErasure',
          data: { subjectId: SUBJECT, category: 'widget-leads', reason: 'childBelowMinimumAge', requestedAt: found, completionDeadline: due, restrictProcessing: true, context: { legalHoldActive: false } },
        },
        {
          type: 'StartRetentionClock',
          data: {
            subjectId: SUBJECT, category: 'support-tickets', basis: 'contractEnd', startedAt: found, deadline: immediate,
            onExpiry: 'anonymise', policyVersion: '2026.1', systems: ['helpdesk'], processors: [],
          },
        },
        {
          type: 'RequestErasure',
          data: { subjectId: SUBJECT, category: 'support-tickets', reason: 'childBelowMinimumAge', requestedAt: found, completionDeadline: due, restrictProcessing: true, context: { legalHoldActive: false } },
        },
      ],
    });
  });
});

describe('lifecycle reactions: consent', () => {
  const grant = (extra: Record<string, unknown> = {}) => ({
    type: 'ConsentGranted',
    data: {
      grantId: GRANT, subjectId: SUBJECT, purpose: 'wellbeing', lawfulBasis: 'consent', policyVersion: '2026.1', method: 'checkbox',
      gdprValid: true, evidence: {}, explicit: true, grantedAt: '2026-01-05T10:00:00Z', expiresAt: '2027-01-05T23:59:59.999Z', ...extra,
    },
  });

  it('a grant with an expiry sets its timer the millisecond after; the timer expires it then', () => {
    const w = world(lifecyclePolicy());
    const out = w.feed('consent', GRANT, grant());
    expect(out['lifecycle.consent']).toEqual({
      timers: [{ key: `consent:${GRANT}`, at: Date.parse('2027-01-06T00:00:00.000Z'), handler: LIFECYCLE_TIMERS.consentExpiry, payload: { grantId: GRANT } }],
    });
    const handler = lifecycleTimerHandlers(lifecyclePolicy())[LIFECYCLE_TIMERS.consentExpiry]!;
    expect(
      handler({ key: `consent:${GRANT}`, at: Date.parse('2027-01-06T00:00:00.000Z'), handler: LIFECYCLE_TIMERS.consentExpiry, payload: { grantId: GRANT }, firingId: 'f' }, { views: { ...w.views() }, now: 0 }),
    ).toEqual({ commands: [{ type: 'ExpireConsent', data: { grantId: GRANT, at: '2027-01-06T00:00:00.000Z' } }] });
  });

  it('withdrawal stops processing at once and starts the consentWithdrawal clock of what rested only on it', () => {
    const w = world(lifecyclePolicy());
    w.feed('subject', SUBJECT, registered);
    w.feed('consent', GRANT, grant());
    w.feed('subject', SUBJECT, collected('health-notes', '2026-01-06T10:00:00Z'));
    const out = w.feed('consent', GRANT, { type: 'ConsentWithdrawn', data: { withdrawnAt: '2026-02-01T10:00:00Z', channel: 'written' } });
    expect(out['lifecycle.consent']).toEqual({
      commands: [
        {
          type: 'StopProcessing',
          data: { subjectId: SUBJECT, purposes: ['wellbeing'], categories: ['health-notes'], reason: 'consentWithdrawn', grantId: GRANT, effectiveAt: '2026-02-01T10:00:00Z', citation: 'GDPR Art. 7(3)' },
        },
        {
          type: 'StartRetentionClock',
          data: {
            subjectId: SUBJECT, category: 'health-notes', basis: 'consentWithdrawal', startedAt: '2026-02-01T10:00:00Z',
            deadline: { ruleId: 'retention.health-notes', dueAt: '2026-03-03T23:59:59.999Z', citation: 'Instaply IN-05', explanation: expect.any(String) },
            onExpiry: 'erase', policyVersion: '2026.1', systems: ['app-db'], processors: [],
          },
        },
      ],
      cancelTimers: [`consent:${GRANT}`],
    });
  });
});
