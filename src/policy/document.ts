/**
 * The policy document: what a privacy person writes (JSON or a TS object) and Lethe validates
 * before it goes live. Retention per data category, lawful bases per purpose, the rulebooks and
 * contractual duties for requests and breaches, consent ages, erasure approvals, the
 * sub-processor register, parameters the host must set, and the obligations not modelled.
 *
 * {@link decodePolicy} reports every problem of a bad document by path, structural ones first
 * (`categories[2].retention.period: "P3X" is not a period: ...`), then the cross-field checks
 * (`purposes[0].categories[1]: unknown category "billing"`). It never throws.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { IANAZone } from 'luxon';
import { CalendarCodec, describePeriod, parsePeriod } from '../time/index.js';
import type { Calendar, CalendarInput, Period } from '../time/index.js';
import { IsoInstant, LocalDate, NonEmptyString, PeriodField, oneOf, struct, wholeNumber } from './codecs.js';
import {
  appendIndex,
  appendKey,
  invalidPolicy,
  problemsFromErrors,
  showValue,
  type PolicyProblem,
  type PolicyValidationError,
} from './errors.js';
import { checkLetheParameters } from './parameters.js';
import { CountingRulesCodec, DeadlineRule, checkRule, isBreachRule, isRequestRule } from './rule.js';
import { isRulebookId, rulebookIds, rulebooks } from './rulebooks/index.js';

// ---------------------------------------------------------------------------------------------
// Calendar (the time module's codec, with a message per field)
// ---------------------------------------------------------------------------------------------

const IanaZoneName = new t.Type<string, string, unknown>(
  'IanaZone',
  (u): u is string => typeof u === 'string' && IANAZone.isValidZone(u),
  (u, c) =>
    typeof u === 'string' && IANAZone.isValidZone(u) ? t.success(u) : t.failure(u, c, `${showValue(u)} is not an IANA time zone`),
  (s) => s,
);

const IsoWeekday = new t.Type<number, number, unknown>(
  'IsoWeekday',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 1 && u <= 7,
  (u, c) =>
    typeof u === 'number' && Number.isInteger(u) && u >= 1 && u <= 7
      ? t.success(u)
      : t.failure(u, c, `${showValue(u)} is not an ISO weekday (1 = Monday ... 7 = Sunday)`),
  (n) => n,
);

const HH_MM = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const HhMm = new t.Type<string, string, unknown>(
  'HhMm',
  (u): u is string => typeof u === 'string' && HH_MM.test(u),
  (u, c) =>
    typeof u === 'string' && HH_MM.test(u) ? t.success(u) : t.failure(u, c, `${showValue(u)} is not a time HH:mm`),
  (s) => s,
);

const CalendarShape = struct(
  'Calendar',
  { zone: IanaZoneName },
  {
    weekend: t.readonlyArray(IsoWeekday),
    holidays: t.readonlyArray(LocalDate),
    openingHours: t.record(t.string, t.readonlyArray(struct('OpeningInterval', { from: HhMm, to: HhMm }, {}))),
    name: NonEmptyString,
  },
);

/**
 * The calendar of a document: the time module's `CalendarCodec` (defaults: weekend Saturday and
 * Sunday, no holidays), with every bad field reported at its own path
 * (`calendar.zone: "Mars/Base" is not an IANA time zone`) and unknown fields refused.
 */
export const PolicyCalendar = new t.Type<Calendar, CalendarInput, unknown>(
  'Calendar',
  CalendarCodec.is,
  (u, c) => {
    const shape = CalendarShape.validate(u, c);
    if (E.isLeft(shape)) return shape;
    const full = CalendarCodec.validate(u, c);
    if (E.isRight(full)) return full;
    const first = full.left[0];
    const message = (first?.message ?? 'is not a valid calendar').replace(/^calendar /, '');
    return t.failure(u, c, message);
  },
  CalendarCodec.encode,
);

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

/** Our role for the data the document covers. */
export const Role = oneOf('Role', ['controller', 'processor', 'both'] as const);
/** `'controller'`, `'processor'` or `'both'`. */
export type Role = t.TypeOf<typeof Role>;

/** The organisation the policy belongs to. */
export const Organisation = struct(
  'Organisation',
  { name: NonEmptyString },
  { contact: NonEmptyString, dpo: NonEmptyString, establishment: NonEmptyString },
);
/** See {@link Organisation}. */
export type Organisation = t.TypeOf<typeof Organisation>;

