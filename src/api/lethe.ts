/**
 * `createLethe`: the host-facing API. It validates the policy document, wires the six stream
 * kinds, the domain areas' projections, reactions and timer handlers into the engine, routes
 * internal commands back to Lethe's own streams and host commands to the host's handlers, and
 * offers one method per host call plus the queries.
 *
 * Every host call runs the same way: the area's command builder validates the input (errors name
 * the path), resolves facts from the current views and computes deadlines from the policy once;
 * the engine executes the resulting commands; then Lethe settles (processes the feed and
 * dispatches emitted commands until nothing moves). `tick(now)` fires the timers due by `now` and
 * settles again. Nothing reads the wall clock except the clock you pass (default: the system's).
 *
 * @example
 * ```ts
 * const lethe = unwrap(createLethe({ policy, clock, handlers: { EraseSubjectData: eraseRows } }));
 * await lethe.registerSubject({ subjectId, jurisdictions: ['EU'], ourRole: { role: 'controller' } });
 * await lethe.tick(Date.parse('2027-05-03T08:00:00Z'));
 * lethe.obligations({ state: 'overdue' });
 * ```
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { v4 as uuidv4 } from 'uuid';
import { createEngine, routeToStreamKind } from '../engine/index.js';
import type {
  AnyStreamKind,
  CommandError,
  CommandHandler,
  DispatchOptions,
  Engine,
  InvalidConfiguration,
  LetheEvent,
  OutboxEntry,
  PendingCommand,
  ProcessingError,
  Projection,
  Rejection,
  TickReport,
} from '../engine/index.js';
import { decodeRecorded } from '../engine/commandHandler.js';
import { kindOfStream } from '../engine/ids.js';
import { decodePolicy } from '../policy/index.js';
import type { PolicyDocument, PolicyValidationError } from '../policy/index.js';
import { recordsOfProcessing as buildRecordsOfProcessing } from '../policy/recordsOfProcessing.js';
import type { RecordsOfProcessing } from '../policy/recordsOfProcessing.js';
import { obligations as queryObligations, obligationsProjection } from '../projections/obligations.js';
import type { Obligation, ObligationsQuery } from '../projections/obligations.js';
import { timeline as queryTimeline, timelineProjection } from '../projections/timeline.js';
import type { TimelineEntry } from '../projections/timeline.js';
import { subjectOf } from '../projections/subjectView.js';
import { subProcessorsForRecord } from '../projections/processorRegister.js';
import type { ProcessorRegisterState } from '../projections/processorRegister.js';
import type { SubjectRecord } from '../projections/subjectView.js';
import { getInMemoryEventStore } from '../store/index.js';
import type { EventStore, RecordedEvent } from '../store/index.js';
import { systemClock, toIso } from '../time/index.js';
import type { Clock, Instant } from '../time/index.js';
import type { DomainArea, Views } from './area.js';
import { canProcess as decideCanProcess, lifecycleArea, lifecycleBuilders } from './lifecycle.js';
import type { ApiError, ProcessingDecision } from './lifecycle.js';
import { lifecycleHostCommandTypes } from '../policy/reactions/lifecycleCommands.js';
import { incidentHostCommandTypes } from '../policy/reactions/incidentCommands.js';
import { incidentBuilders, incidentsArea } from './incidents.js';
import type { BuiltCommand, IncidentsApiError } from './incidents.js';
import { settle } from './settle.js';
import { erasureRequestsArea } from './erasureRequests.js';
import { purgeSubjectStreamsHandler, streamErasureArea } from './streamErasure.js';
import { PURGE_SUBJECT_STREAMS } from '../policy/reactions/streamErasure.js';
import type { SettleReport } from './settle.js';
import { letheStreams } from './streams.js';

/**
 * The areas Lethe is made of; each adds projections, reactions, timers and internal commands.
 * `streamErasureArea` comes after the lifecycle: it reads the lifecycle views.
 */
const AREAS: readonly DomainArea[] = [lifecycleArea, incidentsArea, erasureRequestsArea, streamErasureArea];

/** Host command types emitted by the areas' reactions and timers: the host registers handlers for them. */
export const hostCommandTypes: readonly string[] = [...new Set<string>([...lifecycleHostCommandTypes, ...incidentHostCommandTypes])].sort();

/** The cross-cutting projections, beside the areas' own. */
const SHARED_PROJECTIONS = { obligations: obligationsProjection, timeline: timelineProjection } as const;

