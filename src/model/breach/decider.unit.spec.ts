import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import type { Decider } from '../../engine/decider.js';
import type { DeadlineRecord } from '../deadline.js';
import { personalPaths } from '../personal.js';
import { Identifier, IsoInstant, Uuid } from '../shared.js';
import type { BreachCommand, RecordAuthorityNotification } from './commands.js';
import { BreachCommand as BreachCommandCodec } from './commands.js';
import { breachDecider, openBreachObligations } from './decider.js';
import type { BreachRejection, BreachState } from './decider.js';
import * as ev from './events.js';
import type { BreachAssessed, BreachEvent } from './events.js';

// The engine folds this decider through its generic interface: a type error here means the engine cannot use it.
const asEngineDecider: Decider<BreachCommand, BreachState, BreachEvent, BreachRejection> = breachDecider;

const decode = <A>(codec: t.Type<A, unknown, unknown>, value: unknown): A => {
  const result = codec.decode(value);
  if (E.isLeft(result)) throw new Error(`test fixture does not decode as ${codec.name}`);
  return result.right;
};
const instant = (s: string): IsoInstant => decode(IsoInstant, s);
const id = (s: string): Identifier => decode(Identifier, s);

/** given/when/then over the breach decider; every emitted event must also pass its codec. */
const given = (events: readonly BreachEvent[]) => ({
  when: (command: BreachCommand) => {
    const state = events.reduce(asEngineDecider.evolve, asEngineDecider.initialState());
    const result = asEngineDecider.decide(command, state);
    expect(BreachCommandCodec.is(command)).toBe(true);
    return {
      then: (expected: readonly BreachEvent[]): void => {
        expect(result).toEqual(E.right(expected));
        if (E.isRight(result)) for (const e of result.right) expect(ev.BreachEvent.is(e)).toBe(true);
      },
      thenRejects: (expected: Partial<BreachRejection> & Pick<BreachRejection, '_tag'>): void => {
        expect(E.isLeft(result) ? result.left : 'accepted').toEqual(expect.objectContaining(expected));
      },
    };
  },
});
const stateAfter = (events: readonly BreachEvent[]): BreachState =>
  events.reduce(breachDecider.evolve, breachDecider.initialState());

const authority72h: DeadlineRecord = {
  ruleId: id('gdpr.art33.1'),
  dueAt: instant('2026-03-05T14:00:00Z'),
  citation: 'GDPR Art. 33(1)',
  explanation: '72 hours from awareness at 2026-03-02T14:00:00Z',
};
const controller24h: DeadlineRecord = {
  ruleId: id('contract.instaply.in19'),
  dueAt: instant('2026-03-03T14:00:00Z'),
  citation: 'Instaply privacy policy (IN-19)',
  explanation: '24 hours from awareness',
  hostTargetAt: instant('2026-03-02T20:00:00Z'),
};
const subjects34: DeadlineRecord = {
  ruleId: id('gdpr.art34.1'),
  dueAt: instant('2026-03-09T14:00:00Z'),
  citation: 'GDPR Art. 34(1)',
  explanation: 'without undue delay; host limit 7 days',
};

const detected: BreachEvent = {
  type: 'BreachDetected',
  data: {
    breachId: decode(Uuid, '3c1d5e7a-9b2f-4d6e-8a1c-0f2e4d6b8a03'),
    detectedAt: instant('2026-03-02T08:00:00Z'),
    summary: 'Unexpected export job on the CRM database',
    detectedBy: id('siem'),
  },
};
const aware: BreachEvent = {
  type: 'BreachAwarenessEstablished',
  data: { awareAt: instant('2026-03-02T14:00:00Z'), deadlines: [authority72h, controller24h] },
};
const assessment: BreachAssessed['data'] = {
  assessedAt: instant('2026-03-02T16:00:00Z'),
  risk: 'risk',
  dataCategories: [id('contact')],
  dataSubjectCategories: [id('customers')],
  approxSubjects: 1200,
  approxRecords: 1500,
  dataUnintelligible: false,
  nature: 'actual',
  cause: 'internal',
  likelyConsequences: 'phishing attempts',
  measures: 'credentials rotated',
};
const assessed: BreachEvent = { type: 'BreachAssessed', data: assessment };

