/**
 * The lifecycle area (subjects, consent, retention): its {@link lifecycleArea} for the facade,
 * and the command builders behind the host API, from registration and collection to erasure.
 *
 * A command builder is a pure function `(policy, views, input, at) => Either<ApiError, requests>`:
 * it validates the host's input with an io-ts codec (an error names the path, never the value,
 * which may be personal data), resolves cross-stream facts from the views into the command's
 * `context` (explicit consent and parental authorisation from the consent ledger, legal holds
 * from the subject view), computes deadlines from the policy once (consent expiry, retention,
 * erasure completion) and returns the model commands to execute, in order, each with the stream
 * kind that executes it. `at` (epoch ms) is the instant of the call: the default for every
 * business instant the input leaves out. The deciders still enforce their rules (restriction,
 * child ages, sensitive data, holds); their refusals come back from `engine.execute`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { EmittedCommand } from '../engine/processor.js';
import { ConsentCommand } from '../model/consent/commands.js';
import { ConsentEvidence, ConsentMethod, ParentalAuthorisation } from '../model/consent/events.js';
import { personal } from '../model/personal.js';
import { RetentionCommand } from '../model/retention/commands.js';
import { ErasureReason, ErasureTarget } from '../model/retention/events.js';
import { Identifier, IsoInstant, Uuid } from '../model/shared.js';
import type { AgeRules } from '../model/subject/commands.js';
import { SubjectCommand } from '../model/subject/commands.js';
import {
  AgeEvidence,
  CategoryScope,
  CollectionEvidence,
  ContactDetails,
  DataRole,
  RestrictionGround,
  Submission,
} from '../model/subject/events.js';
import type { DataCategory, PolicyDocument } from '../policy/document.js';
import { retentionPeriodOf } from '../policy/document.js';
import {
  canRequestErasure,
  categoryOf,
  deadlineRecord,
  eraseCategoryNow,
  lifecycleInternalCommands,
  lifecycleReactions,
  lifecycleTimerHandlers,
  lifecycleViewsOf,
  needsStart,
} from '../policy/reactions/lifecycle.js';
import { canProcess } from '../projections/canProcess.js';
import { activeGrant, consentLedgerProjection, hasParentalAuthorisation } from '../projections/consentLedger.js';
import { clockFor, retentionScheduleProjection } from '../projections/retentionSchedule.js';
import { isHeld, subjectOf, subjectViewProjection } from '../projections/subjectView.js';
import { instantFromIso, toIso } from '../time/index.js';
import type { Instant } from '../time/types.js';
import type { DomainArea, Views } from './area.js';

export { canProcess };
export type { CanProcessQuery, ProcessingDecision } from '../projections/canProcess.js';

/**
 * An error of the host API, before anything is executed: `path` names the input field
 * (`subjectId`, `scope.1`, `categories`), `message` says what is wrong without repeating the value.
 * Tags: `InvalidInput` (the codec refused the input), `UnknownCategory`, `UnknownSystem`,
 * `UnknownPurpose`, `PurposeNotConsentBased`, `UnknownSubject`, `RetentionPeriodUnresolved`,
 * `DeadlineFailed`, `ErasureSuspendedByLegalHold`.
 */
export interface ApiError {
  /** What kind of error. */
  readonly _tag:
    | 'InvalidInput'
    | 'UnknownCategory'
    | 'UnknownSystem'
    | 'UnknownPurpose'
    | 'PurposeNotConsentBased'
    | 'UnknownSubject'
    | 'RetentionPeriodUnresolved'
    | 'DeadlineFailed'
    | 'ErasureSuspendedByLegalHold';
  /** The input field at fault (`''` for the input as a whole). */
  readonly path: string;
  /** What is wrong, without personal data. */
  readonly message: string;
}

