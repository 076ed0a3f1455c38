/**
 * The reasons a host can record for erasing, for not erasing and for restricting, each with its
 * citation: GDPR Art. 17(1) grounds and 17(3) exceptions, Art. 18(1) restriction grounds and the
 * 18(3) notice before lifting, CCPA 1798.105 deletion exceptions and PIPEDA s. 8(8). The engine
 * honours a recorded exception by keeping the data (shown as exempt), never by dropping the
 * request silently.
 *
 * @module
 */
import * as t from 'io-ts';
import { oneOf } from '../codecs.js';

/** A reason with the text a person reads and the provision it comes from. */
export interface ReasonEntry {
  /** What the reason means, paraphrasing the provision. */
  readonly description: string;
  /** The provision, e.g. `'GDPR Art. 17(3)(e)'`. */
  readonly citation: string;
}

/** GDPR Art. 17(1): the grounds on which personal data must be erased without undue delay. */
export const GdprErasureGround = oneOf('GdprErasureGround', [
  'noLongerNecessary',
  'consentWithdrawn',
  'objected',
  'unlawfullyProcessed',
  'legalObligationToErase',
  'childInformationSociety',
] as const);
/** A GDPR Art. 17(1) erasure ground. */
export type GdprErasureGround = t.TypeOf<typeof GdprErasureGround>;

/** The text and citation of each GDPR Art. 17(1) ground. */
export const gdprErasureGrounds: { readonly [K in GdprErasureGround]: ReasonEntry } = {
  noLongerNecessary: {
    description: 'no longer necessary for the purposes for which it was collected or processed',
    citation: 'GDPR Art. 17(1)(a)',
  },
  consentWithdrawn: {
    description: 'consent withdrawn and no other legal ground for the processing',
    citation: 'GDPR Art. 17(1)(b)',
  },
  objected: {
    description: 'objection under Art. 21(1) with no overriding legitimate grounds, or under Art. 21(2)',
    citation: 'GDPR Art. 17(1)(c)',
  },
  unlawfullyProcessed: { description: 'the data have been unlawfully processed', citation: 'GDPR Art. 17(1)(d)' },
  legalObligationToErase: {
    description: 'erasure is required by a legal obligation under Union or Member State law',
    citation: 'GDPR Art. 17(1)(e)',
  },
  childInformationSociety: {
    description: 'collected in relation to information society services offered to a child (Art. 8(1))',
    citation: 'GDPR Art. 17(1)(f)',
  },
};

/** GDPR Art. 17(3): the exceptions under which erasure does not apply. */
export const GdprErasureException = oneOf('GdprErasureException', [
  'freedomOfExpression',
  'legalObligationOrPublicTask',
  'publicHealth',
  'archivingResearchStatistics',
  'legalClaims',
] as const);
/** A GDPR Art. 17(3) exception. */
export type GdprErasureException = t.TypeOf<typeof GdprErasureException>;

/** The text and citation of each GDPR Art. 17(3) exception. */
export const gdprErasureExceptions: { readonly [K in GdprErasureException]: ReasonEntry } = {
  freedomOfExpression: {
    description: 'exercising the right of freedom of expression and information',
    citation: 'GDPR Art. 17(3)(a)',
  },
  legalObligationOrPublicTask: {
    description:
      'compliance with a legal obligation, or a task carried out in the public interest or in the exercise of official authority',
    citation: 'GDPR Art. 17(3)(b)',
  },
  publicHealth: {
    description: 'reasons of public interest in the area of public health under Art. 9(2)(h) and (i) and 9(3)',
    citation: 'GDPR Art. 17(3)(c)',
  },
  archivingResearchStatistics: {
    description:
      'archiving in the public interest, scientific or historical research or statistics (Art. 89(1)), where erasure would render impossible or seriously impair them',
    citation: 'GDPR Art. 17(3)(d)',
  },
  legalClaims: {
    description: 'the establishment, exercise or defence of legal claims',
    citation: 'GDPR Art. 17(3)(e)',
  },
};

/** GDPR Art. 18(1): the grounds on which processing must be restricted. */
export const GdprRestrictionGround = oneOf('GdprRestrictionGround', [
  'accuracyContested',
  'unlawfulButRestrictionPreferred',
  'neededForLegalClaims',
  'objectionPending',
] as const);
/** A GDPR Art. 18(1) restriction ground. */
export type GdprRestrictionGround = t.TypeOf<typeof GdprRestrictionGround>;

/** The text and citation of each GDPR Art. 18(1) ground. */
export const gdprRestrictionGrounds: { readonly [K in GdprRestrictionGround]: ReasonEntry } = {
  accuracyContested: {
    description: 'the accuracy is contested by the data subject, for the time needed to verify it',
    citation: 'GDPR Art. 18(1)(a)',
  },
  unlawfulButRestrictionPreferred: {
    description: 'the processing is unlawful and the data subject asks for restriction instead of erasure',
    citation: 'GDPR Art. 18(1)(b)',
  },
  neededForLegalClaims: {
    description: 'the controller no longer needs the data but the data subject needs them for legal claims',
    citation: 'GDPR Art. 18(1)(c)',
  },
  objectionPending: {
    description: 'an objection under Art. 21(1) is pending verification of overriding legitimate grounds',
    citation: 'GDPR Art. 18(1)(d)',
  },
};

