/**
 * Fault injection over the facade: a store wrapper that fails chosen calls (the k-th call of one
 * operation, or the first call matching a predicate), a demo-like scenario (Personizely's policy:
 * four clients sign up; one withdraws and is erased after the CEO's and the DPO's approvals; one
 * asks for a copy of her data; one cancels and is erased once the 90-day grace period has run out,
 * found by a tick; one has her erasure requested by the host, two categories in one call; a breach
 * on a Friday evening), and a careful host: every call carries a `commandId`, a failed call (or
 * `tick`) is retried with the same one until it succeeds. What the run leaves behind (what the
 * handlers got, the views, the log) is collected for comparison with the run without a fault.
 */
import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import type { CallOptions, Lethe } from '../../src/api/lethe.js';
import { createLethe, hostCommandTypes } from '../../src/api/lethe.js';
import type { CommandHandler } from '../../src/engine/index.js';
import { getInMemoryEventStore } from '../../src/store/index.js';
import type { EventStore, JsonValue, RecordedEvent } from '../../src/store/index.js';
import { simulatedClock } from '../../src/time/clock.js';

export const demoPolicy = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL('../../examples/demo/personizely.policy.json', import.meta.url), 'utf8')) as Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// The failing store
// ---------------------------------------------------------------------------------------------

/**
 * The port operations a fault can hit. `setStreamMetadata` is the checkpoint streams' first write;
 * `deleteStream` and `tombstoneStream` are the purge of an erased subject's streams (`erasure.streams`).
 */
export type FaultOp = 'appendToStream' | 'setStreamMetadata' | 'deleteStream' | 'tombstoneStream' | 'readAll' | 'readStream';

/**
 * `refused`: the store writes nothing and answers `StoreUnavailable`. `lostAck`: the store writes,
 * then the answer is lost (the caller sees `StoreUnavailable`): a timeout after the commit. A read
 * has nothing to commit: it fails as `refused` either way.
 */
export type FaultMode = 'refused' | 'lostAck';

/** A call of the port, as a {@link TriggeredFault} sees it. */
export interface StoreCall {
  readonly op: FaultOp;
  /** The stream written or read (undefined for `readAll`). */
  readonly stream: string | undefined;
  /** The types of the events of an append. */
  readonly types: readonly string[];
  /** See {@link Injected.command}. */
  readonly command: string | undefined;
}

/** One fault: the k-th (1-based) call of `op` fails; `restart` discards the Lethe right after the first fault. */
export interface CountedFault {
  readonly op: FaultOp;
  readonly k: number;
  readonly mode?: FaultMode;
  readonly restart?: boolean;
}

/** One fault: the first call for which `when` gives a mode fails with it (`when` sees every call, in order). */
export interface TriggeredFault {
  readonly when: (call: StoreCall) => FaultMode | undefined;
  readonly restart?: boolean;
}

export type Fault = CountedFault | TriggeredFault;

/** A call of the port as the journal keeps it: where a fault on it would have landed. */
export type Call = Omit<Injected, 'mode'>;

/** Where the fault landed. */
export interface Injected {
  readonly op: FaultOp;
  readonly mode: FaultMode;
  /** The stream written or read (undefined for `readAll`). */
  readonly stream: string | undefined;
  /** The types of the events of an append. */
  readonly types: readonly string[];
  /**
   * The type of the outbox command the dispatcher was handing to its handler when the fault hit
   * (between its `DispatchClaimed` and the outcome), or, for a fault on an outbox append, the type
   * of that outbox stream's command.
   */
  readonly command: string | undefined;
  /** The index of the scenario step during which the fault hit. */
  readonly step: number;
}

export interface FaultyStore {
  readonly store: EventStore;
  readonly inner: EventStore;
  /** Calls so far, by operation. */
  readonly counts: Record<FaultOp, number>;
  /** The faults injected so far, in order. */
  readonly injected: () => readonly Injected[];
  /** The steps during which a stream was deleted or tombstoned (an erased subject's streams purged). */
  readonly purgeSteps: () => readonly number[];
  /** Every call so far, as a fault would have seen it (a run is the same as the run without a fault up to its first fault). */
  readonly journal: () => readonly Call[];
  /** Stops injecting (for reading the results). */
  readonly disarm: () => void;
}

