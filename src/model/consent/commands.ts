/**
 * Commands of a consent-grant stream, with codecs for input from the host's API.
 *
 * @module
 */
import * as t from 'io-ts';
import { Identifier, IsoInstant, Uuid } from '../shared.js';
import { ConsentEvidence, ConsentMethod, ParentalAuthorisation } from './events.js';

/**
 * Records a grant of consent. `preTicked` says whether the box was ticked before the subject
 * acted; a pre-ticked grant is refused (GDPR Recital 32; CJEU C-673/17 Planet49). `expiresAt`
 * is computed by the caller from the policy's consent expiry.
 */
export const GrantConsent = t.type(
  {
    type: t.literal('GrantConsent'),
    data: t.intersection([
      t.type({
        grantId: Uuid,
        subjectId: Uuid,
        purpose: Identifier,
        lawfulBasis: t.literal('consent'),
        policyVersion: Identifier,
        method: ConsentMethod,
        preTicked: t.boolean,
        evidence: ConsentEvidence,
        explicit: t.boolean,
        grantedAt: IsoInstant,
      }),
      t.partial({
        parentalAuthorisation: ParentalAuthorisation,
        expiresAt: IsoInstant,
      }),
    ]),
  },
  'GrantConsent',
);
/** Records a grant of consent. */
export type GrantConsent = t.TypeOf<typeof GrantConsent>;

/** Renews an active grant; `expiresAt` is the new expiry computed by the caller. */
export const RenewConsent = t.type(
  {
    type: t.literal('RenewConsent'),
    data: t.intersection([t.type({ grantId: Uuid, renewedAt: IsoInstant }), t.partial({ expiresAt: IsoInstant })]),
  },
  'RenewConsent',
);
/** Renews an active grant. */
export type RenewConsent = t.TypeOf<typeof RenewConsent>;

/** Withdraws consent through any channel; always accepted for a grant that exists. */
export const WithdrawConsent = t.type(
  {
    type: t.literal('WithdrawConsent'),
    data: t.type({ grantId: Uuid, withdrawnAt: IsoInstant, channel: Identifier }),
  },
  'WithdrawConsent',
);
/** Withdraws consent. */
export type WithdrawConsent = t.TypeOf<typeof WithdrawConsent>;

/** Records the grant's expiry, as seen at `at` (the scheduler's tick); refused before `expiresAt`. */
export const ExpireConsent = t.type(
  {
    type: t.literal('ExpireConsent'),
    data: t.type({ grantId: Uuid, at: IsoInstant }),
  },
  'ExpireConsent',
);
/** Records the grant's expiry. */
export type ExpireConsent = t.TypeOf<typeof ExpireConsent>;

/** Every command of a consent-grant stream. */
export const ConsentCommand = t.union([GrantConsent, RenewConsent, WithdrawConsent, ExpireConsent], 'ConsentCommand');
/** Every command of a consent-grant stream. */
export type ConsentCommand = t.TypeOf<typeof ConsentCommand>;
