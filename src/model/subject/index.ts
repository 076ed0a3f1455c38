/**
 * The data-subject stream kind (`lethe.subject-<uuid>`): its events, commands, decider and the
 * stream name of a command.
 *
 * @module
 */
import { streamName } from '../shared.js';
import type { SubjectCommand } from './commands.js';

export * from './events.js';
export * from './commands.js';
export {
  ageAt,
  subjectDecider,
  type CollectedCategory,
  type RestrictionState,
  type LegalHoldState,
  type ContractState,
  type SubjectState,
  type SubjectNotRegistered,
  type SubjectAlreadyRegistered,
  type SubjectErasedRejection,
  type ChildBelowMinimumAge,
  type ParentalAuthorisationRequired,
  type SensitiveDataForbidden,
  type ExplicitConsentRequired,
  type ProcessingRestrictedRejection,
  type RestrictionConflict,
  type RestrictionNotFound,
  type SubjectNotInformed,
  type LegalHoldConflict,
  type LegalHoldNotFound,
  type ContractAlreadyExists,
  type ContractNotFound,
  type ContractNotCancelled,
  type ContractAlreadyTerminated,
  type SubjectErasureSuspendedByLegalHold,
  type SubjectRejection,
} from './decider.js';

/** Returns the stream a subject command goes to: `lethe.subject-<subjectId>`. */
export const subjectStreamName = (command: SubjectCommand): string => streamName('subject', command.data.subjectId);
