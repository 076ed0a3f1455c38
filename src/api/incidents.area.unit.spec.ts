/**
 * Area integration: the engine over the in-memory store with the six stream kinds and the
 * requests, breaches and sub-processors area (registers, reactions, timers), host commands
 * recorded by stub handlers, a simulated clock. Business time runs in the policy's calendar,
 * Europe/Paris (CET = UTC+1 in winter, CEST = UTC+2 from the last Sunday of March): day-based
 * deadlines end at 23:59:59.999 Paris time; overdue timers fire one millisecond after.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { createEngine, routeToStreamKind, type CommandHandler, type OutboxCommand } from '../engine/index.js';
import type { PolicyDocument } from '../policy/index.js';
import { incidentHostCommandTypes } from '../policy/reactions/incidentCommands.js';
import { breachOf, type BreachRegisterState } from '../projections/breachRegister.js';
import { requestOf, type RequestRegisterState } from '../projections/requestRegister.js';
import { getInMemoryEventStore } from '../store/index.js';
import { simulatedClock, type SimulatedClock } from '../time/index.js';
import type { EventStore } from '../store/index.js';
import { euPolicy, ids } from './incidents.fixture.js';
import {
  assessBreach,
  establishAwareness,
  extendRequest,
  fulfilRequest,
  incidentsArea,
  receiveRequest,
  recordAuthorityNotification,
  reportBreach,
  verifyIdentity,
  type CommandBuilder,
  type IncidentsApiError,
} from './incidents.js';
import { settle } from './settle.js';
import { letheStreams } from './streams.js';

const ms = (iso: string) => Date.parse(iso);
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x));

const setup = (policy: PolicyDocument, start: string, shared?: { readonly store: EventStore; readonly clock: SimulatedClock }) => {
  const clock = shared?.clock ?? simulatedClock(ms(start));
  const store = shared?.store ?? getInMemoryEventStore({ clock });
  const host: OutboxCommand[] = [];
  const record: CommandHandler = (command) => {
    host.push(command);
    return E.right(undefined);
  };
  const internal = Object.fromEntries(Object.entries(incidentsArea.internalCommands).map(([type, kind]) => [type, routeToStreamKind(kind)]));
  const created = createEngine({
    store,
    clock,
    streams: letheStreams,
    projections: incidentsArea.projections,
    reactions: incidentsArea.reactions(policy),
    timerHandlers: incidentsArea.timerHandlers(policy),
    commandHandlers: { ...internal, ...Object.fromEntries(incidentHostCommandTypes.map((type) => [type, record])) },
  });
  if (E.isLeft(created)) throw new Error(created.left._tag);
  const engine = created.right;
  const views = () => Object.fromEntries(Object.keys(incidentsArea.projections).map((name) => [name, engine.projection(name as never)]));
  const settled = async (now: number) => {
    const r = await settle(engine, now);
    if (E.isLeft(r)) throw new Error(`settle failed: ${r.left._tag}`);
    expect(r.right.failed).toEqual([]);
  };
  /** A host API call the way the facade makes it: build, execute each command in order, settle. */
  const attempt = async (builder: CommandBuilder, input: unknown, at: string): Promise<E.Either<IncidentsApiError | { _tag: string }, void>> => {
    clock.set(ms(at));
    const built = builder(policy, views(), input, ms(at));
    if (E.isLeft(built)) return built;
    for (const b of built.right) {
      const done = await engine.execute({ kind: b.kind, command: b.command, occurredAt: b.occurredAt, actor: 'host-test' } as never);
      if (E.isLeft(done)) return E.left(done.left as { _tag: string });
    }
    await settled(ms(at));
    return E.right(undefined);
  };
  const call = async (builder: CommandBuilder, input: unknown, at: string) => {
    const r = await attempt(builder, input, at);
    if (E.isLeft(r)) throw new Error(`call failed: ${json(r.left)}`);
  };
  const tick = async (at: string) => {
    clock.set(ms(at));
    const r = await engine.tick(ms(at));
    if (E.isLeft(r)) throw new Error(r.left._tag);
    await settled(ms(at));
    return r.right;
  };
  const hostOf = (type: string) => host.filter((c) => c.type === type);
  return { engine, views, attempt, call, tick, host, hostOf, store, clock };
};

const request = (requestId: string, overrides: Record<string, unknown> = {}) => ({
  requestId,
  subjectId: ids.subject,
  requestType: 'access',
  jurisdiction: 'FR',
  channel: 'email',
  ...overrides,
});

