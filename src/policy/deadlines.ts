/**
 * From a rule and the instant its clock started to the instants a person needs: when it is due,
 * when it would be due if extended, by when an extension must be noticed, and the host's target.
 * Every instant comes from the time module's `computeDeadline`, with the rule's citation in its
 * explanation.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { computeDeadline, toIso } from '../time/index.js';
import type { CalendarRuntime, CountingRules, Deadline, DeadlineError, DeadlineExplanation, Instant, Period } from '../time/index.js';
import { DEFAULT_COUNTING, type DeadlineRule } from './rule.js';

/**
 * Options of {@link ruleDeadline}:
 * - `period`: a contractual period; it can only make the rule earlier (the earlier due time wins);
 * - `hostTarget`: replaces the rule's default host target;
 * - `counting`: replaces the rule's counting; `defaultCounting` applies when the rule names none
 *   (else EU 1182/71 without roll-forward);
 * - `variant`: the id of one of the rule's variants (e.g. `'smallProcessingAgent'`);
 * - `citation`: the source of the override, shown in its explanation.
 */
export interface RuleDeadlineOptions {
  /** A contractual period; only ever makes the due time earlier. */
  readonly period?: Period;
  /** Replaces the rule's default host target. */
  readonly hostTarget?: Period;
  /** Replaces the rule's counting rules. */
  readonly counting?: CountingRules;
  /** Counting used when the rule names none (e.g. the policy document's default). */
  readonly defaultCounting?: CountingRules;
  /** The id of one of the rule's variants, e.g. `'smallProcessingAgent'`. */
  readonly variant?: string;
  /** The source of the override, shown in its explanation. */
  readonly citation?: string;
}

/**
 * A rule's deadlines from one clock start. `dueAt` is the legal (or contractual) due instant,
 * inclusive; `basis` says which: `'rule'`, `'override'` (a contract made it earlier) or
 * `'hostTarget'` (the law gives no number, so the host's target is all there is).
 * `extendedDueAt` and `extensionNoticeBy` are set when the rule can be extended; `hostTarget` when
 * it is a "without undue delay" duty (never after `dueAt`). `deadlines` holds the explanations.
 */
export interface RuleDeadline {
  /** The rule's id. */
  readonly ruleId: string;
  /** The rule's citation. */
  readonly citation: string;
  /** Where `dueAt` comes from: the rule, a contractual override, or (no legal number) the host target. */
  readonly basis: 'rule' | 'override' | 'hostTarget';
  /** The last instant that is still on time. */
  readonly dueAt: Instant;
  /** Why `dueAt` falls where it does. */
  readonly explanation: DeadlineExplanation;
  /** The due instant if the duty is extended. */
  readonly extendedDueAt?: Instant;
  /** The last instant at which a notice of extension may be given. */
  readonly extensionNoticeBy?: Instant;
  /** The host's target for a "without undue delay" duty, never after `dueAt`. */
  readonly hostTarget?: Instant;
  /** The deadlines behind each instant, with their explanations. */
  readonly deadlines: {
    /** Behind `dueAt`. */
    readonly due: Deadline;
    /** Behind `extendedDueAt`. */
    readonly extended?: Deadline;
    /** Behind `extensionNoticeBy`. */
    readonly extensionNoticeBy?: Deadline;
    /** Behind `hostTarget`. */
    readonly hostTarget?: Deadline;
  };
}

/** Why a rule's deadline could not be resolved. */
export type RuleDeadlineError =
  | { readonly _tag: 'NoDeadline'; readonly ruleId: string; readonly reason: string }
  | { readonly _tag: 'UnknownVariant'; readonly ruleId: string; readonly variant: string; readonly known: readonly string[] }
  | { readonly _tag: 'ExtensionUnitMismatch'; readonly ruleId: string; readonly reason: string }
  | { readonly _tag: 'DeadlineFailed'; readonly ruleId: string; readonly error: DeadlineError };

/**
 * An extension that may not be taken: the rule has none (`'noExtension'`), the notice came after
 * the last moment for it (`'noticeTooLate'`, with `noticeBy`), or before the clock started
 * (`'noticeBeforeClockStart'`).
 */
