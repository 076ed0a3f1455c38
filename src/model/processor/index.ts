/**
 * The sub-processor register (`lethe.processor-<uuid>`): events, commands and the decider.
 *
 * @module
 */
export * from './events.js';
export * from './commands.js';
export { AUTHORITY_DEMAND_PROHIBITION_CITATION, processorDecider } from './decider.js';
export type { AuthorityDemandEntry, ObjectionEntry, ProcessorDecision, ProcessorRejection, ProcessorState, SubProcessorEntry } from './decider.js';
