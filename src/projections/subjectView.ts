/**
 * The subject view: per data subject, what the subject streams say now. Registration
 * (jurisdictions, our role, age evidence), the categories collected (systems, sources, kinds of
 * submission, the policy version of the first collection, the last explicit submission),
 * restrictions (GDPR Art. 18), legal holds, contracts and subscriptions, erased categories, the
 * last instant of each activity kind, and whether the subject is erased altogether.
 *
 * A pure fold with no policy: reactions and the API's command builders read it to resolve
 * cross-stream facts (is this category held? restricted? is the subscription cancelled?). Each
 * event copies only the touched subject's record (see `persistentMap.ts`).
 *
 * @module
 */
import type { LetheEvent } from '../engine/commandHandler.js';
import type { Projection } from '../engine/processor.js';
import type {
  AgeEvidence,
  CategoryScope,
  DataRole,
  RestrictionGround,
  SubjectEvent,
  Submission,
} from '../model/subject/events.js';
import { type PersistentMap, pmEmpty, pmGet, pmSet, pmValues } from './persistentMap.js';

/** What was collected of one category. Instants are ISO strings as recorded. */
export interface CategoryRecord {
  /** The systems the category was collected into. */
  readonly systems: readonly string[];
  /** The sources it came from (`widget`, `signup`, ...). */
  readonly sources: readonly string[];
  /** The kinds of submission seen (explicit, passive). */
  readonly submissions: readonly Submission[];
  /** The first collection of the current cycle (after an erasure of the category, a new cycle starts). */
  readonly firstCollectedAt: string;
  /** The latest collection instant. */
  readonly lastCollectedAt: string;
  /** The latest explicit submission (Convertful CF-22 counts from it). */
  readonly lastExplicitSubmissionAt?: string;
  /** The policy version of the first collection: data keeps the version it was collected under (Instaply IN-01). */
  readonly policyVersion: string;
  /** Special-category data (GDPR Art. 9(1)). */
  readonly sensitive: boolean;
}

/** A category whose data was erased. */
export interface ErasedCategoryRecord {
  /** When it was erased. */
  readonly erasedAt: string;
  /** Why (`retentionExpired`, `subjectRequest`, ...). */
  readonly reason: string;
}

/** A restriction of processing (GDPR Art. 18). */
export interface RestrictionRecord {
  /** The ground it was placed on. */
  readonly ground: RestrictionGround;
  /** The categories it covers. */
  readonly scope: CategoryScope;
  /** When it was placed. */
  readonly restrictedAt: string;
  /** False once lifted. */
  readonly active: boolean;
  /** When it was lifted. */
  readonly unrestrictedAt?: string;
}

/** A legal hold (GDPR Art. 17(3)(b), (e)). */
export interface LegalHoldRecord {
  /** A reference (case number), never personal data. */
  readonly reason: string;
  /** The categories it covers. */
  readonly scope: CategoryScope;
  /** When it was placed. */
  readonly placedAt: string;
  /** False once lifted. */
  readonly active: boolean;
  /** When it was lifted. */
  readonly liftedAt?: string;
}

/** A subscription or other contract with the subject. */
export interface ContractRecord {
  /** Where it stands. */
  readonly status: 'active' | 'cancelled' | 'terminated';
  /** When it started (absent for a contract only ever terminated). */
  readonly startedAt?: string;
  /** The latest cancellation. */
  readonly cancelledAt?: string;
  /** The latest reactivation. */
  readonly reactivatedAt?: string;
  /** When it ended. */
  readonly terminatedAt?: string;
}

/** A child rule the subject fell under (Instaply IN-21): below the hard minimum age. */
export interface ChildBelowMinimumAgeRecord {
  /** The minimum age that applied. */
  readonly minimumAge: number;
  /** When it was found. */
  readonly foundAt: string;
  /** The policy rule. */
  readonly ruleId: string;
  /** Its citation. */
  readonly citation: string;
}

/** Everything the view knows about one subject. */
export interface SubjectRecord {
  /** The subject's id. */
  readonly subjectId: string;
  /** `erased` once all of the subject's data was erased. */
  readonly status: 'registered' | 'erased';
  /** When the subject registered. */
  readonly registeredAt: string;
  /** Jurisdictions whose law applies. */
  readonly jurisdictions: readonly string[];
  /** Our role for the subject's data. */
  readonly role: DataRole;
  /** The latest age evidence and when it was known (a birth date is personal data: the view is in memory only). */
  readonly age?: { readonly evidence: AgeEvidence; readonly at: string };
  /** Set once the subject was found below the policy's hard minimum age. */
  readonly childBelowMinimumAge?: ChildBelowMinimumAgeRecord;
  /** Categories collected and not erased, by category id. */
  readonly categories: Readonly<Record<string, CategoryRecord>>;
  /** Categories erased, by category id (a later collection starts the category again). */
  readonly erasedCategories: Readonly<Record<string, ErasedCategoryRecord>>;
  /** Restrictions by restriction id. */
  readonly restrictions: Readonly<Record<string, RestrictionRecord>>;
  /** Legal holds by hold id. */
  readonly legalHolds: Readonly<Record<string, LegalHoldRecord>>;
  /** Contracts by contract id. */
  readonly contracts: Readonly<Record<string, ContractRecord>>;
  /** The latest instant of each activity kind. */
  readonly lastActivity: Readonly<Record<string, string>>;
  /** Business time of the latest event of the subject's stream. */
  readonly lastEventAt: string;
  /** When everything was erased. */
  readonly erasedAt?: string;
  /** Why everything was erased. */
  readonly erasureReason?: string;
}

