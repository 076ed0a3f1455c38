/**
 * `erasure.streams` through the facade on the in-memory store: once a subject is fully erased,
 * its own streams (subject, consent grants, retention clocks) are tombstoned or soft-deleted by
 * Lethe's built-in handler; requests and breaches are untouched; the projections rebuilt from
 * `$all` are unchanged.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { CommandHandler, OutboxCommand } from '../engine/index.js';
import { retentionClockId } from '../model/shared.js';
import { getInMemoryEventStore } from '../store/index.js';
import type { EventStore } from '../store/index.js';
import { simulatedClock } from '../time/clock.js';
import { GRANT, GRANT_2, OTHER_SUBJECT, SUBJECT, lifecyclePolicyInput } from './lifecycle.fixture.js';
import { createLethe, hostCommandTypes } from './lethe.js';
import type { Lethe } from './lethe.js';
import { purgeSubjectStreamsHandler } from './streamErasure.js';

const REQUEST = '3e4d5c6b-7a89-4b0c-9d1e-2f3a4b5c6d7e';
const BREACH = '8f9e0d1c-2b3a-4c5d-8e6f-7a8b9c0d1e2f';
const OTHER_GRANT = '7c6b5a49-3827-4165-9043-21fedcba9876';
const NEWSLETTER = retentionClockId(SUBJECT, 'newsletter-profile');
const OWN_STREAMS = [`lethe.subject-${SUBJECT}`, `lethe.consent-${GRANT}`, `lethe.consent-${GRANT_2}`, `lethe.retention-${NEWSLETTER}`];
const KEPT_STREAMS = [`lethe.request-${REQUEST}`, `lethe.breach-${BREACH}`, `lethe.subject-${OTHER_SUBJECT}`, `lethe.consent-${OTHER_GRANT}`];

const ok = async <A>(result: Promise<E.Either<unknown, A>>): Promise<A> => {
  const r = await result;
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
  return r.right;
};

const setup = (streams: Record<string, unknown> | undefined) => {
  const clock = simulatedClock(Date.parse('2026-02-01T09:00:00Z'));
  const store = getInMemoryEventStore({ clock });
  const host: OutboxCommand[] = [];
  const record: CommandHandler = (command) => {
    host.push(command);
    return E.right(undefined);
  };
  const policy = lifecyclePolicyInput();
  if (streams !== undefined) (policy['erasure'] as Record<string, unknown>)['streams'] = streams;
  const created = createLethe({ policy, clock, store, handlers: Object.fromEntries(hostCommandTypes.map((t) => [t, record])) });
  if (E.isLeft(created)) throw new Error(JSON.stringify(created.left));
  return { lethe: created.right, store, clock, host };
};

/**
 * SUBJECT consents to the newsletter and to wellbeing, its newsletter profile is collected, it files an access request and a
 * breach is reported; OTHER_SUBJECT likewise consents. Then SUBJECT withdraws: the profile rested
 * only on that consent, so it is erased, and once the host confirms, the subject is fully erased.
 */
const eraseSubject = async (lethe: Lethe, at = (day: number) => `2026-02-${String(day).padStart(2, '0')}T10:00:00Z`) => {
  for (const [subjectId, grantId] of [[SUBJECT, GRANT], [OTHER_SUBJECT, OTHER_GRANT]] as const) {
    await ok(lethe.registerSubject({ subjectId, jurisdictions: ['IE'], ourRole: { role: 'controller' } }, { at: at(1) }));
    await ok(lethe.grantConsent({ grantId, subjectId, purpose: 'newsletter', method: 'checkbox', preTicked: false }, { at: at(1) }));
  }
  // A consent still active at the erasure, with its expiry timer (consent.expiry P1Y) still set.
  await ok(lethe.grantConsent({ grantId: GRANT_2, subjectId: SUBJECT, purpose: 'wellbeing', method: 'checkbox', preTicked: false, explicit: true }, { at: at(1) }));
  await ok(lethe.collectData({ subjectId: SUBJECT, category: 'newsletter-profile', system: 'crm', source: 'signup', submission: 'explicit' }, { at: at(2) }));
  await ok(
    lethe.receiveRequest(
      { requestId: REQUEST, subjectId: SUBJECT, requestType: 'access', jurisdiction: 'EU', channel: 'email', receivedAt: at(3), role: 'controller' },
      { at: at(3) },
    ),
  );
  await ok(lethe.reportBreach({ breachId: BREACH, detectedAt: at(4), summary: 'snapshot exposed' }, { at: at(4) }));
  await ok(lethe.withdrawConsent({ grantId: GRANT, channel: 'email' }, { at: at(5) }));
  await ok(lethe.confirmErasure({ subjectId: SUBJECT, category: 'newsletter-profile', target: { system: 'crm' } }, { at: at(6) }));
  expect(lethe.subject(SUBJECT)?.status).toBe('erased');
};

