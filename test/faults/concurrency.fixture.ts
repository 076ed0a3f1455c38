/**
 * Several Lethe instances, and concurrent calls, over one in-memory store: a runner for the demo
 * scenario of `faults.fixture.ts` where each step goes to instance A, to instance B, or (ticks) to
 * both, one after the other or at the same time; host handlers whose behaviour a test chooses per
 * delivery (succeed, fail with a Left, throw, reject, never return); and what the run leaves
 * behind, read from both instances, for comparison with the single-instance run without a fault.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { DispatchOptions } from '../../src/engine/index.js';
import type { CallOptions, Lethe } from '../../src/api/lethe.js';
import { createLethe, hostCommandTypes } from '../../src/api/lethe.js';
import type { CommandHandler, OutboxCommand } from '../../src/engine/index.js';
import { getInMemoryEventStore } from '../../src/store/index.js';
import type { EventStore, JsonValue, RecordedEvent } from '../../src/store/index.js';
import { simulatedClock } from '../../src/time/clock.js';
import type { SimulatedClock } from '../../src/time/clock.js';
import {
  acknowledgements,
  deliveredSet,
  deliveryDifference,
  demoPolicy,
  domainStreams,
  duplicateEventIds,
  emittedCommands,
  faultyStore,
  plain,
  redelivered,
  SUBJECTS,
} from './faults.fixture.js';
import type { Fault, FaultyStore, Injected, RunResult, Step } from './faults.fixture.js';

export const START = Date.parse('2026-11-02T08:00:00Z');

/** What a handler does with one delivery. `hang`: never returns (the instance is as good as dead). */
export type Behaviour = 'ok' | 'left' | 'throw' | 'reject' | 'noEither' | 'hang';

/** One handing of a command to a host handler. */
export interface HandOver {
  readonly instance: string;
  readonly commandId: string;
  readonly type: string;
  readonly data: JsonValue;
  /** 1-based: how many times this command id was handed to a handler, this one included. */
  readonly nth: number;
  readonly behaviour: Behaviour;
  /** The clock's reading when the handler was called. */
  readonly at: number;
}

/** Decides what the handler does with a delivery (default: `ok`). */
export type Script = (command: OutboxCommand, nth: number, instance: string) => Behaviour;

/** Host handlers for every host command type, recording every hand-over, behaving as `script` says. */
export const scriptedHandlers = (
  clock: { readonly now: () => number },
  log: HandOver[],
  script: Script,
  instance: string,
): Record<string, CommandHandler> => {
  const handler: CommandHandler = (command) => {
    const nth = log.filter((h) => h.commandId === command.commandId).length + 1;
    const behaviour = script(command, nth, instance);
    log.push({ instance, commandId: command.commandId, type: command.type, data: command.data, nth, behaviour, at: clock.now() });
    switch (behaviour) {
      case 'ok':
        return E.right(undefined);
      case 'left':
        return E.left({ _tag: 'HostSystemDown', detail: 'the erasure backend answered 503' });
      case 'throw':
        throw new Error('the ticketing system threw');
      case 'reject':
        return Promise.reject(new TypeError('the mail relay rejected'));
      case 'noEither':
        return undefined as never;
      case 'hang':
        return new Promise<never>(() => undefined);
    }
  };
  return Object.fromEntries(hostCommandTypes.map((t) => [t, handler]));
};

export const makeLethe = (options: {
  readonly store: EventStore;
  readonly clock: SimulatedClock;
  readonly handlers: Record<string, CommandHandler>;
  readonly instanceId: string;
  readonly dispatch?: Partial<DispatchOptions>;
  readonly policy?: Record<string, unknown>;
}): Lethe => {
  const created = createLethe({
    policy: options.policy ?? demoPolicy(),
    store: options.store,
    clock: options.clock,
    handlers: options.handlers,
    instanceId: options.instanceId,
    ...(options.dispatch === undefined ? {} : { dispatch: options.dispatch }),
  });
  if (E.isLeft(created)) throw new Error(JSON.stringify(created.left));
  return created.right;
};

/** Where a step goes: one instance, or (meant for ticks) both, one after the other or at the same time. */
export type Route = 'A' | 'B' | 'AB' | 'BA' | 'both';

/** A tagged Left as the tests compare them (`Tag:RejectionTag`). */
export const tagOf = (error: unknown): string => {
  const tag = (error as { _tag?: unknown } | undefined)?._tag;
  const rejection = (error as { rejection?: { _tag?: unknown } } | undefined)?.rejection?._tag;
  return typeof tag === 'string' ? (typeof rejection === 'string' ? `${tag}:${rejection}` : tag) : 'untagged';
};