export interface ExtensionRefused {
  /** Discriminant. */
  readonly _tag: 'ExtensionRefused';
  /** The rule's id. */
  readonly ruleId: string;
  /** Why the extension is refused. */
  readonly reason: 'noExtension' | 'noticeTooLate' | 'noticeBeforeClockStart';
  /** The last instant a notice of extension could have been given. */
  readonly noticeBy?: Instant;
  /** The refusal in a sentence, with the citation. */
  readonly message: string;
}

/** An extension that may be taken, with its due instant. */
export interface ExtensionGranted {
  /** The new due instant. */
  readonly extendedDueAt: Instant;
  /** The last instant the notice could have been given. */
  readonly extensionNoticeBy: Instant;
  /** The extended deadline with its explanation. */
  readonly deadline: Deadline;
}

const compute = (
  rule: DeadlineRule,
  start: Instant,
  period: Period,
  calendar: CalendarRuntime,
  counting: CountingRules,
  citation: string,
): Either<RuleDeadlineError, Deadline> =>
  E.mapLeft((error: DeadlineError): RuleDeadlineError => ({ _tag: 'DeadlineFailed', ruleId: rule.id, error }))(
    computeDeadline({ start, period, calendar, rules: counting, citation }),
  );

const earlier = (a: Deadline, b: Deadline): Deadline => (b.dueAt < a.dueAt ? b : a);

/**
 * Resolves a rule's deadlines from the instant its clock started (`clockStart`, business time),
 * in `calendar`. Fails with `NoDeadline` for a record obligation (neither period nor target),
 * `UnknownVariant`, `ExtensionUnitMismatch`, or `DeadlineFailed` when the time module refuses the
 * input (e.g. a calendar without opening hours for a working-hour period).
 *
 * An extension measured from the clock start adds its period to the rule's (GDPR: 1 + 2 months
 * from receipt; CCPA: 45 + 45 days), capped by `maxTotal`; one measured from the original due time
 * runs from the end of that day, with the day itself not counted.
 */
export const ruleDeadline = (
  rule: DeadlineRule,
  clockStart: Instant,
  calendar: CalendarRuntime,
  options: RuleDeadlineOptions = {},
): Either<RuleDeadlineError, RuleDeadline> => {
  let legalPeriod = rule.period;
  if (options.variant !== undefined) {
    const variant = (rule.variants ?? []).find((v) => v.id === options.variant);
    if (variant === undefined) {
      return E.left({
        _tag: 'UnknownVariant',
        ruleId: rule.id,
        variant: options.variant,
        known: (rule.variants ?? []).map((v) => v.id),
      });
    }
    legalPeriod = variant.period;
  }
  const counting = options.counting ?? rule.counting ?? options.defaultCounting ?? DEFAULT_COUNTING;

  let legal: Deadline | undefined;
  if (legalPeriod !== undefined) {
    const r = compute(rule, clockStart, legalPeriod, calendar, counting, rule.citation);
    if (E.isLeft(r)) return r;
    legal = r.right;
  }
  let override: Deadline | undefined;
  if (options.period !== undefined) {
    const r = compute(rule, clockStart, options.period, calendar, counting, options.citation ?? `${rule.citation} (override)`);
    if (E.isLeft(r)) return r;
    override = r.right;
  }
  const targetPeriod = options.hostTarget ?? rule.target?.hostTarget;
  let target: Deadline | undefined;
  if (targetPeriod !== undefined) {
    const r = compute(rule, clockStart, targetPeriod, calendar, counting, `${rule.citation} (host target)`);
    if (E.isLeft(r)) return r;
    target = r.right;
  }

  let due: Deadline;
  let basis: RuleDeadline['basis'];
  if (legal !== undefined && override !== undefined) {
    due = earlier(legal, override);
    basis = due === legal ? 'rule' : 'override';
  } else if (legal !== undefined) {
    due = legal;
    basis = 'rule';
  } else if (override !== undefined) {
    due = override;
    basis = 'override';
  } else if (target !== undefined) {
    due = target;
    basis = 'hostTarget';
  } else {
    return E.left({
      _tag: 'NoDeadline',
      ruleId: rule.id,
      reason: `${rule.citation} is a record obligation without a deadline`,
    });
  }
  if (target !== undefined) target = earlier(target, due);

  let extended: Deadline | undefined;
  let noticeBy: Deadline | undefined;
  const ext = rule.extension;
  if (ext !== undefined && legal !== undefined && legalPeriod !== undefined) {
    const extCitation = ext.citation ?? rule.citation;
    const n = compute(rule, clockStart, ext.noticeWithin, calendar, counting, `${extCitation} (extension notice)`);
    if (E.isLeft(n)) return n;
    noticeBy = n.right;
    if (ext.measuredFrom === 'clockStart') {
      if (ext.period.unit !== legalPeriod.unit) {
        return E.left({
          _tag: 'ExtensionUnitMismatch',
          ruleId: rule.id,
          reason: `the extension is in ${ext.period.unit} and the period in ${legalPeriod.unit}; measured from the clock start they must match`,
        });
      }
      const total: Period = { unit: legalPeriod.unit, amount: legalPeriod.amount + ext.period.amount };
      const x = compute(rule, clockStart, total, calendar, counting, extCitation);
      if (E.isLeft(x)) return x;
      extended = x.right;
    } else {
      // The original period used up its last day, so the extension does not count it again.
      const x = compute(rule, legal.dueAt, ext.period, calendar, { ...counting, convention: 'eu-1182-71' }, extCitation);
      if (E.isLeft(x)) return x;
      extended = x.right;
    }
    if (ext.maxTotal !== undefined) {
      const cap = compute(rule, clockStart, ext.maxTotal, calendar, counting, `${extCitation} (maximum)`);
      if (E.isLeft(cap)) return cap;
      extended = earlier(extended, cap.right);
    }
  }

  return E.right({
    ruleId: rule.id,
    citation: rule.citation,
    basis,
    dueAt: due.dueAt,
    explanation: due.explanation,
    ...(extended === undefined ? {} : { extendedDueAt: extended.dueAt }),
    ...(noticeBy === undefined ? {} : { extensionNoticeBy: noticeBy.dueAt }),
    ...(target === undefined ? {} : { hostTarget: target.dueAt }),
    deadlines: {
      due,
      ...(extended === undefined ? {} : { extended }),
      ...(noticeBy === undefined ? {} : { extensionNoticeBy: noticeBy }),
      ...(target === undefined ? {} : { hostTarget: target }),
    },
  });
};

