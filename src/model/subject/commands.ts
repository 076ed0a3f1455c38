/**
 * Commands of the data-subject stream. They come from the host's API (or from reactions), so each
 * has a codec: bad input is a typed error naming the path, never a throw.
 *
 * Facts that live in other streams (is there an explicit consent grant? a parental
 * authorisation?) and the policy's rules (age limits, whether sensitive data is accepted) are
 * resolved by the API layer before `decide` and travel in a `context` field; the decider
 * enforces the rule from it and stays pure.
 *
 * @module
 */
import * as t from 'io-ts';
import { personal } from '../personal.js';
import { Identifier, IsoInstant, Uuid } from '../shared.js';
import {
  AgeEvidence,
  AgeInYears,
  CategoryScope,
  CollectionEvidence,
  ContactDetails,
  DataRole,
  RestrictionGround,
  Submission,
} from './events.js';

/** One age limit of the policy, with the rule and the citation that set it. */
export const AgeLimit = t.type({ age: AgeInYears, ruleId: Identifier, citation: t.string }, 'AgeLimit');
/** One age limit of the policy. */
export type AgeLimit = t.TypeOf<typeof AgeLimit>;

/**
 * The policy's child rules for this subject, resolved by the API layer: `minimumAge` is the hard
 * floor (below it data is erased, no parental cure: Instaply IN-21), `parentalAuthorisationBelow`
 * the age below which a parent must authorise (GDPR Art. 8(1); Instaply IN-22: under 18).
 * Absent limits do not apply.
 */
export const AgeRules = t.partial({ minimumAge: AgeLimit, parentalAuthorisationBelow: AgeLimit }, 'AgeRules');
/** The policy's child rules. */
export type AgeRules = t.TypeOf<typeof AgeRules>;

/**
 * Cross-stream facts and policy rules for a collection, resolved by the API layer before decide:
 * whether the category is special-category data (GDPR Art. 9(1)), whether the policy refuses such
 * data outright (Convertful CF-05) or accepts it with explicit consent (Instaply IN-05, Art.
 * 9(2)(a)), whether an explicit consent grant for it is active, whether a parent has authorised
 * the collection, and the child rules.
 */
export const CollectionContext = t.intersection(
  [
    t.type({
      categorySensitive: t.boolean,
      sensitivePolicy: t.keyof({ refuse: null, explicitConsent: null }),
      explicitConsentGranted: t.boolean,
      parentalAuthorisation: t.boolean,
    }),
    t.partial({ ageRules: AgeRules }),
  ],
  'CollectionContext',
);
/** Cross-stream facts and policy rules for a collection. */
export type CollectionContext = t.TypeOf<typeof CollectionContext>;

/** Registers a subject; `context.ageRules` (resolved by the API layer) lets decide flag a child below the minimum age. */
export const RegisterSubject = t.type(
  {
    type: t.literal('RegisterSubject'),
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
        context: t.type({ ageRules: AgeRules }),
      }),
    ]),
  },
  'RegisterSubject',
);
/** Registers a subject. */
export type RegisterSubject = t.TypeOf<typeof RegisterSubject>;

/** Records the subject's age; `context.ageRules` is resolved by the API layer from the policy. */
export const EstablishAge = t.type(
  {
    type: t.literal('EstablishAge'),
    data: t.type({
      subjectId: Uuid,
      age: AgeEvidence,
      establishedAt: IsoInstant,
      context: t.type({ ageRules: AgeRules }),
    }),
  },
  'EstablishAge',
);
/** Records the subject's age. */
export type EstablishAge = t.TypeOf<typeof EstablishAge>;

/** Records a collection of data; `context` carries the cross-stream facts and policy rules it is checked against. */
export const CollectData = t.type(
  {
    type: t.literal('CollectData'),
    data: t.intersection([
      t.type({
        subjectId: Uuid,
        category: Identifier,
        system: Identifier,
        source: Identifier,
        submission: Submission,
        policyVersion: Identifier,
        collectedAt: IsoInstant,
        context: CollectionContext,
      }),
      t.partial({ evidence: CollectionEvidence }),
    ]),
  },
  'CollectData',
);
/** Records a collection of data. */
export type CollectData = t.TypeOf<typeof CollectData>;

/** Records an activity of the subject (`widgetSubmission`, `pageView`, `login`, ...). */
export const RecordActivity = t.type(
  {
    type: t.literal('RecordActivity'),
    data: t.intersection([
      t.type({ subjectId: Uuid, kind: Identifier, activityAt: IsoInstant }),
      t.partial({ category: Identifier }),
    ]),
  },
  'RecordActivity',
);
/** Records an activity of the subject. */
export type RecordActivity = t.TypeOf<typeof RecordActivity>;

