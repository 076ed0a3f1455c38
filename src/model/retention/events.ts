/**
 * Events of a retention-clock stream, one per (subject, category):
 * `lethe.retention-<retentionClockId(subjectId, category)>`. The clock is started by the rule's
 * trigger, reset by the activity kinds the rule names (where its basis is last activity),
 * expires at its due time, and then carries the erasure through request, approval where named
 * roles must approve, confirmation per system and processor, completion and closing.
 *
 * @module
 */
import * as t from 'io-ts';
import { DeadlineRecord } from '../deadline.js';
import { personal } from '../personal.js';
import { Identifier, IsoInstant, Uuid } from '../shared.js';

/**
 * What starts the clock: collection, last activity (reset by the named activity kinds; Convertful
 * CF-22), contract end, subscription cancellation (Personizely PZ-13), consent withdrawal, or the
 * purpose being fulfilled (InfluencerSoft IS-09).
 */
export const RetentionBasis = t.keyof(
  {
    collection: null,
    lastActivity: null,
    contractEnd: null,
    subscriptionCancelled: null,
    consentWithdrawal: null,
    purposeFulfilled: null,
  },
  'RetentionBasis',
);
/** What starts the clock. */
export type RetentionBasis = t.TypeOf<typeof RetentionBasis>;

/**
 * What happens at expiry: erase, anonymise (GDPR Recital 26: anonymous data is out of scope; the
 * host's erasure handler anonymises instead, and confirmations mean "anonymised"), or review.
 */
export const ExpiryAction = t.keyof({ erase: null, anonymise: null, review: null }, 'ExpiryAction');
/** What happens at expiry. */
export type ExpiryAction = t.TypeOf<typeof ExpiryAction>;

/**
 * Roles whose approval an erasure needs (Personizely PZ-17: CEO and DPO) and whether `all` of
 * them must approve or `any` one suffices (the seed is ambiguous; the policy chooses).
 */
export const ApprovalsRequired = t.type(
  { roles: t.array(Identifier), mode: t.keyof({ all: null, any: null }) },
  'ApprovalsRequired',
);
/** Roles whose approval an erasure needs. */
export type ApprovalsRequired = t.TypeOf<typeof ApprovalsRequired>;

/** Why erasure was requested. */
export const ErasureReason = t.keyof(
  {
    retentionExpired: null,
    subjectRequest: null,
    consentWithdrawn: null,
    contractEnded: null,
    childBelowMinimumAge: null,
    purposeFulfilled: null,
  },
  'ErasureReason',
);
/** Why erasure was requested. */
export type ErasureReason = t.TypeOf<typeof ErasureReason>;

/** Where an erasure was carried out: one of our systems, or one processor (sub-processor). */
export const ErasureTarget = t.union([t.type({ system: Identifier }), t.type({ processor: Identifier })], 'ErasureTarget');
/** Where an erasure was carried out. */
export type ErasureTarget = t.TypeOf<typeof ErasureTarget>;

/**
 * The clock started at `startedAt` with `deadline` computed by the caller from the policy version
 * in force; `resetBy` lists the activity kinds that reset it (only where `basis` is
 * `lastActivity`); `systems` and `processors` are where the data must be erased; `graceUntil`
 * is the last instant at which a reactivation cancels the pending erasure (Personizely PZ-13).
 */
export const RetentionClockStarted = t.type(
  {
    type: t.literal('RetentionClockStarted'),
    data: t.intersection([
      t.type({
        subjectId: Uuid,
        category: Identifier,
        basis: RetentionBasis,
        startedAt: IsoInstant,
        deadline: DeadlineRecord,
        onExpiry: ExpiryAction,
        policyVersion: Identifier,
        systems: t.array(Identifier),
        processors: t.array(Identifier),
      }),
      t.partial({
        resetBy: t.array(Identifier),
        approvalsRequired: ApprovalsRequired,
        graceUntil: IsoInstant,
      }),
    ]),
  },
  'RetentionClockStarted',
);
/** The clock started. */
export type RetentionClockStarted = t.TypeOf<typeof RetentionClockStarted>;

/** An activity of a kind the rule names reset the clock; `deadline` is the new one. */
export const RetentionClockReset = t.type(
  {
    type: t.literal('RetentionClockReset'),
    data: t.type({ activityKind: Identifier, resetAt: IsoInstant, deadline: DeadlineRecord }),
  },
  'RetentionClockReset',
);
/** The clock was reset. */
export type RetentionClockReset = t.TypeOf<typeof RetentionClockReset>;