const fullContent = {
  nature: 'unauthorised export of contact records',
  dataSubjectCategories: [id('customers')],
  approxSubjects: 1200,
  dataCategories: [id('contact')],
  approxRecords: 1500,
  contactPoint: 'dpo@example.test',
  likelyConsequences: 'phishing attempts',
  measures: 'credentials rotated',
};
const notifyAuthority = (
  overrides: Partial<RecordAuthorityNotification['data']> = {},
): RecordAuthorityNotification => ({
  type: 'RecordAuthorityNotification',
  data: {
    authorityId: id('ie-dpc'),
    phase: 'initial',
    at: instant('2026-03-04T10:00:00Z'),
    satisfies: [authority72h.ruleId],
    content: fullContent,
    ...overrides,
  },
});
const notifiedFrom = (command: RecordAuthorityNotification): BreachEvent => {
  const { context: _context, ...data } = command.data;
  return { type: 'AuthorityNotified', data };
};
const controllerContent = { nature: 'export of contact records', likelyConsequences: 'phishing', measures: 'rotated', approxSubjects: 1200 };
const controllerNotified: BreachEvent = {
  type: 'ControllerNotified',
  data: { controllerId: id('customer-42'), at: instant('2026-03-02T18:00:00Z'), satisfies: [controller24h.ruleId], content: controllerContent },
};

