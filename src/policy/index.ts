/**
 * Policies: the policy document (an io-ts codec with every problem reported by path), the
 * deadline-rule shape, the built-in rulebooks with their legal citations, and the resolution of a
 * rule's deadlines from the instant its clock started.
 *
 * @module
 */
export { formatProblems, problemsFromErrors } from './errors.js';
export type { PolicyProblem, PolicyValidationError } from './errors.js';
export * from './rule.js';
export * from './document.js';
export * from './parameters.js';
export * from './deadlines.js';
export * from './applicable.js';
export * from './rulebooks/index.js';
export { PeriodField, NonEmptyString } from './codecs.js';
export * from './recordsOfProcessing.js';
export * from './reactions/index.js';
