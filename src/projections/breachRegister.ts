/**
 * The breach register: a pure fold over the breach streams (`lethe.breach-<uuid>`). Per breach:
 * when it was detected, when we became aware, when it was confirmed, the latest assessment (its
 * non-personal facts), every obligation recorded (rule id → deadline, and what settled it: a
 * notification or an exemption), the notifications made, containment and closure.
 *
 * The GDPR Art. 33(5) record is the stream itself; this register is the current state the
 * reactions, timers and command builders read. Free text (summary, consequences, measures,
 * reasons) stays in the stream.
 *
 * @module
 */
import type { LetheEvent, Projection } from '../engine/index.js';
import type { DeadlineRecord } from '../model/deadline.js';
import type { BreachCause, BreachEvent, BreachNature, BreachRisk, NotificationPhase } from '../model/breach/index.js';
import { type PersistentMap, pmEmpty, pmGet, pmSet, pmValues } from './persistentMap.js';

/** The name the breach register is registered under (views key). */
export const BREACH_REGISTER = 'breachRegister';

/** The non-personal facts of the latest assessment. */
export interface BreachAssessmentFacts {
  readonly assessedAt: string;
  readonly risk: BreachRisk;
  readonly dataCategories: readonly string[];
  readonly dataSubjectCategories: readonly string[];
  readonly approxSubjects: number;
  readonly approxRecords: number;
  readonly dataUnintelligible: boolean;
  readonly nature: BreachNature;
  readonly cause: BreachCause;
}

/** Where an obligation's deadline was recorded: the event whose clock it runs from. */
export type BreachObligationSource = 'awareness' | 'confirmation' | 'assessment';

/** How an obligation was settled: by a notification (the event type), or by an exemption. */
export type ObligationSettlement =
  | { readonly by: 'notification'; readonly eventType: string; readonly at: string }
  | { readonly by: 'exemption'; readonly exemption: string; readonly at: string };

/** One obligation of a breach: the recorded deadline and whether it is settled. */
export interface BreachObligation {
  readonly deadline: DeadlineRecord;
  readonly recordedAt: BreachObligationSource;
  /** The id of the event that recorded it (reactions emit the duty's command for that event only). */
  readonly recordedByEventId: string;
  readonly settled: ObligationSettlement | null;
  readonly delayJustified: boolean;
}

/** A notification made for a breach. */
export interface BreachNotification {
  readonly to: 'authority' | 'dataSubjects' | 'public' | 'controller';
  readonly at: string;
  readonly satisfies: readonly string[];
  readonly authorityId?: string;
  readonly controllerId?: string;
  readonly phase?: NotificationPhase;
}

/** One breach as the register knows it. */
export interface BreachEntry {
  readonly breachId: string;
  readonly detectedAt: string;
  readonly awareAt: string | null;
  readonly confirmedAt: string | null;
  readonly assessment: BreachAssessmentFacts | null;
  /** Obligations by rule id, in the order recorded. */
  readonly obligations: Readonly<Record<string, BreachObligation>>;
  readonly notifications: readonly BreachNotification[];
  readonly containedAt: string | null;
  readonly closedAt: string | null;
}

/** The state of the breach register. */
export interface BreachRegisterState {
  /** Every breach, by breach id (read with {@link breachOf}). */
  readonly breaches: PersistentMap<BreachEntry>;
}

const PREFIX = 'lethe.breach-';

/** Returns the register with no breaches. */
export const emptyBreachRegister = (): BreachRegisterState => ({ breaches: pmEmpty() });

/** Returns the breach with this id, or undefined. */
export const breachOf = (state: BreachRegisterState, breachId: string): BreachEntry | undefined => pmGet(state.breaches, breachId);

/** Returns every breach of the register (in no particular order). */
export const allBreaches = (state: BreachRegisterState): readonly BreachEntry[] => pmValues(state.breaches);

const record = (
  entry: BreachEntry,
  deadlines: readonly DeadlineRecord[],
  source: BreachObligationSource,
  eventId: string,
): BreachEntry => {
  const obligations = { ...entry.obligations };
  for (const deadline of deadlines) {
    // Recorded deadlines never move (the decider refuses a different one for a known rule id).
    if (obligations[deadline.ruleId] !== undefined) continue;
    obligations[deadline.ruleId] = { deadline, recordedAt: source, recordedByEventId: eventId, settled: null, delayJustified: false };
  }
  return { ...entry, obligations };
};

const settle = (entry: BreachEntry, ruleIds: readonly string[], settlement: ObligationSettlement): BreachEntry => {
  const obligations = { ...entry.obligations };
  for (const ruleId of ruleIds) {
    const known = obligations[ruleId];
    if (known !== undefined && known.settled === null) obligations[ruleId] = { ...known, settled: settlement };
  }
  return { ...entry, obligations };
};

