/**
 * The retention schedule: per retention clock (subject, category), where it stands (running,
 * expired, erasure requested, awaiting approval, erasing, erased, cancelled, closed), on what
 * basis, when it is due and why (rule, citation, explanation), and the erasure under way (reason,
 * completion deadline, approvals so far, systems and processors confirmed).
 *
 * Legal holds live on the subject stream and are not stored here: {@link clockStatus} derives
 * `suspendedByLegalHold` from the subject view, so a hold placed or lifted shows at once.
 *
 * @module
 */
import type { LetheEvent } from '../engine/commandHandler.js';
import type { Projection } from '../engine/processor.js';
import type { DeadlineRecord } from '../model/deadline.js';
import type { ClockState } from '../model/retention/decider.js';
import type { ApprovalsRequired, ErasureReason, ExpiryAction, RetentionBasis, RetentionEvent } from '../model/retention/events.js';
import { retentionClockId } from '../model/shared.js';
import { type PersistentMap, pmEmpty, pmGet, pmSet, pmValues } from './persistentMap.js';
import { entityIdOf, isHeld, type SubjectRecord } from './subjectView.js';

/** The erasure of a clock's data, as far as it went. */
export interface ErasureRecord {
  /** Why it was requested. */
  readonly reason: ErasureReason;
  /** When it was requested. */
  readonly requestedAt: string;
  /** By when it must complete. */
  readonly completionDeadline: DeadlineRecord;
  /** Whether processing is restricted meanwhile. */
  readonly restrictProcessing: boolean;
  /** Approvals so far: role to instant (who approved stays in the log: it is personal data). */
  readonly approvals: Readonly<Record<string, string>>;
  /** When the erasure was authorised (handed to the host). */
  readonly authorisedAt?: string;
  /** Systems that confirmed. */
  readonly confirmedSystems: readonly string[];
  /** Processors that confirmed. */
  readonly confirmedProcessors: readonly string[];
  /** When every target had confirmed. */
  readonly completedAt?: string;
}

/** One retention clock. */
export interface ClockRecord {
  /** `retentionClockId(subjectId, category)`. */
  readonly clockId: string;
  /** Whose data. */
  readonly subjectId: string;
  /** Which category. */
  readonly category: string;
  /** How many times it was started. */
  readonly cycle: number;
  /** Where it stands, as the retention stream records it. */
  readonly state: ClockState;
  /** What started it. */
  readonly basis: RetentionBasis;
  /** When the current cycle started. */
  readonly startedAt: string;
  /** The instant the deadline runs from: the start or the latest reset. */
  readonly runningSince: string;
  /** The deadline in force (due instant, rule, citation, explanation). */
  readonly deadline: DeadlineRecord;
  /** What happens at expiry. */
  readonly onExpiry: ExpiryAction;
  /** The policy version the clock was started under. */
  readonly policyVersion: string;
  /** Where the data must be erased. */
  readonly systems: readonly string[];
  /** Processors told to erase. */
  readonly processors: readonly string[];
  /** Activity kinds that reset it. */
  readonly resetBy?: readonly string[];
  /** Approvals its erasure needs. */
  readonly approvalsRequired?: ApprovalsRequired;
  /** A reactivation until this instant cancels the erasure (Personizely PZ-13). */
  readonly graceUntil?: string;
  /** The latest reset. */
  readonly lastReset?: { readonly activityKind: string; readonly resetAt: string };
  /** The due time it expired at. */
  readonly expiredAt?: string;
  /** The erasure of the current cycle. */
  readonly erasure?: ErasureRecord;
  /** The latest cancelled erasure: why and when it was cancelled, and why it had been requested. */
  readonly lastCancellation?: { readonly reason: string; readonly cancelledAt: string; readonly erasureReason?: ErasureReason };
  /** When the cycle was closed. */
  readonly closedAt?: string;
}

/** The schedule's state. */
export interface RetentionSchedule {
  /** Clocks by clock id. */
  readonly clocks: PersistentMap<ClockRecord>;
  /** Clock ids by subject id. */
  readonly bySubject: PersistentMap<readonly string[]>;
}

