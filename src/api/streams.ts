/**
 * The privacy domain's stream kinds, registered with the engine: each pairs a model decider with
 * its events codec, its commands codec and the stream its commands address.
 *
 * Subject, consent and retention commands carry their entity id. Request, breach, sub-processor
 * register and policy commands do not all carry it (one entity per stream), so those four kinds
 * take a {@link Targeted} command: `{ target: <uuid>, command }` (a policy's target is
 * `policyStreamId(<name>)`).
 *
 * @module
 */
import * as t from 'io-ts';
import type { Either } from 'fp-ts/lib/Either.js';
import { streamKind } from '../engine/index.js';
import type { Decider, DomainEvent, Rejection } from '../engine/index.js';
import { Uuid, streamName } from '../model/shared.js';
import { SubjectCommand, SubjectEvent, subjectDecider, subjectStreamName } from '../model/subject/index.js';
import { ConsentCommand, ConsentEvent, consentDecider, consentStreamName } from '../model/consent/index.js';
import { RetentionCommand, RetentionEvent, retentionDecider, retentionStreamName } from '../model/retention/index.js';
import { RequestCommand, RequestEvent, requestDecider } from '../model/request/index.js';
import { BreachCommand, BreachEvent, breachDecider } from '../model/breach/index.js';
import { ProcessorCommand, ProcessorEvent, processorDecider } from '../model/processor/index.js';
import { PolicyCommand, PolicyEvent, policyDecider } from '../model/policy/index.js';

/** A command addressed to one stream of a kind whose commands do not name their entity. */
export interface Targeted<C> {
  readonly target: string;
  readonly command: C;
}

/** Returns the codec of `{ target: uuid, command }` for a command codec. */
export const targetedCodec = <C extends t.Mixed>(command: C) =>
  t.type({ target: Uuid, command }, `Targeted<${command.name}>`);

/** Returns a decider over {@link Targeted} commands that delegates to `decider`. */
export const targetedDecider = <C, S, Ev extends DomainEvent, R extends Rejection>(
  decider: Decider<C, S, Ev, R>,
): Decider<Targeted<C>, S, Ev, R> => ({
  initialState: decider.initialState,
  decide: (command: Targeted<C>, state: S): Either<R, readonly Ev[]> => decider.decide(command.command, state),
  evolve: decider.evolve,
});

const TargetedRequestCommand = targetedCodec(RequestCommand);
const TargetedBreachCommand = targetedCodec(BreachCommand);
const TargetedProcessorCommand = targetedCodec(ProcessorCommand);
const TargetedPolicyCommand = targetedCodec(PolicyCommand);

/** The seven stream kinds by kind name (`lethe.<kind>-<uuid>`). */
export const letheStreams = {
  subject: streamKind({
    decider: subjectDecider,
    events: SubjectEvent,
    commands: SubjectCommand,
    streamName: subjectStreamName,
  }),
  consent: streamKind({
    decider: consentDecider,
    events: ConsentEvent,
    commands: ConsentCommand,
    streamName: consentStreamName,
  }),
  retention: streamKind({
    decider: retentionDecider,
    events: RetentionEvent,
    commands: RetentionCommand,
    streamName: retentionStreamName,
  }),
  request: streamKind({
    decider: targetedDecider(requestDecider),
    events: RequestEvent,
    commands: TargetedRequestCommand,
    streamName: (command: Targeted<RequestCommand>) => streamName('request', command.target),
  }),
  breach: streamKind({
    decider: targetedDecider(breachDecider),
    events: BreachEvent,
    commands: TargetedBreachCommand,
    streamName: (command: Targeted<BreachCommand>) => streamName('breach', command.target),
  }),
  processor: streamKind({
    decider: targetedDecider(processorDecider),
    events: ProcessorEvent,
    commands: TargetedProcessorCommand,
    streamName: (command: Targeted<ProcessorCommand>) => streamName('processor', command.target),
  }),
  policy: streamKind({
    decider: targetedDecider(policyDecider),
    events: PolicyEvent,
    commands: TargetedPolicyCommand,
    streamName: (command: Targeted<PolicyCommand>) => streamName('policy', command.target),
  }),
};

/** The stream kinds of the privacy domain, as registered with the engine. */
export type LetheStreams = typeof letheStreams;
