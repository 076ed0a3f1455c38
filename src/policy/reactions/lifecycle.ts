/**
 * The lifecycle reactions: from subject, consent and retention events (and the lifecycle views)
 * to the commands that carry personal data from collection to erasure.
 *
 * - Internal commands go back to Lethe's own streams (retention clocks started, reset, expired,
 *   erasure requested, cancelled, closed; restrictions placed and lifted; consents withdrawn and
 *   expired; subjects erased): see {@link lifecycleInternalCommands}.
 * - Host commands are the imperatives the host carries out (`lifecycleCommands.ts`).
 * - Timers are keyed by entity (`retention:<clockId>`, `erasure:<clockId>`, `consent:<grantId>`):
 *   a new timer under the same key replaces the old one.
 *
 * Every deadline is computed here once, from the event's business time and the policy, and
 * recorded in the command (so in the event): a replay never recomputes it. Every reaction reads
 * only the event and the views, so the same log and policy give the same commands.
 *
 * Choices worth knowing (the seed clauses are in `reference/seed-obligations.md`):
 * - A clock's start is the first collection of the category's current cycle as the subject view
 *   has it, not the collection at hand, so two collections seen before the start is dispatched
 *   emit the same start, and the second is a no-op.
 * - Convertful CF-22: a `lastActivity` clock is reset by an explicit submission (`DataCollected`
 *   with `submission: 'explicit'`, as activity kind `explicitSubmission`) and by the
 *   `ActivityRecorded` kinds its rule names; a page view resets nothing unless the rule names it.
 * - The retention timer fires at the due instant, or, where a grace period runs (Personizely
 *   PZ-13), at the first millisecond after it (a reactivation up to `graceUntil` inclusive still
 *   cancels the erasure). The erasure request is stamped with the expiry instant the timer
 *   recorded, not the tick's reading, so the completion deadline (e.g. Convertful CF-06, 30 days)
 *   does not move with the tick cadence.
 * - A legal hold suspends erasure, not the clock (GDPR Art. 17(3)(b), (e)): the clock expires,
 *   no erasure is requested (so no command is emitted that the decider would refuse), and the
 *   schedule shows `suspendedByLegalHold`. Placing a hold cancels a pending, not yet authorised
 *   erasure in its scope (`holdPlaced`). Lifting the last hold over a category requests the
 *   erasure at once, stamped with the lift instant (no wait for a tick).
 * - Consent withdrawal (GDPR Art. 7(3)) stops processing for the purpose at once, and erases the
 *   collected categories of the purpose that no other purpose with a valid basis covers (Art.
 *   17(1)(b)): where the category's rule starts at `consentWithdrawal`, its clock starts at the
 *   withdrawal; else its erasure is requested at the withdrawal instant (a clock is started first,
 *   due at once under the category's rule, when the category has none). A category whose clock runs a grace period (PZ-13)
 *   is left to that rule. Expiry of consent stops processing only.
 * - Personizely PZ-06 ("cancelling the subscription withdraws consent") is the policy parameter
 *   `cancellationWithdrawsConsent` (boolean): the document codec has no field for it. Likewise
 *   `returnDataOnContractEnd` (boolean) with `returnDataRequestWindow` (period; InfluencerSoft
 *   IS-28: 90 days) for `ReturnData` (PZ-32), and `destructionAudit` (boolean) for
 *   `AuditDestruction` (PZ-18).
 * - A subscription cancellation starts the `subscriptionCancelled` clocks only when no other
 *   contract of the subject stays active; a contract's termination starts the `contractEnd`
 *   clocks (and `subscriptionCancelled` ones not yet started) on the same condition.
 * - Erasure completion closes the clock (so new data starts a new cycle), lifts the
 *   `erasurePending` restriction and records the erasure on the subject stream: the category, or
 *   the whole subject once no collected category is left.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { LetheEvent } from '../../engine/commandHandler.js';
import type { EmittedCommand, Reaction, ReactionResult, TimerHandler } from '../../engine/processor.js';
import type { TimerRequest } from '../../engine/scheduler.js';
import type { DeadlineRecord } from '../../model/deadline.js';
import type { ConsentEvent } from '../../model/consent/events.js';
import type { ErasureReason, RetentionBasis, RetentionEvent } from '../../model/retention/events.js';
import { deriveId } from '../../model/shared.js';
import type { SubjectEvent } from '../../model/subject/events.js';
import {
  activeGrant,
  grantOf,
  grantsOf,
  initConsentLedger,
  type ConsentLedger,
} from '../../projections/consentLedger.js';
import {
  clockFor,
  clockOf,
  clocksOf,
  initRetentionSchedule,
  isErasurePending,
  type ClockRecord,
  type RetentionSchedule,
} from '../../projections/retentionSchedule.js';
import {
  activeLegalHolds,
  collectedCategories,
  entityIdOf,
  hasActiveContract,
  initSubjectView,
  isHeld,
  scopeCovers,
  subjectOf,
  type SubjectRecord,
  type SubjectView,
} from '../../projections/subjectView.js';
import type { JsonValue } from '../../store/port.js';
import { computeDeadline, instantFromIso, parsePeriod, toIso } from '../../time/index.js';
import type { Period } from '../../time/types.js';
import type { DataCategory, PolicyDocument } from '../document.js';
import { retentionPeriodOf } from '../document.js';
import { DEFAULT_COUNTING } from '../rule.js';
import { DEFAULT_HOST_TARGETS } from '../rulebooks/defaults.js';

/** The projection names the lifecycle reactions read their views under. */
export const LIFECYCLE_VIEW_NAMES = {
  subjects: 'subjectView',
  consents: 'consentLedger',
  schedule: 'retentionSchedule',
} as const;

