/**
 * The default targets for duties the law states without a number ("without undue delay", "as
 * soon as feasible"). They are Lethe's choices, not the law's: a host sets its own in the policy
 * document (`requests.overrides` / `breaches.overrides` with `hostTarget`). Each is shown apart
 * from the legal outer limit, and never falls after it.
 *
 * @module
 */
import type { Period } from '../../time/types.js';
import { calendarDays, hours } from '../rule.js';

/**
 * Default host targets:
 * - `processorToController` PT24H (GDPR Art. 33(2)): leaves the controller 48 of its 72 hours
 *   under Art. 33(1); 24 hours is also what processor contracts commonly promise.
 * - `supervisoryAuthority` PT48H (GDPR Art. 33(1)): a target inside the 72-hour outer limit, so a
 *   notice is not planned for the last hour.
 * - `dataSubjects` PT72H (GDPR Art. 34, PIPEDA s. 10.1 "as soon as feasible"): no legal number;
 *   in step with the authority's outer limit.
 * - `furtherInformation` P14D (GDPR Art. 33(4) "without undue further delay"): no legal number.
 * - `erasure` P30D (GDPR Art. 17(1) "without undue delay" when no request deadline applies).
 * - `hipaaIndividuals` P30D (45 CFR 164.404(b) "without unreasonable delay"; outer limit 60 days).
 * - `immediate` PT24H (LGPD Art. 19, I "immediately", simplified format).
 */
export const DEFAULT_HOST_TARGETS = {
  processorToController: hours(24),
  supervisoryAuthority: hours(48),
  dataSubjects: hours(72),
  furtherInformation: calendarDays(14),
  erasure: calendarDays(30),
  hipaaIndividuals: calendarDays(30),
  immediate: hours(24),
} as const satisfies Record<string, Period>;