const unavailable = { _tag: 'StoreUnavailable', reason: 'injected' } as const;
const OUTBOX = 'lethe.outbox-';

/** The type of the command of an outbox stream, read from the store underneath (not counted). */
const outboxCommandType = async (inner: EventStore, stream: string): Promise<string | undefined> => {
  const read = await inner.readStream(stream, { maxCount: 1 });
  const first = E.isRight(read) ? read.right[0] : undefined;
  return (first?.data as { command?: { type?: string } } | undefined)?.command?.type;
};

/**
 * Wraps a store so that each fault fails one call: the `k`-th call of its operation, or the first
 * call its predicate picks. Keeps a journal of every call, and tells which command the dispatcher
 * is handing to a handler (from a successful `DispatchClaimed` to the outcome's append).
 */
export const faultyStore = (inner: EventStore, faults: readonly Fault[], step: () => number = () => 0): FaultyStore => {
  const purgeSteps = new Set<number>();
  const journal: Call[] = [];
  const counts: Record<FaultOp, number> = { appendToStream: 0, setStreamMetadata: 0, deleteStream: 0, tombstoneStream: 0, readAll: 0, readStream: 0 };
  const injected: Injected[] = [];
  let armed = true;
  /** The command a handler is running for: set by a claim that succeeded, cleared by the outcome. */
  let handling: string | undefined;
  const fired = new Set<Fault>();
  /** Counts the call; returns the mode of the fault it must fail with, or undefined. */
  const check = (call: StoreCall): FaultMode | undefined => {
    counts[call.op] += 1;
    if (!armed) return undefined;
    for (const fault of faults) {
      if (fired.has(fault)) continue;
      const mode = 'when' in fault ? fault.when(call) : fault.op === call.op && fault.k === counts[call.op] ? (fault.mode ?? 'refused') : undefined;
      if (mode === undefined) continue;
      fired.add(fault);
      return mode;
    }
    return undefined;
  };
  const hit = (op: FaultOp, stream?: string, types: readonly string[] = [], command: string | undefined = handling): FaultMode | undefined => {
    journal.push({ op, stream, types, command, step: step() });
    return check({ op, stream, types, command });
  };
  const store: EventStore = {
    ...inner,
    appendToStream: async (stream, events, options) => {
      const outbox = stream.startsWith(OUTBOX);
      const claim = outbox && events.some((e) => e.type === 'DispatchClaimed');
      if (outbox && !claim) handling = undefined;
      const types = events.map((e) => e.type);
      const command = outbox ? await outboxCommandType(inner, stream) : handling;
      const mode = hit('appendToStream', stream, types, command);
      if (mode === undefined) {
        const appended = await inner.appendToStream(stream, events, options);
        if (claim && E.isRight(appended)) handling = command;
        return appended;
      }
      injected.push({ op: 'appendToStream', mode, stream, types, command, step: step() });
      if (mode === 'lostAck') await inner.appendToStream(stream, events, options);
      return E.left(unavailable);
    },
    setStreamMetadata: async (stream, metadata, options) => {
      const mode = hit('setStreamMetadata', stream, ['$metadata']);
      if (mode === undefined) return inner.setStreamMetadata(stream, metadata, options);
      injected.push({ op: 'setStreamMetadata', mode, stream, types: ['$metadata'], command: handling, step: step() });
      if (mode === 'lostAck') await inner.setStreamMetadata(stream, metadata, options);
      return E.left(unavailable);
    },
    deleteStream: async (stream, options) => {
      purgeSteps.add(step());
      const mode = hit('deleteStream', stream, ['$streamDeleted']);
      if (mode === undefined) return inner.deleteStream(stream, options);
      injected.push({ op: 'deleteStream', mode, stream, types: ['$streamDeleted'], command: handling, step: step() });
      if (mode === 'lostAck') await inner.deleteStream(stream, options);
      return E.left(unavailable);
    },
    tombstoneStream: async (stream, options) => {
      purgeSteps.add(step());
      const mode = hit('tombstoneStream', stream, ['$streamDeleted']);
      if (mode === undefined) return inner.tombstoneStream(stream, options);
      injected.push({ op: 'tombstoneStream', mode, stream, types: ['$streamDeleted'], command: handling, step: step() });
      if (mode === 'lostAck') await inner.tombstoneStream(stream, options);
      return E.left(unavailable);
    },
    readAll: async (options) => {
      if (hit('readAll') === undefined) return inner.readAll(options);
      injected.push({ op: 'readAll', mode: 'refused', stream: undefined, types: [], command: handling, step: step() });
      return E.left(unavailable);
    },
    readStream: async (stream, options) => {
      if (hit('readStream', stream) === undefined) return inner.readStream(stream, options);
      injected.push({ op: 'readStream', mode: 'refused', stream, types: [], command: handling, step: step() });
      return E.left(unavailable);
    },
  };
  return {
    store,
    inner,
    counts,
    injected: () => [...injected],
    purgeSteps: () => [...purgeSteps],
    journal: () => [...journal],
    disarm: () => (armed = false),
  };
};

