import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  addSubProcessor,
  assessBreach,
  confirmBreach,
  establishAwareness,
  extendRequest,
  fulfilRequest,
  incidentsArea,
  receiveRequest,
  recordAuthorityNotification,
  recordControllerNotification,
  recordSubProcessorObjection,
  refuseRequest,
  reportBreach,
  verifyIdentity,
} from './incidents.js';
import type { BuiltCommand } from './incidents.js';
import {
  ccpaPolicy,
  commandsOf,
  convertfulPolicy,
  euBrazilPolicy,
  euPolicy,
  harness,
  ids,
  influencerSoftPolicy,
  instaplyPolicy,
  personizelyPolicy,
  softpirePolicy,
} from './incidents.fixture.js';

const request = (overrides: Record<string, unknown> = {}) => ({
  requestId: ids.request1,
  subjectId: ids.subject,
  requestType: 'access',
  jurisdiction: 'FR',
  channel: 'email',
  ...overrides,
});

const only = (r: E.Either<unknown, readonly BuiltCommand[]>): BuiltCommand => {
  if (E.isLeft(r)) throw new Error(`unexpected Left: ${JSON.stringify(r.left)}`);
  expect(r.right).toHaveLength(1);
  return r.right[0] as BuiltCommand;
};

const ms = (iso: string): number => Date.parse(iso);

const dataOf = (b: BuiltCommand): Record<string, any> => (b.command.command as { data: Record<string, any> }).data;

describe('receiveRequest: input validation', () => {
  it('names the path of a bad field and never echoes the value', () => {
    const r = receiveRequest(euPolicy(), {}, request({ subjectId: 'jane.doe@example.com' }), ms('2026-01-31T10:00:00.000+01:00'));
    expect(r).toEqual(E.left({ _tag: 'InvalidInput', path: 'subjectId', message: expect.any(String) }));
    expect(JSON.stringify(r)).not.toContain('jane');
  });

  it('refuses a call instant that is not one', () => {
    expect(receiveRequest(euPolicy(), {}, request(), Number.NaN)).toEqual(
      E.left({ _tag: 'InvalidInput', path: 'at', message: expect.any(String) }),
    );
  });

  it('finds no rule for a jurisdiction the policy does not list', () => {
    expect(receiveRequest(euPolicy(), {}, request({ jurisdiction: 'US-CA' }), ms('2026-01-31T10:00:00.000+01:00'))).toEqual(
      E.left({ _tag: 'NoApplicableRule', jurisdiction: 'US-CA', requestType: 'access', path: 'jurisdiction', message: expect.any(String) }),
    );
  });
});

describe('receiveRequest: GDPR (Europe/Paris)', () => {
  it('a request received on 31 January is due at the end of 28 February, extensible to the end of 30 April', () => {
    const built = only(receiveRequest(euPolicy(), {}, request(), ms('2026-01-31T10:00:00.000+01:00')));
    expect(built.kind).toBe('request');
    expect(built.occurredAt).toBe('2026-01-31T10:00:00.000+01:00');
    const data = dataOf(built);
    expect(data['deadlines'].respond).toEqual({
      ruleId: 'gdpr.art12.3.respond',
      dueAt: '2026-02-28T23:59:59.999+01:00',
      citation: 'GDPR Art. 12(3)',
      explanation: expect.stringContaining('2026-02-28'),
    });
    expect(data['deadlines'].extension).toEqual({
      noticeBy: '2026-02-28T23:59:59.999+01:00',
      extendedDueAt: '2026-04-30T23:59:59.999+02:00',
      ruleId: 'gdpr.art12.3.respond',
      citation: expect.stringContaining('GDPR Art. 12(3)'),
    });
    expect(data['deadlines'].confirmReceipt).toBeUndefined();
    expect(data['context']).toEqual({ priorRequestsInWindow: 0 });
    expect(data['policyVersion']).toBe('2026.1');
    expect(data['role']).toBe('controller');
  });
});