/** A model command with the stream kind that executes it (`engine.execute({ kind, command, ... })`). */
export type LifecycleCommandRequest =
  | { readonly kind: 'subject'; readonly command: SubjectCommand }
  | { readonly kind: 'consent'; readonly command: ConsentCommand }
  | { readonly kind: 'retention'; readonly command: RetentionCommand };

/** What a builder returns: the requests to execute in order (possibly none), or the input's error. */
export type BuildResult = Either<ApiError, readonly LifecycleCommandRequest[]>;

/** A command builder: validates `input`, resolves facts from `views`, computes deadlines from `policy`; `at` is the call's instant (epoch ms). */
export type CommandBuilder = (policy: PolicyDocument, views: Views, input: unknown, at: Instant) => BuildResult;

const fail = (tag: ApiError['_tag'], path: string, message: string): Either<ApiError, never> => E.left({ _tag: tag, path, message });

const pathOf = (error: t.ValidationError): string => {
  const keys: string[] = [];
  for (let i = 1; i < error.context.length; i++) {
    const parent = error.context[i - 1]?.type;
    // Unions and intersections add index keys of their members, not of the input.
    if (parent instanceof t.UnionType || parent instanceof t.IntersectionType) continue;
    const key = error.context[i]?.key;
    if (key !== undefined && key !== '') keys.push(key);
  }
  return keys.join('.');
};

/** Decodes `input` with `codec`; the error names the deepest failing path and the expected type, never the value. */
export const decodeInput = <A>(codec: t.Decoder<unknown, A>, input: unknown): Either<ApiError, A> => {
  const decoded = codec.decode(input);
  if (E.isRight(decoded)) return decoded;
  // The deepest failure is the most specific one: of a union's members, the one that got furthest.
  let first: t.ValidationError | undefined;
  let path = '';
  for (const error of decoded.left) {
    const p = pathOf(error);
    if (first === undefined || p.split('.').length > path.split('.').length) {
      first = error;
      path = p;
    }
  }
  if (first === undefined) return fail('InvalidInput', '', 'the input is invalid');
  const expected = first.context[first.context.length - 1]?.type.name ?? 'a valid value';
  return fail(
    'InvalidInput',
    path,
    first.context.length > 0 && first.value === undefined ? `is required (${expected})` : `must be ${expected}`,
  );
};

const toModel = <A>(codec: t.Decoder<unknown, A>, value: unknown): Either<ApiError, A> => decodeInput(codec, value);

const subjectRequest = (command: unknown): Either<ApiError, LifecycleCommandRequest> =>
  E.map((c: SubjectCommand): LifecycleCommandRequest => ({ kind: 'subject', command: c }))(toModel(SubjectCommand, command));
const consentRequest = (command: unknown): Either<ApiError, LifecycleCommandRequest> =>
  E.map((c: ConsentCommand): LifecycleCommandRequest => ({ kind: 'consent', command: c }))(toModel(ConsentCommand, command));
const retentionRequest = (command: unknown): Either<ApiError, LifecycleCommandRequest> =>
  E.map((c: RetentionCommand): LifecycleCommandRequest => ({ kind: 'retention', command: c }))(toModel(RetentionCommand, command));

const one = (request: Either<ApiError, LifecycleCommandRequest>): BuildResult => E.map((r: LifecycleCommandRequest) => [r])(request);

const ms = (iso: string): number => {
  const parsed = instantFromIso(iso);
  return E.isRight(parsed) ? parsed.right : Number.NaN;
};

/** Returns the child rules of the policy (`consent.minimumAge`, `consent.parentalBand`) as the subject decider takes them. */
export const ageRulesOf = (policy: PolicyDocument): AgeRules => {
  const consent = policy.consent;
  const citation = consent?.citation ?? 'GDPR Art. 8(1)';
  return {
    ...(consent?.minimumAge === undefined
      ? {}
      : { minimumAge: { age: consent.minimumAge, ruleId: 'consent.minimumAge', citation } }),
    ...(consent?.parentalBand === undefined
      ? {}
      : { parentalAuthorisationBelow: { age: consent.parentalBand.toAge, ruleId: 'consent.parentalBand', citation } }),
  } as AgeRules;
};