/** What starts a retention clock. */
export const RetentionClockStart = oneOf('RetentionClockStart', [
  'collection',
  'lastActivity',
  'contractEnd',
  'subscriptionCancelled',
  'consentWithdrawal',
  'purposeFulfilled',
] as const);
/** See {@link RetentionClockStart}. */
export type RetentionClockStart = t.TypeOf<typeof RetentionClockStart>;

/**
 * Kinds of subject activity. A last-activity retention clock is reset only by the kinds its rule
 * names in `resetBy` (e.g. `explicitSubmission`, not `pageView`).
 */
export const ActivityKind = oneOf('ActivityKind', [
  'explicitSubmission',
  'login',
  'purchase',
  'subscriptionRenewal',
  'supportContact',
  'apiUse',
  'pageView',
  'tracking',
  'passiveActivity',
] as const);
/** See {@link ActivityKind}. */
export type ActivityKind = t.TypeOf<typeof ActivityKind>;

/** What happens when a retention clock expires. */
export const RetentionExpiryAction = oneOf('RetentionExpiryAction', ['erase', 'anonymise', 'review'] as const);
/** See {@link RetentionExpiryAction}. */
export type RetentionExpiryAction = t.TypeOf<typeof RetentionExpiryAction>;

/** A reference to a value in the document's `parameters`, e.g. `{ "parameter": "logRetention" }`. */
export const ParameterRef = struct('ParameterRef', { parameter: NonEmptyString }, {});
/** See {@link ParameterRef}. */
export type ParameterRef = t.TypeOf<typeof ParameterRef>;

/** A retention period: a period, or a reference to a period-valued parameter the host sets. */
export const RetentionPeriod = new t.Type<Period | ParameterRef, string | ParameterRef, unknown>(
  'RetentionPeriod',
  (u): u is Period | ParameterRef => PeriodField.is(u) || ParameterRef.is(u),
  (u, c) =>
    typeof u === 'object' && u !== null && 'parameter' in u ? ParameterRef.validate(u, c) : PeriodField.validate(u, c),
  (v) => ('parameter' in v ? ParameterRef.encode(v) : PeriodField.encode(v)),
);
/** See {@link RetentionPeriod}. */
export type RetentionPeriod = t.TypeOf<typeof RetentionPeriod>;

/**
 * How long a category is kept:
 * - `period` from `clockStart`, counted with `counting` (default: the document's);
 * - `resetBy`: for `lastActivity` clocks, the activity kinds that restart it;
 * - `onExpiry`: erase, anonymise or send for review;
 * - `upTo`: the period is a maximum (erasing earlier is allowed);
 * - `gracePeriod`: counted from the clock start; a reactivation within it cancels the pending
 *   erasure (e.g. kept up to 90 days after cancellation so returning clients can resume);
 * - `citation`: where the rule comes from (a seed clause, a statute).
 */
export const RetentionRule = struct(
  'RetentionRule',
  { period: RetentionPeriod, clockStart: RetentionClockStart, onExpiry: RetentionExpiryAction },
  {
    resetBy: t.readonlyArray(ActivityKind),
    upTo: t.boolean,
    gracePeriod: PeriodField,
    counting: CountingRulesCodec,
    citation: NonEmptyString,
  },
);
/** See {@link RetentionRule}. */
export type RetentionRule = t.TypeOf<typeof RetentionRule>;

/**
 * A data category: its retention, the systems and processors that hold it, and whether it is
 * special-category data (GDPR Art. 9) that needs explicit consent.
 */
export const DataCategory = struct(
  'DataCategory',
  { id: NonEmptyString, retention: RetentionRule, systems: t.readonlyArray(NonEmptyString) },
  {
    description: NonEmptyString,
    fields: t.readonlyArray(NonEmptyString),
    processors: t.readonlyArray(NonEmptyString),
    sensitive: t.boolean,
    explicitConsentRequired: t.boolean,
    includesBackups: t.boolean,
  },
);
/** See {@link DataCategory}. */
export type DataCategory = t.TypeOf<typeof DataCategory>;

/** The lawful bases of GDPR Art. 6(1)(a)-(f). */
export const LawfulBasis = oneOf('LawfulBasis', [
  'consent',
  'contract',
  'legalObligation',
  'vitalInterest',
  'publicTask',
  'legitimateInterest',
] as const);
/** See {@link LawfulBasis}. */
export type LawfulBasis = t.TypeOf<typeof LawfulBasis>;