describe('breach decider: detection, awareness, confirmation', () => {
  it('given nothing, when a breach is reported, then BreachDetected; reported again, then BreachAlreadyReported', () => {
    given([]).when({ type: 'ReportBreach', data: detected.data }).then([detected]);
    given([detected]).when({ type: 'ReportBreach', data: detected.data }).thenRejects({ _tag: 'BreachAlreadyReported' });
  });

  it('given no detection, when the breach is confirmed (or anything else), then BreachNotDetected', () => {
    given([]).when({ type: 'ConfirmBreach', data: { confirmedAt: instant('2026-03-02T09:00:00Z'), deadlines: [] } }).thenRejects({
      _tag: 'BreachNotDetected',
    });
    given([]).when(notifyAuthority()).thenRejects({ _tag: 'BreachNotDetected' });
  });

  it('given a detection, when awareness is established, then BreachAwarenessEstablished records the deadlines from awareAt', () => {
    given([detected]).when({ type: 'EstablishAwareness', data: aware.data }).then([aware]);
    expect(openBreachObligations(stateAfter([detected, aware])).map((d) => d.ruleId)).toEqual(['gdpr.art33.1', 'contract.instaply.in19']);
  });

  it('given awareness, when established again, then AwarenessAlreadyEstablished', () => {
    given([detected, aware]).when({ type: 'EstablishAwareness', data: aware.data }).thenRejects({ _tag: 'AwarenessAlreadyEstablished' });
  });

  it('given a detection, when awareness predates it, then InstantOutOfOrder', () => {
    given([detected])
      .when({ type: 'EstablishAwareness', data: { awareAt: instant('2026-03-02T07:00:00Z'), deadlines: [] } })
      .thenRejects({ _tag: 'InstantOutOfOrder', field: 'awareAt', mustNotPrecede: 'detectedAt' });
  });

  it('given a detection, when a deadline falls before awareness, then DeadlineBeforeClockStart', () => {
    const early = { ...authority72h, dueAt: instant('2026-03-02T13:00:00Z') };
    given([detected])
      .when({ type: 'EstablishAwareness', data: { awareAt: instant('2026-03-02T14:00:00Z'), deadlines: [early] } })
      .thenRejects({ _tag: 'DeadlineBeforeClockStart', ruleId: authority72h.ruleId });
  });

  it('given detection only, when confirmed, then AwarenessNotEstablished', () => {
    given([detected])
      .when({ type: 'ConfirmBreach', data: { confirmedAt: instant('2026-03-02T15:00:00Z'), deadlines: [] } })
      .thenRejects({ _tag: 'AwarenessNotEstablished' });
  });

  it('given awareness, when confirmed with deadlines that run from confirmation (IS-21), then BreachConfirmed adds them', () => {
    const fromConfirmation: DeadlineRecord = {
      ruleId: id('contract.influencersoft.is21'),
      dueAt: instant('2026-03-04T15:00:00Z'),
      citation: 'InfluencerSoft privacy policy (IS-21)',
      explanation: 'host target after confirmation',
    };
    const confirmed: BreachEvent = { type: 'BreachConfirmed', data: { confirmedAt: instant('2026-03-02T15:00:00Z'), deadlines: [fromConfirmation] } };
    given([detected, aware]).when({ type: 'ConfirmBreach', data: confirmed.data }).then([confirmed]);
    const state = stateAfter([detected, aware, confirmed]);
    expect(state.confirmedAt).toBe('2026-03-02T15:00:00Z');
    expect(openBreachObligations(state).map((d) => d.ruleId)).toContain('contract.influencersoft.is21');
    given([detected, aware, confirmed]).when({ type: 'ConfirmBreach', data: confirmed.data }).thenRejects({ _tag: 'BreachAlreadyConfirmed' });
  });

  it('given awareness, when confirmation predates it, then InstantOutOfOrder', () => {
    given([detected, aware])
      .when({ type: 'ConfirmBreach', data: { confirmedAt: instant('2026-03-02T13:00:00Z'), deadlines: [] } })
      .thenRejects({ _tag: 'InstantOutOfOrder', field: 'confirmedAt', mustNotPrecede: 'awareAt' });
  });

  it('given a recorded deadline, when a later command records the same rule with another due date, then DeadlineConflict; identical is kept once', () => {
    const moved = { ...authority72h, dueAt: instant('2026-03-06T14:00:00Z') };
    given([detected, aware])
      .when({ type: 'ConfirmBreach', data: { confirmedAt: instant('2026-03-02T15:00:00Z'), deadlines: [moved] } })
      .thenRejects({ _tag: 'DeadlineConflict', ruleId: authority72h.ruleId });
    const same: BreachEvent = { type: 'BreachConfirmed', data: { confirmedAt: instant('2026-03-02T15:00:00Z'), deadlines: [authority72h] } };
    given([detected, aware]).when({ type: 'ConfirmBreach', data: same.data }).then([same]);
    expect(stateAfter([detected, aware, same]).deadlines).toHaveLength(2);
  });
});

describe('breach decider: assessment and containment', () => {
  it('given a detection, when assessed twice, then both are recorded and the later supersedes', () => {
    given([detected, aware]).when({ type: 'AssessBreach', data: assessment }).then([assessed]);
    const high: BreachEvent = {
      type: 'BreachAssessed',
      data: { ...assessment, assessedAt: instant('2026-03-03T09:00:00Z'), risk: 'high', approxSubjects: 5000, deadlines: [subjects34] },
    };
    given([detected, aware, assessed]).when({ type: 'AssessBreach', data: high.data }).then([high]);
    const state = stateAfter([detected, aware, assessed, high]);
    expect(state.assessment?.risk).toBe('high');
    expect(state.assessment?.approxSubjects).toBe(5000);
    expect(openBreachObligations(state).map((d) => d.ruleId)).toContain('gdpr.art34.1');
  });

  it('given a detection, when contained, then BreachContained; contained again, then nothing new', () => {
    const contained: BreachEvent = { type: 'BreachContained', data: { at: instant('2026-03-02T12:00:00Z') } };
    given([detected]).when({ type: 'RecordContainment', data: contained.data }).then([contained]);
    given([detected, contained]).when({ type: 'RecordContainment', data: { at: instant('2026-03-02T13:00:00Z') } }).then([]);
  });
});