/**
 * True when the fault hit the dispatch of one of Lethe's own (internal) commands the way the
 * regression tests in `faults.unit.spec.ts` describe: inside the command's execution (its handler runs
 * Lethe's own command handler on a Lethe stream), or on a claim whose answer was lost (the claim
 * is recorded; this instance does not know it holds it).
 */
export const hitsInternalDispatch = (injected: readonly Injected[]): boolean =>
  injected.some((i) => {
    if (i.command === undefined || hostCommandTypes.includes(i.command)) return false;
    if (i.stream?.startsWith(OUTBOX) === true) return i.mode === 'lostAck' && i.types.includes('DispatchClaimed');
    return true;
  });

// ---------------------------------------------------------------------------------------------
// The scenario
// ---------------------------------------------------------------------------------------------

export const ANA = '7b0c5f7e-1111-4c1e-9a51-000000000001';
export const BEN = '7b0c5f7e-2222-4c1e-9a51-000000000002';
export const CHLOE = '7b0c5f7e-3333-4c1e-9a51-000000000003';
export const DORA = '7b0c5f7e-4444-4c1e-9a51-000000000004';
export const SUBJECTS = [ANA, BEN, CHLOE, DORA] as const;
export const GRANT: Readonly<Record<string, string>> = {
  [ANA]: '9f1e2d3c-0000-4a5b-8c7d-00000000000a',
  [BEN]: '9f1e2d3c-0000-4a5b-8c7d-00000000000b',
  [CHLOE]: '9f1e2d3c-0000-4a5b-8c7d-00000000000c',
  [DORA]: '9f1e2d3c-0000-4a5b-8c7d-00000000000d',
};
export const REQUEST = '5e4d3c2b-0000-4a1b-9c8d-0000000000a1';
export const BREACH = '3c2b1a09-0000-4f1e-8d7c-0000000000b1';

type Outcome = Promise<E.Either<unknown, unknown>>;

/** One thing the host does at a business instant: a host call (with its options) or a tick. */
export interface Step {
  readonly label: string;
  readonly at: string;
  readonly run: (lethe: Lethe, options: CallOptions) => Outcome;
}

export const call = (label: string, at: string, run: (lethe: Lethe, options: CallOptions) => Outcome): Step => ({ label, at, run });
export const tick = (at: string): Step => ({ label: `tick ${at}`, at, run: (lethe) => lethe.tick(Date.parse(at)) });

export const signUp = (id: string, name: string, at: string): Step[] => [
  call(`${name} registers`, at, (l, o) => l.registerSubject({ subjectId: id, jurisdictions: ['EU'], ourRole: { role: 'controller' } }, o)),
  call(`${name} consents`, at, (l, o) =>
    l.grantConsent({ grantId: GRANT[id], subjectId: id, purpose: 'service', method: 'checkbox', preTicked: false }, o),
  ),
  call(`${name} subscribes`, at, (l, o) => l.startSubscription({ subjectId: id, contractId: `sub-${name}` }, o)),
  call(`${name}'s account is collected`, at, (l, o) =>
    l.collectData({ subjectId: id, category: 'client-account', system: 'app-db', source: 'signup', submission: 'explicit' }, o),
  ),
];

export const approvals = (id: string, name: string, at: string, category = 'client-account'): Step[] =>
  ['CEO', 'DPO'].map((role) =>
    call(`${role} approves ${name}'s erasure of ${category}`, at, (l, o) =>
      l.approveErasure({ subjectId: id, category, role, approvedBy: `${role.toLowerCase()}-on-duty` }, o),
    ),
  );