/** The lifecycle timer handlers' names. */
export const LIFECYCLE_TIMERS = {
  retentionDue: 'lifecycle.retentionDue',
  erasureOverdue: 'lifecycle.erasureOverdue',
  consentExpiry: 'lifecycle.consentExpiry',
} as const;

/** Returns the key of a clock's retention timer: `retention:<clockId>` (never personal data). */
export const retentionTimerKey = (clockId: string): string => `retention:${clockId}`;
/** Returns the key of a clock's erasure-completion timer: `erasure:<clockId>`. */
export const erasureTimerKey = (clockId: string): string => `erasure:${clockId}`;
/** Returns the key of a grant's expiry timer: `consent:<grantId>`. */
export const consentTimerKey = (grantId: string): string => `consent:${grantId}`;

/**
 * Model command types the lifecycle reactions emit for Lethe's own streams, with the stream kind
 * that executes each (the facade routes each with `routeToStreamKind(kind)`).
 */
export const lifecycleInternalCommands = {
  StartRetentionClock: 'retention',
  ResetRetentionClock: 'retention',
  ExpireRetentionClock: 'retention',
  RequestErasure: 'retention',
  CancelErasure: 'retention',
  CloseRetentionClock: 'retention',
  RestrictProcessing: 'subject',
  LiftRestriction: 'subject',
  EraseSubject: 'subject',
  WithdrawConsent: 'consent',
  ExpireConsent: 'consent',
} as const;

/** The three lifecycle views. */
export interface LifecycleViews {
  /** The subject view. */
  readonly subjects: SubjectView;
  /** The consent ledger. */
  readonly consents: ConsentLedger;
  /** The retention schedule. */
  readonly schedule: RetentionSchedule;
}

/** Returns the lifecycle views out of the engine's views by name (empty views where one is missing). */
export const lifecycleViewsOf = (views: Readonly<Record<string, unknown>>): LifecycleViews => ({
  subjects: (views[LIFECYCLE_VIEW_NAMES.subjects] as SubjectView | undefined) ?? initSubjectView(),
  consents: (views[LIFECYCLE_VIEW_NAMES.consents] as ConsentLedger | undefined) ?? initConsentLedger(),
  schedule: (views[LIFECYCLE_VIEW_NAMES.schedule] as RetentionSchedule | undefined) ?? initRetentionSchedule(),
});

// ---------------------------------------------------------------------------------------------
// Deadlines from the policy
// ---------------------------------------------------------------------------------------------

/** Returns the policy's category, or undefined. */
export const categoryOf = (policy: PolicyDocument, id: string): DataCategory | undefined =>
  policy.categories.find((c) => c.id === id);

const ms = (iso: string): number => {
  const parsed = instantFromIso(iso);
  return E.isRight(parsed) ? parsed.right : Number.NaN;
};

/**
 * Returns the deadline record of `period` from `start` (ISO) in the policy's calendar, or
 * undefined when the time module refuses it (a start outside the years 1900-8999).
 */
export const deadlineRecord = (
  policy: PolicyDocument,
  start: string,
  period: Period,
  ruleId: string,
  citation: string,
  counting = policy.counting ?? DEFAULT_COUNTING,
): DeadlineRecord | undefined => {
  const computed = computeDeadline({ start: ms(start), period, calendar: policy.calendar, rules: counting, citation });
  if (E.isLeft(computed)) return undefined;
  return {
    ruleId,
    dueAt: toIso(computed.right.dueAt),
    citation,
    explanation: computed.right.explanation.text,
  } as DeadlineRecord;
};

const retentionCitation = (policy: PolicyDocument, category: DataCategory): string =>
  category.retention.citation ?? `policy ${policy.version}, category ${category.id}: retention`;

/** Returns the retention rule id of a category: `retention.<categoryId>`. */
export const retentionRuleId = (category: DataCategory): string => `retention.${category.id}`;

/**
 * Returns the retention deadline of `category` running from `start` (ISO), or undefined when its
 * period is an unresolved parameter (InfluencerSoft IS-01 gives none) or cannot be computed.
 */
export const retentionDeadline = (policy: PolicyDocument, category: DataCategory, start: string): DeadlineRecord | undefined => {
  const period = retentionPeriodOf(policy, category);
  if (period === undefined) return undefined;
  return deadlineRecord(
    policy,
    start,
    period,
    retentionRuleId(category),
    retentionCitation(policy, category),
    category.retention.counting ?? policy.counting ?? DEFAULT_COUNTING,
  );
};

/** Returns the end of the category's grace period from `start` (Personizely PZ-13), or undefined when it has none. */
export const graceUntilOf = (policy: PolicyDocument, category: DataCategory, start: string): string | undefined => {
  const grace = category.retention.gracePeriod;
  if (grace === undefined) return undefined;
  return deadlineRecord(policy, start, grace, retentionRuleId(category), retentionCitation(policy, category))?.dueAt;
};