const checkCategory = (policy: PolicyDocument, id: string, path: string): Either<ApiError, DataCategory> => {
  const category = categoryOf(policy, id);
  return category === undefined ? fail('UnknownCategory', path, `category "${id}" is not in the policy`) : E.right(category);
};

const checkScope = (policy: PolicyDocument, scope: CategoryScope, path: string): Either<ApiError, CategoryScope> => {
  if (scope === 'all') return E.right(scope);
  for (let i = 0; i < scope.length; i++) {
    const checked = checkCategory(policy, scope[i] as string, `${path}.${i}`);
    if (E.isLeft(checked)) return checked;
  }
  return E.right(scope);
};

// ---------------------------------------------------------------------------------------------
// Input codecs (what the host sends; instants default to the call's instant)
// ---------------------------------------------------------------------------------------------

/** Input of {@link registerSubject}. */
export const RegisterSubjectInput = t.intersection(
  [
    t.type({ subjectId: Uuid, jurisdictions: t.array(Identifier), ourRole: DataRole }),
    t.partial({ registeredAt: IsoInstant, age: AgeEvidence, name: personal(t.string), contact: ContactDetails }),
  ],
  'RegisterSubjectInput',
);
/** Input of {@link establishAge}. */
export const EstablishAgeInput = t.intersection(
  [t.type({ subjectId: Uuid, age: AgeEvidence }), t.partial({ establishedAt: IsoInstant })],
  'EstablishAgeInput',
);
/** Input of {@link collectData}; `policyVersion` defaults to the policy's version. */
export const CollectDataInput = t.intersection(
  [
    t.type({ subjectId: Uuid, category: Identifier, system: Identifier, source: Identifier, submission: Submission }),
    t.partial({ collectedAt: IsoInstant, evidence: CollectionEvidence, policyVersion: Identifier }),
  ],
  'CollectDataInput',
);
/** Input of {@link recordActivity}. */
export const RecordActivityInput = t.intersection(
  [t.type({ subjectId: Uuid, kind: Identifier }), t.partial({ activityAt: IsoInstant, category: Identifier })],
  'RecordActivityInput',
);
/** Input of {@link rectifyData}. */
export const RectifyDataInput = t.intersection(
  [
    t.type({ subjectId: Uuid, fields: personal(t.record(t.string, t.unknown)) }),
    t.partial({ category: Identifier, rectifiedAt: IsoInstant }),
  ],
  'RectifyDataInput',
);
/** Input of {@link restrictProcessing}. */
export const RestrictProcessingInput = t.intersection(
  [
    t.type({ subjectId: Uuid, restrictionId: Identifier, ground: RestrictionGround, scope: CategoryScope }),
    t.partial({ restrictedAt: IsoInstant }),
  ],
  'RestrictProcessingInput',
);
/** Input of {@link liftRestriction}. */
export const LiftRestrictionInput = t.intersection(
  [t.type({ subjectId: Uuid, restrictionId: Identifier }), t.partial({ unrestrictedAt: IsoInstant, subjectInformedAt: IsoInstant })],
  'LiftRestrictionInput',
);
/** Input of {@link placeLegalHold}: `reason` is a reference (a case number), never personal data. */
export const PlaceLegalHoldInput = t.intersection(
  [t.type({ subjectId: Uuid, holdId: Identifier, reason: Identifier, scope: CategoryScope }), t.partial({ placedAt: IsoInstant })],
  'PlaceLegalHoldInput',
);
/** Input of {@link liftLegalHold}. */
export const LiftLegalHoldInput = t.intersection(
  [t.type({ subjectId: Uuid, holdId: Identifier }), t.partial({ liftedAt: IsoInstant })],
  'LiftLegalHoldInput',
);
/** Input of the contract builders; `at` is when it started, was cancelled, reactivated or terminated. */
export const ContractInput = t.intersection(
  [t.type({ subjectId: Uuid, contractId: Identifier }), t.partial({ at: IsoInstant })],
  'ContractInput',
);
/** Input of {@link grantConsent}; `explicit` defaults to false, `evidence` to none. */
export const GrantConsentInput = t.intersection(
  [
    t.type({ grantId: Uuid, subjectId: Uuid, purpose: Identifier, method: ConsentMethod, preTicked: t.boolean }),
    t.partial({
      evidence: ConsentEvidence,
      explicit: t.boolean,
      grantedAt: IsoInstant,
      parentalAuthorisation: ParentalAuthorisation,
      policyVersion: Identifier,
    }),
  ],
  'GrantConsentInput',
);
/** Input of {@link renewConsent}. */
export const RenewConsentInput = t.intersection([t.type({ grantId: Uuid }), t.partial({ renewedAt: IsoInstant })], 'RenewConsentInput');
/** Input of {@link withdrawConsent}: any channel (`email`, `written`, `ui`, ...). */
export const WithdrawConsentInput = t.intersection(
  [t.type({ grantId: Uuid, channel: Identifier }), t.partial({ withdrawnAt: IsoInstant })],
  'WithdrawConsentInput',
);
/** Input of {@link requestErasure}: `categories` default `'all'`, `reason` default `subjectRequest`. */
export const RequestErasureInput = t.intersection(
  [t.type({ subjectId: Uuid }), t.partial({ categories: CategoryScope, reason: ErasureReason, requestedAt: IsoInstant })],
  'RequestErasureInput',
);
/** Input of {@link approveErasure}; `approvedBy` identifies the employee (personal data). */
export const ApproveErasureInput = t.intersection(
  [
    t.type({ subjectId: Uuid, category: Identifier, role: Identifier, approvedBy: personal(Identifier) }),
    t.partial({ approvedAt: IsoInstant }),
  ],
  'ApproveErasureInput',
);
/** Input of {@link confirmErasure}: one system or one processor. */
export const ConfirmErasureInput = t.intersection(
  [t.type({ subjectId: Uuid, category: Identifier, target: ErasureTarget }), t.partial({ confirmedAt: IsoInstant })],
  'ConfirmErasureInput',
);

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

