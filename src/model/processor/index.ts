/**
 * The sub-processor register (`lethe.processor-<uuid>`): events, commands and the decider.
 *
 * @module
 */
export * from './events.js';
export * from './commands.js';
export { processorDecider } from './decider.js';
export type { ObjectionEntry, ProcessorDecision, ProcessorRejection, ProcessorState, SubProcessorEntry } from './decider.js';
