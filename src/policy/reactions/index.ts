/**
 * Reactions: pure functions from recorded events (and the views) to the commands Lethe emits and
 * the timers it sets, per domain area; and the codecs of the host commands they emit.
 *
 * @module
 */
export * from './lifecycleCommands.js';
export * from './incidentCommands.js';
export { lifecycleReactions, lifecycleTimerHandlers, lifecycleInternalCommands } from './lifecycle.js';
export * from './streamErasure.js';
