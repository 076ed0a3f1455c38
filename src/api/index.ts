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
export type { SettleDidNotConverge, Settleable, SettleReport } from './settle.js';
export { lifecycleArea, lifecycleBuilders } from './lifecycle.js';
export type { ApiError, LifecycleCommandRequest, BuildResult as LifecycleBuildResult, CommandBuilder as LifecycleCommandBuilder, ProcessingDecision } from './lifecycle.js';
export { incidentBuilders, incidentsArea, REFUSAL_REASONS } from './incidents.js';
export type { BuildResult as IncidentBuildResult, BuiltCommand, CommandBuilder as IncidentCommandBuilder, IncidentsApiError } from './incidents.js';
export { erasureForRequest, erasureRequestReactions, erasureRequestsArea } from './erasureRequests.js';
export { purgeSubjectStreamsHandler, streamErasureArea } from './streamErasure.js';
export type { PurgeSubjectStreamsError } from './streamErasure.js';
