/**
 * Commands of a retention-clock stream. Every command names the clock by `subjectId` and
 * `category` (the stream id is `retentionClockId(subjectId, category)`). Deadlines are computed
 * by the caller (the API layer or a reaction, from the policy and `src/time`) and travel in the
 * command, so that a replay never recomputes them.
 *
 * @module
 */
import * as t from 'io-ts';
import { DeadlineRecord } from '../deadline.js';
import { personal } from '../personal.js';
import { Identifier, IsoInstant, Uuid } from '../shared.js';
import { ApprovalsRequired, ErasureReason, ErasureTarget, ExpiryAction, RetentionBasis } from './events.js';

const ClockRef = { subjectId: Uuid, category: Identifier };

/** Starts the clock (or a new cycle of a cancelled or closed clock); repeating the same start is a no-op. */
export const StartRetentionClock = t.type(
  {
    type: t.literal('StartRetentionClock'),
    data: t.intersection([
      t.type({
        ...ClockRef,
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
  'StartRetentionClock',
);
/** Starts the clock. */
export type StartRetentionClock = t.TypeOf<typeof StartRetentionClock>;

/**
 * Resets the clock for an activity of `activityKind` at `resetAt`, with the new `deadline`.
 * An activity kind the rule does not name is a no-op (a page view does not reset Convertful's
 * clock: CF-22).
 */
export const ResetRetentionClock = t.type(
  {
    type: t.literal('ResetRetentionClock'),
    data: t.type({ ...ClockRef, activityKind: Identifier, resetAt: IsoInstant, deadline: DeadlineRecord }),
  },
  'ResetRetentionClock',
);
/** Resets the clock. */
export type ResetRetentionClock = t.TypeOf<typeof ResetRetentionClock>;

/** Records the clock's expiry, as seen at `at` (the scheduler's tick); refused before the due time. */
export const ExpireRetentionClock = t.type(
  {
    type: t.literal('ExpireRetentionClock'),
    data: t.type({ ...ClockRef, at: IsoInstant }),
  },
  'ExpireRetentionClock',
);
/** Records the clock's expiry. */
export type ExpireRetentionClock = t.TypeOf<typeof ExpireRetentionClock>;

/**
 * Cross-stream facts for an erasure request, resolved by the API layer or reaction before decide:
 * whether an active legal hold on the subject stream covers this category.
 */
export const ErasureContext = t.type({ legalHoldActive: t.boolean }, 'ErasureContext');
/** Cross-stream facts for an erasure request. */
export type ErasureContext = t.TypeOf<typeof ErasureContext>;

/** Requests erasure of the clock's data, to complete by `completionDeadline`. */
export const RequestErasure = t.type(
  {
    type: t.literal('RequestErasure'),
    data: t.type({
      ...ClockRef,
      reason: ErasureReason,
      requestedAt: IsoInstant,
      completionDeadline: DeadlineRecord,
      restrictProcessing: t.boolean,
      context: ErasureContext,
    }),
  },
  'RequestErasure',
);
/** Requests erasure of the clock's data. */
export type RequestErasure = t.TypeOf<typeof RequestErasure>;

/** Approves the pending erasure in `role`; `approvedBy` identifies the employee (personal). */
export const ApproveErasure = t.type(
  {
    type: t.literal('ApproveErasure'),
    data: t.type({ ...ClockRef, role: Identifier, approvedBy: personal(Identifier), approvedAt: IsoInstant }),
  },
  'ApproveErasure',
);
/** Approves the pending erasure. */
export type ApproveErasure = t.TypeOf<typeof ApproveErasure>;

/** Confirms that one system or processor erased the data. */
export const ConfirmErasure = t.type(
  {
    type: t.literal('ConfirmErasure'),
    data: t.type({ ...ClockRef, target: ErasureTarget, confirmedAt: IsoInstant }),
  },
  'ConfirmErasure',
);
/** Confirms one erasure. */
export type ConfirmErasure = t.TypeOf<typeof ConfirmErasure>;

/** Cancels the pending erasure (`reactivatedWithinGrace`, `holdPlaced`, ...). */
export const CancelErasure = t.type(
  {
    type: t.literal('CancelErasure'),
    data: t.type({ ...ClockRef, reason: Identifier, cancelledAt: IsoInstant }),
  },
  'CancelErasure',
);
/** Cancels the pending erasure. */
export type CancelErasure = t.TypeOf<typeof CancelErasure>;

/** Closes the clock's cycle once its data is erased or its erasure was cancelled by a reactivation. */
export const CloseRetentionClock = t.type(
  {
    type: t.literal('CloseRetentionClock'),
    data: t.type({ ...ClockRef, closedAt: IsoInstant }),
  },
  'CloseRetentionClock',
);
/** Closes the clock's cycle. */
export type CloseRetentionClock = t.TypeOf<typeof CloseRetentionClock>;

/** Every command of a retention-clock stream. */
export const RetentionCommand = t.union(
  [
    StartRetentionClock,
    ResetRetentionClock,
    ExpireRetentionClock,
    RequestErasure,
    ApproveErasure,
    ConfirmErasure,
    CancelErasure,
    CloseRetentionClock,
  ],
  'RetentionCommand',
);
/** Every command of a retention-clock stream. */
export type RetentionCommand = t.TypeOf<typeof RetentionCommand>;
