/**
 * The decider of the data-subject stream: pure `initialState`, `decide` and `evolve`.
 *
 * Rules enforced here (cross-stream facts arrive in the command's `context`):
 * - nothing before registration; nothing after erasure of everything (except a repeated erasure,
 *   which is a no-op);
 * - a collection is refused for a restricted category (GDPR Art. 18(2)), below the hard minimum
 *   age, inside the parental band without parental authorisation (Art. 8(1)), and for special
 *   categories where the policy refuses them or no explicit consent exists (Art. 9(2)(a));
 * - lifting an Art. 18(1) restriction needs the subject told first (Art. 18(3));
 * - erasure of data under an active legal hold is suspended (Art. 17(3)(b), (e));
 * - repeated identical commands (registration, hold, restriction, subscription start) are no-ops.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import type { IsoInstant } from '../shared.js';
import type { AgeRules, SubjectCommand } from './commands.js';
import type {
  AgeEvidence,
  CategoryScope,
  ChildBelowMinimumAgeFound,
  DataRole,
  RestrictionGround,
  SubjectEvent,
  SubjectRegistered,
} from './events.js';

/** What we know about one category of the subject's data. */
export interface CollectedCategory {
  readonly systems: readonly string[];
  readonly sources: readonly string[];
  readonly firstCollectedAt: IsoInstant;
  readonly lastCollectedAt: IsoInstant;
  readonly policyVersion: string;
  readonly sensitive: boolean;
}

/** A processing restriction, active or lifted. */
export interface RestrictionState {
  readonly ground: RestrictionGround;
  readonly scope: CategoryScope;
  readonly restrictedAt: IsoInstant;
  readonly active: boolean;
}

/** A legal hold, active or lifted. */
export interface LegalHoldState {
  readonly reason: string;
  readonly scope: CategoryScope;
  readonly placedAt: IsoInstant;
  readonly active: boolean;
}

/** A subscription or other contract with the subject. */
export interface ContractState {
  readonly status: 'active' | 'cancelled' | 'terminated';
  readonly startedAt?: IsoInstant;
  readonly cancelledAt?: IsoInstant;
  readonly reactivatedAt?: IsoInstant;
  readonly terminatedAt?: IsoInstant;
}

/** The state of a subject stream, folded from its events. */
export interface SubjectState {
  readonly status: 'unregistered' | 'registered' | 'erased';
  readonly subjectId?: string;
  readonly jurisdictions: readonly string[];
  readonly ourRole?: DataRole;
  readonly registration?: SubjectRegistered['data'];
  /** The latest known age and the instant it was known at. */
  readonly age?: { readonly evidence: AgeEvidence; readonly at: IsoInstant };
  /** True once the subject was found below the policy's hard minimum age. */
  readonly childBelowMinimumAge: boolean;
  readonly collected: Readonly<Record<string, CollectedCategory>>;
  /** Last instant of each activity kind. */
  readonly lastActivity: Readonly<Record<string, IsoInstant>>;
  readonly restrictions: Readonly<Record<string, RestrictionState>>;
  readonly legalHolds: Readonly<Record<string, LegalHoldState>>;
  readonly contracts: Readonly<Record<string, ContractState>>;
  readonly erasedAt?: IsoInstant;
}