/** Options of {@link createLethe}. */
export interface LetheOptions {
  /** The policy document (validated here: every problem is reported by path). */
  readonly policy: unknown;
  /** The event store (default: a new in-memory store on the same clock). */
  readonly store?: EventStore;
  /** The clock (default: the system clock). Simulations and tests pass a simulated clock. */
  readonly clock?: Clock;
  /** The host's handlers for emitted commands, by command type (e.g. `EraseSubjectData`). */
  readonly handlers?: Readonly<Record<string, CommandHandler>>;
  /** Recorded as the actor of host calls that name none (default `'host'`). */
  readonly actor?: string;
  /**
   * Identifies this instance in outbox claims when several share one store (default: a random
   * uuid). Give each running instance its own: a claim under this id is taken as this instance's
   * own and redone at once (it was left by a failure here, or by this instance before a restart).
   */
  readonly instanceId?: string;
  /**
   * How emitted commands are retried and leased (default: 5 attempts, back-off from 1 s, 60 s
   * leases). With several instances on one store, `leaseMs` is how long a command claimed by an
   * instance that died waits before another instance takes it over.
   */
  readonly dispatch?: Partial<DispatchOptions>;
}

/** Options of one host call. */
export interface CallOptions {
  /** Business time of the call (ISO 8601 with offset); default: the clock's reading. */
  readonly at?: string;
  /** Who did it (an operator id, a system name; never personal data). */
  readonly actor?: string;
  /** An idempotency key: the same key yields the same event ids, so a retried call writes nothing twice. */
  readonly commandId?: string;
  /** Ties the call's events to a wider piece of work. */
  readonly correlationId?: string;
}

/** Why a host call failed. */
export type LetheError =
  | ApiError
  | IncidentsApiError
  | CommandError<Rejection>
  | ProcessingError
  | InvalidConfiguration
  | { readonly _tag: 'SettleDidNotConverge'; readonly rounds: number }
  | { readonly _tag: 'InvalidAt'; readonly path: 'at'; readonly message: string };

/** What a successful host call did. */
export interface CallResult {
  /** The events the call appended, by stream (types only, no payloads). */
  readonly appended: readonly { readonly streamName: string; readonly types: readonly string[] }[];
  /** What settling processed and dispatched afterwards. */
  readonly settled: SettleReport;
}

/** A host call: validated input in, events appended and the consequences settled. */
export type HostCall = (input: unknown, options?: CallOptions) => Promise<Either<LetheError, CallResult>>;

/** The engine under a Lethe: the six stream kinds, projections by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LetheEngine = Engine<Readonly<Record<string, AnyStreamKind>>, Readonly<Record<string, Projection<any, LetheEvent>>>>;

/** The views every query reads (projection states by name). */
export type LetheViews = Views;

/** The host calls, one per command builder of the areas. */
export type LetheCalls = { readonly [K in keyof typeof lifecycleBuilders | keyof typeof incidentBuilders]: HostCall };

/** A running Lethe: host calls, queries, and the scheduler. */
export interface Lethe extends LetheCalls {
  /** The validated policy in force. */
  readonly policy: PolicyDocument;
  /** The underlying engine, for what the facade does not cover. */
  readonly engine: LetheEngine;
  /** The store the log lives in. */
  readonly store: EventStore;
  /**
   * Fires every timer due by `now` (default: the clock's reading) and settles at `now`; returns
   * what fired. A `now` ahead of the clock also judges leases and retries at `now`: use one only
   * where no other instance runs (simulations, tests).
   */
  readonly tick: (now?: Instant) => Promise<Either<LetheError, TickReport>>;
  /** Processes the feed and dispatches emitted commands until nothing moves. */
  readonly settle: (now?: Instant) => Promise<Either<LetheError, SettleReport>>;
  /** May `subjectId`'s data be processed for `purpose` at `at` (default now)? With the reason and citation. */
  readonly canProcess: (subjectId: string, purpose: string, at?: Instant | string) => ProcessingDecision;
  /** The subject's current view, or undefined for an unknown subject. */
  readonly subject: (subjectId: string) => SubjectRecord | undefined;
  /** Every obligation matching the query, with its state at `now` (default: the clock's reading). */
  readonly obligations: (query?: Partial<ObligationsQuery>) => readonly Obligation[];
  /** The accountability record of one subject, oldest first; no personal data in the summaries. */
  readonly timeline: (subjectId: string) => readonly TimelineEntry[];
  /** The views as they stood at `instant`, rebuilt from the log (events recorded after it are left out). */
  readonly asOf: (instant: Instant | string) => Promise<Either<LetheError, AsOfViews>>;
  /** The Art. 30 record of processing, from the policy and the sub-processor register. */
  readonly recordsOfProcessing: () => RecordsOfProcessing;
  /** Commands emitted and not yet acknowledged by a host handler. */
  readonly pendingCommands: () => Promise<Either<LetheError, readonly PendingCommand[]>>;
  /** Commands whose handler failed every attempt. */
  readonly failedCommands: () => Promise<Either<LetheError, readonly OutboxEntry[]>>;
  /** Starts live mode: processors follow the store's subscription and dispatch runs on new commands. */
  readonly start: () => Promise<Either<LetheError, void>>;
  /** Stops live mode. */
  readonly stop: () => Promise<Either<LetheError, void>>;
}