/**
 * Whether a notice of extension given at `noticeAt` extends the rule: returns the extended due
 * instant, or `ExtensionRefused` (no extension in the rule, notice after the last moment for it,
 * or before the clock started). A CCPA request extended on day 44 is allowed (due day 90); on
 * day 46 it is refused. Fails with a {@link RuleDeadlineError} when the deadlines cannot be
 * computed at all.
 */
export const canExtend = (
  rule: DeadlineRule,
  clockStart: Instant,
  noticeAt: Instant,
  calendar: CalendarRuntime,
  options: RuleDeadlineOptions = {},
): Either<ExtensionRefused | RuleDeadlineError, ExtensionGranted> => {
  if (rule.extension === undefined) {
    return E.left({
      _tag: 'ExtensionRefused',
      ruleId: rule.id,
      reason: 'noExtension',
      message: `${rule.citation} allows no extension`,
    });
  }
  const resolved = ruleDeadline(rule, clockStart, calendar, options);
  if (E.isLeft(resolved)) return resolved;
  const { extendedDueAt, extensionNoticeBy } = resolved.right;
  const deadline = resolved.right.deadlines.extended;
  if (extendedDueAt === undefined || extensionNoticeBy === undefined || deadline === undefined) {
    return E.left({
      _tag: 'ExtensionRefused',
      ruleId: rule.id,
      reason: 'noExtension',
      message: `${rule.citation} has an extension but no period to extend`,
    });
  }
  if (noticeAt < clockStart) {
    return E.left({
      _tag: 'ExtensionRefused',
      ruleId: rule.id,
      reason: 'noticeBeforeClockStart',
      noticeBy: extensionNoticeBy,
      message: `the notice (${toIso(noticeAt)}) came before the clock started (${toIso(clockStart)})`,
    });
  }
  if (noticeAt > extensionNoticeBy) {
    return E.left({
      _tag: 'ExtensionRefused',
      ruleId: rule.id,
      reason: 'noticeTooLate',
      noticeBy: extensionNoticeBy,
      message: `the notice of extension (${toIso(noticeAt)}) came after the last moment for it (${toIso(extensionNoticeBy)}; ${rule.extension.citation ?? rule.citation})`,
    });
  }
  return E.right({ extendedDueAt, extensionNoticeBy, deadline });
};
