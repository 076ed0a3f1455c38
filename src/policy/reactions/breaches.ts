/**
 * Breach reactions: from the recorded breach events to the host's notification commands and the
 * timers that catch a missed deadline.
 *
 * - Awareness, confirmation and assessment record deadlines (computed once by the command
 *   builders from the policy). For each deadline recorded by the event, the reaction emits the
 *   duty's command, one per act (`NotifySupervisoryAuthority` per law, `NotifyController`,
 *   `NotifyDataSubjects` per law, else `BreachObligationDue`), unless the duty is settled or the
 *   latest assessment exempts it ({@link exemptionFromAssessment}: an excluded cause (IS-22), a
 *   threatened breach outside an `actual` scope (PZ-26), a breach unlikely to result in a risk
 *   (GDPR Art. 33(1)), unintelligible data (Art. 34(3)(a))). The builders record those exemptions
 *   as events right after; this check keeps the reaction from asking for a notice in between.
 * - Every recorded deadline gets a timer one millisecond after its due instant (`dueAt` is the
 *   last instant still on time); when it fires and the duty is still open, `ObligationOverdue`.
 * - An exemption whose rule says a public communication is due instead (Art. 34(3)(c)) leads to
 *   `PublicCommunication`.
 *
 * Also the rule helpers the breach command builders share with the reactions.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { EmittedCommand, LetheEvent, Reaction, ReactionResult, TimerHandler, TimerRequest } from '../../engine/index.js';
import type { BreachEvent } from '../../model/breach/index.js';
import { art33MinimumContent } from '../../model/breach/index.js';
import type { JsonValue } from '../../store/port.js';
import type { DeadlineRecord } from '../../model/deadline.js';
import type { BreachAssessmentFacts, BreachEntry, BreachObligation } from '../../projections/breachRegister.js';
import { breachOf, breachRegisterOf } from '../../projections/breachRegister.js';
import { applicableRules } from '../applicable.js';
import type { PolicyDocument } from '../document.js';
import type { DeadlineRule } from '../rule.js';
import { findRule } from '../rulebooks/index.js';

/** The name of the breach reaction (it keys its checkpoint and command ids: never rename it). */
export const BREACH_REACTION = 'breachDuties';
/** The name of the timer handler that reports a missed breach duty. */
export const BREACH_OVERDUE_HANDLER = 'breachObligationOverdue';

/** Returns the timer key of a breach duty: `breach:<breachId>:<ruleId>` (ids only, never personal data). */
export const breachTimerKey = (breachId: string, ruleId: string): string => `breach:${breachId}:${ruleId}`;

/**
 * Returns the breach rule with this id: one the policy puts in force (its own duties included),
 * else a built-in rule (a deadline recorded under an earlier policy), else undefined.
 */
export const breachRuleById = (policy: PolicyDocument, ruleId: string): DeadlineRule | undefined => {
  const inForce = applicableRules(policy, 'breaches').find((a) => a.rule.id === ruleId);
  if (inForce !== undefined) return inForce.rule;
  const builtIn = findRule(ruleId);
  return E.isRight(builtIn) ? builtIn.right : undefined;
};

/** Which side of a breach a duty belongs to: the controller's, the processor's, or either. */
export type DutyRole = 'controller' | 'processor' | 'any';

/**
 * Returns whose duty a rule is, from its action: notifying the controller is the processor's
 * (GDPR Art. 33(2)); notifying the authority, the subjects or the media is the controller's
 * (Arts 33(1), 34; PZ-25: as processor Personizely never notifies the authority itself).
 */
export const dutyRoleOf = (rule: DeadlineRule | undefined): DutyRole => {
  switch (rule?.action) {
    case 'NotifyController':
      return 'processor';
    case 'NotifySupervisoryAuthority':
    case 'NotifyDataSubjects':
    case 'NotifyMedia':
    case 'PublicCommunication':
      return 'controller';
    default:
      return 'any';
  }
};

/** An exemption that follows from an assessment, with the reasoning kept for Art. 33(5) (no personal data). */
export interface AssessedExemption {
  readonly exemption: string;
  readonly reasoning: string;
}

const hasExemption = (rule: DeadlineRule, id: string): boolean => (rule.exemptions ?? []).some((e) => e.id === id);