/** The views as they stood at an instant, with the same queries. */
export interface AsOfViews {
  /** The instant the views were rebuilt for (ISO 8601, UTC). */
  readonly at: string;
  /** Projection states by name. */
  readonly views: Views;
  /** The subject's view then. */
  readonly subject: (subjectId: string) => SubjectRecord | undefined;
  /** Obligations as they stood then, their state judged at that instant. */
  readonly obligations: (query?: Partial<ObligationsQuery>) => readonly Obligation[];
  /** The subject's timeline up to then. */
  readonly timeline: (subjectId: string) => readonly TimelineEntry[];
  /** Processing permission as it stood then. */
  readonly canProcess: (subjectId: string, purpose: string) => ProcessingDecision;
}

/** A command builder of any area: input validated, facts resolved, deadlines computed once. */
type AnyBuilder = (
  policy: PolicyDocument,
  views: Views,
  input: unknown,
  at: Instant,
) => Either<ApiError | IncidentsApiError, readonly (Parameters<LetheEngine['execute']>[0] | BuiltCommand)[]>;

const ALL_BUILDERS: Readonly<Record<string, AnyBuilder>> = { ...lifecycleBuilders, ...incidentBuilders } as Readonly<
  Record<string, AnyBuilder>
>;

/**
 * Rejections of Lethe's own commands that mean what the command was for already holds: two
 * reactions that each saw no clock (a withdrawal and a cancellation at once) both ask to start it;
 * the second finds it running, which is all it wanted.
 */
const INTENT_ALREADY_HELD: Readonly<Record<string, readonly string[]>> = {
  StartRetentionClock: ['RetentionClockAlreadyStarted'],
};

/** The handler of one of Lethe's own commands: executed on its stream kind. */
const internalHandler = (type: string, kind: string): CommandHandler => {
  const route = routeToStreamKind(kind);
  const held = INTENT_ALREADY_HELD[type];
  if (held === undefined) return route;
  return async (command, context) => {
    const result = await route(command, context);
    if (E.isLeft(result)) {
      const failure = result.left as { readonly _tag?: unknown; readonly rejection?: { readonly _tag?: unknown } };
      if (failure._tag === 'Rejected' && typeof failure.rejection?._tag === 'string' && held.includes(failure.rejection._tag))
        return E.right(undefined);
    }
    return result;
  };
};

/**
 * Validates the policy and returns a ready Lethe on the given store and clock, or the policy's
 * problems (every one, by path) or an engine configuration error. Never throws.
 */