/** The subject stream has no registration yet. */
export interface SubjectNotRegistered {
  readonly _tag: 'SubjectNotRegistered';
}
/** A different registration exists already (an identical one is a no-op). */
export interface SubjectAlreadyRegistered {
  readonly _tag: 'SubjectAlreadyRegistered';
}
/** All of the subject's data was erased; the stream accepts no further command (a new subject id is needed). */
export interface SubjectErasedRejection {
  readonly _tag: 'SubjectErased';
}
/** The subject is below the policy's hard minimum age: no collection, no parental cure; the reactions layer erases. */
export interface ChildBelowMinimumAge {
  readonly _tag: 'ChildBelowMinimumAge';
  readonly minimumAge: number;
  readonly ruleId: string;
  readonly citation: string;
}
/** The subject is in the band that needs a parent's authorisation and none was given (GDPR Art. 8(1)). */
export interface ParentalAuthorisationRequired {
  readonly _tag: 'ParentalAuthorisationRequired';
  readonly belowAge: number;
  readonly ruleId: string;
  readonly citation: string;
}
/** The policy refuses special-category data outright (e.g. Convertful CF-05). */
export interface SensitiveDataForbidden {
  readonly _tag: 'SensitiveDataForbidden';
  readonly category: string;
  readonly citation: string;
}
/** Special-category data needs an active explicit consent (GDPR Art. 9(2)(a); Instaply IN-05). */
export interface ExplicitConsentRequired {
  readonly _tag: 'ExplicitConsentRequired';
  readonly category: string;
  readonly citation: string;
}
/** Processing of the category is restricted; only storage is allowed (GDPR Art. 18(2)). */
export interface ProcessingRestrictedRejection {
  readonly _tag: 'ProcessingRestricted';
  readonly category: string;
  readonly restrictionIds: readonly string[];
  readonly citation: string;
}
/** A restriction with this id exists with a different ground or scope, or was lifted (ids are single-use). */
export interface RestrictionConflict {
  readonly _tag: 'RestrictionConflict';
  readonly restrictionId: string;
}
/** No restriction with this id was placed. */
export interface RestrictionNotFound {
  readonly _tag: 'RestrictionNotFound';
  readonly restrictionId: string;
}
/** The subject must be informed before a restriction obtained under Art. 18(1) is lifted (GDPR Art. 18(3)). */
export interface SubjectNotInformed {
  readonly _tag: 'SubjectNotInformed';
  readonly restrictionId: string;
  readonly citation: string;
}
/** A legal hold with this id exists (or existed) with a different reason or scope. */
export interface LegalHoldConflict {
  readonly _tag: 'LegalHoldConflict';
  readonly holdId: string;
}
/** No legal hold with this id was placed. */
export interface LegalHoldNotFound {
  readonly _tag: 'LegalHoldNotFound';
  readonly holdId: string;
}
/** A contract with this id exists already. */
export interface ContractAlreadyExists {
  readonly _tag: 'ContractAlreadyExists';
  readonly contractId: string;
}
/** No contract with this id is known. */
export interface ContractNotFound {
  readonly _tag: 'ContractNotFound';
  readonly contractId: string;
}
/** Only a cancelled subscription can be reactivated. */
export interface ContractNotCancelled {
  readonly _tag: 'ContractNotCancelled';
  readonly contractId: string;
}
/** The contract has ended; it cannot be cancelled or reactivated. */
export interface ContractAlreadyTerminated {
  readonly _tag: 'ContractAlreadyTerminated';
  readonly contractId: string;
}
/** An active legal hold covers data the erasure would remove (GDPR Art. 17(3)(b), (e)). */
export interface SubjectErasureSuspendedByLegalHold {
  readonly _tag: 'ErasureSuspendedByLegalHold';
  readonly holdIds: readonly string[];
  readonly citation: string;
}

/** Why the subject decider refused a command. */
export type SubjectRejection =
  | SubjectNotRegistered
  | SubjectAlreadyRegistered
  | SubjectErasedRejection
  | ChildBelowMinimumAge
  | ParentalAuthorisationRequired
  | SensitiveDataForbidden
  | ExplicitConsentRequired
  | ProcessingRestrictedRejection
  | RestrictionConflict
  | RestrictionNotFound
  | SubjectNotInformed
  | LegalHoldConflict
  | LegalHoldNotFound
  | ContractAlreadyExists
  | ContractNotFound
  | ContractNotCancelled
  | ContractAlreadyTerminated
  | SubjectErasureSuspendedByLegalHold;

const ART_8_1 = 'GDPR Art. 8(1)';
const ART_9_2_A = 'GDPR Art. 9(1), 9(2)(a)';
const ART_9_1_POLICY = 'GDPR Art. 9(1); the policy forbids special-category data';
const ART_17_3 = 'GDPR Art. 17(3)(b), (e)';
const ART_18_2 = 'GDPR Art. 18(2)';
const ART_18_3 = 'GDPR Art. 18(3)';
// Restrictions the subject obtained under Art. 18(1); only these need the Art. 18(3) notice.
const ART_18_1_GROUNDS: readonly RestrictionGround[] = [
  'accuracyContested',
  'unlawfulProcessingErasureOpposed',
  'neededForLegalClaims',
  'objectionPending',
];