const notified = (entry: BreachEntry, notification: BreachNotification, eventType: string): BreachEntry => ({
  ...settle(entry, notification.satisfies, { by: 'notification', eventType, at: notification.at }),
  notifications: [...entry.notifications, notification],
});

const evolveEntry = (entry: BreachEntry, event: BreachEvent, eventId: string): BreachEntry => {
  switch (event.type) {
    case 'BreachDetected':
      return entry;
    case 'BreachAwarenessEstablished':
      return record({ ...entry, awareAt: event.data.awareAt }, event.data.deadlines, 'awareness', eventId);
    case 'BreachConfirmed':
      return record({ ...entry, confirmedAt: event.data.confirmedAt }, event.data.deadlines, 'confirmation', eventId);
    case 'BreachAssessed': {
      const d = event.data;
      const assessment: BreachAssessmentFacts = {
        assessedAt: d.assessedAt,
        risk: d.risk,
        dataCategories: d.dataCategories,
        dataSubjectCategories: d.dataSubjectCategories,
        approxSubjects: d.approxSubjects,
        approxRecords: d.approxRecords,
        dataUnintelligible: d.dataUnintelligible,
        nature: d.nature,
        cause: d.cause,
      };
      return record({ ...entry, assessment }, d.deadlines ?? [], 'assessment', eventId);
    }
    case 'BreachContained':
      return { ...entry, containedAt: entry.containedAt ?? event.data.at };
    case 'AuthorityNotified':
      return notified(
        entry,
        { to: 'authority', at: event.data.at, satisfies: event.data.satisfies, authorityId: event.data.authorityId, phase: event.data.phase },
        event.type,
      );
    case 'DataSubjectsNotified':
      return notified(entry, { to: 'dataSubjects', at: event.data.at, satisfies: event.data.satisfies }, event.type);
    case 'PublicCommunicationMade':
      return notified(entry, { to: 'public', at: event.data.at, satisfies: event.data.satisfies }, event.type);
    case 'ControllerNotified':
      return notified(
        entry,
        {
          to: 'controller',
          at: event.data.at,
          satisfies: event.data.satisfies,
          controllerId: event.data.controllerId,
          ...(event.data.phase === undefined ? {} : { phase: event.data.phase }),
        },
        event.type,
      );
    case 'NotificationExemptionRecorded':
      return settle(entry, [event.data.ruleId], { by: 'exemption', exemption: event.data.exemption, at: event.data.at });
    case 'DelayJustified': {
      const known = entry.obligations[event.data.ruleId];
      return known === undefined
        ? entry
        : { ...entry, obligations: { ...entry.obligations, [event.data.ruleId]: { ...known, delayJustified: true } } };
    }
    case 'BreachClosed':
      return { ...entry, closedAt: event.data.at };
  }
};

/** Returns the register after one more feed event; events of other kinds leave it unchanged. */
export const applyBreachEvent = (state: BreachRegisterState, event: LetheEvent): BreachRegisterState => {
  if (event.kind !== 'breach' || !event.streamName.startsWith(PREFIX)) return state;
  const breachId = event.streamName.slice(PREFIX.length);
  const domain = event.event as BreachEvent;
  const known = pmGet(state.breaches, breachId);
  if (domain.type === 'BreachDetected') {
    if (known !== undefined) return state;
    const entry: BreachEntry = {
      breachId,
      detectedAt: domain.data.detectedAt,
      awareAt: null,
      confirmedAt: null,
      assessment: null,
      obligations: {},
      notifications: [],
      containedAt: null,
      closedAt: null,
    };
    return { breaches: pmSet(state.breaches, breachId, entry) };
  }
  if (known === undefined) return state;
  return { breaches: pmSet(state.breaches, breachId, evolveEntry(known, domain, event.metadata.eventId)) };
};

/** The breach register projection (register it as {@link BREACH_REGISTER}). */
export const breachRegister: Projection<BreachRegisterState, LetheEvent> = {
  init: emptyBreachRegister,
  apply: applyBreachEvent,
};

/** Returns the register held in `views`, or an empty one when the projection is not registered. */
export const breachRegisterOf = (views: Readonly<Record<string, unknown>>): BreachRegisterState =>
  (views[BREACH_REGISTER] as BreachRegisterState | undefined) ?? emptyBreachRegister();

/** Returns the obligations of a breach that are neither satisfied nor exempted, in the order recorded. */
export const openObligations = (entry: BreachEntry): readonly BreachObligation[] =>
  Object.values(entry.obligations).filter((o) => o.settled === null);
