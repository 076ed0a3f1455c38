import { describe, expect, it } from 'vitest';
import {
  assessBreach,
  closeBreach,
  confirmBreach,
  establishAwareness,
  recordAuthorityNotification,
  recordControllerNotification,
  recordDataSubjectNotification,
  recordExemption,
  reportBreach,
} from '../../api/incidents.js';
import {
  cancelledOf,
  commandsOf,
  euPolicy,
  harness,
  ids,
  influencerSoftPolicy,
  instaplyPolicy,
  timersOf,
} from '../../api/incidents.fixture.js';
import { findRule } from '../rulebooks/index.js';
import * as E from 'fp-ts/lib/Either.js';
import { BREACH_OVERDUE_HANDLER, breachTimerHandlers, conditionMet, exemptionFromAssessment } from './breaches.js';
import { IncidentHostCommand } from './incidentCommands.js';

const FRIDAY = '2026-11-20T17:00:00.000+01:00';
const MONDAY_17 = '2026-11-23T17:00:00.000+01:00';

const facts = (overrides: Record<string, unknown> = {}) => ({
  breachId: ids.breach1,
  risk: 'high',
  dataCategories: ['contact'],
  dataSubjectCategories: ['customers'],
  approxSubjects: 1200,
  approxRecords: 5000,
  dataUnintelligible: false,
  nature: 'actual',
  cause: 'internal',
  likelyConsequences: 'phishing',
  measures: 'passwords reset',
  ...overrides,
});

const known = (policy = euPolicy()) => {
  const h = harness(policy);
  h.run(reportBreach, { breachId: ids.breach1, summary: 'misdirected export' }, '2026-11-20T15:00:00.000+01:00');
  return h;
};

describe('breachDuties: awareness', () => {
  it('Friday 17:00 Paris → NotifySupervisoryAuthority due Monday 17:00 +01:00, target Sunday 17:00, timer 1 ms after', () => {
    const h = known();
    const step = h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    const commands = commandsOf(step);
    expect(commands).toEqual([
      {
        type: 'NotifySupervisoryAuthority',
        data: {
          breachId: ids.breach1,
          dueAt: MONDAY_17,
          obligations: [
            {
              ruleId: 'gdpr.art33.1.notifyAuthority',
              dueAt: MONDAY_17,
              citation: 'GDPR Art. 33(1)',
              explanation: expect.stringContaining('72'),
              hostTargetAt: '2026-11-22T17:00:00.000+01:00',
            },
          ],
          lateNoticeNeedsReasons: true,
          hostTargetAt: '2026-11-22T17:00:00.000+01:00',
          requiredContent: [
            'nature',
            'dataSubjectCategories',
            'approxSubjects',
            'dataCategories',
            'approxRecords',
            'contactPoint',
            'likelyConsequences',
            'measures',
          ],
        },
      },
    ]);
    commands.forEach((c) => expect(IncidentHostCommand.is(c)).toBe(true));
    expect(timersOf(step)).toEqual([
      {
        key: `breach:${ids.breach1}:gdpr.art33.1.notifyAuthority`,
        at: Date.parse('2026-11-23T16:00:00.000Z') + 1,
        handler: BREACH_OVERDUE_HANDLER,
        payload: { breachId: ids.breach1, ruleId: 'gdpr.art33.1.notifyAuthority' },
      },
    ]);
  });

  it('Instaply IN-19: one NotifyController for both controller duties, due Saturday 17:00 (24 hours)', () => {
    const h = known(instaplyPolicy());
    const step = h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    expect(commandsOf(step)).toEqual([
      {
        type: 'NotifyController',
        data: {
          breachId: ids.breach1,
          dueAt: '2026-11-21T17:00:00.000+01:00',
          obligations: [
            expect.objectContaining({ ruleId: 'gdpr.art33.2.notifyController', dueAt: '2026-11-21T17:00:00.000+01:00' }),
            expect.objectContaining({
              ruleId: 'contract.breach.notifyCustomer24h',
              dueAt: '2026-11-21T17:00:00.000+01:00',
              citation: 'Instaply privacy policy (IN-19)',
            }),
          ],
          lateNoticeNeedsReasons: true,
          requiredContent: ['fact', 'nature', 'approxSubjects', 'likelyConsequences', 'measures'],
        },
      },
    ]);
    expect(timersOf(step).map((t) => t.key)).toEqual([
      `breach:${ids.breach1}:gdpr.art33.2.notifyController`,
      `breach:${ids.breach1}:contract.breach.notifyCustomer24h`,
    ]);
  });
});