/** The rule id of erasure completion deadlines. */
export const ERASURE_COMPLETION_RULE = 'erasure.completion';

/**
 * Returns the completion deadline of an erasure requested at `requestedAt` (ISO): the policy's
 * `erasure.completionWithin` (Convertful CF-06: 30 calendar days), else Lethe's default target
 * for "without undue delay" (GDPR Art. 17(1): `DEFAULT_HOST_TARGETS.erasure`, 30 days).
 * `hostTargetAt` asks the host for sooner (a child's data: as soon as possible).
 */
export const erasureCompletionDeadline = (
  policy: PolicyDocument,
  requestedAt: string,
  hostTargetAt?: string,
): DeadlineRecord | undefined => {
  const period = policy.erasure.completionWithin ?? DEFAULT_HOST_TARGETS.erasure;
  const citation =
    policy.erasure.citation ??
    (policy.erasure.completionWithin === undefined
      ? 'GDPR Art. 17(1) "without undue delay" (no completion period in the policy: Lethe\'s default target)'
      : `policy ${policy.version}: erasure.completionWithin`);
  const record = deadlineRecord(policy, requestedAt, period, ERASURE_COMPLETION_RULE, citation);
  return record === undefined || hostTargetAt === undefined ? record : ({ ...record, hostTargetAt } as DeadlineRecord);
};

/** Returns the approvals an erasure needs under the policy (Personizely PZ-17), or undefined. */
export const approvalsRequiredOf = (
  policy: PolicyDocument,
): { readonly roles: readonly string[]; readonly mode: 'all' | 'any' } | undefined => {
  const a = policy.erasure.approvals;
  return a !== undefined && a.required && a.roles.length > 0 ? { roles: a.roles, mode: a.mode } : undefined;
};

const parameter = (policy: PolicyDocument, name: string): string | number | boolean | undefined =>
  policy.parameters?.[name]?.value;

const parameterCitation = (policy: PolicyDocument, name: string): string =>
  policy.parameters?.[name]?.citation ?? `policy ${policy.version}: parameters.${name}`;

// ---------------------------------------------------------------------------------------------
// Command data
// ---------------------------------------------------------------------------------------------

/** The JSON data of an emitted command. */
export type CommandData = { readonly [key: string]: JsonValue };
type Json = CommandData;

const command = (type: string, data: Json, occurredAt?: string): EmittedCommand =>
  occurredAt === undefined ? { type, data } : { type, data, occurredAt };

const deadlineJson = (d: DeadlineRecord): Json => ({
  ruleId: d.ruleId,
  dueAt: d.dueAt,
  citation: d.citation,
  explanation: d.explanation,
  ...(d.hostTargetAt === undefined ? {} : { hostTargetAt: d.hostTargetAt }),
});

/** True when a new cycle of the clock may start: none yet, or cancelled, closed, or erased (its closing is on the way). */
export const needsStart = (clock: ClockRecord | undefined): boolean =>
  clock === undefined || clock.state === 'notStarted' || clock.state === 'cancelled' || clock.state === 'closed' || clock.state === 'erased';

/** True when the clock can take an erasure request: running or expired, with none under way. */
export const canRequestErasure = (clock: ClockRecord | undefined): boolean =>
  clock !== undefined && (clock.state === 'running' || clock.state === 'expired');

/**
 * Returns the `StartRetentionClock` data for a category of a subject, or undefined when its
 * deadline cannot be computed. `deadline` replaces the rule's (an erasure that starts a clock
 * due at once).
 */
export const startClockData = (
  policy: PolicyDocument,
  subjectId: string,
  category: DataCategory,
  basis: RetentionBasis,
  startedAt: string,
  policyVersion: string,
  deadline?: DeadlineRecord,
): CommandData | undefined => {
  const due = deadline ?? retentionDeadline(policy, category, startedAt);
  if (due === undefined) return undefined;
  const rule = category.retention;
  const approvals = approvalsRequiredOf(policy);
  const graceUntil = deadline === undefined ? graceUntilOf(policy, category, startedAt) : undefined;
  return {
    subjectId,
    category: category.id,
    basis,
    startedAt,
    deadline: deadlineJson(due),
    onExpiry: rule.onExpiry,
    policyVersion,
    systems: [...category.systems],
    processors: [...(category.processors ?? [])],
    ...(basis === 'lastActivity' && rule.resetBy !== undefined ? { resetBy: [...rule.resetBy] } : {}),
    ...(approvals === undefined ? {} : { approvalsRequired: { roles: [...approvals.roles], mode: approvals.mode } }),
    ...(graceUntil === undefined ? {} : { graceUntil }),
  };
};

/**
 * The earliest instant (epoch ms) an erasure for `retentionExpired` may be stamped with: the due
 * instant, or the first millisecond after the grace period (the retention decider refuses a
 * request inside it: Personizely PZ-13).
 */
export const earliestExpiryErasure = (clock: Pick<ClockRecord, 'deadline' | 'graceUntil'>): number =>
  Math.max(ms(clock.deadline.dueAt), clock.graceUntil === undefined ? -Infinity : ms(clock.graceUntil) + 1);

