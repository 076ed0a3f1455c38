/**
 * Sub-processor reactions: a sub-processor added or removed → tell the customers
 * (`NotifyCustomersOfSubProcessorChange`, GDPR Art. 28(2); CF-11, PZ-23), with the instant the
 * objection window closes for an addition. An addition recorded with a prior notice
 * (`customersNotifiedAt`, PZ-23) needs no further notice.
 *
 * An authority's demand for disclosure (`AuthorityDemandReceived`) → notify the controller with a
 * copy (`ForwardAuthorityDemandToController`; Convertful CF-18 "shall promptly notify the Customer
 * and provide it with a copy of the request unless legally prohibited"; InfluencerSoft IS-12,
 * IS-23 "if permitted by applicable law"). "Promptly" has no number, so the due instant is a host
 * target: `receivedAt` + `DEFAULT_HOST_TARGETS.processorToController` (PT24H) in the policy
 * calendar. A demand whose notification the law prohibits gives no command: nothing is owed to the
 * controller (the duty is conditional, and the obligations view does not list it either).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { LetheEvent, Reaction } from '../../engine/index.js';
import type { AuthorityDemandReceived, ObjectionWindow, ProcessorEvent } from '../../model/processor/index.js';
import { computeDeadline, instantFromIso, toLocalIso } from '../../time/index.js';
import type { PolicyDocument } from '../document.js';
import { DEFAULT_COUNTING } from '../rule.js';
import { DEFAULT_HOST_TARGETS } from '../rulebooks/defaults.js';

/** The views reactions see: projection states by name. */
type Views = Readonly<Record<string, unknown>>;

/** The name of the sub-processor reaction (it keys its checkpoint and command ids: never rename it). */
export const PROCESSOR_REACTION = 'subProcessorChanges';

/** The rule id under which objection windows are recorded. */
export const OBJECTION_WINDOW_RULE = 'processors.objectionWindow';

/** An objection window with how it was counted. */
export interface ComputedObjectionWindow {
  /** The last instant an objection is on time (ISO, in the policy calendar's zone). */
  readonly closesAt: string;
  /** Always {@link OBJECTION_WINDOW_RULE}. */
  readonly ruleId: string;
  /** The source of the window (the policy's `processors.citation`, else GDPR Art. 28(2)). */
  readonly citation: string;
  /** How the closing instant was counted, for the customer notice and the record. */
  readonly explanation: string;
}

/** Returns the window as the model records it (without the explanation). Fails never; the codec re-checks on append. */
export const asObjectionWindow = (w: ComputedObjectionWindow): ObjectionWindow =>
  ({ closesAt: w.closesAt, ruleId: w.ruleId, citation: w.citation }) as ObjectionWindow;

/**
 * Returns the objection window the policy opens with a notice given at `noticeAt` (ISO instant):
 * `processors.objectionWindow` counted in the policy calendar (CF-11: 10 calendar days from the
 * customer's receipt of the notice; an e-mail notice is taken as received when sent). Undefined
 * when the policy sets no window (IS-25 has none) or the instant cannot be read.
 */
export const objectionWindowFor = (policy: PolicyDocument, noticeAt: string): ComputedObjectionWindow | undefined => {
  const period = policy.processors?.objectionWindow;
  const start = instantFromIso(noticeAt);
  if (period === undefined || E.isLeft(start)) return undefined;
  const citation = policy.processors?.citation ?? 'GDPR Art. 28(2)';
  const deadline = computeDeadline({
    start: start.right,
    period,
    calendar: policy.calendar,
    rules: policy.counting ?? DEFAULT_COUNTING,
    citation,
  });
  if (E.isLeft(deadline)) return undefined;
  return {
    closesAt: toLocalIso(deadline.right.dueAt, policy.calendar.zone),
    ruleId: OBJECTION_WINDOW_RULE,
    citation,
    explanation: deadline.right.explanation.text,
  };
};

/** The citation of the duty to pass an authority's demand to the controller, and how its due instant is set. */
export const AUTHORITY_DEMAND_CITATION =
  'Convertful DPA (CF-18): "promptly notify the Customer and provide it with a copy of the request unless legally prohibited"; ' +
  'InfluencerSoft (IS-12, IS-23: "if permitted by applicable law"). No number: host target PT24H (DEFAULT_HOST_TARGETS.processorToController)';

/** The host command for a demand the law lets us pass on, or undefined when the due instant cannot be counted. */
const forwardDemand = (policy: PolicyDocument, registerId: string, d: AuthorityDemandReceived['data']) => {
  const start = instantFromIso(d.receivedAt);
  if (E.isLeft(start)) return undefined;
  const deadline = computeDeadline({
    start: start.right,
    period: DEFAULT_HOST_TARGETS.processorToController,
    calendar: policy.calendar,
    rules: policy.counting ?? DEFAULT_COUNTING,
    citation: AUTHORITY_DEMAND_CITATION,
  });
  if (E.isLeft(deadline)) return undefined;
  return {
    type: 'ForwardAuthorityDemandToController',
    data: {
      registerId,
      demandId: d.demandId,
      controllerId: d.controllerId,
      authority: d.authority,
      kind: d.kind,
      receivedAt: d.receivedAt,
      dueAt: toLocalIso(deadline.right.dueAt, policy.calendar.zone),
      citation: AUTHORITY_DEMAND_CITATION,
      explanation: `Host target, not a legal limit: ${deadline.right.explanation.text}`,
      ...(d.reference === undefined ? {} : { reference: d.reference }),
    },
  };
};

/** Returns the sub-processor reaction for a policy, keyed by {@link PROCESSOR_REACTION}. */
export const processorReactions = (policy: PolicyDocument): Readonly<Record<string, Reaction<LetheEvent, Views>>> => ({
  [PROCESSOR_REACTION]: {
    react: (event) => {
      if (event.kind !== 'processor') return {};
      const registerId = event.streamName.slice('lethe.processor-'.length);
      const domain = event.event as ProcessorEvent;
      switch (domain.type) {
        case 'SubProcessorAdded': {
          if (domain.data.customersNotifiedAt !== undefined) return {};
          const recorded = domain.data.objectionWindow;
          const window =
            recorded !== undefined
              ? { ...recorded, explanation: `Recorded with the addition: objections close at ${recorded.closesAt}.` }
              : objectionWindowFor(policy, domain.data.at);
          return {
            commands: [
              {
                type: 'NotifyCustomersOfSubProcessorChange',
                data: {
                  registerId,
                  subProcessorId: domain.data.subProcessorId,
                  change: 'added',
                  ...(window === undefined ? {} : { objectionWindow: { ...window } }),
                },
              },
            ],
          };
        }
        case 'SubProcessorRemoved':
          return {
            commands: [
              {
                type: 'NotifyCustomersOfSubProcessorChange',
                data: { registerId, subProcessorId: domain.data.subProcessorId, change: 'removed' },
              },
            ],
          };
        case 'AuthorityDemandReceived': {
          if (domain.data.notificationProhibited) return {};
          const command = forwardDemand(policy, registerId, domain.data);
          return command === undefined ? {} : { commands: [command] };
        }
        default:
          return {};
      }
    },
  },
});
