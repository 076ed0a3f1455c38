/**
 * The policy parameters Lethe itself reads, with the kind and values it expects, so that a
 * document that sets one wrongly (a string where Lethe reads a boolean, a misspelt value or name)
 * fails validation with the path instead of being silently read as "not set".
 *
 * @module
 */
import type { PolicyProblem } from './errors.js';

/** A parameter Lethe reads: its kind, the values it accepts (strings), and what it does. */
export interface LetheParameter {
  readonly kind: 'period' | 'number' | 'string' | 'boolean';
  /** For a string parameter read as one of a few words: those words. */
  readonly values?: readonly string[];
  /** What setting it does, for messages and `lethe validate`. */
  readonly effect: string;
}

/** Every parameter name Lethe reads from `parameters`, and how. */
export const LETHE_PARAMETERS: Readonly<Record<string, LetheParameter>> = {
  policyChangeNotice: {
    kind: 'string',
    values: ['required', 'optional', 'whenRightsReduced'],
    effect: 'whether users must be told of a new policy version (NotifyUsersOfPolicyChange); default required',
  },
  exportAlertRoles: {
    kind: 'string',
    effect: 'roles (comma-separated) alerted of every data export (AlertDataExported)',
  },
  cancellationWithdrawsConsent: {
    kind: 'boolean',
    effect: 'a cancelled subscription withdraws the consents given for the service',
  },
  returnDataOnContractEnd: {
    kind: 'boolean',
    effect: 'the end of a contract emits ReturnData (with returnDataRequestWindow)',
  },
  returnDataRequestWindow: {
    kind: 'period',
    effect: 'how long after the end of a contract a return request is honoured',
  },
  destructionAudit: {
    kind: 'boolean',
    effect: 'a completed erasure emits AuditDestruction',
  },
};

/** The edit distance between two short strings (insertions, deletions, substitutions). */
const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length] as number;
};

/** The Lethe parameter `name` is probably a misspelling of, if any (case aside, at most 2 edits). */
export const nearestLetheParameter = (name: string): string | undefined => {
  if (name in LETHE_PARAMETERS) return undefined;
  const lower = name.toLowerCase();
  return Object.keys(LETHE_PARAMETERS).find((known) => distance(lower, known.toLowerCase()) <= 2);
};

/**
 * Checks the document's parameters against what Lethe reads: a Lethe parameter declared with
 * another kind, a value outside its words, and a name that is not referenced by the document and
 * is a near miss of a Lethe parameter (`policyChangeNotce`). `referenced` are the names the
 * document's retention periods refer to.
 */
export const checkLetheParameters = (
  parameters: Readonly<Record<string, { readonly kind: string; readonly value?: unknown } | undefined>>,
  referenced: ReadonlySet<string>,
): PolicyProblem[] => {
  const problems: PolicyProblem[] = [];
  for (const [name, parameter] of Object.entries(parameters)) {
    if (parameter === undefined) continue;
    const known = LETHE_PARAMETERS[name];
    const path = `parameters.${name}`;
    if (known === undefined) {
      const nearest = referenced.has(name) ? undefined : nearestLetheParameter(name);
      if (nearest !== undefined)
        problems.push({ path, message: `not a parameter Lethe reads; did you mean "${nearest}" (${LETHE_PARAMETERS[nearest]?.effect})?` });
      continue;
    }
    if (parameter.kind !== known.kind) {
      problems.push({ path: `${path}.kind`, message: `Lethe reads "${name}" as a ${known.kind}: ${known.effect}` });
      continue;
    }
    if (known.values !== undefined && typeof parameter.value === 'string' && !known.values.includes(parameter.value))
      problems.push({ path: `${path}.value`, message: `must be one of ${known.values.map((v) => `"${v}"`).join(', ')}` });
  }
  return problems;
};