/**
 * Returns the `RequestErasure` data for a clock, or undefined when the completion deadline cannot
 * be computed. A `retentionExpired` request is stamped no earlier than {@link earliestExpiryErasure}.
 */
export const requestErasureData = (
  policy: PolicyDocument,
  clock: Pick<ClockRecord, 'subjectId' | 'category' | 'deadline' | 'graceUntil'>,
  reason: ErasureReason,
  requestedAt: string,
  legalHoldActive: boolean,
  hostTargetAt?: string,
): CommandData | undefined => {
  const at = reason === 'retentionExpired' ? toIso(Math.max(ms(requestedAt), earliestExpiryErasure(clock))) : requestedAt;
  const completion = erasureCompletionDeadline(policy, at, hostTargetAt === undefined ? undefined : at);
  if (completion === undefined) return undefined;
  return {
    subjectId: clock.subjectId,
    category: clock.category,
    reason,
    requestedAt: at,
    completionDeadline: deadlineJson(completion),
    restrictProcessing: policy.erasure.restrictWhilePending,
    context: { legalHoldActive },
  };
};

/** Returns the id of the `erasurePending` restriction placed for an erasure (single-use, derived). */
export const erasureRestrictionId = (clockId: string, requestedAt: string): string =>
  deriveId('erasureRestriction', clockId, ms(requestedAt));

/**
 * True when a purpose other than `exceptPurpose` covering `category` has a valid basis for the
 * subject at `at` (epoch ms): a non-consent basis, or an active GDPR-valid consent grant.
 */
export const otherValidBasis = (
  policy: PolicyDocument,
  consents: ConsentLedger,
  subjectId: string,
  category: string,
  exceptPurpose: string,
  at: number,
): boolean =>
  policy.purposes.some(
    (p) =>
      p.id !== exceptPurpose &&
      p.categories.includes(category) &&
      (p.lawfulBasis !== 'consent' || activeGrant(consents, subjectId, p.id, at) !== undefined),
  );

const resetCommand = (policy: PolicyDocument, subjectId: string, category: DataCategory, kind: string, at: string): EmittedCommand[] => {
  const deadline = retentionDeadline(policy, category, at);
  if (deadline === undefined) return [];
  return [
    command('ResetRetentionClock', { subjectId, category: category.id, activityKind: kind, resetAt: at, deadline: deadlineJson(deadline) }),
  ];
};

const startCommand = (
  policy: PolicyDocument,
  subjectId: string,
  category: DataCategory,
  basis: RetentionBasis,
  startedAt: string,
  policyVersion: string,
  deadline?: DeadlineRecord,
): EmittedCommand[] => {
  const data = startClockData(policy, subjectId, category, basis, startedAt, policyVersion, deadline);
  return data === undefined ? [] : [command('StartRetentionClock', data)];
};

const requestCommand = (
  policy: PolicyDocument,
  clock: Pick<ClockRecord, 'subjectId' | 'category' | 'deadline' | 'graceUntil'>,
  reason: ErasureReason,
  requestedAt: string,
  hostTargetAt?: string,
): EmittedCommand[] => {
  const data = requestErasureData(policy, clock, reason, requestedAt, false, hostTargetAt);
  return data === undefined ? [] : [command('RequestErasure', data)];
};

/**
 * Returns the commands that erase one collected category of a subject now, for `reason` at `at`
 * (ISO): a `RequestErasure` on its running or expired clock; or, when the category has no clock in
 * a cycle, a `StartRetentionClock` under the category's rule but due at once (`erasure.<reason>`,
 * citing `citation`) followed by the request. Nothing when the category is not collected, is held
 * (GDPR Art. 17(3)), or its erasure is already under way. `hostTargetAt` asks the host for sooner.
 */
export const eraseCategoryNow = (
  policy: PolicyDocument,
  views: LifecycleViews,
  subject: SubjectRecord,
  categoryId: string,
  reason: ErasureReason,
  at: string,
  citation: string,
  hostTargetAt?: string,
): EmittedCommand[] => {
  if (isHeld(subject, categoryId)) return [];
  const category = categoryOf(policy, categoryId);
  const record = subject.categories[categoryId];
  if (category === undefined || record === undefined) return [];
  const clock = clockFor(views.schedule, subject.subjectId, categoryId);
  if (clock !== undefined && canRequestErasure(clock)) return requestCommand(policy, clock, reason, at, hostTargetAt);
  if (!needsStart(clock) || clock?.state === 'erased') return [];
  const immediate = {
    ruleId: `erasure.${reason}`,
    dueAt: at,
    citation,
    explanation: `Due at once: the data is erased for ${reason} (${citation}).`,
  } as DeadlineRecord;
  const start = startCommand(policy, subject.subjectId, category, category.retention.clockStart, at, record.policyVersion, immediate);
  if (start.length === 0) return [];
  return [...start, ...requestCommand(policy, { subjectId: subject.subjectId, category: categoryId, deadline: immediate }, reason, at, hostTargetAt)];
};

// ---------------------------------------------------------------------------------------------
// Reactions
// ---------------------------------------------------------------------------------------------

const later = (a: string, b: string): boolean => ms(a) > ms(b);