/** Builds `RegisterSubject` with the policy's child rules; fails with `InvalidInput`. */
export const registerSubject: CommandBuilder = (policy, _views, input, at) =>
  E.chain((i: t.TypeOf<typeof RegisterSubjectInput>) =>
    one(subjectRequest({ type: 'RegisterSubject', data: { ...i, registeredAt: i.registeredAt ?? toIso(at), context: { ageRules: ageRulesOf(policy) } } })),
  )(decodeInput(RegisterSubjectInput, input));

/** Builds `EstablishAge` with the policy's child rules; fails with `InvalidInput`. */
export const establishAge: CommandBuilder = (policy, _views, input, at) =>
  E.chain((i: t.TypeOf<typeof EstablishAgeInput>) =>
    one(
      subjectRequest({
        type: 'EstablishAge',
        data: { subjectId: i.subjectId, age: i.age, establishedAt: i.establishedAt ?? toIso(at), context: { ageRules: ageRulesOf(policy) } },
      }),
    ),
  )(decodeInput(EstablishAgeInput, input));

/**
 * Builds `CollectData` with its context: whether the category is special-category data (declared
 * `sensitive` or `explicitConsentRequired` in the policy; such data needs explicit consent, GDPR
 * Art. 9(2)(a)), whether an active explicit grant of the subject for a consent purpose covering
 * the category exists at the collection instant, whether a parent authorised (an active grant with
 * a parental authorisation), and the child rules. Fails with `InvalidInput`, `UnknownCategory`,
 * `UnknownSystem` (the system is not one the policy lists for the category: its data would escape
 * erasure) or `RetentionPeriodUnresolved` (the category's period is a parameter without a value:
 * InfluencerSoft IS-01).
 */
