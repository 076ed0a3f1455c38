/**
 * Events of a consent-grant stream (`lethe.consent-<uuid>`): one grant of consent by one subject
 * for one purpose, renewed, withdrawn or expired. Withdrawal is as easy as granting and always
 * wins (GDPR Art. 7(3)).
 *
 * @module
 */
import * as t from 'io-ts';
import { personal } from '../personal.js';
import { Identifier, IsoInstant, Uuid } from '../shared.js';

/**
 * How consent was expressed: `checkbox`, `signature`, `verbal`, `conduct` (continued use, as in
 * Softpire SP-01, which is not valid GDPR consent), or another identifier the host uses.
 */
export const ConsentMethod = Identifier;
/** How consent was expressed. */
export type ConsentMethod = t.TypeOf<typeof ConsentMethod>;

/**
 * What shows the consent was given (GDPR Art. 7(1)): the IP address and user agent (personal), the
 * versions of the documents shown before consent (Personizely PZ-05), the form.
 */
export const ConsentEvidence = t.partial(
  {
    ip: personal(t.string),
    userAgent: personal(t.string),
    documentVersionsShown: t.array(Identifier),
    formId: Identifier,
  },
  'ConsentEvidence',
);
/** What shows the consent was given. */
export type ConsentEvidence = t.TypeOf<typeof ConsentEvidence>;

/** A parent's authorisation of a child's consent (GDPR Art. 8(1); Instaply IN-22): who (personal) and when. */
export const ParentalAuthorisation = t.type(
  { by: personal(t.string), at: IsoInstant },
  'ParentalAuthorisation',
);
/** A parent's authorisation. */
export type ParentalAuthorisation = t.TypeOf<typeof ParentalAuthorisation>;

/**
 * Consent was given for `purpose`. `gdprValid` is false where the method cannot give GDPR
 * consent (consent by conduct: GDPR Art. 4(11) needs "a statement or a clear affirmative
 * action"); `explicit` marks explicit consent for special-category data (Art. 9(2)(a));
 * `expiresAt` comes from the policy's consent expiry, computed by the caller.
 */
export const ConsentGranted = t.type(
  {
    type: t.literal('ConsentGranted'),
    data: t.intersection([
      t.type({
        grantId: Uuid,
        subjectId: Uuid,
        purpose: Identifier,
        lawfulBasis: t.literal('consent'),
        policyVersion: Identifier,
        method: ConsentMethod,
        gdprValid: t.boolean,
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
  'ConsentGranted',
);
/** Consent was given. */
export type ConsentGranted = t.TypeOf<typeof ConsentGranted>;

/** The subject renewed the grant; `expiresAt` is the new expiry (absent: the grant no longer expires). */
export const ConsentRenewed = t.type(
  {
    type: t.literal('ConsentRenewed'),
    data: t.intersection([t.type({ renewedAt: IsoInstant }), t.partial({ expiresAt: IsoInstant })]),
  },
  'ConsentRenewed',
);
/** The grant was renewed. */
export type ConsentRenewed = t.TypeOf<typeof ConsentRenewed>;

/**
 * The subject withdrew consent, through any channel (`email`, `written`, `ui`, `api`,
 * `subscriptionCancelled`, ...): GDPR Art. 7(3) makes withdrawal as easy as giving consent.
 */
export const ConsentWithdrawn = t.type(
  {
    type: t.literal('ConsentWithdrawn'),
    data: t.type({ withdrawnAt: IsoInstant, channel: Identifier }),
  },
  'ConsentWithdrawn',
);
/** Consent was withdrawn. */
export type ConsentWithdrawn = t.TypeOf<typeof ConsentWithdrawn>;

/** The grant lapsed at `expiredAt` (its expiry instant); `checkedAt` is when the lapse was observed. */
export const ConsentExpired = t.type(
  {
    type: t.literal('ConsentExpired'),
    data: t.type({ expiredAt: IsoInstant, checkedAt: IsoInstant }),
  },
  'ConsentExpired',
);
/** The grant expired. */
export type ConsentExpired = t.TypeOf<typeof ConsentExpired>;

/** Every event of a consent-grant stream. */
export const ConsentEvent = t.union([ConsentGranted, ConsentRenewed, ConsentWithdrawn, ConsentExpired], 'ConsentEvent');
/** Every event of a consent-grant stream. */
export type ConsentEvent = t.TypeOf<typeof ConsentEvent>;
