/**
 * The privacy domain as stream kinds: subject, consent grant, retention clock, request, breach,
 * the sub-processor register and the policy document's published versions. Each kind has io-ts codecs for its events and commands and a pure
 * decider (`initialState`, `decide`, `evolve`).
 *
 * @module
 */
export * from './shared.js';
export * from './personal.js';
export * from './deadline.js';
export * from './subject/index.js';
export * from './consent/index.js';
export * from './retention/index.js';
export * from './request/index.js';
export * from './breach/index.js';
export * from './processor/index.js';
export * from './policy/index.js';
