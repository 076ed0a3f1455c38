/**
 * Area integration: the engine over the in-memory store with the six stream kinds and the
 * lifecycle area (projections, reactions, timers), internal commands routed back to their stream
 * kinds and host commands recorded. Business time runs in the policy's calendar, Europe/Dublin
 * (GMT in winter, IST = UTC+1 from the last Sunday of March): day-based deadlines end at
 * 23:59:59.999 Dublin time.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { createEngine, routeToStreamKind, type CommandHandler, type OutboxCommand } from '../engine/index.js';
import { retentionClockId } from '../model/shared.js';
import type { PolicyDocument } from '../policy/document.js';
import { retentionTimerKey } from '../policy/reactions/lifecycle.js';
import { lifecycleHostCommandTypes } from '../policy/reactions/lifecycleCommands.js';
import { clockFor, clockStatus } from '../projections/retentionSchedule.js';
import { subjectOf } from '../projections/subjectView.js';
import { getInMemoryEventStore } from '../store/index.js';
import { simulatedClock } from '../time/index.js';
import { GRANT, SUBJECT, lifecyclePolicy } from './lifecycle.fixture.js';
import { canProcess, lifecycleArea, lifecycleBuilders, type CommandBuilder } from './lifecycle.js';
import { settle } from './settle.js';
import { letheStreams } from './streams.js';

const iso = (s: string) => Date.parse(s);

const setup = (policy: PolicyDocument, start: string) => {
  const clock = simulatedClock(iso(start));
  const store = getInMemoryEventStore({ clock });
  const host: OutboxCommand[] = [];
  const record: CommandHandler = (command) => {
    host.push(command);
    return E.right(undefined);
  };
  const internal = Object.fromEntries(Object.entries(lifecycleArea.internalCommands).map(([type, kind]) => [type, routeToStreamKind(kind)]));
  const hostHandlers = Object.fromEntries(lifecycleHostCommandTypes.map((type) => [type, record]));
  const created = createEngine({
    store,
    clock,
    streams: letheStreams,
    projections: lifecycleArea.projections,
    reactions: lifecycleArea.reactions(policy),
    timerHandlers: lifecycleArea.timerHandlers(policy),
    commandHandlers: { ...internal, ...hostHandlers },
  });
  if (E.isLeft(created)) throw new Error(created.left._tag);
  const engine = created.right;
  const views = () => ({
    subjectView: engine.projection('subjectView'),
    consentLedger: engine.projection('consentLedger'),
    retentionSchedule: engine.projection('retentionSchedule'),
  });
  const settled = async (now: number) => {
    const r = await settle(engine, now);
    if (E.isLeft(r)) throw new Error(`settle failed: ${r.left._tag}`);
    expect(r.right.failed).toEqual([]);
    expect(r.right.retrying).toEqual([]);
  };
  /** Runs a host API call at `at` the way the facade does: build, execute each request, settle. */
  const call = async (builder: CommandBuilder, input: unknown, at: string) => {
    clock.set(iso(at));
    const built = builder(policy, views(), input, iso(at));
    if (E.isLeft(built)) throw new Error(`${built.left._tag} at ${built.left.path}: ${built.left.message}`);
    for (const request of built.right) {
      const done = await engine.execute({ ...request, occurredAt: at, actor: 'host-test' } as never);
      if (E.isLeft(done)) throw new Error(`execute failed: ${JSON.stringify(done.left, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
    }
    await settled(iso(at));
  };
  const tick = async (at: string) => {
    clock.set(iso(at));
    const r = await engine.tick(iso(at));
    if (E.isLeft(r)) throw new Error(r.left._tag);
    await settled(iso(at));
    return r.right;
  };
  const hostOf = (type: string) => host.filter((c) => c.type === type).map((c) => c.data);
  return { engine, views, call, tick, host, hostOf };
};

const b = lifecycleBuilders;
const register = (subjectId = SUBJECT) => ({ subjectId, jurisdictions: ['IE'], ourRole: { role: 'controller' } });
const widget = (submission: 'explicit' | 'passive' = 'explicit') => ({
  subjectId: SUBJECT,
  category: 'widget-leads',
  system: 'app-db',
  source: 'widget',
  submission,
});

describe('lifecycle area on the engine', () => {
  it('Convertful: 365 days after the last explicit widget submission, erasure starts and must complete in 30 days', async () => {
    const w = setup(lifecyclePolicy(), '2026-03-01T09:00:00Z');
    const clockId = retentionClockId(SUBJECT, 'widget-leads');
    await w.call(b.registerSubject, register(), '2026-03-01T09:00:00Z');
    await w.call(b.collectData, widget(), '2026-03-10T14:00:00Z');
    // 2026-03-10 not counted; day 365 is 2027-03-10; Dublin is on GMT then.
    expect(clockFor(w.views().retentionSchedule, SUBJECT, 'widget-leads')?.deadline.dueAt).toBe('2027-03-10T23:59:59.999Z');
    expect(w.engine.timer(retentionTimerKey(clockId))?.at).toBe(iso('2027-03-10T23:59:59.999Z'));

    await w.call(b.recordActivity, { subjectId: SUBJECT, kind: 'pageView' }, '2026-04-01T10:00:00Z');
    await w.call(b.collectData, widget('passive'), '2026-04-02T10:00:00Z');
    expect(clockFor(w.views().retentionSchedule, SUBJECT, 'widget-leads')?.deadline.dueAt).toBe('2027-03-10T23:59:59.999Z');

    await w.call(b.collectData, widget('explicit'), '2026-05-01T09:00:00Z');
    // Reset: day 365 after 2026-05-01 is 2027-05-01, ending 23:59:59.999 IST (UTC+1).
    expect(clockFor(w.views().retentionSchedule, SUBJECT, 'widget-leads')?.deadline.dueAt).toBe('2027-05-01T22:59:59.999Z');
    expect(w.engine.timer(retentionTimerKey(clockId))?.at).toBe(iso('2027-05-01T22:59:59.999Z'));

    expect((await w.tick('2027-05-01T22:59:59.998Z')).fired).toEqual([]);
    expect(w.hostOf('EraseSubjectData')).toEqual([]);
    const fired = await w.tick('2027-05-03T08:00:00Z');
    expect(fired.fired.map((f) => f.key)).toEqual([retentionTimerKey(clockId)]);
    expect(w.hostOf('EraseSubjectData')).toEqual([
      {
        subjectId: SUBJECT,
        clockId,
        categories: ['widget-leads'],
        systems: ['app-db', 'backups'],
        processors: ['aws'],
        includeBackups: true,
        method: 'erase',
        reason: 'retentionExpired',
        // Stamped with the due instant, not the tick's reading.
        requestedAt: '2027-05-01T22:59:59.999Z',
        deadline: {
          ruleId: 'erasure.completion',
          // 2027-05-01 (Dublin) not counted; day 30 is 2027-05-31, ending 23:59:59.999 IST.
          dueAt: '2027-05-31T22:59:59.999Z',
          citation: 'Convertful DPA 3.6 (CF-06)',
          explanation: expect.stringContaining('day 30 is 2027-05-31') as unknown as string,
        },
        restrictProcessing: true,
      },
    ]);
    // CF-06: isolated from processing during the removal period.
    expect(canProcess(w.views(), lifecyclePolicy(), { subjectId: SUBJECT, purpose: 'service', at: '2027-05-03T08:00:00Z' })).toMatchObject({
      allowed: false,
      citation: 'GDPR Art. 18(2)',
    });

    // A second tick fires nothing again.
    expect((await w.tick('2027-05-04T08:00:00Z')).fired).toEqual([]);
    expect(w.hostOf('EraseSubjectData')).toHaveLength(1);

    for (const target of [{ system: 'app-db' }, { system: 'backups' }, { processor: 'aws' }])
      await w.call(b.confirmErasure, { subjectId: SUBJECT, category: 'widget-leads', target }, '2027-05-10T12:00:00Z');
    expect(clockFor(w.views().retentionSchedule, SUBJECT, 'widget-leads')?.state).toBe('closed');
    const subject = subjectOf(w.views().subjectView, SUBJECT);
    expect(subject?.status).toBe('erased');
    expect(subject?.erasureReason).toBe('retentionExpired');
    expect(w.hostOf('ObligationOverdue')).toEqual([]);
    await w.tick('2027-06-05T00:00:00Z');
    expect(w.hostOf('ObligationOverdue')).toEqual([]);
    // Incremental projections equal a rebuild from the start of the log.
    for (const name of ['subjectView', 'consentLedger', 'retentionSchedule'] as const)
      expect(await w.engine.rebuild(name)).toEqual(E.right(w.views()[name]));
  });

  it('an erasure not completed by its deadline raises ObligationOverdue once, the millisecond after the due instant', async () => {
    const w = setup(lifecyclePolicy(), '2026-03-01T09:00:00Z');
    await w.call(b.registerSubject, register(), '2026-03-01T09:00:00Z');
    await w.call(b.collectData, widget(), '2026-03-10T14:00:00Z');
    await w.tick('2027-03-11T00:00:00Z');
    expect(w.hostOf('EraseSubjectData')).toHaveLength(1);
    await w.call(b.confirmErasure, { subjectId: SUBJECT, category: 'widget-leads', target: { system: 'app-db' } }, '2027-03-20T00:00:00Z');
    // Requested 2027-03-10T23:59:59.999Z (GMT); day 30 is 2027-04-09, ending 23:59:59.999 IST.
    expect((await w.tick('2027-04-09T22:59:59.999Z')).fired).toEqual([]);
    await w.tick('2027-04-09T23:00:00.000Z');
    expect(w.hostOf('ObligationOverdue')).toEqual([
      {
        ruleId: 'erasure.completion',
        obligation: 'erasureCompletion',
        entity: { kind: 'retention', id: retentionClockId(SUBJECT, 'widget-leads') },
        dueAt: '2027-04-09T22:59:59.999Z',
        citation: 'Convertful DPA 3.6 (CF-06)',
        explanation: expect.any(String) as unknown as string,
        detectedAt: '2027-04-09T23:00:00.000Z',
        subjectId: SUBJECT,
        category: 'widget-leads',
      },
    ]);
    await w.tick('2027-05-01T00:00:00Z');
    expect(w.hostOf('ObligationOverdue')).toHaveLength(1);
  });

  it('a legal hold over the expiry suspends the erasure; lifting it erases at once', async () => {
    const policy = lifecyclePolicy();
    const w = setup(policy, '2026-03-01T09:00:00Z');
    await w.call(b.registerSubject, register(), '2026-03-01T09:00:00Z');
    await w.call(b.collectData, widget(), '2026-03-10T14:00:00Z');
    await w.call(b.placeLegalHold, { subjectId: SUBJECT, holdId: 'hold-1', reason: 'case-2026-17', scope: 'all' }, '2026-06-01T00:00:00Z');
    await w.tick('2027-03-12T00:00:00Z');
    const clock = () => clockFor(w.views().retentionSchedule, SUBJECT, 'widget-leads')!;
    expect(clock().state).toBe('expired');
    expect(clockStatus(clock(), subjectOf(w.views().subjectView, SUBJECT))).toBe('suspendedByLegalHold');
    expect(w.hostOf('EraseSubjectData')).toEqual([]);
    // The subject's own request is refused too while the hold covers the data.
    expect(b.requestErasure(policy, w.views(), { subjectId: SUBJECT }, iso('2027-03-20T00:00:00Z'))).toMatchObject(
      E.left({ _tag: 'ErasureSuspendedByLegalHold', path: 'categories' }),
    );

    await w.call(b.liftLegalHold, { subjectId: SUBJECT, holdId: 'hold-1' }, '2027-04-01T10:00:00Z');
    const erase = w.hostOf('EraseSubjectData');
    expect(erase).toHaveLength(1);
    expect(erase[0]).toMatchObject({
      reason: 'retentionExpired',
      requestedAt: '2027-04-01T10:00:00.000Z',
      // 2027-04-01 (IST) not counted; day 30 is 2027-05-01.
      deadline: { dueAt: '2027-05-01T22:59:59.999Z', ruleId: 'erasure.completion' },
    });
    expect(clockStatus(clock(), subjectOf(w.views().subjectView, SUBJECT))).toBe('erasing');
  });

  it('Personizely: cancellation starts a 90-day grace; reactivation within it cancels the erasure, else it runs', async () => {
    for (const reactivate of [true, false]) {
      const w = setup(lifecyclePolicy(), '2026-01-05T09:00:00Z');
      const clockId = retentionClockId(SUBJECT, 'account');
      await w.call(b.registerSubject, register(), '2026-01-05T09:00:00Z');
      await w.call(b.startSubscription, { subjectId: SUBJECT, contractId: 'sub-1' }, '2026-01-05T09:00:00Z');
      await w.call(b.collectData, { subjectId: SUBJECT, category: 'account', system: 'app-db', source: 'signup', submission: 'explicit' }, '2026-01-05T09:05:00Z');
      expect(clockFor(w.views().retentionSchedule, SUBJECT, 'account')).toBeUndefined();
      await w.call(b.cancelSubscription, { subjectId: SUBJECT, contractId: 'sub-1' }, '2026-02-01T12:00:00Z');
      const clock = clockFor(w.views().retentionSchedule, SUBJECT, 'account')!;
      // 2026-02-01 not counted; day 90 is 2026-05-02, ending 23:59:59.999 IST.
      expect(clock.deadline.dueAt).toBe('2026-05-02T22:59:59.999Z');
      expect(clock.graceUntil).toBe('2026-05-02T22:59:59.999Z');
      expect(w.engine.timer(retentionTimerKey(clockId))?.at).toBe(iso('2026-05-02T23:00:00.000Z'));
      if (reactivate) {
        await w.call(b.reactivateSubscription, { subjectId: SUBJECT, contractId: 'sub-1' }, '2026-04-15T08:00:00Z');
        expect(clockFor(w.views().retentionSchedule, SUBJECT, 'account')?.state).toBe('cancelled');
        expect(w.engine.timer(retentionTimerKey(clockId))).toBeUndefined();
        await w.tick('2026-06-01T00:00:00Z');
        expect(w.hostOf('EraseSubjectData')).toEqual([]);
      } else {
        await w.tick('2026-05-02T22:59:59.999Z');
        expect(w.hostOf('EraseSubjectData')).toEqual([]);
        await w.tick('2026-05-03T00:00:00Z');
        expect(w.hostOf('EraseSubjectData')).toEqual([
          expect.objectContaining({ categories: ['account'], requestedAt: '2026-05-02T23:00:00.000Z', deadline: expect.objectContaining({ dueAt: '2026-06-02T22:59:59.999Z' }) }),
        ]);
      }
    }
  });

  it('consent withdrawal stops processing at once and erases what rested only on that consent', async () => {
    const policy = lifecyclePolicy();
    const w = setup(policy, '2026-02-01T09:00:00Z');
    await w.call(b.registerSubject, register(), '2026-02-01T09:00:00Z');
    await w.call(b.grantConsent, { grantId: GRANT, subjectId: SUBJECT, purpose: 'newsletter', method: 'checkbox', preTicked: false }, '2026-02-01T09:01:00Z');
    await w.call(b.collectData, { subjectId: SUBJECT, category: 'newsletter-profile', system: 'crm', source: 'signup', submission: 'explicit' }, '2026-02-01T09:02:00Z');
    await w.call(b.collectData, widget(), '2026-02-01T09:03:00Z');
    expect(canProcess(w.views(), policy, { subjectId: SUBJECT, purpose: 'newsletter', at: '2026-03-01T00:00:00Z' }).allowed).toBe(true);

    await w.call(b.withdrawConsent, { grantId: GRANT, channel: 'email' }, '2026-03-01T10:00:00Z');
    expect(w.hostOf('StopProcessing')).toEqual([
      {
        subjectId: SUBJECT,
        purposes: ['newsletter'],
        categories: ['newsletter-profile', 'widget-leads'],
        reason: 'consentWithdrawn',
        grantId: GRANT,
        // The builder stamps the call's instant when the input names none.
        effectiveAt: '2026-03-01T10:00:00.000Z',
        citation: 'GDPR Art. 7(3)',
      },
    ]);
    // newsletter-profile rested only on the newsletter consent; widget-leads also serves the contract.
    expect(w.hostOf('EraseSubjectData')).toEqual([
      expect.objectContaining({
        categories: ['newsletter-profile'],
        systems: ['crm'],
        reason: 'consentWithdrawn',
        requestedAt: '2026-03-01T10:00:00.000Z',
        deadline: expect.objectContaining({ dueAt: '2026-03-31T22:59:59.999Z' }),
      }),
    ]);
    expect(canProcess(w.views(), policy, { subjectId: SUBJECT, purpose: 'newsletter', at: '2026-03-01T00:00:00Z' }).allowed).toBe(false);
    expect(clockFor(w.views().retentionSchedule, SUBJECT, 'widget-leads')?.state).toBe('running');
    for (const name of ['subjectView', 'consentLedger', 'retentionSchedule'] as const)
      expect(await w.engine.rebuild(name)).toEqual(E.right(w.views()[name]));
  });
});