export const createLethe = (options: LetheOptions): Either<PolicyValidationError | LetheError, Lethe> => {
  const decoded = decodePolicy(options.policy);
  if (E.isLeft(decoded)) return decoded;
  const policy = decoded.right;
  const clock = options.clock ?? systemClock;
  const store = options.store ?? getInMemoryEventStore({ clock });
  const defaultActor = options.actor ?? 'host';

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const projections: Record<string, Projection<any, LetheEvent>> = { ...SHARED_PROJECTIONS };
  const reactions: Record<string, ReturnType<DomainArea['reactions']>[string]> = {};
  const timerHandlers: Record<string, ReturnType<DomainArea['timerHandlers']>[string]> = {};
  const commandHandlers: Record<string, CommandHandler> = {};
  for (const area of AREAS) {
    Object.assign(projections, area.projections);
    Object.assign(reactions, area.reactions(policy));
    Object.assign(timerHandlers, area.timerHandlers(policy));
    for (const [type, kind] of Object.entries(area.internalCommands)) commandHandlers[type] = internalHandler(type, kind);
  }
  // Not a stream kind's command: it deletes streams on this Lethe's own store (erasure.streams).
  commandHandlers[PURGE_SUBJECT_STREAMS] = purgeSubjectStreamsHandler(store);
  for (const [type, handler] of Object.entries(options.handlers ?? {})) {
    if (type in commandHandlers)
      return E.left({ _tag: 'InvalidConfiguration', path: `handlers.${type}`, reason: 'an internal command of Lethe; hosts cannot handle it' });
    commandHandlers[type] = handler;
  }
  const created = createEngine({
    store,
    clock,
    streams: letheStreams,
    projections,
    reactions,
    timerHandlers,
    commandHandlers,
    // Lethe's own commands of one cause run in the order emitted (a clock starts before the
    // erasure that needs it is requested), whatever holds the first one up.
    orderedCommandTypes: [...AREAS.flatMap((area) => Object.keys(area.internalCommands)), PURGE_SUBJECT_STREAMS],
    ...(options.instanceId !== undefined ? { instanceId: options.instanceId } : {}),
    ...(options.dispatch !== undefined ? { dispatch: options.dispatch } : {}),
  });
  if (E.isLeft(created)) return created;
  const engine = created.right as unknown as LetheEngine;
  const projectionNames = Object.keys(projections);
  const views = (): Views =>
    Object.fromEntries(projectionNames.map((name) => [name, (engine.projection as (n: string) => unknown)(name)]));

  const settleAt = async (now: Instant): Promise<Either<LetheError, SettleReport>> => settle(engine, now);

  const call =
    (builder: AnyBuilder): HostCall =>
    async (input, callOptions = {}) => {
      let at = clock.now();
      if (callOptions.at !== undefined) {
        const parsed = Date.parse(callOptions.at);
        if (!/(Z|[+-]\d{2}:\d{2})$/.test(callOptions.at) || !Number.isFinite(parsed))
          return E.left({ _tag: 'InvalidAt', path: 'at', message: 'must be an ISO 8601 instant with an offset' });
        at = parsed;
      }
      // Bad input is refused before the store is touched at all.
      const draft = builder(policy, views(), input, at);
      if (E.isLeft(draft) && (draft.left as { readonly _tag: string })._tag === 'InvalidInput') return draft;
      // Decide on the log as it stands, with the work already due done: other instances on the
      // same store may have written since this one last read it, and a command of Lethe's own
      // that failed earlier (a store blip) may now go through (when nothing is new or due, this
      // is one read of the log's tail). The commands are then built again on those views.
      const ready = await settleAt(clock.now());
      if (E.isLeft(ready)) return ready;
      const built = builder(policy, views(), input, at);
      if (E.isLeft(built)) return built;
      const occurredAt = toIso(at);
      const correlationId = callOptions.correlationId ?? callOptions.commandId ?? uuidv4();
      const appended: { streamName: string; types: string[] }[] = [];
      const subCommandIds = new Map<string, number>();
      /**
       * The id of one command of this call: the call's id, the command's type and its stream, so a
       * retry after a failure half-way (when the views may already show the part that was written,
       * and the builder then leaves it out) gives each remaining command the id it had the first
       * time; a second command of the same type on the same stream gets `#1`, and so on.
       */
      const subCommandId = (commandId: string, request: unknown): string => {
        const { kind, command } = request as { readonly kind: string; readonly command: { readonly type?: unknown } };
        let stream = kind;
        try {
          stream = (letheStreams as unknown as Record<string, { streamName: (c: unknown) => string }>)[kind]?.streamName(command) ?? kind;
        } catch {
          // The engine reports a bad stream name when it executes the command.
        }
        const base = `${commandId}:${String(command.type)}@${stream}`;
        const seen = subCommandIds.get(base) ?? 0;
        subCommandIds.set(base, seen + 1);
        return seen === 0 ? base : `${base}#${seen}`;
      };
      for (const request of built.right) {
        const done = await engine.execute({
          ...(request as object),
          // Builders that know the business instant (receivedAt, awareAt) say so; else the call's time.
          occurredAt: (request as { readonly occurredAt?: string }).occurredAt ?? occurredAt,
          actor: callOptions.actor ?? defaultActor,
          correlationId,
          ...(callOptions.commandId !== undefined ? { commandId: subCommandId(callOptions.commandId, request) } : {}),
        } as never);
        if (E.isLeft(done)) return done as Either<LetheError, never>;
        appended.push({ streamName: done.right.streamName, types: done.right.events.map((e: { readonly event: { readonly type: string } }) => e.event.type) });
      }
      // Leases and retry times run on the clock, never on the call's business time (`at` may be
      // later than now, and must not expire another instance's lease).
      const settled = await settleAt(clock.now());
      if (E.isLeft(settled)) return settled;
      return E.right({ appended, settled: settled.right });
    };

  const calls = Object.fromEntries(Object.entries(ALL_BUILDERS).map(([name, builder]) => [name, call(builder)])) as LetheCalls;

  const nowOr = (now: Instant | undefined): Instant => now ?? clock.now();
  const toInstant = (at: Instant | string | undefined): Instant =>
    at === undefined ? clock.now() : typeof at === 'number' ? at : Date.parse(at);

  const queriesOver = (read: () => Views, now: () => Instant) => ({
    subject: (subjectId: string) => subjectOf(read()['subjectView'] as never, subjectId),
    obligations: (query: Partial<ObligationsQuery> = {}) =>
      queryObligations(read()['obligations'] as never, { ...query, now: query.now ?? now() }),
    timeline: (subjectId: string) => queryTimeline(read()['timeline'] as never, subjectId),
  });

  /** Rebuilds every projection from the log, keeping the events recorded at or before `instant`. */
  const asOf = async (instant: Instant | string): Promise<Either<LetheError, AsOfViews>> => {
    const cut = toInstant(instant);
    const states: Record<string, unknown> = Object.fromEntries(projectionNames.map((n) => [n, projections[n]!.init()]));
    const kinds = letheStreams as unknown as Record<string, { readonly events: Parameters<typeof decodeRecorded>[1] }>;
    let from: RecordedEvent['position'] | 'start' = 'start';
    for (let first = true; ; first = false) {
      const page = await store.readAll({ fromPosition: from, maxCount: 1000, filter: { excludeSystemEvents: true, streamNamePrefixes: ['lethe.'] } });
      if (E.isLeft(page)) return page;
      const fresh = first ? page.right : page.right.slice(1);
      for (const recorded of fresh) {
        if (recorded.recordedAt > cut) continue;
        const kind = kindOfStream(recorded.streamName);
        const codec = kind === undefined ? undefined : kinds[kind]?.events;
        if (kind === undefined || codec === undefined) continue; // engine bookkeeping (outbox, checkpoints)
        const event = decodeRecorded(kind, codec, recorded);
        if (E.isLeft(event)) return event;
        for (const name of projectionNames) states[name] = projections[name]!.apply(states[name], event.right);
      }
      const last = page.right[page.right.length - 1];
      if (page.right.length < 1000 || last === undefined) break;
      from = last.position;
    }
    const frozen: Views = states;
    const q = queriesOver(() => frozen, () => cut);
    return E.right({
      at: toIso(cut),
      views: frozen,
      ...q,
      canProcess: (subjectId, purpose) => decideCanProcess(frozen, policy, { subjectId, purpose, at: cut }),
    });
  };

  const q = queriesOver(views, () => clock.now());
  return E.right({
    ...calls,
    policy,
    engine,
    store,
    tick: async (now) => {
      const at = nowOr(now);
      const fired = await engine.tick(at);
      if (E.isLeft(fired)) return fired;
      const settled = await settleAt(at);
      return E.isLeft(settled) ? settled : E.right(fired.right);
    },
    settle: (now) => settleAt(nowOr(now)),
    canProcess: (subjectId, purpose, at) => decideCanProcess(views(), policy, { subjectId, purpose, at: toInstant(at) }),
    ...q,
    asOf,
    recordsOfProcessing: () => {
      const subProcessors = subProcessorsForRecord(views()['processorRegister'] as ProcessorRegisterState | undefined);
      return buildRecordsOfProcessing(policy, subProcessors === undefined ? {} : { subProcessors });
    },
    pendingCommands: () => engine.pendingCommands(),
    failedCommands: () => engine.failedCommands(),
    start: () => engine.start(),
    stop: () => engine.stop(),
  });
};