describe('receiveRequest and extendRequest: CCPA (America/Los_Angeles)', () => {
  const receivedAt = '2026-03-02T10:00:00.000-08:00';

  it('confirm within 10 business days, respond by day 45, extension up to day 90, 12-month look-back', () => {
    const data = dataOf(only(receiveRequest(ccpaPolicy(), {}, request({ jurisdiction: 'US-CA' }), ms(receivedAt))));
    expect(data['deadlines'].confirmReceipt).toMatchObject({
      ruleId: 'ccpa.7021a.confirmReceipt',
      dueAt: '2026-03-16T23:59:59.999-07:00',
    });
    expect(data['deadlines'].respond).toMatchObject({ ruleId: 'ccpa.1798.130.respondToKnow', dueAt: '2026-04-15T23:59:59.999-07:00' });
    expect(data['deadlines'].extension).toMatchObject({
      noticeBy: '2026-04-15T23:59:59.999-07:00',
      extendedDueAt: '2026-05-30T23:59:59.999-07:00',
    });
    expect(data['lookBackFrom']).toBe('2025-03-02T10:00:00.000-08:00');
    expect(data['context']).toEqual({
      priorRequestsInWindow: 0,
      frequencyLimit: { count: 2, per: 'rolling12Months', citation: expect.stringContaining('1798.130(b)'), ruleId: 'ccpa.1798.130.respondToKnow' },
    });
  });

  it('an extension noticed on day 44 runs to day 90; one noticed on day 46 is refused from the recorded noticeBy', () => {
    const h = harness(ccpaPolicy());
    h.run(receiveRequest, request({ jurisdiction: 'US-CA' }), receivedAt);
    h.run(receiveRequest, request({ requestId: ids.request2, jurisdiction: 'US-CA', subjectId: ids.subject2 }), receivedAt);
    const day44 = h.run(extendRequest, { requestId: ids.request1, reason: 'volume of records' }, '2026-04-14T16:00:00.000-07:00');
    expect(day44.events.map((e) => e.event)).toEqual([
      {
        type: 'RequestExtended',
        data: {
          at: '2026-04-14T16:00:00.000-07:00',
          noticeSentAt: '2026-04-14T16:00:00.000-07:00',
          reason: 'volume of records',
          newDueAt: '2026-05-30T23:59:59.999-07:00',
          ruleId: 'ccpa.1798.130.respondToKnow',
          citation: expect.stringContaining('1798.130(a)(2)(A)'),
        },
      },
    ]);
    const day46 = h.tryRun(extendRequest, { requestId: ids.request2, reason: 'volume of records' }, '2026-04-16T09:00:00.000-07:00');
    expect(day46).toEqual(
      E.left({
        _tag: 'ExtensionTooLate',
        noticeBy: '2026-04-15T23:59:59.999-07:00',
        ruleId: 'ccpa.1798.130.respondToKnow',
        citation: expect.any(String),
      }),
    );
  });

  it('a third access request within a rolling 12 months is rejected; under a calendar-year promise it is accepted', () => {
    const receipts = ['2026-03-10T10:00:00.000-07:00', '2026-11-02T10:00:00.000-08:00'];
    const third = '2027-02-01T10:00:00.000-08:00';
    const rolling = harness(ccpaPolicy());
    const calendar = harness(softpirePolicy());
    receipts.forEach((at, i) => {
      const id = i === 0 ? ids.request1 : ids.request2;
      rolling.run(receiveRequest, request({ requestId: id, jurisdiction: 'US-CA' }), at);
      calendar.run(receiveRequest, request({ requestId: id, jurisdiction: 'US-CA' }), at);
    });
    expect(rolling.tryRun(receiveRequest, request({ requestId: ids.request3, jurisdiction: 'US-CA' }), third)).toEqual(
      E.left({
        _tag: 'FrequencyLimitExceeded',
        limit: 2,
        priorRequestsInWindow: 2,
        per: 'rolling12Months',
        citation: expect.stringContaining('1798.130(b)'),
        ruleId: 'ccpa.1798.130.respondToKnow',
      }),
    );
    const accepted = calendar.run(receiveRequest, request({ requestId: ids.request3, jurisdiction: 'US-CA' }), third);
    expect((accepted.events[0]?.event.data as Record<string, any>)['frequencyCheck']).toEqual({
      priorRequestsInWindow: 0,
      limit: { count: 2, per: 'calendarYear', citation: 'Softpire SP-12', ruleId: 'contract.requests.twiceAYear' },
    });
    // A portability request counts against the same limit as access (CCPA requests to know).
    expect(
      rolling.tryRun(receiveRequest, request({ requestId: ids.request4, jurisdiction: 'US-CA', requestType: 'portability' }), third),
    ).toMatchObject(E.left({ _tag: 'FrequencyLimitExceeded', priorRequestsInWindow: 2 }));
  });
});

