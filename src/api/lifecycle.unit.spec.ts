/**
 * The lifecycle command builders: input validation (errors name the path, never the value),
 * context resolved from the views, deadlines computed once from the policy (Europe/Dublin
 * calendar: day-based deadlines end at 23:59:59.999 Dublin time).
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { retentionClockId } from '../model/shared.js';
import { GRANT, SUBJECT, lifecyclePolicy, world } from './lifecycle.fixture.js';
import { lifecycleArea, lifecycleBuilders as b } from './lifecycle.js';

const policy = lifecyclePolicy();
const at = Date.parse('2026-02-01T09:00:00Z');
const registered = {
  type: 'SubjectRegistered',
  data: { subjectId: SUBJECT, jurisdictions: ['IE'], ourRole: { role: 'controller' }, registeredAt: '2026-01-05T10:00:00Z' },
};
const collected = (category: string, system = 'app-db') => ({
  type: 'DataCollected',
  data: { category, system, source: 'signup', submission: 'explicit', policyVersion: '2026.1', sensitive: false, collectedAt: '2026-01-06T10:00:00Z' },
});
const right = <A>(r: E.Either<unknown, A>): A => {
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
  return r.right;
};

describe('input validation', () => {
  it.each([
    ['subjectId', b.registerSubject, { jurisdictions: ['IE'], ourRole: { role: 'controller' } }, 'is required'],
    ['ourRole', b.registerSubject, { subjectId: SUBJECT, jurisdictions: ['IE'], ourRole: { role: 'owner' } }, 'must be'],
    ['submission', b.collectData, { subjectId: SUBJECT, category: 'widget-leads', system: 'app-db', source: 'widget', submission: 'maybe' }, 'must be'],
    ['preTicked', b.grantConsent, { grantId: GRANT, subjectId: SUBJECT, purpose: 'newsletter', method: 'checkbox', preTicked: 'no' }, 'must be'],
    ['scope.1', b.restrictProcessing, { subjectId: SUBJECT, restrictionId: 'r', ground: 'accuracyContested', scope: ['account', 7] }, 'must be'],
    ['target.system', b.confirmErasure, { subjectId: SUBJECT, category: 'account', target: { disk: 'x' } }, 'is required'],
  ] as const)('the error names the path %s', (path, builder, input, message) => {
    const r = builder(policy, {}, input, at);
    expect(r).toMatchObject(E.left({ _tag: 'InvalidInput', path }));
    if (E.isLeft(r)) expect(r.left.message).toContain(message);
  });

  it('never repeats the value, which may be personal data', () => {
    const r = b.registerSubject(policy, {}, { subjectId: 'alice@example.com', jurisdictions: ['IE'], ourRole: { role: 'controller' } }, at);
    expect(r).toMatchObject(E.left({ _tag: 'InvalidInput', path: 'subjectId', message: 'must be Uuid' }));
    expect(JSON.stringify(r)).not.toContain('alice');
  });

  it('refuses categories, systems and purposes the policy does not declare', () => {
    const collect = (extra: object) => b.collectData(policy, {}, { subjectId: SUBJECT, category: 'widget-leads', system: 'app-db', source: 'widget', submission: 'explicit', ...extra }, at);
    expect(collect({ category: 'biometrics' })).toMatchObject(E.left({ _tag: 'UnknownCategory', path: 'category' }));
    expect(collect({ system: 'spreadsheet' })).toMatchObject(E.left({ _tag: 'UnknownSystem', path: 'system' }));
    expect(b.restrictProcessing(policy, {}, { subjectId: SUBJECT, restrictionId: 'r', ground: 'other', scope: ['account', 'dna'] }, at)).toMatchObject(
      E.left({ _tag: 'UnknownCategory', path: 'scope.1' }),
    );
    const grant = (purpose: string) => b.grantConsent(policy, {}, { grantId: GRANT, subjectId: SUBJECT, purpose, method: 'checkbox', preTicked: false }, at);
    expect(grant('profiling')).toMatchObject(E.left({ _tag: 'UnknownPurpose', path: 'purpose' }));
    expect(grant('service')).toMatchObject(E.left({ _tag: 'PurposeNotConsentBased', path: 'purpose' }));
  });

  it('refuses collection into a category whose retention period is an unset parameter (IS-01)', () => {
    const unset = lifecyclePolicy((doc) => {
      doc['parameters'].logRetention = { description: 'not set yet', kind: 'period', required: false };
    });
    expect(b.collectData(unset, {}, { subjectId: SUBJECT, category: 'server-logs', system: 'web', source: 'nginx', submission: 'passive' }, at)).toMatchObject(
      E.left({ _tag: 'RetentionPeriodUnresolved', path: 'category' }),
    );
  });
});

describe('commands built', () => {
  it('registerSubject carries the policy child rules and the call instant by default', () => {
    const [request] = right(b.registerSubject(policy, {}, { subjectId: SUBJECT, jurisdictions: ['IE'], ourRole: { role: 'controller' }, age: { ageInYears: 16 } }, at));
    expect(request).toEqual({
      kind: 'subject',
      command: {
        type: 'RegisterSubject',
        data: {
          subjectId: SUBJECT,
          jurisdictions: ['IE'],
          ourRole: { role: 'controller' },
          age: { ageInYears: 16 },
          registeredAt: '2026-02-01T09:00:00.000Z',
          context: {
            ageRules: {
              minimumAge: { age: 15, ruleId: 'consent.minimumAge', citation: 'Instaply IN-21, IN-22' },
              parentalAuthorisationBelow: { age: 18, ruleId: 'consent.parentalBand', citation: 'Instaply IN-21, IN-22' },
            },
          },
        },
      },
    });
  });

  it('collectData resolves explicit consent and parental authorisation from the ledger (Art. 9(2)(a), 8(1))', () => {
    const w = world(policy);
    w.feed('subject', SUBJECT, registered);
    const input = { subjectId: SUBJECT, category: 'health-notes', system: 'app-db', source: 'app', submission: 'explicit', collectedAt: '2026-02-01T10:00:00Z' };
    const before = right(b.collectData(policy, w.views(), input, at))[0]?.command;
    expect(before?.type === 'CollectData' && before.data.context).toEqual({
      categorySensitive: true,
      sensitivePolicy: 'explicitConsent',
      explicitConsentGranted: false,
      parentalAuthorisation: false,
      ageRules: expect.objectContaining({ minimumAge: expect.objectContaining({ age: 15 }) }),
    });
    w.feed('consent', GRANT, {
      type: 'ConsentGranted',
      data: {
        grantId: GRANT, subjectId: SUBJECT, purpose: 'wellbeing', lawfulBasis: 'consent', policyVersion: '2026.1', method: 'signature', gdprValid: true,
        evidence: {}, explicit: true, grantedAt: '2026-01-20T10:00:00Z', parentalAuthorisation: { by: 'parent-1', at: '2026-01-20T09:00:00Z' },
      },
    });
    const after = right(b.collectData(policy, w.views(), input, at))[0]?.command;
    expect(after).toMatchObject({
      type: 'CollectData',
      data: { policyVersion: '2026.1', collectedAt: '2026-02-01T10:00:00Z', context: { categorySensitive: true, explicitConsentGranted: true, parentalAuthorisation: true } },
    });
  });

  it('grantConsent and renewConsent compute the expiry from consent.expiry (P1Y, end of the day in Dublin)', () => {
    expect(right(b.grantConsent(policy, {}, { grantId: GRANT, subjectId: SUBJECT, purpose: 'newsletter', method: 'checkbox', preTicked: false, grantedAt: '2026-06-15T12:00:00+01:00' }, at))).toEqual([
      {
        kind: 'consent',
        command: {
          type: 'GrantConsent',
          data: {
            grantId: GRANT, subjectId: SUBJECT, purpose: 'newsletter', lawfulBasis: 'consent', policyVersion: '2026.1', method: 'checkbox',
            preTicked: false, evidence: {}, explicit: false, grantedAt: '2026-06-15T12:00:00+01:00',
            // 2027-06-15 ends at 23:59:59.999 IST.
            expiresAt: '2027-06-15T22:59:59.999Z',
          },
        },
      },
    ]);
    expect(right(b.renewConsent(policy, {}, { grantId: GRANT }, Date.parse('2026-12-01T10:00:00Z')))).toEqual([
      { kind: 'consent', command: { type: 'RenewConsent', data: { grantId: GRANT, renewedAt: '2026-12-01T10:00:00.000Z', expiresAt: '2027-12-01T23:59:59.999Z' } } },
    ]);
    expect(right(b.withdrawConsent(policy, {}, { grantId: GRANT, channel: 'email' }, at))).toEqual([
      { kind: 'consent', command: { type: 'WithdrawConsent', data: { grantId: GRANT, channel: 'email', withdrawnAt: '2026-02-01T09:00:00.000Z' } } },
    ]);
  });

  it('the contract builders stamp the field of their command', () => {
    const input = { subjectId: SUBJECT, contractId: 'sub-1', at: '2026-02-01T12:00:00Z' };
    expect(right(b.startSubscription(policy, {}, input, at))[0]?.command).toEqual({ type: 'StartSubscription', data: { subjectId: SUBJECT, contractId: 'sub-1', startedAt: '2026-02-01T12:00:00Z' } });
    expect(right(b.cancelSubscription(policy, {}, input, at))[0]?.command.data).toMatchObject({ cancelledAt: '2026-02-01T12:00:00Z' });
    expect(right(b.reactivateSubscription(policy, {}, input, at))[0]?.command.data).toMatchObject({ reactivatedAt: '2026-02-01T12:00:00Z' });
    expect(right(b.terminateContract(policy, {}, input, at))[0]?.command.data).toMatchObject({ terminatedAt: '2026-02-01T12:00:00Z' });
  });

  it('requestErasure: a request on running clocks, a clock due at once where none runs, 30-day completion', () => {
    const w = world(policy);
    w.feed('subject', SUBJECT, registered);
    w.feed('subject', SUBJECT, collected('newsletter-profile', 'crm'));
    w.feed('subject', SUBJECT, collected('account'));
    w.feed('retention', retentionClockId(SUBJECT, 'newsletter-profile'), {
      type: 'RetentionClockStarted',
      data: {
        subjectId: SUBJECT, category: 'newsletter-profile', basis: 'collection', startedAt: '2026-01-06T10:00:00Z',
        deadline: { ruleId: 'retention.newsletter-profile', dueAt: '2028-01-06T23:59:59.999Z', citation: 'x', explanation: 'x' },
        onExpiry: 'erase', policyVersion: '2026.1', systems: ['crm'], processors: [],
      },
    });
    const requestedAt = '2026-02-10T08:00:00Z';
    const completion = {
      ruleId: 'erasure.completion',
      // 2026-02-10 not counted; day 30 is 2026-03-12 (GMT).
      dueAt: '2026-03-12T23:59:59.999Z',
      citation: 'Convertful DPA 3.6 (CF-06)',
      explanation: expect.stringContaining('day 30 is 2026-03-12'),
    };
    const requests = right(b.requestErasure(policy, w.views(), { subjectId: SUBJECT, requestedAt }, at));
    expect(requests).toEqual([
      {
        kind: 'retention',
        command: {
          type: 'RequestErasure',
          data: { subjectId: SUBJECT, category: 'newsletter-profile', reason: 'subjectRequest', requestedAt, completionDeadline: completion, restrictProcessing: true, context: { legalHoldActive: false } },
        },
      },
      {
        kind: 'retention',
        command: {
          type: 'StartRetentionClock',
          data: {
            subjectId: SUBJECT, category: 'account', basis: 'subscriptionCancelled', startedAt: requestedAt,
            deadline: { ruleId: 'erasure.subjectRequest', dueAt: requestedAt, citation: 'GDPR Art. 17(1)', explanation: 'Due at once: the data is erased for subjectRequest (GDPR Art. 17(1)).' },
            onExpiry: 'erase', policyVersion: '2026.1', systems: ['app-db'], processors: ['aws'],
          },
        },
      },
      {
        kind: 'retention',
        command: {
          type: 'RequestErasure',
          data: { subjectId: SUBJECT, category: 'account', reason: 'subjectRequest', requestedAt, completionDeadline: completion, restrictProcessing: true, context: { legalHoldActive: false } },
        },
      },
    ]);
    expect(right(b.requestErasure(policy, w.views(), { subjectId: SUBJECT, categories: ['widget-leads'] }, at))).toEqual([]);
    expect(b.requestErasure(policy, w.views(), { subjectId: GRANT }, at)).toMatchObject(E.left({ _tag: 'UnknownSubject', path: 'subjectId' }));
    expect(b.requestErasure(policy, w.views(), { subjectId: SUBJECT, categories: ['dna'] }, at)).toMatchObject(E.left({ _tag: 'UnknownCategory', path: 'categories.0' }));
    w.feed('subject', SUBJECT, { type: 'LegalHoldPlaced', data: { holdId: 'h1', reason: 'case-1', scope: ['account'], placedAt: '2026-02-05T00:00:00Z' } });
    expect(b.requestErasure(policy, w.views(), { subjectId: SUBJECT }, at)).toMatchObject(E.left({ _tag: 'ErasureSuspendedByLegalHold', path: 'categories' }));
    expect(right(b.requestErasure(policy, w.views(), { subjectId: SUBJECT, categories: ['newsletter-profile'] }, at))).toHaveLength(1);
  });

  it('approveErasure and confirmErasure address the clock of (subject, category)', () => {
    expect(right(b.approveErasure(policy, {}, { subjectId: SUBJECT, category: 'account', role: 'DPO', approvedBy: 'emp-3' }, at))).toEqual([
      { kind: 'retention', command: { type: 'ApproveErasure', data: { subjectId: SUBJECT, category: 'account', role: 'DPO', approvedBy: 'emp-3', approvedAt: '2026-02-01T09:00:00.000Z' } } },
    ]);
    expect(right(b.confirmErasure(policy, {}, { subjectId: SUBJECT, category: 'account', target: { processor: 'aws' } }, at))).toEqual([
      { kind: 'retention', command: { type: 'ConfirmErasure', data: { subjectId: SUBJECT, category: 'account', target: { processor: 'aws' }, confirmedAt: '2026-02-01T09:00:00.000Z' } } },
    ]);
  });
});

describe('lifecycleArea', () => {
  it('registers its three projections, three reactions, three timer handlers and routes its internal commands', () => {
    expect(Object.keys(lifecycleArea.projections)).toEqual(['subjectView', 'consentLedger', 'retentionSchedule']);
    expect(Object.keys(lifecycleArea.reactions(policy))).toEqual(['lifecycle.subject', 'lifecycle.consent', 'lifecycle.retention']);
    expect(Object.keys(lifecycleArea.timerHandlers(policy))).toEqual(['lifecycle.retentionDue', 'lifecycle.erasureOverdue', 'lifecycle.consentExpiry']);
    expect(lifecycleArea.internalCommands).toEqual({
      StartRetentionClock: 'retention', ResetRetentionClock: 'retention', ExpireRetentionClock: 'retention', RequestErasure: 'retention',
      CancelErasure: 'retention', CloseRetentionClock: 'retention', RestrictProcessing: 'subject', LiftRestriction: 'subject',
      EraseSubject: 'subject', WithdrawConsent: 'consent', ExpireConsent: 'consent',
    });
  });
});