export const confirmations = (id: string, name: string, at: string): Step[] =>
  [{ system: 'app-db' }, { system: 'hetzner-backups' }, { processor: 'hetzner' }].map((target) =>
    call(`${name}'s erasure confirmed on ${JSON.stringify(target)}`, at, (l, o) =>
      l.confirmErasure({ subjectId: id, category: 'client-account', target }, o),
    ),
  );

/**
 * The demo's story (examples/demo.ts), with Chloé's erasure carried through to the end, and a
 * fourth client, Dora, whose erasure the host requests directly: one call that writes two
 * retention streams (a clock started and an erasure requested on each), approved and never
 * confirmed, so that its completion deadline passes and a tick reports it overdue.
 */
export const demoScenario = (): readonly Step[] => [
  ...signUp(ANA, 'ana', '2026-11-02T09:00:00+01:00'),
  ...signUp(BEN, 'ben', '2026-11-02T09:10:00+01:00'),
  ...signUp(CHLOE, 'chloe', '2026-11-02T09:20:00+01:00'),
  ...signUp(DORA, 'dora', '2026-11-02T09:30:00+01:00'),
  call("Ana's widgets collect contacts", '2026-11-03T10:15:00+01:00', (l, o) =>
    l.collectData({ subjectId: ANA, category: 'widget-contacts', system: 'app-db', source: 'widget', submission: 'explicit' }, o),
  ),
  call("Dora's widgets collect contacts", '2026-11-03T10:30:00+01:00', (l, o) =>
    l.collectData({ subjectId: DORA, category: 'widget-contacts', system: 'app-db', source: 'widget', submission: 'explicit' }, o),
  ),
  call('Ana logs in', '2026-11-04T08:00:00+01:00', (l, o) => l.recordActivity({ subjectId: ANA, kind: 'login' }, o)),
  call('Ben withdraws his consent', '2026-11-05T16:40:00+01:00', (l, o) => l.withdrawConsent({ grantId: GRANT[BEN], channel: 'email' }, o)),
  ...approvals(BEN, 'ben', '2026-11-06T11:00:00+01:00'),
  ...confirmations(BEN, 'ben', '2026-11-06T15:00:00+01:00'),
  call('Ana asks for a copy of her data', '2026-11-09T09:30:00+01:00', (l, o) =>
    l.receiveRequest(
      { requestId: REQUEST, subjectId: ANA, requestType: 'access', jurisdiction: 'EU', channel: 'email', receivedAt: '2026-11-09T09:30:00+01:00', role: 'controller' },
      o,
    ),
  ),
  call("Ana's identity is verified", '2026-11-10T12:00:00+01:00', (l, o) =>
    l.verifyIdentity({ requestId: REQUEST, at: '2026-11-10T12:00:00+01:00', method: 'account-login' }, o),
  ),
  call('Chloé cancels her subscription', '2026-11-13T18:00:00+01:00', (l, o) => l.cancelSubscription({ subjectId: CHLOE, contractId: 'sub-chloe' }, o)),
  call("Dora's erasure is requested (two categories, two streams)", '2026-11-16T09:00:00+01:00', (l, o) => l.requestErasure({ subjectId: DORA }, o)),
  ...approvals(DORA, 'dora', '2026-11-17T09:00:00+01:00', 'client-account'),
  ...approvals(DORA, 'dora', '2026-11-17T09:05:00+01:00', 'widget-contacts'),
  call('a breach is detected on a Friday evening', '2026-11-20T19:30:00+01:00', (l, o) =>
    l.reportBreach({ breachId: BREACH, detectedAt: '2026-11-20T19:30:00+01:00', summary: 'exposed database snapshot' }, o),
  ),
  call('awareness is established', '2026-11-20T21:00:00+01:00', (l, o) =>
    l.establishAwareness({ breachId: BREACH, awareAt: '2026-11-20T21:00:00+01:00', role: 'controller' }, o),
  ),
  call('the breach is assessed', '2026-11-21T10:00:00+01:00', (l, o) =>
    l.assessBreach(
      {
        breachId: BREACH,
        assessedAt: '2026-11-21T10:00:00+01:00',
        risk: 'high',
        dataCategories: ['client-account'],
        dataSubjectCategories: ['clients'],
        approxSubjects: 2,
        approxRecords: 2,
        dataUnintelligible: false,
        nature: 'actual',
        cause: 'internal',
        likelyConsequences: 'phishing',
        measures: 'snapshot removed, keys rotated',
        role: 'controller',
      },
      o,
    ),
  ),
  tick('2026-11-23T09:00:00+01:00'),
  call('the authority is notified', '2026-11-23T10:00:00+01:00', (l, o) =>
    l.recordAuthorityNotification(
      {
        breachId: BREACH,
        authorityId: 'bfdi',
        satisfies: ['gdpr.art33.1.notifyAuthority', 'personizely.breach.authorityAndClients'],
        at: '2026-11-23T10:00:00+01:00',
        content: {
          nature: 'exposed database snapshot',
          dataSubjectCategories: ['clients'],
          approxSubjects: 2,
          dataCategories: ['client-account'],
          approxRecords: 2,
          contactPoint: 'dpo',
          likelyConsequences: 'phishing',
          measures: 'snapshot removed, keys rotated',
        },
      },
      o,
    ),
  ),
  tick('2026-11-25T09:00:00+01:00'),
  call("Ana's copy is sent", '2026-11-30T09:00:00+01:00', (l, o) =>
    l.fulfilRequest({ requestId: REQUEST, at: '2026-11-30T09:00:00+01:00', deliveryChannel: 'email' }, o),
  ),
  // Chloé's grace period (90 days from 2026-11-13) has run out: the tick expires her clock.
  tick('2027-02-12T09:00:00+01:00'),
  ...approvals(CHLOE, 'chloe', '2027-02-12T10:00:00+01:00'),
  ...confirmations(CHLOE, 'chloe', '2027-02-13T10:00:00+01:00'),
  tick('2027-02-20T09:00:00+01:00'),
];

