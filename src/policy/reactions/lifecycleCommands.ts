/**
 * The host commands of the lifecycle area: the imperatives the lifecycle reactions emit for the
 * host to carry out (through the outbox, with deterministic ids: make handlers idempotent by
 * `commandId`). Each codec says what the host must do, by when, and what to record back.
 *
 * They carry references only (subject ids, category ids, system and processor ids): the host
 * looks the personal data up itself, so no personal data travels through the outbox.
 *
 * @module
 */
import * as t from 'io-ts';
import { ObligationOverdue } from './obligationOverdue.js';
import { DeadlineRecord } from '../../model/deadline.js';
import { ErasureReason } from '../../model/retention/events.js';
import { Identifier, IsoInstant, Uuid } from '../../model/shared.js';

export { ObligationOverdue } from './obligationOverdue.js';

/**
 * Stop processing the subject's data for `purposes`, at once (`effectiveAt` is the instant the
 * basis ended): consent was withdrawn (GDPR Art. 7(3): withdrawal always wins) or expired.
 * `categories` are the categories of those purposes. Record nothing back: the consent ledger
 * already says so and `canProcess` answers false from then on. Storage may continue where
 * another basis or a retention rule keeps the data (erasure, if due, arrives as `EraseSubjectData`).
 */
export const StopProcessing = t.type(
  {
    type: t.literal('StopProcessing'),
    data: t.type({
      subjectId: Uuid,
      purposes: t.array(Identifier),
      categories: t.array(Identifier),
      reason: t.keyof({ consentWithdrawn: null, consentExpired: null }),
      grantId: Uuid,
      effectiveAt: IsoInstant,
      citation: t.string,
    }),
  },
  'StopProcessing',
);
/** See {@link StopProcessing}. */
export type StopProcessing = t.TypeOf<typeof StopProcessing>;

/**
 * Erase (or anonymise, `method`) the subject's data of `categories` from every one of `systems`
 * (backups too when `includeBackups`), and tell each of `processors` (sub-processors) to erase
 * it, by `deadline.dueAt` (the completion deadline, with its explanation and citation; a
 * `hostTargetAt` asks for sooner, e.g. a child's data "as soon as possible"). While
 * `restrictProcessing` holds, keep the data isolated from any processing (Convertful CF-06).
 * Record back: `confirmErasure` once per system and per processor (the last one completes the
 * erasure); `clockId` names the retention clock.
 */
export const EraseSubjectData = t.type(
  {
    type: t.literal('EraseSubjectData'),
    data: t.type({
      subjectId: Uuid,
      clockId: Uuid,
      categories: t.array(Identifier),
      systems: t.array(Identifier),
      processors: t.array(Identifier),
      includeBackups: t.boolean,
      method: t.keyof({ erase: null, anonymise: null }),
      reason: ErasureReason,
      requestedAt: IsoInstant,
      deadline: DeadlineRecord,
      restrictProcessing: t.boolean,
    }),
  },
  'EraseSubjectData',
);
/** See {@link EraseSubjectData}. */
export type EraseSubjectData = t.TypeOf<typeof EraseSubjectData>;

/**
 * Ask the people in `roles` to approve the destruction of the subject's `category` (Personizely
 * PZ-17: CEO and DPO; `mode` says whether all or any must approve). The completion `deadline`
 * keeps running meanwhile. Record back: `approveErasure` per approving role; once the mode is
 * satisfied, `EraseSubjectData` follows.
 */
export const RequestErasureApproval = t.type(
  {
    type: t.literal('RequestErasureApproval'),
    data: t.type({
      subjectId: Uuid,
      clockId: Uuid,
      category: Identifier,
      roles: t.array(Identifier),
      mode: t.keyof({ all: null, any: null }),
      reason: ErasureReason,
      requestedAt: IsoInstant,
      deadline: DeadlineRecord,
    }),
  },
  'RequestErasureApproval',
);
/** See {@link RequestErasureApproval}. */
export type RequestErasureApproval = t.TypeOf<typeof RequestErasureApproval>;

/**
 * Check that no residual data of `category` is left in `systems` and at `processors` after the
 * erasure completed at `completedAt`, and keep a report for whoever asks (Personizely PZ-18).
 * Emitted where the policy asks for destruction audits. Record back: nothing in Lethe.
 */
export const AuditDestruction = t.type(
  {
    type: t.literal('AuditDestruction'),
    data: t.type({
      subjectId: Uuid,
      clockId: Uuid,
      category: Identifier,
      systems: t.array(Identifier),
      processors: t.array(Identifier),
      completedAt: IsoInstant,
      citation: t.string,
    }),
  },
  'AuditDestruction',
);
/** See {@link AuditDestruction}. */
export type AuditDestruction = t.TypeOf<typeof AuditDestruction>;

/**
 * The contract ended: offer the controller the return of the subject's `categories` from
 * `systems` in their original format (Personizely PZ-32: return or destroy at the controller's
 * choice; InfluencerSoft IS-28(a): on written request within the window). `requestWindowEndsAt`,
 * when set, is the last instant a return request is honoured. Record back: nothing in Lethe;
 * erasure follows from the categories' retention rules.
 */
export const ReturnData = t.type(
  {
    type: t.literal('ReturnData'),
    data: t.intersection([
      t.type({
        subjectId: Uuid,
        contractId: Identifier,
        categories: t.array(Identifier),
        systems: t.array(Identifier),
        format: t.literal('original'),
        terminatedAt: IsoInstant,
        citation: t.string,
      }),
      t.partial({ requestWindowEndsAt: IsoInstant }),
    ]),
  },
  'ReturnData',
);
/** See {@link ReturnData}. */
export type ReturnData = t.TypeOf<typeof ReturnData>;

/**
 * The retention period of the subject's `category` ended and the policy says to review rather
 * than erase (`onExpiry: 'review'`): decide whether to keep (a new basis), or erase (the host's
 * `requestErasure`). `deadline` is the clock's, now past.
 */
export const ReviewRetention = t.type(
  {
    type: t.literal('ReviewRetention'),
    data: t.type({ subjectId: Uuid, clockId: Uuid, category: Identifier, expiredAt: IsoInstant, deadline: DeadlineRecord }),
  },
  'ReviewRetention',
);
/** See {@link ReviewRetention}. */
export type ReviewRetention = t.TypeOf<typeof ReviewRetention>;



/** Every host command of the lifecycle area. */
export const LifecycleHostCommand = t.union(
  [StopProcessing, EraseSubjectData, RequestErasureApproval, AuditDestruction, ReturnData, ReviewRetention, ObligationOverdue],
  'LifecycleHostCommand',
);
/** Every host command of the lifecycle area. */
export type LifecycleHostCommand = t.TypeOf<typeof LifecycleHostCommand>;

/** The types of the lifecycle area's host commands: the host registers a handler for each. */
export const lifecycleHostCommandTypes = [
  'StopProcessing',
  'EraseSubjectData',
  'RequestErasureApproval',
  'AuditDestruction',
  'ReturnData',
  'ReviewRetention',
  'ObligationOverdue',
] as const;
