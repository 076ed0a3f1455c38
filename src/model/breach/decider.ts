/**
 * The decider of a breach stream: pure `initialState`, `decide` and `evolve`.
 *
 * The obligations of a breach are the `DeadlineRecord`s recorded at awareness, confirmation
 * or assessment (one per rule in force, computed by the caller). A notification names the rule
 * ids it `satisfies`; an exemption names one rule id. An obligation is open until one of the two
 * happens, and a breach with open obligations cannot be closed.
 *
 * Order: detected → aware → (confirmed); notifications, exemptions and delay justifications need
 * awareness (the Art. 33 clock starts there); nothing is accepted after closure.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { DeadlineRecord } from '../deadline.js';
import type { Identifier, IsoInstant } from '../shared.js';
import type { BreachCommand, RecordAuthorityNotification } from './commands.js';
import type { AuthorityNotificationField, BreachAssessed, BreachEvent } from './events.js';

/** The state of a breach stream, folded from its events. */
export interface BreachState {
  readonly detectedAt: IsoInstant | null;
  readonly awareAt: IsoInstant | null;
  readonly confirmedAt: IsoInstant | null;
  /** The latest assessment; it supersedes the earlier ones (which stay in the stream). */
  readonly assessment: BreachAssessed['data'] | null;
  readonly containedAt: IsoInstant | null;
  /** Every obligation recorded, one per rule id, in the order recorded. */
  readonly deadlines: readonly DeadlineRecord[];
  /** Rule ids a notification satisfied. */
  readonly satisfied: readonly Identifier[];
  /** Rule ids exempted, with the exemption code. */
  readonly exempted: readonly { readonly ruleId: Identifier; readonly exemption: Identifier }[];
  /** Rule ids whose delay was justified in advance of (or apart from) the notification. */
  readonly delayJustified: readonly Identifier[];
  /** Authorities that received an initial notification. */
  readonly authoritiesNotified: readonly Identifier[];
  readonly closedAt: IsoInstant | null;
}

/**
 * Why the breach decider refused a command. Each member says which rule forbids it; `citation`
 * names the law where the law is the reason. No member carries personal data.
 */
export type BreachRejection =
  /** A command other than `ReportBreach` reached a stream with no breach. */
  | { readonly _tag: 'BreachNotDetected' }
  /** `ReportBreach` reached a stream that already holds a breach. */
  | { readonly _tag: 'BreachAlreadyReported' }
  /** The breach was closed; its record is final. */
  | { readonly _tag: 'BreachAlreadyClosed' }
  /** Notifications, confirmation, exemptions and delay reasons need awareness first (GDPR Art. 33(1)). */
  | { readonly _tag: 'AwarenessNotEstablished'; readonly citation: string }
  /** Awareness was already established; its instant fixed the deadlines. */
  | { readonly _tag: 'AwarenessAlreadyEstablished' }
  /** The breach was already confirmed. */
  | { readonly _tag: 'BreachAlreadyConfirmed' }
  /** The command's instant precedes an earlier fact of the breach. */
  | { readonly _tag: 'InstantOutOfOrder'; readonly field: string; readonly mustNotPrecede: string }
  /** A deadline falls before the instant its clock starts from. */
  | { readonly _tag: 'DeadlineBeforeClockStart'; readonly ruleId: Identifier }
  /** A rule id already has a different deadline recorded: recorded deadlines are never moved. */
  | { readonly _tag: 'DeadlineConflict'; readonly ruleId: Identifier }
  /** The command names rule ids for which no deadline was recorded. */
  | { readonly _tag: 'UnknownObligation'; readonly ruleIds: readonly Identifier[] }
  /** The obligation was already satisfied or exempted. */
  | { readonly _tag: 'ObligationAlreadySettled'; readonly ruleId: Identifier }
  /** An initial notification lacks content the rule requires and is not declared phased (GDPR Art. 33(3), 33(4)). */
  | { readonly _tag: 'IncompleteNotification'; readonly missing: readonly AuthorityNotificationField[]; readonly citation: string }
  /** A supplementary or final notification to an authority that never got an initial one. */
  | { readonly _tag: 'InitialNotificationMissing'; readonly authorityId: Identifier }
  /** A notification after its deadline must give the reasons for the delay (GDPR Art. 33(1)). */
  | { readonly _tag: 'DelayReasonsRequired'; readonly ruleIds: readonly Identifier[]; readonly citations: readonly string[] }
  /** A breach the controller became aware of needs an assessment on record before closing (GDPR Art. 33(5)). */
  | { readonly _tag: 'AssessmentRequired'; readonly citation: string }
  /** Obligations are neither satisfied nor exempted. */
  | { readonly _tag: 'OpenObligations'; readonly ruleIds: readonly Identifier[] };