/** Returns the state of a subject stream with no events. */
export const initialState = (): SubjectState => ({
  status: 'unregistered',
  jurisdictions: [],
  childBelowMinimumAge: false,
  collected: {},
  lastActivity: {},
  restrictions: {},
  legalHolds: {},
  contracts: {},
});

const ok = (events: readonly SubjectEvent[]): Either<SubjectRejection, readonly SubjectEvent[]> => E.right(events);
const noop = (): Either<SubjectRejection, readonly SubjectEvent[]> => E.right([]);
const reject = (rejection: SubjectRejection): Either<SubjectRejection, readonly SubjectEvent[]> => E.left(rejection);

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
};
const sameData = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

// The calendar date an instant names in its own offset: `2026-03-01T00:30:00+01:00` is 1 March.
const localDateOf = (instant: string): string => instant.slice(0, 10);

// Whole years from one calendar date to another; someone born on 29 February turns a year older
// on 1 March in common years.
const wholeYearsBetween = (from: string, to: string): number => {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const before = tm < fm || (tm === fm && td < fd);
  return ty - fy - (before ? 1 : 0);
};

/**
 * Returns the subject's age in whole years at `instant`: exact from a birth date; from an age in
 * years, that age plus the whole years elapsed since it was known (a lower bound).
 */
export const ageAt = (age: { readonly evidence: AgeEvidence; readonly at: string }, instant: string): number =>
  'birthDate' in age.evidence
    ? wholeYearsBetween(age.evidence.birthDate, localDateOf(instant))
    : age.evidence.ageInYears + Math.max(0, wholeYearsBetween(localDateOf(age.at), localDateOf(instant)));

const belowMinimumAge = (
  age: { readonly evidence: AgeEvidence; readonly at: string } | undefined,
  instant: string,
  rules: AgeRules | undefined,
): ChildBelowMinimumAgeFound | undefined => {
  const limit = rules?.minimumAge;
  if (age === undefined || limit === undefined || ageAt(age, instant) >= limit.age) return undefined;
  return {
    type: 'ChildBelowMinimumAgeFound',
    data: { minimumAge: limit.age, foundAt: instant as IsoInstant, ruleId: limit.ruleId, citation: limit.citation },
  };
};

const inScope = (scope: CategoryScope, category: string): boolean => scope === 'all' || scope.some((c) => c === category);

const scopesOverlap = (a: CategoryScope, b: CategoryScope): boolean =>
  a === 'all' || b === 'all' || a.some((category) => b.some((other) => other === category));

// The guard every command but registration passes: the subject exists and is not erased.
const requireLive = (state: SubjectState): SubjectRejection | undefined =>
  state.status === 'unregistered'
    ? { _tag: 'SubjectNotRegistered' }
    : state.status === 'erased'
      ? { _tag: 'SubjectErased' }
      : undefined;

/**
 * Returns the events `command` produces in `state`, an empty list when it changes nothing (a
 * repeated command), or the rule that forbids it.
 */
