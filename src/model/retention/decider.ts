/**
 * The decider of a retention-clock stream: pure `initialState`, `decide` and `evolve`.
 *
 * Choices worth knowing:
 * - Nothing is erased early: expiry is refused before the due time, erasure for
 *   `retentionExpired` is refused before the expiry is recorded and while a grace period runs.
 * - Only a `lastActivity` clock resets, and only for the activity kinds its rule names; any other
 *   activity is a no-op success (a page view does not reset Convertful's clock, CF-22).
 * - Once the due time has passed, activity no longer resets the clock: the lapse is a fact that
 *   starts erasure duties ("After this period expires, Convertful shall start the Customer Data
 *   Erasure", CF-22); an activity after it cannot undo them, and new data starts a new cycle.
 *   The due time counts, not whether the tick has recorded the expiry yet, so a late tick
 *   changes nothing.
 * - A legal hold suspends erasure, not the clock (the hold lives on the subject stream and
 *   arrives as `context.legalHoldActive`): the clock expires normally and erasure is requested
 *   again at the next tick after the hold is lifted.
 * - Without required approvals, `ErasureAuthorised` follows `ErasureRequested` at once, so the
 *   host always erases on the same event.
 * - Repeats are no-ops: the same start, expiry, request, approval by the same role, confirmation
 *   of the same target, cancellation or closing.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import type { DeadlineRecord } from '../deadline.js';
import type { IsoInstant } from '../shared.js';
import type { RetentionCommand } from './commands.js';
import type { ErasureReason, ErasureTarget, RetentionClockStarted, RetentionEvent } from './events.js';

/** Where a clock is in its cycle. */
export type ClockState =
  | 'notStarted'
  | 'running'
  | 'expired'
  | 'erasureRequested'
  | 'awaitingApproval'
  | 'erasing'
  | 'erased'
  | 'cancelled'
  | 'closed';

/** The erasure under way. */
export interface PendingErasure {
  readonly reason: ErasureReason;
  readonly requestedAt: IsoInstant;
  readonly completionDeadline: DeadlineRecord;
  readonly restrictProcessing: boolean;
}

/** The state of a retention clock, folded from its events. */
export interface RetentionState {
  readonly clockState: ClockState;
  /** How many times the clock was started (a new cycle after cancellation or closing). */
  readonly cycle: number;
  /** The start of the current cycle, as recorded. */
  readonly clock?: RetentionClockStarted['data'];
  /** The deadline in force: the start's, or the latest reset's. */
  readonly deadline?: DeadlineRecord;
  /** The instant the deadline runs from: the start or the latest reset. */
  readonly runningSince?: IsoInstant;
  readonly expiredAt?: IsoInstant;
  readonly erasure?: PendingErasure;
  /** Approvals of the pending erasure: role to instant. */
  readonly approvals: Readonly<Record<string, IsoInstant>>;
  readonly authorisedAt?: IsoInstant;
  readonly confirmedSystems: readonly string[];
  readonly confirmedProcessors: readonly string[];
  readonly completedAt?: IsoInstant;
  readonly cancelledAt?: IsoInstant;
  readonly closedAt?: IsoInstant;
}