// ---------------------------------------------------------------------------------------------
// The careful host
// ---------------------------------------------------------------------------------------------

/** A command as a host handler received it. */
export interface Delivery {
  readonly commandId: string;
  readonly type: string;
  readonly data: JsonValue;
}

/** A step the host gave up on (its last error). */
export interface Stuck {
  readonly step: number;
  readonly label: string;
  readonly error: unknown;
}

/** What a run leaves behind. */
export interface RunResult {
  readonly deliveries: readonly Delivery[];
  /** Every Left a step returned, in order (with the step's index). */
  readonly lefts: readonly { readonly step: number; readonly label: string; readonly tag: string }[];
  readonly stuck: readonly Stuck[];
  readonly injected: readonly Injected[];
  /** The steps during which an erased subject's streams were purged. */
  readonly purgeSteps: readonly number[];
  /** Every port call the scenario made, in order. */
  readonly journal: readonly Call[];
  /** Port calls made by the scenario, by operation. */
  readonly counts: Readonly<Record<FaultOp, number>>;
  readonly pending: readonly string[];
  readonly failed: readonly string[];
  readonly subjects: Readonly<Record<string, unknown>>;
  readonly obligations: readonly unknown[];
  readonly timelines: Readonly<Record<string, readonly string[]>>;
  readonly canProcess: Readonly<Record<string, boolean>>;
  /** The whole log (system events left out). */
  readonly log: readonly RecordedEvent[];
}

/** The policy of a run, and how the host behaves beyond retrying. */
export interface RunOptions {
  /** The policy document (default: the demo's, {@link demoPolicy}). */
  readonly policy?: Record<string, unknown>;
  /** Calls `settle()` before retrying a failed step (what a cautious host might do; the outcome must be the same). */
  readonly settleBeforeRetry?: boolean;
}

const START = Date.parse('2026-11-02T08:00:00Z');
/** How often the host retries one step before it gives up on it. */
const MAX_ATTEMPTS = 4;

const tagOf = (error: unknown): string => {
  const tag = (error as { _tag?: unknown } | undefined)?._tag;
  const rejection = (error as { rejection?: { _tag?: unknown } } | undefined)?.rejection?._tag;
  return typeof tag === 'string' ? (typeof rejection === 'string' ? `${tag}:${rejection}` : tag) : 'unknown';
};