const ART_33_1 = 'GDPR Art. 33(1); EDPB Guidelines 9/2022';
const ART_33_3 = 'GDPR Art. 33(3)';
const ART_33_5 = 'GDPR Art. 33(5)';

/** The minimum content of an initial notification to the authority when the rule names none (GDPR Art. 33(3)). */
export const art33MinimumContent: readonly AuthorityNotificationField[] = [
  'nature',
  'dataSubjectCategories',
  'approxSubjects',
  'dataCategories',
  'approxRecords',
  'contactPoint',
  'likelyConsequences',
  'measures',
];

const isBefore = (a: string, b: string): boolean => Date.parse(a) - Date.parse(b) < 0;
const isAfter = (a: string, b: string): boolean => Date.parse(a) - Date.parse(b) > 0;

/** What decide returns: the new events or the rejection. */
export type BreachDecision = E.Either<BreachRejection, readonly BreachEvent[]>;
const reject = (rejection: BreachRejection): BreachDecision => E.left(rejection);
const emit = (...events: readonly BreachEvent[]): BreachDecision => E.right(events);

/** Returns the state of a breach stream with no events. */
export const initialState = (): BreachState => ({
  detectedAt: null,
  awareAt: null,
  confirmedAt: null,
  assessment: null,
  containedAt: null,
  deadlines: [],
  satisfied: [],
  exempted: [],
  delayJustified: [],
  authoritiesNotified: [],
  closedAt: null,
});

const isSettled = (state: BreachState, ruleId: Identifier): boolean =>
  state.satisfied.includes(ruleId) || state.exempted.some((e) => e.ruleId === ruleId);

/** Returns the obligations recorded on the breach that are neither satisfied nor exempted. */
export const openBreachObligations = (state: BreachState): readonly DeadlineRecord[] =>
  state.deadlines.filter((d) => !isSettled(state, d.ruleId));

const sameDeadline = (a: DeadlineRecord, b: DeadlineRecord): boolean =>
  a.ruleId === b.ruleId &&
  Date.parse(a.dueAt) === Date.parse(b.dueAt) &&
  a.citation === b.citation &&
  a.explanation === b.explanation &&
  (a.hostTargetAt === undefined) === (b.hostTargetAt === undefined) &&
  (a.hostTargetAt === undefined || b.hostTargetAt === undefined || Date.parse(a.hostTargetAt) === Date.parse(b.hostTargetAt));

const checkDeadlines = (
  state: BreachState,
  incoming: readonly DeadlineRecord[],
  clockStart: IsoInstant,
): BreachRejection | undefined => {
  const known = new Map<string, DeadlineRecord>(state.deadlines.map((d) => [d.ruleId, d]));
  for (const d of incoming) {
    if (isBefore(d.dueAt, clockStart)) return { _tag: 'DeadlineBeforeClockStart', ruleId: d.ruleId };
    const prior = known.get(d.ruleId);
    if (prior !== undefined && !sameDeadline(prior, d)) return { _tag: 'DeadlineConflict', ruleId: d.ruleId };
    known.set(d.ruleId, d);
  }
  return undefined;
};

const mergeDeadlines = (known: readonly DeadlineRecord[], incoming: readonly DeadlineRecord[]): readonly DeadlineRecord[] =>
  incoming.reduce<readonly DeadlineRecord[]>(
    (all, d) => (all.some((k) => k.ruleId === d.ruleId) ? all : [...all, d]),
    known,
  );

const unknownRuleIds = (state: BreachState, ruleIds: readonly Identifier[]): readonly Identifier[] =>
  ruleIds.filter((r) => !state.deadlines.some((d) => d.ruleId === r));

/** The obligations a notification at `at` would satisfy late, with no delay reasons on record. */
const lateWithoutReasons = (state: BreachState, satisfies: readonly Identifier[], at: IsoInstant): readonly DeadlineRecord[] =>
  state.deadlines.filter(
    (d) =>
      satisfies.includes(d.ruleId) &&
      !isSettled(state, d.ruleId) &&
      !state.delayJustified.includes(d.ruleId) &&
      isAfter(at, d.dueAt),
  );

const isMissing = (value: unknown): boolean =>
  value === undefined || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);