/**
 * Returns the exemption the latest assessment gives a duty, or undefined when the duty applies:
 * - a cause the rule excludes (`excludedCauses`; InfluencerSoft IS-22: incidents caused by the
 *   customer, its account or third-party services);
 * - a threatened breach under a rule whose scope is `actual` (Personizely PZ-26, clause 7.2);
 * - risk `none` under a rule exempting breaches "unlikely to result in a risk" (GDPR Art. 33(1))
 *   or applying only to breaches notifiable under law (IS-21);
 * - unintelligible data under a rule with the `dataUnintelligible` exemption (Art. 34(3)(a)).
 */
export const exemptionFromAssessment = (
  rule: DeadlineRule | undefined,
  assessment: BreachAssessmentFacts | null,
): AssessedExemption | undefined => {
  if (rule === undefined || assessment === null) return undefined;
  const when = `the assessment of ${assessment.assessedAt}`;
  const excluded = rule.excludedCauses ?? [];
  const causeExcluded =
    (assessment.cause === 'customer' && (excluded.includes('customer') || excluded.includes('customerAccount'))) ||
    (assessment.cause === 'thirdPartyService' && excluded.includes('thirdPartyService'));
  if (causeExcluded)
    return {
      exemption: `excludedCause.${assessment.cause}`,
      reasoning: `${when} found the incident caused by ${assessment.cause === 'customer' ? 'the customer or its account' : 'a third-party service'}, which ${rule.citation} excludes from the duty`,
    };
  if (rule.scope === 'actual' && assessment.nature === 'threatened')
    return {
      exemption: 'threatenedBreachOutOfScope',
      reasoning: `${when} found the breach threatened, not actual; ${rule.citation} covers actual breaches only`,
    };
  if (assessment.risk === 'none' && hasExemption(rule, 'unlikelyToResultInRisk'))
    return {
      exemption: 'unlikelyToResultInRisk',
      reasoning: `${when} found the breach unlikely to result in a risk to the rights and freedoms of natural persons (${rule.citation})`,
    };
  if (assessment.risk === 'none' && rule.condition?.notifiableUnderLaw === true)
    return {
      exemption: 'notNotifiableUnderLaw',
      reasoning: `${when} found no risk, so no notification is required under data protection law, the condition of ${rule.citation}`,
    };
  if (assessment.dataUnintelligible && hasExemption(rule, 'dataUnintelligible'))
    return {
      exemption: 'dataUnintelligible',
      reasoning: `${when} found the data unintelligible to anyone not authorised to access it (e.g. encrypted)`,
    };
  return undefined;
};

/**
 * Whether a rule applies only once an assessment meets its condition: a minimum risk (GDPR
 * Art. 34: high risk) or a threshold of people affected (HIPAA media notice: more than 500).
 */
export const isConditionalOnAssessment = (rule: DeadlineRule): boolean =>
  rule.condition?.risk !== undefined || (rule.thresholds ?? []).length > 0;

/**
 * Whether an assessment meets a rule's condition. `highRisk` needs risk `high`; `risk` and
 * `realRiskOfSignificantHarm` (PIPEDA s. 10.1, which the assessment scale has no level for) need
 * any risk, which errs on the side of notifying; thresholds compare `approxSubjects`.
 */
export const conditionMet = (rule: DeadlineRule, assessment: BreachAssessmentFacts | null): boolean => {
  if (assessment === null) return false;
  const risk = rule.condition?.risk;
  if (risk === 'highRisk' && assessment.risk !== 'high') return false;
  if ((risk === 'risk' || risk === 'realRiskOfSignificantHarm') && assessment.risk === 'none') return false;
  return (rule.thresholds ?? []).every(
    (th) =>
      (th.affectedAtLeast === undefined || assessment.approxSubjects >= th.affectedAtLeast) &&
      (th.affectedFewerThan === undefined || assessment.approxSubjects < th.affectedFewerThan),
  );
};

/** The rulebook prefix of a rule id (`gdpr` of `gdpr.art33.1.notifyAuthority`): duties of one law go to one authority. */
export const rulePrefix = (ruleId: string): string => ruleId.split('.')[0] ?? ruleId;

const HOST_ACTIONS = new Set(['NotifySupervisoryAuthority', 'NotifyController', 'NotifyDataSubjects']);

/** The host command that carries out a rule's act: its `action` when Lethe has a command for it, else `BreachObligationDue`. */
export const hostCommandOf = (rule: DeadlineRule | undefined): string =>
  rule?.action !== undefined && HOST_ACTIONS.has(rule.action) ? rule.action : 'BreachObligationDue';