describe('breach decider: notifying the authority (GDPR Art. 33)', () => {
  it('given detection without awareness, when the authority notification is recorded, then AwarenessNotEstablished', () => {
    given([detected]).when(notifyAuthority()).thenRejects({ _tag: 'AwarenessNotEstablished' });
  });

  it('given awareness, when a complete initial notification is made in time, then AuthorityNotified satisfies the obligation', () => {
    const command = notifyAuthority();
    given([detected, aware]).when(command).then([notifiedFrom(command)]);
    const state = stateAfter([detected, aware, notifiedFrom(command)]);
    expect(openBreachObligations(state).map((d) => d.ruleId)).toEqual(['contract.instaply.in19']);
  });

  it('given awareness, when an initial notification lacks Art. 33(3) content and is not phased, then IncompleteNotification lists the gaps', () => {
    const { approxRecords: _r, contactPoint: _c, ...partial } = fullContent;
    given([detected, aware])
      .when(notifyAuthority({ content: { ...partial, measures: '' } }))
      .thenRejects({ _tag: 'IncompleteNotification', missing: ['approxRecords', 'contactPoint', 'measures'], citation: 'GDPR Art. 33(3)' });
  });

  it('given awareness, when an incomplete initial notification is declared phased with a reason, then it is accepted (Art. 33(4))', () => {
    const command = notifyAuthority({ content: { nature: 'under investigation' }, phased: { reason: 'scope still being established' } });
    given([detected, aware]).when(command).then([notifiedFrom(command)]);
  });

  it('given a rule naming its own required content, when the notification has that content, then the rule list applies, not Art. 33(3)', () => {
    const command = notifyAuthority({
      content: { nature: 'export', contactPoint: 'dpo@example.test' },
      context: { requiredContent: ['nature', 'contactPoint'], citation: 'Res. CD/ANPD 15/2024 Art. 6' },
    });
    given([detected, aware]).when(command).then([notifiedFrom(command)]);
    given([detected, aware])
      .when(notifyAuthority({ content: { nature: 'export' }, context: { requiredContent: ['nature', 'contactPoint'], citation: 'Res. CD/ANPD 15/2024 Art. 6' } }))
      .thenRejects({ _tag: 'IncompleteNotification', missing: ['contactPoint'], citation: 'Res. CD/ANPD 15/2024 Art. 6' });
  });

  it('given no initial notification, when a supplementary one is recorded, then InitialNotificationMissing; after an initial one it is accepted', () => {
    const supplementary = notifyAuthority({ phase: 'supplementary', satisfies: [], content: { approxRecords: 1700 }, at: instant('2026-03-06T10:00:00Z') });
    given([detected, aware]).when(supplementary).thenRejects({ _tag: 'InitialNotificationMissing', authorityId: id('ie-dpc') });
    given([detected, aware, notifiedFrom(notifyAuthority())]).when(supplementary).then([notifiedFrom(supplementary)]);
  });

  it('given the 72-hour deadline passed, when notified without delay reasons, then DelayReasonsRequired', () => {
    given([detected, aware])
      .when(notifyAuthority({ at: instant('2026-03-05T14:00:01Z') }))
      .thenRejects({ _tag: 'DelayReasonsRequired', ruleIds: [authority72h.ruleId], citations: ['GDPR Art. 33(1)'] });
  });

  it('given the 72-hour deadline, when notified exactly at dueAt, then it is on time', () => {
    const command = notifyAuthority({ at: instant('2026-03-05T15:00:00+01:00') });
    given([detected, aware]).when(command).then([notifiedFrom(command)]);
  });

  it('given the deadline passed, when notified with delay reasons, or after DelayJustified, then it is accepted', () => {
    const late = notifyAuthority({ at: instant('2026-03-06T10:00:00Z'), delayReasons: 'forensic analysis needed to establish scope' });
    given([detected, aware]).when(late).then([notifiedFrom(late)]);
    const justified: BreachEvent = {
      type: 'DelayJustified',
      data: { ruleId: authority72h.ruleId, reasons: 'forensics', at: instant('2026-03-05T12:00:00Z') },
    };
    const lateWithoutReasons = notifyAuthority({ at: instant('2026-03-06T10:00:00Z') });
    given([detected, aware, justified]).when(lateWithoutReasons).then([notifiedFrom(lateWithoutReasons)]);
  });

  it('given awareness, when a notification names a rule with no recorded deadline, then UnknownObligation', () => {
    given([detected, aware]).when(notifyAuthority({ satisfies: [id('gdpr.art33.typo')] })).thenRejects({
      _tag: 'UnknownObligation',
      ruleIds: [id('gdpr.art33.typo')],
    });
  });
});