describe('receiveRequest: processor side', () => {
  it('a data subject writing to a processor gets a forwarding duty due 24 hours after receipt', () => {
    const data = dataOf(
      only(receiveRequest(instaplyPolicy(), {}, request({ controllerId: 'customer-42' }), ms('2026-05-04T09:30:00.000+02:00'))),
    );
    expect(data['role']).toBe('processor');
    expect(data['deadlines']).toEqual({
      respond: {
        ruleId: 'processor.forwardRequest',
        dueAt: '2026-05-05T09:30:00.000+02:00',
        citation: expect.stringContaining('Art. 28(3)(e)'),
        explanation: expect.any(String),
      },
    });
  });

  it('a policy for both roles needs the role', () => {
    const both = { ...euPolicy(), role: 'both' as const };
    expect(receiveRequest(both, {}, request(), ms('2026-05-04T09:30:00.000+02:00'))).toMatchObject(E.left({ _tag: 'RoleRequired' }));
  });
});

describe('request outcomes', () => {
  it('fulfilment needs a verified identity; refusal reasons must be rulebook codes', () => {
    const h = harness(euPolicy());
    h.run(receiveRequest, request(), '2026-01-31T10:00:00.000+01:00');
    expect(h.tryRun(fulfilRequest, { requestId: ids.request1, deliveryChannel: 'email' }, '2026-02-02T10:00:00.000+01:00')).toMatchObject(
      E.left({ _tag: 'IdentityNotVerified' }),
    );
    expect(
      refuseRequest(euPolicy(), h.views(), { requestId: ids.request1, reasons: ['becauseISaidSo'], complaintRightNotified: true }, ms('2026-02-02T10:00:00.000+01:00')),
    ).toEqual(E.left({ _tag: 'InvalidInput', path: 'reasons.0', message: expect.any(String) }));
    expect(
      E.isRight(
        refuseRequest(euPolicy(), h.views(), { requestId: ids.request1, reasons: ['gdpr.legalClaims'], complaintRightNotified: true }, ms('2026-02-02T10:00:00.000+01:00')),
      ),
    ).toBe(true);
    h.run(verifyIdentity, { requestId: ids.request1, method: 'emailLink' }, '2026-02-01T10:00:00.000+01:00');
    const done = h.run(fulfilRequest, { requestId: ids.request1, deliveryChannel: 'email' }, '2026-02-02T10:00:00.000+01:00');
    expect(done.events.map((e) => e.event.type)).toEqual(['RequestFulfilled']);
  });

  it('an unknown request is a typed error', () => {
    expect(verifyIdentity(euPolicy(), {}, { requestId: ids.request4, method: 'x' }, ms('2026-02-01T10:00:00.000+01:00'))).toEqual(
      E.left({ _tag: 'UnknownRequest', requestId: ids.request4, path: 'requestId', message: expect.any(String) }),
    );
  });
});