export const decide = (command: SubjectCommand, state: SubjectState): Either<SubjectRejection, readonly SubjectEvent[]> => {
  if (command.type === 'RegisterSubject') {
    const { context, ...registration } = command.data;
    if (state.status === 'erased') return reject({ _tag: 'SubjectErased' });
    if (state.status === 'registered') {
      return sameData(registration, state.registration) ? noop() : reject({ _tag: 'SubjectAlreadyRegistered' });
    }
    const age = registration.age === undefined ? undefined : { evidence: registration.age, at: registration.registeredAt };
    const child = belowMinimumAge(age, registration.registeredAt, context?.ageRules);
    return ok([{ type: 'SubjectRegistered', data: registration }, ...(child === undefined ? [] : [child])]);
  }
  if (command.type === 'EraseSubject' && state.status === 'erased') return noop();
  const notLive = requireLive(state);
  if (notLive !== undefined) return reject(notLive);

  switch (command.type) {
    case 'EstablishAge': {
      const { age, establishedAt, context } = command.data;
      if (state.age !== undefined && state.age.at === establishedAt && sameData(state.age.evidence, age)) return noop();
      const child = state.childBelowMinimumAge
        ? undefined
        : belowMinimumAge({ evidence: age, at: establishedAt }, establishedAt, context.ageRules);
      return ok([{ type: 'AgeEstablished', data: { age, establishedAt } }, ...(child === undefined ? [] : [child])]);
    }
    case 'CollectData': {
      const { context, subjectId: _subjectId, ...collected } = command.data;
      const { category, collectedAt } = collected;
      const restrictionIds = Object.entries(state.restrictions)
        .filter(([, r]) => r.active && inScope(r.scope, category))
        .map(([id]) => id);
      if (restrictionIds.length > 0) {
        return reject({ _tag: 'ProcessingRestricted', category, restrictionIds, citation: ART_18_2 });
      }
      const minimum = context.ageRules?.minimumAge;
      const parental = context.ageRules?.parentalAuthorisationBelow;
      const age = state.age === undefined ? undefined : ageAt(state.age, collectedAt);
      if (age !== undefined && minimum !== undefined && age < minimum.age) {
        return reject({ _tag: 'ChildBelowMinimumAge', minimumAge: minimum.age, ruleId: minimum.ruleId, citation: minimum.citation });
      }
      if (age !== undefined && parental !== undefined && age < parental.age && !context.parentalAuthorisation) {
        return reject({
          _tag: 'ParentalAuthorisationRequired',
          belowAge: parental.age,
          ruleId: parental.ruleId,
          citation: parental.citation.length > 0 ? parental.citation : ART_8_1,
        });
      }
      if (context.categorySensitive && context.sensitivePolicy === 'refuse') {
        return reject({ _tag: 'SensitiveDataForbidden', category, citation: ART_9_1_POLICY });
      }
      if (context.categorySensitive && !context.explicitConsentGranted) {
        return reject({ _tag: 'ExplicitConsentRequired', category, citation: ART_9_2_A });
      }
      return ok([{ type: 'DataCollected', data: { ...collected, sensitive: context.categorySensitive } }]);
    }
    case 'RecordActivity': {
      const { subjectId: _subjectId, ...activity } = command.data;
      return ok([{ type: 'ActivityRecorded', data: activity }]);
    }
    case 'RectifyData': {
      // Rectification is accepted at any time, restricted or not (GDPR Art. 16; InfluencerSoft IS-06).
      const { subjectId: _subjectId, ...rectification } = command.data;
      return ok([{ type: 'DataRectified', data: rectification }]);
    }
    case 'RestrictProcessing': {
      const { subjectId: _subjectId, ...restriction } = command.data;
      const existing = state.restrictions[restriction.restrictionId];
      if (existing !== undefined) {
        const same = existing.ground === restriction.ground && sameData(existing.scope, restriction.scope);
        return same && existing.active ? noop() : reject({ _tag: 'RestrictionConflict', restrictionId: restriction.restrictionId });
      }
      return ok([{ type: 'ProcessingRestricted', data: restriction }]);
    }
    case 'LiftRestriction': {
      const { restrictionId, unrestrictedAt, subjectInformedAt } = command.data;
      const existing = state.restrictions[restrictionId];
      if (existing === undefined) return reject({ _tag: 'RestrictionNotFound', restrictionId });
      if (!existing.active) return noop();
      const needsNotice = ART_18_1_GROUNDS.includes(existing.ground);
      if (
        needsNotice &&
        (subjectInformedAt === undefined || Date.parse(subjectInformedAt) - Date.parse(unrestrictedAt) > 0)
      ) {
        return reject({ _tag: 'SubjectNotInformed', restrictionId, citation: ART_18_3 });
      }
      return ok([
        {
          type: 'ProcessingUnrestricted',
          data: subjectInformedAt === undefined ? { restrictionId, unrestrictedAt } : { restrictionId, unrestrictedAt, subjectInformedAt },
        },
      ]);
    }
    case 'PlaceLegalHold': {
      const { subjectId: _subjectId, ...hold } = command.data;
      const existing = state.legalHolds[hold.holdId];
      if (existing !== undefined) {
        const same = existing.reason === hold.reason && sameData(existing.scope, hold.scope);
        // A lifted hold's id is not reused: the log must read unambiguously.
        return same && existing.active ? noop() : reject({ _tag: 'LegalHoldConflict', holdId: hold.holdId });
      }
      return ok([{ type: 'LegalHoldPlaced', data: hold }]);
    }
    case 'LiftLegalHold': {
      const { holdId, liftedAt } = command.data;
      const existing = state.legalHolds[holdId];
      if (existing === undefined) return reject({ _tag: 'LegalHoldNotFound', holdId });
      return existing.active ? ok([{ type: 'LegalHoldLifted', data: { holdId, liftedAt } }]) : noop();
    }
    case 'StartSubscription': {
      const { contractId, startedAt } = command.data;
      const existing = state.contracts[contractId];
      if (existing !== undefined) {
        return existing.status === 'active' && existing.startedAt === startedAt
          ? noop()
          : reject({ _tag: 'ContractAlreadyExists', contractId });
      }
      return ok([{ type: 'SubscriptionStarted', data: { contractId, startedAt } }]);
    }
    case 'CancelSubscription': {
      const { contractId, cancelledAt } = command.data;
      const existing = state.contracts[contractId];
      if (existing === undefined) return reject({ _tag: 'ContractNotFound', contractId });
      if (existing.status === 'terminated') return reject({ _tag: 'ContractAlreadyTerminated', contractId });
      if (existing.status === 'cancelled') return noop();
      return ok([{ type: 'SubscriptionCancelled', data: { contractId, cancelledAt } }]);
    }
    case 'ReactivateSubscription': {
      const { contractId, reactivatedAt } = command.data;
      const existing = state.contracts[contractId];
      if (existing === undefined) return reject({ _tag: 'ContractNotFound', contractId });
      if (existing.status === 'terminated') return reject({ _tag: 'ContractAlreadyTerminated', contractId });
      if (existing.status === 'active') {
        return existing.reactivatedAt === reactivatedAt ? noop() : reject({ _tag: 'ContractNotCancelled', contractId });
      }
      return ok([{ type: 'SubscriptionReactivated', data: { contractId, reactivatedAt } }]);
    }
    case 'TerminateContract': {
      // A contract need not have been recorded as a subscription to end (Softpire SP-10, Instaply IN-24).
      const { contractId, terminatedAt } = command.data;
      if (state.contracts[contractId]?.status === 'terminated') return noop();
      return ok([{ type: 'ContractTerminated', data: { contractId, terminatedAt } }]);
    }
    case 'EraseSubject': {
      const { subjectId: _subjectId, ...erasure } = command.data;
      const holdIds = Object.entries(state.legalHolds)
        .filter(([, h]) => h.active && scopesOverlap(h.scope, erasure.scope))
        .map(([id]) => id);
      if (holdIds.length > 0) return reject({ _tag: 'ErasureSuspendedByLegalHold', holdIds, citation: ART_17_3 });
      return ok([{ type: 'SubjectErased', data: erasure }]);
    }
  }
};

