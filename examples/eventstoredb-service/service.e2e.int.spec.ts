// The example service end to end over HTTP, on the in-process EventStoreDB test server with a
// simulated clock: a subject's data is really deleted when its retention clock runs out (and not a
// minute before), the timeline explains why without personal data, a breach writes the
// authority's notification with its 72-hour deadline, and bad input is a 400 naming the path.
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEventStoreDb } from '../../src/adapters/eventstoredb/index.js';
import type { EventStoreDbEventStore } from '../../src/adapters/eventstoredb/index.js';
import { getInMemoryEventStore, simulatedClock, systemClock } from '../../src/index.js';
import { startEventStoreDbTestServer } from '../../src/testing/esdb/index.js';
import type { EsdbTestServer } from '../../src/testing/esdb/index.js';
import { startService } from './service.js';
import type { Service } from './service.js';

const clock = simulatedClock(Date.parse('2026-03-02T09:00:00Z'));
let server: EsdbTestServer;
let store: EventStoreDbEventStore;
let service: Service;

beforeAll(async () => {
  server = await startEventStoreDbTestServer({ clock });
  const connected = await connectEventStoreDb(server.connectionString);
  if (E.isLeft(connected)) throw new Error(connected.left._tag);
  store = connected.right;
  service = await startService({ store, clock, port: 0 });
});

afterAll(async () => {
  await service?.close();
  await store?.close();
  await server?.close();
});

interface Response {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  readonly text: string;
}