const earliest = (records: readonly DeadlineRecord[], pick: (r: DeadlineRecord) => string | undefined): string | undefined =>
  records
    .map(pick)
    .filter((x): x is string => x !== undefined)
    .reduce<string | undefined>((a, b) => (a === undefined || Date.parse(b) < Date.parse(a) ? b : a), undefined);

/** The views reactions and timer handlers see: projection states by name. */
type Views = Readonly<Record<string, unknown>>;

/** Returns the first instant a duty due at `dueAt` is late (`dueAt` is the last instant on time). */
export const overdueAt = (dueAt: string): number => Date.parse(dueAt) + 1;

const knownFacts = (entry: BreachEntry): Record<string, JsonValue> =>
  entry.assessment === null
    ? {}
    : {
        knownFacts: {
          assessedAt: entry.assessment.assessedAt,
          dataCategories: [...entry.assessment.dataCategories],
          dataSubjectCategories: [...entry.assessment.dataSubjectCategories],
          approxSubjects: entry.assessment.approxSubjects,
          approxRecords: entry.assessment.approxRecords,
        },
      };

const dutyCommand = (
  commandType: string,
  entry: BreachEntry,
  obligations: readonly { readonly rule: DeadlineRule | undefined; readonly deadline: DeadlineRecord }[],
): EmittedCommand => {
  const records = obligations.map((o) => o.deadline);
  const dueAt = earliest(records, (r) => r.dueAt) as string;
  const hostTargetAt = earliest(records, (r) => r.hostTargetAt);
  const base: Record<string, JsonValue> = {
    breachId: entry.breachId,
    dueAt,
    obligations: records.map((r) => ({ ...r }) as unknown as JsonValue),
    // The breach decider asks for delay reasons from every notification made after its deadline.
    lateNoticeNeedsReasons: true,
    ...(hostTargetAt === undefined ? {} : { hostTargetAt }),
    ...knownFacts(entry),
  };
  switch (commandType) {
    case 'NotifySupervisoryAuthority':
      return { type: commandType, data: { ...base, requiredContent: [...art33MinimumContent] } };
    case 'NotifyController':
      return {
        type: commandType,
        data: { ...base, requiredContent: ['fact', 'nature', 'approxSubjects', 'likelyConsequences', 'measures'] },
      };
    case 'NotifyDataSubjects':
      return {
        type: commandType,
        data: {
          ...base,
          requiredContent: ['description', 'contactPoint', 'likelyConsequences', 'measures'],
          exemptions: obligations.flatMap(({ rule, deadline }) =>
            (rule?.exemptions ?? []).map((e) => ({
              ruleId: deadline.ruleId,
              exemption: e.id,
              citation: e.citation,
              ...(e.insteadRequires === undefined ? {} : { insteadRequires: e.insteadRequires }),
            })),
          ),
        },
      };
    default: {
      const action = obligations[0]?.rule?.action ?? 'fulfil the duty';
      return { type: 'BreachObligationDue', data: { ...base, action } };
    }
  }
};

const isSettledOrExempt = (policy: PolicyDocument, entry: BreachEntry, o: BreachObligation): boolean =>
  o.settled !== null || exemptionFromAssessment(breachRuleById(policy, o.deadline.ruleId), entry.assessment) !== undefined;

const onDeadlinesRecorded = (policy: PolicyDocument, entry: BreachEntry, eventId: string): ReactionResult => {
  const recorded = Object.values(entry.obligations).filter((o) => o.recordedByEventId === eventId);
  const timers: TimerRequest[] = recorded.map((o) => ({
    key: breachTimerKey(entry.breachId, o.deadline.ruleId),
    at: overdueAt(o.deadline.dueAt),
    handler: BREACH_OVERDUE_HANDLER,
    payload: { breachId: entry.breachId, ruleId: o.deadline.ruleId },
  }));
  // One command per act: the controller is one recipient; authorities and subjects differ per law.
  const groups = new Map<string, { type: string; items: { rule: DeadlineRule | undefined; deadline: DeadlineRecord }[] }>();
  for (const o of recorded) {
    if (isSettledOrExempt(policy, entry, o)) continue;
    const rule = breachRuleById(policy, o.deadline.ruleId);
    const type = hostCommandOf(rule);
    const key = type === 'NotifyController' ? type : `${type}|${rulePrefix(o.deadline.ruleId)}|${type === 'BreachObligationDue' ? o.deadline.ruleId : ''}`;
    const group = groups.get(key) ?? { type, items: [] };
    group.items.push({ rule, deadline: o.deadline });
    groups.set(key, group);
  }
  const commands = [...groups.values()].map((g) => dutyCommand(g.type, entry, g.items));
  return { commands, timers };
};

