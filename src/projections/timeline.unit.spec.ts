import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LetheEvent } from '../engine/commandHandler.js';
import { personalPaths } from '../model/personal.js';
import { feed, eventCodecs } from './feed.fixture.js';
import { LIFE_CLOCK, LIFE_GRANT, LIFE_REQUEST, LIFE_SUBJECT, lifeOfSubject } from './timeline.fixture.js';
import { type TimelineState, summariseEvent, timeline, timelineProjection } from './timeline.js';

const fold = (events: readonly LetheEvent[]): TimelineState => events.reduce(timelineProjection.apply, timelineProjection.init());

const OTHER = '88888888-8888-4888-8888-888888888888';
const BREACH = '99999999-9999-4999-8999-999999999999';

const feedLife = (pii: string, birthDate: string): readonly LetheEvent[] => {
  const f = feed();
  for (const [kind, id, event] of lifeOfSubject(pii, birthDate)) f.event(kind, id, event);
  return f.all();
};

/** The value at a dotted path with `[]` for array elements: every value found. */
const valuesAt = (u: unknown, path: readonly string[]): unknown[] => {
  if (path.length === 0) return [u];
  const [head, ...rest] = path as [string, ...string[]];
  if (head.endsWith('[]')) {
    const arr = (u as Record<string, unknown> | undefined)?.[head.slice(0, -2)];
    return Array.isArray(arr) ? arr.flatMap((x) => valuesAt(x, rest)) : [];
  }
  if (typeof u !== 'object' || u === null) return [];
  const next = (u as Record<string, unknown>)[head];
  return next === undefined ? [] : valuesAt(next, rest);
};

