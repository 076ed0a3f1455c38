/**
 * The deadline rule: one legal or contractual duty as data. Built-in rulebooks are constants of
 * this shape and policy documents carry contractual rules in the same form, so both go through
 * the same codec.
 *
 * A rule says which event opens the duty (`trigger`), which instant starts its clock
 * (`clockStart`), how long it runs (`period`, counted by `counting`), what satisfies it, what
 * exempts from it, whether and how it can be extended, and, for "without undue delay" duties, the
 * target the host sets, shown apart from any legal outer limit.
 *
 * @module
 */
import * as t from 'io-ts';
import type { CountingRules, Period } from '../time/types.js';
import { NonEmptyString, PeriodField, LocalDate, oneOf, refine, struct, wholeNumber } from './codecs.js';
import { appendIndex, appendKey, type PolicyProblem } from './errors.js';

/** The events that open a duty (the names of the events that the model records). */
export const Trigger = oneOf('Trigger', [
  'RequestReceived',
  'IdentityVerified',
  'BreachDetected',
  'BreachAwarenessEstablished',
  'BreachConfirmed',
  'BreachDetermined',
  'BreachDiscovered',
  'IndividualsNotified',
  'AuthorityNotified',
  'CalendarYearEnded',
  'DataCollected',
  'LastActivity',
  'ContractEnded',
  'SubscriptionCancelled',
  'ConsentWithdrawn',
  'PurposeFulfilled',
  'ErasureGroundEstablished',
  'ErasureRequested',
  'RestrictionLiftPlanned',
  'SubProcessorChangeNotified',
  'AuthorityRequestReceived',
  'AgeEstablished',
] as const);
/** An event that opens a duty, e.g. `'RequestReceived'` or `'BreachAwarenessEstablished'`. */
export type Trigger = t.TypeOf<typeof Trigger>;

/**
 * The instant that starts a rule's clock:
 * - `receipt`: the request arrived;
 * - `latestOfReceiptIdentityFee`: the latest of receipt, receipt of requested identity evidence
 *   and payment of a fee (UK GDPR Art. 12A, "the relevant time");
 * - `awareness`: the controller or processor became aware (a reasonable degree of certainty);
 * - `awarenessAndConfirmation`: the later of awareness and confirmation (contracts that say
 *   "after becoming aware of and confirming");
 * - `detection`, `determination`, `discovery`: the words US and contractual texts use;
 * - `discoveryOrNotification`: discovery, or notification by a third party (Cal. Civ. Code 1798.82);
 * - `individualsNotified`: the notice to individuals went out (e.g. a regulator notice due after it);
 * - `authorityNotification`: the first notice to the authority went out;
 * - `yearEnd`: the end of the calendar year (annual logs);
 * - `collection`, `lastActivity`, `contractEnd`, `subscriptionCancelled`, `consentWithdrawal`,
 *   `purposeFulfilled`: retention clocks;
 * - `groundEstablished`: an erasure ground (GDPR Art. 17(1)) came to apply;
 * - `noticeReceipt`: the counterparty received a notice (e.g. of a sub-processor change);
 * - `ageEstablished`: the subject's age became known.
 */
export const ClockStart = oneOf('ClockStart', [
  'receipt',
  'latestOfReceiptIdentityFee',
  'awareness',
  'awarenessAndConfirmation',
  'detection',
  'determination',
  'discovery',
  'discoveryOrNotification',
  'individualsNotified',
  'authorityNotification',
  'yearEnd',
  'collection',
  'lastActivity',
  'contractEnd',
  'subscriptionCancelled',
  'consentWithdrawal',
  'purposeFulfilled',
  'groundEstablished',
  'noticeReceipt',
  'ageEstablished',
] as const);
/** What instant starts a rule's clock; see {@link ClockStart}. */
export type ClockStart = t.TypeOf<typeof ClockStart>;

/** The kinds of data-subject request a rule can apply to. */
export const RequestKind = oneOf('RequestKind', [
  'access',
  'erasure',
  'rectification',
  'restriction',
  'portability',
  'objection',
  'optOut',
  'anonymisation',
] as const);
/** A kind of data-subject request, e.g. `'access'`. */
export type RequestKind = t.TypeOf<typeof RequestKind>;