/** A purpose of processing, its lawful basis, and the categories that depend on it. */
export const Purpose = struct(
  'Purpose',
  { id: NonEmptyString, lawfulBasis: LawfulBasis, categories: t.readonlyArray(NonEmptyString) },
  { description: NonEmptyString, citation: NonEmptyString },
);
/** See {@link Purpose}. */
export type Purpose = t.TypeOf<typeof Purpose>;

/**
 * A change to a built-in rule for this host: a contractual `period` (it can only make the due
 * time earlier: the earlier of the two applies), a `hostTarget` for "without undue delay" duties,
 * other `counting`, or a `variant` (e.g. LGPD small processing agents). `citation` names the
 * source of the change (a contract clause).
 */
export const RuleOverride = struct(
  'RuleOverride',
  { rule: NonEmptyString, citation: NonEmptyString },
  {
    period: PeriodField,
    hostTarget: PeriodField,
    counting: CountingRulesCodec,
    variant: NonEmptyString,
    notes: NonEmptyString,
  },
);
/** See {@link RuleOverride}. */
export type RuleOverride = t.TypeOf<typeof RuleOverride>;

/** Which rulebooks govern requests, with overrides and contractual request rules. */
export const RequestPolicy = struct(
  'RequestPolicy',
  { rulebooks: t.readonlyArray(NonEmptyString) },
  { overrides: t.readonlyArray(RuleOverride), rules: t.readonlyArray(DeadlineRule) },
);
/** See {@link RequestPolicy}. */
export type RequestPolicy = t.TypeOf<typeof RequestPolicy>;

/**
 * Which rulebooks govern breaches, with overrides and contractual duties (deadline rules, with
 * `clockStart` e.g. `'awarenessAndConfirmation'`, `excludedCauses` and `scope`).
 */
export const BreachPolicy = struct(
  'BreachPolicy',
  { rulebooks: t.readonlyArray(NonEmptyString) },
  { overrides: t.readonlyArray(RuleOverride), duties: t.readonlyArray(DeadlineRule) },
);
/** See {@link BreachPolicy}. */
export type BreachPolicy = t.TypeOf<typeof BreachPolicy>;

/** An age band `[fromAge, toAge)`: from `fromAge` inclusive up to `toAge` exclusive. */
export const AgeBand = struct('AgeBand', { fromAge: wholeNumber(0), toAge: wholeNumber(1) }, {});
/** See {@link AgeBand}. */
export type AgeBand = t.TypeOf<typeof AgeBand>;

/**
 * Consent and children: below `minimumAge` the data is erased whatever a parent says (no parental
 * cure); within `parentalBand` collection needs a parental authorisation; a consent expires after
 * `expiry` unless renewed.
 */
export const ConsentPolicy = struct(
  'ConsentPolicy',
  {},
  { minimumAge: wholeNumber(0), parentalBand: AgeBand, expiry: PeriodField, citation: NonEmptyString },
);
/** See {@link ConsentPolicy}. */
export type ConsentPolicy = t.TypeOf<typeof ConsentPolicy>;

/** Who must approve a destruction: the roles, and whether `'all'` or `'any'` of them. */
export const ApprovalPolicy = struct(
  'ApprovalPolicy',
  { required: t.boolean, roles: t.readonlyArray(NonEmptyString), mode: oneOf('ApprovalMode', ['all', 'any'] as const) },
  { citation: NonEmptyString },
);
/** See {@link ApprovalPolicy}. */
export type ApprovalPolicy = t.TypeOf<typeof ApprovalPolicy>;

/**
 * What happens to Lethe's own streams of a subject once the subject is fully erased (the
 * `SubjectErased` event with scope `'all'`): the subject stream, its consent grants and its
 * retention clocks. Requests and breaches are never touched: their records are owed to authorities.
 *
 * - `keep` (the default when `streams` is absent): nothing is deleted. The log is the
 *   accountability record; the personal data itself is what the host erases (and what the
 *   vault's keys seal).
 * - `softDelete`: each stream is soft-deleted (EventStoreDB `$tb`): stream reads answer
 *   `StreamNotFound`, the events stay in `$all` until a scavenge removes them from disk (except
 *   each stream's last event), and an append would recreate the stream, continuing its numbering.
 *   With `maxAge`, the streams are not deleted but given `$maxAge` instead: their events become
 *   invisible (and scavengeable) once older than `maxAge`, counted from each event's append, so
 *   events already older than that vanish from reads at once. `maxAge` must be a fixed length
 *   (hours, days or weeks), since the server counts elapsed seconds.
 * - `tombstone`: each stream is hard-deleted: it reads as `StreamDeleted` and can never be
 *   written again; a scavenge drops its events.
 *
 * The trade-off: deleting a stream takes it out of stream reads (and, after a scavenge, off the
 * disk), but the accountability record of that subject then lives only in what the host
 * archived (e.g. a copy of the timeline taken before). Stream names carry no personal data
 * (`lethe.subject-<uuid>`), so the name a tombstone keeps forever is harmless.
 */