const commandInstant = (command: BreachCommand): { readonly field: string; readonly at: IsoInstant } => {
  switch (command.type) {
    case 'ReportBreach':
      return { field: 'detectedAt', at: command.data.detectedAt };
    case 'EstablishAwareness':
      return { field: 'awareAt', at: command.data.awareAt };
    case 'ConfirmBreach':
      return { field: 'confirmedAt', at: command.data.confirmedAt };
    case 'AssessBreach':
      return { field: 'assessedAt', at: command.data.assessedAt };
    default:
      return { field: 'at', at: command.data.at };
  }
};

/** Checks shared by every notification: known rule ids, and delay reasons when late. */
const checkNotification = (
  state: BreachState,
  satisfies: readonly Identifier[],
  at: IsoInstant,
  delayReasons: string | undefined,
): BreachRejection | undefined => {
  const unknown = unknownRuleIds(state, satisfies);
  if (unknown.length > 0) return { _tag: 'UnknownObligation', ruleIds: unknown };
  const late = lateWithoutReasons(state, satisfies, at);
  if (late.length > 0 && isMissing(delayReasons))
    return {
      _tag: 'DelayReasonsRequired',
      ruleIds: late.map((d) => d.ruleId),
      citations: [...new Set(late.map((d) => d.citation))],
    };
  return undefined;
};

const checkAuthorityContent = (
  state: BreachState,
  data: RecordAuthorityNotification['data'],
): BreachRejection | undefined => {
  if (data.phase !== 'initial') {
    return state.authoritiesNotified.includes(data.authorityId)
      ? undefined
      : { _tag: 'InitialNotificationMissing', authorityId: data.authorityId };
  }
  if (data.phased !== undefined && !isMissing(data.phased.reason)) return undefined;
  const required = data.context?.requiredContent ?? art33MinimumContent;
  const missing = required.filter((field) => isMissing(data.content[field]));
  return missing.length > 0
    ? { _tag: 'IncompleteNotification', missing, citation: data.context?.citation ?? ART_33_3 }
    : undefined;
};

const orElse = (rejection: BreachRejection | undefined, events: () => BreachDecision): BreachDecision =>
  rejection !== undefined ? reject(rejection) : events();

/**
 * Returns the events `command` produces in `state`, or why it is refused. Pure: every instant and
 * every deadline comes in the command.
 */