/**
 * What restricted data may still be used for (GDPR Art. 18(2)), and the duty to tell the data
 * subject before a restriction is lifted (Art. 18(3)), which the engine enforces as an ordering:
 * no `ProcessingUnrestricted` without a prior notice to the subject.
 */
export const gdprRestrictionRules = {
  whileRestricted: {
    description:
      'storage only; otherwise only with consent, for legal claims, to protect the rights of another person, or for important public interest',
    citation: 'GDPR Art. 18(2)',
  },
  noticeBeforeLifting: {
    description: 'the data subject who obtained the restriction is informed before the restriction is lifted',
    citation: 'GDPR Art. 18(3)',
  },
} as const satisfies Record<string, ReasonEntry>;

const CCPA_SECONDARY = '(secondary source only; primary text not found; paragraph numbering not confirmed)';

/** CCPA (Cal. Civ. Code 1798.105) exceptions to deletion. */
export const CcpaDeletionException = oneOf('CcpaDeletionException', [
  'completeTransaction',
  'securityAndFraud',
  'debugging',
  'freeSpeech',
  'calEcpa',
  'publicInterestResearch',
  'internalUsesExpected',
  'legalObligation',
  'compatibleInternalUse',
] as const);
/** A CCPA 1798.105 deletion exception. */
export type CcpaDeletionException = t.TypeOf<typeof CcpaDeletionException>;

/** The text and citation of each CCPA deletion exception (secondary sources only). */
export const ccpaDeletionExceptions: { readonly [K in CcpaDeletionException]: ReasonEntry } = {
  completeTransaction: {
    description:
      'complete the transaction, provide a requested good or service, a warranty or product recall, or perform a contract with the consumer',
    citation: `Cal. Civ. Code 1798.105(d) ${CCPA_SECONDARY}`,
  },
  securityAndFraud: {
    description: 'detect security incidents, protect against malicious, deceptive, fraudulent or illegal activity',
    citation: `Cal. Civ. Code 1798.105(d) ${CCPA_SECONDARY}`,
  },
  debugging: {
    description: 'debug to identify and repair errors that impair intended functionality',
    citation: `Cal. Civ. Code 1798.105(d) ${CCPA_SECONDARY}`,
  },
  freeSpeech: {
    description: 'exercise free speech or ensure another consumer\'s right to exercise free speech',
    citation: `Cal. Civ. Code 1798.105(d) ${CCPA_SECONDARY}`,
  },
  calEcpa: {
    description: 'comply with the California Electronic Communications Privacy Act',
    citation: `Cal. Civ. Code 1798.105(d) ${CCPA_SECONDARY}`,
  },
  publicInterestResearch: {
    description: 'public or peer-reviewed research in the public interest, with the consumer\'s informed consent',
    citation: `Cal. Civ. Code 1798.105(d) ${CCPA_SECONDARY}`,
  },
  internalUsesExpected: {
    description: 'solely internal uses reasonably aligned with the consumer\'s expectations',
    citation: `Cal. Civ. Code 1798.105(d) ${CCPA_SECONDARY}`,
  },
  legalObligation: {
    description: 'comply with a legal obligation',
    citation: `Cal. Civ. Code 1798.105(d) ${CCPA_SECONDARY}`,
  },
  compatibleInternalUse: {
    description: 'otherwise use internally in a lawful manner compatible with the context of collection',
    citation: `Cal. Civ. Code 1798.105(d) ${CCPA_SECONDARY}`,
  },
};

/** PIPEDA: reasons to keep information that would otherwise be destroyed. */
export const PipedaRetentionReason = oneOf('PipedaRetentionReason', ['recoursePending'] as const);
/** A PIPEDA retention reason. */
export type PipedaRetentionReason = t.TypeOf<typeof PipedaRetentionReason>;

/** The text and citation of each PIPEDA retention reason. */
export const pipedaRetentionReasons: { readonly [K in PipedaRetentionReason]: ReasonEntry } = {
  recoursePending: {
    description:
      'information that is the subject of a request is kept as long as necessary to allow the individual to exhaust any recourse',
    citation: 'PIPEDA s. 8(8)',
  },
};

/**
 * A reason recorded for not erasing (or not yet erasing) data: an exception of one rulebook,
 * e.g. `{ rulebook: 'gdpr', reason: 'legalClaims' }` or `{ rulebook: 'pipeda', reason: 'recoursePending' }`.
 */
export const ErasureExemptionReason = t.union(
  [
    t.type({ rulebook: t.keyof({ gdpr: null, 'uk-gdpr': null }), reason: GdprErasureException }),
    t.type({ rulebook: t.literal('ccpa'), reason: CcpaDeletionException }),
    t.type({ rulebook: t.literal('pipeda'), reason: PipedaRetentionReason }),
  ],
  'ErasureExemptionReason',
);
/** A reason for not erasing; see {@link ErasureExemptionReason}. */
export type ErasureExemptionReason = t.TypeOf<typeof ErasureExemptionReason>;

/** Returns the description and citation of a recorded erasure exemption. */
export const describeErasureExemption = (reason: ErasureExemptionReason): ReasonEntry => {
  switch (reason.rulebook) {
    case 'gdpr':
      return gdprErasureExceptions[reason.reason];
    case 'uk-gdpr': {
      const entry = gdprErasureExceptions[reason.reason];
      return { description: entry.description, citation: `UK ${entry.citation}` };
    }
    case 'ccpa':
      return ccpaDeletionExceptions[reason.reason];
    case 'pipeda':
      return pipedaRetentionReasons[reason.reason];
  }
};