export const StreamErasurePolicy = struct(
  'StreamErasurePolicy',
  { mode: oneOf('StreamErasureMode', ['keep', 'softDelete', 'tombstone'] as const) },
  { maxAge: PeriodField },
);
/** See {@link StreamErasurePolicy}. */
export type StreamErasurePolicy = t.TypeOf<typeof StreamErasurePolicy>;

const SECONDS_PER_UNIT: Readonly<Partial<Record<Period['unit'], number>>> = { hours: 3600, calendarDays: 86_400, weeks: 604_800 };

/**
 * Returns a stream `maxAge` period in seconds (EventStoreDB's `$maxAge` unit; a day is 86,400 s),
 * or undefined for a unit without a fixed length (months, years, business days, working hours).
 */
export const maxAgeSeconds = (period: Period): number | undefined => {
  const perUnit = SECONDS_PER_UNIT[period.unit];
  return perUnit === undefined ? undefined : perUnit * period.amount;
};

/**
 * How erasure runs: completed within `completionWithin` of the request (or expiry), processing
 * restricted while it is pending, backups included, approvals required before destruction, and
 * what happens to the subject's own streams once it is fully erased (`streams`, default `keep`:
 * see {@link StreamErasurePolicy}).
 */
export const ErasurePolicy = struct(
  'ErasurePolicy',
  { restrictWhilePending: t.boolean },
  {
    completionWithin: PeriodField,
    includeBackups: t.boolean,
    approvals: ApprovalPolicy,
    streams: StreamErasurePolicy,
    citation: NonEmptyString,
  },
);
/** See {@link ErasurePolicy}. */
export type ErasurePolicy = t.TypeOf<typeof ErasurePolicy>;

/** A sub-processor in the register. */
export const SubProcessor = struct(
  'SubProcessor',
  { id: NonEmptyString, name: NonEmptyString },
  { location: NonEmptyString, categories: t.readonlyArray(NonEmptyString), purpose: NonEmptyString },
);
/** See {@link SubProcessor}. */
export type SubProcessor = t.TypeOf<typeof SubProcessor>;

/**
 * The sub-processor register: the list, the objection window after a change (counted from the
 * customer's receipt of the notice, or from sending it), and the advance notice of a change.
 */
export const ProcessorPolicy = struct(
  'ProcessorPolicy',
  { subProcessors: t.readonlyArray(SubProcessor) },
  {
    objectionWindow: PeriodField,
    objectionClockStart: oneOf('ObjectionClockStart', ['noticeReceipt', 'noticeSent'] as const),
    changeNoticeInAdvance: PeriodField,
    citation: NonEmptyString,
  },
);
/** See {@link ProcessorPolicy}. */
export type ProcessorPolicy = t.TypeOf<typeof ProcessorPolicy>;

/** The kind of value a parameter holds. */
export const ParameterKind = oneOf('ParameterKind', ['period', 'number', 'string', 'boolean'] as const);
/** See {@link ParameterKind}. */
export type ParameterKind = t.TypeOf<typeof ParameterKind>;

const ParameterValue = new t.Type<string | number | boolean, string | number | boolean, unknown>(
  'ParameterValue',
  (u): u is string | number | boolean => typeof u === 'string' || typeof u === 'boolean' || (typeof u === 'number' && Number.isFinite(u)),
  (u, c) =>
    typeof u === 'string' || typeof u === 'boolean' || (typeof u === 'number' && Number.isFinite(u))
      ? t.success(u)
      : t.failure(u, c, `${showValue(u)} is not a string, number or true/false`),
  (v) => v,
);

/**
 * A value the host must (or may) set, e.g. a log retention the seed document gives no number
 * for. A `required` parameter without a `value` fails validation; a period-kind value must parse.
 */
export const Parameter = struct(
  'Parameter',
  { description: NonEmptyString, kind: ParameterKind, required: t.boolean },
  { value: ParameterValue, citation: NonEmptyString },
);
/** See {@link Parameter}. */
export type Parameter = t.TypeOf<typeof Parameter>;