export const collectData: CommandBuilder = (policy, views, input, at) =>
  E.chain((i: t.TypeOf<typeof CollectDataInput>) => {
    const category = categoryOf(policy, i.category);
    if (category === undefined) return fail('UnknownCategory', 'category', `category "${i.category}" is not in the policy`);
    if (!category.systems.includes(i.system))
      return fail('UnknownSystem', 'system', `system "${i.system}" is not a system of category "${category.id}" in the policy`);
    if (retentionPeriodOf(policy, category) === undefined)
      return fail('RetentionPeriodUnresolved', 'category', `the retention period of category "${category.id}" is a parameter without a value`);
    const collectedAt = i.collectedAt ?? toIso(at);
    const when = ms(collectedAt);
    const v = lifecycleViewsOf(views);
    const sensitive = category.sensitive === true || category.explicitConsentRequired === true;
    const explicitConsentGranted = policy.purposes.some(
      (p) =>
        p.lawfulBasis === 'consent' &&
        p.categories.includes(category.id) &&
        activeGrant(v.consents, i.subjectId, p.id, when, { explicit: true }) !== undefined,
    );
    return one(
      subjectRequest({
        type: 'CollectData',
        data: {
          subjectId: i.subjectId,
          category: i.category,
          system: i.system,
          source: i.source,
          submission: i.submission,
          policyVersion: i.policyVersion ?? policy.version,
          collectedAt,
          ...(i.evidence === undefined ? {} : { evidence: i.evidence }),
          context: {
            categorySensitive: sensitive,
            // The document codec has no "refuse special categories" switch: a policy refuses a
            // category by not declaring it (UnknownCategory above).
            sensitivePolicy: 'explicitConsent',
            explicitConsentGranted,
            parentalAuthorisation: hasParentalAuthorisation(v.consents, i.subjectId, when),
            ageRules: ageRulesOf(policy),
          },
        },
      }),
    );
  })(decodeInput(CollectDataInput, input));

/** Builds `RecordActivity`; fails with `InvalidInput` or `UnknownCategory` (when a category is named). */
export const recordActivity: CommandBuilder = (policy, _views, input, at) =>
  E.chain((i: t.TypeOf<typeof RecordActivityInput>) => {
    if (i.category !== undefined && categoryOf(policy, i.category) === undefined)
      return fail('UnknownCategory', 'category', `category "${i.category}" is not in the policy`);
    return one(subjectRequest({ type: 'RecordActivity', data: { ...i, activityAt: i.activityAt ?? toIso(at) } }));
  })(decodeInput(RecordActivityInput, input));

/** Builds `RectifyData` (accepted at any time: GDPR Art. 16); fails with `InvalidInput` or `UnknownCategory`. */
export const rectifyData: CommandBuilder = (policy, _views, input, at) =>
  E.chain((i: t.TypeOf<typeof RectifyDataInput>) => {
    if (i.category !== undefined && categoryOf(policy, i.category) === undefined)
      return fail('UnknownCategory', 'category', `category "${i.category}" is not in the policy`);
    return one(subjectRequest({ type: 'RectifyData', data: { ...i, rectifiedAt: i.rectifiedAt ?? toIso(at) } }));
  })(decodeInput(RectifyDataInput, input));

/** Builds `RestrictProcessing` (GDPR Art. 18); fails with `InvalidInput` or `UnknownCategory` (path `scope.<i>`). */
export const restrictProcessing: CommandBuilder = (policy, _views, input, at) =>
  E.chain((i: t.TypeOf<typeof RestrictProcessingInput>) =>
    E.chain(() => one(subjectRequest({ type: 'RestrictProcessing', data: { ...i, restrictedAt: i.restrictedAt ?? toIso(at) } })))(
      checkScope(policy, i.scope, 'scope'),
    ),
  )(decodeInput(RestrictProcessingInput, input));

