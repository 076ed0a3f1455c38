/**
 * The decider of a policy document's stream: pure `initialState`, `decide` and `evolve`.
 *
 * - A version is published once: the same version again with identical data is a no-op (a
 *   retry); with different data it is refused (`PolicyVersionConflict`): a changed text is a new
 *   version, so users are told of it.
 * - Versions take effect in order: a version whose `effectiveFrom` is before the latest
 *   published version's is refused (`EffectiveFromBeforePrevious`), so "the version in force at
 *   instant T" has one answer.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Identifier, IsoInstant } from '../shared.js';
import type { PolicyCommand } from './commands.js';
import type { PolicyEvent, PolicyVersionPublished } from './events.js';

/** The state of a policy document's stream, folded from its events. */
export interface PolicyState {
  /** Every published version, by version. */
  readonly versions: ReadonlyMap<string, PolicyVersionPublished['data']>;
  /** The latest published version, or null. */
  readonly latest: PolicyVersionPublished['data'] | null;
}

/** Why the decider refused a command. No member carries personal data. */
export type PolicyRejection =
  /** This version was published with different data; a changed text is a new version. */
  | { readonly _tag: 'PolicyVersionConflict'; readonly version: Identifier }
  /** The version would take effect before the latest published one. */
  | {
      readonly _tag: 'EffectiveFromBeforePrevious';
      readonly version: Identifier;
      readonly effectiveFrom: IsoInstant;
      readonly previousVersion: Identifier;
      readonly previousEffectiveFrom: IsoInstant;
    };

/** What decide returns: the new events or the rejection. */
export type PolicyDecision = E.Either<PolicyRejection, readonly PolicyEvent[]>;

/** A JSON rendering with sorted keys, so that two records with the same fields compare equal. */
const canonical = (value: Readonly<Record<string, unknown>>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));

/** Returns the state of a stream with no events. */
export const initialState = (): PolicyState => ({ versions: new Map(), latest: null });

/** Returns the events `command` produces in `state`, or why it is refused. Pure. */
export const decide = (command: PolicyCommand, state: PolicyState): PolicyDecision => {
  const data = command.data;
  const known = state.versions.get(data.version);
  if (known !== undefined)
    return canonical(known) === canonical(data) ? E.right([]) : E.left({ _tag: 'PolicyVersionConflict', version: data.version });
  const latest = state.latest;
  if (latest !== null && Date.parse(data.effectiveFrom) < Date.parse(latest.effectiveFrom))
    return E.left({
      _tag: 'EffectiveFromBeforePrevious',
      version: data.version,
      effectiveFrom: data.effectiveFrom,
      previousVersion: latest.version,
      previousEffectiveFrom: latest.effectiveFrom,
    });
  return E.right([{ type: 'PolicyVersionPublished', data }]);
};

/** Returns the state after `event`. Pure; never fails (events were validated when appended). */
export const evolve = (state: PolicyState, event: PolicyEvent): PolicyState => ({
  versions: new Map(state.versions).set(event.data.version, event.data),
  latest: event.data,
});

/** The policy stream decider: `{ initialState, decide, evolve }`, for the engine's command handler. */
export const policyDecider = { initialState, decide, evolve } as const;
