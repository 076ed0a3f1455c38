/**
 * The consent-grant stream kind (`lethe.consent-<uuid>`): its events, commands, decider and the
 * stream name of a command.
 *
 * @module
 */
import { streamName } from '../shared.js';
import type { ConsentCommand } from './commands.js';

export * from './events.js';
export * from './commands.js';
export {
  consentDecider,
  type ConsentState,
  type ConsentNotFound,
  type ConsentAlreadyGranted,
  type PreTickedConsent,
  type ExplicitConsentByConduct,
  type ExpiryNotAfterStart,
  type ConsentAlreadyWithdrawn,
  type ConsentLapsed,
  type ConsentWithoutExpiry,
  type ConsentNotYetExpired,
  type ConsentRejection,
} from './decider.js';

/** Returns the stream a consent command goes to: `lethe.consent-<grantId>`. */
export const consentStreamName = (command: ConsentCommand): string => streamName('consent', command.data.grantId);