const reactToSubject = (policy: PolicyDocument, event: LetheEvent, views: LifecycleViews): ReactionResult => {
  const subjectId = entityIdOf(event.streamName, 'subject');
  if (subjectId === undefined) return {};
  const subject = subjectOf(views.subjects, subjectId);
  if (subject === undefined) return {};
  const e = event.event as SubjectEvent;
  switch (e.type) {
    case 'DataCollected': {
      const d = e.data;
      const category = categoryOf(policy, d.category);
      const record = subject.categories[d.category];
      if (category === undefined || record === undefined) return {};
      const rule = category.retention;
      if (rule.clockStart !== 'collection' && rule.clockStart !== 'lastActivity') return {};
      const clock = clockFor(views.schedule, subjectId, d.category);
      const explicitResets =
        rule.clockStart === 'lastActivity' && d.submission === 'explicit' && (rule.resetBy ?? []).includes('explicitSubmission');
      if (needsStart(clock)) {
        const startedAt = record.firstCollectedAt;
        const start = startCommand(policy, subjectId, category, rule.clockStart, startedAt, record.policyVersion);
        const reset = explicitResets && later(d.collectedAt, startedAt) ? resetCommand(policy, subjectId, category, 'explicitSubmission', d.collectedAt) : [];
        return { commands: [...start, ...(start.length > 0 ? reset : [])] };
      }
      if (
        explicitResets &&
        clock !== undefined &&
        clock.state === 'running' &&
        later(d.collectedAt, clock.runningSince) &&
        later(clock.deadline.dueAt, d.collectedAt)
      ) {
        return { commands: resetCommand(policy, subjectId, category, 'explicitSubmission', d.collectedAt) };
      }
      return {};
    }
    case 'ActivityRecorded': {
      const { kind, activityAt, category: only } = e.data;
      const commands: EmittedCommand[] = [];
      for (const clock of clocksOf(views.schedule, subjectId)) {
        if (clock.state !== 'running' || clock.basis !== 'lastActivity' || !(clock.resetBy ?? []).includes(kind)) continue;
        if (only !== undefined && only !== clock.category) continue;
        if (!later(activityAt, clock.runningSince) || !later(clock.deadline.dueAt, activityAt)) continue;
        const category = categoryOf(policy, clock.category);
        if (category !== undefined) commands.push(...resetCommand(policy, subjectId, category, kind, activityAt));
      }
      return { commands };
    }
    case 'SubscriptionCancelled': {
      const { cancelledAt } = e.data;
      const commands: EmittedCommand[] = [];
      if (!hasActiveContract(subject)) {
        for (const id of collectedCategories(subject)) {
          const category = categoryOf(policy, id);
          if (category?.retention.clockStart !== 'subscriptionCancelled') continue;
          if (!needsStart(clockFor(views.schedule, subjectId, id))) continue;
          const record = subject.categories[id];
          if (record !== undefined)
            commands.push(...startCommand(policy, subjectId, category, 'subscriptionCancelled', cancelledAt, record.policyVersion));
        }
      }
      // Personizely PZ-06: cancelling the subscription withdraws consent (a policy parameter).
      if (parameter(policy, 'cancellationWithdrawsConsent') === true) {
        for (const grant of grantsOf(views.consents, subjectId))
          if (grant.status === 'active')
            commands.push(command('WithdrawConsent', { grantId: grant.grantId, withdrawnAt: cancelledAt, channel: 'subscriptionCancelled' }));
      }
      return { commands };
    }
    case 'SubscriptionReactivated': {
      const { reactivatedAt } = e.data;
      const commands: EmittedCommand[] = [];
      const cancelTimers: string[] = [];
      for (const clock of clocksOf(views.schedule, subjectId)) {
        if (clock.basis !== 'subscriptionCancelled' || clock.graceUntil === undefined) continue;
        if (!(canRequestErasure(clock) || isErasurePending(clock)) || later(reactivatedAt, clock.graceUntil)) continue;
        // Personizely PZ-13: a client back within the grace period keeps their data.
        commands.push(
          command('CancelErasure', { subjectId, category: clock.category, reason: 'reactivatedWithinGrace', cancelledAt: reactivatedAt }),
        );
        cancelTimers.push(retentionTimerKey(clock.clockId), erasureTimerKey(clock.clockId));
      }
      return { commands, cancelTimers };
    }
    case 'ContractTerminated': {
      const { contractId, terminatedAt } = e.data;
      const commands: EmittedCommand[] = [];
      if (!hasActiveContract(subject)) {
        for (const id of collectedCategories(subject)) {
          const category = categoryOf(policy, id);
          const basis = category?.retention.clockStart;
          if (category === undefined || (basis !== 'contractEnd' && basis !== 'subscriptionCancelled')) continue;
          if (!needsStart(clockFor(views.schedule, subjectId, id))) continue;
          const record = subject.categories[id];
          if (record !== undefined) commands.push(...startCommand(policy, subjectId, category, basis, terminatedAt, record.policyVersion));
        }
      }
      if (parameter(policy, 'returnDataOnContractEnd') === true) {
        const categories = collectedCategories(subject);
        const systems = [...new Set(categories.flatMap((c) => categoryOf(policy, c)?.systems ?? []))];
        const window = parameter(policy, 'returnDataRequestWindow');
        const parsed = typeof window === 'string' ? parsePeriod(window) : undefined;
        const windowEnd =
          parsed !== undefined && E.isRight(parsed)
            ? deadlineRecord(policy, terminatedAt, parsed.right, 'contract.returnData', parameterCitation(policy, 'returnDataRequestWindow'))
            : undefined;
        commands.push(
          command('ReturnData', {
            subjectId,
            contractId,
            categories: [...categories],
            systems,
            format: 'original',
            terminatedAt,
            citation: parameterCitation(policy, 'returnDataOnContractEnd'),
            ...(windowEnd === undefined ? {} : { requestWindowEndsAt: windowEnd.dueAt }),
          }),
        );
      }
      return { commands };
    }
    case 'LegalHoldPlaced': {
      const { scope, placedAt } = e.data;
      const commands: EmittedCommand[] = [];
      const cancelTimers: string[] = [];
      for (const clock of clocksOf(views.schedule, subjectId)) {
        if (!scopeCovers(scope, clock.category) || !isErasurePending(clock)) continue;
        // GDPR Art. 17(3)(b), (e): the hold suspends an erasure not yet handed to the host.
        commands.push(command('CancelErasure', { subjectId, category: clock.category, reason: 'holdPlaced', cancelledAt: placedAt }));
        cancelTimers.push(erasureTimerKey(clock.clockId));
      }
      return { commands, cancelTimers };
    }
    case 'LegalHoldLifted': {
      const { holdId, liftedAt } = e.data;
      const hold = subject.legalHolds[holdId];
      if (hold === undefined || subject.status !== 'registered') return {};
      const commands: EmittedCommand[] = [];
      for (const clock of clocksOf(views.schedule, subjectId)) {
        if (!scopeCovers(hold.scope, clock.category) || isHeld(subject, clock.category)) continue;
        if (clock.state === 'expired' && clock.onExpiry !== 'review') {
          commands.push(...requestCommand(policy, clock, 'retentionExpired', liftedAt));
        } else if (clock.state === 'running' && clock.lastCancellation?.reason === 'holdPlaced' && clock.lastCancellation.erasureReason !== undefined) {
          commands.push(...requestCommand(policy, clock, clock.lastCancellation.erasureReason, liftedAt));
        }
      }
      return { commands };
    }
    case 'ChildBelowMinimumAgeFound': {
      const { foundAt, citation } = e.data;
      if (subject.status !== 'registered') return {};
      const categories = collectedCategories(subject);
      // Instaply IN-21: erased whatever a parent says, "as soon as possible" (host target: at once).
      if (categories.length === 0) {
        return activeLegalHolds(subject).length > 0
          ? {}
          : { commands: [command('EraseSubject', { subjectId, scope: 'all', reason: 'childBelowMinimumAge', erasedAt: foundAt })] };
      }
      const commands = categories.flatMap((c) =>
        eraseCategoryNow(policy, views, subject, c, 'childBelowMinimumAge', foundAt, citation, foundAt),
      );
      return { commands };
    }
    default:
      return {};
  }
};

