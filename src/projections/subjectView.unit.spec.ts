import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OTHER_SUBJECT, SUBJECT, lifecyclePolicy, world } from '../api/lifecycle.fixture.js';
import { pmGet, pmSet, pmEmpty, pmValues } from './persistentMap.js';
import { activeLegalHolds, activeRestrictions, allSubjects, collectedCategories, hasActiveContract, isHeld, subjectOf } from './subjectView.js';

const policy = lifecyclePolicy();
const registered = {
  type: 'SubjectRegistered',
  data: { subjectId: SUBJECT, jurisdictions: ['IE'], ourRole: { role: 'controller' }, registeredAt: '2026-01-05T10:00:00Z', age: { ageInYears: 30 } },
};
const collected = (category: string, collectedAt: string, submission = 'explicit', system = 'app-db') => ({
  type: 'DataCollected',
  data: { category, system, source: 'widget', submission, policyVersion: '2026.1', sensitive: false, collectedAt },
});

describe('subject view', () => {
  it('folds registration, collections (systems, sources, explicit submissions, first policy version) and activity', () => {
    const w = world(policy);
    w.feed('subject', SUBJECT, registered, '2026-01-05T10:00:00Z');
    w.feed('subject', SUBJECT, collected('widget-leads', '2026-01-06T10:00:00Z'));
    w.feed('subject', SUBJECT, {
      ...collected('widget-leads', '2026-02-01T10:00:00Z', 'passive', 'backups'),
      data: { ...collected('widget-leads', '2026-02-01T10:00:00Z', 'passive', 'backups').data, policyVersion: '2026.2' },
    });
    w.feed('subject', SUBJECT, { type: 'ActivityRecorded', data: { kind: 'pageView', activityAt: '2026-02-03T08:00:00Z' } }, '2026-02-03T08:00:00Z');
    w.feed('subject', SUBJECT, { type: 'ActivityRecorded', data: { kind: 'pageView', activityAt: '2026-02-02T08:00:00Z' } });
    const s = subjectOf(w.views().subjectView, SUBJECT);
    expect(s?.status).toBe('registered');
    expect(s?.jurisdictions).toEqual(['IE']);
    expect(s?.age).toEqual({ evidence: { ageInYears: 30 }, at: '2026-01-05T10:00:00Z' });
    expect(s?.categories['widget-leads']).toEqual({
      systems: ['app-db', 'backups'],
      sources: ['widget'],
      submissions: ['explicit', 'passive'],
      firstCollectedAt: '2026-01-06T10:00:00Z',
      lastCollectedAt: '2026-02-01T10:00:00Z',
      lastExplicitSubmissionAt: '2026-01-06T10:00:00Z',
      policyVersion: '2026.1',
      sensitive: false,
    });
    expect(s?.lastActivity).toEqual({ pageView: '2026-02-03T08:00:00Z' });
    expect(subjectOf(w.views().subjectView, OTHER_SUBJECT)).toBeUndefined();
  });

  it('tracks restrictions, legal holds and contracts, active and lifted', () => {
    const w = world(policy);
    w.feed('subject', SUBJECT, registered);
    w.feed('subject', SUBJECT, { type: 'ProcessingRestricted', data: { restrictionId: 'r1', ground: 'accuracyContested', scope: ['account'], restrictedAt: '2026-01-07T00:00:00Z' } });
    w.feed('subject', SUBJECT, { type: 'LegalHoldPlaced', data: { holdId: 'h1', reason: 'case-42', scope: 'all', placedAt: '2026-01-08T00:00:00Z' } });
    w.feed('subject', SUBJECT, { type: 'SubscriptionStarted', data: { contractId: 'c1', startedAt: '2026-01-09T00:00:00Z' } });
    let s = subjectOf(w.views().subjectView, SUBJECT)!;
    expect(activeRestrictions(s, 'account')).toEqual(['r1']);
    expect(activeRestrictions(s, 'widget-leads')).toEqual([]);
    expect(isHeld(s, 'widget-leads')).toBe(true);
    expect(hasActiveContract(s)).toBe(true);
    w.feed('subject', SUBJECT, { type: 'ProcessingUnrestricted', data: { restrictionId: 'r1', unrestrictedAt: '2026-01-10T00:00:00Z', subjectInformedAt: '2026-01-09T00:00:00Z' } });
    w.feed('subject', SUBJECT, { type: 'LegalHoldLifted', data: { holdId: 'h1', liftedAt: '2026-01-11T00:00:00Z' } });
    w.feed('subject', SUBJECT, { type: 'SubscriptionCancelled', data: { contractId: 'c1', cancelledAt: '2026-01-12T00:00:00Z' } });
    s = subjectOf(w.views().subjectView, SUBJECT)!;
    expect(s.restrictions['r1']).toEqual({ ground: 'accuracyContested', scope: ['account'], restrictedAt: '2026-01-07T00:00:00Z', active: false, unrestrictedAt: '2026-01-10T00:00:00Z' });
    expect(activeLegalHolds(s)).toEqual([]);
    expect(s.legalHolds['h1']?.liftedAt).toBe('2026-01-11T00:00:00Z');
    expect(s.contracts['c1']).toEqual({ status: 'cancelled', startedAt: '2026-01-09T00:00:00Z', cancelledAt: '2026-01-12T00:00:00Z' });
    expect(hasActiveContract(s)).toBe(false);
  });

  it('moves erased categories out of the collected ones, and marks the subject erased on scope all', () => {
    const w = world(policy);
    w.feed('subject', SUBJECT, registered);
    w.feed('subject', SUBJECT, collected('widget-leads', '2026-01-06T10:00:00Z'));
    w.feed('subject', SUBJECT, collected('account', '2026-01-06T10:00:00Z'));
    w.feed('subject', SUBJECT, { type: 'SubjectErased', data: { scope: ['widget-leads'], reason: 'retentionExpired', erasedAt: '2027-01-01T00:00:00Z' } });
    let s = subjectOf(w.views().subjectView, SUBJECT)!;
    expect(collectedCategories(s)).toEqual(['account']);
    expect(s.erasedCategories).toEqual({ 'widget-leads': { erasedAt: '2027-01-01T00:00:00Z', reason: 'retentionExpired' } });
    w.feed('subject', SUBJECT, { type: 'SubjectErased', data: { scope: 'all', reason: 'subjectRequest', erasedAt: '2027-02-01T00:00:00Z' } });
    s = subjectOf(w.views().subjectView, SUBJECT)!;
    expect(s.status).toBe('erased');
    expect(s.erasedAt).toBe('2027-02-01T00:00:00Z');
    expect(collectedCategories(s)).toEqual([]);
    expect(Object.keys(s.erasedCategories).sort()).toEqual(['account', 'widget-leads']);
  });

  it('never changes the state it was given (earlier states stay valid)', () => {
    const w = world(policy);
    w.feed('subject', SUBJECT, registered);
    const before = w.views().subjectView;
    const snapshot = JSON.stringify(subjectOf(before, SUBJECT));
    w.feed('subject', SUBJECT, collected('widget-leads', '2026-01-06T10:00:00Z'));
    expect(JSON.stringify(subjectOf(before, SUBJECT))).toBe(snapshot);
    expect(allSubjects(w.views().subjectView)).toHaveLength(1);
  });
});

describe('persistent map', () => {
  it('behaves like a Map under any sequence of sets, and old versions are untouched', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 200 }), (ops) => {
        const reference = new Map<string, number>();
        let map = pmEmpty<number>();
        const versions: [ReturnType<typeof pmEmpty<number>>, Map<string, number>][] = [];
        for (const [k, v] of ops) {
          map = pmSet(map, k, v);
          reference.set(k, v);
          versions.push([map, new Map(reference)]);
        }
        expect(map.size).toBe(reference.size);
        for (const [k, v] of reference) expect(pmGet(map, k)).toBe(v);
        expect(pmValues(map).sort()).toEqual([...reference.values()].sort());
        for (const [version, expected] of versions) for (const [k, v] of expected) expect(pmGet(version, k)).toBe(v);
      }),
      { numRuns: 50 },
    );
  });
});
