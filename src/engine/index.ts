/**
 * The engine: command execution with optimistic concurrency, checkpointed processors over the
 * global feed, the timer scheduler and the outbox. Domain code plugs in stream kinds
 * (deciders and codecs), projections, reactions, timer handlers and command handlers.
 *
 * @module
 */
export type { Decider, DomainCommand, DomainEvent, Rejection } from './decider.js';
export { foldEvents } from './decider.js';
export type {
  AnyStreamKind,
  AppendedEvent,
  CommandOf,
  CommandRequest,
  EventOf,
  ExecuteResult,
  LetheEvent,
  RejectionOf,
  StateOf,
  StreamKind,
} from './commandHandler.js';
export { DEFAULT_MAX_RETRIES, streamKind } from './commandHandler.js';
export type {
  CommandError,
  ConcurrencyConflict,
  HostCodeFailed,
  InvalidCommand,
  InvalidConfiguration,
  InvalidEffect,
  InvalidEvent,
  InvalidStreamName,
  ProcessingError,
  Rejected,
  UnknownStreamKind,
} from './errors.js';
export {
  deriveId,
  eventIdFor,
  isLetheStreamName,
  isUuid,
  LETHE_NAMESPACE,
  reactionCommandId,
  streamNameFor,
  timerCommandId,
  timerFiringId,
} from './ids.js';
export { EventMetadata, IsoDateTime, isIsoDateTime } from './metadata.js';
export type {
  DueTimer,
  EmittedCommand,
  Projection,
  Reaction,
  ReactionContext,
  ReactionResult,
  TimerContext,
  TimerHandler,
  TimerResult,
} from './processor.js';
export type { ScheduledTimer, TimerRequest } from './scheduler.js';
export type { KeyedPriorityQueue, QueueEntry } from './priorityQueue.js';
export { keyedPriorityQueue } from './priorityQueue.js';
export type {
  Backoff,
  CommandDispatchHandler,
  DispatchOptions,
  DispatchReport,
  EmittedBy,
  OutboxCommand,
  OutboxEntry,
  TimerRef,
} from './outbox.js';
export { backoffDelay, DEFAULT_DISPATCH_OPTIONS } from './outbox.js';
export type {
  CatchUpReport,
  CommandHandler,
  DispatchContext,
  Engine,
  EngineConfig,
  EngineNotice,
  FeedEvent,
  FiredTimer,
  PendingCommand,
  StartOptions,
  TickReport,
  ViewsOf,
} from './engine.js';
export { CHECKPOINT_LAG, createEngine, routeToStreamKind } from './engine.js';
