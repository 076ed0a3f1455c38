/**
 * The consent ledger: every consent grant (active, explicit, valid under the GDPR, expiry,
 * withdrawal with its channel, parental authorisation) and the grants of each subject, so that
 * "is there an active consent of S for purpose P at instant T?" is answered without the log.
 *
 * Withdrawal always wins (GDPR Art. 7(3)): a withdrawn grant is never active again, whatever the
 * instant asked about; only a new grant restores consent. A grant past its `expiresAt` is not
 * active at later instants even before the scheduler records the expiry.
 *
 * @module
 */
import type { LetheEvent } from '../engine/commandHandler.js';
import type { Projection } from '../engine/processor.js';
import type { ConsentEvent } from '../model/consent/events.js';
import { type PersistentMap, pmEmpty, pmGet, pmSet } from './persistentMap.js';
import { entityIdOf } from './subjectView.js';

/** One consent grant as the ledger keeps it (no personal evidence: the log has it). */
export interface GrantRecord {
  /** The grant's id. */
  readonly grantId: string;
  /** Whose consent. */
  readonly subjectId: string;
  /** For which purpose. */
  readonly purpose: string;
  /** How it was expressed. */
  readonly method: string;
  /** Explicit consent (GDPR Art. 9(2)(a)). */
  readonly explicit: boolean;
  /** False for methods that cannot give GDPR consent (consent by conduct, Art. 4(11)). */
  readonly gdprValid: boolean;
  /** The policy version shown when consent was given. */
  readonly policyVersion: string;
  /** When consent was given. */
  readonly grantedAt: string;
  /** When it lapses unless renewed. */
  readonly expiresAt?: string;
  /** The latest renewal. */
  readonly renewedAt?: string;
  /** When a parent authorised it (GDPR Art. 8(1)); the parent's identity stays in the log. */
  readonly parentalAuthorisedAt?: string;
  /** Where the grant stands as recorded. */
  readonly status: 'active' | 'withdrawn' | 'expired';
  /** When it was withdrawn. */
  readonly withdrawnAt?: string;
  /** Through which channel (`email`, `ui`, `subscriptionCancelled`, ...). */
  readonly withdrawalChannel?: string;
  /** When it expired (its expiry instant). */
  readonly expiredAt?: string;
}

/** The ledger's state. */
export interface ConsentLedger {
  /** Grants by grant id. */
  readonly grants: PersistentMap<GrantRecord>;
  /** Grant ids by subject id, in grant order. */
  readonly bySubject: PersistentMap<readonly string[]>;
}

/** The consent of a subject for a purpose at an instant, as {@link consentStatus} reports it. */
export interface ConsentStatus {
  /** True when an active, unexpired, GDPR-valid grant covers the instant. */
  readonly active: boolean;
  /** The grant that makes it active (or the latest grant when none does). */
  readonly grantId?: string;
  /** Whether that grant is explicit. */
  readonly explicit: boolean;
  /** Whether that grant is valid GDPR consent. */
  readonly gdprValid: boolean;
  /** Its expiry. */
  readonly expiresAt?: string;
  /** The latest withdrawal of a grant for the purpose. */
  readonly withdrawnAt?: string;
  /** Its channel. */
  readonly withdrawalChannel?: string;
  /** When a parent authorised it. */
  readonly parentalAuthorisedAt?: string;
}

/** Returns the empty ledger. */
export const initConsentLedger = (): ConsentLedger => ({ grants: pmEmpty(), bySubject: pmEmpty() });

/** Returns the grant, or undefined. */
export const grantOf = (ledger: ConsentLedger | undefined, grantId: string): GrantRecord | undefined =>
  ledger === undefined ? undefined : pmGet(ledger.grants, grantId);

/** Returns the subject's grants (for one purpose when given), in grant order. */
export const grantsOf = (ledger: ConsentLedger | undefined, subjectId: string, purpose?: string): readonly GrantRecord[] => {
  if (ledger === undefined) return [];
  const out: GrantRecord[] = [];
  for (const id of pmGet(ledger.bySubject, subjectId) ?? []) {
    const grant = pmGet(ledger.grants, id);
    if (grant !== undefined && (purpose === undefined || grant.purpose === purpose)) out.push(grant);
  }
  return out;
};

/**
 * True when the grant is consent at `at` (epoch ms): recorded active (never withdrawn: withdrawal
 * always wins, GDPR Art. 7(3)), given at or before `at`, and not past its expiry.
 */
export const isGrantActiveAt = (grant: GrantRecord, at: number): boolean =>
  grant.status === 'active' &&
  Date.parse(grant.grantedAt) <= at &&
  (grant.expiresAt === undefined || at <= Date.parse(grant.expiresAt));