/** A JSON copy with every object's keys in order (bigints as strings): equal views compare equal whatever their build order. */
export const plain = (value: unknown): unknown =>
  value === undefined
    ? undefined
    : JSON.parse(
    JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'bigint'
        ? String(v)
        : typeof v === 'object' && v !== null && !Array.isArray(v)
          ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
          : v,
    ),
  );

/**
 * Runs `steps` on a fresh in-memory store with a simulated clock set to each step's instant, as a
 * careful host: every call has a `commandId` (`step-<index>`), a Left is retried with the same
 * one, at most {@link MAX_ATTEMPTS} times. When the fault asks for a restart, the Lethe is
 * discarded right after the attempt the fault hit, and a new one (on the same store and clock,
 * another instance id) takes over. Returns what the run leaves behind.
 */
export const runScenario = async (steps: readonly Step[], fault?: Fault | readonly Fault[], options: RunOptions = {}): Promise<RunResult> => {
  const clock = simulatedClock(START);
  const faults: readonly Fault[] = fault === undefined ? [] : Array.isArray(fault) ? (fault as readonly Fault[]) : [fault as Fault];
  const restart = faults.some((f) => f.restart === true);
  let current = 0;
  const faulty = faultyStore(getInMemoryEventStore({ clock }), faults, () => current);
  const deliveries: Delivery[] = [];
  const record: CommandHandler = (command) => {
    deliveries.push({ commandId: command.commandId, type: command.type, data: command.data });
    return E.right(undefined);
  };
  const handlers = Object.fromEntries(hostCommandTypes.map((t) => [t, record]));
  const make = (instanceId: string): Lethe => {
    const created = createLethe({ policy: options.policy ?? demoPolicy(), store: faulty.store, clock, handlers, instanceId });
    if (E.isLeft(created)) throw new Error(JSON.stringify(created.left));
    return created.right;
  };
  let lethe = make('instance-1');
  let restarted = false;
  const lefts: { step: number; label: string; tag: string }[] = [];
  const stuck: Stuck[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as Step;
    current = i;
    clock.set(Date.parse(step.at));
    let last: unknown;
    let done = false;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && !done; attempt++) {
      const result = await step.run(lethe, { at: step.at, commandId: `step-${i}` });
      if (E.isRight(result)) done = true;
      else {
        last = result.left;
        lefts.push({ step: i, label: step.label, tag: tagOf(result.left) });
      }
      // The process dies right after the attempt the fault hit (whether or not the call saw it).
      if (restart && !restarted && faulty.injected().length > 0) {
        restarted = true;
        lethe = make('instance-2');
      }
      if (!done && options.settleBeforeRetry === true) await lethe.settle();
    }
    if (!done) stuck.push({ step: i, label: step.label, error: plain(last) });
  }
  const counts = { ...faulty.counts };
  faulty.disarm();
  const pending = await lethe.pendingCommands();
  const failed = await lethe.failedCommands();
  const log = await faulty.inner.readAll({ filter: { excludeSystemEvents: true } });
  if (E.isLeft(pending) || E.isLeft(failed) || E.isLeft(log)) throw new Error('reading the results failed');
  return {
    deliveries,
    lefts,
    stuck,
    injected: faulty.injected(),
    purgeSteps: faulty.purgeSteps(),
    journal: faulty.journal().slice(0, Object.values(counts).reduce((a, b) => a + b, 0)),
    counts,
    pending: pending.right.map((p) => `${p.command.type} ${p.status} ${p.command.commandId}`),
    failed: failed.right.map((p) => `${p.command.type} ${p.lastFailure ?? ''} ${p.command.commandId}`),
    subjects: Object.fromEntries(SUBJECTS.map((s) => [s, plain(lethe.subject(s))])),
    obligations: lethe
      .obligations()
      .map((o) => plain({ id: o.id, ruleId: o.rule.ruleId, entity: o.entity, subjectId: o.subjectId, category: o.category, state: o.state, dueAt: o.dueAt })),
    timelines: Object.fromEntries(SUBJECTS.map((s) => [s, lethe.timeline(s).map((e) => e.type)])),
    canProcess: Object.fromEntries(SUBJECTS.map((s) => [s, lethe.canProcess(s, 'service').allowed])),
    log: log.right,
  };
};

// ---------------------------------------------------------------------------------------------
// What is compared
// ---------------------------------------------------------------------------------------------

