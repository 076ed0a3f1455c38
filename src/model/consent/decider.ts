/**
 * The decider of a consent-grant stream: pure `initialState`, `decide` and `evolve`.
 *
 * Withdrawal always wins (GDPR Art. 7(3)): it is accepted from any channel, repeated or late
 * withdrawals are no-ops rather than errors, and once withdrawn the grant stays inactive whatever
 * comes after. The only refusal of a withdrawal is for a grant that does not exist.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import type { IsoInstant } from '../shared.js';
import type { ConsentCommand } from './commands.js';
import type { ConsentEvent, ConsentGranted } from './events.js';

/** The state of a consent grant, folded from its events. */
export interface ConsentState {
  readonly status: 'none' | 'active' | 'withdrawn' | 'expired';
  /**
   * True while the grant is neither withdrawn nor recorded as expired. It does not look at a clock:
   * a grant past `expiresAt` whose expiry the scheduler has not recorded yet is still `active`
   * here; projections compare `expiresAt` with their own `now`.
   */
  readonly active: boolean;
  readonly grant?: ConsentGranted['data'];
  readonly expiresAt?: IsoInstant;
  readonly renewedAt?: IsoInstant;
  readonly withdrawnAt?: IsoInstant;
  readonly withdrawalChannel?: string;
  readonly expiredAt?: IsoInstant;
}

/** No grant exists in this stream: nothing to renew, withdraw or expire. */
export interface ConsentNotFound {
  readonly _tag: 'ConsentNotFound';
}
/** A different grant was recorded in this stream already; a new grant needs a new grant id. */
export interface ConsentAlreadyGranted {
  readonly _tag: 'ConsentAlreadyGranted';
}
/** A pre-ticked box is not consent. */
export interface PreTickedConsent {
  readonly _tag: 'PreTickedConsent';
  readonly citation: string;
}
/** Explicit consent (for special-category data) needs an express statement, not conduct. */
export interface ExplicitConsentByConduct {
  readonly _tag: 'ExplicitConsentByConduct';
  readonly citation: string;
}
/** The expiry given is not after the grant or renewal it belongs to. */
export interface ExpiryNotAfterStart {
  readonly _tag: 'ExpiryNotAfterStart';
}
/** The grant was withdrawn: it cannot be renewed; a new grant is needed. */
export interface ConsentAlreadyWithdrawn {
  readonly _tag: 'ConsentAlreadyWithdrawn';
  readonly citation: string;
}
/** The grant has lapsed (expired, or past its expiry at the renewal instant): a new grant is needed. */
export interface ConsentLapsed {
  readonly _tag: 'ConsentLapsed';
}
/** The grant has no expiry, so it cannot expire. */
export interface ConsentWithoutExpiry {
  readonly _tag: 'ConsentWithoutExpiry';
}
/** The grant's expiry instant is still ahead of `at`. */
export interface ConsentNotYetExpired {
  readonly _tag: 'ConsentNotYetExpired';
  readonly expiresAt: string;
}

/** Why the consent decider refused a command. */
export type ConsentRejection =
  | ConsentNotFound
  | ConsentAlreadyGranted
  | PreTickedConsent
  | ExplicitConsentByConduct
  | ExpiryNotAfterStart
  | ConsentAlreadyWithdrawn
  | ConsentLapsed
  | ConsentWithoutExpiry
  | ConsentNotYetExpired;

const PRE_TICKED_CITATION = 'GDPR Art. 4(11), Recital 32; CJEU C-673/17 Planet49';
const EXPLICIT_CITATION = 'GDPR Art. 9(2)(a); EDPB Guidelines 05/2020 on consent, paras 91-94';
const WITHDRAWN_CITATION = 'GDPR Art. 7(3): withdrawal ends the consent; only a new grant restores it';
// Consent by conduct ("continued use counts as consent", Softpire SP-01) is no "statement or clear
// affirmative action" under GDPR Art. 4(11); it is recorded, but never as valid GDPR consent.
const NOT_GDPR_METHODS: readonly string[] = ['conduct'];

/** Returns the state of a consent stream with no events. */
export const initialState = (): ConsentState => ({ status: 'none', active: false });

const ok = (events: readonly ConsentEvent[]): Either<ConsentRejection, readonly ConsentEvent[]> => E.right(events);
const noop = (): Either<ConsentRejection, readonly ConsentEvent[]> => E.right([]);
const reject = (rejection: ConsentRejection): Either<ConsentRejection, readonly ConsentEvent[]> => E.left(rejection);

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
};
const sameData = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

// Positive when `a` is later than `b`; instants may carry different offsets, so never compare strings.
const diff = (a: string, b: string): number => Date.parse(a) - Date.parse(b);

