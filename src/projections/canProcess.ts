/**
 * `canProcess`: may the host process a subject's data for a purpose at an instant? Answered from
 * the lifecycle views and the policy, with the reason and the provision behind it.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { LawfulBasis, PolicyDocument } from '../policy/document.js';
import { lifecycleViewsOf } from '../policy/reactions/lifecycle.js';
import { instantFromIso } from '../time/index.js';
import type { Instant } from '../time/types.js';
import { consentStatus, grantsOf } from './consentLedger.js';
import { scopeCovers, subjectOf } from './subjectView.js';

/** The question: this subject, this purpose, at this instant (epoch ms or ISO 8601 with offset). */
export interface CanProcessQuery {
  /** The subject's id. */
  readonly subjectId: string;
  /** A purpose id of the policy. */
  readonly purpose: string;
  /** The instant asked about. */
  readonly at: Instant | string;
}

/** The answer: allowed or not, why, and the provision. */
export interface ProcessingDecision {
  /** True when processing is allowed. */
  readonly allowed: boolean;
  /** Why, in a sentence without personal data. */
  readonly reason: string;
  /** The provision behind the answer. */
  readonly citation?: string;
  /** The purpose's lawful basis, when the purpose is known. */
  readonly basis?: LawfulBasis;
}

const BASIS_CITATIONS: Readonly<Record<LawfulBasis, string>> = {
  consent: 'GDPR Art. 6(1)(a)',
  contract: 'GDPR Art. 6(1)(b)',
  legalObligation: 'GDPR Art. 6(1)(c)',
  vitalInterest: 'GDPR Art. 6(1)(d)',
  publicTask: 'GDPR Art. 6(1)(e)',
  legitimateInterest: 'GDPR Art. 6(1)(f)',
};

/**
 * Returns whether the subject's data may be processed for the purpose at `at`. False when the
 * purpose is not in the policy, the subject is unknown or erased, the subject is below the
 * policy's hard minimum age, processing of one of the purpose's categories is restricted (GDPR
 * Art. 18(2)), or the purpose rests on consent and no active, unexpired, GDPR-valid grant of the
 * subject for it covers `at` (Art. 6(1)(a), 7(3): a withdrawal always wins, whatever `at`). True
 * otherwise, naming the lawful basis. Never throws; an unreadable `at` answers false.
 */
export const canProcess = (
  views: Readonly<Record<string, unknown>>,
  policy: PolicyDocument,
  query: CanProcessQuery,
): ProcessingDecision => {
  const { subjectId, purpose: purposeId } = query;
  const purpose = policy.purposes.find((p) => p.id === purposeId);
  if (purpose === undefined) return { allowed: false, reason: `purpose "${purposeId}" is not in the policy` };
  const basis = purpose.lawfulBasis;
  let at: number;
  if (typeof query.at === 'number') at = query.at;
  else {
    const parsed = instantFromIso(query.at);
    if (E.isLeft(parsed)) return { allowed: false, reason: 'the instant asked about is not an ISO 8601 instant with an offset', basis };
    at = parsed.right;
  }
  if (!Number.isFinite(at)) return { allowed: false, reason: 'the instant asked about is not a finite instant', basis };
  const v = lifecycleViewsOf(views);
  const subject = subjectOf(v.subjects, subjectId);
  if (subject === undefined) return { allowed: false, reason: 'the subject is unknown', basis };
  if (subject.status === 'erased') return { allowed: false, reason: 'the subject was erased', citation: 'GDPR Art. 17(1)', basis };
  if (subject.childBelowMinimumAge !== undefined) {
    const child = subject.childBelowMinimumAge;
    return {
      allowed: false,
      reason: `the subject is below the minimum age of ${child.minimumAge}: the data must be erased`,
      citation: child.citation,
      basis,
    };
  }
  for (const restriction of Object.values(subject.restrictions)) {
    if (!restriction.active || !purpose.categories.some((c) => scopeCovers(restriction.scope, c))) continue;
    return {
      allowed: false,
      reason: `processing is restricted (${restriction.ground}) for categories of purpose "${purposeId}": storage only`,
      citation: 'GDPR Art. 18(2)',
      basis,
    };
  }
  if (basis === 'consent') {
    const status = consentStatus(v.consents, subjectId, purposeId, at);
    if (!status.active) {
      const grants = grantsOf(v.consents, subjectId, purposeId);
      const reason =
        grants.length === 0
          ? `no consent was given for purpose "${purposeId}"`
          : status.withdrawnAt !== undefined && grants.every((g) => g.status !== 'active' || !g.gdprValid)
            ? `consent for purpose "${purposeId}" was withdrawn (${status.withdrawalChannel ?? 'unknown channel'}) at ${status.withdrawnAt}`
            : grants.every((g) => !g.gdprValid)
              ? `the consent for purpose "${purposeId}" is not valid GDPR consent (no clear affirmative act)`
              : `no active consent for purpose "${purposeId}" covers the instant (expired, not yet given, or withdrawn)`;
      return { allowed: false, reason, citation: 'GDPR Art. 6(1)(a), 7(3)', basis };
    }
  }
  return {
    allowed: true,
    reason: `lawful basis: ${basis} (purpose "${purposeId}")`,
    citation: purpose.citation ?? BASIS_CITATIONS[basis],
    basis,
  };
};