/**
 * Returns an active, GDPR-valid grant of the subject for the purpose at `at` (explicit only, when
 * `explicit` is true), or undefined (GDPR Art. 6(1)(a), 7(3), 9(2)(a)).
 */
export const activeGrant = (
  ledger: ConsentLedger | undefined,
  subjectId: string,
  purpose: string,
  at: number,
  options: { readonly explicit?: boolean } = {},
): GrantRecord | undefined =>
  grantsOf(ledger, subjectId, purpose).find(
    (g) => g.gdprValid && isGrantActiveAt(g, at) && (options.explicit !== true || g.explicit),
  );

/** True when an active grant of the subject carries a parent's authorisation at `at` (GDPR Art. 8(1)). */
export const hasParentalAuthorisation = (ledger: ConsentLedger | undefined, subjectId: string, at: number): boolean =>
  grantsOf(ledger, subjectId).some(
    (g) => g.parentalAuthorisedAt !== undefined && Date.parse(g.parentalAuthorisedAt) <= at && isGrantActiveAt(g, at),
  );

/** Returns the consent of the subject for the purpose at `at`: active?, explicit?, expiry, the latest withdrawal. */
export const consentStatus = (ledger: ConsentLedger | undefined, subjectId: string, purpose: string, at: number): ConsentStatus => {
  const grants = grantsOf(ledger, subjectId, purpose);
  const active = grants.find((g) => g.gdprValid && isGrantActiveAt(g, at));
  const shown = active ?? grants[grants.length - 1];
  const withdrawn = [...grants].reverse().find((g) => g.withdrawnAt !== undefined);
  return {
    active: active !== undefined,
    ...(shown === undefined ? {} : { grantId: shown.grantId }),
    explicit: shown?.explicit ?? false,
    gdprValid: shown?.gdprValid ?? false,
    ...(shown?.expiresAt === undefined ? {} : { expiresAt: shown.expiresAt }),
    ...(withdrawn?.withdrawnAt === undefined ? {} : { withdrawnAt: withdrawn.withdrawnAt }),
    ...(withdrawn?.withdrawalChannel === undefined ? {} : { withdrawalChannel: withdrawn.withdrawalChannel }),
    ...(shown?.parentalAuthorisedAt === undefined ? {} : { parentalAuthorisedAt: shown.parentalAuthorisedAt }),
  };
};

/** Returns the ledger after one more event of the feed; events of other kinds leave it unchanged. */
export const applyConsentEvent = (ledger: ConsentLedger, event: LetheEvent): ConsentLedger => {
  if (event.kind !== 'consent') return ledger;
  const grantId = entityIdOf(event.streamName, 'consent');
  if (grantId === undefined) return ledger;
  const e = event.event as ConsentEvent;
  const before = pmGet(ledger.grants, grantId);
  if (e.type === 'ConsentGranted') {
    if (before !== undefined) return ledger;
    const d = e.data;
    const grant: GrantRecord = {
      grantId,
      subjectId: d.subjectId,
      purpose: d.purpose,
      method: d.method,
      explicit: d.explicit,
      gdprValid: d.gdprValid,
      policyVersion: d.policyVersion,
      grantedAt: d.grantedAt,
      ...(d.expiresAt === undefined ? {} : { expiresAt: d.expiresAt }),
      ...(d.parentalAuthorisation === undefined ? {} : { parentalAuthorisedAt: d.parentalAuthorisation.at }),
      status: 'active',
    };
    return {
      grants: pmSet(ledger.grants, grantId, grant),
      bySubject: pmSet(ledger.bySubject, d.subjectId, [...(pmGet(ledger.bySubject, d.subjectId) ?? []), grantId]),
    };
  }
  if (before === undefined) return ledger;
  let next: GrantRecord;
  switch (e.type) {
    case 'ConsentRenewed': {
      if (before.status !== 'active') return ledger;
      const { expiresAt: _previous, ...rest } = before;
      next = { ...rest, renewedAt: e.data.renewedAt, ...(e.data.expiresAt === undefined ? {} : { expiresAt: e.data.expiresAt }) };
      break;
    }
    case 'ConsentWithdrawn':
      next = { ...before, status: 'withdrawn', withdrawnAt: e.data.withdrawnAt, withdrawalChannel: e.data.channel };
      break;
    case 'ConsentExpired':
      if (before.status === 'withdrawn') return ledger;
      next = { ...before, status: 'expired', expiredAt: e.data.expiredAt };
      break;
  }
  return { ...ledger, grants: pmSet(ledger.grants, grantId, next) };
};

/** The consent ledger projection (register it as `consentLedger`). */
export const consentLedgerProjection: Projection<ConsentLedger, LetheEvent> = {
  init: initConsentLedger,
  apply: applyConsentEvent,
};