/** Where a clock stands for a person: its recorded state, or `suspendedByLegalHold` when a hold stops its erasure. */
export type ClockStatus = ClockState | 'suspendedByLegalHold';

/** Returns the empty schedule. */
export const initRetentionSchedule = (): RetentionSchedule => ({ clocks: pmEmpty(), bySubject: pmEmpty() });

/** Returns the clock, or undefined. */
export const clockOf = (schedule: RetentionSchedule | undefined, clockId: string): ClockRecord | undefined =>
  schedule === undefined ? undefined : pmGet(schedule.clocks, clockId);

/** Returns the clock of (subject, category), or undefined. */
export const clockFor = (schedule: RetentionSchedule | undefined, subjectId: string, category: string): ClockRecord | undefined =>
  clockOf(schedule, retentionClockId(subjectId, category));

/** Returns the subject's clocks, in the order they were first started. */
export const clocksOf = (schedule: RetentionSchedule | undefined, subjectId: string): readonly ClockRecord[] => {
  if (schedule === undefined) return [];
  const out: ClockRecord[] = [];
  for (const id of pmGet(schedule.bySubject, subjectId) ?? []) {
    const clock = pmGet(schedule.clocks, id);
    if (clock !== undefined) out.push(clock);
  }
  return out;
};

/** True when the clock runs or holds data in its cycle (not cancelled or closed): a new start would be refused. */
export const isLive = (clock: ClockRecord | undefined): clock is ClockRecord =>
  clock !== undefined && clock.state !== 'cancelled' && clock.state !== 'closed' && clock.state !== 'notStarted';

/** True when an erasure is requested and not yet authorised (it can still be cancelled). */
export const isErasurePending = (clock: ClockRecord): boolean =>
  clock.state === 'erasureRequested' || clock.state === 'awaitingApproval';

/**
 * Returns where the clock stands: `suspendedByLegalHold` when it has expired (or is past due at
 * `at`, epoch ms) without an erasure and an active legal hold of the subject covers its category
 * (GDPR Art. 17(3)(b), (e): the hold suspends erasure, not the clock); else its recorded state.
 */
export const clockStatus = (clock: ClockRecord, subject: SubjectRecord | undefined, at?: number): ClockStatus => {
  const due = clock.state === 'expired' || (clock.state === 'running' && at !== undefined && at > Date.parse(clock.deadline.dueAt));
  return due && isHeld(subject, clock.category) ? 'suspendedByLegalHold' : clock.state;
};

/** Returns the running clocks due by `at` (epoch ms), earliest first (ties by clock id). */
export const dueClocks = (schedule: RetentionSchedule, at: number): readonly ClockRecord[] =>
  pmValues(schedule.clocks)
    .filter((c) => c.state === 'running' && Date.parse(c.deadline.dueAt) <= at)
    .sort((a, b) => Date.parse(a.deadline.dueAt) - Date.parse(b.deadline.dueAt) || (a.clockId < b.clockId ? -1 : 1));