describe('breach decider: subjects, public and controller notifications', () => {
  const withArt34: BreachEvent = { type: 'BreachAssessed', data: { ...assessment, risk: 'high', deadlines: [subjects34] } };
  const subjectsData = {
    at: instant('2026-03-04T10:00:00Z'),
    channel: id('email'),
    count: 1200,
    satisfies: [subjects34.ruleId],
    content: { description: 'Your contact details were exported', contactPoint: 'dpo@example.test', likelyConsequences: 'phishing', measures: 'be wary of e-mails' },
  };

  it('given a high-risk assessment, when the subjects are told, then DataSubjectsNotified satisfies Art. 34', () => {
    given([detected, aware, withArt34]).when({ type: 'RecordDataSubjectNotification', data: subjectsData }).then([
      { type: 'DataSubjectsNotified', data: subjectsData },
    ]);
  });

  it('given the Art. 34 deadline passed, when the subjects are told without delay reasons, then DelayReasonsRequired', () => {
    given([detected, aware, withArt34])
      .when({ type: 'RecordDataSubjectNotification', data: { ...subjectsData, at: instant('2026-03-10T10:00:00Z') } })
      .thenRejects({ _tag: 'DelayReasonsRequired', ruleIds: [subjects34.ruleId], citations: ['GDPR Art. 34(1)'] });
  });

  it('given detection only, when subjects are told, then AwarenessNotEstablished', () => {
    given([detected]).when({ type: 'RecordDataSubjectNotification', data: subjectsData }).thenRejects({ _tag: 'AwarenessNotEstablished' });
  });

  it('given individual notice is disproportionate, when a public communication is made, then PublicCommunicationMade (Art. 34(3)(c))', () => {
    const data = { at: instant('2026-03-04T10:00:00Z'), medium: id('website'), reason: 'disproportionateEffort' as const, satisfies: [subjects34.ruleId] };
    given([detected, aware, withArt34]).when({ type: 'RecordPublicCommunication', data }).then([{ type: 'PublicCommunicationMade', data }]);
    given([detected]).when({ type: 'RecordPublicCommunication', data }).thenRejects({ _tag: 'AwarenessNotEstablished' });
  });

  it('given we are processor, when the controller is told within 24 hours, then ControllerNotified (PZ-27 content)', () => {
    given([detected, aware]).when({ type: 'RecordControllerNotification', data: controllerNotified.data }).then([controllerNotified]);
    given([detected]).when({ type: 'RecordControllerNotification', data: controllerNotified.data }).thenRejects({ _tag: 'AwarenessNotEstablished' });
  });

  it('given the 24-hour controller deadline passed, when the controller is told without reasons, then DelayReasonsRequired', () => {
    given([detected, aware])
      .when({ type: 'RecordControllerNotification', data: { ...controllerNotified.data, at: instant('2026-03-03T14:00:01Z') } })
      .thenRejects({ _tag: 'DelayReasonsRequired', ruleIds: [controller24h.ruleId] });
  });
});

