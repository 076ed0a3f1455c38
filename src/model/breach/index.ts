/**
 * Personal data breaches (`lethe.breach-<uuid>`): events, commands and the decider.
 *
 * @module
 */
export * from './events.js';
export * from './commands.js';
export { art33MinimumContent, breachDecider, openBreachObligations } from './decider.js';
export type { BreachDecision, BreachRejection, BreachState } from './decider.js';
