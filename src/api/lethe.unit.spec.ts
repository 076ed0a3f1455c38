/**
 * The facade end to end on the in-memory store with a simulated clock. Deadlines are counted in
 * the demo policy's calendar, Europe/Berlin (CET = UTC+1 in winter, CEST = UTC+2 in summer), under
 * EU Regulation 1182/71 without roll-forward.
 */
import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommandHandler, OutboxCommand } from '../engine/index.js';
import { getInMemoryEventStore } from '../store/index.js';
import type { EventStore } from '../store/index.js';
import { simulatedClock } from '../time/clock.js';
import { createLethe, hostCommandTypes } from './lethe.js';
import type { Lethe } from './lethe.js';

const demoPolicy = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL('../../examples/demo/personizely.policy.json', import.meta.url), 'utf8')) as Record<string, unknown>;

const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const setup = (start = '2026-11-02T08:00:00Z') => {
  const clock = simulatedClock(Date.parse(start));
  const received: OutboxCommand[] = [];
  const record: CommandHandler = (command) => {
    received.push(command);
    return E.right(undefined);
  };
  const created = createLethe({ policy: demoPolicy(), clock, handlers: Object.fromEntries(hostCommandTypes.map((t) => [t, record])) });
  if (E.isLeft(created)) throw new Error(JSON.stringify(created.left));
  return { lethe: created.right, clock, received };
};

const ok = async <A>(result: Promise<E.Either<unknown, A>>): Promise<A> => {
  const r = await result;
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
  return r.right;
};

const signUp = async (lethe: Lethe, subjectId: string, grantId: string, at: string) => {
  await ok(lethe.registerSubject({ subjectId, jurisdictions: ['EU'], ourRole: { role: 'controller' } }, { at }));
  await ok(lethe.grantConsent({ grantId, subjectId, purpose: 'service', method: 'checkbox', preTicked: false }, { at }));
  await ok(lethe.startSubscription({ subjectId, contractId: `c-${subjectId.slice(-4)}` }, { at }));
  await ok(lethe.collectData({ subjectId, category: 'client-account', system: 'app-db', source: 'signup', submission: 'explicit' }, { at }));
};