/** How day, week, month and year periods are counted (see the time module's `CountingRules`). */
export const CountingRulesCodec: t.Type<CountingRules, CountingRules, unknown> = struct(
  'CountingRules',
  { convention: oneOf('Convention', ['eu-1182-71', 'uk-ico'] as const), rollForward: t.boolean },
  {},
);

/** The counting used when neither a rule nor a document names one: EU 1182/71, no roll-forward. */
export const DEFAULT_COUNTING: CountingRules = { convention: 'eu-1182-71', rollForward: false };

/**
 * A named condition under which the duty does not apply, with its citation. `insteadRequires`
 * names what is due instead (GDPR Art. 34(3)(c): a public communication).
 */
export const Exemption = struct(
  'Exemption',
  { id: NonEmptyString, description: NonEmptyString, citation: NonEmptyString },
  { insteadRequires: NonEmptyString },
);
/** A named exemption with its citation; see {@link Exemption}. */
export type Exemption = t.TypeOf<typeof Exemption>;

/**
 * How a duty can be extended:
 * - `period`: the extension;
 * - `noticeWithin`: the notice of extension must be given within this period, measured from the
 *   rule's clock start (GDPR: within the first month; CCPA: within the first 45 days);
 * - `measuredFrom`: `'clockStart'` adds the extension to the rule's period and counts the total
 *   from the clock start (GDPR as the ICO counts it: 1 + 2 = 3 months from receipt; CCPA:
 *   45 + 45 = 90 days from receipt), so the units must match; `'originalDeadline'` counts the
 *   extension from the original due time;
 * - `maxTotal`: an outer cap from the clock start (CCPA: 90 days);
 * - `reasonsRequired`: the notice must give reasons.
 */
export const Extension = struct(
  'Extension',
  {
    period: PeriodField,
    noticeWithin: PeriodField,
    measuredFrom: oneOf('ExtensionBase', ['originalDeadline', 'clockStart'] as const),
  },
  {
    maxTotal: PeriodField,
    reasonsRequired: t.boolean,
    condition: NonEmptyString,
    citation: NonEmptyString,
  },
);
/** How a duty can be extended; see {@link Extension}. */
export type Extension = t.TypeOf<typeof Extension>;

/**
 * What happens when the duty is missed: the engine records `ObligationOverdue`; `reasonsRequired`
 * says a late notice must give reasons for the delay (GDPR Art. 33(1)); `consequence` names a
 * legal effect of silence (PIPEDA s. 8(5): deemed refusal).
 */
export const OnMissed = struct(
  'OnMissed',
  { event: t.literal('ObligationOverdue') },
  {
    reasonsRequired: t.boolean,
    consequence: oneOf('MissedConsequence', ['deemedRefusal'] as const),
    citation: NonEmptyString,
  },
);
/** What happens when a duty is missed; see {@link OnMissed}. */
export type OnMissed = t.TypeOf<typeof OnMissed>;

/**
 * A "without undue delay" style target: `hostTarget` is what the host commits to (a default is
 * documented per rule in the rulebooks), shown apart from the legal outer limit. When the rule
 * has a `period`, that period is the legal outer limit and `legalOuterLimit`, if given, must equal
 * it. `wording` quotes the text ("as soon as feasible", "without unreasonable delay").
 */
export const UndueDelayTarget = struct(
  'UndueDelayTarget',
  { kind: t.literal('withoutUndueDelay'), hostTarget: PeriodField },
  { legalOuterLimit: PeriodField, wording: NonEmptyString },
);
/** A "without undue delay" target; see {@link UndueDelayTarget}. */
export type UndueDelayTarget = t.TypeOf<typeof UndueDelayTarget>;

/**
 * How often a request kind must be answered: at most `count` per rolling 12 months or per
 * calendar year; beyond that the controller may decline, or may charge a fee.
 */
export const FrequencyLimitRule = struct(
  'FrequencyLimitRule',
  { count: wholeNumber(1), per: oneOf('FrequencyWindow', ['rolling12Months', 'calendarYear'] as const) },
  {
    requestKinds: t.readonlyArray(RequestKind),
    beyondLimit: oneOf('BeyondLimit', ['mayDecline', 'mayChargeFee'] as const),
    citation: NonEmptyString,
  },
);
/** A frequency limit on requests; see {@link FrequencyLimitRule}. */
export type FrequencyLimitRule = t.TypeOf<typeof FrequencyLimitRule>;

