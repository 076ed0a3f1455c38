/**
 * The retention-clock stream kind (`lethe.retention-<retentionClockId(subjectId, category)>`):
 * its events, commands, decider and the stream name of a command.
 *
 * @module
 */
import { retentionClockId, streamName } from '../shared.js';
import type { RetentionCommand } from './commands.js';

export * from './events.js';
export * from './commands.js';
export {
  retentionDecider,
  type ClockState,
  type PendingErasure,
  type RetentionState,
  type RetentionClockNotStarted,
  type RetentionClockAlreadyStarted,
  type RetentionClockWithoutTargets,
  type DeadlineBeforeStart,
  type RetentionClockAlreadyExpired,
  type NotYetDue,
  type RetentionClockNotExpired,
  type GracePeriodRunning,
  type RetentionClockCancelled,
  type RetentionClockClosedRejection,
  type ErasureSuspendedByLegalHold,
  type ErasureNotRequested,
  type ErasureNotAuthorised,
  type ApproverRoleNotRequired,
  type UnknownErasureTarget,
  type NoErasurePending,
  type NoGracePeriod,
  type GracePeriodOver,
  type ErasureAlreadyAuthorised,
  type ErasureAlreadyCompleted,
  type DataNotErased,
  type RetentionDecision,
  type RetentionRejection,
} from './decider.js';

/** Returns the stream a retention command goes to: `lethe.retention-<retentionClockId(subjectId, category)>`. */
export const retentionStreamName = (command: RetentionCommand): string =>
  streamName('retention', retentionClockId(command.data.subjectId, command.data.category));