const reactToConsent = (policy: PolicyDocument, event: LetheEvent, views: LifecycleViews): ReactionResult => {
  const grantId = entityIdOf(event.streamName, 'consent');
  if (grantId === undefined) return {};
  const e = event.event as ConsentEvent;
  const key = consentTimerKey(grantId);
  const timer = (expiresAt: string): TimerRequest => ({
    key,
    at: ms(expiresAt) + 1,
    handler: LIFECYCLE_TIMERS.consentExpiry,
    payload: { grantId },
  });
  switch (e.type) {
    case 'ConsentGranted':
      return e.data.expiresAt === undefined ? {} : { timers: [timer(e.data.expiresAt)] };
    case 'ConsentRenewed':
      return e.data.expiresAt === undefined ? { cancelTimers: [key] } : { timers: [timer(e.data.expiresAt)] };
    case 'ConsentWithdrawn':
    case 'ConsentExpired': {
      const grant = grantOf(views.consents, grantId);
      if (grant === undefined) return { cancelTimers: [key] };
      const withdrawn = e.type === 'ConsentWithdrawn';
      const effectiveAt = withdrawn ? e.data.withdrawnAt : e.data.expiredAt;
      // Another active grant for the same purpose keeps the consent (a second grant, a renewal flow).
      if (activeGrant(views.consents, grant.subjectId, grant.purpose, ms(effectiveAt)) !== undefined) return { cancelTimers: [key] };
      const purpose = policy.purposes.find((p) => p.id === grant.purpose);
      const categories = [...(purpose?.categories ?? [])];
      const stop = command('StopProcessing', {
        subjectId: grant.subjectId,
        purposes: [grant.purpose],
        categories,
        reason: withdrawn ? 'consentWithdrawn' : 'consentExpired',
        grantId,
        effectiveAt,
        citation: withdrawn ? 'GDPR Art. 7(3)' : 'GDPR Art. 6(1)(a): the consent lapsed',
      });
      if (!withdrawn) return { commands: [stop], cancelTimers: [key] };
      const subject = subjectOf(views.subjects, grant.subjectId);
      const erasures: EmittedCommand[] = [];
      if (subject !== undefined && subject.status === 'registered') {
        for (const id of categories) {
          if (subject.categories[id] === undefined) continue;
          if (otherValidBasis(policy, views.consents, grant.subjectId, id, grant.purpose, ms(effectiveAt))) continue;
          const category = categoryOf(policy, id);
          if (category === undefined || isHeld(subject, id)) continue;
          const clock = clockFor(views.schedule, grant.subjectId, id);
          // A grace period (Personizely PZ-13) keeps the data for a returning client: that rule governs.
          if (clock !== undefined && clock.graceUntil !== undefined && canRequestErasure(clock)) continue;
          const record = subject.categories[id];
          if (category.retention.clockStart === 'consentWithdrawal') {
            if (needsStart(clock) && record !== undefined)
              erasures.push(...startCommand(policy, grant.subjectId, category, 'consentWithdrawal', effectiveAt, record.policyVersion));
            continue;
          }
          erasures.push(...eraseCategoryNow(policy, views, subject, id, 'consentWithdrawn', effectiveAt, 'GDPR Art. 17(1)(b)'));
        }
      }
      return { commands: [stop, ...erasures], cancelTimers: [key] };
    }
  }
};

