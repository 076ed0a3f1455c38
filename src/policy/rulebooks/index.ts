/**
 * The built-in rulebooks, by id, and rule lookup.
 *
 * Ids: `'gdpr'`, `'uk-gdpr'`, `'ccpa'` (requests), `'lgpd'`, `'pipeda'`, `'virginia'`,
 * `'colorado'` (requests and breach notice), `'hipaa'`, `'nydfs'`, `'california-breach'`,
 * `'florida'`, `'washington'`, `'texas'`. Rule ids start with their rulebook's id
 * (`'gdpr.art12.3.respond'`).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import type { DeadlineRule, Rulebook } from '../rule.js';
import { ccpa } from './ccpa.js';
import { gdpr } from './gdpr.js';
import { hipaa } from './hipaa.js';
import { lgpd } from './lgpd.js';
import { nydfs } from './nydfs.js';
import { pipeda } from './pipeda.js';
import { ukGdpr } from './ukGdpr.js';
import { californiaBreach, colorado, florida, texas, virginia, washington } from './usStates.js';

export { ccpa, gdpr, hipaa, lgpd, nydfs, pipeda, ukGdpr, californiaBreach, colorado, florida, texas, virginia, washington };
export * from './erasureReasons.js';
export { DEFAULT_HOST_TARGETS } from './defaults.js';
export { gdprBreachAndErasureRules } from './gdpr.js';

/** The id of a built-in rulebook. */
export type RulebookId =
  | 'gdpr'
  | 'uk-gdpr'
  | 'ccpa'
  | 'lgpd'
  | 'pipeda'
  | 'virginia'
  | 'colorado'
  | 'hipaa'
  | 'nydfs'
  | 'california-breach'
  | 'florida'
  | 'washington'
  | 'texas';

/** Every built-in rulebook, by id. */
export const rulebooks: { readonly [K in RulebookId]: Rulebook } = {
  gdpr,
  'uk-gdpr': ukGdpr,
  ccpa,
  lgpd,
  pipeda,
  virginia,
  colorado,
  hipaa,
  nydfs,
  'california-breach': californiaBreach,
  florida,
  washington,
  texas,
};

/** The ids of the built-in rulebooks, in a stable order. */
export const rulebookIds: readonly RulebookId[] = Object.keys(rulebooks) as RulebookId[];

/** Whether `id` names a built-in rulebook. */
export const isRulebookId = (id: string): id is RulebookId => Object.prototype.hasOwnProperty.call(rulebooks, id);

/** Every rule of every built-in rulebook, in rulebook order. */
export const allRules: readonly DeadlineRule[] = rulebookIds.flatMap((id) => rulebooks[id].rules);

/** No built-in rule has this id. */
export interface UnknownRule {
  /** Discriminant. */
  readonly _tag: 'UnknownRule';
  /** The id that was looked up. */
  readonly id: string;
}

/** Returns the built-in rule with this id, or `UnknownRule`. */
export const findRule = (id: string): Either<UnknownRule, DeadlineRule> => {
  const rule = allRules.find((r) => r.id === id);
  return rule === undefined ? E.left({ _tag: 'UnknownRule', id }) : E.right(rule);
};
