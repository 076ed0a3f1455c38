/**
 * Test fixtures of the requests, breaches and sub-processors area: policy documents modelled on
 * the seeds (an EU controller in Paris, a CCPA business in Los Angeles, Softpire's "twice a year",
 * processors with the Instaply, InfluencerSoft and Personizely breach clauses, Convertful's
 * objection window), and a pure harness that runs builders through the deciders, the registers
 * and the reactions without an engine. Not part of the build.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { LetheEvent, ReactionResult } from '../engine/index.js';
import { decodePolicy, formatProblems } from '../policy/index.js';
import type { PolicyDocument } from '../policy/index.js';
import { incidentsArea } from './incidents.js';
import type { BuildResult, CommandBuilder } from './incidents.js';
import { letheStreams } from './streams.js';

const base = (overrides: Record<string, unknown>): Record<string, unknown> => ({
  version: '2026.1',
  effectiveFrom: '2026-01-01T00:00:00Z',
  controller: { name: 'Example SAS' },
  role: 'controller',
  calendar: { zone: 'Europe/Paris', holidays: ['2026-01-01', '2026-11-11', '2026-12-25'] },
  categories: [],
  purposes: [],
  requests: { rulebooks: ['gdpr'] },
  breaches: { rulebooks: ['gdpr'] },
  erasure: { restrictWhilePending: false },
  ...overrides,
});

/** Decodes a document or throws with its problems (fixtures only). */
export const policyOf = (input: Record<string, unknown>): PolicyDocument => {
  const r = decodePolicy(input);
  if (E.isLeft(r)) throw new Error(formatProblems(r.left));
  return r.right;
};

/** An EU controller in Paris: GDPR requests and breaches. */
export const euPolicy = (): PolicyDocument => policyOf(base({}));

/** An EU controller also bound by the LGPD for breaches (two authorities). */
export const euBrazilPolicy = (): PolicyDocument => policyOf(base({ breaches: { rulebooks: ['gdpr', 'lgpd'] } }));

/** A CCPA business in Los Angeles (requests to know: 2 per rolling 12 months). */
export const ccpaPolicy = (): PolicyDocument =>
  policyOf(base({ calendar: { zone: 'America/Los_Angeles', holidays: [] }, requests: { rulebooks: ['ccpa'] } }));

/** Softpire (SP-12): the CCPA plus its own promise, twice per calendar year. */
export const softpirePolicy = (): PolicyDocument =>
  policyOf(
    base({
      calendar: { zone: 'America/Los_Angeles', holidays: [] },
      requests: {
        rulebooks: ['ccpa'],
        rules: [
          {
            id: 'contract.requests.twiceAYear',
            title: 'Disclose up to twice every year',
            citation: 'Softpire privacy policy, CCPA section (SP-12): "up to multiple times every year", read per calendar year',
            trigger: 'RequestReceived',
            clockStart: 'receipt',
            requestKinds: ['access', 'portability'],
            frequencyLimit: { count: 2, per: 'calendarYear', requestKinds: ['access', 'portability'], citation: 'Softpire SP-12' },
            satisfiedBy: ['RequestFulfilled'],
            onMissed: { event: 'ObligationOverdue' },
          },
        ],
      },
    }),
  );

/** Instaply (IN-19): processor; the customer within 24 hours of awareness. */
export const instaplyPolicy = (): PolicyDocument =>
  policyOf(
    base({
      role: 'processor',
      breaches: {
        rulebooks: ['gdpr'],
        duties: [
          {
            id: 'contract.breach.notifyCustomer24h',
            title: 'Inform the customer concerned within 24 hours of becoming aware',
            citation: 'Instaply privacy policy (IN-19)',
            trigger: 'BreachAwarenessEstablished',
            clockStart: 'awareness',
            action: 'NotifyController',
            period: 'PT24H',
            satisfiedBy: ['ControllerNotified'],
            onMissed: { event: 'ObligationOverdue' },
          },
        ],
      },
    }),
  );

/** InfluencerSoft (IS-21, IS-22): processor; the customer after awareness and confirmation, causes excluded. */
export const influencerSoftPolicy = (): PolicyDocument =>
  policyOf(
    base({
      role: 'processor',
      breaches: {
        rulebooks: ['gdpr'],
        duties: [
          {
            id: 'contract.breach.notifyCustomerAfterConfirmation',
            title: 'Notify the customer after becoming aware of and confirming a breach',
            citation: 'InfluencerSoft policy (IS-21, IS-22)',
            trigger: 'BreachConfirmed',
            clockStart: 'awarenessAndConfirmation',
            action: 'NotifyController',
            target: { kind: 'withoutUndueDelay', hostTarget: 'PT24H' },
            condition: { notifiableUnderLaw: true },
            excludedCauses: ['customer', 'customerAccount', 'thirdPartyService'],
            scope: 'actualOrThreatened',
            satisfiedBy: ['ControllerNotified'],
            onMissed: { event: 'ObligationOverdue' },
          },
        ],
      },
    }),
  );

/** Personizely (PZ-26 with 7.2): processor; the controller within 72 hours, actual breaches only. */
export const personizelyPolicy = (): PolicyDocument =>
  policyOf(
    base({
      role: 'processor',
      breaches: {
        rulebooks: ['gdpr'],
        duties: [
          {
            id: 'contract.breach.notifyController72h',
            title: 'Processor: notify the controller within 72 hours of an actual breach',
            citation: 'Personizely DPA 7.1-7.2 (PZ-26)',
            trigger: 'BreachAwarenessEstablished',
            clockStart: 'awareness',
            action: 'NotifyController',
            period: 'PT72H',
            scope: 'actual',
            satisfiedBy: ['ControllerNotified'],
            onMissed: { event: 'ObligationOverdue' },
          },
        ],
      },
    }),
  );

