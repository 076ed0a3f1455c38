/**
 * Policy-change reactions: a policy version published (`PolicyVersionPublished` on
 * `lethe.policy-<uuid>`) → tell its users (`NotifyUsersOfPolicyChange`; Instaply IN-02: "we will
 * notify you of such changes by publishing them within the Services or by email").
 *
 * Whether the notice is owed is the policy's: the string parameter
 * `parameters.policyChangeNotice` is one of
 * - `"required"` (the default when the parameter is absent): every version is noticed (IN-02);
 * - `"optional"`: the notice is a courtesy (InfluencerSoft IS-30: "reserves the right to update
 *   this Privacy Policy from time to time without notice"), `required: false`;
 * - `"whenRightsReduced"`: required only for a version that meaningfully reduces the users' rights
 *   (IS-30: "If a modification meaningfully reduces your rights, we may notify you" read strictly).
 * Any other value is treated as the default, `"required"`, so a typo never drops a notice. The
 * command is emitted in every case, with `required` saying whether it is owed. A parameter stands
 * in for a field the policy codec does not have yet; a `notices.policyChange` field would be
 * checked by the codec.
 *
 * @module
 */
import type { LetheEvent, Reaction } from '../../engine/index.js';
import type { PolicyEvent } from '../../model/policy/index.js';
import type { PolicyDocument } from '../document.js';

/** The views reactions see: projection states by name. */
type Views = Readonly<Record<string, unknown>>;

/** The name of the policy-change reaction (it keys its checkpoint and command ids: never rename it). */
export const POLICY_CHANGE_REACTION = 'policyChangeNotices';

/** The name of the policy parameter that says whether users must be told of a new version. */
export const POLICY_CHANGE_NOTICE_PARAMETER = 'policyChangeNotice';

/** Whether a notice of a policy change is owed: always, never, or when the change reduces users' rights. */
export type PolicyChangeNotice = 'required' | 'optional' | 'whenRightsReduced';

/** Returns the policy's `parameters.policyChangeNotice`, `"required"` when absent or unrecognised. */
export const policyChangeNoticeOf = (policy: PolicyDocument): PolicyChangeNotice => {
  const value = policy.parameters?.[POLICY_CHANGE_NOTICE_PARAMETER]?.value;
  return value === 'optional' || value === 'whenRightsReduced' ? value : 'required';
};

const DEFAULT_CITATION =
  'Instaply (IN-02): "we will notify you of such changes by publishing them within the Services or by email"; ' +
  'Lethe default: a notice is required unless parameters.policyChangeNotice says otherwise';

/** Returns the policy-change reaction for a policy, keyed by {@link POLICY_CHANGE_REACTION}. */
export const policyVersionReactions = (policy: PolicyDocument): Readonly<Record<string, Reaction<LetheEvent, Views>>> => ({
  [POLICY_CHANGE_REACTION]: {
    react: (event) => {
      if (event.kind !== 'policy') return {};
      const domain = event.event as PolicyEvent;
      if (domain.type !== 'PolicyVersionPublished') return {};
      const setting = policyChangeNoticeOf(policy);
      const parameter = policy.parameters?.[POLICY_CHANGE_NOTICE_PARAMETER];
      const citation =
        parameter?.value === undefined
          ? DEFAULT_CITATION
          : (parameter.citation ?? `policy ${policy.version}: parameters.${POLICY_CHANGE_NOTICE_PARAMETER} = "${setting}"`);
      const d = domain.data;
      return {
        commands: [
          {
            type: 'NotifyUsersOfPolicyChange',
            data: {
              policyId: event.streamName.slice('lethe.policy-'.length),
              version: d.version,
              effectiveFrom: d.effectiveFrom,
              publishedAt: d.publishedAt,
              meaningfullyReducesRights: d.meaningfullyReducesRights,
              required: setting === 'required' || (setting === 'whenRightsReduced' && d.meaningfullyReducesRights),
              citation,
            },
          },
        ],
      };
    },
  },
});
