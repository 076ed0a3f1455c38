/**
 * Events of the data-subject stream (`lethe.subject-<uuid>`): registration, what was collected
 * from where, activity, rectification, restriction (GDPR Art. 18), legal holds, subscriptions and
 * contracts, the subject's age and the child rules it triggers, and erasure.
 *
 * Personal fields are wrapped in `personal(...)`, so crypto-shredding finds them with
 * `personalPaths(SubjectEvent)`.
 *
 * @module
 */
import * as t from 'io-ts';
import { personal } from '../personal.js';
import { Identifier, IsoInstant, LocalDate, Uuid } from '../shared.js';

/** A whole number of years between 0 and 150. */
export interface AgeInYearsBrand {
  readonly AgeInYears: unique symbol;
}
/** An age in whole years (0 to 150). */
export const AgeInYears = t.brand(
  t.number,
  (n): n is t.Branded<number, AgeInYearsBrand> => Number.isInteger(n) && n >= 0 && n <= 150,
  'AgeInYears',
);
/** An age in whole years. */
export type AgeInYears = t.TypeOf<typeof AgeInYears>;

/**
 * What we play for this subject's data: controller, or processor on behalf of `controllerId`
 * (GDPR Art. 4(7)-(8)); it decides who answers requests and who is notified of breaches.
 */
export const DataRole = t.union(
  [t.type({ role: t.literal('controller') }), t.type({ role: t.literal('processor'), controllerId: Identifier })],
  'DataRole',
);
/** Our role for a subject's data. */
export type DataRole = t.TypeOf<typeof DataRole>;

/**
 * How the subject's age is known: a birth date (personal data), or an age in whole years as
 * declared or verified at the instant of the event that carries it. Ages declared in years grow
 * by the whole years elapsed since, so the age used later is a lower bound (child rules err on
 * the side of the child).
 */
export const AgeEvidence = t.union(
  [t.type({ birthDate: personal(LocalDate) }), t.type({ ageInYears: AgeInYears })],
  'AgeEvidence',
);
/** How the subject's age is known. */
export type AgeEvidence = t.TypeOf<typeof AgeEvidence>;

/** Contact details (each personal). */
export const ContactDetails = t.partial(
  {
    email: personal(t.string),
    phone: personal(t.string),
    postalAddress: personal(t.string),
  },
  'ContactDetails',
);
/** Contact details. */
export type ContactDetails = t.TypeOf<typeof ContactDetails>;

/** Which categories a restriction, hold or erasure covers: `'all'` or a list of category ids. */
export const CategoryScope = t.union([t.literal('all'), t.array(Identifier)], 'CategoryScope');
/** Which categories a restriction, hold or erasure covers. */
export type CategoryScope = t.TypeOf<typeof CategoryScope>;

/**
 * Why processing is restricted: the four grounds of GDPR Art. 18(1)(a)-(d), isolation while an
 * erasure completes (Convertful CF-06), or another host-defined reason.
 */
export const RestrictionGround = t.keyof(
  {
    accuracyContested: null, // Art. 18(1)(a)
    unlawfulProcessingErasureOpposed: null, // Art. 18(1)(b)
    neededForLegalClaims: null, // Art. 18(1)(c)
    objectionPending: null, // Art. 18(1)(d)
    erasurePending: null,
    other: null,
  },
  'RestrictionGround',
);
/** Why processing is restricted. */
export type RestrictionGround = t.TypeOf<typeof RestrictionGround>;

/** Whether data was submitted by the subject on purpose (a form, a widget) or observed passively (tracking). */
export const Submission = t.keyof({ explicit: null, passive: null }, 'Submission');
/** Explicit submission or passive observation. */
export type Submission = t.TypeOf<typeof Submission>;

/** Evidence kept with a collection (GDPR Art. 7(1): the controller must be able to show consent). */
export const CollectionEvidence = t.partial(
  {
    ip: personal(t.string),
    userAgent: personal(t.string),
    formId: Identifier,
  },
  'CollectionEvidence',
);
/** Evidence kept with a collection. */
export type CollectionEvidence = t.TypeOf<typeof CollectionEvidence>;