/**
 * A condition on how many people a breach affected: the duty applies when at least
 * `affectedAtLeast` and/or fewer than `affectedFewerThan` are affected; `population` says who
 * counts (e.g. `'residents of one State'`). At least one bound is required.
 */
export const Threshold = refine(
  struct(
    'Threshold',
    {},
    { affectedAtLeast: wholeNumber(1), affectedFewerThan: wholeNumber(1), population: NonEmptyString },
  ),
  (th) => th.affectedAtLeast !== undefined || th.affectedFewerThan !== undefined,
  () => 'a threshold needs affectedAtLeast or affectedFewerThan',
);
/** A condition on the number of people affected; see {@link Threshold}. */
export type Threshold = t.TypeOf<typeof Threshold>;

/**
 * An alternative period the host can select, e.g. the doubled periods of small processing agents
 * under ANPD Res. 15/2024. Selected by id through `ruleDeadline`'s `variant` option.
 */
export const RuleVariant = struct(
  'RuleVariant',
  { id: NonEmptyString, description: NonEmptyString, citation: NonEmptyString, period: PeriodField },
  {},
);
/** An alternative period of a rule; see {@link RuleVariant}. */
export type RuleVariant = t.TypeOf<typeof RuleVariant>;

/**
 * When the duty applies at all: the assessed risk must be at least `risk` (GDPR Art. 34: high
 * risk), or the breach must be one that the law requires to be notified (contract clauses that say
 * "for which notification to you is required under data protection laws").
 */
export const RuleCondition = struct(
  'RuleCondition',
  {},
  {
    risk: oneOf('RiskLevel', ['risk', 'highRisk', 'realRiskOfSignificantHarm'] as const),
    notifiableUnderLaw: t.boolean,
    description: NonEmptyString,
  },
);
/** When a duty applies; see {@link RuleCondition}. */
export type RuleCondition = t.TypeOf<typeof RuleCondition>;

/** Causes of a breach that a contract can exclude from a breach duty. */
export const ExcludableBreachCause = oneOf('ExcludableBreachCause', ['customer', 'customerAccount', 'thirdPartyService'] as const);
/** A breach cause a contract can exclude; see {@link ExcludableBreachCause}. */
export type ExcludableBreachCause = t.TypeOf<typeof ExcludableBreachCause>;

/** Whether a breach duty covers actual breaches only or threatened ones too. */
export const BreachScope = oneOf('BreachScope', ['actual', 'actualOrThreatened'] as const);
/** See {@link BreachScope}. */
export type BreachScope = t.TypeOf<typeof BreachScope>;

/**
 * A deadline rule (see the module comment). Required: `id` (dotted, e.g. `'gdpr.art12.3.respond'`),
 * `title`, `citation` (which says so where only secondary sources were found), `trigger`,
 * `clockStart`, `satisfiedBy` (event types) and `onMissed`. A rule with neither `period` nor
 * `target` is a record obligation without a deadline (GDPR Art. 33(5)).
 */
export const DeadlineRule = struct(
  'DeadlineRule',
  {
    id: NonEmptyString,
    title: NonEmptyString,
    citation: NonEmptyString,
    trigger: Trigger,
    clockStart: ClockStart,
    satisfiedBy: t.readonlyArray(NonEmptyString),
    onMissed: OnMissed,
  },
  {
    /** The command the host executes to satisfy the duty, e.g. `'NotifySupervisoryAuthority'`. */
    action: NonEmptyString,
    period: PeriodField,
    counting: CountingRulesCodec,
    exemptions: t.readonlyArray(Exemption),
    extension: Extension,
    target: UndueDelayTarget,
    frequencyLimit: FrequencyLimitRule,
    lookBack: PeriodField,
    thresholds: t.readonlyArray(Threshold),
    requestKinds: t.readonlyArray(RequestKind),
    variants: t.readonlyArray(RuleVariant),
    condition: RuleCondition,
    scope: BreachScope,
    excludedCauses: t.readonlyArray(ExcludableBreachCause),
    inForceFrom: LocalDate,
    secondarySourceOnly: t.boolean,
    notes: NonEmptyString,
  },
);
/** A deadline rule; see {@link DeadlineRule}. */
export type DeadlineRule = t.TypeOf<typeof DeadlineRule>;

