import { describe, expect, it } from 'vitest';
import { GRANT, SUBJECT, lifecyclePolicy, world } from '../api/lifecycle.fixture.js';
import { canProcess } from './canProcess.js';

const policy = lifecyclePolicy();
const setup = () => {
  const w = world(policy);
  w.feed('subject', SUBJECT, { type: 'SubjectRegistered', data: { subjectId: SUBJECT, jurisdictions: ['IE'], ourRole: { role: 'controller' }, registeredAt: '2026-01-01T00:00:00Z' } });
  w.feed('consent', GRANT, {
    type: 'ConsentGranted',
    data: {
      grantId: GRANT, subjectId: SUBJECT, purpose: 'newsletter', lawfulBasis: 'consent', policyVersion: '2026.1', method: 'checkbox',
      gdprValid: true, evidence: {}, explicit: false, grantedAt: '2026-01-02T00:00:00Z', expiresAt: '2027-01-02T23:59:59.999Z',
    },
  });
  return w;
};
const ask = (w: ReturnType<typeof setup>, purpose: string, at: string | number, subjectId = SUBJECT) =>
  canProcess({ ...w.views() }, policy, { subjectId, purpose, at });

describe('canProcess', () => {
  it('allows a consent purpose while an active, unexpired grant covers the instant, naming the basis', () => {
    const w = setup();
    expect(ask(w, 'newsletter', '2026-06-01T00:00:00Z')).toEqual({ allowed: true, reason: 'lawful basis: consent (purpose "newsletter")', citation: 'GDPR Art. 6(1)(a)', basis: 'consent' });
    expect(ask(w, 'newsletter', Date.parse('2027-01-02T23:59:59.999Z')).allowed).toBe(true);
    expect(ask(w, 'newsletter', '2027-01-03T00:00:00Z')).toMatchObject({ allowed: false, citation: 'GDPR Art. 6(1)(a), 7(3)' });
    expect(ask(w, 'newsletter', '2026-01-01T12:00:00Z').allowed).toBe(false);
  });

  it('withdrawal always wins, even for an instant before it', () => {
    const w = setup();
    w.feed('consent', GRANT, { type: 'ConsentWithdrawn', data: { withdrawnAt: '2026-03-01T00:00:00Z', channel: 'email' } });
    const answer = ask(w, 'newsletter', '2026-02-01T00:00:00Z');
    expect(answer.allowed).toBe(false);
    expect(answer.reason).toContain('withdrawn (email)');
  });

  it('refuses restricted categories (Art. 18(2)), unknown purposes and subjects, erased subjects; allows other bases', () => {
    const w = setup();
    expect(ask(w, 'service', '2026-06-01T00:00:00Z')).toMatchObject({ allowed: true, basis: 'contract', citation: 'GDPR Art. 6(1)(b)' });
    expect(ask(w, 'security', '2026-06-01T00:00:00Z')).toMatchObject({ allowed: true, basis: 'legitimateInterest', citation: 'IS-02' });
    expect(ask(w, 'wellbeing', '2026-06-01T00:00:00Z')).toMatchObject({ allowed: false, reason: 'no consent was given for purpose "wellbeing"' });
    expect(ask(w, 'profiling', '2026-06-01T00:00:00Z')).toEqual({ allowed: false, reason: 'purpose "profiling" is not in the policy' });
    expect(ask(w, 'service', '2026-06-01T00:00:00Z', '5d0f4b8e-2c1a-4e7b-9f3d-8a6c4e2b1d09')).toMatchObject({ allowed: false, reason: 'the subject is unknown' });
    w.feed('subject', SUBJECT, { type: 'ProcessingRestricted', data: { restrictionId: 'r1', ground: 'accuracyContested', scope: ['account'], restrictedAt: '2026-05-01T00:00:00Z' } });
    expect(ask(w, 'service', '2026-06-01T00:00:00Z')).toMatchObject({ allowed: false, citation: 'GDPR Art. 18(2)' });
    expect(ask(w, 'newsletter', '2026-06-01T00:00:00Z').allowed).toBe(true);
    w.feed('subject', SUBJECT, { type: 'SubjectErased', data: { scope: 'all', reason: 'subjectRequest', erasedAt: '2026-07-01T00:00:00Z' } });
    expect(ask(w, 'newsletter', '2026-06-01T00:00:00Z')).toMatchObject({ allowed: false, reason: 'the subject was erased' });
  });

  it('refuses a child below the hard minimum age', () => {
    const w = setup();
    w.feed('subject', SUBJECT, { type: 'ChildBelowMinimumAgeFound', data: { minimumAge: 15, foundAt: '2026-02-01T00:00:00Z', ruleId: 'consent.minimumAge', citation: 'Instaply IN-21' } });
    expect(ask(w, 'service', '2026-06-01T00:00:00Z')).toMatchObject({ allowed: false, citation: 'Instaply IN-21' });
  });
});
