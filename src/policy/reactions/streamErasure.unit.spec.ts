/**
 * The stream-erasure reaction and the `erasure.streams` policy option: the exact command per
 * mode, nothing under `keep`, and the codec's problems by path.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { GRANT, GRANT_2, OTHER_SUBJECT, SUBJECT, lifecyclePolicy, lifecyclePolicyInput, world } from '../../api/lifecycle.fixture.js';
import { retentionClockId } from '../../model/shared.js';
import { decodePolicy, maxAgeSeconds } from '../document.js';
import type { PolicyDocument } from '../document.js';
import { PURGE_SUBJECT_STREAMS, STREAM_ERASURE_REACTION, streamErasureReactions } from './streamErasure.js';

const registered = (subjectId: string) => ({
  type: 'SubjectRegistered',
  data: { subjectId, jurisdictions: ['IE'], ourRole: { role: 'controller' }, registeredAt: '2026-01-05T10:00:00Z' },
});
const granted = (grantId: string, subjectId: string) => ({
  type: 'ConsentGranted',
  data: {
    grantId, subjectId, purpose: 'newsletter', lawfulBasis: 'consent', policyVersion: '2026.1', method: 'checkbox',
    gdprValid: true, evidence: {}, explicit: false, grantedAt: '2026-01-05T10:00:00Z',
  },
});
const started = (subjectId: string, category: string) => ({
  type: 'RetentionClockStarted',
  data: {
    subjectId, category, basis: 'collection', startedAt: '2026-01-05T10:00:00Z',
    deadline: { ruleId: `retention.${category}`, dueAt: '2028-01-05T23:59:59.999Z', citation: 'newsletter retention', explanation: '2 years' },
    onExpiry: 'erase', policyVersion: '2026.1', systems: ['crm'], processors: [],
  },
});
const erased = (scope: 'all' | readonly string[]) => ({
  type: 'SubjectErased',
  data: { scope, reason: 'retentionExpired', erasedAt: '2026-03-01T10:00:00Z' },
});

const NEWSLETTER = retentionClockId(SUBJECT, 'newsletter-profile');
const SERVER_LOGS = retentionClockId(SUBJECT, 'server-logs');

/** A world with SUBJECT (two grants, two clocks) and OTHER_SUBJECT (one grant, one clock); returns the reaction's result for `last`. */
const reactionTo = (policy: PolicyDocument, last: ReturnType<typeof erased>) => {
  const w = world(policy);
  w.feed('subject', SUBJECT, registered(SUBJECT));
  w.feed('subject', OTHER_SUBJECT, registered(OTHER_SUBJECT));
  w.feed('consent', GRANT, granted(GRANT, SUBJECT));
  const otherGrant = '7c6b5a49-3827-4165-9043-21fedcba9876';
  w.feed('consent', otherGrant, granted(otherGrant, OTHER_SUBJECT));
  w.feed('consent', GRANT_2, granted(GRANT_2, SUBJECT));
  w.feed('retention', NEWSLETTER, started(SUBJECT, 'newsletter-profile'));
  w.feed('retention', retentionClockId(OTHER_SUBJECT, 'newsletter-profile'), started(OTHER_SUBJECT, 'newsletter-profile'));
  w.feed('retention', SERVER_LOGS, started(SUBJECT, 'server-logs'));
  w.feed('subject', SUBJECT, last);
  const lastEvent = w.events()[w.events().length - 1]!;
  return streamErasureReactions(policy)[STREAM_ERASURE_REACTION]!.react(lastEvent, { views: { ...w.views() } });
};

const withStreams = (streams: Record<string, unknown> | undefined) =>
  lifecyclePolicy((doc) => {
    if (streams !== undefined) doc['erasure'].streams = streams;
  });

const SUBJECT_STREAMS = [
  `lethe.subject-${SUBJECT}`,
  `lethe.consent-${GRANT}`,
  `lethe.consent-${GRANT_2}`,
  `lethe.retention-${NEWSLETTER}`,
  `lethe.retention-${SERVER_LOGS}`,
];
const CANCELLED_TIMERS = [
  `consent:${GRANT}`,
  `consent:${GRANT_2}`,
  `retention:${NEWSLETTER}`,
  `erasure:${NEWSLETTER}`,
  `retention:${SERVER_LOGS}`,
  `erasure:${SERVER_LOGS}`,
];