/** A JSON copy with keys in order (bigints as strings). */
export { plain };

/** The domain state one instance sees. */
export interface Seen {
  readonly subjects: Readonly<Record<string, unknown>>;
  readonly obligations: readonly unknown[];
  readonly timelines: Readonly<Record<string, readonly string[]>>;
  readonly canProcess: Readonly<Record<string, boolean>>;
  readonly pending: readonly string[];
  readonly failed: readonly string[];
}

export const seenBy = async (lethe: Lethe): Promise<Seen> => {
  const pending = await lethe.pendingCommands();
  const failed = await lethe.failedCommands();
  if (E.isLeft(pending) || E.isLeft(failed)) throw new Error('reading the outbox failed');
  return {
    subjects: Object.fromEntries(SUBJECTS.map((s) => [s, plain(lethe.subject(s))])),
    obligations: lethe
      .obligations()
      .map((o) => plain({ id: o.id, ruleId: o.rule.ruleId, entity: o.entity, subjectId: o.subjectId, category: o.category, state: o.state, dueAt: o.dueAt })),
    timelines: Object.fromEntries(SUBJECTS.map((s) => [s, lethe.timeline(s).map((e) => e.type)])),
    canProcess: Object.fromEntries(SUBJECTS.map((s) => [s, lethe.canProcess(s, 'service').allowed])),
    pending: pending.right.map((p) => `${p.command.type} ${p.status} ${p.command.commandId}`),
    failed: failed.right.map((p) => `${p.command.type} ${p.lastFailure ?? ''} ${p.command.commandId}`),
  };
};

export interface TwoRunResult {
  readonly handOvers: readonly HandOver[];
  readonly lefts: readonly { readonly step: number; readonly label: string; readonly instance: string; readonly tag: string }[];
  readonly stuck: readonly { readonly step: number; readonly label: string; readonly tag: string }[];
  readonly injected: readonly Injected[];
  /** What each instance sees after both settled at the end. */
  readonly seen: { readonly A: Seen; readonly B: Seen };
  readonly log: readonly RecordedEvent[];
}

export interface TwoRunOptions {
  /** Where step `i` goes (retries of a failed step go to the other instance when `retryElsewhere`). */
  readonly route: (step: number) => Route;
  readonly faults?: readonly Fault[];
  readonly retryElsewhere?: boolean;
  readonly script?: Script;
  readonly dispatch?: Partial<DispatchOptions>;
  /**
   * Steps before `upTo` run at once in chains: each chain (the steps `chain(i)` gives the same number)
   * in step order on `who(chain)`, the chains concurrently, the clock set to the latest of their instants.
   */
  readonly concurrentStart?: { readonly upTo: number; readonly chain: (step: number) => number; readonly who: (chain: number) => 'A' | 'B' };
  /** Runs after the last step, faults disarmed, before the final settles (e.g. ticks past the back-off). */
  readonly after?: (instances: { readonly A: Lethe; readonly B: Lethe }, clock: SimulatedClock) => Promise<void>;
}

const MAX_ATTEMPTS = 4;

/**
 * Runs `steps` with two Lethe instances (`A`, `B`) on one in-memory store (wrapped by the fault
 * fixture's failing store when faults are given) and one simulated clock set to each step's
 * instant. A careful host: every call carries `step-<i>` as its `commandId`, a Left is retried with
 * the same one. At the end both instances settle (A, B, A) and what each sees is collected.
 */