const breachFacts = (overrides: Record<string, unknown> = {}) => ({
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

const FRIDAY = '2026-11-20T17:00:00.000+01:00';

describe('breach deadlines', () => {
  it('GDPR Art. 33(1): aware Friday 17:00 Paris → authority due Monday 17:00 +01:00, host target Sunday 17:00', () => {
    const h = harness(euPolicy());
    h.run(reportBreach, { breachId: ids.breach1, summary: 'misdirected export' }, '2026-11-20T15:00:00.000+01:00');
    const aware = h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    expect(aware.events.map((e) => e.event)).toEqual([
      {
        type: 'BreachAwarenessEstablished',
        data: {
          awareAt: FRIDAY,
          deadlines: [
            {
              ruleId: 'gdpr.art33.1.notifyAuthority',
              dueAt: '2026-11-23T17:00:00.000+01:00',
              citation: 'GDPR Art. 33(1)',
              explanation: expect.stringContaining('72'),
              hostTargetAt: '2026-11-22T17:00:00.000+01:00',
            },
          ],
        },
      },
    ]);
  });

  it('Art. 34 arises with a high-risk assessment; unintelligible data exempts it', () => {
    const h = harness(euPolicy());
    h.run(reportBreach, { breachId: ids.breach1, summary: 's' }, '2026-11-20T15:00:00.000+01:00');
    h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    const assessed = h.run(assessBreach, breachFacts(), '2026-11-21T09:00:00.000+01:00');
    expect((assessed.events[0]?.event.data as Record<string, any>)['deadlines']).toEqual([
      // Art. 34 gives no number: the due instant is the host's target (72 h by default), flagged so.
      { ruleId: 'gdpr.art34.1.notifySubjects', dueAt: '2026-11-23T17:00:00.000+01:00', citation: 'GDPR Art. 34(1)', explanation: expect.any(String), hostTargetOnly: true },
    ]);

    const h2 = harness(euPolicy());
    h2.run(reportBreach, { breachId: ids.breach1, summary: 's' }, '2026-11-20T15:00:00.000+01:00');
    h2.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    const encrypted = h2.run(assessBreach, breachFacts({ dataUnintelligible: true }), '2026-11-21T09:00:00.000+01:00');
    expect(encrypted.events.map((e) => [e.event.type, (e.event.data as Record<string, unknown>)['exemption'] ?? null])).toEqual([
      ['BreachAssessed', null],
      ['NotificationExemptionRecorded', 'dataUnintelligible'],
    ]);
  });

  it('no risk: the Art. 33(1) duty is exempted with the reasoning of the assessment', () => {
    const h = harness(euPolicy());
    h.run(reportBreach, { breachId: ids.breach1, summary: 's' }, '2026-11-20T15:00:00.000+01:00');
    h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    const step = h.run(assessBreach, breachFacts({ risk: 'none' }), '2026-11-21T09:00:00.000+01:00');
    expect(step.events[1]?.event).toEqual({
      type: 'NotificationExemptionRecorded',
      data: {
        ruleId: 'gdpr.art33.1.notifyAuthority',
        exemption: 'unlikelyToResultInRisk',
        reasoning: expect.stringContaining('GDPR Art. 33(1)'),
        at: '2026-11-21T09:00:00.000+01:00',
      },
    });
  });

  it('Instaply IN-19: the controller within 24 hours of awareness, beside Art. 33(2); no authority duty as processor', () => {
    const h = harness(instaplyPolicy());
    h.run(reportBreach, { breachId: ids.breach1, summary: 's' }, '2026-11-20T15:00:00.000+01:00');
    const aware = h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    const deadlines = (aware.events[0]?.event.data as Record<string, any>)['deadlines'];
    expect(deadlines.map((d: { ruleId: string; dueAt: string }) => [d.ruleId, d.dueAt])).toEqual([
      ['gdpr.art33.2.notifyController', '2026-11-21T17:00:00.000+01:00'],
      ['contract.breach.notifyCustomer24h', '2026-11-21T17:00:00.000+01:00'],
    ]);
    const notified = h.run(
      recordControllerNotification,
      { breachId: ids.breach1, controllerId: 'customer-42', content: { nature: 'n', likelyConsequences: 'c', measures: 'm' } },
      '2026-11-21T08:00:00.000+01:00',
    );
    expect((notified.events[0]?.event.data as Record<string, any>)['satisfies']).toEqual([
      'gdpr.art33.2.notifyController',
      'contract.breach.notifyCustomer24h',
    ]);
  });

  it('InfluencerSoft IS-21: the customer duty counts from confirmation; a customer-caused breach is exempt (IS-22)', () => {
    const h = harness(influencerSoftPolicy());
    h.run(reportBreach, { breachId: ids.breach1, summary: 's' }, '2026-11-20T15:00:00.000+01:00');
    const aware = h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    expect((aware.events[0]?.event.data as Record<string, any>)['deadlines'].map((d: { ruleId: string }) => d.ruleId)).toEqual([
      'gdpr.art33.2.notifyController',
    ]);
    const confirmed = h.run(confirmBreach, { breachId: ids.breach1 }, '2026-11-21T10:00:00.000+01:00');
    expect((confirmed.events[0]?.event.data as Record<string, any>)['deadlines']).toEqual([
      {
        ruleId: 'contract.breach.notifyCustomerAfterConfirmation',
        dueAt: '2026-11-22T10:00:00.000+01:00',
        citation: 'InfluencerSoft policy (IS-21, IS-22)',
        explanation: expect.any(String),
        hostTargetOnly: true, // "without undue delay": the 24-hour target is the host's, not the contract's
      },
    ]);

    const excluded = harness(influencerSoftPolicy());
    excluded.run(reportBreach, { breachId: ids.breach1, summary: 's' }, '2026-11-20T15:00:00.000+01:00');
    excluded.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    excluded.run(assessBreach, breachFacts({ cause: 'customer', risk: 'risk' }), '2026-11-21T09:00:00.000+01:00');
    const step = excluded.run(confirmBreach, { breachId: ids.breach1 }, '2026-11-21T10:00:00.000+01:00');
    expect(step.events.map((e) => e.event.type)).toEqual(['BreachConfirmed', 'NotificationExemptionRecorded']);
    expect(step.events[1]?.event.data).toMatchObject({
      ruleId: 'contract.breach.notifyCustomerAfterConfirmation',
      exemption: 'excludedCause.customer',
    });
    expect(commandsOf(step)).toEqual([]);
  });

  it('Personizely PZ-26 (7.2): a threatened breach is outside the actual-only duty', () => {
    const h = harness(personizelyPolicy());
    h.run(reportBreach, { breachId: ids.breach1, summary: 's' }, '2026-11-20T15:00:00.000+01:00');
    h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    const step = h.run(assessBreach, breachFacts({ nature: 'threatened' }), '2026-11-21T09:00:00.000+01:00');
    expect(step.events.slice(1).map((e) => e.event.data)).toEqual([
      expect.objectContaining({ ruleId: 'contract.breach.notifyController72h', exemption: 'threatenedBreachOutOfScope' }),
    ]);
  });

  it('a late authority notice needs delay reasons; the default satisfies is the open Art. 33(1) duty', () => {
    const h = harness(euPolicy());
    h.run(reportBreach, { breachId: ids.breach1, summary: 's' }, '2026-11-20T15:00:00.000+01:00');
    h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    const content = {
      nature: 'n',
      dataSubjectCategories: ['customers'],
      approxSubjects: 10,
      dataCategories: ['contact'],
      approxRecords: 10,
      contactPoint: 'dpo',
      likelyConsequences: 'c',
      measures: 'm',
    };
    const late = '2026-11-24T09:00:00.000+01:00';
    expect(h.tryRun(recordAuthorityNotification, { breachId: ids.breach1, authorityId: 'cnil', content }, late)).toEqual(
      E.left({ _tag: 'DelayReasonsRequired', ruleIds: ['gdpr.art33.1.notifyAuthority'], citations: ['GDPR Art. 33(1)'] }),
    );
    const ok = h.run(recordAuthorityNotification, { breachId: ids.breach1, authorityId: 'cnil', content, delayReasons: 'forensics' }, late);
    expect(ok.events[0]?.event.data).toMatchObject({ phase: 'initial', satisfies: ['gdpr.art33.1.notifyAuthority'] });
  });

  it('with duties to two authorities open, the notice must say which it satisfies', () => {
    const h = harness(euBrazilPolicy());
    h.run(reportBreach, { breachId: ids.breach1, summary: 's' }, '2026-11-20T15:00:00.000+01:00');
    h.run(establishAwareness, { breachId: ids.breach1 }, FRIDAY);
    const r = recordAuthorityNotification(euBrazilPolicy(), h.views(), { breachId: ids.breach1, authorityId: 'cnil', content: {} }, ms(FRIDAY));
    expect(r).toEqual(
      E.left({
        _tag: 'AmbiguousObligations',
        action: 'NotifySupervisoryAuthority',
        candidates: ['gdpr.art33.1.notifyAuthority', 'lgpd.anpd15.notifyAnpd', 'lgpd.anpd15.supplementary'],
        path: 'satisfies',
        message: expect.any(String),
      }),
    );
  });

  it('an unknown breach is a typed error', () => {
    expect(establishAwareness(euPolicy(), {}, { breachId: ids.breach2 }, ms(FRIDAY))).toEqual(
      E.left({ _tag: 'UnknownBreach', breachId: ids.breach2, path: 'breachId', message: expect.any(String) }),
    );
  });
});

describe('sub-processors', () => {
  it('an addition noticed on 1 June opens a window closing at the end of 11 June (10 calendar days, CF-11)', () => {
    const built = only(
      addSubProcessor(
        convertfulPolicy(),
        {},
        {
          registerId: ids.register,
          subProcessorId: 'mailer',
          name: 'Mailer Inc',
          location: 'US',
          purposes: ['email'],
          dataCategories: ['contact'],
          customersNotifiedAt: '2026-06-01T10:00:00.000+02:00',
        },
        ms('2026-06-01T10:00:00.000+02:00'),
      ),
    );
    expect(dataOf(built)['objectionWindow']).toEqual({
      closesAt: '2026-06-11T23:59:59.999+02:00',
      ruleId: 'processors.objectionWindow',
      citation: 'Convertful DPA (CF-11)',
    });
  });

  it('an objection after the window is refused; an addition without prior notice is refused where the contract requires one', () => {
    const h = harness(convertfulPolicy());
    const sub = { registerId: ids.register, subProcessorId: 'mailer', name: 'Mailer Inc', location: 'US', purposes: ['email'], dataCategories: ['contact'] };
    h.run(addSubProcessor, { ...sub, customersNotifiedAt: '2026-06-01T10:00:00.000+02:00' }, '2026-06-01T10:00:00.000+02:00');
    const objection = { registerId: ids.register, objectionId: 'o-1', subProcessorId: 'mailer', customerId: 'customer-42', grounds: 'g', dataProtectionGrounds: true };
    expect(h.tryRun(recordSubProcessorObjection, objection, '2026-06-12T00:00:00.000+02:00')).toMatchObject(
      E.left({ _tag: 'ObjectionWindowClosed', closesAt: '2026-06-11T23:59:59.999+02:00' }),
    );
    expect(h.run(recordSubProcessorObjection, objection, '2026-06-11T23:00:00.000+02:00').events).toHaveLength(1);
    const strict = harness(convertfulPolicy({ advanceNotice: true }));
    expect(strict.tryRun(addSubProcessor, sub, '2026-06-01T10:00:00.000+02:00')).toMatchObject(E.left({ _tag: 'PriorNoticeRequired' }));
  });
});

describe('incidentsArea', () => {
  it('plugs in three registers, four reactions and two timer handlers, with no internal commands', () => {
    expect(Object.keys(incidentsArea.projections)).toEqual(['requestRegister', 'breachRegister', 'processorRegister']);
    expect(Object.keys(incidentsArea.reactions(euPolicy()))).toEqual(['requestDuties', 'breachDuties', 'subProcessorChanges', 'policyChangeNotices']);
    expect(Object.keys(incidentsArea.timerHandlers(euPolicy()))).toEqual(['requestObligationOverdue', 'breachObligationOverdue']);
    expect(incidentsArea.internalCommands).toEqual({});
  });
});