export const decide = (command: BreachCommand, state: BreachState): BreachDecision => {
  if (command.type === 'ReportBreach')
    return state.detectedAt !== null ? reject({ _tag: 'BreachAlreadyReported' }) : emit({ type: 'BreachDetected', data: command.data });
  const detectedAt = state.detectedAt;
  if (detectedAt === null) return reject({ _tag: 'BreachNotDetected' });
  if (state.closedAt !== null) return reject({ _tag: 'BreachAlreadyClosed' });
  const { field, at } = commandInstant(command);
  if (isBefore(at, detectedAt)) return reject({ _tag: 'InstantOutOfOrder', field, mustNotPrecede: 'detectedAt' });
  const awareAt = state.awareAt;
  const needsAwareness: BreachRejection = { _tag: 'AwarenessNotEstablished', citation: ART_33_1 };

  switch (command.type) {
    case 'EstablishAwareness':
      if (awareAt !== null) return reject({ _tag: 'AwarenessAlreadyEstablished' });
      return orElse(checkDeadlines(state, command.data.deadlines, command.data.awareAt), () =>
        emit({ type: 'BreachAwarenessEstablished', data: command.data }),
      );
    case 'ConfirmBreach':
      if (awareAt === null) return reject(needsAwareness);
      if (state.confirmedAt !== null) return reject({ _tag: 'BreachAlreadyConfirmed' });
      if (isBefore(command.data.confirmedAt, awareAt))
        return reject({ _tag: 'InstantOutOfOrder', field: 'confirmedAt', mustNotPrecede: 'awareAt' });
      return orElse(checkDeadlines(state, command.data.deadlines, command.data.confirmedAt), () =>
        emit({ type: 'BreachConfirmed', data: command.data }),
      );
    case 'AssessBreach':
      return orElse(checkDeadlines(state, command.data.deadlines ?? [], command.data.assessedAt), () =>
        emit({ type: 'BreachAssessed', data: command.data }),
      );
    case 'RecordContainment':
      // Containment is a state reached once; a repeated report is a retry.
      return state.containedAt !== null ? emit() : emit({ type: 'BreachContained', data: command.data });
    case 'RecordAuthorityNotification': {
      if (awareAt === null) return reject(needsAwareness);
      const { context: _context, ...data } = command.data;
      return orElse(
        checkAuthorityContent(state, command.data) ??
          checkNotification(state, data.satisfies, data.at, data.delayReasons),
        () => emit({ type: 'AuthorityNotified', data }),
      );
    }
    case 'RecordDataSubjectNotification':
      if (awareAt === null) return reject(needsAwareness);
      return orElse(checkNotification(state, command.data.satisfies, command.data.at, command.data.delayReasons), () =>
        emit({ type: 'DataSubjectsNotified', data: command.data }),
      );
    case 'RecordPublicCommunication':
      if (awareAt === null) return reject(needsAwareness);
      return orElse(checkNotification(state, command.data.satisfies, command.data.at, command.data.delayReasons), () =>
        emit({ type: 'PublicCommunicationMade', data: command.data }),
      );
    case 'RecordControllerNotification':
      if (awareAt === null) return reject(needsAwareness);
      return orElse(checkNotification(state, command.data.satisfies, command.data.at, command.data.delayReasons), () =>
        emit({ type: 'ControllerNotified', data: command.data }),
      );
    case 'RecordNotificationExemption': {
      if (awareAt === null) return reject(needsAwareness);
      const { ruleId } = command.data;
      if (unknownRuleIds(state, [ruleId]).length > 0) return reject({ _tag: 'UnknownObligation', ruleIds: [ruleId] });
      if (isSettled(state, ruleId)) return reject({ _tag: 'ObligationAlreadySettled', ruleId });
      return emit({ type: 'NotificationExemptionRecorded', data: command.data });
    }
    case 'JustifyDelay': {
      if (awareAt === null) return reject(needsAwareness);
      const { ruleId } = command.data;
      if (unknownRuleIds(state, [ruleId]).length > 0) return reject({ _tag: 'UnknownObligation', ruleIds: [ruleId] });
      return emit({ type: 'DelayJustified', data: command.data });
    }
    case 'CloseBreach': {
      if (awareAt !== null && state.assessment === null) return reject({ _tag: 'AssessmentRequired', citation: ART_33_5 });
      const open = openBreachObligations(state);
      if (open.length > 0) return reject({ _tag: 'OpenObligations', ruleIds: open.map((d) => d.ruleId) });
      return emit({ type: 'BreachClosed', data: command.data });
    }
  }
};

const satisfy = (state: BreachState, ruleIds: readonly Identifier[]): BreachState => ({
  ...state,
  satisfied: [...state.satisfied, ...ruleIds.filter((r) => !state.satisfied.includes(r))],
});

/** Returns the state after `event`. Pure; never fails (events were validated when appended). */
export const evolve = (state: BreachState, event: BreachEvent): BreachState => {
  switch (event.type) {
    case 'BreachDetected':
      return { ...state, detectedAt: event.data.detectedAt };
    case 'BreachAwarenessEstablished':
      return { ...state, awareAt: event.data.awareAt, deadlines: mergeDeadlines(state.deadlines, event.data.deadlines) };
    case 'BreachConfirmed':
      return { ...state, confirmedAt: event.data.confirmedAt, deadlines: mergeDeadlines(state.deadlines, event.data.deadlines) };
    case 'BreachAssessed':
      return { ...state, assessment: event.data, deadlines: mergeDeadlines(state.deadlines, event.data.deadlines ?? []) };
    case 'BreachContained':
      return { ...state, containedAt: state.containedAt ?? event.data.at };
    case 'AuthorityNotified': {
      const next = satisfy(state, event.data.satisfies);
      return event.data.phase === 'initial' && !next.authoritiesNotified.includes(event.data.authorityId)
        ? { ...next, authoritiesNotified: [...next.authoritiesNotified, event.data.authorityId] }
        : next;
    }
    case 'DataSubjectsNotified':
    case 'PublicCommunicationMade':
    case 'ControllerNotified':
      return satisfy(state, event.data.satisfies);
    case 'NotificationExemptionRecorded':
      return { ...state, exempted: [...state.exempted, { ruleId: event.data.ruleId, exemption: event.data.exemption }] };
    case 'DelayJustified':
      return state.delayJustified.includes(event.data.ruleId)
        ? state
        : { ...state, delayJustified: [...state.delayJustified, event.data.ruleId] };
    case 'BreachClosed':
      return { ...state, closedAt: event.data.at };
  }
};

/** The breach decider: `{ initialState, decide, evolve }`, for the engine's command handler. */
export const breachDecider = { initialState, decide, evolve } as const;
