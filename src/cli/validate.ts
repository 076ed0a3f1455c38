/**
 * `lethe validate`: the summary of a valid policy document, for a privacy person to read before
 * it goes live: the categories with their retention in words, the request and breach rules in
 * force with their citations, and what is still at a default or stated as an assumption.
 *
 * @module
 */
import type { ApplicableRule } from '../policy/applicable.js';
import { applicableRules } from '../policy/applicable.js';
import type { PolicyDocument } from '../policy/document.js';
import { describeRetention } from '../policy/recordsOfProcessing.js';
import { describePeriod } from '../time/period.js';

const roles = { controller: 'controller', processor: 'processor', both: 'controller and processor' } as const;
const weekdays = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

const ruleLine = ({ rule, source, options }: ApplicableRule): string => {
  const period = options.period ?? rule.period;
  const when =
    period !== undefined
      ? `within ${describePeriod(period)}${options.period !== undefined ? ' (period overridden)' : ''}`
      : rule.target !== undefined
        ? `without undue delay (host target ${describePeriod(options.hostTarget ?? rule.target.hostTarget)})`
        : 'no deadline';
  return `  ${rule.id} [${source}]: ${rule.title}; ${when}; per ${rule.citation}${options.citation === undefined ? '' : `; override: ${options.citation}`}`;
};

/** Every string in the raw document that says it is an assumption, with its path. */
const assumptionsIn = (raw: unknown): { path: string; text: string }[] => {
  const out: { path: string; text: string }[] = [];
  const visit = (u: unknown, path: string): void => {
    if (typeof u === 'string') {
      if (/\bassum(e|ed|es|ption|ptions)\b/i.test(u)) out.push({ path, text: u });
    } else if (Array.isArray(u)) u.forEach((x, i) => visit(x, `${path}[${i}]`));
    else if (typeof u === 'object' && u !== null)
      for (const [k, v] of Object.entries(u)) visit(v, path === '' ? k : `${path}.${k}`);
  };
  visit(raw, '');
  return out;
};

/**
 * Returns the summary of a valid document (`policy`, decoded from `raw`) as text: what it keeps
 * and for how long, the rules in force with their citations, the defaults it relies on (fields
 * it leaves out, parameters without a value) and the assumptions it states.
 */
export const policySummary = (file: string, policy: PolicyDocument, raw: unknown): string => {
  const lines: string[] = [];
  const rawDoc = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const rawCalendar = (typeof rawDoc['calendar'] === 'object' && rawDoc['calendar'] !== null ? rawDoc['calendar'] : {}) as Record<string, unknown>;
  const cal = policy.calendar;
  lines.push(`${file}: valid`);
  lines.push(`Policy: ${policy.name === undefined ? '' : `${policy.name}, `}version ${policy.version}, in force from ${policy.effectiveFrom}`);
  lines.push(`Controller: ${policy.controller.name}; our role: ${roles[policy.role]}`);
  const counting = policy.counting;
  lines.push(
    `Deadlines counted in ${cal.zone} (weekend ${cal.weekend.map((d) => weekdays[d] ?? String(d)).join(', ')}; ${cal.holidays.length} holidays)` +
      `${counting === undefined ? '' : `, ${counting.convention} counting${counting.rollForward ? ', rolled forward to a working day' : ', no roll-forward'}`}`,
  );

  lines.push('');
  lines.push(`Categories (${policy.categories.length}):`);
  for (const c of policy.categories) {
    const r = describeRetention(policy, c);
    lines.push(`  ${c.id}: ${r.text}${r.basis === undefined ? '' : `; basis: ${r.basis}`}`);
  }
  lines.push('');
  lines.push(`Purposes (${policy.purposes.length}):`);
  for (const p of policy.purposes) lines.push(`  ${p.id}: ${p.lawfulBasis}; categories ${p.categories.join(', ')}`);

  for (const [section, title] of [
    ['requests', 'Request rules in force'],
    ['breaches', 'Breach rules in force'],
  ] as const) {
    const rules = applicableRules(policy, section);
    lines.push('');
    lines.push(`${title} (${rules.length}; rulebooks ${policy[section].rulebooks.join(', ') || 'none'}):`);
    if (rules.length === 0) lines.push('  none');
    for (const rule of rules) lines.push(ruleLine(rule));
  }

  const defaults: string[] = [];
  if (policy.counting === undefined) defaults.push('  counting: not set; EU Reg. 1182/71 counting without roll-forward applies');
  if (rawCalendar['weekend'] === undefined) defaults.push('  calendar.weekend: not set; Saturday and Sunday');
  if (rawCalendar['holidays'] === undefined) defaults.push('  calendar.holidays: not set; no holidays');
  for (const [id, p] of Object.entries(policy.parameters ?? {})) {
    defaults.push(`  parameters.${id}: ${p.value === undefined ? 'not set (optional)' : `set to ${JSON.stringify(p.value)}`}; ${p.description}`);
  }
  for (const a of assumptionsIn(raw)) defaults.push(`  ${a.path}: ${a.text}`);
  lines.push('');
  lines.push(`Defaults and assumptions (${defaults.length}):`);
  if (defaults.length === 0) lines.push('  none');
  lines.push(...defaults);

  if (policy.notModelled !== undefined && policy.notModelled.length > 0) {
    lines.push('');
    lines.push(`Not modelled (${policy.notModelled.length}):`);
    for (const n of policy.notModelled) lines.push(`  ${n.obligation}: ${n.reason}`);
  }
  return `${lines.join('\n')}\n`;
};