/** Builds `LiftRestriction` (Art. 18(1) grounds need `subjectInformedAt`, Art. 18(3)); fails with `InvalidInput`. */
export const liftRestriction: CommandBuilder = (_policy, _views, input, at) =>
  E.chain((i: t.TypeOf<typeof LiftRestrictionInput>) =>
    one(subjectRequest({ type: 'LiftRestriction', data: { ...i, unrestrictedAt: i.unrestrictedAt ?? toIso(at) } })),
  )(decodeInput(LiftRestrictionInput, input));

/** Builds `PlaceLegalHold`; fails with `InvalidInput` or `UnknownCategory` (path `scope.<i>`). */
export const placeLegalHold: CommandBuilder = (policy, _views, input, at) =>
  E.chain((i: t.TypeOf<typeof PlaceLegalHoldInput>) =>
    E.chain(() => one(subjectRequest({ type: 'PlaceLegalHold', data: { ...i, placedAt: i.placedAt ?? toIso(at) } })))(
      checkScope(policy, i.scope, 'scope'),
    ),
  )(decodeInput(PlaceLegalHoldInput, input));

/** Builds `LiftLegalHold` (suspended erasures are requested again by the reactions); fails with `InvalidInput`. */
export const liftLegalHold: CommandBuilder = (_policy, _views, input, at) =>
  E.chain((i: t.TypeOf<typeof LiftLegalHoldInput>) =>
    one(subjectRequest({ type: 'LiftLegalHold', data: { ...i, liftedAt: i.liftedAt ?? toIso(at) } })),
  )(decodeInput(LiftLegalHoldInput, input));

const contractBuilder =
  (type: string, field: 'startedAt' | 'cancelledAt' | 'reactivatedAt' | 'terminatedAt'): CommandBuilder =>
  (_policy, _views, input, at) =>
    E.chain((i: t.TypeOf<typeof ContractInput>) =>
      one(subjectRequest({ type, data: { subjectId: i.subjectId, contractId: i.contractId, [field]: i.at ?? toIso(at) } })),
    )(decodeInput(ContractInput, input));

/** Builds `StartSubscription` (`at`: when it started); fails with `InvalidInput`. */
export const startSubscription: CommandBuilder = contractBuilder('StartSubscription', 'startedAt');
/** Builds `CancelSubscription` (`at`: when it was cancelled); fails with `InvalidInput`. */
export const cancelSubscription: CommandBuilder = contractBuilder('CancelSubscription', 'cancelledAt');
/** Builds `ReactivateSubscription` (`at`: when it was reactivated); fails with `InvalidInput`. */
export const reactivateSubscription: CommandBuilder = contractBuilder('ReactivateSubscription', 'reactivatedAt');
/** Builds `TerminateContract` (`at`: when it ended); fails with `InvalidInput`. */
export const terminateContract: CommandBuilder = contractBuilder('TerminateContract', 'terminatedAt');

const consentExpiry = (policy: PolicyDocument, from: string): Either<ApiError, string | undefined> => {
  const period = policy.consent?.expiry;
  if (period === undefined) return E.right(undefined);
  const d = deadlineRecord(policy, from, period, 'consent.expiry', policy.consent?.citation ?? `policy ${policy.version}: consent.expiry`);
  return d === undefined ? fail('DeadlineFailed', '', 'the consent expiry could not be computed from this instant') : E.right(d.dueAt);
};

/**
 * Builds `GrantConsent` with `expiresAt` computed from the policy's `consent.expiry` (the end of
 * the last day, in the policy's calendar). Fails with `InvalidInput`, `UnknownPurpose`,
 * `PurposeNotConsentBased` or `DeadlineFailed`. A pre-ticked box is refused by the decider.
 */