/** An obligation the document states that Lethe does not model, and why. */
export const NotModelled = struct('NotModelled', { obligation: NonEmptyString, reason: NonEmptyString }, { source: NonEmptyString });
/** See {@link NotModelled}. */
export type NotModelled = t.TypeOf<typeof NotModelled>;

/**
 * The policy document. `version` and `effectiveFrom` (an ISO instant) identify it: data keeps the
 * version in force when it was collected. `counting` is the default for the document's own
 * periods (retention, contractual rules without their own).
 */
export const PolicyDocument = struct(
  'PolicyDocument',
  {
    version: NonEmptyString,
    effectiveFrom: IsoInstant,
    controller: Organisation,
    role: Role,
    calendar: PolicyCalendar,
    categories: t.readonlyArray(DataCategory),
    purposes: t.readonlyArray(Purpose),
    requests: RequestPolicy,
    breaches: BreachPolicy,
    erasure: ErasurePolicy,
  },
  {
    name: NonEmptyString,
    counting: CountingRulesCodec,
    consent: ConsentPolicy,
    processors: ProcessorPolicy,
    parameters: t.record(t.string, Parameter),
    notModelled: t.readonlyArray(NotModelled),
  },
);
/** A validated policy document; see {@link PolicyDocument}. */
export type PolicyDocument = t.TypeOf<typeof PolicyDocument>;

// ---------------------------------------------------------------------------------------------
// Cross-field checks, on whatever parts of the document decoded
// ---------------------------------------------------------------------------------------------

type Each<A> = readonly (A | undefined)[];

interface PartialView {
  /** The ids written in the document, also of entries that did not decode. */
  readonly categoryIds: Each<string>;
  readonly subProcessorIds: Each<string>;
  readonly categories?: Each<DataCategory>;
  readonly purposes?: Each<Purpose>;
  readonly requests?: { readonly rulebooks?: Each<string>; readonly overrides?: Each<RuleOverride>; readonly rules?: Each<DeadlineRule> };
  readonly breaches?: { readonly rulebooks?: Each<string>; readonly overrides?: Each<RuleOverride>; readonly duties?: Each<DeadlineRule> };
  readonly consent?: ConsentPolicy;
  readonly erasure?: ErasurePolicy;
  readonly processorsDeclared: boolean;
  readonly subProcessors?: Each<SubProcessor>;
  readonly parameters?: Readonly<Record<string, Parameter | undefined>>;
}

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

const one = <A>(codec: t.Type<A, unknown, unknown>, u: unknown): A | undefined => {
  const r = codec.decode(u);
  return E.isRight(r) ? r.right : undefined;
};

const each = <A>(codec: t.Type<A, unknown, unknown>, u: unknown): Each<A> | undefined =>
  Array.isArray(u) ? u.map((x) => one(codec, x)) : undefined;

const idsOf = (u: unknown): Each<string> =>
  Array.isArray(u) ? u.map((x) => (isObject(x) && typeof x['id'] === 'string' ? x['id'] : undefined)) : [];

const viewOf = (input: unknown): PartialView => {
  if (!isObject(input)) return { processorsDeclared: false, categoryIds: [], subProcessorIds: [] };
  const requests = isObject(input['requests']) ? input['requests'] : undefined;
  const breaches = isObject(input['breaches']) ? input['breaches'] : undefined;
  const processors = isObject(input['processors']) ? input['processors'] : undefined;
  const parameters = isObject(input['parameters'])
    ? Object.fromEntries(Object.entries(input['parameters']).map(([k, v]) => [k, one(Parameter, v)]))
    : undefined;
  return {
    categoryIds: idsOf(input['categories']),
    subProcessorIds: processors === undefined ? [] : idsOf(processors['subProcessors']),
    categories: each(DataCategory, input['categories']),
    purposes: each(Purpose, input['purposes']),
    requests:
      requests === undefined
        ? undefined
        : {
            rulebooks: each(NonEmptyString, requests['rulebooks']),
            overrides: each(RuleOverride, requests['overrides']),
            rules: each(DeadlineRule, requests['rules']),
          },
    breaches:
      breaches === undefined
        ? undefined
        : {
            rulebooks: each(NonEmptyString, breaches['rulebooks']),
            overrides: each(RuleOverride, breaches['overrides']),
            duties: each(DeadlineRule, breaches['duties']),
          },
    consent: one(ConsentPolicy, input['consent']),
    erasure: one(ErasurePolicy, input['erasure']),
    processorsDeclared: processors !== undefined,
    subProcessors: processors === undefined ? undefined : each(SubProcessor, processors['subProcessors']),
    parameters,
  };
};