describe('timeline', () => {
  it("holds the subject's own, consent, retention and request events, oldest first, and nobody else's", () => {
    const f = feed();
    f.event('subject', LIFE_SUBJECT, { type: 'SubscriptionStarted', data: { contractId: 'c-1', startedAt: '2026-03-01T10:00:00Z' } }, { eventId: 'a' });
    f.event('subject', OTHER, { type: 'SubscriptionStarted', data: { contractId: 'c-9', startedAt: '2026-03-01T10:00:00Z' } });
    f.event('breach', BREACH, { type: 'BreachContained', data: { at: '2026-03-01T11:00:00Z' } });
    f.event(
      'consent',
      LIFE_GRANT,
      {
        type: 'ConsentGranted',
        data: {
          grantId: LIFE_GRANT,
          subjectId: LIFE_SUBJECT,
          purpose: 'newsletter',
          lawfulBasis: 'consent',
          policyVersion: '2026.1',
          method: 'checkbox',
          gdprValid: true,
          evidence: {},
          explicit: false,
          grantedAt: '2026-03-02T10:00:00Z',
        },
      },
      { eventId: 'b' },
    );
    // Recorded later, but it happened first: the timeline follows business time.
    f.event('subject', LIFE_SUBJECT, { type: 'SubscriptionCancelled', data: { contractId: 'c-0', cancelledAt: '2026-02-01T10:00:00Z' } }, { eventId: 'c', recordedAt: '2026-03-03T10:00:00Z' });
    f.event('consent', LIFE_GRANT, { type: 'ConsentWithdrawn', data: { withdrawnAt: '2026-03-02T10:00:00Z', channel: 'email' } }, { eventId: 'd' });
    const entries = timeline(fold(f.all()), LIFE_SUBJECT);
    expect(entries.map((e) => [e.eventId, e.at, e.type, e.kind])).toEqual([
      ['c', '2026-02-01T10:00:00Z', 'SubscriptionCancelled', 'subject'],
      ['a', '2026-03-01T10:00:00Z', 'SubscriptionStarted', 'subject'],
      // Same business time: feed order.
      ['b', '2026-03-02T10:00:00Z', 'ConsentGranted', 'consent'],
      ['d', '2026-03-02T10:00:00Z', 'ConsentWithdrawn', 'consent'],
    ]);
    expect(entries[0]).toEqual({
      at: '2026-02-01T10:00:00Z',
      recordedAt: '2026-03-03T10:00:00Z',
      kind: 'subject',
      streamName: `lethe.subject-${LIFE_SUBJECT}`,
      revision: '1',
      type: 'SubscriptionCancelled',
      eventId: 'c',
      summary: 'Subscription c-0 cancelled',
    });
    expect(entries[3]?.summary).toBe('Consent for newsletter withdrawn via email');
    expect(timeline(fold(f.all()), OTHER).map((e) => e.summary)).toEqual(['Subscription c-9 started']);
    expect(timeline(fold(f.all()), BREACH)).toEqual([]);
  });

  it('summarises from non-personal fields: purpose, category, rule, due time', () => {
    const entries = timeline(fold(feedLife('Jane Roe <jane@example.com>', '2010-05-17')), LIFE_SUBJECT);
    const summary = (type: string, n = 0) => entries.filter((e) => e.type === type)[n]?.summary;
    expect(summary('SubjectRegistered')).toBe('Subject registered (jurisdictions eu, us-ca; our role: controller)');
    expect(summary('AgeEstablished', 0)).toBe('Age established (age 16)');
    expect(summary('AgeEstablished', 1)).toBe('Age established (from a birth date)');
    expect(summary('DataCollected')).toBe('Collected account into app-db from signup (explicit submission; policy 2026.1)');
    expect(summary('ConsentGranted')).toBe(
      'Consent granted for newsletter by checkbox (policy 2026.1; parental authorisation recorded; expires at 2028-01-05T09:05:00Z)',
    );
    expect(summary('RetentionClockStarted')).toBe(
      'Retention clock for account started (basis lastActivity; erase due at 2027-01-05T23:59:59.999Z under retention.account)',
    );
    expect(summary('ErasureApproved')).toBe('Erasure of account approved by the CEO role');
    expect(summary('RequestReceived')).toBe(
      'Request (access) received via email (jurisdiction eu; we are controller; from dataSubject; through an authorised agent; respond by 2026-03-03T23:59:59.999Z under gdpr.art12.3.respond; confirm receipt by 2026-02-10T23:59:59.999Z)',
    );
    expect(summary('RequestExtended')).toBe(
      'Answer period of the access request extended to 2026-05-03T23:59:59.999Z (rule gdpr.art12.3.extend; notice sent at 2026-02-20T10:00:00Z)',
    );
    expect(summary('LegalHoldPlaced')).toBe('Legal hold hold-1 placed (reference case-2026-17; scope: all categories)');
    expect(summary('ErasureConfirmed', 1)).toBe('Erasure of account confirmed for processor aws');
    // Every event of the life is in the timeline, with a summary of its own (not just the type).
    expect(entries).toHaveLength(lifeOfSubject('x', '2010-05-17').length);
    for (const e of entries) expect(e.summary).not.toBe(e.type);
  });

  it('the fixture puts the personal value in every personal field the codecs declare', () => {
    const pii = 'PII-MARKER-42';
    const events = feedLife(pii, '2010-05-17');
    for (const kind of ['subject', 'consent', 'retention', 'request'] as const) {
      const ofKind = events.filter((e) => e.kind === kind);
      for (const path of personalPaths(eventCodecs[kind])) {
        const found = ofKind.some((e) =>
          valuesAt(e.event, path.split('.')).some((v) => JSON.stringify(v).includes(pii) || JSON.stringify(v).includes('2010-05-17')),
        );
        expect(found, `${kind} ${path}`).toBe(true);
      }
    }
  });

  it('never puts a personal value in a summary', () => {
    const piiString = fc
      .string({ minLength: 6, maxLength: 40, unit: 'grapheme' })
      .filter((x) => x.trim().length >= 6 && !/^\d{4}-\d{2}-\d{2}T/.test(x));
    const birthDate = fc
      .date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2015-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(piiString, birthDate, (pii, born) => {
        const entries = timeline(fold(feedLife(pii, born)), LIFE_SUBJECT);
        expect(entries.length).toBeGreaterThan(40);
        for (const e of entries) {
          expect(e.summary).not.toContain(pii);
          expect(e.summary).not.toContain(born);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuses to read a personal field even when a summariser asks for it, and summarises unknown types by type', () => {
    // DataRectified.fields is personal as a whole: the summary names only the category.
    expect(summariseEvent('subject', { type: 'DataRectified', data: { fields: { email: 'x@y.z' }, rectifiedAt: '2026-01-01T00:00:00Z', category: 'account' } })).toBe(
      'Data rectified (category account)',
    );
    expect(summariseEvent('subject', { type: 'SomethingNew', data: { name: 'Jane Roe' } })).toBe('SomethingNew');
  });

  it('ties a stream to its subject at its first event and ignores streams whose opening it never saw', () => {
    const f = feed();
    f.event('request', LIFE_REQUEST, { type: 'ReceiptConfirmed', data: { at: '2026-02-04T10:00:00Z' } });
    f.event('retention', LIFE_CLOCK, { type: 'RetentionClockClosed', data: { closedAt: '2026-02-06T00:00:00Z' } });
    const state = fold(f.all());
    expect(timeline(state, LIFE_SUBJECT)).toEqual([]);
    expect(state.entries.size).toBe(0);
  });

  it('is a pure fold: an earlier state keeps its timeline after later events are applied', () => {
    const events = feedLife('Jane Roe', '2010-05-17');
    const early = fold(events.slice(0, 5));
    const before = timeline(early, LIFE_SUBJECT).map((e) => e.eventId);
    const later = events.slice(5).reduce(timelineProjection.apply, early);
    expect(timeline(early, LIFE_SUBJECT).map((e) => e.eventId)).toEqual(before);
    expect(before).toHaveLength(5);
    expect(timeline(later, LIFE_SUBJECT)).toEqual(timeline(fold(events), LIFE_SUBJECT));
  });
});