describe('breach decider: exemptions, delay justification, closure', () => {
  const exemptArt33: BreachEvent = {
    type: 'NotificationExemptionRecorded',
    data: { ruleId: authority72h.ruleId, exemption: id('gdpr.art33.1.unlikelyRisk'), reasoning: 'only hashed ids exposed', at: instant('2026-03-03T10:00:00Z') },
  };

  it('given an obligation, when an exemption is recorded, then NotificationExemptionRecorded settles it', () => {
    given([detected, aware]).when({ type: 'RecordNotificationExemption', data: exemptArt33.data }).then([exemptArt33]);
    expect(openBreachObligations(stateAfter([detected, aware, exemptArt33])).map((d) => d.ruleId)).toEqual(['contract.instaply.in19']);
  });

  it('given no such obligation, when an exemption or a delay justification names it, then UnknownObligation', () => {
    given([detected, aware])
      .when({ type: 'RecordNotificationExemption', data: { ...exemptArt33.data, ruleId: id('nope') } })
      .thenRejects({ _tag: 'UnknownObligation', ruleIds: [id('nope')] });
    given([detected, aware])
      .when({ type: 'JustifyDelay', data: { ruleId: id('nope'), reasons: 'x', at: instant('2026-03-03T10:00:00Z') } })
      .thenRejects({ _tag: 'UnknownObligation' });
  });

  it('given a satisfied obligation, when an exemption is recorded for it, then ObligationAlreadySettled', () => {
    given([detected, aware, notifiedFrom(notifyAuthority())])
      .when({ type: 'RecordNotificationExemption', data: exemptArt33.data })
      .thenRejects({ _tag: 'ObligationAlreadySettled', ruleId: authority72h.ruleId });
  });

  it('given detection only, when an exemption or a delay justification is recorded, then AwarenessNotEstablished', () => {
    given([detected]).when({ type: 'RecordNotificationExemption', data: exemptArt33.data }).thenRejects({ _tag: 'AwarenessNotEstablished' });
    given([detected])
      .when({ type: 'JustifyDelay', data: { ruleId: authority72h.ruleId, reasons: 'x', at: instant('2026-03-03T10:00:00Z') } })
      .thenRejects({ _tag: 'AwarenessNotEstablished' });
  });

  it('given an obligation, when its delay is justified, then DelayJustified', () => {
    const data = { ruleId: authority72h.ruleId, reasons: 'forensics', at: instant('2026-03-05T12:00:00Z') };
    given([detected, aware]).when({ type: 'JustifyDelay', data }).then([{ type: 'DelayJustified', data }]);
  });

  it('given open obligations, when closed, then OpenObligations lists their rule ids', () => {
    given([detected, aware, assessed, notifiedFrom(notifyAuthority())])
      .when({ type: 'CloseBreach', data: { at: instant('2026-03-10T10:00:00Z') } })
      .thenRejects({ _tag: 'OpenObligations', ruleIds: [controller24h.ruleId] });
  });

  it('given awareness but no assessment, when closed, then AssessmentRequired (Art. 33(5))', () => {
    given([detected, aware, notifiedFrom(notifyAuthority()), controllerNotified])
      .when({ type: 'CloseBreach', data: { at: instant('2026-03-10T10:00:00Z') } })
      .thenRejects({ _tag: 'AssessmentRequired', citation: 'GDPR Art. 33(5)' });
  });

  it('given every obligation satisfied, when closed, then BreachClosed; afterwards every command is BreachAlreadyClosed', () => {
    const history = [detected, aware, assessed, notifiedFrom(notifyAuthority()), controllerNotified];
    const closed: BreachEvent = { type: 'BreachClosed', data: { at: instant('2026-03-10T10:00:00Z') } };
    given(history).when({ type: 'CloseBreach', data: closed.data }).then([closed]);
    given([...history, closed]).when({ type: 'AssessBreach', data: assessment }).thenRejects({ _tag: 'BreachAlreadyClosed' });
    given([...history, closed]).when(notifyAuthority({ phase: 'final' })).thenRejects({ _tag: 'BreachAlreadyClosed' });
    given([...history, closed]).when({ type: 'CloseBreach', data: closed.data }).thenRejects({ _tag: 'BreachAlreadyClosed' });
  });

  it('given a no-risk breach, when the Art. 33 duty is exempted and the breach closed, then its assessed facts stay on record', () => {
    const noRisk: BreachEvent = { type: 'BreachAssessed', data: { ...assessment, risk: 'none', dataUnintelligible: true } };
    const exemptController: BreachEvent = {
      type: 'NotificationExemptionRecorded',
      data: { ruleId: controller24h.ruleId, exemption: id('contract.causedByCustomer'), reasoning: 'customer account misuse', at: instant('2026-03-03T10:00:00Z') },
    };
    const history = [detected, aware, noRisk, exemptArt33, exemptController];
    given(history).when({ type: 'CloseBreach', data: { at: instant('2026-03-04T10:00:00Z') } }).then([
      { type: 'BreachClosed', data: { at: instant('2026-03-04T10:00:00Z') } },
    ]);
    const state = stateAfter(history);
    expect(state.assessment).toEqual({ ...assessment, risk: 'none', dataUnintelligible: true });
    expect(state.exempted.map((e) => e.exemption)).toEqual(['gdpr.art33.1.unlikelyRisk', 'contract.causedByCustomer']);
  });

  it('given a detection that never reached awareness (a false alarm), when closed, then BreachClosed', () => {
    given([detected]).when({ type: 'CloseBreach', data: { at: instant('2026-03-02T09:00:00Z') } }).then([
      { type: 'BreachClosed', data: { at: instant('2026-03-02T09:00:00Z') } },
    ]);
  });

  it('given a detection, when a command is dated before it, then InstantOutOfOrder', () => {
    given([detected]).when({ type: 'RecordContainment', data: { at: instant('2026-03-02T07:59:59Z') } }).thenRejects({
      _tag: 'InstantOutOfOrder',
      field: 'at',
      mustNotPrecede: 'detectedAt',
    });
  });
});

