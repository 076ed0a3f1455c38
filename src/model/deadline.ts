/**
 * The deadline record that travels in commands and is kept in events. Deadlines derived from the
 * policy are computed once, when the command is built (by the API layer or a reaction, with the
 * policy and `src/time`), and recorded in the event, so that a replay never recomputes them under
 * a later policy or calendar.
 *
 * @module
 */
import * as t from 'io-ts';
import { Identifier, IsoInstant } from './shared.js';

/**
 * Codec of one computed deadline:
 * - `ruleId`: the policy rule that imposes it (`gdpr.art33.1`, `ccpa.7021.b`);
 * - `dueAt`: the instant by which the duty must be done (the legal limit);
 * - `citation`: the legal or contractual source (`GDPR Art. 33(1)`);
 * - `explanation`: how `dueAt` was counted (start, period, skipped days), for the accountability record;
 * - `hostTargetAt` (optional): the host's own earlier target for duties the law states as
 *   "without undue delay", where `dueAt` is only the outer limit.
 * - `hostTargetOnly` (optional): the law and the contract give no number (GDPR Art. 34 "without
 *   undue delay"), so `dueAt` is the host's target, not a legal limit: passing it makes the duty
 *   due, never overdue.
 */
export const DeadlineRecord = t.intersection(
  [
    t.type({
      ruleId: Identifier,
      dueAt: IsoInstant,
      citation: t.string,
      explanation: t.string,
    }),
    t.partial({ hostTargetAt: IsoInstant, hostTargetOnly: t.literal(true) }),
  ],
  'DeadlineRecord',
);
/** One computed deadline (see {@link DeadlineRecord}). */
export type DeadlineRecord = t.TypeOf<typeof DeadlineRecord>;

/** Returns true when `at` is strictly after the deadline's `dueAt` (instants compared as times, not strings). */
export const isLate = (deadline: DeadlineRecord, at: IsoInstant): boolean =>
  Date.parse(at) - Date.parse(deadline.dueAt) > 0;
