import { describe, expect, it } from 'vitest';
import type { LetheEvent } from '../engine/index.js';
import {
  assessBreach,
  closeBreach,
  establishAwareness,
  justifyDelay,
  recordAuthorityNotification,
  recordContainment,
  reportBreach,
} from '../api/incidents.js';
import { euPolicy, harness, ids } from '../api/incidents.fixture.js';
import { breachOf, breachRegister, openObligations } from './breachRegister.js';

const fold = (events: readonly LetheEvent[]) => events.reduce(breachRegister.apply, breachRegister.init());

const assessment = {
  breachId: ids.breach1,
  risk: 'risk',
  dataCategories: ['contact'],
  dataSubjectCategories: ['customers'],
  approxSubjects: 12,
  approxRecords: 40,
  dataUnintelligible: false,
  nature: 'actual',
  cause: 'internal',
  likelyConsequences: 'secret consequences text',
  measures: 'secret measures text',
};

const content = {
  nature: 'n',
  dataSubjectCategories: ['customers'],
  approxSubjects: 12,
  dataCategories: ['contact'],
  approxRecords: 40,
  contactPoint: 'dpo',
  likelyConsequences: 'c',
  measures: 'm',
};

describe('breachRegister', () => {
  it('records instants, the latest assessment, obligations and what settled them', () => {
    const h = harness(euPolicy());
    const events: LetheEvent[] = [];
    const run = (...args: Parameters<typeof h.run>) => events.push(...h.run(...args).events);
    run(reportBreach, { breachId: ids.breach1, summary: 'secret summary' }, '2026-11-20T15:00:00.000+01:00');
    run(establishAwareness, { breachId: ids.breach1 }, '2026-11-20T17:00:00.000+01:00');
    const aware = breachOf(fold(events), ids.breach1);
    expect(aware).toMatchObject({ detectedAt: '2026-11-20T15:00:00.000+01:00', awareAt: '2026-11-20T17:00:00.000+01:00', confirmedAt: null });
    expect(openObligations(aware!).map((o) => [o.deadline.ruleId, o.recordedAt, o.settled])).toEqual([
      ['gdpr.art33.1.notifyAuthority', 'awareness', null],
    ]);
    expect(aware?.obligations['gdpr.art33.1.notifyAuthority']?.recordedByEventId).toBe(events[1]?.metadata.eventId);

    run(assessBreach, assessment, '2026-11-21T09:00:00.000+01:00');
    run(justifyDelay, { breachId: ids.breach1, ruleId: 'gdpr.art33.1.notifyAuthority', reasons: 'forensics' }, '2026-11-23T10:00:00.000+01:00');
    run(recordAuthorityNotification, { breachId: ids.breach1, authorityId: 'cnil', content }, '2026-11-24T09:00:00.000+01:00');
    run(recordContainment, { breachId: ids.breach1 }, '2026-11-24T12:00:00.000+01:00');
    run(closeBreach, { breachId: ids.breach1 }, '2026-11-30T09:00:00.000+01:00');
    const entry = breachOf(fold(events), ids.breach1)!;
    expect(entry.assessment).toEqual({
      assessedAt: '2026-11-21T09:00:00.000+01:00',
      risk: 'risk',
      dataCategories: ['contact'],
      dataSubjectCategories: ['customers'],
      approxSubjects: 12,
      approxRecords: 40,
      dataUnintelligible: false,
      nature: 'actual',
      cause: 'internal',
    });
    expect(entry.obligations['gdpr.art33.1.notifyAuthority']).toMatchObject({
      delayJustified: true,
      settled: { by: 'notification', eventType: 'AuthorityNotified', at: '2026-11-24T09:00:00.000+01:00' },
    });
    expect(entry.notifications).toEqual([
      { to: 'authority', at: '2026-11-24T09:00:00.000+01:00', satisfies: ['gdpr.art33.1.notifyAuthority'], authorityId: 'cnil', phase: 'initial' },
    ]);
    expect(entry.containedAt).toBe('2026-11-24T12:00:00.000+01:00');
    expect(entry.closedAt).toBe('2026-11-30T09:00:00.000+01:00');
    expect(openObligations(entry)).toEqual([]);
    // No free text of the stream reaches the register.
    expect(JSON.stringify(entry)).not.toMatch(/secret/);
    expect(fold(events)).toEqual(h.views()['breachRegister']);
  });

  it('an exemption settles a duty with its code', () => {
    const h = harness(euPolicy());
    const events = [
      ...h.run(reportBreach, { breachId: ids.breach1, summary: 's' }, '2026-11-20T15:00:00.000+01:00').events,
      ...h.run(establishAwareness, { breachId: ids.breach1 }, '2026-11-20T17:00:00.000+01:00').events,
      ...h.run(assessBreach, { ...assessment, risk: 'none' }, '2026-11-21T09:00:00.000+01:00').events,
    ];
    expect(breachOf(fold(events), ids.breach1)?.obligations['gdpr.art33.1.notifyAuthority']?.settled).toEqual({
      by: 'exemption',
      exemption: 'unlikelyToResultInRisk',
      at: '2026-11-21T09:00:00.000+01:00',
    });
  });

  it('ignores events of unknown breaches and other kinds, without mutating its input', () => {
    const h = harness(euPolicy());
    const [detected] = h.run(reportBreach, { breachId: ids.breach1, summary: 's' }, '2026-11-20T15:00:00.000+01:00').events;
    const [aware] = h.run(establishAwareness, { breachId: ids.breach1 }, '2026-11-20T17:00:00.000+01:00').events;
    const empty = breachRegister.init();
    expect(breachRegister.apply(empty, aware!)).toEqual(empty);
    const once = breachRegister.apply(empty, detected!);
    const snapshot = JSON.stringify(once);
    breachRegister.apply(once, aware!);
    expect(JSON.stringify(once)).toBe(snapshot);
    expect(breachRegister.apply(once, { ...aware!, kind: 'request' } as LetheEvent)).toBe(once);
  });
});