/** The subject view's state: subject records by subject id. */
export interface SubjectView {
  /** Subject records by subject id. */
  readonly subjects: PersistentMap<SubjectRecord>;
}

const SUBJECT_PREFIX = 'lethe.subject-';

/** Returns the entity id of a `lethe.<kind>-<id>` stream name, or undefined for another kind. */
export const entityIdOf = (streamName: string, kind: string): string | undefined => {
  const prefix = `lethe.${kind}-`;
  return streamName.startsWith(prefix) ? streamName.slice(prefix.length) : undefined;
};

/** Returns the empty view. */
export const initSubjectView = (): SubjectView => ({ subjects: pmEmpty() });

/** Returns the subject's record, or undefined when the subject is unknown. */
export const subjectOf = (view: SubjectView | undefined, subjectId: string): SubjectRecord | undefined =>
  view === undefined ? undefined : pmGet(view.subjects, subjectId);

/** Returns every subject record (deterministic order). */
export const allSubjects = (view: SubjectView): readonly SubjectRecord[] => pmValues(view.subjects);

/** True when `scope` covers `category`. */
export const scopeCovers = (scope: CategoryScope, category: string): boolean =>
  scope === 'all' || scope.some((c) => c === category);

/** True when two scopes share a category (`'all'` overlaps everything). */
export const scopesOverlap = (a: CategoryScope, b: CategoryScope): boolean =>
  a === 'all' || b === 'all' || a.some((c) => b.some((d) => d === c));

/** Returns the ids of the active legal holds covering `category` (every active hold when omitted). */
export const activeLegalHolds = (subject: SubjectRecord, category?: string): readonly string[] =>
  Object.entries(subject.legalHolds)
    .filter(([, h]) => h.active && (category === undefined || scopeCovers(h.scope, category)))
    .map(([id]) => id);

/** True when an active legal hold covers `category` (GDPR Art. 17(3)(b), (e): erasure is suspended). */
export const isHeld = (subject: SubjectRecord | undefined, category: string): boolean =>
  subject !== undefined && activeLegalHolds(subject, category).length > 0;

/** Returns the ids of the active restrictions covering `category` (GDPR Art. 18(2): storage only). */
export const activeRestrictions = (subject: SubjectRecord, category: string): readonly string[] =>
  Object.entries(subject.restrictions)
    .filter(([, r]) => r.active && scopeCovers(r.scope, category))
    .map(([id]) => id);

/** Returns the ids of the categories collected and not erased. */
export const collectedCategories = (subject: SubjectRecord | undefined): readonly string[] =>
  subject === undefined ? [] : Object.keys(subject.categories);

/** True when one of the subject's contracts is active. */
export const hasActiveContract = (subject: SubjectRecord): boolean =>
  Object.values(subject.contracts).some((c) => c.status === 'active');

const later = (a: string | undefined, b: string): boolean => a === undefined || Date.parse(b) - Date.parse(a) > 0;

const withoutKeys = <A>(record: Readonly<Record<string, A>>, keys: readonly string[]): Record<string, A> => {
  const out: Record<string, A> = {};
  for (const [k, v] of Object.entries(record)) if (!keys.includes(k)) out[k] = v;
  return out;
};

const add = <A>(list: readonly A[], item: A): readonly A[] => (list.includes(item) ? list : [...list, item]);

