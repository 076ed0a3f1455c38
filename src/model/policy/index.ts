/**
 * A policy document's stream (`lethe.policy-<uuid>`): the versions published. Events, commands
 * and the decider.
 *
 * @module
 */
export * from './events.js';
export * from './commands.js';
export { policyDecider } from './decider.js';
export type { PolicyDecision, PolicyRejection, PolicyState } from './decider.js';
