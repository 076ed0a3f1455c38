/**
 * InfluencerSoft (seed 000) scenarios through `createLethe` on the in-memory store with a
 * simulated clock. Zone: America/Los_Angeles (PST = UTC-8; PDT = UTC-7 from the second Sunday of
 * March to the first Sunday of November). Counting: EU Reg. 1182/71 (the document's default; GDPR
 * duties), the day of the event not counted, day and month periods ending 23:59:59.999 Los Angeles
 * time, not rolled forward; hour periods are elapsed time from the exact instant.
 */
import { describe, expect, it } from 'vitest';
import { dataOf, lines, policyOf, start, type TimelineStep } from './harness.fixture.js';

const USER = '1f50f700-0000-4000-8000-000000000001';
const END_USER = '1f50f700-0000-4000-8000-000000000002';
const BREACH = '1f50f700-0000-4000-8000-0000000000b1';
const call = (at: string, name: string, input: unknown): TimelineStep => ({ at, call: name, input });
const tick = (at: string): TimelineStep => ({ at, tick: true });
const collect = (subjectId: string, category: string, system = 'app-db') => ({ subjectId, category, system, source: 'signup', submission: 'explicit' });
const signUp = (at: string): TimelineStep[] => [
  call(at, 'registerSubject', { subjectId: USER, jurisdictions: ['GB'], ourRole: { role: 'controller' } }),
  call(at, 'startSubscription', { subjectId: USER, contractId: 'registration-1' }),
  call(at, 'collectData', collect(USER, 'registration')),
  call(at, 'collectData', collect(USER, 'registration-audit')),
];
const assessment = (cause: string) => ({
  breachId: BREACH, risk: 'high', dataCategories: ['controlled-data'], dataSubjectCategories: ['end-users'], approxSubjects: 40, approxRecords: 40,
  dataUnintelligible: false, nature: 'actual', cause, likelyConsequences: 'spam', measures: 'access closed', role: 'processor',
});

describe('InfluencerSoft policy scenarios', () => {
  it('cancelling the registration erases ALL personal data at once, Intercom and the other recipients included (IS-07)', async () => {
    const r = start(policyOf('influencersoft'), '2026-01-15T09:00:00-08:00');
    await r.run(signUp('2026-01-15T09:00:00-08:00'));
    await r.run([call('2026-01-31T18:00:00-08:00', 'cancelSubscription', { subjectId: USER, contractId: 'registration-1' })]);
    const out = await r.run([tick('2026-01-31T18:00:00-08:00')]);
    // The clocks run zero hours from the cancellation (18:00 PST = 02:00Z); the erasure then has GDPR's month:
    // 31 January not counted, no 31 February, so the end of 28 February (PST).
    expect(lines(out)).toEqual([
      'EraseSubjectData @2026-02-01T02:00:00.000Z dueAt=2026-03-01T07:59:59.999Z',
      'EraseSubjectData @2026-02-01T02:00:00.000Z dueAt=2026-03-01T07:59:59.999Z',
    ]);
    expect(dataOf(out, 'EraseSubjectData').map((d) => [d['categories'], d['processors']]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      [['registration'], ['hetzner', 'intercom', 'stripe', 'zendesk']],
      [['registration-audit'], []],
    ]);
    expect(await r.run([tick('2026-02-02T09:00:00-08:00')])).toEqual([]);
  });

  it('server logs are erased after the host-set retention (IS-01; assumption P14D), across the March DST change', async () => {
    const r = start(policyOf('influencersoft'), '2026-03-01T09:00:00-08:00');
    await r.run([
      call('2026-03-01T09:00:00-08:00', 'registerSubject', { subjectId: USER, jurisdictions: ['GB'], ourRole: { role: 'controller' } }),
      call('2026-03-01T09:00:00-08:00', 'collectData', collect(USER, 'server-log', 'web-server')),
    ]);
    expect(await r.run([tick('2026-03-15T23:59:59.998-07:00')])).toEqual([]);
    const out = await r.run([tick('2026-03-16T00:00:00-07:00')]);
    // 1 March not counted; day 14 is 15 March, after the clocks went forward (PDT); then a month: 15 April.
    expect(lines(out)).toEqual(['EraseSubjectData @2026-03-16T06:59:59.999Z dueAt=2026-04-16T06:59:59.999Z']);
    expect(dataOf(out, 'EraseSubjectData')[0]).toMatchObject({ categories: ['server-log'], systems: ['web-server'], processors: ['cloudflare'] });
  });

  it('the processor breach notice counts from awareness AND confirmation (IS-21)', async () => {
    const r = start(policyOf('influencersoft'), '2026-06-12T09:00:00-07:00');
    await r.run([call('2026-06-12T17:00:00-07:00', 'reportBreach', { breachId: BREACH, summary: 'funnel database exposed' })]);
    const aware = await r.run([call('2026-06-12T18:00:00-07:00', 'establishAwareness', { breachId: BREACH, role: 'processor' })]);
    // At awareness only GDPR Art. 33(2)'s host target runs (24 hours); IS-21 waits for confirmation.
    expect(lines(aware)).toEqual(['NotifyController @2026-06-12T18:00:00.000-07:00 dueAt=2026-06-13T18:00:00.000-07:00 dueAt=2026-06-13T18:00:00.000-07:00']);
    expect((dataOf(aware, 'NotifyController')[0]!['obligations'] as { ruleId: string }[]).map((o) => o.ruleId)).toEqual(['gdpr.art33.2.notifyController']);
    const confirmed = await r.run([call('2026-06-15T11:00:00-07:00', 'confirmBreach', { breachId: BREACH })]);
    // Confirmed on Monday 15 June, 11:00 PDT: IS-21's 24-hour target runs from then (the later of the two instants).
    expect(lines(confirmed)).toEqual(['NotifyController @2026-06-15T11:00:00.000-07:00 dueAt=2026-06-16T11:00:00.000-07:00 dueAt=2026-06-16T11:00:00.000-07:00']);
    expect((dataOf(confirmed, 'NotifyController')[0]!['obligations'] as { ruleId: string }[]).map((o) => o.ruleId)).toEqual(['influencersoft.breach.notifyCustomer']);
  });

  it('no breach duty for an incident the customer caused (IS-22)', async () => {
    const r = start(policyOf('influencersoft'), '2026-06-12T09:00:00-07:00');
    await r.run([
      call('2026-06-12T17:00:00-07:00', 'reportBreach', { breachId: BREACH, summary: 'customer shared an admin password' }),
      call('2026-06-12T18:00:00-07:00', 'establishAwareness', { breachId: BREACH, role: 'processor' }),
      call('2026-06-12T19:00:00-07:00', 'assessBreach', { ...assessment('customer'), assessedAt: '2026-06-12T19:00:00-07:00' }),
    ]);
    const out = await r.run([call('2026-06-13T11:00:00-07:00', 'confirmBreach', { breachId: BREACH })]);
    // Excluded cause: IS-21's duty never opens (GDPR Art. 33(2) still ran from awareness).
    expect(out).toEqual([]);
    expect(r.commands.filter((c) => JSON.stringify(c.data).includes('influencersoft.breach.notifyCustomer'))).toEqual([]);
  });
});