/** The subject became known to us: jurisdictions whose law applies, our role, and optionally age and contact details. */
export const SubjectRegistered = t.type(
  {
    type: t.literal('SubjectRegistered'),
    data: t.intersection([
      t.type({
        subjectId: Uuid,
        jurisdictions: t.array(Identifier),
        ourRole: DataRole,
        registeredAt: IsoInstant,
      }),
      t.partial({
        age: AgeEvidence,
        name: personal(t.string),
        contact: ContactDetails,
      }),
    ]),
  },
  'SubjectRegistered',
);
/** The subject became known to us. */
export type SubjectRegistered = t.TypeOf<typeof SubjectRegistered>;

/** The subject's age was established (declared, verified or learnt) at `establishedAt`. */
export const AgeEstablished = t.type(
  {
    type: t.literal('AgeEstablished'),
    data: t.type({ age: AgeEvidence, establishedAt: IsoInstant }),
  },
  'AgeEstablished',
);
/** The subject's age was established. */
export type AgeEstablished = t.TypeOf<typeof AgeEstablished>;

/**
 * The subject is below the policy's hard minimum age (e.g. Instaply IN-21: under 15): their data
 * must be erased whatever a parent says. Recorded with the rule that applied; the reactions
 * layer turns it into erasure.
 */
export const ChildBelowMinimumAgeFound = t.type(
  {
    type: t.literal('ChildBelowMinimumAgeFound'),
    data: t.type({ minimumAge: AgeInYears, foundAt: IsoInstant, ruleId: Identifier, citation: t.string }),
  },
  'ChildBelowMinimumAgeFound',
);
/** The subject is below the hard minimum age. */
export type ChildBelowMinimumAgeFound = t.TypeOf<typeof ChildBelowMinimumAgeFound>;

/**
 * Data of `category` was collected into `system`, from `source` (`widget`, `signup`, `api`,
 * `import`, ...), under the policy version in force (Instaply IN-01: data keeps the version it
 * was collected under). `sensitive` records whether the category is special-category data
 * (GDPR Art. 9(1)).
 */
export const DataCollected = t.type(
  {
    type: t.literal('DataCollected'),
    data: t.intersection([
      t.type({
        category: Identifier,
        system: Identifier,
        source: Identifier,
        submission: Submission,
        policyVersion: Identifier,
        sensitive: t.boolean,
        collectedAt: IsoInstant,
      }),
      t.partial({ evidence: CollectionEvidence }),
    ]),
  },
  'DataCollected',
);
/** Data was collected. */
export type DataCollected = t.TypeOf<typeof DataCollected>;

/**
 * The subject was active: `kind` is an identifier such as `widgetSubmission`, `pageView`,
 * `login`. Retention rules based on last activity name the kinds that reset their clock.
 */
export const ActivityRecorded = t.type(
  {
    type: t.literal('ActivityRecorded'),
    data: t.intersection([t.type({ kind: Identifier, activityAt: IsoInstant }), t.partial({ category: Identifier })]),
  },
  'ActivityRecorded',
);
/** The subject was active. */
export type ActivityRecorded = t.TypeOf<typeof ActivityRecorded>;

/** Personal data was corrected or completed (GDPR Art. 16); `fields` holds the new values. */
export const DataRectified = t.type(
  {
    type: t.literal('DataRectified'),
    data: t.intersection([
      t.type({ fields: personal(t.record(t.string, t.unknown)), rectifiedAt: IsoInstant }),
      t.partial({ category: Identifier }),
    ]),
  },
  'DataRectified',
);
/** Personal data was rectified. */
export type DataRectified = t.TypeOf<typeof DataRectified>;

/** Processing of `scope` is restricted on `ground` (GDPR Art. 18): only storage is allowed meanwhile (Art. 18(2)). */
export const ProcessingRestricted = t.type(
  {
    type: t.literal('ProcessingRestricted'),
    data: t.type({ restrictionId: Identifier, ground: RestrictionGround, scope: CategoryScope, restrictedAt: IsoInstant }),
  },
  'ProcessingRestricted',
);
/** Processing was restricted. */
export type ProcessingRestricted = t.TypeOf<typeof ProcessingRestricted>;

/**
 * A restriction was lifted. `subjectInformedAt` is when the subject was told beforehand, which
 * GDPR Art. 18(3) requires for restrictions obtained on an Art. 18(1) ground.
 */