/** Returns the breach reaction for a policy, keyed by {@link BREACH_REACTION}. */
export const breachReactions = (policy: PolicyDocument): Readonly<Record<string, Reaction<LetheEvent, Views>>> => ({
  [BREACH_REACTION]: {
    react: (event, { views }) => {
      if (event.kind !== 'breach') return {};
      const domain = event.event as BreachEvent;
      const breachId = event.streamName.slice('lethe.breach-'.length);
      const entry = breachOf(breachRegisterOf(views), breachId);
      if (entry === undefined) return {};
      switch (domain.type) {
        case 'BreachAwarenessEstablished':
        case 'BreachConfirmed':
        case 'BreachAssessed':
          return onDeadlinesRecorded(policy, entry, event.metadata.eventId);
        case 'AuthorityNotified':
        case 'DataSubjectsNotified':
        case 'PublicCommunicationMade':
        case 'ControllerNotified':
          return { cancelTimers: domain.data.satisfies.map((r) => breachTimerKey(breachId, r)) };
        case 'NotificationExemptionRecorded': {
          const { ruleId, exemption } = domain.data;
          const rule = breachRuleById(policy, ruleId);
          const instead = (rule?.exemptions ?? []).find((e) => e.id === exemption)?.insteadRequires;
          const obligation = entry.obligations[ruleId];
          const commands: EmittedCommand[] =
            instead === 'PublicCommunication' && obligation !== undefined
              ? [
                  {
                    type: 'PublicCommunication',
                    data: {
                      breachId,
                      ruleId,
                      exemption,
                      dueAt: obligation.deadline.dueAt,
                      citation: (rule?.exemptions ?? []).find((e) => e.id === exemption)?.citation ?? obligation.deadline.citation,
                    },
                  },
                ]
              : [];
          return { commands, cancelTimers: [breachTimerKey(breachId, ruleId)] };
        }
        case 'BreachClosed':
          return { cancelTimers: Object.keys(entry.obligations).map((r) => breachTimerKey(breachId, r)) };
        default:
          return {};
      }
    },
  },
});

/** Returns the breach timer handlers for a policy, keyed by {@link BREACH_OVERDUE_HANDLER}. */
export const breachTimerHandlers = (policy: PolicyDocument): Readonly<Record<string, TimerHandler<Views>>> => ({
  [BREACH_OVERDUE_HANDLER]: (timer, { views }) => {
    const payload = timer.payload as { breachId?: unknown; ruleId?: unknown } | undefined;
    if (typeof payload?.breachId !== 'string' || typeof payload.ruleId !== 'string') return {};
    const entry = breachOf(breachRegisterOf(views), payload.breachId);
    const obligation = entry?.obligations[payload.ruleId];
    if (entry === undefined || obligation === undefined || entry.closedAt !== null) return {};
    if (isSettledOrExempt(policy, entry, obligation)) return {};
    // A stale timer (the due instant is still ahead) never reports.
    if (overdueAt(obligation.deadline.dueAt) > timer.at) return {};
    // No legal or contractual number (GDPR Art. 34 "without undue delay"): the host's target passed,
    // which the obligations view shows as due; nothing is overdue.
    if (obligation.deadline.hostTargetOnly === true) return {};
    const rule = breachRuleById(policy, payload.ruleId);
    return {
      commands: [
        {
          type: 'ObligationOverdue',
          data: {
            entity: { kind: 'breach', id: entry.breachId },
            ruleId: obligation.deadline.ruleId,
            dueAt: obligation.deadline.dueAt,
            citation: rule?.onMissed.citation ?? obligation.deadline.citation,
            explanation: obligation.deadline.explanation,
            lateNoticeNeedsReasons: true,
            duty: hostCommandOf(rule) === 'BreachObligationDue' ? (rule?.action ?? 'BreachObligationDue') : hostCommandOf(rule),
          },
        },
      ],
    };
  },
});
