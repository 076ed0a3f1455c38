/**
 * Lethe: the lifecycle of personal data as event streams.
 *
 * - the event-store port and the embedded in-memory store ({@link getInMemoryEventStore});
 * - the engine shell: command execution, checkpointed processors, scheduler, outbox ({@link createEngine});
 * - time: periods, calendars and deadlines that explain themselves ({@link computeDeadline});
 * - the policy document and the built-in rulebooks ({@link decodePolicy}, {@link rulebooks});
 * - the privacy domain's stream kinds (subject, consent, retention, request, breach, processor).
 *
 * @module
 */
export * from './store/index.js';
export * from './time/index.js';
export * from './engine/index.js';
export * from './policy/index.js';
export * from './model/index.js';
export * from './projections/index.js';
export * from './api/index.js';