/** The record with its keys in order, so that two records compare equal whatever the order they were built in. */
const sorted = <V>(record: Record<string, V>): Record<string, V> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const CHECKPOINT = 'lethe.checkpoint-';

/** The events of Lethe's own domain streams (subject, consent, retention, request, breach), by stream: type and data. */
export const domainStreams = (log: readonly RecordedEvent[]): Record<string, string[]> => {
  const streams: Record<string, string[]> = {};
  for (const e of log) {
    if (!e.streamName.startsWith('lethe.') || e.streamName.startsWith(OUTBOX) || e.streamName.startsWith(CHECKPOINT)) continue;
    (streams[e.streamName] ??= []).push(`${e.type} ${JSON.stringify(e.data)}`);
  }
  return sorted(streams);
};

/** The commands emitted into the outbox, by command id: type and data. */
export const emittedCommands = (log: readonly RecordedEvent[]): Record<string, string> => {
  const emitted: Record<string, string> = {};
  for (const e of log)
    if (e.streamName.startsWith(OUTBOX) && e.type === 'CommandEmitted') {
      const d = e.data as { commandId: string; command: unknown };
      emitted[d.commandId] = JSON.stringify(d.command);
    }
  return sorted(emitted);
};

/** Per outbox stream, how many times the command was acknowledged. */
export const acknowledgements = (log: readonly RecordedEvent[]): Record<string, number> => {
  const acks: Record<string, number> = {};
  for (const e of log)
    if (e.streamName.startsWith(OUTBOX)) {
      const id = e.streamName.slice(OUTBOX.length);
      acks[id] = (acks[id] ?? 0) + (e.type === 'CommandAcknowledged' ? 1 : 0);
    }
  return sorted(acks);
};

/** Event ids found more than once in the log. */
export const duplicateEventIds = (log: readonly RecordedEvent[]): string[] => {
  const seen = new Set<string>();
  const twice: string[] = [];
  for (const e of log) {
    if (seen.has(e.id)) twice.push(`${e.id} (${e.streamName} ${e.type})`);
    seen.add(e.id);
  }
  return twice;
};

/** How many events of each (stream, metadata.commandId, type) the log holds, for events written under a command id. */
export const commandIdTypes = (log: readonly RecordedEvent[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const e of log) {
    const commandId = (e.metadata as { commandId?: unknown } | undefined)?.commandId;
    if (typeof commandId !== 'string') continue;
    const key = `${e.streamName} ${commandId} ${e.type}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
};

/** Host deliveries as a set: one entry per command id, type and data. */
export const deliveredSet = (deliveries: readonly Delivery[]): Record<string, string> =>
  sorted(Object.fromEntries(deliveries.map((d) => [d.commandId, `${d.type} ${JSON.stringify(d.data)}`])));

/**
 * How two runs' host deliveries differ (commands lost, extra, or with other data), or undefined
 * when they are the same set.
 */
export const deliveryDifference = (got: Readonly<Record<string, string>>, want: Readonly<Record<string, string>>): string | undefined => {
  const lost = Object.keys(want).filter((id) => got[id] === undefined);
  const extra = Object.keys(got).filter((id) => want[id] === undefined);
  const changed = Object.keys(got).filter((id) => want[id] !== undefined && want[id] !== got[id]);
  return lost.length + extra.length + changed.length === 0
    ? undefined
    : `host commands differ: lost ${lost.map((id) => want[id]?.split(' ')[0]).join(', ')}; extra ${extra.map((id) => got[id]?.split(' ')[0]).join(', ')}; changed ${changed.length}`;
};

/** Command ids handed to a host handler more than once. */
export const redelivered = (deliveries: readonly Delivery[]): string[] => {
  const counts = new Map<string, number>();
  for (const d of deliveries) counts.set(d.commandId, (counts.get(d.commandId) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([id]) => id);
};

/**
 * The commands a fault may have made the dispatcher hand to a handler twice: only the one whose
 * acknowledgement the store refused (the handler ran; the outcome was not recorded).
 */
export const mayBeRedelivered = (injected: readonly Injected[]): string[] =>
  injected.flatMap((i) =>
    i.op === 'appendToStream' && i.mode === 'refused' && i.stream?.startsWith(OUTBOX) === true && i.types.includes('CommandAcknowledged')
      ? [i.stream.slice(OUTBOX.length)]
      : [],
  );