const quoteList = (xs: readonly string[]): string => xs.map((x) => JSON.stringify(x)).join(', ');

const duplicates = <A>(
  items: Each<A>,
  key: (a: A) => string,
  path: (i: number) => string,
  what: string,
  base: string,
): PolicyProblem[] => {
  const first = new Map<string, number>();
  const problems: PolicyProblem[] = [];
  items.forEach((item, i) => {
    if (item === undefined) return;
    const k = key(item);
    const seen = first.get(k);
    if (seen === undefined) first.set(k, i);
    else problems.push({ path: path(i), message: `duplicate ${what} "${k}" (first at ${appendIndex(base, seen)})` });
  });
  return problems;
};

const checkRulebookSection = (
  section: 'requests' | 'breaches',
  ids: Each<string> | undefined,
  overrides: Each<RuleOverride> | undefined,
  ownRules: Each<DeadlineRule> | undefined,
  ownKey: 'rules' | 'duties',
): PolicyProblem[] => {
  const problems: PolicyProblem[] = [];
  const base = appendKey(section, 'rulebooks');
  const listed: DeadlineRule[] = [];
  (ids ?? []).forEach((id, i) => {
    if (id === undefined) return;
    if (!isRulebookId(id)) {
      problems.push({ path: appendIndex(base, i), message: `unknown rulebook "${id}" (known: ${quoteList(rulebookIds)})` });
      return;
    }
    const rules = rulebooks[id].rules;
    const relevant = section === 'requests' ? rules.filter(isRequestRule) : rules.filter(isBreachRule);
    if (relevant.length === 0) {
      problems.push({
        path: appendIndex(base, i),
        message: `rulebook "${id}" has no ${section === 'requests' ? 'request' : 'breach'} rules`,
      });
    }
    listed.push(...rules);
  });
  problems.push(...duplicates(ids ?? [], (x) => x, (i) => appendIndex(base, i), 'rulebook', base));

  const ownBase = appendKey(section, ownKey);
  const builtInIds = new Set(rulebookIds.flatMap((id) => rulebooks[id].rules.map((r) => r.id)));
  (ownRules ?? []).forEach((rule, i) => {
    if (rule === undefined) return;
    const path = appendIndex(ownBase, i);
    problems.push(...checkRule(rule, path));
    if (builtInIds.has(rule.id)) {
      problems.push({ path: appendKey(path, 'id'), message: `"${rule.id}" is the id of a built-in rule; use overrides to change it` });
    }
  });
  problems.push(...duplicates(ownRules ?? [], (r) => r.id, (i) => appendKey(appendIndex(ownBase, i), 'id'), 'rule id', ownBase));

  const known = new Map<string, DeadlineRule>();
  for (const r of listed) known.set(r.id, r);
  for (const r of ownRules ?? []) if (r !== undefined) known.set(r.id, r);
  const overridesBase = appendKey(section, 'overrides');
  (overrides ?? []).forEach((o, i) => {
    if (o === undefined) return;
    const path = appendIndex(overridesBase, i);
    const rule = known.get(o.rule);
    if (rule === undefined) {
      problems.push({
        path: appendKey(path, 'rule'),
        message: `"${o.rule}" is not a rule of the rulebooks listed in ${section}.rulebooks or of ${section}.${ownKey}`,
      });
      return;
    }
    if (o.variant !== undefined && !(rule.variants ?? []).some((v) => v.id === o.variant)) {
      const knownVariants = (rule.variants ?? []).map((v) => v.id);
      problems.push({
        path: appendKey(path, 'variant'),
        message: `rule "${rule.id}" has no variant "${o.variant}"${knownVariants.length > 0 ? ` (known: ${quoteList(knownVariants)})` : ''}`,
      });
    }
    if (o.period !== undefined && rule.period !== undefined && o.period.unit === rule.period.unit && o.period.amount > rule.period.amount) {
      problems.push({
        path: appendKey(path, 'period'),
        message: `an override cannot lengthen the rule's period (${describePeriod(rule.period)}); the earlier due time would apply`,
      });
    }
    if (o.hostTarget !== undefined && rule.period === undefined && rule.target === undefined) {
      problems.push({ path: appendKey(path, 'hostTarget'), message: `rule "${rule.id}" has no deadline to set a target for` });
    }
  });
  return problems;
};