/** The clock has not been started. */
export interface RetentionClockNotStarted {
  readonly _tag: 'RetentionClockNotStarted';
}
/** A different start of the current cycle was recorded (an identical one is a no-op). */
export interface RetentionClockAlreadyStarted {
  readonly _tag: 'RetentionClockAlreadyStarted';
}
/** A clock must name at least one system or processor where its data is erased. */
export interface RetentionClockWithoutTargets {
  readonly _tag: 'RetentionClockWithoutTargets';
}
/** The deadline given falls before the instant it runs from. */
export interface DeadlineBeforeStart {
  readonly _tag: 'DeadlineBeforeStart';
}
/** The due time has passed: activity no longer resets the clock. */
export interface RetentionClockAlreadyExpired {
  readonly _tag: 'RetentionClockAlreadyExpired';
  readonly dueAt: string;
}
/** The due time is still ahead: nothing is expired (or erased) early. */
export interface NotYetDue {
  readonly _tag: 'NotYetDue';
  readonly dueAt: string;
}
/** Erasure for `retentionExpired` needs the expiry recorded first. */
export interface RetentionClockNotExpired {
  readonly _tag: 'RetentionClockNotExpired';
  readonly dueAt: string;
}
/** A reactivation can still cancel the erasure until `graceUntil` (Personizely PZ-13). */
export interface GracePeriodRunning {
  readonly _tag: 'GracePeriodRunning';
  readonly graceUntil: string;
}
/** The clock was stopped by a reactivation: its retention period no longer runs. */
export interface RetentionClockCancelled {
  readonly _tag: 'RetentionClockCancelled';
}
/** The clock's cycle is closed: its data is gone. */
export interface RetentionClockClosedRejection {
  readonly _tag: 'RetentionClockClosed';
}
/** An active legal hold covers this category: erasure is suspended, the obligation shows as suspended. */
export interface ErasureSuspendedByLegalHold {
  readonly _tag: 'ErasureSuspendedByLegalHold';
  readonly citation: string;
}
/** No erasure was requested. */
export interface ErasureNotRequested {
  readonly _tag: 'ErasureNotRequested';
}
/** The erasure still awaits the required approvals. */
export interface ErasureNotAuthorised {
  readonly _tag: 'ErasureNotAuthorised';
}
/** The role is not among those whose approval the rule requires. */
export interface ApproverRoleNotRequired {
  readonly _tag: 'ApproverRoleNotRequired';
  readonly role: string;
}
/** The system or processor is not one of the clock's. */
export interface UnknownErasureTarget {
  readonly _tag: 'UnknownErasureTarget';
  readonly target: { readonly system: string } | { readonly processor: string };
}
/** There is no pending erasure to cancel. */
export interface NoErasurePending {
  readonly _tag: 'NoErasurePending';
}
/** The clock has no grace period within which a reactivation cancels erasure. */
export interface NoGracePeriod {
  readonly _tag: 'NoGracePeriod';
}
/** The reactivation came after the grace period. */
export interface GracePeriodOver {
  readonly _tag: 'GracePeriodOver';
  readonly graceUntil: string;
}
/** The erasure was authorised and handed to the host: it can no longer be cancelled. */
export interface ErasureAlreadyAuthorised {
  readonly _tag: 'ErasureAlreadyAuthorised';
}
/** The erasure has completed. */
export interface ErasureAlreadyCompleted {
  readonly _tag: 'ErasureAlreadyCompleted';
}
/** The clock cannot close while its data is held. */
export interface DataNotErased {
  readonly _tag: 'DataNotErased';
  readonly clockState: ClockState;
}

/** Why the retention decider refused a command. */
export type RetentionRejection =
  | RetentionClockNotStarted
  | RetentionClockAlreadyStarted
  | RetentionClockWithoutTargets
  | DeadlineBeforeStart
  | RetentionClockAlreadyExpired
  | NotYetDue
  | RetentionClockNotExpired
  | GracePeriodRunning
  | RetentionClockCancelled
  | RetentionClockClosedRejection
  | ErasureSuspendedByLegalHold
  | ErasureNotRequested
  | ErasureNotAuthorised
  | ApproverRoleNotRequired
  | UnknownErasureTarget
  | NoErasurePending
  | NoGracePeriod
  | GracePeriodOver
  | ErasureAlreadyAuthorised
  | ErasureAlreadyCompleted
  | DataNotErased;

const LEGAL_HOLD_CITATION = 'GDPR Art. 17(3)(b), (e)';
const REACTIVATED_WITHIN_GRACE = 'reactivatedWithinGrace';

/** Returns the state of a clock with no events. */
export const initialState = (): RetentionState => ({
  clockState: 'notStarted',
  cycle: 0,
  approvals: {},
  confirmedSystems: [],
  confirmedProcessors: [],
});