/**
 * Returns the events `command` produces in `state`, an empty list for a no-op (a repeated grant,
 * a withdrawal or expiry of a grant that is already inactive), or the rule that forbids it.
 */
export const decide = (command: ConsentCommand, state: ConsentState): Either<ConsentRejection, readonly ConsentEvent[]> => {
  switch (command.type) {
    case 'GrantConsent': {
      const { preTicked, ...grant } = command.data;
      const data: ConsentGranted['data'] = { ...grant, gdprValid: !NOT_GDPR_METHODS.includes(grant.method) };
      if (state.grant !== undefined) {
        return sameData(data, state.grant) && !preTicked ? noop() : reject({ _tag: 'ConsentAlreadyGranted' });
      }
      if (preTicked) return reject({ _tag: 'PreTickedConsent', citation: PRE_TICKED_CITATION });
      if (grant.explicit && !data.gdprValid) return reject({ _tag: 'ExplicitConsentByConduct', citation: EXPLICIT_CITATION });
      if (grant.expiresAt !== undefined && diff(grant.expiresAt, grant.grantedAt) <= 0) return reject({ _tag: 'ExpiryNotAfterStart' });
      return ok([{ type: 'ConsentGranted', data }]);
    }
    case 'RenewConsent': {
      const { renewedAt, expiresAt } = command.data;
      if (state.status === 'none') return reject({ _tag: 'ConsentNotFound' });
      if (state.status === 'withdrawn') return reject({ _tag: 'ConsentAlreadyWithdrawn', citation: WITHDRAWN_CITATION });
      if (state.status === 'expired') return reject({ _tag: 'ConsentLapsed' });
      if (state.expiresAt !== undefined && diff(renewedAt, state.expiresAt) >= 0) return reject({ _tag: 'ConsentLapsed' });
      if (expiresAt !== undefined && diff(expiresAt, renewedAt) <= 0) return reject({ _tag: 'ExpiryNotAfterStart' });
      if (state.renewedAt === renewedAt && state.expiresAt === expiresAt) return noop();
      return ok([{ type: 'ConsentRenewed', data: expiresAt === undefined ? { renewedAt } : { renewedAt, expiresAt } }]);
    }
    case 'WithdrawConsent': {
      const { withdrawnAt, channel } = command.data;
      if (state.status === 'none') return reject({ _tag: 'ConsentNotFound' });
      // GDPR Art. 7(3): never an error for a grant that exists; withdrawing what is already
      // inactive changes nothing.
      if (state.status !== 'active') return noop();
      return ok([{ type: 'ConsentWithdrawn', data: { withdrawnAt, channel } }]);
    }
    case 'ExpireConsent': {
      const { at } = command.data;
      if (state.status === 'none') return reject({ _tag: 'ConsentNotFound' });
      if (state.status !== 'active') return noop();
      if (state.expiresAt === undefined) return reject({ _tag: 'ConsentWithoutExpiry' });
      if (diff(at, state.expiresAt) < 0) return reject({ _tag: 'ConsentNotYetExpired', expiresAt: state.expiresAt });
      return ok([{ type: 'ConsentExpired', data: { expiredAt: state.expiresAt, checkedAt: at } }]);
    }
  }
};

/** Returns the state after `event`; once withdrawn, no later event makes the grant active again. */
export const evolve = (state: ConsentState, event: ConsentEvent): ConsentState => {
  const withdrawn = state.status === 'withdrawn';
  switch (event.type) {
    case 'ConsentGranted': {
      const { expiresAt } = event.data;
      if (state.status !== 'none') return state;
      return { status: 'active', active: true, grant: event.data, ...(expiresAt === undefined ? {} : { expiresAt }) };
    }
    case 'ConsentRenewed': {
      if (withdrawn || state.status === 'none') return state;
      const { expiresAt: _previous, ...rest } = state;
      return {
        ...rest,
        renewedAt: event.data.renewedAt,
        ...(event.data.expiresAt === undefined ? {} : { expiresAt: event.data.expiresAt }),
      };
    }
    case 'ConsentWithdrawn':
      return {
        ...state,
        status: 'withdrawn',
        active: false,
        withdrawnAt: event.data.withdrawnAt,
        withdrawalChannel: event.data.channel,
      };
    case 'ConsentExpired':
      return withdrawn ? state : { ...state, status: 'expired', active: false, expiredAt: event.data.expiredAt };
  }
};

/** The consent-grant stream's decider: `{ initialState, decide, evolve }`, all pure. */
export const consentDecider = { initialState, decide, evolve };