const reactToRetention = (policy: PolicyDocument, event: LetheEvent, views: LifecycleViews): ReactionResult => {
  const clockId = entityIdOf(event.streamName, 'retention');
  const clock = clockId === undefined ? undefined : clockOf(views.schedule, clockId);
  if (clockId === undefined || clock === undefined) return {};
  const e = event.event as RetentionEvent;
  const subject = subjectOf(views.subjects, clock.subjectId);
  const { subjectId, category } = clock;
  switch (e.type) {
    case 'RetentionClockStarted':
    case 'RetentionClockReset':
      return {
        timers: [
          { key: retentionTimerKey(clockId), at: earliestExpiryErasure(clock), handler: LIFECYCLE_TIMERS.retentionDue, payload: { clockId } },
        ],
      };
    case 'RetentionClockExpired': {
      if (subject === undefined || subject.status !== 'registered') return {};
      if (clock.onExpiry === 'review') {
        return {
          commands: [
            command('ReviewRetention', { subjectId, clockId, category, expiredAt: e.data.expiredAt, deadline: deadlineJson(clock.deadline) }),
          ],
        };
      }
      // A legal hold suspends the erasure (the decider would refuse it): the schedule shows it.
      if (isHeld(subject, category)) return {};
      return { commands: requestCommand(policy, clock, 'retentionExpired', e.data.checkedAt) };
    }
    case 'ErasureRequested': {
      const { reason, requestedAt, completionDeadline, restrictProcessing } = e.data;
      const commands: EmittedCommand[] = [];
      if (restrictProcessing && subject !== undefined && subject.status === 'registered') {
        // Convertful CF-06: isolated from any processing during the removal period.
        commands.push(
          command('RestrictProcessing', {
            subjectId,
            restrictionId: erasureRestrictionId(clockId, requestedAt),
            ground: 'erasurePending',
            scope: [category],
            restrictedAt: requestedAt,
          }),
        );
      }
      if (clock.state === 'awaitingApproval' && clock.approvalsRequired !== undefined) {
        commands.push(
          command('RequestErasureApproval', {
            subjectId,
            clockId,
            category,
            roles: [...clock.approvalsRequired.roles],
            mode: clock.approvalsRequired.mode,
            reason,
            requestedAt,
            deadline: deadlineJson(completionDeadline),
          }),
        );
      }
      return {
        commands,
        timers: [
          {
            key: erasureTimerKey(clockId),
            at: ms(completionDeadline.dueAt) + 1,
            handler: LIFECYCLE_TIMERS.erasureOverdue,
            payload: { clockId, dueAt: completionDeadline.dueAt },
          },
        ],
      };
    }
    case 'ErasureAuthorised': {
      const erasure = clock.erasure;
      if (erasure === undefined) return {};
      const doc = categoryOf(policy, category);
      return {
        commands: [
          command('EraseSubjectData', {
            subjectId,
            clockId,
            categories: [category],
            systems: [...clock.systems],
            processors: [...clock.processors],
            includeBackups: (doc?.includesBackups ?? false) || (policy.erasure.includeBackups ?? false),
            method: erasure.reason === 'retentionExpired' && clock.onExpiry === 'anonymise' ? 'anonymise' : 'erase',
            reason: erasure.reason,
            requestedAt: erasure.requestedAt,
            deadline: deadlineJson(erasure.completionDeadline),
            restrictProcessing: erasure.restrictProcessing,
          }),
        ],
      };
    }
    case 'ErasureCompleted': {
      const { completedAt } = e.data;
      const commands: EmittedCommand[] = [];
      if (parameter(policy, 'destructionAudit') === true) {
        commands.push(
          command('AuditDestruction', {
            subjectId,
            clockId,
            category,
            systems: [...e.data.systems],
            processors: [...e.data.processors],
            completedAt,
            citation: parameterCitation(policy, 'destructionAudit'),
          }),
        );
      }
      commands.push(command('CloseRetentionClock', { subjectId, category, closedAt: completedAt }));
      if (subject !== undefined && subject.status === 'registered') {
        const erasedByClock = (c: string): boolean => {
          const other = clockFor(views.schedule, subjectId, c);
          return other !== undefined && other.erasure?.completedAt !== undefined && (other.state === 'erased' || other.state === 'closed');
        };
        const remaining = collectedCategories(subject).filter((c) => c !== category && !erasedByClock(c));
        const reason = clock.erasure?.reason ?? 'retentionExpired';
        if (remaining.length === 0 && activeLegalHolds(subject).length === 0) {
          commands.push(command('EraseSubject', { subjectId, scope: 'all', reason, erasedAt: completedAt }));
        } else {
          commands.push(...liftErasureRestrictions(subject, category, completedAt));
          if (!isHeld(subject, category)) commands.push(command('EraseSubject', { subjectId, scope: [category], reason, erasedAt: completedAt }));
        }
      }
      return { commands, cancelTimers: [erasureTimerKey(clockId)] };
    }
    case 'ErasureCancelled': {
      const cancelTimers = [erasureTimerKey(clockId)];
      if (e.data.reason === 'reactivatedWithinGrace') cancelTimers.push(retentionTimerKey(clockId));
      const commands = subject !== undefined && subject.status === 'registered' ? liftErasureRestrictions(subject, category, e.data.cancelledAt) : [];
      return { commands, cancelTimers };
    }
    default:
      return {};
  }
};