const crossCheck = (view: PartialView): PolicyProblem[] => {
  const problems: PolicyProblem[] = [];
  const categories = view.categories ?? [];
  const categoryIds = new Set(view.categoryIds.flatMap((id) => (id === undefined ? [] : [id])));
  const subProcessorIds = new Set(view.subProcessorIds.flatMap((id) => (id === undefined ? [] : [id])));
  const parameters = view.parameters ?? {};

  // categories
  problems.push(
    ...duplicates(view.categoryIds, (id) => id, (i) => appendKey(appendIndex('categories', i), 'id'), 'category id', 'categories'),
  );
  categories.forEach((category, i) => {
    if (category === undefined) return;
    const base = appendIndex('categories', i);
    const retention = appendKey(base, 'retention');
    const r = category.retention;
    if (r.resetBy !== undefined && r.resetBy.length > 0 && r.clockStart !== 'lastActivity') {
      problems.push({
        path: appendKey(retention, 'resetBy'),
        message: `activities reset only a clock that starts at lastActivity (this one starts at ${r.clockStart})`,
      });
    }
    if (r.clockStart === 'lastActivity' && (r.resetBy === undefined || r.resetBy.length === 0)) {
      problems.push({
        path: appendKey(retention, 'resetBy'),
        message: 'a lastActivity clock must name the activity kinds that reset it',
      });
    }
    if ('parameter' in r.period) {
      const name = r.period.parameter;
      const parameter = parameters[name];
      if (!(name in parameters)) {
        problems.push({ path: appendKey(appendKey(retention, 'period'), 'parameter'), message: `unknown parameter "${name}"` });
      } else if (parameter !== undefined && parameter.kind !== 'period') {
        problems.push({
          path: appendKey(appendKey(retention, 'period'), 'parameter'),
          message: `parameter "${name}" is a ${parameter.kind}, not a period`,
        });
      }
    } else if (r.gracePeriod !== undefined && r.gracePeriod.unit === r.period.unit && r.gracePeriod.amount > r.period.amount) {
      problems.push({ path: appendKey(retention, 'gracePeriod'), message: 'the grace period is longer than the retention period' });
    }
    (category.processors ?? []).forEach((p, j) => {
      if (subProcessorIds.has(p)) return;
      problems.push({
        path: appendIndex(appendKey(base, 'processors'), j),
        message: view.processorsDeclared
          ? `unknown processor "${p}" (not in processors.subProcessors)`
          : `unknown processor "${p}" (the document declares no processors.subProcessors)`,
      });
    });
  });

  // purposes
  const purposes = view.purposes ?? [];
  problems.push(...duplicates(purposes, (p) => p.id, (i) => appendKey(appendIndex('purposes', i), 'id'), 'purpose id', 'purposes'));
  purposes.forEach((purpose, i) => {
    if (purpose === undefined) return;
    purpose.categories.forEach((id, j) => {
      const path = appendIndex(appendKey(appendIndex('purposes', i), 'categories'), j);
      if (!categoryIds.has(id)) {
        problems.push({ path, message: `unknown category "${id}"` });
        return;
      }
      const category = categories.find((c) => c?.id === id);
      if (category?.explicitConsentRequired === true && purpose.lawfulBasis !== 'consent') {
        problems.push({
          path,
          message: `category "${id}" needs explicit consent but purpose "${purpose.id}" rests on ${purpose.lawfulBasis}`,
        });
      }
    });
  });

  // requests and breaches
  if (view.requests !== undefined) {
    problems.push(...checkRulebookSection('requests', view.requests.rulebooks, view.requests.overrides, view.requests.rules, 'rules'));
  }
  if (view.breaches !== undefined) {
    problems.push(...checkRulebookSection('breaches', view.breaches.rulebooks, view.breaches.overrides, view.breaches.duties, 'duties'));
  }

  // consent
  const consent = view.consent;
  if (consent?.parentalBand !== undefined) {
    const band = consent.parentalBand;
    if (band.fromAge >= band.toAge) {
      problems.push({
        path: 'consent.parentalBand',
        message: `the band is empty: fromAge ${band.fromAge} is not below toAge ${band.toAge} (toAge is exclusive)`,
      });
    }
    if (consent.minimumAge !== undefined && band.fromAge < consent.minimumAge) {
      problems.push({
        path: 'consent.parentalBand.fromAge',
        message: `the parental band starts at ${band.fromAge}, below the hard minimum age ${consent.minimumAge}: ages ${band.fromAge} to ${consent.minimumAge - 1} would be erased whatever a parent says, so the band must start at ${consent.minimumAge} or later`,
      });
    }
  }

  // erasure approvals
  const approvals = view.erasure?.approvals;
  if (approvals !== undefined) {
    if (approvals.required && approvals.roles.length === 0) {
      problems.push({ path: 'erasure.approvals.roles', message: 'approvals are required but no role is named' });
    }
    problems.push(
      ...duplicates(approvals.roles, (r) => r, (i) => appendIndex('erasure.approvals.roles', i), 'role', 'erasure.approvals.roles'),
    );
  }

  // erasure of the subject's own streams
  const streams = view.erasure?.streams;
  if (streams?.maxAge !== undefined) {
    if (streams.mode !== 'softDelete') {
      problems.push({
        path: 'erasure.streams.maxAge',
        message: `maxAge applies only with mode "softDelete" (it replaces the soft delete by $maxAge), not with mode "${streams.mode}"`,
      });
    } else if (maxAgeSeconds(streams.maxAge) === undefined) {
      problems.push({
        path: 'erasure.streams.maxAge',
        message: `must be a fixed length in hours, calendar days or weeks (the server counts elapsed seconds), not ${streams.maxAge.unit}`,
      });
    }
  }

  // processors
  const subs = view.subProcessors ?? [];
  problems.push(
    ...duplicates(
      view.subProcessorIds,
      (id) => id,
      (i) => appendKey(appendIndex('processors.subProcessors', i), 'id'),
      'sub-processor id',
      'processors.subProcessors',
    ),
  );
  subs.forEach((s, i) => {
    (s?.categories ?? []).forEach((id, j) => {
      if (!categoryIds.has(id)) {
        problems.push({
          path: appendIndex(appendKey(appendIndex('processors.subProcessors', i), 'categories'), j),
          message: `unknown category "${id}"`,
        });
      }
    });
  });

  // parameters
  const referenced = new Set(
    categories.flatMap((c) => (c !== undefined && 'parameter' in c.retention.period ? [c.retention.period.parameter] : [])),
  );
  problems.push(...checkLetheParameters(parameters, referenced));
  for (const [name, parameter] of Object.entries(parameters)) {
    if (parameter === undefined) continue;
    const path = appendKey(appendKey('parameters', name), 'value');
    const value = parameter.value;
    if (value === undefined) {
      if (parameter.required) problems.push({ path, message: 'required parameter has no value' });
      continue;
    }
    if (parameter.kind === 'period') {
      const parsed = typeof value === 'string' ? parsePeriod(value) : undefined;
      if (parsed === undefined) problems.push({ path, message: `${showValue(value)} is not a period` });
      else if (E.isLeft(parsed)) problems.push({ path, message: `${showValue(value)} is not a period: ${parsed.left.reason}` });
    } else if (typeof value !== parameter.kind) {
      problems.push({ path, message: `${showValue(value)} is not a ${parameter.kind}` });
    }
  }
  return problems;
};