describe('breachDuties: confirmation and assessment', () => {
  it('InfluencerSoft IS-21: NotifyController from confirmation Saturday 10:00 → due Sunday 10:00', () => {
    const h = known(influencerSoftPolicy());
    h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    const step = h.run(confirmBreach, { breachId: ids.breach1 }, '2026-11-21T10:00:00.000+01:00');
    expect(commandsOf(step)).toEqual([
      {
        type: 'NotifyController',
        data: expect.objectContaining({
          breachId: ids.breach1,
          dueAt: '2026-11-22T10:00:00.000+01:00',
          obligations: [expect.objectContaining({ ruleId: 'contract.breach.notifyCustomerAfterConfirmation' })],
        }),
      },
    ]);
  });

  it('IS-22: a customer-caused breach is exempt: no command, and no overdue when the timer fires', () => {
    const h = known(influencerSoftPolicy());
    h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    h.run(assessBreach, facts({ cause: 'customer', risk: 'risk' }), '2026-11-21T09:00:00.000+01:00');
    const step = h.run(confirmBreach, { breachId: ids.breach1 }, '2026-11-21T10:00:00.000+01:00');
    expect(commandsOf(step)).toEqual([]);
    const fired = breachTimerHandlers(influencerSoftPolicy())[BREACH_OVERDUE_HANDLER]!(
      {
        key: `breach:${ids.breach1}:contract.breach.notifyCustomerAfterConfirmation`,
        at: Date.parse('2026-11-22T09:00:00.000Z') + 1,
        handler: BREACH_OVERDUE_HANDLER,
        payload: { breachId: ids.breach1, ruleId: 'contract.breach.notifyCustomerAfterConfirmation' },
        firingId: 'f',
      },
      { views: h.views(), now: Date.parse('2026-11-23T00:00:00Z') },
    );
    expect(fired).toEqual({});
  });

  it('a high-risk assessment → NotifyDataSubjects with the Art. 34(3) exemptions, due Monday 17:00', () => {
    const h = known();
    h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    const step = h.run(assessBreach, facts(), '2026-11-21T09:00:00.000+01:00');
    expect(commandsOf(step)).toEqual([
      {
        type: 'NotifyDataSubjects',
        data: {
          breachId: ids.breach1,
          dueAt: MONDAY_17,
          obligations: [expect.objectContaining({ ruleId: 'gdpr.art34.1.notifySubjects', dueAt: MONDAY_17 })],
          lateNoticeNeedsReasons: true,
          knownFacts: {
            assessedAt: '2026-11-21T09:00:00.000+01:00',
            dataCategories: ['contact'],
            dataSubjectCategories: ['customers'],
            approxSubjects: 1200,
            approxRecords: 5000,
          },
          requiredContent: ['description', 'contactPoint', 'likelyConsequences', 'measures'],
          exemptions: [
            { ruleId: 'gdpr.art34.1.notifySubjects', exemption: 'dataUnintelligible', citation: 'GDPR Art. 34(3)(a)' },
            { ruleId: 'gdpr.art34.1.notifySubjects', exemption: 'highRiskNoLongerLikely', citation: 'GDPR Art. 34(3)(b)' },
            {
              ruleId: 'gdpr.art34.1.notifySubjects',
              exemption: 'disproportionateEffort',
              citation: 'GDPR Art. 34(3)(c)',
              insteadRequires: 'PublicCommunication',
            },
          ],
        },
      },
    ]);
    expect(timersOf(step).map((t) => [t.key, t.at])).toEqual([
      [`breach:${ids.breach1}:gdpr.art34.1.notifySubjects`, Date.parse('2026-11-23T16:00:00.000Z') + 1],
    ]);
  });

  it('a disproportionate-effort exemption asks for a public communication by the duty\'s due instant', () => {
    const h = known();
    h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    h.run(assessBreach, facts(), '2026-11-21T09:00:00.000+01:00');
    const step = h.run(
      recordExemption,
      { breachId: ids.breach1, ruleId: 'gdpr.art34.1.notifySubjects', exemption: 'disproportionateEffort', reasoning: 'no contact data' },
      '2026-11-21T12:00:00.000+01:00',
    );
    expect(commandsOf(step)).toEqual([
      {
        type: 'PublicCommunication',
        data: {
          breachId: ids.breach1,
          ruleId: 'gdpr.art34.1.notifySubjects',
          exemption: 'disproportionateEffort',
          dueAt: MONDAY_17,
          citation: 'GDPR Art. 34(3)(c)',
        },
      },
    ]);
    expect(cancelledOf(step)).toEqual([`breach:${ids.breach1}:gdpr.art34.1.notifySubjects`]);
  });
});