describe('stream erasure reaction', () => {
  it('under tombstone, a full erasure emits one PurgeSubjectStreams naming exactly the subject, grant and clock streams', () => {
    expect(reactionTo(withStreams({ mode: 'tombstone' }), erased('all'))).toEqual({
      commands: [{ type: PURGE_SUBJECT_STREAMS, data: { subjectId: SUBJECT, streams: SUBJECT_STREAMS, mode: 'tombstone' } }],
      cancelTimers: CANCELLED_TIMERS,
    });
  });

  it('under softDelete, the same command with mode softDelete; with maxAge, the age in seconds', () => {
    expect(reactionTo(withStreams({ mode: 'softDelete' }), erased('all'))).toEqual({
      commands: [{ type: PURGE_SUBJECT_STREAMS, data: { subjectId: SUBJECT, streams: SUBJECT_STREAMS, mode: 'softDelete' } }],
      cancelTimers: CANCELLED_TIMERS,
    });
    expect(reactionTo(withStreams({ mode: 'softDelete', maxAge: 'P30D' }), erased('all'))).toEqual({
      commands: [
        { type: PURGE_SUBJECT_STREAMS, data: { subjectId: SUBJECT, streams: SUBJECT_STREAMS, mode: 'softDelete', maxAgeSeconds: 30 * 86_400 } },
      ],
      cancelTimers: CANCELLED_TIMERS,
    });
  });

  it('emits nothing under keep, nor when the option is absent (the default is keep)', () => {
    expect(reactionTo(withStreams({ mode: 'keep' }), erased('all'))).toEqual({});
    expect(reactionTo(withStreams(undefined), erased('all'))).toEqual({});
  });

  it('emits nothing for the erasure of some categories only: the subject is not gone', () => {
    expect(reactionTo(withStreams({ mode: 'tombstone' }), erased(['newsletter-profile']))).toEqual({});
  });

  it('ignores every other event', () => {
    const policy = withStreams({ mode: 'tombstone' });
    const w = world(policy);
    const reaction = streamErasureReactions(policy)[STREAM_ERASURE_REACTION]!;
    w.feed('subject', SUBJECT, registered(SUBJECT));
    w.feed('retention', NEWSLETTER, started(SUBJECT, 'newsletter-profile'));
    for (const event of w.events()) expect(reaction.react(event, { views: { ...w.views() } })).toEqual({});
  });
});

describe('erasure.streams in the policy document', () => {
  const problemsWith = (streams: unknown) => {
    const doc = lifecyclePolicyInput();
    (doc['erasure'] as Record<string, unknown>)['streams'] = streams;
    const decoded = decodePolicy(doc);
    return E.isLeft(decoded) ? decoded.left.problems : [];
  };

  it('decodes each mode, and maxAge as a period', () => {
    expect(withStreams({ mode: 'tombstone' }).erasure.streams).toEqual({ mode: 'tombstone' });
    expect(withStreams({ mode: 'softDelete', maxAge: 'PT72H' }).erasure.streams).toEqual({
      mode: 'softDelete',
      maxAge: { unit: 'hours', amount: 72 },
    });
    expect(withStreams(undefined).erasure.streams).toBeUndefined();
  });

  it('reports a bad mode, a missing mode and an unknown field by path', () => {
    expect(problemsWith({ mode: 'shred' })).toEqual([
      { path: 'erasure.streams.mode', message: expect.stringContaining('"shred"') },
    ]);
    expect(problemsWith({})).toEqual([{ path: 'erasure.streams.mode', message: 'required field is missing' }]);
    expect(problemsWith({ mode: 'keep', maxage: 'P1D' })).toEqual([
      { path: 'erasure.streams.maxage', message: 'unknown field (expected one of: mode, maxAge)' },
    ]);
  });

  it('refuses maxAge outside softDelete, and a maxAge without a fixed length', () => {
    expect(problemsWith({ mode: 'tombstone', maxAge: 'P30D' })).toEqual([
      { path: 'erasure.streams.maxAge', message: expect.stringContaining('only with mode "softDelete"') },
    ]);
    expect(problemsWith({ mode: 'keep', maxAge: 'P30D' })).toEqual([
      { path: 'erasure.streams.maxAge', message: expect.stringContaining('not with mode "keep"') },
    ]);
    expect(problemsWith({ mode: 'softDelete', maxAge: 'P1M' })).toEqual([
      { path: 'erasure.streams.maxAge', message: expect.stringContaining('not months') },
    ]);
    expect(problemsWith({ mode: 'softDelete', maxAge: 'P10BD' })).toHaveLength(1);
    expect(problemsWith({ mode: 'softDelete', maxAge: 'P2W' })).toEqual([]);
  });

  it('converts a fixed-length maxAge to EventStoreDB seconds', () => {
    expect(maxAgeSeconds({ unit: 'hours', amount: 72 })).toBe(259_200);
    expect(maxAgeSeconds({ unit: 'calendarDays', amount: 1 })).toBe(86_400);
    expect(maxAgeSeconds({ unit: 'weeks', amount: 2 })).toBe(1_209_600);
    expect(maxAgeSeconds({ unit: 'years', amount: 1 })).toBeUndefined();
  });
});