/** What decide returns: the new events or the rejection. */
export type RetentionDecision = Either<RetentionRejection, readonly RetentionEvent[]>;
const ok = (events: readonly RetentionEvent[]): RetentionDecision => E.right(events);
const noop = (): RetentionDecision => E.right([]);
const reject = (rejection: RetentionRejection): RetentionDecision => E.left(rejection);

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
};
const sameData = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

// Positive when `a` is later than `b`; instants may carry different offsets, so never compare strings.
const diff = (a: string, b: string): number => Date.parse(a) - Date.parse(b);

const erasurePending = (s: ClockState): boolean => s === 'erasureRequested' || s === 'awaitingApproval';
const erasureUnderway = (s: ClockState): boolean => erasurePending(s) || s === 'erasing' || s === 'erased';

const requiredRoles = (clock: RetentionClockStarted['data'] | undefined): readonly string[] =>
  clock?.approvalsRequired?.roles ?? [];

const approvalsSatisfied = (clock: RetentionClockStarted['data'] | undefined, approved: readonly string[]): boolean => {
  const roles = requiredRoles(clock);
  if (roles.length === 0) return true;
  return clock?.approvalsRequired?.mode === 'any'
    ? roles.some((role) => approved.includes(role))
    : roles.every((role) => approved.includes(role));
};

const isKnownTarget = (clock: RetentionClockStarted['data'], target: ErasureTarget): boolean =>
  'system' in target ? clock.systems.some((s) => s === target.system) : clock.processors.some((p) => p === target.processor);

const isConfirmed = (state: RetentionState, target: ErasureTarget): boolean =>
  'system' in target ? state.confirmedSystems.includes(target.system) : state.confirmedProcessors.includes(target.processor);

/**
 * Returns the events `command` produces in `state`, an empty list for a no-op (a repeat, an
 * activity the rule does not name), or the rule that forbids it.
 */
