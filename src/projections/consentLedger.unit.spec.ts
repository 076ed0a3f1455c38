import { describe, expect, it } from 'vitest';
import { GRANT, GRANT_2, SUBJECT, lifecyclePolicy, world } from '../api/lifecycle.fixture.js';
import { activeGrant, consentStatus, grantOf, grantsOf, hasParentalAuthorisation } from './consentLedger.js';

const policy = lifecyclePolicy();
const granted = (grantId: string, extra: Record<string, unknown> = {}) => ({
  type: 'ConsentGranted',
  data: {
    grantId,
    subjectId: SUBJECT,
    purpose: 'newsletter',
    lawfulBasis: 'consent',
    policyVersion: '2026.1',
    method: 'checkbox',
    gdprValid: true,
    evidence: { formId: 'signup' },
    explicit: false,
    grantedAt: '2026-01-01T10:00:00Z',
    expiresAt: '2027-01-01T23:59:59.999Z',
    ...extra,
  },
});
const at = (iso: string) => Date.parse(iso);

describe('consent ledger', () => {
  it('a grant is active from its grant instant up to and including its expiry', () => {
    const w = world(policy);
    w.feed('consent', GRANT, granted(GRANT));
    const ledger = w.views().consentLedger;
    expect(activeGrant(ledger, SUBJECT, 'newsletter', at('2026-01-01T09:59:59Z'))).toBeUndefined();
    expect(activeGrant(ledger, SUBJECT, 'newsletter', at('2026-06-01T00:00:00Z'))?.grantId).toBe(GRANT);
    expect(activeGrant(ledger, SUBJECT, 'newsletter', at('2027-01-01T23:59:59.999Z'))?.grantId).toBe(GRANT);
    expect(activeGrant(ledger, SUBJECT, 'newsletter', at('2027-01-02T00:00:00Z'))).toBeUndefined();
    expect(activeGrant(ledger, SUBJECT, 'wellbeing', at('2026-06-01T00:00:00Z'))).toBeUndefined();
  });

  it('withdrawal always wins: the grant is inactive for any instant, and a renewal after it changes nothing', () => {
    const w = world(policy);
    w.feed('consent', GRANT, granted(GRANT));
    w.feed('consent', GRANT, { type: 'ConsentWithdrawn', data: { withdrawnAt: '2026-03-01T00:00:00Z', channel: 'email' } });
    w.feed('consent', GRANT, { type: 'ConsentRenewed', data: { renewedAt: '2026-03-02T00:00:00Z', expiresAt: '2028-01-01T00:00:00Z' } });
    const ledger = w.views().consentLedger;
    expect(activeGrant(ledger, SUBJECT, 'newsletter', at('2026-02-01T00:00:00Z'))).toBeUndefined();
    expect(grantOf(ledger, GRANT)).toMatchObject({ status: 'withdrawn', withdrawnAt: '2026-03-01T00:00:00Z', withdrawalChannel: 'email', expiresAt: '2027-01-01T23:59:59.999Z' });
    expect(consentStatus(ledger, SUBJECT, 'newsletter', at('2026-02-01T00:00:00Z'))).toEqual({
      active: false,
      grantId: GRANT,
      explicit: false,
      gdprValid: true,
      expiresAt: '2027-01-01T23:59:59.999Z',
      withdrawnAt: '2026-03-01T00:00:00Z',
      withdrawalChannel: 'email',
    });
  });

  it('renewal moves the expiry; a recorded expiry ends the grant; consent by conduct never counts', () => {
    const w = world(policy);
    w.feed('consent', GRANT, granted(GRANT));
    w.feed('consent', GRANT, { type: 'ConsentRenewed', data: { renewedAt: '2026-12-01T00:00:00Z', expiresAt: '2027-12-01T23:59:59.999Z' } });
    expect(activeGrant(w.views().consentLedger, SUBJECT, 'newsletter', at('2027-06-01T00:00:00Z'))?.grantId).toBe(GRANT);
    w.feed('consent', GRANT, { type: 'ConsentExpired', data: { expiredAt: '2027-12-01T23:59:59.999Z', checkedAt: '2027-12-02T00:00:00Z' } });
    expect(grantOf(w.views().consentLedger, GRANT)?.status).toBe('expired');
    expect(activeGrant(w.views().consentLedger, SUBJECT, 'newsletter', at('2027-06-01T00:00:00Z'))).toBeUndefined();
    w.feed('consent', GRANT_2, granted(GRANT_2, { method: 'conduct', gdprValid: false }));
    expect(activeGrant(w.views().consentLedger, SUBJECT, 'newsletter', at('2026-06-01T00:00:00Z'))).toBeUndefined();
    expect(grantsOf(w.views().consentLedger, SUBJECT).map((g) => g.grantId)).toEqual([GRANT, GRANT_2]);
  });

  it('finds explicit grants and parental authorisations', () => {
    const w = world(policy);
    w.feed('consent', GRANT, granted(GRANT, { purpose: 'wellbeing', explicit: true, parentalAuthorisation: { by: 'parent-ref', at: '2026-01-01T09:00:00Z' } }));
    const ledger = w.views().consentLedger;
    expect(activeGrant(ledger, SUBJECT, 'wellbeing', at('2026-02-01T00:00:00Z'), { explicit: true })?.grantId).toBe(GRANT);
    expect(hasParentalAuthorisation(ledger, SUBJECT, at('2026-02-01T00:00:00Z'))).toBe(true);
    expect(JSON.stringify(grantOf(ledger, GRANT))).not.toContain('parent-ref');
  });
});
