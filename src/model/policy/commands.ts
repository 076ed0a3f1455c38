/**
 * Commands of a policy document's stream. They come from the host's API, so each has a codec: bad
 * input is a typed error naming the path.
 *
 * @module
 */
import * as t from 'io-ts';
import { PolicyVersionPublished } from './events.js';

/**
 * Publish a version of the policy. Publishing the same version again with identical data is a
 * no-op (a retry); with different data, or with an `effectiveFrom` before the latest version's, it
 * is refused.
 */
export const PublishPolicyVersion = t.type(
  { type: t.literal('PublishPolicyVersion'), data: PolicyVersionPublished.props.data },
  'PublishPolicyVersion',
);
/** Publish a version of the policy. */
export type PublishPolicyVersion = t.TypeOf<typeof PublishPolicyVersion>;

/** Any command of a policy document's stream (one type so far). */
export const PolicyCommand = PublishPolicyVersion;
/** Any command of a policy document's stream. */
export type PolicyCommand = t.TypeOf<typeof PolicyCommand>;