export const ProcessingUnrestricted = t.type(
  {
    type: t.literal('ProcessingUnrestricted'),
    data: t.intersection([
      t.type({ restrictionId: Identifier, unrestrictedAt: IsoInstant }),
      t.partial({ subjectInformedAt: IsoInstant }),
    ]),
  },
  'ProcessingUnrestricted',
);
/** A restriction was lifted. */
export type ProcessingUnrestricted = t.TypeOf<typeof ProcessingUnrestricted>;

/**
 * A legal hold suspends erasure of `scope` (GDPR Art. 17(3)(b), (e)); `reason` is a reference (a
 * case number, a ticket), never personal data.
 */
export const LegalHoldPlaced = t.type(
  {
    type: t.literal('LegalHoldPlaced'),
    data: t.type({ holdId: Identifier, reason: Identifier, scope: CategoryScope, placedAt: IsoInstant }),
  },
  'LegalHoldPlaced',
);
/** A legal hold was placed. */
export type LegalHoldPlaced = t.TypeOf<typeof LegalHoldPlaced>;

/** A legal hold was lifted; erasure it suspended becomes due again at the next tick. */
export const LegalHoldLifted = t.type(
  {
    type: t.literal('LegalHoldLifted'),
    data: t.type({ holdId: Identifier, liftedAt: IsoInstant }),
  },
  'LegalHoldLifted',
);
/** A legal hold was lifted. */
export type LegalHoldLifted = t.TypeOf<typeof LegalHoldLifted>;

/** A subscription (a contract) started. */
export const SubscriptionStarted = t.type(
  { type: t.literal('SubscriptionStarted'), data: t.type({ contractId: Identifier, startedAt: IsoInstant }) },
  'SubscriptionStarted',
);
/** A subscription started. */
export type SubscriptionStarted = t.TypeOf<typeof SubscriptionStarted>;

/** A subscription was cancelled (Personizely PZ-06, PZ-13: withdrawal of consent, then a 90-day grace). */
export const SubscriptionCancelled = t.type(
  { type: t.literal('SubscriptionCancelled'), data: t.type({ contractId: Identifier, cancelledAt: IsoInstant }) },
  'SubscriptionCancelled',
);
/** A subscription was cancelled. */
export type SubscriptionCancelled = t.TypeOf<typeof SubscriptionCancelled>;

/** A cancelled subscription was reactivated (Personizely PZ-13: within the grace period it cancels the pending erasure). */
export const SubscriptionReactivated = t.type(
  { type: t.literal('SubscriptionReactivated'), data: t.type({ contractId: Identifier, reactivatedAt: IsoInstant }) },
  'SubscriptionReactivated',
);
/** A subscription was reactivated. */
export type SubscriptionReactivated = t.TypeOf<typeof SubscriptionReactivated>;

/** A contract ended (Convertful CF-20, Personizely PZ-32, Softpire SP-10): return or erasure follows. */
export const ContractTerminated = t.type(
  { type: t.literal('ContractTerminated'), data: t.type({ contractId: Identifier, terminatedAt: IsoInstant }) },
  'ContractTerminated',
);
/** A contract ended. */
export type ContractTerminated = t.TypeOf<typeof ContractTerminated>;

/**
 * The subject's data in `scope` was erased; `reason` names why (`retentionExpired`,
 * `subjectRequest`, `childBelowMinimumAge`, ...). With scope `'all'` the subject is gone and the
 * stream accepts no further command.
 */
export const SubjectErased = t.type(
  {
    type: t.literal('SubjectErased'),
    data: t.type({ scope: CategoryScope, reason: Identifier, erasedAt: IsoInstant }),
  },
  'SubjectErased',
);
/** The subject's data was erased. */
export type SubjectErased = t.TypeOf<typeof SubjectErased>;

/** Every event of the subject stream. */
export const SubjectEvent = t.union(
  [
    SubjectRegistered,
    AgeEstablished,
    ChildBelowMinimumAgeFound,
    DataCollected,
    ActivityRecorded,
    DataRectified,
    ProcessingRestricted,
    ProcessingUnrestricted,
    LegalHoldPlaced,
    LegalHoldLifted,
    SubscriptionStarted,
    SubscriptionCancelled,
    SubscriptionReactivated,
    ContractTerminated,
    SubjectErased,
  ],
  'SubjectEvent',
);
/** Every event of the subject stream. */
export type SubjectEvent = t.TypeOf<typeof SubjectEvent>;