describe('breachDuties: settlement', () => {
  it('notifications cancel the timers of the duties they satisfy; closing cancels the rest', () => {
    const h = known();
    h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    h.run(assessBreach, facts(), '2026-11-21T09:00:00.000+01:00');
    const content = {
      nature: 'n',
      dataSubjectCategories: ['customers'],
      approxSubjects: 1200,
      dataCategories: ['contact'],
      approxRecords: 5000,
      contactPoint: 'dpo',
      likelyConsequences: 'c',
      measures: 'm',
    };
    expect(cancelledOf(h.run(recordAuthorityNotification, { breachId: ids.breach1, authorityId: 'cnil', content }, '2026-11-21T10:00:00.000+01:00'))).toEqual([
      `breach:${ids.breach1}:gdpr.art33.1.notifyAuthority`,
    ]);
    const subjects = h.run(
      recordDataSubjectNotification,
      {
        breachId: ids.breach1,
        channel: 'email',
        count: 1200,
        content: { description: 'd', contactPoint: 'dpo', likelyConsequences: 'c', measures: 'm' },
      },
      '2026-11-21T11:00:00.000+01:00',
    );
    expect(cancelledOf(subjects)).toEqual([`breach:${ids.breach1}:gdpr.art34.1.notifySubjects`]);
    expect(cancelledOf(h.run(closeBreach, { breachId: ids.breach1 }, '2026-11-30T10:00:00.000+01:00'))).toEqual([
      `breach:${ids.breach1}:gdpr.art33.1.notifyAuthority`,
      `breach:${ids.breach1}:gdpr.art34.1.notifySubjects`,
    ]);
  });

  it('the overdue handler reports an open duty after its due instant, and nothing once it is satisfied', () => {
    const h = known(instaplyPolicy());
    h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    const timer = {
      key: `breach:${ids.breach1}:contract.breach.notifyCustomer24h`,
      at: Date.parse('2026-11-21T16:00:00.000Z') + 1,
      handler: BREACH_OVERDUE_HANDLER,
      payload: { breachId: ids.breach1, ruleId: 'contract.breach.notifyCustomer24h' },
      firingId: 'f',
    };
    const handler = breachTimerHandlers(instaplyPolicy())[BREACH_OVERDUE_HANDLER]!;
    expect(handler(timer, { views: h.views(), now: timer.at }).commands).toEqual([
      {
        type: 'ObligationOverdue',
        data: {
          entity: { kind: 'breach', id: ids.breach1 },
          ruleId: 'contract.breach.notifyCustomer24h',
          dueAt: '2026-11-21T17:00:00.000+01:00',
          citation: 'Instaply privacy policy (IN-19)',
          explanation: expect.any(String),
          lateNoticeNeedsReasons: true,
          duty: 'NotifyController',
        },
      },
    ]);
    h.run(
      recordControllerNotification,
      { breachId: ids.breach1, controllerId: 'customer-42', content: { nature: 'n', likelyConsequences: 'c', measures: 'm' }, delayReasons: 'weekend' },
      '2026-11-22T08:00:00.000+01:00',
    );
    expect(handler(timer, { views: h.views(), now: timer.at })).toEqual({});
  });
});

describe('rule helpers', () => {
  const art34 = E.getOrElseW(() => undefined)(findRule('gdpr.art34.1.notifySubjects'));
  const assessment = {
    assessedAt: '2026-11-21T09:00:00.000+01:00',
    risk: 'high' as const,
    dataCategories: [],
    dataSubjectCategories: [],
    approxSubjects: 10,
    approxRecords: 10,
    dataUnintelligible: false,
    nature: 'actual' as const,
    cause: 'internal' as const,
  };

  it('Art. 34 needs a high risk', () => {
    expect(conditionMet(art34!, assessment)).toBe(true);
    expect(conditionMet(art34!, { ...assessment, risk: 'risk' })).toBe(false);
    expect(conditionMet(art34!, null)).toBe(false);
  });

  it('an assessment exempts only what the rule allows', () => {
    expect(exemptionFromAssessment(art34, assessment)).toBeUndefined();
    expect(exemptionFromAssessment(art34, { ...assessment, dataUnintelligible: true })?.exemption).toBe('dataUnintelligible');
    // The GDPR has no excluded causes: a customer-caused breach is still the controller's duty.
    expect(exemptionFromAssessment(art34, { ...assessment, cause: 'customer' })).toBeUndefined();
  });
});
