/**
 * Which rules a policy document puts in force, with the options (overrides, default counting)
 * to resolve each with `ruleDeadline`.
 *
 * @module
 */
import { toIso } from '../time/index.js';
import type { Instant } from '../time/index.js';
import type { RuleDeadlineOptions } from './deadlines.js';
import type { PolicyDocument, RuleOverride } from './document.js';
import { isBreachRule, isRequestRule, type DeadlineRule } from './rule.js';
import { isRulebookId, rulebooks } from './rulebooks/index.js';

/** A rule in force under a document: where it comes from, and how to resolve its deadline. */
export interface ApplicableRule {
  /** The rule. */
  readonly rule: DeadlineRule;
  /** The rulebook id it comes from, or `'document'` for the document's own rules. */
  readonly source: string;
  /** Pass to `ruleDeadline`: the document's override of the rule and its default counting. */
  readonly options: RuleDeadlineOptions;
}

const optionsOf = (doc: PolicyDocument, o: RuleOverride | undefined): RuleDeadlineOptions => ({
  ...(doc.counting === undefined ? {} : { defaultCounting: doc.counting }),
  ...(o?.period === undefined ? {} : { period: o.period }),
  ...(o?.hostTarget === undefined ? {} : { hostTarget: o.hostTarget }),
  ...(o?.counting === undefined ? {} : { counting: o.counting }),
  ...(o?.variant === undefined ? {} : { variant: o.variant }),
  ...(o === undefined ? {} : { citation: o.citation }),
});

/**
 * The request (or breach) rules of a validated document: the matching rules of each listed
 * rulebook, then the document's own (`requests.rules` / `breaches.duties`), each once, with the
 * document's overrides. With `at`, rules whose `inForceFrom` date (UTC) is after `at` are left out.
 */
export const applicableRules = (
  doc: PolicyDocument,
  section: 'requests' | 'breaches',
  at?: Instant,
): readonly ApplicableRule[] => {
  const policy = section === 'requests' ? doc.requests : doc.breaches;
  const own = (section === 'requests' ? doc.requests.rules : doc.breaches.duties) ?? [];
  const matches = section === 'requests' ? isRequestRule : isBreachRule;
  const overrides = new Map((policy.overrides ?? []).map((o) => [o.rule, o]));
  const day = at === undefined ? undefined : toIso(at).slice(0, 10);
  const inForce = (rule: DeadlineRule): boolean => day === undefined || rule.inForceFrom === undefined || rule.inForceFrom <= day;
  const seen = new Set<string>();
  const out: ApplicableRule[] = [];
  for (const id of policy.rulebooks) {
    if (!isRulebookId(id)) continue;
    for (const rule of rulebooks[id].rules) {
      if (!matches(rule) || !inForce(rule) || seen.has(rule.id)) continue;
      seen.add(rule.id);
      out.push({ rule, source: id, options: optionsOf(doc, overrides.get(rule.id)) });
    }
  }
  for (const rule of own) {
    if (!inForce(rule) || seen.has(rule.id)) continue;
    seen.add(rule.id);
    out.push({ rule, source: 'document', options: optionsOf(doc, overrides.get(rule.id)) });
  }
  return out;
};
