/**
 * Commands of a sub-processor register. They come from the host's API, so each has a codec: bad
 * input is a typed error naming the path. Objection windows are computed by the caller from the
 * policy and travel in the command.
 *
 * @module
 */
import * as t from 'io-ts';
import {
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

/** Any command of a sub-processor register. */
export const ProcessorCommand = t.union(
  [AddSubProcessor, RemoveSubProcessor, RecordSubProcessorChangeNotice, RecordSubProcessorObjection, ResolveSubProcessorObjection],
  'ProcessorCommand',
);
/** Any command of a sub-processor register. */
export type ProcessorCommand = t.TypeOf<typeof ProcessorCommand>;
