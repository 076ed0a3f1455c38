/**
 * Events of a policy document's stream (`lethe.policy-<uuid>`, one stream per policy document; its
 * id is {@link policyStreamId} of the document's name): the versions published, each with the
 * instant it takes effect (Instaply IN-02: amendments are announced and the "Date of Last Update"
 * changes once they come into effect; InfluencerSoft IS-30: a change that meaningfully reduces the
 * users' rights).
 *
 * A version's `summary` describes the change for users; it is about the policy, never about a
 * person, and must not carry personal data.
 *
 * @module
 */
import * as t from 'io-ts';
import { deriveId, Identifier, IsoInstant } from '../shared.js';

/** Returns the id of the stream of the policy document named `name` (e.g. the controller's name): uuid v5, the same on every replay. */
export const policyStreamId = (name: string): string => deriveId('policy', name);

/**
 * A version of the policy was published: `effectiveFrom` is when it takes effect, `publishedAt`
 * when users could first read it. `meaningfullyReducesRights` records whether the change reduces
 * the users' rights (IS-30: then "we may notify you").
 */
export const PolicyVersionPublished = t.type(
  {
    type: t.literal('PolicyVersionPublished'),
    data: t.intersection([
      t.type({
        version: Identifier,
        effectiveFrom: IsoInstant,
        publishedAt: IsoInstant,
        meaningfullyReducesRights: t.boolean,
      }),
      t.partial({ summary: t.string }),
    ]),
  },
  'PolicyVersionPublished',
);
/** A version of the policy was published. */
export type PolicyVersionPublished = t.TypeOf<typeof PolicyVersionPublished>;

/** Any event of a policy document's stream (one type so far; io-ts unions need two members). */
export const PolicyEvent = PolicyVersionPublished;
/** Any event of a policy document's stream. */
export type PolicyEvent = t.TypeOf<typeof PolicyEvent>;