describe('breach codecs', () => {
  it('lists exactly these personal fields per event, so a new unmarked free-text field shows up here', () => {
    expect(personalPaths(ev.BreachDetected)).toEqual(['data.summary']);
    expect(personalPaths(ev.BreachAwarenessEstablished)).toEqual(['data.basis']);
    expect(personalPaths(ev.BreachConfirmed)).toEqual([]);
    expect(personalPaths(ev.BreachAssessed)).toEqual(['data.likelyConsequences', 'data.measures']);
    expect(personalPaths(ev.BreachContained)).toEqual([]);
    expect(personalPaths(ev.AuthorityNotified)).toEqual([
      'data.content.contactPoint',
      'data.content.likelyConsequences',
      'data.content.measures',
      'data.content.nature',
      'data.delayReasons',
      'data.phased.reason',
    ]);
    expect(personalPaths(ev.DataSubjectsNotified)).toEqual([
      'data.content.contactPoint',
      'data.content.description',
      'data.content.likelyConsequences',
      'data.content.measures',
      'data.delayReasons',
    ]);
    expect(personalPaths(ev.PublicCommunicationMade)).toEqual(['data.delayReasons']);
    expect(personalPaths(ev.ControllerNotified)).toEqual([
      'data.content.likelyConsequences',
      'data.content.measures',
      'data.content.nature',
      'data.delayReasons',
    ]);
    expect(personalPaths(ev.NotificationExemptionRecorded)).toEqual(['data.reasoning']);
    expect(personalPaths(ev.DelayJustified)).toEqual(['data.reasons']);
    expect(personalPaths(ev.BreachClosed)).toEqual([]);
  });

  it('rejects a negative approximate count, naming the path', () => {
    const result = BreachCommandCodec.decode({ type: 'AssessBreach', data: { ...assessment, approxSubjects: -1 } });
    const paths = E.isLeft(result) ? result.left.map((e) => e.context.map((c) => c.key).filter((k) => /^[a-zA-Z]+$/.test(k)).join('.')) : [];
    expect(paths).toContain('data.approxSubjects');
  });
});