const withoutKeys = <A>(record: Readonly<Record<string, A>>, keys: readonly string[]): Record<string, A> =>
  Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));

/** Returns the state after `event`. */
export const evolve = (state: SubjectState, event: SubjectEvent): SubjectState => {
  switch (event.type) {
    case 'SubjectRegistered': {
      const { data } = event;
      return {
        ...state,
        status: 'registered',
        subjectId: data.subjectId,
        jurisdictions: data.jurisdictions,
        ourRole: data.ourRole,
        registration: data,
        ...(data.age === undefined ? {} : { age: { evidence: data.age, at: data.registeredAt } }),
      };
    }
    case 'AgeEstablished':
      return { ...state, age: { evidence: event.data.age, at: event.data.establishedAt } };
    case 'ChildBelowMinimumAgeFound':
      return { ...state, childBelowMinimumAge: true };
    case 'DataCollected': {
      const d = event.data;
      const before = state.collected[d.category];
      const add = (list: readonly string[], item: string): readonly string[] => (list.includes(item) ? list : [...list, item]);
      const entry: CollectedCategory =
        before === undefined
          ? {
              systems: [d.system],
              sources: [d.source],
              firstCollectedAt: d.collectedAt,
              lastCollectedAt: d.collectedAt,
              policyVersion: d.policyVersion,
              sensitive: d.sensitive,
            }
          : {
              systems: add(before.systems, d.system),
              sources: add(before.sources, d.source),
              firstCollectedAt: before.firstCollectedAt,
              lastCollectedAt: Date.parse(d.collectedAt) - Date.parse(before.lastCollectedAt) > 0 ? d.collectedAt : before.lastCollectedAt,
              // Instaply IN-01: data keeps the policy version in force when it was first collected.
              policyVersion: before.policyVersion,
              sensitive: before.sensitive || d.sensitive,
            };
      return { ...state, collected: { ...state.collected, [d.category]: entry } };
    }
    case 'ActivityRecorded': {
      const { kind, activityAt } = event.data;
      const last = state.lastActivity[kind];
      const later = last === undefined || Date.parse(activityAt) - Date.parse(last) > 0;
      return later ? { ...state, lastActivity: { ...state.lastActivity, [kind]: activityAt } } : state;
    }
    case 'DataRectified':
      return state;
    case 'ProcessingRestricted': {
      const { restrictionId, ground, scope, restrictedAt } = event.data;
      return { ...state, restrictions: { ...state.restrictions, [restrictionId]: { ground, scope, restrictedAt, active: true } } };
    }
    case 'ProcessingUnrestricted': {
      const existing = state.restrictions[event.data.restrictionId];
      if (existing === undefined) return state;
      return { ...state, restrictions: { ...state.restrictions, [event.data.restrictionId]: { ...existing, active: false } } };
    }
    case 'LegalHoldPlaced': {
      const { holdId, reason, scope, placedAt } = event.data;
      return { ...state, legalHolds: { ...state.legalHolds, [holdId]: { reason, scope, placedAt, active: true } } };
    }
    case 'LegalHoldLifted': {
      const existing = state.legalHolds[event.data.holdId];
      if (existing === undefined) return state;
      return { ...state, legalHolds: { ...state.legalHolds, [event.data.holdId]: { ...existing, active: false } } };
    }
    case 'SubscriptionStarted':
      return {
        ...state,
        contracts: { ...state.contracts, [event.data.contractId]: { status: 'active', startedAt: event.data.startedAt } },
      };
    case 'SubscriptionCancelled': {
      const before = state.contracts[event.data.contractId] ?? { status: 'active' };
      return {
        ...state,
        contracts: { ...state.contracts, [event.data.contractId]: { ...before, status: 'cancelled', cancelledAt: event.data.cancelledAt } },
      };
    }
    case 'SubscriptionReactivated': {
      const before = state.contracts[event.data.contractId] ?? { status: 'active' };
      return {
        ...state,
        contracts: {
          ...state.contracts,
          [event.data.contractId]: { ...before, status: 'active', reactivatedAt: event.data.reactivatedAt },
        },
      };
    }
    case 'ContractTerminated': {
      const before = state.contracts[event.data.contractId] ?? { status: 'active' };
      return {
        ...state,
        contracts: {
          ...state.contracts,
          [event.data.contractId]: { ...before, status: 'terminated', terminatedAt: event.data.terminatedAt },
        },
      };
    }
    case 'SubjectErased': {
      const { scope, erasedAt } = event.data;
      if (scope === 'all') return { ...state, status: 'erased', collected: {}, erasedAt };
      return { ...state, collected: withoutKeys(state.collected, scope) };
    }
  }
};

/** The subject stream's decider: `{ initialState, decide, evolve }`, all pure. */
export const subjectDecider = { initialState, decide, evolve };