/** The clock reached its due time `expiredAt` (the deadline's `dueAt`); `checkedAt` is the tick that saw it. */
export const RetentionClockExpired = t.type(
  {
    type: t.literal('RetentionClockExpired'),
    data: t.type({ expiredAt: IsoInstant, checkedAt: IsoInstant }),
  },
  'RetentionClockExpired',
);
/** The clock expired. */
export type RetentionClockExpired = t.TypeOf<typeof RetentionClockExpired>;

/**
 * Erasure of the clock's data was requested, to complete by `completionDeadline` (e.g.
 * Convertful CF-06: 30 calendar days); `restrictProcessing` says whether the data must be
 * isolated from processing meanwhile (CF-06).
 */
export const ErasureRequested = t.type(
  {
    type: t.literal('ErasureRequested'),
    data: t.type({
      reason: ErasureReason,
      requestedAt: IsoInstant,
      completionDeadline: DeadlineRecord,
      restrictProcessing: t.boolean,
    }),
  },
  'ErasureRequested',
);
/** Erasure was requested. */
export type ErasureRequested = t.TypeOf<typeof ErasureRequested>;

/** A person in `role` approved the erasure; `approvedBy` identifies the employee (personal). */
export const ErasureApproved = t.type(
  {
    type: t.literal('ErasureApproved'),
    data: t.type({ role: Identifier, approvedBy: personal(Identifier), approvedAt: IsoInstant }),
  },
  'ErasureApproved',
);
/** The erasure was approved by one role. */
export type ErasureApproved = t.TypeOf<typeof ErasureApproved>;

/**
 * The erasure may be carried out: at once when no approval is required, else once the approvals
 * satisfy the mode (`roles` lists the roles that had approved). The host erases on this event.
 */
export const ErasureAuthorised = t.type(
  {
    type: t.literal('ErasureAuthorised'),
    data: t.type({ authorisedAt: IsoInstant, roles: t.array(Identifier) }),
  },
  'ErasureAuthorised',
);
/** The erasure was authorised. */
export type ErasureAuthorised = t.TypeOf<typeof ErasureAuthorised>;

/** The data was erased from one system or by one processor. */
export const ErasureConfirmed = t.type(
  {
    type: t.literal('ErasureConfirmed'),
    data: t.type({ target: ErasureTarget, confirmedAt: IsoInstant }),
  },
  'ErasureConfirmed',
);
/** Erasure was confirmed for one target. */
export type ErasureConfirmed = t.TypeOf<typeof ErasureConfirmed>;

/** Every system and processor of the clock confirmed the erasure. */
export const ErasureCompleted = t.type(
  {
    type: t.literal('ErasureCompleted'),
    data: t.type({ completedAt: IsoInstant, systems: t.array(Identifier), processors: t.array(Identifier) }),
  },
  'ErasureCompleted',
);
/** The erasure completed. */
export type ErasureCompleted = t.TypeOf<typeof ErasureCompleted>;

/**
 * The pending erasure was called off: `reactivatedWithinGrace` (Personizely PZ-13) stops the
 * clock; any other reason (`holdPlaced`, ...) returns it to running or expired, so the erasure
 * is requested again at a later tick.
 */
export const ErasureCancelled = t.type(
  {
    type: t.literal('ErasureCancelled'),
    data: t.type({ reason: Identifier, cancelledAt: IsoInstant }),
  },
  'ErasureCancelled',
);
/** The pending erasure was cancelled. */
export type ErasureCancelled = t.TypeOf<typeof ErasureCancelled>;

/** The clock's cycle is over (after erasure or cancellation); a new start opens a new cycle. */
export const RetentionClockClosed = t.type(
  {
    type: t.literal('RetentionClockClosed'),
    data: t.type({ closedAt: IsoInstant }),
  },
  'RetentionClockClosed',
);
/** The clock was closed. */
export type RetentionClockClosed = t.TypeOf<typeof RetentionClockClosed>;

/** Every event of a retention-clock stream. */
export const RetentionEvent = t.union(
  [
    RetentionClockStarted,
    RetentionClockReset,
    RetentionClockExpired,
    ErasureRequested,
    ErasureApproved,
    ErasureAuthorised,
    ErasureConfirmed,
    ErasureCompleted,
    ErasureCancelled,
    RetentionClockClosed,
  ],
  'RetentionEvent',
);
/** Every event of a retention-clock stream. */
export type RetentionEvent = t.TypeOf<typeof RetentionEvent>;
