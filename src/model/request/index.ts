/**
 * Data-subject requests (`lethe.request-<uuid>`): events, commands and the decider.
 *
 * @module
 */
export * from './events.js';
export * from './commands.js';
export { requestDecider } from './decider.js';
export type { RequestDecision, RequestOutcome, RequestRejection, RequestState } from './decider.js';