/**
 * Validates a policy document: returns it decoded (periods as `Period` values, calendar
 * defaults filled in), or `InvalidPolicy` listing every problem by path, structural problems first,
 * then cross-field ones (unknown categories, duplicate ids, unknown rulebooks or rules, required
 * parameters without a value, empty approval roles, a parental band below the hard minimum age).
 * Never throws.
 */
export const decodePolicy = (input: unknown): Either<PolicyValidationError, PolicyDocument> => {
  const decoded = PolicyDocument.decode(input);
  const structural = E.isLeft(decoded) ? problemsFromErrors(decoded.left) : [];
  let cross: PolicyProblem[];
  try {
    cross = crossCheck(viewOf(input));
  } catch {
    // The checks only read values their codecs accepted; this guards the promise never to throw.
    cross = [{ path: '(document)', message: 'the document could not be checked' }];
  }
  const seen = new Set(structural.map((p) => `${p.path}\u0000${p.message}`));
  const problems = [...structural, ...cross.filter((p) => !seen.has(`${p.path}\u0000${p.message}`))];
  if (problems.length > 0 || E.isLeft(decoded)) return E.left(invalidPolicy(problems));
  return E.right(decoded.right);
};

/** The period of a category's retention, resolving a parameter reference; undefined if unresolved. */
export const retentionPeriodOf = (doc: PolicyDocument, category: DataCategory): Period | undefined => {
  const p = category.retention.period;
  if (!('parameter' in p)) return p;
  const value = doc.parameters?.[p.parameter]?.value;
  if (typeof value !== 'string') return undefined;
  const parsed = parsePeriod(value);
  return E.isRight(parsed) ? parsed.right : undefined;
};
