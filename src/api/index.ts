/**
 * The host-facing API: {@link createLethe} and the areas it is built from.
 *
 * @module
 */
export * from './lethe.js';
export { letheStreams, targetedCodec, targetedDecider } from './streams.js';
export type { LetheStreams, Targeted } from './streams.js';
export type { DomainArea, Views } from './area.js';
export { settle } from './settle.js';
export type { SettleReport } from './settle.js';
export { lifecycleArea, lifecycleBuilders } from './lifecycle.js';
export type { ApiError, ProcessingDecision } from './lifecycle.js';
export { incidentBuilders, incidentsArea } from './incidents.js';
export type { IncidentsApiError } from './incidents.js';