const http = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> => {
  const response = await fetch(`${service.url}${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as unknown, text };
};
const post = (path: string, body: unknown): Promise<Response> => http('POST', path, body);
const get = (path: string): Promise<Response> => http('GET', path);
const setClock = async (now: string): Promise<Response> => {
  const moved = await post('/admin/clock', { now });
  expect(moved.status).toBe(200);
  return moved;
};

const NAME = 'Ada Quietly-Lovelace';
const EMAIL = 'ada.quiet@example.org';
const NEW_EMAIL = 'ada.widget@example.org';

describe('the EventStoreDB example service', () => {
  let subjectId = '';

  it('erases the row of a subject who went quiet exactly when the retention period runs out, and the timeline says why', async () => {
    const signedUp = await post('/subjects', { name: NAME, email: EMAIL });
    expect(signedUp.status).toBe(201);
    subjectId = signedUp.body.subjectId as string;
    expect((await get(`/users/${subjectId}`)).body).toMatchObject({ subjectId, name: NAME, email: EMAIL });

    expect((await post(`/subjects/${subjectId}/consents`, { purpose: 'lead-follow-up', method: 'checkbox', preTicked: false })).status).toBe(201);
    expect((await get(`/subjects/${subjectId}/can-process?purpose=lead-follow-up`)).body).toMatchObject({ allowed: true });

    // A week later the subject submits a widget: the clock restarts from this explicit submission.
    await setClock('2026-03-10T12:00:00Z');
    const submitted = await post(`/subjects/${subjectId}/collections`, { source: 'newsletter-widget', submission: 'explicit', fields: { email: NEW_EMAIL } });
    expect(submitted.status).toBe(201);
    expect((await get(`/users/${subjectId}`)).body).toMatchObject({ name: NAME, email: NEW_EMAIL });

    // Page views later on do not reset it (only explicit submissions do): the subject has gone quiet.
    await setClock('2026-09-01T08:00:00Z');
    expect((await post(`/subjects/${subjectId}/activity`, { kind: 'pageView', category: 'widget-leads' })).status).toBe(201);

    // 365 calendar days after 2026-03-10 (the day of the submission not counted, EU Reg. 1182/71):
    // the end of 2027-03-10 in Europe/Dublin, GMT then.
    const owed = (await get(`/obligations?subjectId=${subjectId}`)).body.obligations as { duty: string; dueAt: string; state: string; rule: { ruleId: string } }[];
    expect(owed).toEqual([expect.objectContaining({ duty: 'startErasure', dueAt: '2027-03-10T23:59:59.999Z', state: 'pending', rule: expect.objectContaining({ ruleId: 'retention.widget-leads' }) })]);

    // A millisecond before the due instant nothing is erased; at the next tick after it, the row is gone.
    expect((await setClock('2027-03-10T23:59:59.998Z')).body.fired).toBe(0);
    expect((await get(`/users/${subjectId}`)).body).toMatchObject({ name: NAME, email: NEW_EMAIL });

    const past = await setClock('2027-03-11T00:00:00.000Z');
    expect(past.body.fired).toBeGreaterThan(0);
    const gone = await get(`/users/${subjectId}`);
    expect(gone.status).toBe(404);
    expect(gone.text).not.toContain(NAME);

    // The erasure was confirmed back: both duties satisfied in time, nothing left open for the subject.
    const done = (await get(`/obligations?subjectId=${subjectId}&state=satisfied`)).body.obligations as { duty: string; satisfaction: { eventType: string; late: boolean } }[];
    expect(done.map((o) => [o.duty, o.satisfaction.eventType, o.satisfaction.late])).toEqual([
      ['startErasure', 'ErasureRequested', false],
      ['completeErasure', 'ErasureCompleted', false],
    ]);
    expect((await get(`/obligations?subjectId=${subjectId}`)).body.obligations).toEqual([]);

    // The timeline says why, with the rule and its citation, and holds neither the name nor the emails.
    const timeline = await get(`/subjects/${subjectId}/timeline`);
    expect(timeline.status).toBe(200);
    const entries = timeline.body.entries as { at: string; type: string; summary: string; ruleId?: string; citation?: string }[];
    const types = entries.map((e) => e.type);
    for (const type of ['RetentionClockStarted', 'RetentionClockReset', 'RetentionClockExpired', 'ErasureRequested', 'ErasureAuthorised', 'ErasureConfirmed', 'ErasureCompleted', 'RetentionClockClosed'])
      expect(types).toContain(type);
    expect(types.indexOf('RetentionClockReset')).toBeLessThan(types.indexOf('RetentionClockExpired'));
    expect(types.filter((t) => t === 'RetentionClockReset')).toHaveLength(1); // the page view did not reset it
    const expired = entries.find((e) => e.type === 'RetentionClockExpired')!;
    expect(expired.at).toBe('2027-03-10T23:59:59.999Z');
    const reset = entries.find((e) => e.type === 'RetentionClockReset')!;
    expect(reset).toMatchObject({ ruleId: 'retention.widget-leads', citation: expect.stringContaining('CF-22') });
    expect(entries.find((e) => e.type === 'ErasureRequested')).toMatchObject({
      summary: expect.stringContaining('retentionExpired'),
      ruleId: 'erasure.completion',
      citation: expect.stringContaining('CF-06'),
    });
    for (const secret of [NAME, 'Ada', EMAIL, NEW_EMAIL, 'example.org']) expect(timeline.text).not.toContain(secret);
  });

  it('writes the authority notification of a breach with its deadline 72 hours from awareness, lists it as pending, then overdue', async () => {
    await setClock('2027-03-12T16:30:00Z');
    const reported = await post('/breaches', { summary: 'exports bucket readable by anyone', detectedAt: '2027-03-12T16:30:00Z' });
    expect(reported.status).toBe(201);
    const breachId = reported.body.breachId as string;
    expect((await get('/notifications')).body.notifications).toEqual([]);

    await setClock('2027-03-12T18:45:00Z');
    expect((await post(`/breaches/${breachId}/awareness`, { awareAt: '2027-03-12T18:45:00Z' })).status).toBe(200);

    const written = (await get('/notifications')).body.notifications as Record<string, unknown>[];
    expect(written).toEqual([
      expect.objectContaining({
        type: 'NotifySupervisoryAuthority',
        entity: { kind: 'breach', id: breachId },
        dueAt: '2027-03-15T18:45:00.000+00:00',
        rules: [{ ruleId: 'gdpr.art33.1.notifyAuthority', dueAt: '2027-03-15T18:45:00.000+00:00', citation: 'GDPR Art. 33(1)' }],
      }),
    ]);
    expect(Date.parse(written[0]!['dueAt'] as string) - Date.parse('2027-03-12T18:45:00Z')).toBe(72 * 3600 * 1000);

    const open = (await get('/obligations')).body.obligations as Record<string, unknown>[];
    expect(open).toEqual([
      expect.objectContaining({
        entity: expect.objectContaining({ kind: 'breach', id: breachId }),
        rule: expect.objectContaining({ ruleId: 'gdpr.art33.1.notifyAuthority', citation: 'GDPR Art. 33(1)' }),
        dueAt: '2027-03-15T18:45:00.000+00:00',
        state: 'pending',
      }),
    ]);

    // Nobody records the notice: past the deadline the obligation is overdue and an ObligationOverdue record is written.
    await setClock('2027-03-15T18:45:00.001Z');
    const overdue = (await get('/obligations?state=overdue')).body.obligations as Record<string, unknown>[];
    expect(overdue).toEqual([expect.objectContaining({ entity: expect.objectContaining({ id: breachId }), state: 'overdue' })]);
    const after = (await get('/notifications')).body.notifications as Record<string, unknown>[];
    expect(after.map((n) => n['type'])).toEqual(['NotifySupervisoryAuthority', 'ObligationOverdue']);
    expect(after[1]).toMatchObject({ entity: { kind: 'breach', id: breachId }, rules: [{ ruleId: 'gdpr.art33.1.notifyAuthority' }] });
  });

  it('answers a bad body with a 400 naming the path (never echoing the value), and unknown routes with 404', async () => {
    const bad = await post(`/subjects/${subjectId}/consents`, { purpose: 'lead-follow-up', method: 'checkbox', preTicked: 'no' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'InvalidInput', path: 'preTicked', message: expect.any(String) });

    const badBreach = await post('/breaches', { summary: 'x', detectedAt: 'yesterday' });
    expect(badBreach).toMatchObject({ status: 400, body: { error: 'InvalidInput', path: 'detectedAt' } });
    expect(badBreach.text).not.toContain('yesterday');

    const badEmail = await post('/subjects', { name: 'Bo', email: 'bo-at-example' });
    expect(badEmail).toMatchObject({ status: 400, body: { error: 'InvalidInput', path: 'email' } });
    expect(badEmail.text).not.toContain('bo-at-example');

    const notJson = await fetch(`${service.url}/breaches`, { method: 'POST', body: '{"summary":' });
    expect(notJson.status).toBe(400);

    expect((await get('/nowhere')).status).toBe(404);
    expect((await post(`/subjects/${subjectId}/nothing`, {})).status).toBe(404);
  });

  it('offers POST /admin/clock only on a simulated clock', async () => {
    const onSystemClock = await startService({ store: getInMemoryEventStore(), clock: systemClock, port: 0, tickEverySeconds: 3600 });
    try {
      const response = await fetch(`${onSystemClock.url}/admin/clock`, { method: 'POST', body: JSON.stringify({ now: '2030-01-01T00:00:00Z' }) });
      expect(response.status).toBe(404);
      expect(service.simulated).toBe(true);
      expect(onSystemClock.simulated).toBe(false);
    } finally {
      await onSystemClock.close();
    }
  });
});