const evolve = (clock: ClockRecord, event: RetentionEvent): ClockRecord => {
  switch (event.type) {
    case 'RetentionClockStarted':
      return clock;
    case 'RetentionClockReset':
      return {
        ...clock,
        deadline: event.data.deadline,
        runningSince: event.data.resetAt,
        lastReset: { activityKind: event.data.activityKind, resetAt: event.data.resetAt },
      };
    case 'RetentionClockExpired':
      return { ...clock, state: clock.state === 'running' ? 'expired' : clock.state, expiredAt: event.data.expiredAt };
    case 'ErasureRequested': {
      const { reason, requestedAt, completionDeadline, restrictProcessing } = event.data;
      const needsApproval = (clock.approvalsRequired?.roles.length ?? 0) > 0;
      return {
        ...clock,
        state: needsApproval ? 'awaitingApproval' : 'erasureRequested',
        erasure: { reason, requestedAt, completionDeadline, restrictProcessing, approvals: {}, confirmedSystems: [], confirmedProcessors: [] },
      };
    }
    case 'ErasureApproved':
      if (clock.erasure === undefined) return clock;
      return {
        ...clock,
        erasure: { ...clock.erasure, approvals: { ...clock.erasure.approvals, [event.data.role]: event.data.approvedAt } },
      };
    case 'ErasureAuthorised':
      if (clock.erasure === undefined) return clock;
      return { ...clock, state: 'erasing', erasure: { ...clock.erasure, authorisedAt: event.data.authorisedAt } };
    case 'ErasureConfirmed': {
      if (clock.erasure === undefined) return clock;
      const { target } = event.data;
      const e = clock.erasure;
      return {
        ...clock,
        erasure:
          'system' in target
            ? { ...e, confirmedSystems: e.confirmedSystems.includes(target.system) ? e.confirmedSystems : [...e.confirmedSystems, target.system] }
            : {
                ...e,
                confirmedProcessors: e.confirmedProcessors.includes(target.processor)
                  ? e.confirmedProcessors
                  : [...e.confirmedProcessors, target.processor],
              },
      };
    }
    case 'ErasureCompleted':
      if (clock.erasure === undefined) return { ...clock, state: 'erased' };
      return { ...clock, state: 'erased', erasure: { ...clock.erasure, completedAt: event.data.completedAt } };
    case 'ErasureCancelled': {
      const { erasure: _erasure, ...rest } = clock;
      const state: ClockState =
        event.data.reason === 'reactivatedWithinGrace' ? 'cancelled' : clock.expiredAt !== undefined ? 'expired' : 'running';
      const lastCancellation = {
        reason: event.data.reason,
        cancelledAt: event.data.cancelledAt,
        ...(clock.erasure === undefined ? {} : { erasureReason: clock.erasure.reason }),
      };
      return { ...rest, state, lastCancellation };
    }
    case 'RetentionClockClosed':
      return { ...clock, state: 'closed', closedAt: event.data.closedAt };
  }
};

/** Returns the schedule after one more event of the feed; events of other kinds leave it unchanged. */
export const applyRetentionEvent = (schedule: RetentionSchedule, event: LetheEvent): RetentionSchedule => {
  if (event.kind !== 'retention') return schedule;
  const clockId = entityIdOf(event.streamName, 'retention');
  if (clockId === undefined) return schedule;
  const e = event.event as RetentionEvent;
  const before = pmGet(schedule.clocks, clockId);
  if (e.type === 'RetentionClockStarted') {
    const d = e.data;
    const clock: ClockRecord = {
      clockId,
      subjectId: d.subjectId,
      category: d.category,
      cycle: (before?.cycle ?? 0) + 1,
      state: 'running',
      basis: d.basis,
      startedAt: d.startedAt,
      runningSince: d.startedAt,
      deadline: d.deadline,
      onExpiry: d.onExpiry,
      policyVersion: d.policyVersion,
      systems: d.systems,
      processors: d.processors,
      ...(d.resetBy === undefined ? {} : { resetBy: d.resetBy }),
      ...(d.approvalsRequired === undefined ? {} : { approvalsRequired: d.approvalsRequired }),
      ...(d.graceUntil === undefined ? {} : { graceUntil: d.graceUntil }),
    };
    const known = pmGet(schedule.bySubject, d.subjectId) ?? [];
    return {
      clocks: pmSet(schedule.clocks, clockId, clock),
      bySubject: known.includes(clockId) ? schedule.bySubject : pmSet(schedule.bySubject, d.subjectId, [...known, clockId]),
    };
  }
  if (before === undefined) return schedule;
  return { ...schedule, clocks: pmSet(schedule.clocks, clockId, evolve(before, e)) };
};

/** The retention schedule projection (register it as `retentionSchedule`). */
export const retentionScheduleProjection: Projection<RetentionSchedule, LetheEvent> = {
  init: initRetentionSchedule,
  apply: applyRetentionEvent,
};
