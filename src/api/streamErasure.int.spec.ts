/**
 * `erasure.streams: { mode: 'softDelete' }` over EventStoreDB: the facade on the adapter with the
 * real `@eventstore/db-client`, against the in-process test server. After a scavenge the erased
 * subject's events are physically gone from `$all`, except what EventStoreDB always keeps: the
 * last event of each stream (here the `SubjectErased`, the last grant event, the
 * `RetentionClockClosed`) and the `$$` metadata streams' `$metadata` events that carry the `$tb`
 * of the soft delete. Requests, breaches and other subjects keep every event.
 */
import { EventStoreDBClient } from '@eventstore/db-client';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import { getEventStoreDbEventStore } from '../adapters/eventstoredb/index.js';
import type { EventStoreDbEventStore } from '../adapters/eventstoredb/index.js';
import type { CommandHandler } from '../engine/index.js';
import { retentionClockId } from '../model/shared.js';
import type { RecordedEvent } from '../store/index.js';
import { startEventStoreDbTestServer } from '../testing/esdb/index.js';
import type { EsdbTestServer } from '../testing/esdb/index.js';
import { simulatedClock } from '../time/clock.js';
import { GRANT, OTHER_SUBJECT, SUBJECT, lifecyclePolicyInput } from './lifecycle.fixture.js';
import { createLethe, hostCommandTypes } from './lethe.js';

const REQUEST = '3e4d5c6b-7a89-4b0c-9d1e-2f3a4b5c6d7e';
const OTHER_GRANT = '7c6b5a49-3827-4165-9043-21fedcba9876';
const SUBJECT_STREAM = `lethe.subject-${SUBJECT}`;
const GRANT_STREAM = `lethe.consent-${GRANT}`;
const CLOCK_STREAM = `lethe.retention-${retentionClockId(SUBJECT, 'newsletter-profile')}`;
const OWN = [SUBJECT_STREAM, GRANT_STREAM, CLOCK_STREAM];

let server: EsdbTestServer | undefined;
let store: EventStoreDbEventStore | undefined;

afterEach(async () => {
  await store?.close();
  await server?.close();
  store = undefined;
  server = undefined;
});

const ok = async <A>(result: Promise<E.Either<unknown, A>>): Promise<A> => {
  const r = await result;
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
  return r.right;
};

const readAllEvents = async (): Promise<readonly RecordedEvent[]> => ok(store!.readAll({ maxCount: 100_000 }));
const byStream = (events: readonly RecordedEvent[]): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const e of events) (out[e.streamName] ??= []).push(e.type);
  return out;
};

describe('erasure.streams over EventStoreDB (adapter, real client, test server)', () => {
  it('softDelete, then a scavenge: only each stream\'s last event and the $$ metadata of the erased subject survive', async () => {
    const clock = simulatedClock(Date.parse('2026-02-01T09:00:00Z'));
    server = await startEventStoreDbTestServer({ clock });
    store = getEventStoreDbEventStore(EventStoreDBClient.connectionString(server.connectionString));
    const policy = lifecyclePolicyInput();
    (policy['erasure'] as Record<string, unknown>)['streams'] = { mode: 'softDelete' };
    const record: CommandHandler = () => E.right(undefined);
    const created = createLethe({ policy, clock, store, handlers: Object.fromEntries(hostCommandTypes.map((t) => [t, record])) });
    if (E.isLeft(created)) throw new Error(JSON.stringify(created.left));
    const lethe = created.right;
    const at = (day: number) => `2026-02-0${day}T10:00:00Z`;

    for (const [subjectId, grantId] of [[SUBJECT, GRANT], [OTHER_SUBJECT, OTHER_GRANT]] as const) {
      await ok(lethe.registerSubject({ subjectId, jurisdictions: ['IE'], ourRole: { role: 'controller' } }, { at: at(1) }));
      await ok(lethe.grantConsent({ grantId, subjectId, purpose: 'newsletter', method: 'checkbox', preTicked: false }, { at: at(1) }));
    }
    await ok(lethe.collectData({ subjectId: SUBJECT, category: 'newsletter-profile', system: 'crm', source: 'signup', submission: 'explicit' }, { at: at(2) }));
    await ok(
      lethe.receiveRequest(
        { requestId: REQUEST, subjectId: SUBJECT, requestType: 'access', jurisdiction: 'EU', channel: 'email', receivedAt: at(3), role: 'controller' },
        { at: at(3) },
      ),
    );
    await ok(lethe.withdrawConsent({ grantId: GRANT, channel: 'email' }, { at: at(5) }));
    await ok(lethe.confirmErasure({ subjectId: SUBJECT, category: 'newsletter-profile', target: { system: 'crm' } }, { at: at(6) }));
    expect(lethe.subject(SUBJECT)?.status).toBe('erased');
    expect(await ok(lethe.failedCommands())).toEqual([]);

    for (const stream of OWN) expect(await store.readStream(stream)).toEqual(E.left({ _tag: 'StreamNotFound', stream }));
    const before = byStream(await readAllEvents());
    // Soft-deleted, not yet scavenged: every event is still in $all.
    for (const stream of OWN) expect(before[stream]!.length).toBeGreaterThan(1);
    const lastOf = (stream: string) => before[stream]![before[stream]!.length - 1]!;

    const { removed } = server.scavenge();
    const after = byStream(await readAllEvents());
    const ownBefore = OWN.reduce((n, s) => n + before[s]!.length, 0);
    // The scavenge also drops engine bookkeeping hidden by its own metadata (outbox, checkpoints).
    expect(removed).toBeGreaterThanOrEqual(ownBefore - OWN.length);
    // What survives of the erased subject: each stream's last event, and its $$ metadata ($tb).
    for (const stream of OWN) {
      expect(after[stream]).toEqual([lastOf(stream)]);
      expect(after[`$$${stream}`]).toEqual(['$metadata']);
      expect((await ok(store.getStreamMetadata(stream))).metadata.truncateBefore).toBeDefined();
    }
    expect(after[SUBJECT_STREAM]).toEqual(['SubjectErased']);
    expect(after[CLOCK_STREAM]).toEqual(['RetentionClockClosed']);
    // Requests and the other subject are untouched by the purge and by the scavenge.
    for (const stream of [`lethe.request-${REQUEST}`, `lethe.subject-${OTHER_SUBJECT}`, `lethe.consent-${OTHER_GRANT}`]) {
      expect(after[stream]).toEqual(before[stream]);
      expect((await ok(store.readStream(stream))).map((e) => e.type)).toEqual(before[stream]);
    }
  }, 60_000);
});