const readTag = async (store: EventStore, stream: string): Promise<string> => {
  const read = await store.readStream(stream);
  return E.isLeft(read) ? read.left._tag : `events:${read.right.length}`;
};

const PROJECTIONS = ['subjectView', 'consentLedger', 'retentionSchedule', 'requestRegister', 'breachRegister', 'obligations', 'timeline'];
const expectRebuildUnchanged = async (lethe: Lethe) => {
  for (const name of PROJECTIONS) {
    const incremental = (lethe.engine.projection as (n: string) => unknown)(name);
    const rebuilt = await (lethe.engine.rebuild as (n: string) => Promise<E.Either<unknown, unknown>>)(name);
    expect(rebuilt).toEqual(E.right(incremental));
  }
};

describe('erasure.streams through the facade (in-memory store)', () => {
  it('tombstone: the subject, grant and clock streams read as StreamDeleted; requests, breaches and others are untouched', async () => {
    const { lethe, store, host } = setup({ mode: 'tombstone' });
    await eraseSubject(lethe);
    const before = Object.fromEntries(await Promise.all(KEPT_STREAMS.map(async (s) => [s, await readTag(store, s)] as const)));
    expect(Object.values(before).every((tag) => tag.startsWith('events:'))).toBe(true);

    for (const stream of OWN_STREAMS) expect(await readTag(store, stream)).toBe('StreamDeleted');
    for (const stream of KEPT_STREAMS) expect(await readTag(store, stream)).toBe(before[stream]);
    // A tombstoned stream can never be written again.
    expect(await store.appendToStream(OWN_STREAMS[0]!, [{ id: 'b3f4c1d2-0000-4000-8000-000000000001', type: 'X', data: {} }])).toEqual(
      E.left({ _tag: 'StreamDeleted', stream: OWN_STREAMS[0] }),
    );
    // The purge is Lethe's own command: acknowledged, never handed to the host, nothing left failing.
    expect(host.map((c) => c.type)).not.toContain('PurgeSubjectStreams');
    expect(await ok(lethe.failedCommands())).toEqual([]);
    expect((await ok(lethe.pendingCommands())).map((c) => c.command.type)).not.toContain('PurgeSubjectStreams');
    // The events are still in $all (until a scavenge): every projection rebuilds to the same state.
    await expectRebuildUnchanged(lethe);
    expect(lethe.timeline(SUBJECT).length).toBeGreaterThan(0);
    // Nor can the erased subject's id be registered again.
    expect(await lethe.registerSubject({ subjectId: SUBJECT, jurisdictions: ['IE'], ourRole: { role: 'controller' } })).toMatchObject(
      E.left({ _tag: 'StreamDeleted', stream: OWN_STREAMS[0] }),
    );
    // A year later (past the grants' expiry), ticking leaves nothing pending or failed on the deleted streams.
    await ok(lethe.tick(Date.parse('2027-03-01T00:00:00Z')));
    expect(await ok(lethe.pendingCommands())).toEqual([]);
    expect(await ok(lethe.failedCommands())).toEqual([]);
  });

  it('softDelete: the streams read as StreamNotFound, their events stay in $all, and a recreate continues the numbering', async () => {
    const { lethe, store } = setup({ mode: 'softDelete' });
    await eraseSubject(lethe);
    for (const stream of OWN_STREAMS) expect(await readTag(store, stream)).toBe('StreamNotFound');
    for (const stream of KEPT_STREAMS) expect(await readTag(store, stream)).toMatch(/^events:[1-9]/);
    const all = await ok(store.readAll({ filter: { excludeSystemEvents: true, streamNamePrefixes: [OWN_STREAMS[0]!] } }));
    const subjectEvents = all.filter((e) => e.streamName === OWN_STREAMS[0]);
    expect(subjectEvents.map((e) => e.type)).toContain('SubjectErased');
    await expectRebuildUnchanged(lethe);
    expect(await ok(lethe.failedCommands())).toEqual([]);
    // EventStoreDB semantics: a soft-deleted stream is recreated by the next append, after its last
    // revision. The subject decider then sees an empty stream, so registering the same id again is
    // accepted: under softDelete an erased subject's id can be reused (a tombstone refuses it).
    const lastRevision = subjectEvents[subjectEvents.length - 1]!.revision;
    await ok(lethe.registerSubject({ subjectId: SUBJECT, jurisdictions: ['IE'], ourRole: { role: 'controller' } }, { at: '2026-02-07T10:00:00Z' }));
    const reread = await ok(store.readStream(OWN_STREAMS[0]!));
    expect(reread.map((e) => [e.type, e.revision])).toEqual([['SubjectRegistered', lastRevision + 1n]]);
    expect(await ok(lethe.failedCommands())).toEqual([]);
    await expectRebuildUnchanged(lethe);
  });

  it('softDelete with maxAge: the streams get $maxAge instead of being deleted', async () => {
    const { lethe, store } = setup({ mode: 'softDelete', maxAge: 'P30D' });
    await eraseSubject(lethe);
    for (const stream of OWN_STREAMS) {
      const meta = await ok(store.getStreamMetadata(stream));
      expect(meta.metadata.maxAge).toBe(30 * 86_400);
      expect(meta.metadata.truncateBefore).toBeUndefined();
    }
    for (const stream of KEPT_STREAMS) expect((await ok(store.getStreamMetadata(stream))).metadata.maxAge).toBeUndefined();
  });

  it('keep (the default): every stream still reads', async () => {
    for (const streams of [undefined, { mode: 'keep' }]) {
      const { lethe, store } = setup(streams);
      await eraseSubject(lethe);
      for (const stream of [...OWN_STREAMS, ...KEPT_STREAMS]) expect(await readTag(store, stream)).toMatch(/^events:[1-9]/);
    }
  });

  it('hosts cannot handle PurgeSubjectStreams: it is one of Lethe\'s own commands', () => {
    const created = createLethe({ policy: lifecyclePolicyInput(), handlers: { PurgeSubjectStreams: () => E.right(undefined) } });
    expect(created).toEqual(
      E.left({ _tag: 'InvalidConfiguration', path: 'handlers.PurgeSubjectStreams', reason: 'an internal command of Lethe; hosts cannot handle it' }),
    );
    expect(hostCommandTypes).not.toContain('PurgeSubjectStreams');
  });
});