export const decide = (
  command: RetentionCommand,
  state: RetentionState,
): Either<RetentionRejection, readonly RetentionEvent[]> => {
  const { clockState, clock, deadline } = state;

  if (command.type === 'StartRetentionClock') {
    const { startedAt, deadline: next, systems, processors } = command.data;
    if (clock !== undefined && sameData(command.data, clock)) return noop();
    if (clockState !== 'notStarted' && clockState !== 'cancelled' && clockState !== 'closed') {
      return reject({ _tag: 'RetentionClockAlreadyStarted' });
    }
    if (systems.length === 0 && processors.length === 0) return reject({ _tag: 'RetentionClockWithoutTargets' });
    if (diff(next.dueAt, startedAt) < 0) return reject({ _tag: 'DeadlineBeforeStart' });
    return ok([{ type: 'RetentionClockStarted', data: command.data }]);
  }
  if (clock === undefined || deadline === undefined || clockState === 'notStarted') {
    return reject({ _tag: 'RetentionClockNotStarted' });
  }

  switch (command.type) {
    case 'ResetRetentionClock': {
      const { activityKind, resetAt, deadline: next } = command.data;
      if (clockState === 'cancelled' || clockState === 'closed') return noop();
      // Convertful CF-22: only the activity kinds the rule names reset it, only on a last-activity
      // basis; any other activity is a no-op, before or after expiry.
      if (clock.basis !== 'lastActivity' || !(clock.resetBy ?? []).some((kind) => kind === activityKind)) return noop();
      const lapsed = state.expiredAt !== undefined || (clockState === 'running' && diff(resetAt, deadline.dueAt) >= 0);
      if (lapsed) return reject({ _tag: 'RetentionClockAlreadyExpired', dueAt: deadline.dueAt });
      // Erasure under way for another reason (a subject's request): activity does not stop it.
      if (clockState !== 'running') return noop();
      // An activity older than the instant the deadline runs from is stale: it cannot shorten the clock.
      if (state.runningSince !== undefined && diff(resetAt, state.runningSince) <= 0) return noop();
      if (diff(next.dueAt, resetAt) < 0) return reject({ _tag: 'DeadlineBeforeStart' });
      return ok([{ type: 'RetentionClockReset', data: { activityKind, resetAt, deadline: next } }]);
    }
    case 'ExpireRetentionClock': {
      const { at } = command.data;
      if (clockState !== 'running') return noop();
      if (diff(at, deadline.dueAt) < 0) return reject({ _tag: 'NotYetDue', dueAt: deadline.dueAt });
      return ok([{ type: 'RetentionClockExpired', data: { expiredAt: deadline.dueAt, checkedAt: at } }]);
    }
    case 'RequestErasure': {
      const { reason, requestedAt, completionDeadline, restrictProcessing, context } = command.data;
      if (clockState === 'closed') return reject({ _tag: 'RetentionClockClosed' });
      if (erasureUnderway(clockState)) return noop();
      if (reason === 'retentionExpired') {
        if (clockState === 'cancelled') return reject({ _tag: 'RetentionClockCancelled' });
        if (clockState !== 'expired') return reject({ _tag: 'RetentionClockNotExpired', dueAt: deadline.dueAt });
        // A request stamped before the due time (an out-of-order tick) would erase early.
        if (diff(requestedAt, deadline.dueAt) < 0) return reject({ _tag: 'NotYetDue', dueAt: deadline.dueAt });
        if (clock.graceUntil !== undefined && diff(requestedAt, clock.graceUntil) <= 0) {
          return reject({ _tag: 'GracePeriodRunning', graceUntil: clock.graceUntil });
        }
      }
      if (context.legalHoldActive) return reject({ _tag: 'ErasureSuspendedByLegalHold', citation: LEGAL_HOLD_CITATION });
      const requested: RetentionEvent = {
        type: 'ErasureRequested',
        data: { reason, requestedAt, completionDeadline, restrictProcessing },
      };
      return requiredRoles(clock).length === 0
        ? ok([requested, { type: 'ErasureAuthorised', data: { authorisedAt: requestedAt, roles: [] } }])
        : ok([requested]);
    }
    case 'ApproveErasure': {
      const { role, approvedBy, approvedAt } = command.data;
      if (!erasureUnderway(clockState)) return reject({ _tag: 'ErasureNotRequested' });
      if (!requiredRoles(clock).includes(role)) return reject({ _tag: 'ApproverRoleNotRequired', role });
      // A duplicate approval, or one that arrives after the mode was satisfied, changes nothing.
      if (clockState !== 'awaitingApproval' || state.approvals[role] !== undefined) return noop();
      const approved = [...(Object.keys(state.approvals) as (typeof role)[]), role];
      const approval: RetentionEvent = { type: 'ErasureApproved', data: { role, approvedBy, approvedAt } };
      return approvalsSatisfied(clock, approved)
        ? ok([approval, { type: 'ErasureAuthorised', data: { authorisedAt: approvedAt, roles: approved } }])
        : ok([approval]);
    }
    case 'ConfirmErasure': {
      const { target, confirmedAt } = command.data;
      if (!erasureUnderway(clockState)) return reject({ _tag: 'ErasureNotRequested' });
      if (erasurePending(clockState)) return reject({ _tag: 'ErasureNotAuthorised' });
      if (!isKnownTarget(clock, target)) return reject({ _tag: 'UnknownErasureTarget', target });
      if (isConfirmed(state, target)) return noop();
      const confirmation: RetentionEvent = { type: 'ErasureConfirmed', data: { target, confirmedAt } };
      const systems = 'system' in target ? [...state.confirmedSystems, target.system] : state.confirmedSystems;
      const processors = 'processor' in target ? [...state.confirmedProcessors, target.processor] : state.confirmedProcessors;
      const complete =
        clock.systems.every((s) => systems.includes(s)) && clock.processors.every((p) => processors.includes(p));
      return complete
        ? ok([
            confirmation,
            { type: 'ErasureCompleted', data: { completedAt: confirmedAt, systems: clock.systems, processors: clock.processors } },
          ])
        : ok([confirmation]);
    }
    case 'CancelErasure': {
      const { reason, cancelledAt } = command.data;
      if (clockState === 'cancelled') return noop();
      if (clockState === 'erased' || clockState === 'closed') return reject({ _tag: 'ErasureAlreadyCompleted' });
      if (clockState === 'erasing') return reject({ _tag: 'ErasureAlreadyAuthorised' });
      if (reason === REACTIVATED_WITHIN_GRACE) {
        // Personizely PZ-13: a client who returns within the grace period keeps their data.
        if (clock.graceUntil === undefined) return reject({ _tag: 'NoGracePeriod' });
        if (diff(cancelledAt, clock.graceUntil) > 0) return reject({ _tag: 'GracePeriodOver', graceUntil: clock.graceUntil });
        return ok([{ type: 'ErasureCancelled', data: { reason, cancelledAt } }]);
      }
      if (!erasurePending(clockState)) return reject({ _tag: 'NoErasurePending' });
      return ok([{ type: 'ErasureCancelled', data: { reason, cancelledAt } }]);
    }
    case 'CloseRetentionClock': {
      const { closedAt } = command.data;
      if (clockState === 'closed') return noop();
      if (clockState !== 'erased' && clockState !== 'cancelled') return reject({ _tag: 'DataNotErased', clockState });
      return ok([{ type: 'RetentionClockClosed', data: { closedAt } }]);
    }
  }
};