/** A rulebook: the rules of one law or jurisdiction, under a stable id (e.g. `'gdpr'`). */
export const Rulebook = struct(
  'Rulebook',
  { id: NonEmptyString, name: NonEmptyString, jurisdiction: NonEmptyString, rules: t.readonlyArray(DeadlineRule) },
  { notes: NonEmptyString },
);
/** A rulebook; see {@link Rulebook}. */
export type Rulebook = t.TypeOf<typeof Rulebook>;

const BREACH_TRIGGERS: ReadonlySet<Trigger> = new Set<Trigger>([
  'BreachDetected',
  'BreachAwarenessEstablished',
  'BreachConfirmed',
  'BreachDetermined',
  'BreachDiscovered',
  'IndividualsNotified',
  'AuthorityNotified',
  'CalendarYearEnded',
]);

/** Whether a rule governs data-subject requests: opened by `RequestReceived` or naming request kinds. */
export const isRequestRule = (rule: DeadlineRule): boolean => rule.trigger === 'RequestReceived' || rule.requestKinds !== undefined;

/** Whether a rule governs breaches: opened by a breach event (detected, aware, confirmed, notified...). */
export const isBreachRule = (rule: DeadlineRule): boolean => BREACH_TRIGGERS.has(rule.trigger);

const RULE_ID = /^[a-z][a-z0-9-]*(\.[A-Za-z0-9-]+)+$/;

const samePeriod = (a: Period, b: Period): boolean => a.unit === b.unit && a.amount === b.amount;

/**
 * Checks what the codec cannot see in one rule and returns the problems with paths under `path`:
 * the id's form, an empty `satisfiedBy`, an extension without a period or whose units cannot be
 * added, a `legalOuterLimit` that disagrees with `period`, duplicate variant ids.
 */
export const checkRule = (rule: DeadlineRule, path: string): PolicyProblem[] => {
  const problems: PolicyProblem[] = [];
  const at = (key: string): string => appendKey(path, key);
  if (!RULE_ID.test(rule.id)) {
    problems.push({
      path: at('id'),
      message: `${JSON.stringify(rule.id)} is not a rule id (dotted lower-case words, e.g. "contract.breach.notifyController")`,
    });
  }
  if (rule.satisfiedBy.length === 0) {
    problems.push({ path: at('satisfiedBy'), message: 'names no event that satisfies the rule' });
  }
  if (rule.extension !== undefined) {
    if (rule.period === undefined) {
      problems.push({ path: at('extension'), message: 'an extension needs the rule to have a period' });
    } else if (rule.extension.measuredFrom === 'clockStart' && rule.extension.period.unit !== rule.period.unit) {
      problems.push({
        path: appendKey(at('extension'), 'period'),
        message: `unit "${rule.extension.period.unit}" differs from the rule's period unit "${rule.period.unit}"; measured from the clock start they must match`,
      });
    }
  }
  if (rule.target?.legalOuterLimit !== undefined && rule.period !== undefined && !samePeriod(rule.target.legalOuterLimit, rule.period)) {
    problems.push({
      path: appendKey(at('target'), 'legalOuterLimit'),
      message: 'differs from the rule\'s period, which is its legal outer limit',
    });
  }
  const variantIds = new Set<string>();
  (rule.variants ?? []).forEach((v, i) => {
    if (variantIds.has(v.id)) {
      problems.push({ path: appendKey(appendIndex(at('variants'), i), 'id'), message: `duplicate variant id "${v.id}"` });
    }
    variantIds.add(v.id);
  });
  return problems;
};

/** A period of `amount` elapsed hours (runs through nights, weekends and holidays). */
export const hours = (amount: number): Period => ({ unit: 'hours', amount });
/** A period of `amount` calendar days. */
export const calendarDays = (amount: number): Period => ({ unit: 'calendarDays', amount });
/** A period of `amount` business days (skips the calendar's weekend and holidays). */
export const businessDays = (amount: number): Period => ({ unit: 'businessDays', amount });
/** A period of `amount` working hours (counts only the calendar's opening hours). */
export const workingHours = (amount: number): Period => ({ unit: 'workingHours', amount });
/** A period of `amount` weeks. */
export const weeks = (amount: number): Period => ({ unit: 'weeks', amount });
/** A period of `amount` calendar months (clamped at month end). */
export const months = (amount: number): Period => ({ unit: 'months', amount });
/** A period of `amount` years. */
export const years = (amount: number): Period => ({ unit: 'years', amount });