describe('incidents area on the engine', () => {
  it('requests: answered in time after an extension; an unanswered one is overdue exactly once', async () => {
    const app = setup(euPolicy(), '2026-01-31T09:00:00.000+01:00');
    await app.call(receiveRequest, request(ids.request1), '2026-01-31T10:00:00.000+01:00');
    expect(app.hostOf('RespondToRequest').map((c) => c.data)).toEqual([
      expect.objectContaining({ requestId: ids.request1, dueAt: '2026-02-28T23:59:59.999+01:00' }),
    ]);
    await app.call(receiveRequest, request(ids.request2, { requestType: 'erasure' }), '2026-02-02T09:00:00.000+01:00');
    await app.call(extendRequest, { requestId: ids.request1, reason: 'many systems to search' }, '2026-02-20T10:00:00.000+01:00');
    await app.call(verifyIdentity, { requestId: ids.request1, method: 'emailLink' }, '2026-02-21T10:00:00.000+01:00');
    expect(app.hostOf('ExportSubjectData').map((c) => c.data)).toEqual([
      expect.objectContaining({ requestId: ids.request1, format: 'common', dueAt: '2026-04-30T23:59:59.999+02:00' }),
    ]);

    // Request 2 (received 2 February) is due at the end of 2 March: on time up to the last millisecond.
    await app.tick('2026-03-02T23:59:59.999+01:00');
    expect(app.hostOf('ObligationOverdue')).toEqual([]);
    await app.tick('2026-03-03T00:00:00.000+01:00');
    await app.tick('2026-03-04T09:00:00.000+01:00');
    await app.tick('2026-03-05T09:00:00.000+01:00');
    const overdue = app.hostOf('ObligationOverdue');
    expect(overdue.map((c) => c.data)).toEqual([
      {
        entity: { kind: 'request', id: ids.request2 },
        ruleId: 'gdpr.art12.3.respond',
        dueAt: '2026-03-02T23:59:59.999+01:00',
        citation: 'GDPR Art. 12(3)',
        explanation: expect.stringContaining('2026-03-02'),
        lateNoticeNeedsReasons: false,
        duty: 'RespondToRequest',
      },
    ]);
    // Business time of the command: the first overdue instant, in UTC.
    expect(overdue[0]?.occurredAt).toBe('2026-03-02T23:00:00.000Z');

    // Request 1 was extended to 30 April: its old due instant passed without a report; answered in time.
    await app.call(fulfilRequest, { requestId: ids.request1, deliveryChannel: 'email' }, '2026-03-10T10:00:00.000+01:00');
    await app.tick('2026-05-01T09:00:00.000+02:00');
    expect(app.hostOf('ObligationOverdue')).toHaveLength(1);
    const register = app.views()['requestRegister'] as RequestRegisterState;
    expect(requestOf(register, ids.request1)).toMatchObject({ status: 'fulfilled', dueAt: '2026-04-30T23:59:59.999+02:00' });
    expect(requestOf(register, ids.request2)?.status).toBe('open');
    expect(app.engine.timer(`request:${ids.request1}:respond`)).toBeUndefined();
    expect(app.engine.timer(`request:${ids.request2}:respond`)).toBeUndefined();

    // A restarted engine replays its reactions (rebuilding timers) and fires nothing twice.
    const restarted = setup(euPolicy(), '', { store: app.store, clock: app.clock });
    await restarted.tick('2026-05-02T09:00:00.000+02:00');
    expect(restarted.host).toEqual([]);
  });

  it('breaches: authority and subjects with exact due instants; a late notice needs reasons', async () => {
    const app = setup(euPolicy(), '2026-11-20T14:00:00.000+01:00');
    await app.call(reportBreach, { breachId: ids.breach1, summary: 'misdirected export' }, '2026-11-20T15:00:00.000+01:00');
    await app.call(establishAwareness, { breachId: ids.breach1 }, '2026-11-20T17:00:00.000+01:00');
    await app.call(
      assessBreach,
      {
        breachId: ids.breach1,
        risk: 'high',
        dataCategories: ['contact'],
        dataSubjectCategories: ['customers'],
        approxSubjects: 1200,
        approxRecords: 5000,
        dataUnintelligible: false,
        nature: 'actual',
        cause: 'internal',
        likelyConsequences: 'phishing',
        measures: 'passwords reset',
      },
      '2026-11-21T09:00:00.000+01:00',
    );
    expect(app.host.map((c) => [c.type, (c.data as Record<string, unknown>)['dueAt'], (c.data as Record<string, unknown>)['hostTargetAt'] ?? null])).toEqual([
      ['NotifySupervisoryAuthority', '2026-11-23T17:00:00.000+01:00', '2026-11-22T17:00:00.000+01:00'],
      ['NotifyDataSubjects', '2026-11-23T17:00:00.000+01:00', null],
    ]);

    await app.tick('2026-11-23T17:00:00.000+01:00');
    expect(app.hostOf('ObligationOverdue')).toEqual([]);
    await app.tick('2026-11-23T17:00:00.001+01:00');
    await app.tick('2026-11-23T18:00:00.000+01:00');
    // Only the 72-hour legal limit is overdue; Art. 34 gives no number, so its host target passing
    // emits nothing and the obligations view shows the duty as due.
    expect(app.hostOf('ObligationOverdue').map((c) => [(c.data as Record<string, unknown>)['ruleId'], c.occurredAt])).toEqual([
      ['gdpr.art33.1.notifyAuthority', '2026-11-23T16:00:00.001Z'],
    ]);

    const content = {
      nature: 'n',
      dataSubjectCategories: ['customers'],
      approxSubjects: 1200,
      dataCategories: ['contact'],
      approxRecords: 5000,
      contactPoint: 'dpo',
      likelyConsequences: 'c',
      measures: 'm',
    };
    const late = '2026-11-24T09:00:00.000+01:00';
    expect(await app.attempt(recordAuthorityNotification, { breachId: ids.breach1, authorityId: 'cnil', content }, late)).toEqual(
      E.left({ _tag: 'Rejected', stream: `lethe.breach-${ids.breach1}`, rejection: { _tag: 'DelayReasonsRequired', ruleIds: ['gdpr.art33.1.notifyAuthority'], citations: ['GDPR Art. 33(1)'] } }),
    );
    await app.call(recordAuthorityNotification, { breachId: ids.breach1, authorityId: 'cnil', content, delayReasons: 'forensic analysis over the weekend' }, late);
    const breach = breachOf(app.views()['breachRegister'] as BreachRegisterState, ids.breach1);
    expect(breach?.obligations['gdpr.art33.1.notifyAuthority']?.settled).toEqual({ by: 'notification', eventType: 'AuthorityNotified', at: late });
    expect(breach?.obligations['gdpr.art34.1.notifySubjects']?.settled).toBeNull();
    await app.tick('2026-11-25T09:00:00.000+01:00');
    expect(app.hostOf('ObligationOverdue')).toHaveLength(1);
  });
});