export const runTwoInstances = async (steps: readonly Step[], options: TwoRunOptions): Promise<TwoRunResult> => {
  const clock = simulatedClock(START);
  let current = 0;
  const faulty: FaultyStore = faultyStore(getInMemoryEventStore({ clock }), options.faults ?? [], () => current);
  const handOvers: HandOver[] = [];
  const script = options.script ?? (() => 'ok');
  const make = (id: 'A' | 'B'): Lethe =>
    makeLethe({
      store: faulty.store,
      clock,
      handlers: scriptedHandlers(clock, handOvers, script, id),
      instanceId: `instance-${id}`,
      ...(options.dispatch === undefined ? {} : { dispatch: options.dispatch }),
    });
  const instances = { A: make('A'), B: make('B') } as const;
  const lefts: { step: number; label: string; instance: string; tag: string }[] = [];
  const stuck: { step: number; label: string; tag: string }[] = [];
  const start = options.concurrentStart;
  if (start !== undefined) {
    const chains = new Map<number, number[]>();
    for (let i = 0; i < start.upTo; i++) chains.set(start.chain(i), [...(chains.get(start.chain(i)) ?? []), i]);
    clock.set(Math.max(...steps.slice(0, start.upTo).map((s) => Date.parse(s.at))));
    await Promise.all(
      [...chains].map(async ([chain, members]) => {
        const who = start.who(chain);
        for (const i of members) {
          const step = steps[i] as Step;
          let done = false;
          for (let attempt = 0; attempt < MAX_ATTEMPTS && !done; attempt++) {
            const result = await step.run(instances[who], { at: step.at, commandId: `step-${i}` });
            done = E.isRight(result);
            if (E.isLeft(result)) lefts.push({ step: i, label: step.label, instance: who, tag: tagOf(result.left) });
          }
          if (!done) stuck.push({ step: i, label: step.label, tag: lefts[lefts.length - 1]?.tag ?? '' });
        }
      }),
    );
  }
  for (let i = start?.upTo ?? 0; i < steps.length; i++) {
    const step = steps[i] as Step;
    current = i;
    clock.set(Date.parse(step.at));
    const route = options.route(i);
    const callOptions: CallOptions = { at: step.at, commandId: `step-${i}` };
    const runOn = async (who: 'A' | 'B'): Promise<boolean> => {
      const result = await step.run(instances[who], callOptions);
      if (E.isRight(result)) return true;
      lefts.push({ step: i, label: step.label, instance: who, tag: tagOf(result.left) });
      return false;
    };
    let done = false;
    let last = '';
    for (let attempt = 0; attempt < MAX_ATTEMPTS && !done; attempt++) {
      const flip = options.retryElsewhere === true && attempt % 2 === 1;
      const first: 'A' | 'B' = (route === 'B' || route === 'BA') !== flip ? 'B' : 'A';
      const second: 'A' | 'B' = first === 'A' ? 'B' : 'A';
      if (route === 'A' || route === 'B') done = await runOn(first);
      else if (route === 'both') {
        const [a, b] = await Promise.all([runOn('A'), runOn('B')]);
        done = a && b;
      } else {
        const a = await runOn(first);
        const b = await runOn(second);
        done = a && b;
      }
      if (!done) last = lefts[lefts.length - 1]?.tag ?? '';
    }
    if (!done) stuck.push({ step: i, label: step.label, tag: last });
  }
  faulty.disarm();
  if (options.after !== undefined) await options.after(instances, clock);
  for (const who of ['A', 'B', 'A'] as const) {
    const settled = await instances[who].settle();
    if (E.isLeft(settled)) throw new Error(`the final settle of ${who} failed: ${JSON.stringify(plain(settled.left))}`);
  }
  const log = await faulty.inner.readAll({ filter: { excludeSystemEvents: true } });
  if (E.isLeft(log)) throw new Error('reading the log failed');
  return {
    handOvers,
    lefts,
    stuck,
    injected: faulty.injected(),
    seen: { A: await seenBy(instances.A), B: await seenBy(instances.B) },
    log: log.right,
  };
};

/** Outbox stream prefix. */
export const OUTBOX = 'lethe.outbox-';

/** The outbox events of one command, by command id: their types in order. */
export const outboxHistories = (log: readonly RecordedEvent[]): Record<string, string[]> => {
  const histories: Record<string, string[]> = {};
  for (const e of log) if (e.streamName.startsWith(OUTBOX)) (histories[e.streamName.slice(OUTBOX.length)] ??= []).push(e.type);
  return histories;
};

/** The instance ids that acknowledged each command. */
export const acknowledgedBy = (log: readonly RecordedEvent[]): Record<string, string[]> => {
  const by: Record<string, string[]> = {};
  for (const e of log)
    if (e.streamName.startsWith(OUTBOX) && e.type === 'CommandAcknowledged')
      (by[e.streamName.slice(OUTBOX.length)] ??= []).push((e.data as { instanceId: string }).instanceId);
  return by;
};

/** The `retryAt` of every failed attempt of a command, in order. */
export const retryTimes = (log: readonly RecordedEvent[], commandId: string): number[] =>
  log
    .filter((e) => e.streamName === `${OUTBOX}${commandId}` && e.type === 'DispatchAttemptFailed')
    .map((e) => (e.data as { retryAt: number }).retryAt);

/**
 * Commands handed over again because another instance took over a claim: a `DispatchClaimed` that
 * follows another instance's `DispatchClaimed` (its outcome never recorded). `early` lists the
 * take-overs made before the previous lease ran out (which must never happen).
 */
