/**
 * Commands of a sub-processor register. They come from the host's API, so each has a codec: bad
 * input is a typed error naming the path. Objection windows are computed by the caller from the
 * policy and travel in the command.
 *
 * @module
 */
import * as t from 'io-ts';
import {
  AuthorityDemandForwarded,
  AuthorityDemandReceived,
  CustomersNotifiedOfSubProcessorChange,
  ObjectionResolved,
  SubProcessorAdded,
  SubProcessorObjected,
  SubProcessorRemoved,
} from './events.js';

/**
 * Engage a sub-processor. `context.priorCustomerNotice`, set from the policy, says the contract
 * requires customers to be told before the addition (Personizely PZ-23), with its citation.
 * Adding the same id again with identical data is a no-op.
 */
export const AddSubProcessor = t.type(
  {
    type: t.literal('AddSubProcessor'),
    data: t.intersection([
      SubProcessorAdded.props.data,
      t.partial({ context: t.partial({ priorCustomerNotice: t.type({ citation: t.string }) }) }),
    ]),
  },
  'AddSubProcessor',
);
/** Engage a sub-processor. */
export type AddSubProcessor = t.TypeOf<typeof AddSubProcessor>;

/** Disengage a sub-processor. Removing one already removed is a no-op. */
export const RemoveSubProcessor = t.type(
  { type: t.literal('RemoveSubProcessor'), data: SubProcessorRemoved.props.data },
  'RemoveSubProcessor',
);
/** Disengage a sub-processor. */
export type RemoveSubProcessor = t.TypeOf<typeof RemoveSubProcessor>;

/** Record that customers were told of a change, with the objection window the notice opens. */
export const RecordSubProcessorChangeNotice = t.type(
  { type: t.literal('RecordSubProcessorChangeNotice'), data: CustomersNotifiedOfSubProcessorChange.props.data },
  'RecordSubProcessorChangeNotice',
);
/** Record that customers were told of a change. */
export type RecordSubProcessorChangeNotice = t.TypeOf<typeof RecordSubProcessorChangeNotice>;

/** Record a customer's objection to a sub-processor. */
export const RecordSubProcessorObjection = t.type(
  { type: t.literal('RecordSubProcessorObjection'), data: SubProcessorObjected.props.data },
  'RecordSubProcessorObjection',
);
/** Record a customer's objection. */
export type RecordSubProcessorObjection = t.TypeOf<typeof RecordSubProcessorObjection>;

/** Resolve an objection. */
export const ResolveSubProcessorObjection = t.type(
  { type: t.literal('ResolveSubProcessorObjection'), data: ObjectionResolved.props.data },
  'ResolveSubProcessorObjection',
);
/** Resolve an objection. */
export type ResolveSubProcessorObjection = t.TypeOf<typeof ResolveSubProcessorObjection>;

/**
 * Record an authority's demand for disclosure (CF-18, IS-12, IS-23). Receiving the same id again
 * with identical data is a no-op; with different data it is refused.
 */
export const ReceiveAuthorityDemand = t.type(
  { type: t.literal('ReceiveAuthorityDemand'), data: AuthorityDemandReceived.props.data },
  'ReceiveAuthorityDemand',
);
/** Record an authority's demand for disclosure. */
export type ReceiveAuthorityDemand = t.TypeOf<typeof ReceiveAuthorityDemand>;

/**
 * Record that the controller was notified of a demand, with a copy (CF-18). Refused for an unknown
 * demand and for one whose notification the law prohibits; recording it again is a no-op.
 */
export const RecordAuthorityDemandForwarding = t.type(
  { type: t.literal('RecordAuthorityDemandForwarding'), data: AuthorityDemandForwarded.props.data },
  'RecordAuthorityDemandForwarding',
);
/** Record that the controller was notified of a demand. */
export type RecordAuthorityDemandForwarding = t.TypeOf<typeof RecordAuthorityDemandForwarding>;

/** Any command of a sub-processor register. */
export const ProcessorCommand = t.union(
  [
    AddSubProcessor,
    RemoveSubProcessor,
    RecordSubProcessorChangeNotice,
    RecordSubProcessorObjection,
    ResolveSubProcessorObjection,
    ReceiveAuthorityDemand,
    RecordAuthorityDemandForwarding,
  ],
  'ProcessorCommand',
);
/** Any command of a sub-processor register. */
export type ProcessorCommand = t.TypeOf<typeof ProcessorCommand>;