describe('createLethe', () => {
  it('refuses a bad policy with every problem by path, and never throws', () => {
    const policy = demoPolicy();
    (policy['calendar'] as Record<string, unknown>)['zone'] = 'Mars/Base';
    ((policy['categories'] as Record<string, unknown>[])[0]!['retention'] as Record<string, unknown>)['period'] = 'P3X';
    const created = createLethe({ policy });
    expect(E.isLeft(created)).toBe(true);
    if (E.isLeft(created) && created.left._tag === 'InvalidPolicy') {
      const paths = created.left.problems.map((p) => p.path);
      expect(paths).toContain('calendar.zone');
      expect(paths).toContain('categories[0].retention.period');
    } else throw new Error('expected InvalidPolicy');
  });

  it('refuses a host handler for one of its own internal commands', () => {
    const created = createLethe({ policy: demoPolicy(), handlers: { StartRetentionClock: () => E.right(undefined) } });
    expect(created).toEqual(
      E.left({ _tag: 'InvalidConfiguration', path: 'handlers.StartRetentionClock', reason: 'an internal command of Lethe; hosts cannot handle it' }),
    );
  });

  it('rejects bad input with the path of the bad field and writes nothing', async () => {
    const { lethe } = setup();
    const before = await lethe.store.readAll();
    const result = await lethe.registerSubject({ subjectId: 'not-a-uuid', jurisdictions: ['EU'], ourRole: { role: 'controller' } });
    expect(result).toMatchObject({ _tag: 'Left', left: { path: 'subjectId' } });
    if (E.isLeft(result)) expect(JSON.stringify(result.left)).not.toContain('not-a-uuid');
    expect(await lethe.store.readAll()).toEqual(before);
  });

  it('refuses bad input before reading or writing the store', async () => {
    const clock = simulatedClock(Date.parse('2026-11-02T08:00:00Z'));
    const inner = getInMemoryEventStore({ clock });
    const touched: string[] = [];
    const store: EventStore = {
      ...inner,
      readAll: (o) => (touched.push('readAll'), inner.readAll(o)),
      readStream: (s, o) => (touched.push('readStream'), inner.readStream(s, o)),
      appendToStream: (s, e, o) => (touched.push('append'), inner.appendToStream(s, e, o)),
    };
    const created = createLethe({ policy: demoPolicy(), store, clock });
    if (E.isLeft(created)) throw new Error(JSON.stringify(created.left));
    const result = await created.right.collectData({ subjectId: uuid(5), category: 'client-account', system: 'app-db', source: 'x', submission: 'sideways' });
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'InvalidInput', path: 'submission' } });
    expect(touched).toEqual([]);
  });

  it('asOf returns the views as they stood at a past instant, after later events', async () => {
    const { lethe, clock } = setup();
    const subject = uuid(1);
    await signUp(lethe, subject, uuid(101), '2026-11-02T09:00:00+01:00');
    const beforeWithdrawal = clock.now();
    clock.set(Date.parse('2026-11-05T16:40:00+01:00'));
    await ok(lethe.withdrawConsent({ grantId: uuid(101), channel: 'email' }));

    expect(lethe.canProcess(subject, 'service').allowed).toBe(false);
    const past = await ok(lethe.asOf(beforeWithdrawal));
    expect(past.at).toBe('2026-11-02T08:00:00.000Z');
    expect(past.canProcess(subject, 'service')).toMatchObject({ allowed: true, basis: 'consent' });
    // No retention clock runs before the withdrawal: client-account's clock starts at cancellation.
    expect(past.timeline(subject).map((e) => e.type)).toEqual(['SubjectRegistered', 'ConsentGranted', 'SubscriptionStarted', 'DataCollected']);
    expect(lethe.timeline(subject).map((e) => e.type)).toContain('RetentionClockStarted');
    expect(past.timeline(subject).some((e) => e.type === 'ConsentWithdrawn')).toBe(false);
    expect(lethe.timeline(subject).some((e) => e.type === 'ConsentWithdrawn')).toBe(true);
    // A host can hand the timeline out as JSON (e.g. over HTTP): no bigint in it.
    expect(JSON.parse(JSON.stringify(lethe.timeline(subject)))).toEqual(lethe.timeline(subject));
    // the erasure the withdrawal started is an obligation now, and was none before
    expect(lethe.obligations({ subjectId: subject }).length).toBeGreaterThan(0);
    expect(past.obligations({ subjectId: subject })).toEqual([]);
  });

  it('a breach known on a Friday evening owes the authority a notice by Monday at the same hour (72 hours)', async () => {
    const { lethe, received } = setup();
    const breach = uuid(900);
    await ok(lethe.reportBreach({ breachId: breach, detectedAt: '2026-11-20T19:30:00+01:00', summary: 'snapshot exposed' }));
    await ok(lethe.establishAwareness({ breachId: breach, awareAt: '2026-11-20T21:00:00+01:00', role: 'controller' }));
    const notices = received.filter((c) => c.type === 'NotifySupervisoryAuthority').map((c) => (c.data as { dueAt: string }).dueAt);
    // GDPR Art. 33(1): 72 h from awareness; PZ-19: 72 h from detection. Elapsed time, through the weekend.
    expect(notices.sort()).toEqual(['2026-11-23T19:30:00.000+01:00', '2026-11-23T21:00:00.000+01:00']);
    const open = lethe.obligations({ now: Date.parse('2026-11-23T19:30:00.001+01:00'), state: 'overdue' });
    expect(open.map((o) => o.rule.ruleId)).toEqual(['personizely.breach.authorityAndClients']);
  });

  it('an erasure request leads to the erasure once the identity is verified, not before (GDPR Art. 12(6), 17)', async () => {
    const { lethe, received } = setup();
    const subject = uuid(7);
    const request = uuid(7007);
    await signUp(lethe, subject, uuid(107), '2026-11-02T09:00:00+01:00');
    await ok(
      lethe.receiveRequest(
        { requestId: request, subjectId: subject, requestType: 'erasure', jurisdiction: 'EU', channel: 'email', receivedAt: '2026-11-09T09:30:00+01:00', role: 'controller' },
        { at: '2026-11-09T09:30:00+01:00' },
      ),
    );
    expect(received.filter((c) => c.type === 'RequestErasureApproval')).toEqual([]);
    await ok(lethe.verifyIdentity({ requestId: request, at: '2026-11-10T12:00:00+01:00', method: 'account-login' }, { at: '2026-11-10T12:00:00+01:00' }));
    const approvals = received.filter((c) => c.type === 'RequestErasureApproval').map((c) => c.data as Record<string, unknown>);
    // The demo policy needs the CEO and the DPO (PZ-17) and completes within one month (assumed):
    // requested 2026-11-10 12:00 CET, the day not counted, due at the end of 2026-12-10 in Berlin.
    expect(approvals).toHaveLength(1);
    expect(approvals[0]).toMatchObject({ subjectId: subject, category: 'client-account', roles: ['CEO', 'DPO'], mode: 'all', reason: 'subjectRequest' });
    expect(JSON.stringify(approvals[0])).toContain('2026-12-10T22:59:59.999Z');
  });

  it('rebuilding every projection from the log equals the incrementally built state, over a long generated history', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ subject: fc.integer({ min: 1, max: 6 }), op: fc.constantFrom('signUp', 'widget', 'withdraw', 'cancel', 'access', 'tick') }), {
          minLength: 15,
          maxLength: 40,
        }),
        async (ops) => {
          const { lethe, clock } = setup('2026-01-05T08:00:00Z');
          const signedUp = new Set<number>();
          const withdrawn = new Set<number>();
          let requests = 0;
          for (const { subject, op } of ops) {
            clock.advance(36 * 3_600_000 + 17 * 60_000);
            const at = new Date(clock.now()).toISOString();
            const id = uuid(subject);
            if (op === 'signUp' || !signedUp.has(subject)) {
              if (signedUp.has(subject)) continue;
              await signUp(lethe, id, uuid(100 + subject), at);
              signedUp.add(subject);
            } else if (op === 'widget') {
              // Refused while an erasure is pending (GDPR Art. 18(2)); anything else must succeed.
              const collected = await lethe.collectData({ subjectId: id, category: 'widget-contacts', system: 'app-db', source: 'widget', submission: 'explicit' }, { at });
              if (E.isLeft(collected)) expect(collected.left).toMatchObject({ _tag: 'Rejected', rejection: { _tag: 'ProcessingRestricted' } });
            } else if (op === 'withdraw' && !withdrawn.has(subject)) {
              await ok(lethe.withdrawConsent({ grantId: uuid(100 + subject), channel: 'ui' }, { at }));
              withdrawn.add(subject);
            } else if (op === 'cancel') {
              await lethe.cancelSubscription({ subjectId: id, contractId: `c-${id.slice(-4)}` }, { at }); // may be refused: already cancelled
            } else if (op === 'access') {
              requests += 1;
              await ok(
                lethe.receiveRequest({ requestId: uuid(5000 + requests), subjectId: id, requestType: 'access', jurisdiction: 'EU', channel: 'email', receivedAt: at, role: 'controller' }, { at }),
              );
            } else if (op === 'tick') {
              await ok(lethe.tick(clock.now()));
            }
          }
          const names = ['subjectView', 'consentLedger', 'retentionSchedule', 'requestRegister', 'breachRegister', 'processorRegister', 'obligations', 'timeline'];
          for (const name of names) {
            const incremental = (lethe.engine.projection as (n: string) => unknown)(name);
            const rebuilt = await (lethe.engine.rebuild as (n: string) => Promise<E.Either<unknown, unknown>>)(name);
            expect(E.isRight(rebuilt)).toBe(true);
            if (E.isRight(rebuilt)) expect(rebuilt.right).toEqual(incremental);
          }
          const failed = await ok(lethe.failedCommands());
          expect(failed).toEqual([]);
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('a host call that writes several streams, failing half-way', () => {
  it('finishes when retried with the same commandId: every stream written once, every reaction run', async () => {
    const clock = simulatedClock(Date.parse('2026-11-02T08:00:00Z'));
    const inner = getInMemoryEventStore({ clock });
    let failNextRetentionAppend = 0;
    const store: EventStore = {
      ...inner,
      appendToStream: async (stream, events, options) => {
        if (stream.startsWith('lethe.retention-') && failNextRetentionAppend > 0 && --failNextRetentionAppend === 0)
          return E.left({ _tag: 'StoreUnavailable', reason: 'injected' });
        return inner.appendToStream(stream, events, options);
      },
    };
    const received: OutboxCommand[] = [];
    const record: CommandHandler = (command) => {
      received.push(command);
      return E.right(undefined);
    };
    const created = createLethe({ policy: demoPolicy(), store, clock, handlers: Object.fromEntries(hostCommandTypes.map((t) => [t, record])) });
    if (E.isLeft(created)) throw new Error(JSON.stringify(created.left));
    const lethe = created.right;
    const subject = uuid(71);
    const at = '2026-11-02T08:00:00Z';
    await signUp(lethe, subject, uuid(72), at);
    await ok(lethe.collectData({ subjectId: subject, category: 'widget-contacts', system: 'app-db', source: 'widget', submission: 'explicit' }, { at }));

    // The erasure writes one retention stream per category; the second append fails.
    failNextRetentionAppend = 2;
    const first = await lethe.requestErasure({ subjectId: subject }, { at: '2026-11-03T08:00:00Z', commandId: 'erase-71' });
    expect(E.isLeft(first) && first.left).toMatchObject({ _tag: 'StoreUnavailable' });
    // Time passes before the retry: the views now show what the failed call did write.
    await ok(lethe.settle());
    const retried = await ok(lethe.requestErasure({ subjectId: subject }, { at: '2026-11-03T08:00:00Z', commandId: 'erase-71' }));
    expect(retried.appended.length).toBeGreaterThan(0);
    // And again: nothing more is written.
    const before = (await ok(inner.readAll())).length;
    await ok(lethe.requestErasure({ subjectId: subject }, { at: '2026-11-03T08:00:00Z', commandId: 'erase-71' }));
    expect((await ok(inner.readAll())).length).toBe(before);
    // Each category's clock holds one erasure request.
    const requested = (await ok(inner.readAll())).filter((e) => e.type === 'ErasureRequested').map((e) => e.streamName);
    expect(requested).toHaveLength(2);
    expect(new Set(requested).size).toBe(2);

    const approvals = received.filter((c) => c.type === 'RequestErasureApproval').map((c) => (c.data as Record<string, unknown>)['category']);
    expect([...approvals].sort()).toEqual(['client-account', 'widget-contacts']);
    // No two events in the log share an id, so no reaction's command is mistaken for another's.
    const log = await ok(inner.readAll());
    const ids = log.filter((e) => !e.isSystem).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('several Lethe instances on one store', () => {
  it('a host call decides on the log as it stands, including what another instance wrote since', async () => {
    const clock = simulatedClock(Date.parse('2026-11-02T08:00:00Z'));
    const store = getInMemoryEventStore({ clock });
    const make = (instanceId: string): Lethe => {
      const created = createLethe({ policy: demoPolicy(), store, clock, instanceId });
      if (E.isLeft(created)) throw new Error(JSON.stringify(created.left));
      return created.right;
    };
    const a = make('a');
    const b = make('b');
    const subject = uuid(81);
    const at = '2026-11-02T08:00:00Z';
    await ok(b.registerSubject({ subjectId: subject, jurisdictions: ['EU'], ourRole: { role: 'controller' } }, { at }));
    await ok(b.collectData({ subjectId: subject, category: 'widget-contacts', system: 'app-db', source: 'widget', submission: 'explicit' }, { at }));
    // a writes a second category; b has not read it when it is asked to erase everything.
    await ok(a.collectData({ subjectId: subject, category: 'client-account', system: 'app-db', source: 'signup', submission: 'explicit' }, { at }));
    await ok(b.requestErasure({ subjectId: subject }, { at: '2026-11-03T08:00:00Z' }));
    const requested = (await ok(store.readAll())).filter((e) => e.type === 'ErasureRequested');
    expect(requested).toHaveLength(2);
    expect(b.subject(subject)?.categories).toHaveProperty('client-account');
  });
});