export const grantConsent: CommandBuilder = (policy, _views, input, at) =>
  E.chain((i: t.TypeOf<typeof GrantConsentInput>) => {
    const purpose = policy.purposes.find((p) => p.id === i.purpose);
    if (purpose === undefined) return fail('UnknownPurpose', 'purpose', `purpose "${i.purpose}" is not in the policy`);
    if (purpose.lawfulBasis !== 'consent')
      return fail('PurposeNotConsentBased', 'purpose', `purpose "${i.purpose}" rests on ${purpose.lawfulBasis}, not consent`);
    const grantedAt = i.grantedAt ?? toIso(at);
    return E.chain((expiresAt: string | undefined) =>
      one(
        consentRequest({
          type: 'GrantConsent',
          data: {
            grantId: i.grantId,
            subjectId: i.subjectId,
            purpose: i.purpose,
            lawfulBasis: 'consent',
            policyVersion: i.policyVersion ?? policy.version,
            method: i.method,
            preTicked: i.preTicked,
            evidence: i.evidence ?? {},
            explicit: i.explicit ?? false,
            grantedAt,
            ...(i.parentalAuthorisation === undefined ? {} : { parentalAuthorisation: i.parentalAuthorisation }),
            ...(expiresAt === undefined ? {} : { expiresAt }),
          },
        }),
      ),
    )(consentExpiry(policy, grantedAt));
  })(decodeInput(GrantConsentInput, input));

/** Builds `RenewConsent` with the new `expiresAt` from the policy's `consent.expiry`; fails with `InvalidInput` or `DeadlineFailed`. */
export const renewConsent: CommandBuilder = (policy, _views, input, at) =>
  E.chain((i: t.TypeOf<typeof RenewConsentInput>) => {
    const renewedAt = i.renewedAt ?? toIso(at);
    return E.chain((expiresAt: string | undefined) =>
      one(consentRequest({ type: 'RenewConsent', data: { grantId: i.grantId, renewedAt, ...(expiresAt === undefined ? {} : { expiresAt }) } })),
    )(consentExpiry(policy, renewedAt));
  })(decodeInput(RenewConsentInput, input));

/** Builds `WithdrawConsent`: any channel, always accepted for a grant that exists (GDPR Art. 7(3)); fails with `InvalidInput` only. */
export const withdrawConsent: CommandBuilder = (_policy, _views, input, at) =>
  E.chain((i: t.TypeOf<typeof WithdrawConsentInput>) =>
    one(consentRequest({ type: 'WithdrawConsent', data: { ...i, withdrawnAt: i.withdrawnAt ?? toIso(at) } })),
  )(decodeInput(WithdrawConsentInput, input));

const retentionRequests = (commands: readonly EmittedCommand[]): BuildResult => {
  const out: LifecycleCommandRequest[] = [];
  for (const c of commands) {
    const r = retentionRequest({ type: c.type, data: c.data });
    if (E.isLeft(r)) return r;
    out.push(r.right);
  }
  return E.right(out);
};

/**
 * Builds the erasure of a subject's categories (all collected ones by default): per category, a
 * `RequestErasure` on its clock, preceded by a `StartRetentionClock` due at once where the category
 * has no clock in a cycle; the completion deadline comes from `policy.erasure` (Convertful CF-06:
 * 30 days), `restrictProcessing` from `erasure.restrictWhilePending`. Categories not collected
 * (or already being erased) give no command, so the list may be empty. Fails with `InvalidInput`,
 * `UnknownSubject`, `UnknownCategory` (path `categories.<i>`), `ErasureSuspendedByLegalHold` when
 * an active legal hold covers a category in scope (GDPR Art. 17(3)(b), (e): name the others
 * explicitly to erase them), or `DeadlineFailed`.
 */