/** Returns the state after `event`. */
export const evolve = (state: RetentionState, event: RetentionEvent): RetentionState => {
  switch (event.type) {
    case 'RetentionClockStarted':
      return {
        ...initialState(),
        clockState: 'running',
        cycle: state.cycle + 1,
        clock: event.data,
        deadline: event.data.deadline,
        runningSince: event.data.startedAt,
      };
    case 'RetentionClockReset':
      return { ...state, deadline: event.data.deadline, runningSince: event.data.resetAt };
    case 'RetentionClockExpired':
      return { ...state, clockState: state.clockState === 'running' ? 'expired' : state.clockState, expiredAt: event.data.expiredAt };
    case 'ErasureRequested':
      return {
        ...state,
        clockState: requiredRoles(state.clock).length === 0 ? 'erasureRequested' : 'awaitingApproval',
        erasure: event.data,
        approvals: {},
      };
    case 'ErasureApproved':
      return { ...state, approvals: { ...state.approvals, [event.data.role]: event.data.approvedAt } };
    case 'ErasureAuthorised':
      return { ...state, clockState: 'erasing', authorisedAt: event.data.authorisedAt };
    case 'ErasureConfirmed': {
      const { target } = event.data;
      return 'system' in target
        ? { ...state, confirmedSystems: state.confirmedSystems.includes(target.system) ? state.confirmedSystems : [...state.confirmedSystems, target.system] }
        : {
            ...state,
            confirmedProcessors: state.confirmedProcessors.includes(target.processor)
              ? state.confirmedProcessors
              : [...state.confirmedProcessors, target.processor],
          };
    }
    case 'ErasureCompleted':
      return { ...state, clockState: 'erased', completedAt: event.data.completedAt };
    case 'ErasureCancelled': {
      const { erasure: _erasure, authorisedAt: _authorisedAt, ...rest } = state;
      const clockState: ClockState =
        event.data.reason === REACTIVATED_WITHIN_GRACE ? 'cancelled' : state.expiredAt !== undefined ? 'expired' : 'running';
      return { ...rest, clockState, approvals: {}, cancelledAt: event.data.cancelledAt };
    }
    case 'RetentionClockClosed':
      return { ...state, clockState: 'closed', closedAt: event.data.closedAt };
  }
};

/** The retention-clock stream's decider: `{ initialState, decide, evolve }`, all pure. */
export const retentionDecider = { initialState, decide, evolve };
