import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../../testing/deciderSpec.js';
import { personalPaths } from '../personal.js';
import * as Commands from './commands.js';
import { ConsentCommand } from './commands.js';
import { consentDecider } from './decider.js';
import type { ConsentState } from './decider.js';
import { ConsentEvent, ConsentGranted } from './events.js';
import { consentStreamName } from './index.js';

const decodeWith =
  <A>(codec: t.Decoder<unknown, A>) =>
  (input: unknown): A => {
    const result = codec.decode(input);
    if (E.isLeft(result)) throw new Error(PathReporter.report(result).join('\n'));
    return result.right;
  };
const cmd = decodeWith(ConsentCommand);
const ev = decodeWith(ConsentEvent);
const spec = deciderSpec(consentDecider);

const grantId = '7d4f1c2a-9b8e-4f3d-a2c1-0e9f8d7c6b5a';
const subjectId = '0b7c5a52-3f7e-4d8e-9a4c-1f2e3d4c5b6a';
const grantFields = {
  grantId,
  subjectId,
  purpose: 'newsletter',
  lawfulBasis: 'consent',
  policyVersion: 'v3',
  method: 'checkbox',
  evidence: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0', documentVersionsShown: ['privacy-v3', 'dpa-v2'] },
  explicit: false,
  grantedAt: '2026-01-01T10:00:00Z',
  expiresAt: '2027-01-01T10:00:00Z',
};
const grant = (overrides: Record<string, unknown> = {}) =>
  cmd({ type: 'GrantConsent', data: { ...grantFields, preTicked: false, ...overrides } });
const granted = (overrides: Record<string, unknown> = {}) =>
  decodeWith(ConsentGranted)({ type: 'ConsentGranted', data: { ...grantFields, gdprValid: true, ...overrides } });
const withdraw = (channel = 'email', withdrawnAt = '2026-06-01T00:00:00Z') =>
  cmd({ type: 'WithdrawConsent', data: { grantId, withdrawnAt, channel } });
const withdrawn = ev({ type: 'ConsentWithdrawn', data: { withdrawnAt: '2026-06-01T00:00:00Z', channel: 'email' } });
const expire = (at: string) => cmd({ type: 'ExpireConsent', data: { grantId, at } });
const expired = ev({ type: 'ConsentExpired', data: { expiredAt: '2027-01-01T10:00:00Z', checkedAt: '2027-01-01T10:00:00Z' } });
const renew = (renewedAt: string, expiresAt?: string) =>
  cmd({ type: 'RenewConsent', data: expiresAt === undefined ? { grantId, renewedAt } : { grantId, renewedAt, expiresAt } });