/** Records a rectification (GDPR Art. 16; InfluencerSoft IS-06: accepted at any time). */
export const RectifyData = t.type(
  {
    type: t.literal('RectifyData'),
    data: t.intersection([
      t.type({ subjectId: Uuid, fields: personal(t.record(t.string, t.unknown)), rectifiedAt: IsoInstant }),
      t.partial({ category: Identifier }),
    ]),
  },
  'RectifyData',
);
/** Records a rectification. */
export type RectifyData = t.TypeOf<typeof RectifyData>;

/** Restricts processing of `scope` (GDPR Art. 18). */
export const RestrictProcessing = t.type(
  {
    type: t.literal('RestrictProcessing'),
    data: t.type({
      subjectId: Uuid,
      restrictionId: Identifier,
      ground: RestrictionGround,
      scope: CategoryScope,
      restrictedAt: IsoInstant,
    }),
  },
  'RestrictProcessing',
);
/** Restricts processing. */
export type RestrictProcessing = t.TypeOf<typeof RestrictProcessing>;

/** Lifts a restriction; for Art. 18(1) grounds `subjectInformedAt` (at or before the lift) is required by Art. 18(3). */
export const LiftRestriction = t.type(
  {
    type: t.literal('LiftRestriction'),
    data: t.intersection([
      t.type({ subjectId: Uuid, restrictionId: Identifier, unrestrictedAt: IsoInstant }),
      t.partial({ subjectInformedAt: IsoInstant }),
    ]),
  },
  'LiftRestriction',
);
/** Lifts a restriction. */
export type LiftRestriction = t.TypeOf<typeof LiftRestriction>;

/** Places a legal hold on `scope`; placing the same hold again is a no-op. */
export const PlaceLegalHold = t.type(
  {
    type: t.literal('PlaceLegalHold'),
    data: t.type({ subjectId: Uuid, holdId: Identifier, reason: Identifier, scope: CategoryScope, placedAt: IsoInstant }),
  },
  'PlaceLegalHold',
);
/** Places a legal hold. */
export type PlaceLegalHold = t.TypeOf<typeof PlaceLegalHold>;

/** Lifts a legal hold. */
export const LiftLegalHold = t.type(
  {
    type: t.literal('LiftLegalHold'),
    data: t.type({ subjectId: Uuid, holdId: Identifier, liftedAt: IsoInstant }),
  },
  'LiftLegalHold',
);
/** Lifts a legal hold. */
export type LiftLegalHold = t.TypeOf<typeof LiftLegalHold>;

/** Starts a subscription. */
export const StartSubscription = t.type(
  { type: t.literal('StartSubscription'), data: t.type({ subjectId: Uuid, contractId: Identifier, startedAt: IsoInstant }) },
  'StartSubscription',
);
/** Starts a subscription. */
export type StartSubscription = t.TypeOf<typeof StartSubscription>;

/** Cancels a subscription. */
export const CancelSubscription = t.type(
  {
    type: t.literal('CancelSubscription'),
    data: t.type({ subjectId: Uuid, contractId: Identifier, cancelledAt: IsoInstant }),
  },
  'CancelSubscription',
);
/** Cancels a subscription. */
export type CancelSubscription = t.TypeOf<typeof CancelSubscription>;

/** Reactivates a cancelled subscription. */
export const ReactivateSubscription = t.type(
  {
    type: t.literal('ReactivateSubscription'),
    data: t.type({ subjectId: Uuid, contractId: Identifier, reactivatedAt: IsoInstant }),
  },
  'ReactivateSubscription',
);
/** Reactivates a cancelled subscription. */
export type ReactivateSubscription = t.TypeOf<typeof ReactivateSubscription>;

/** Records the end of a contract (a subscription or any other contract with the subject). */
export const TerminateContract = t.type(
  {
    type: t.literal('TerminateContract'),
    data: t.type({ subjectId: Uuid, contractId: Identifier, terminatedAt: IsoInstant }),
  },
  'TerminateContract',
);
/** Records the end of a contract. */
export type TerminateContract = t.TypeOf<typeof TerminateContract>;

/** Records that the subject's data in `scope` was erased. */
export const EraseSubject = t.type(
  {
    type: t.literal('EraseSubject'),
    data: t.type({ subjectId: Uuid, scope: CategoryScope, reason: Identifier, erasedAt: IsoInstant }),
  },
  'EraseSubject',
);
/** Records that the subject's data was erased. */
export type EraseSubject = t.TypeOf<typeof EraseSubject>;

/** Every command of the subject stream. */
export const SubjectCommand = t.union(
  [
    RegisterSubject,
    EstablishAge,
    CollectData,
    RecordActivity,
    RectifyData,
    RestrictProcessing,
    LiftRestriction,
    PlaceLegalHold,
    LiftLegalHold,
    StartSubscription,
    CancelSubscription,
    ReactivateSubscription,
    TerminateContract,
    EraseSubject,
  ],
  'SubjectCommand',
);
/** Every command of the subject stream. */
export type SubjectCommand = t.TypeOf<typeof SubjectCommand>;