const evolve = (record: SubjectRecord, event: SubjectEvent): SubjectRecord => {
  switch (event.type) {
    case 'SubjectRegistered':
      return record;
    case 'AgeEstablished':
      return { ...record, age: { evidence: event.data.age, at: event.data.establishedAt } };
    case 'ChildBelowMinimumAgeFound':
      return record.childBelowMinimumAge === undefined ? { ...record, childBelowMinimumAge: { ...event.data } } : record;
    case 'DataCollected': {
      const d = event.data;
      const before = record.categories[d.category];
      const explicit = d.submission === 'explicit';
      const entry: CategoryRecord =
        before === undefined
          ? {
              systems: [d.system],
              sources: [d.source],
              submissions: [d.submission],
              firstCollectedAt: d.collectedAt,
              lastCollectedAt: d.collectedAt,
              ...(explicit ? { lastExplicitSubmissionAt: d.collectedAt } : {}),
              policyVersion: d.policyVersion,
              sensitive: d.sensitive,
            }
          : {
              ...before,
              systems: add(before.systems, d.system),
              sources: add(before.sources, d.source),
              submissions: add(before.submissions, d.submission),
              lastCollectedAt: later(before.lastCollectedAt, d.collectedAt) ? d.collectedAt : before.lastCollectedAt,
              ...(explicit && later(before.lastExplicitSubmissionAt, d.collectedAt) ? { lastExplicitSubmissionAt: d.collectedAt } : {}),
              sensitive: before.sensitive || d.sensitive,
            };
      const { [d.category]: _erased, ...erasedCategories } = record.erasedCategories;
      return { ...record, categories: { ...record.categories, [d.category]: entry }, erasedCategories };
    }
    case 'ActivityRecorded': {
      const { kind, activityAt } = event.data;
      return later(record.lastActivity[kind], activityAt)
        ? { ...record, lastActivity: { ...record.lastActivity, [kind]: activityAt } }
        : record;
    }
    case 'DataRectified':
      return record;
    case 'ProcessingRestricted': {
      const { restrictionId, ground, scope, restrictedAt } = event.data;
      return { ...record, restrictions: { ...record.restrictions, [restrictionId]: { ground, scope, restrictedAt, active: true } } };
    }
    case 'ProcessingUnrestricted': {
      const before = record.restrictions[event.data.restrictionId];
      if (before === undefined) return record;
      return {
        ...record,
        restrictions: {
          ...record.restrictions,
          [event.data.restrictionId]: { ...before, active: false, unrestrictedAt: event.data.unrestrictedAt },
        },
      };
    }
    case 'LegalHoldPlaced': {
      const { holdId, reason, scope, placedAt } = event.data;
      return { ...record, legalHolds: { ...record.legalHolds, [holdId]: { reason, scope, placedAt, active: true } } };
    }
    case 'LegalHoldLifted': {
      const before = record.legalHolds[event.data.holdId];
      if (before === undefined) return record;
      return {
        ...record,
        legalHolds: { ...record.legalHolds, [event.data.holdId]: { ...before, active: false, liftedAt: event.data.liftedAt } },
      };
    }
    case 'SubscriptionStarted':
      return {
        ...record,
        contracts: { ...record.contracts, [event.data.contractId]: { status: 'active', startedAt: event.data.startedAt } },
      };
    case 'SubscriptionCancelled': {
      const before = record.contracts[event.data.contractId] ?? { status: 'active' };
      return {
        ...record,
        contracts: {
          ...record.contracts,
          [event.data.contractId]: { ...before, status: 'cancelled', cancelledAt: event.data.cancelledAt },
        },
      };
    }
    case 'SubscriptionReactivated': {
      const before = record.contracts[event.data.contractId] ?? { status: 'active' };
      return {
        ...record,
        contracts: {
          ...record.contracts,
          [event.data.contractId]: { ...before, status: 'active', reactivatedAt: event.data.reactivatedAt },
        },
      };
    }
    case 'ContractTerminated': {
      const before = record.contracts[event.data.contractId] ?? { status: 'active' };
      return {
        ...record,
        contracts: {
          ...record.contracts,
          [event.data.contractId]: { ...before, status: 'terminated', terminatedAt: event.data.terminatedAt },
        },
      };
    }
    case 'SubjectErased': {
      const { scope, reason, erasedAt } = event.data;
      const erased = scope === 'all' ? Object.keys(record.categories) : scope;
      const erasedCategories = { ...record.erasedCategories };
      for (const c of erased) erasedCategories[c] = { erasedAt, reason };
      const categories = withoutKeys(record.categories, erased);
      return scope === 'all'
        ? { ...record, status: 'erased', categories, erasedCategories, erasedAt, erasureReason: reason }
        : { ...record, categories, erasedCategories };
    }
  }
};

/** Returns the view after one more event of the feed; events of other kinds leave it unchanged. */
export const applySubjectEvent = (view: SubjectView, event: LetheEvent): SubjectView => {
  if (event.kind !== 'subject') return view;
  const subjectId = entityIdOf(event.streamName, 'subject');
  if (subjectId === undefined) return view;
  const e = event.event as SubjectEvent;
  const before = pmGet(view.subjects, subjectId);
  let next: SubjectRecord | undefined;
  if (e.type === 'SubjectRegistered') {
    const d = e.data;
    next = {
      subjectId,
      status: 'registered',
      registeredAt: d.registeredAt,
      jurisdictions: d.jurisdictions,
      role: d.ourRole,
      ...(d.age === undefined ? {} : { age: { evidence: d.age, at: d.registeredAt } }),
      categories: {},
      erasedCategories: {},
      restrictions: {},
      legalHolds: {},
      contracts: {},
      lastActivity: {},
      lastEventAt: event.metadata.occurredAt,
    };
    // A repeated registration is a no-op in the decider and never reaches the log; keep the first.
    if (before !== undefined) return view;
  } else {
    // The decider refuses every other command before registration, so this cannot happen.
    if (before === undefined) return view;
    next = { ...evolve(before, e), lastEventAt: event.metadata.occurredAt };
  }
  return { subjects: pmSet(view.subjects, subjectId, next) };
};

/** The subject view projection (register it as `subjectView`). */
export const subjectViewProjection: Projection<SubjectView, LetheEvent> = {
  init: initSubjectView,
  apply: applySubjectEvent,
};