export const takeOvers = (log: readonly RecordedEvent[]): { readonly ids: string[]; readonly early: string[] } => {
  const last = new Map<string, { instanceId: string; leaseUntil: number } | undefined>();
  const ids: string[] = [];
  const early: string[] = [];
  for (const e of log) {
    if (!e.streamName.startsWith(OUTBOX)) continue;
    const id = e.streamName.slice(OUTBOX.length);
    if (e.type !== 'DispatchClaimed') {
      last.set(id, undefined);
      continue;
    }
    const claim = e.data as { instanceId: string; leaseUntil: number };
    const previous = last.get(id);
    if (previous !== undefined && previous.instanceId !== claim.instanceId) {
      ids.push(id);
      const at = Date.parse((e.metadata as { occurredAt: string }).occurredAt);
      if (!(at > previous.leaseUntil)) early.push(id);
    }
    last.set(id, claim);
  }
  return { ids, early };
};

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const sortedValues = (record: Readonly<Record<string, readonly string[]>>): Record<string, string[]> =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, [...v].sort()]));

/**
 * Every difference between a two-instance run and the single-instance run without a fault
 * (`ref`): steps that never succeeded; host commands lost, extra or changed; a command handed to
 * a handler twice though neither a refused acknowledgement (`allowedTwice`) nor a lease taken over
 * explains it; a lease taken over early; a command acknowledged other than once; an event id
 * twice; commands pending or failed; the two instances seeing different states; a state other than
 * the reference's (timelines and domain streams compared as sets when `orderMayDiffer`: a fault
 * delays some of Lethe's own work past events of the same instant).
 */
export const twoInstanceViolations = (
  run: TwoRunResult,
  ref: RunResult,
  options: { readonly allowedTwice?: readonly string[]; readonly orderMayDiffer?: boolean } = {},
): string[] => {
  const problems: string[] = [];
  for (const s of run.stuck) problems.push(`step ${s.step} (${s.label}) never succeeded: ${s.tag}`);
  const got = deliveredSet(run.handOvers);
  const want = deliveredSet(ref.deliveries);
  const difference = deliveryDifference(got, want);
  if (difference !== undefined) problems.push(difference);
  const taken = takeOvers(run.log);
  if (taken.early.length > 0) problems.push(`lease taken over before it ran out: ${taken.early.join(', ')}`);
  const allowed = new Set([...(options.allowedTwice ?? []), ...taken.ids]);
  const again = redelivered(run.handOvers).filter((id) => !allowed.has(id));
  if (again.length > 0) problems.push(`handed to a host handler more than once: ${again.join(', ')}`);
  const acks = Object.entries(acknowledgements(run.log)).filter(([, n]) => n !== 1);
  if (acks.length > 0) problems.push(`not acknowledged exactly once: ${acks.map(([id, n]) => `${id} x${n}`).join(', ')}`);
  const twice = duplicateEventIds(run.log);
  if (twice.length > 0) problems.push(`event ids twice: ${twice.join(', ')}`);
  for (const who of ['A', 'B'] as const) {
    if (run.seen[who].pending.length > 0) problems.push(`${who} sees pending: ${run.seen[who].pending.join(', ')}`);
    if (run.seen[who].failed.length > 0) problems.push(`${who} sees failed: ${run.seen[who].failed.join(', ')}`);
  }
  if (!same(run.seen.A, run.seen.B)) problems.push('A and B see different states');
  const seen = run.seen.A;
  if (!same(emittedCommands(run.log), emittedCommands(ref.log))) problems.push('the outbox holds other commands');
  if (!same(seen.subjects, ref.subjects)) problems.push('subject views differ from the reference');
  if (!same(seen.obligations, ref.obligations)) problems.push('obligations differ from the reference');
  if (!same(seen.canProcess, ref.canProcess)) problems.push('processing permissions differ from the reference');
  const loose = options.orderMayDiffer === true;
  if (!(loose ? same(sortedValues(seen.timelines), sortedValues(ref.timelines)) : same(seen.timelines, ref.timelines)))
    problems.push('timelines differ from the reference');
  const streams = loose ? sortedValues(domainStreams(run.log)) : domainStreams(run.log);
  const expected = loose ? sortedValues(domainStreams(ref.log)) : domainStreams(ref.log);
  const differing = [...new Set([...Object.keys(streams), ...Object.keys(expected)])].filter((s) => !same(streams[s], expected[s]));
  if (differing.length > 0) problems.push(`domain streams differ: ${differing.join(', ')}`);
  return problems;
};