export const requestErasure: CommandBuilder = (policy, views, input, at) =>
  E.chain((i: t.TypeOf<typeof RequestErasureInput>) => {
    const v = lifecycleViewsOf(views);
    const subject = subjectOf(v.subjects, i.subjectId);
    if (subject === undefined || subject.status !== 'registered')
      return fail('UnknownSubject', 'subjectId', subject === undefined ? 'no such subject' : 'the subject was erased');
    const scope = i.categories ?? 'all';
    const checked = checkScope(policy, scope, 'categories');
    if (E.isLeft(checked)) return checked;
    const categories = (scope === 'all' ? Object.keys(subject.categories) : scope).filter((c) => subject.categories[c] !== undefined);
    const held = categories.filter((c) => isHeld(subject, c));
    if (held.length > 0)
      return fail(
        'ErasureSuspendedByLegalHold',
        'categories',
        `an active legal hold covers ${held.map((c) => `"${c}"`).join(', ')} (GDPR Art. 17(3)(b), (e)); request the other categories by name`,
      );
    const reason = i.reason ?? 'subjectRequest';
    const requestedAt = i.requestedAt ?? toIso(at);
    const commands: EmittedCommand[] = [];
    for (const c of categories) {
      const clock = clockFor(v.schedule, i.subjectId, c);
      const eligible = canRequestErasure(clock) || (needsStart(clock) && clock?.state !== 'erased');
      const erase = eraseCategoryNow(policy, v, subject, c, reason, requestedAt, 'GDPR Art. 17(1)');
      if (eligible && erase.length === 0)
        return fail('DeadlineFailed', 'requestedAt', 'the erasure deadlines could not be computed from this instant');
      commands.push(...erase);
    }
    return retentionRequests(commands);
  })(decodeInput(RequestErasureInput, input));

/** Builds `ApproveErasure` for a role (Personizely PZ-17); fails with `InvalidInput` or `UnknownCategory`. */
export const approveErasure: CommandBuilder = (policy, _views, input, at) =>
  E.chain((i: t.TypeOf<typeof ApproveErasureInput>) =>
    E.chain(() => one(retentionRequest({ type: 'ApproveErasure', data: { ...i, approvedAt: i.approvedAt ?? toIso(at) } })))(
      checkCategory(policy, i.category, 'category'),
    ),
  )(decodeInput(ApproveErasureInput, input));

/** Builds `ConfirmErasure` for one system or processor (the last one completes the erasure); fails with `InvalidInput` or `UnknownCategory`. */
export const confirmErasure: CommandBuilder = (policy, _views, input, at) =>
  E.chain((i: t.TypeOf<typeof ConfirmErasureInput>) =>
    E.chain(() => one(retentionRequest({ type: 'ConfirmErasure', data: { ...i, confirmedAt: i.confirmedAt ?? toIso(at) } })))(
      checkCategory(policy, i.category, 'category'),
    ),
  )(decodeInput(ConfirmErasureInput, input));

/** The lifecycle area's command builders, by host API name. */
export const lifecycleBuilders = {
  registerSubject,
  establishAge,
  collectData,
  recordActivity,
  rectifyData,
  restrictProcessing,
  liftRestriction,
  placeLegalHold,
  liftLegalHold,
  startSubscription,
  cancelSubscription,
  reactivateSubscription,
  terminateContract,
  grantConsent,
  renewConsent,
  withdrawConsent,
  requestErasure,
  approveErasure,
  confirmErasure,
} as const satisfies Readonly<Record<string, CommandBuilder>>;

/**
 * The lifecycle area: projections `subjectView`, `consentLedger`, `retentionSchedule`; reactions
 * `lifecycle.subject`, `lifecycle.consent`, `lifecycle.retention`; timer handlers
 * `lifecycle.retentionDue`, `lifecycle.erasureOverdue`, `lifecycle.consentExpiry`; and the
 * internal commands its reactions emit, with their stream kinds.
 */
export const lifecycleArea: DomainArea = {
  projections: {
    subjectView: subjectViewProjection,
    consentLedger: consentLedgerProjection,
    retentionSchedule: retentionScheduleProjection,
  },
  reactions: lifecycleReactions,
  timerHandlers: lifecycleTimerHandlers,
  internalCommands: lifecycleInternalCommands,
};