/** Convertful (CF-11): processor with a sub-processor register, 10 calendar days to object. */
export const convertfulPolicy = (options: { readonly advanceNotice?: boolean } = {}): PolicyDocument =>
  policyOf(
    base({
      role: 'processor',
      processors: {
        subProcessors: [{ id: 'aws', name: 'Amazon Web Services', location: 'EU' }],
        objectionWindow: 'P10D',
        objectionClockStart: 'noticeReceipt',
        ...(options.advanceNotice === true ? { changeNoticeInAdvance: 'P14D' } : {}),
        citation: 'Convertful DPA (CF-11)',
      },
    }),
  );

/** Ids used by the tests (uuids; no personal data anywhere). */
export const ids = {
  subject: '11111111-1111-4111-8111-111111111111',
  subject2: '22222222-2222-4222-8222-222222222222',
  request1: 'a1000000-0000-4000-8000-000000000001',
  request2: 'a1000000-0000-4000-8000-000000000002',
  request3: 'a1000000-0000-4000-8000-000000000003',
  request4: 'a1000000-0000-4000-8000-000000000004',
  breach1: 'b1000000-0000-4000-8000-000000000001',
  breach2: 'b1000000-0000-4000-8000-000000000002',
  register: 'c1000000-0000-4000-8000-000000000001',
} as const;

/** What one executed command did in the harness. */
export interface HarnessStep {
  readonly events: readonly LetheEvent[];
  /** Reaction results per event, by reaction name. */
  readonly reactions: readonly Readonly<Record<string, ReactionResult>>[];
}

/**
 * A pure harness: runs a builder's commands through the stream kinds' deciders, folds the area's
 * registers and calls its reactions for each new event, as the engine would (without the outbox,
 * timers or stores). Throws on a builder or decider rejection unless `expectLeft` is used.
 */
export const harness = (policy: PolicyDocument) => {
  const projections = incidentsArea.projections;
  const reactions = incidentsArea.reactions(policy);
  let views: Record<string, unknown> = Object.fromEntries(Object.entries(projections).map(([n, p]) => [n, p.init()]));
  const streams = new Map<string, { kind: string; events: { type: string; data: unknown }[] }>();
  let position = 0n;

  const exec = (built: BuildResult): E.Either<unknown, HarnessStep> => {
    if (E.isLeft(built)) return built;
    const events: LetheEvent[] = [];
    const results: Record<string, ReactionResult>[] = [];
    for (const b of built.right) {
      const kind = letheStreams[b.kind];
      const name = kind.streamName(b.command as never);
      const stream = streams.get(name) ?? { kind: b.kind, events: [] };
      const decider = kind.decider as unknown as {
        initialState: () => unknown;
        decide: (c: unknown, s: unknown) => E.Either<unknown, readonly { type: string; data: unknown }[]>;
        evolve: (s: unknown, e: unknown) => unknown;
      };
      const state = stream.events.reduce(decider.evolve, decider.initialState());
      const decided = decider.decide(b.command, state);
      if (E.isLeft(decided)) return decided;
      for (const ev of decided.right) {
        // Round-trip through JSON, as the store would.
        const stored = JSON.parse(JSON.stringify(ev)) as { type: string; data: unknown };
        stream.events.push(stored);
        position += 1n;
        const event = {
          kind: b.kind,
          streamName: name,
          revision: BigInt(stream.events.length - 1),
          position: { commit: position, prepare: position },
          event: stored,
          metadata: {
            eventId: `e${position.toString().padStart(7, '0')}-0000-4000-8000-000000000000`,
            occurredAt: b.occurredAt,
            recordedAt: b.occurredAt,
            causationId: 'c',
            correlationId: 'c',
            actor: 'test',
          },
        } as unknown as LetheEvent;
        views = Object.fromEntries(Object.entries(projections).map(([n, p]) => [n, p.apply(views[n], event)]));
        events.push(event);
        results.push(Object.fromEntries(Object.entries(reactions).map(([n, r]) => [n, r.react(event, { views })])));
      }
      streams.set(name, stream);
    }
    return E.right({ events, reactions: results });
  };

  return {
    views: () => views,
    /** Builds and executes at `at` (ISO; passed to the builder as epoch ms); returns the builder's or the decider's Left as is. */
    tryRun: (builder: CommandBuilder, input: unknown, at: string) => exec(builder(policy, views, input, Date.parse(at))),
    /** Builds and executes; throws on a Left (with its tag only). */
    run: (builder: CommandBuilder, input: unknown, at: string): HarnessStep => {
      const r = exec(builder(policy, views, input, Date.parse(at)));
      if (E.isLeft(r)) throw new Error(`unexpected Left: ${JSON.stringify(r.left)}`);
      return r.right;
    },
  };
};

/** Every command the reactions of one step emitted, in order. */
export const commandsOf = (step: HarnessStep) =>
  step.reactions.flatMap((byName) => Object.values(byName).flatMap((r) => r.commands ?? []));

/** Every timer the reactions of one step set, in order. */
export const timersOf = (step: HarnessStep) =>
  step.reactions.flatMap((byName) => Object.values(byName).flatMap((r) => r.timers ?? []));

/** Every timer key the reactions of one step cancelled, in order. */
export const cancelledOf = (step: HarnessStep) =>
  step.reactions.flatMap((byName) => Object.values(byName).flatMap((r) => r.cancelTimers ?? []));