// The `erasurePending` restrictions of exactly this category: lifted once its erasure is over,
// so that new data of the category can be collected again.
const liftErasureRestrictions = (subject: SubjectRecord, category: string, at: string): EmittedCommand[] =>
  Object.entries(subject.restrictions)
    .filter(([, r]) => r.active && r.ground === 'erasurePending' && r.scope !== 'all' && r.scope.length === 1 && r.scope[0] === category)
    .map(([restrictionId]) => command('LiftRestriction', { subjectId: subject.subjectId, restrictionId, unrestrictedAt: at }));

/** Returns the lifecycle reactions for a policy, by name (the names key checkpoints and command ids). */
export const lifecycleReactions = (policy: PolicyDocument): Readonly<Record<string, Reaction<LetheEvent, Readonly<Record<string, unknown>>>>> => ({
  'lifecycle.subject': {
    react: (event, { views }) => (event.kind === 'subject' ? reactToSubject(policy, event, lifecycleViewsOf(views)) : {}),
  },
  'lifecycle.consent': {
    react: (event, { views }) => (event.kind === 'consent' ? reactToConsent(policy, event, lifecycleViewsOf(views)) : {}),
  },
  'lifecycle.retention': {
    react: (event, { views }) => (event.kind === 'retention' ? reactToRetention(policy, event, lifecycleViewsOf(views)) : {}),
  },
});

const payloadString = (payload: JsonValue | undefined, key: string): string | undefined => {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const value = (payload as { readonly [k: string]: JsonValue })[key];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Returns the lifecycle timer handlers, by name. Each re-checks the view at the tick and emits
 * nothing for a stale timer (the clock was reset, erased or cancelled; the grant renewed or
 * withdrawn). Commands carry the timer's due instant, not the tick's reading, so they are the same
 * whenever the tick runs.
 */
export const lifecycleTimerHandlers = (
  _policy: PolicyDocument,
): Readonly<Record<string, TimerHandler<Readonly<Record<string, unknown>>>>> => ({
  [LIFECYCLE_TIMERS.retentionDue]: (timer, { views }) => {
    const clockId = payloadString(timer.payload, 'clockId');
    const clock = clockId === undefined ? undefined : clockOf(lifecycleViewsOf(views).schedule, clockId);
    if (clock === undefined || clock.state !== 'running' || ms(clock.deadline.dueAt) > timer.at) return {};
    return { commands: [command('ExpireRetentionClock', { subjectId: clock.subjectId, category: clock.category, at: toIso(timer.at) })] };
  },
  [LIFECYCLE_TIMERS.erasureOverdue]: (timer, { views }) => {
    const clockId = payloadString(timer.payload, 'clockId');
    const dueAt = payloadString(timer.payload, 'dueAt');
    const clock = clockId === undefined ? undefined : clockOf(lifecycleViewsOf(views).schedule, clockId);
    const erasure = clock?.erasure;
    if (clock === undefined || erasure === undefined || erasure.completedAt !== undefined || erasure.completionDeadline.dueAt !== dueAt) return {};
    const d = erasure.completionDeadline;
    return {
      commands: [
        command('ObligationOverdue', {
          ruleId: d.ruleId,
          obligation: 'erasureCompletion',
          entity: { kind: 'retention', id: clock.clockId },
          dueAt: d.dueAt,
          citation: d.citation,
          explanation: d.explanation,
          detectedAt: toIso(timer.at),
          subjectId: clock.subjectId,
          category: clock.category,
        }),
      ],
    };
  },
  [LIFECYCLE_TIMERS.consentExpiry]: (timer, { views }) => {
    const grantId = payloadString(timer.payload, 'grantId');
    const grant = grantId === undefined ? undefined : grantOf(lifecycleViewsOf(views).consents, grantId);
    if (grant === undefined || grant.status !== 'active' || grant.expiresAt === undefined || ms(grant.expiresAt) >= timer.at) return {};
    return { commands: [command('ExpireConsent', { grantId: grant.grantId, at: toIso(timer.at) })] };
  },
});