describe('purgeSubjectStreamsHandler', () => {
  const command = (data: unknown): OutboxCommand => ({
    commandId: 'c',
    type: 'PurgeSubjectStreams',
    data: data as never,
    occurredAt: '2026-01-01T00:00:00Z',
    causationId: 'e',
    correlationId: 'r',
    emittedBy: { source: 'reaction', name: 'streamErasure.subject' },
  });
  const subjectStream = `lethe.subject-${SUBJECT}`;
  const seed = async () => {
    const store = getInMemoryEventStore({ clock: simulatedClock(0) });
    await ok(store.appendToStream(subjectStream, [{ id: 'b3f4c1d2-0000-4000-8000-000000000003', type: 'X', data: {} }]));
    return store;
  };

  it('is idempotent: a second purge, or a tombstone after a soft delete or a soft delete after a tombstone, succeeds', async () => {
    const store = await seed();
    const handle = purgeSubjectStreamsHandler(store);
    const never = `lethe.consent-${GRANT}`; // never written
    for (const mode of ['softDelete', 'softDelete', 'tombstone', 'tombstone', 'softDelete'] as const) {
      expect(await handle(command({ subjectId: SUBJECT, streams: [subjectStream, never], mode }), {} as never)).toEqual(E.right(undefined));
    }
    expect(await readTag(store, subjectStream)).toBe('StreamDeleted');
  });

  it('refuses request and breach streams (owed to authorities) before touching anything, and bad data', async () => {
    const store = await seed();
    const handle = purgeSubjectStreamsHandler(store);
    const request = `lethe.request-${REQUEST}`;
    expect(await handle(command({ subjectId: SUBJECT, streams: [subjectStream, request], mode: 'tombstone' }), {} as never)).toEqual(
      E.left({ _tag: 'StreamNotPurgeable', stream: request }),
    );
    expect(await readTag(store, subjectStream)).toBe('events:1');
    expect(await handle(command({ subjectId: SUBJECT, streams: 'all', mode: 'tombstone' }), {} as never)).toMatchObject(
      E.left({ _tag: 'InvalidPurgeCommand' }),
    );
    expect(await handle(command({ subjectId: SUBJECT, streams: [subjectStream], mode: 'tombstone', maxAgeSeconds: 10 }), {} as never)).toMatchObject(
      E.left({ _tag: 'InvalidPurgeCommand' }),
    );
  });

  it('returns a typed failure when the store fails', async () => {
    const store = await seed();
    await store.close();
    const result = await purgeSubjectStreamsHandler(store)(command({ subjectId: SUBJECT, streams: [subjectStream], mode: 'softDelete' }), {} as never);
    expect(result).toMatchObject(E.left({ _tag: 'StreamPurgeFailed', stream: subjectStream, action: 'softDelete', error: { _tag: 'StoreUnavailable' } }));
  });
});