describe('consent decider', () => {
  describe('grant', () => {
    it('given no grant, when consent is given by checkbox, then ConsentGranted, valid under GDPR', () => {
      spec.given([]).when(grant()).then([granted()]);
    });
    it('given no grant, when consent is given with a parental authorisation, then it is recorded', () => {
      const parentalAuthorisation = { by: 'Parent Name', at: '2026-01-01T09:00:00Z' };
      spec.given([]).when(grant({ parentalAuthorisation })).then([granted({ parentalAuthorisation })]);
    });
    it('given no grant, when the box was pre-ticked, then PreTickedConsent (Planet49)', () => {
      spec
        .given([])
        .when(grant({ preTicked: true }))
        .thenRejects({ _tag: 'PreTickedConsent', citation: 'GDPR Art. 4(11), Recital 32; CJEU C-673/17 Planet49' });
    });
    it('given no grant, when consent is by conduct (Softpire SP-01), then it is recorded as not valid GDPR consent', () => {
      spec.given([]).when(grant({ method: 'conduct' })).then([granted({ method: 'conduct', gdprValid: false })]);
    });
    it('given no grant, when explicit consent is claimed by conduct, then ExplicitConsentByConduct', () => {
      spec.given([]).when(grant({ method: 'conduct', explicit: true })).thenRejects((r) => r._tag === 'ExplicitConsentByConduct');
    });
    it('given no grant, when the expiry is not after the grant, then ExpiryNotAfterStart', () => {
      spec.given([]).when(grant({ expiresAt: '2026-01-01T11:00:00+01:00' })).thenRejects({ _tag: 'ExpiryNotAfterStart' });
    });
    it('given a grant, when the same grant arrives again, then nothing happens; a different one is ConsentAlreadyGranted', () => {
      spec.given([granted()]).when(grant()).thenNothingHappens();
      spec.given([granted()]).when(grant({ purpose: 'profiling' })).thenRejects({ _tag: 'ConsentAlreadyGranted' });
      spec.given([granted(), withdrawn]).when(grant({ grantedAt: '2026-07-01T00:00:00Z' })).thenRejects({ _tag: 'ConsentAlreadyGranted' });
    });
  });

  describe('renewal', () => {
    it('given an active grant, when it is renewed, then ConsentRenewed with the new expiry', () => {
      spec
        .given([granted()])
        .when(renew('2026-12-01T00:00:00Z', '2027-12-01T00:00:00Z'))
        .then([ev({ type: 'ConsentRenewed', data: { renewedAt: '2026-12-01T00:00:00Z', expiresAt: '2027-12-01T00:00:00Z' } })]);
    });
    it('given a renewal, when the same renewal arrives again, then nothing happens', () => {
      const renewed = ev({ type: 'ConsentRenewed', data: { renewedAt: '2026-12-01T00:00:00Z', expiresAt: '2027-12-01T00:00:00Z' } });
      spec.given([granted(), renewed]).when(renew('2026-12-01T00:00:00Z', '2027-12-01T00:00:00Z')).thenNothingHappens();
    });
    it('given no grant, when renewed, then ConsentNotFound', () => {
      spec.given([]).when(renew('2026-12-01T00:00:00Z')).thenRejects({ _tag: 'ConsentNotFound' });
    });
    it('given a withdrawn grant, when renewed, then ConsentAlreadyWithdrawn: a new grant is needed', () => {
      spec.given([granted(), withdrawn]).when(renew('2026-12-01T00:00:00Z')).thenRejects((r) => r._tag === 'ConsentAlreadyWithdrawn');
    });
    it('given an expired grant, or one past its expiry, when renewed, then ConsentLapsed', () => {
      spec.given([granted(), expired]).when(renew('2027-02-01T00:00:00Z')).thenRejects({ _tag: 'ConsentLapsed' });
      spec.given([granted()]).when(renew('2027-01-01T10:00:00Z')).thenRejects({ _tag: 'ConsentLapsed' });
    });
    it('given an active grant, when the new expiry is before the renewal, then ExpiryNotAfterStart', () => {
      spec.given([granted()]).when(renew('2026-12-01T00:00:00Z', '2026-11-01T00:00:00Z')).thenRejects({ _tag: 'ExpiryNotAfterStart' });
    });
  });

  describe('withdrawal (GDPR Art. 7(3))', () => {
    it.each(['email', 'written', 'ui', 'api', 'subscriptionCancelled', 'phone'])(
      'given an active grant, when withdrawn through %s, then ConsentWithdrawn',
      (channel) => {
        spec
          .given([granted()])
          .when(withdraw(channel))
          .then([ev({ type: 'ConsentWithdrawn', data: { withdrawnAt: '2026-06-01T00:00:00Z', channel } })]);
      },
    );
    it('given a withdrawn grant, when withdrawn again, then nothing happens (no error)', () => {
      spec.given([granted(), withdrawn]).when(withdraw('written')).thenNothingHappens();
    });
    it('given an expired grant, when withdrawn, then nothing happens (no error)', () => {
      spec.given([granted(), expired]).when(withdraw()).thenNothingHappens();
    });
    it('given a grant past its expiry not yet recorded, when withdrawn, then ConsentWithdrawn', () => {
      spec.given([granted()]).when(withdraw('email', '2027-06-01T00:00:00Z')).then([
        ev({ type: 'ConsentWithdrawn', data: { withdrawnAt: '2027-06-01T00:00:00Z', channel: 'email' } }),
      ]);
    });
    it('given no grant, when withdrawn, then ConsentNotFound', () => {
      spec.given([]).when(withdraw()).thenRejects({ _tag: 'ConsentNotFound' });
    });
    it('given a withdrawal, then the state is inactive', () => {
      spec.given([granted()]).when(withdraw()).thenState({
        status: 'withdrawn',
        active: false,
        grant: granted().data,
        expiresAt: '2027-01-01T10:00:00Z',
        withdrawnAt: '2026-06-01T00:00:00Z',
        withdrawalChannel: 'email',
      } as ConsentState);
    });
  });

  describe('expiry', () => {
    it('given a grant, when checked at its expiry instant (another offset), then ConsentExpired', () => {
      spec
        .given([granted()])
        .when(expire('2027-01-01T11:00:00+01:00'))
        .then([ev({ type: 'ConsentExpired', data: { expiredAt: '2027-01-01T10:00:00Z', checkedAt: '2027-01-01T11:00:00+01:00' } })]);
    });
    it('given a grant, when checked one second before its expiry, then ConsentNotYetExpired', () => {
      spec
        .given([granted()])
        .when(expire('2027-01-01T10:59:59+01:00'))
        .thenRejects({ _tag: 'ConsentNotYetExpired', expiresAt: '2027-01-01T10:00:00Z' });
    });
    it('given a renewed grant, when checked at the old expiry, then ConsentNotYetExpired', () => {
      const renewed = ev({ type: 'ConsentRenewed', data: { renewedAt: '2026-12-01T00:00:00Z', expiresAt: '2027-12-01T00:00:00Z' } });
      spec.given([granted(), renewed]).when(expire('2027-01-02T00:00:00Z')).thenRejects((r) => r._tag === 'ConsentNotYetExpired');
    });
    it('given a grant without expiry, when expired, then ConsentWithoutExpiry', () => {
      const { expiresAt: _e, ...noExpiry } = granted().data;
      spec.given([ev({ type: 'ConsentGranted', data: noExpiry })]).when(expire('2030-01-01T00:00:00Z')).thenRejects({ _tag: 'ConsentWithoutExpiry' });
    });
    it('given an expired or withdrawn grant, when expired again, then nothing happens; no grant is ConsentNotFound', () => {
      spec.given([granted(), expired]).when(expire('2027-02-01T00:00:00Z')).thenNothingHappens();
      spec.given([granted(), withdrawn]).when(expire('2027-02-01T00:00:00Z')).thenNothingHappens();
      spec.given([]).when(expire('2027-02-01T00:00:00Z')).thenRejects({ _tag: 'ConsentNotFound' });
    });
  });

  describe('withdrawal always wins (property)', () => {
    const base = Date.parse('2026-01-01T00:00:00Z');
    const instant = fc.integer({ min: 0, max: 24 * 800 }).map((h) => new Date(base + h * 3_600_000).toISOString());
    const command = fc.oneof(
      fc.record({ at: instant, expiry: fc.option(instant, { nil: undefined }), method: fc.constantFrom('checkbox', 'conduct', 'verbal') }).map(
        ({ at, expiry, method }) => grant({ grantedAt: at, expiresAt: expiry, method }),
      ),
      fc.record({ at: instant, expiry: fc.option(instant, { nil: undefined }) }).map(({ at, expiry }) => renew(at, expiry)),
      fc.record({ at: instant, channel: fc.constantFrom('email', 'written', 'ui', 'api', 'subscriptionCancelled') }).map(({ at, channel }) =>
        withdraw(channel, at),
      ),
      instant.map((at) => expire(at)),
    );

    it('for any sequence of grant/renew/withdraw/expire commands, once a withdrawal is accepted the grant stays inactive', () => {
      fc.assert(
        fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
          let state = consentDecider.initialState();
          let withdrawnOnce = false;
          for (const c of commands) {
            const result = consentDecider.decide(c, state);
            // Art. 7(3): a withdrawal of a grant that exists is never refused.
            if (c.type === 'WithdrawConsent' && state.status !== 'none') expect(E.isRight(result)).toBe(true);
            if (E.isRight(result)) {
              for (const event of result.right) {
                expect(E.isRight(ConsentEvent.decode(event))).toBe(true);
                if (event.type === 'ConsentWithdrawn') withdrawnOnce = true;
                state = consentDecider.evolve(state, event);
              }
            }
            if (withdrawnOnce) {
              expect(state.active).toBe(false);
              expect(state.status).toBe('withdrawn');
            }
          }
        }),
        { numRuns: 500 },
      );
    });

    it('for any sequence of events that contains a withdrawal, evolve leaves the grant inactive', () => {
      const event = fc.oneof(
        fc.constant(granted()),
        instant.map((at) => ev({ type: 'ConsentRenewed', data: { renewedAt: at, expiresAt: at } })),
        fc.constant(withdrawn),
        fc.constant(expired),
      );
      fc.assert(
        fc.property(fc.array(event), fc.array(event), (before, after) => {
          const state = [...before, withdrawn, ...after].reduce(consentDecider.evolve, consentDecider.initialState());
          expect(state.active).toBe(false);
          expect(state.status).toBe('withdrawn');
        }),
      );
    });
  });

  describe('codecs', () => {
    it('reports the path of a bad field in a command', () => {
      const result = ConsentCommand.decode({ type: 'WithdrawConsent', data: { grantId, withdrawnAt: 'yesterday', channel: 'email' } });
      expect(PathReporter.report(result).some((line) => line.includes('withdrawnAt'))).toBe(true);
    });
    it('routes a command to lethe.consent-<grantId>', () => {
      expect(consentStreamName(withdraw())).toBe(`lethe.consent-${grantId}`);
    });
    it('marks exactly these fields as personal, per event', () => {
      expect(Object.fromEntries(ConsentEvent.types.map((codec) => [codec.name, personalPaths(codec)]))).toEqual({
        ConsentGranted: ['data.evidence.ip', 'data.evidence.userAgent', 'data.parentalAuthorisation.by'],
        ConsentRenewed: [],
        ConsentWithdrawn: [],
        ConsentExpired: [],
      });
      expect(personalPaths(Commands.GrantConsent)).toEqual(['data.evidence.ip', 'data.evidence.userAgent', 'data.parentalAuthorisation.by']);
    });
  });
});
