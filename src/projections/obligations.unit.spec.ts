import { describe, expect, it } from 'vitest';
import type { LetheEvent } from '../engine/commandHandler.js';
import type { DomainEvent } from '../engine/decider.js';
import { retentionClockId } from '../model/shared.js';
import { feed } from './feed.fixture.js';
import {
  type Obligation,
  type ObligationsQuery,
  type ObligationsState,
  OPEN_OBLIGATION_STATES,
  obligations,
  obligationsProjection,
} from './obligations.js';

const SUBJECT = '11111111-1111-4111-8111-111111111111';
const OTHER_SUBJECT = '11111111-1111-4111-8111-222222222222';
const REQUEST = '22222222-2222-4222-8222-222222222222';
const REQUEST_2 = '22222222-2222-4222-8222-333333333333';
const BREACH = '33333333-3333-4333-8333-333333333333';
const CLOCK = retentionClockId(SUBJECT, 'account');

const at = (iso: string): number => Date.parse(iso);
const fold = (events: readonly LetheEvent[]): ObligationsState =>
  events.reduce(obligationsProjection.apply, obligationsProjection.init());
const only = (list: readonly Obligation[]): Obligation => {
  expect(list).toHaveLength(1);
  return list[0] as Obligation;
};
const byId = (state: ObligationsState, id: string, now: string): Obligation | undefined =>
  obligations(state, { now: at(now) }).find((o) => o.id === id);

const deadline = (ruleId: string, dueAt: string, hostTargetAt?: string) => ({
  ruleId,
  dueAt,
  citation: `citation of ${ruleId}`,
  explanation: `explanation of ${ruleId}`,
  ...(hostTargetAt === undefined ? {} : { hostTargetAt }),
});

const received = (requestId: string, subjectId: string, receivedAt: string, respondBy: string, confirmBy?: string): DomainEvent => ({
  type: 'RequestReceived',
  data: {
    requestId,
    subjectId,
    requestType: 'access',
    jurisdiction: 'us-ca',
    channel: 'web',
    receivedAt,
    role: 'controller',
    receivedFrom: 'dataSubject',
    deadlines: {
      respond: deadline('ccpa.7021.b.respond', respondBy),
      ...(confirmBy === undefined ? {} : { confirmReceipt: deadline('ccpa.7021.a.confirm', confirmBy) }),
    },
    policyVersion: '2026.1',
    correspondence: 'Please send me everything you hold on Jane Roe',
  },
});

const requestStream = `lethe.request-${REQUEST}`;
const respondId = `${requestStream}/respond`;
const confirmId = `${requestStream}/confirmReceipt`;

describe('obligations: requests', () => {
  const f = feed();
  const receipt = f.event('request', REQUEST, received(REQUEST, SUBJECT, '2026-03-02T10:00:00Z', '2026-04-16T23:59:59.999Z', '2026-03-16T23:59:59.999Z'), {
    eventId: 'receipt-1',
  });
  const state = fold(f.all());

  it('records respond and confirmReceipt with their trigger, rule and legal due time', () => {
    const respond = byId(state, respondId, '2026-03-03T00:00:00Z');
    expect(respond).toEqual({
      id: respondId,
      duty: 'respond',
      entity: { kind: 'request', id: REQUEST, streamName: requestStream },
      subjectId: SUBJECT,
      trigger: { eventType: 'RequestReceived', eventId: 'receipt-1', occurredAt: receipt.metadata.occurredAt },
      rule: { ruleId: 'ccpa.7021.b.respond', citation: 'citation of ccpa.7021.b.respond', explanation: 'explanation of ccpa.7021.b.respond' },
      dueAt: '2026-04-16T23:59:59.999Z',
      state: 'pending',
    });
    expect(byId(state, confirmId, '2026-03-03T00:00:00Z')?.dueAt).toBe('2026-03-16T23:59:59.999Z');
  });

  it('is pending up to and including its due instant, overdue one millisecond later', () => {
    expect(byId(state, respondId, '2026-04-16T23:59:59.999Z')?.state).toBe('pending');
    expect(byId(state, respondId, '2026-04-17T00:00:00Z')?.state).toBe('overdue');
  });

  it('is satisfied by the answer, on time or late, with the satisfying event and instant', () => {
    const onTime = fold([...f.all(), feed().event('request', REQUEST, { type: 'RequestFulfilled', data: { at: '2026-04-01T09:00:00Z', deliveryChannel: 'email' } }, { eventId: 'answer' })]);
    expect(byId(onTime, respondId, '2026-06-01T00:00:00Z')).toMatchObject({
      state: 'satisfied',
      satisfaction: { eventType: 'RequestFulfilled', eventId: 'answer', at: '2026-04-01T09:00:00Z', late: false },
    });
    // The answer also confirms receipt, but that came after its own deadline.
    expect(byId(onTime, confirmId, '2026-06-01T00:00:00Z')?.satisfaction?.late).toBe(true);

    const late = fold([
      ...f.all(),
      feed().event('request', REQUEST, { type: 'RequestRefused', data: { at: '2026-04-20T09:00:00Z', reasons: ['manifestlyUnfounded'], complaintRightNotified: true } }),
    ]);
    expect(byId(late, respondId, '2026-06-01T00:00:00Z')).toMatchObject({ state: 'satisfied', satisfaction: { eventType: 'RequestRefused', late: true } });
  });

  it('satisfies confirmReceipt with ReceiptConfirmed, leaving respond open', () => {
    const s = fold([...f.all(), feed().event('request', REQUEST, { type: 'ReceiptConfirmed', data: { at: '2026-03-05T09:00:00Z' } })]);
    expect(byId(s, confirmId, '2026-03-20T00:00:00Z')).toMatchObject({ state: 'satisfied', satisfaction: { at: '2026-03-05T09:00:00Z', late: false } });
    expect(byId(s, respondId, '2026-03-20T00:00:00Z')?.state).toBe('pending');
  });

  it('moves respond to the extended due time, so an answer between the two limits is on time', () => {
    const g = feed();
    const extended = g.event(
      'request',
      REQUEST,
      {
        type: 'RequestExtended',
        data: {
          at: '2026-04-10T09:00:00Z',
          noticeSentAt: '2026-04-10T09:00:00Z',
          reason: 'We need more time to search the archive of Jane Roe',
          newDueAt: '2026-05-31T23:59:59.999Z',
          ruleId: 'ccpa.7021.b.extend',
          citation: '11 CCR 7021(b)',
        },
      },
      { eventId: 'ext' },
    );
    const s = fold([...f.all(), extended]);
    const respond = byId(s, respondId, '2026-05-01T00:00:00Z');
    expect(respond).toMatchObject({
      state: 'pending',
      dueAt: '2026-05-31T23:59:59.999Z',
      trigger: { eventType: 'RequestExtended', eventId: 'ext' },
      rule: { ruleId: 'ccpa.7021.b.extend', citation: '11 CCR 7021(b)' },
    });
    expect(respond?.rule.explanation).toContain('instead of 2026-04-16T23:59:59.999Z');
    expect(respond?.rule.explanation).not.toContain('Jane Roe');
    const answered = fold([...f.all(), extended, g.event('request', REQUEST, { type: 'RequestFulfilled', data: { at: '2026-05-20T09:00:00Z', deliveryChannel: 'email' } })]);
    expect(byId(answered, respondId, '2026-06-01T00:00:00Z')?.satisfaction?.late).toBe(false);
  });

  it('replaces the deadlines on a clock restart; a duty the restart no longer carries is not owed', () => {
    const s = fold([
      ...f.all(),
      feed().event(
        'request',
        REQUEST,
        {
          type: 'RequestClockRestarted',
          data: { reason: 'identityEvidenceReceived', at: '2026-03-10T09:00:00Z', deadlines: { respond: deadline('ukgdpr.art12a.respond', '2026-04-10T23:59:59.999Z') } },
        },
        { eventId: 'restart' },
      ),
    ]);
    expect(byId(s, respondId, '2026-04-11T00:00:00Z')).toMatchObject({
      state: 'overdue',
      dueAt: '2026-04-10T23:59:59.999Z',
      trigger: { eventType: 'RequestClockRestarted', eventId: 'restart' },
      rule: { ruleId: 'ukgdpr.art12a.respond' },
    });
    expect(byId(s, confirmId, '2026-04-11T00:00:00Z')).toMatchObject({ state: 'exempt', exemption: { code: 'superseded', eventId: 'restart' } });
  });

  it('exempts what is still open when the requester withdraws', () => {
    const s = fold([...f.all(), feed().event('request', REQUEST, { type: 'RequestWithdrawn', data: { at: '2026-03-04T09:00:00Z' } }, { eventId: 'wd' })]);
    const listed = obligations(s, { now: at('2026-12-01T00:00:00Z') });
    expect(listed.map((o) => [o.duty, o.state, o.exemption?.code])).toEqual([
      ['confirmReceipt', 'exempt', 'requestWithdrawn'],
      ['respond', 'exempt', 'requestWithdrawn'],
    ]);
  });

  it('ignores events of a request stream whose receipt it never saw', () => {
    const s = fold([feed().event('request', REQUEST_2, { type: 'ReceiptConfirmed', data: { at: '2026-03-05T09:00:00Z' } })]);
    expect(obligations(s, { now: 0 })).toEqual([]);
  });
});

const breachStream = `lethe.breach-${BREACH}`;
const art33 = `${breachStream}/gdpr.art33.1`;
const art34 = `${breachStream}/gdpr.art34.1`;

describe('obligations: breaches', () => {
  const f = feed();
  f.event('breach', BREACH, { type: 'BreachDetected', data: { breachId: BREACH, detectedAt: '2026-05-04T08:00:00Z', summary: 'Laptop of J. Roe stolen' } });
  f.event(
    'breach',
    BREACH,
    {
      type: 'BreachAwarenessEstablished',
      data: { awareAt: '2026-05-04T10:00:00Z', deadlines: [deadline('gdpr.art33.1', '2026-05-07T10:00:00Z', '2026-05-05T10:00:00Z')] },
    },
    { eventId: 'aware' },
  );
  const assessed = (deadlines: readonly ReturnType<typeof deadline>[]): DomainEvent => ({
    type: 'BreachAssessed',
    data: {
      assessedAt: '2026-05-04T16:00:00Z',
      risk: 'high',
      dataCategories: ['account'],
      dataSubjectCategories: ['customers'],
      approxSubjects: 120,
      approxRecords: 300,
      dataUnintelligible: false,
      nature: 'actual',
      cause: 'internal',
      likelyConsequences: 'phishing',
      measures: 'passwords reset',
      deadlines,
    },
  });
  f.event('breach', BREACH, assessed([deadline('gdpr.art34.1', '2026-05-10T16:00:00Z')]), { eventId: 'assessed' });
  const state = fold(f.all());

  it('shows the host target apart from the legal limit: pending, then due, then overdue', () => {
    expect(byId(state, art33, '2026-05-05T10:00:00Z')).toMatchObject({
      state: 'pending',
      dueAt: '2026-05-07T10:00:00Z',
      hostTargetAt: '2026-05-05T10:00:00Z',
      trigger: { eventType: 'BreachAwarenessEstablished', eventId: 'aware', occurredAt: '2026-05-04T10:00:00Z' },
      entity: { kind: 'breach', id: BREACH },
    });
    expect(byId(state, art33, '2026-05-05T10:00:00.001Z')?.state).toBe('due');
    expect(byId(state, art33, '2026-05-07T10:00:00Z')?.state).toBe('due');
    expect(byId(state, art33, '2026-05-07T10:00:00.001Z')?.state).toBe('overdue');
    // Without a host target an obligation is pending until the legal limit.
    expect(byId(state, art34, '2026-05-10T16:00:00Z')?.state).toBe('pending');
  });

  it('is satisfied by a notification naming the rule, and exempted by an exemption with its code', () => {
    const g = feed();
    const s = fold([
      ...f.all(),
      g.event(
        'breach',
        BREACH,
        {
          type: 'AuthorityNotified',
          data: { authorityId: 'ie-dpc', phase: 'initial', at: '2026-05-08T09:00:00Z', satisfies: ['gdpr.art33.1'], content: {}, delayReasons: 'Staff of J. Roe on leave' },
        },
        { eventId: 'notified' },
      ),
      g.event('breach', BREACH, { type: 'DelayJustified', data: { ruleId: 'gdpr.art33.1', reasons: 'Staff of J. Roe on leave', at: '2026-05-08T09:00:00Z' } }),
      g.event(
        'breach',
        BREACH,
        { type: 'NotificationExemptionRecorded', data: { ruleId: 'gdpr.art34.1', exemption: 'gdpr.art34.3.a', reasoning: 'Encrypted disk, key of J. Roe safe', at: '2026-05-06T09:00:00Z' } },
        { eventId: 'exempted' },
      ),
    ]);
    expect(byId(s, art33, '2026-06-01T00:00:00Z')).toMatchObject({
      state: 'satisfied',
      satisfaction: { eventType: 'AuthorityNotified', eventId: 'notified', at: '2026-05-08T09:00:00Z', late: true },
      delayJustifiedAt: '2026-05-08T09:00:00Z',
    });
    const exempt = byId(s, art34, '2026-06-01T00:00:00Z');
    expect(exempt).toMatchObject({ state: 'exempt', exemption: { code: 'gdpr.art34.3.a', eventType: 'NotificationExemptionRecorded', eventId: 'exempted', at: '2026-05-06T09:00:00Z' } });
    // Free-text reasoning is personal: it never reaches the obligation.
    expect(JSON.stringify(obligations(s, { now: at('2026-06-01T00:00:00Z') }))).not.toContain('Roe');
  });

  it('keeps the first record of a rule: a later assessment does not move its due time', () => {
    const s = fold([...f.all(), feed().event('breach', BREACH, assessed([deadline('gdpr.art34.1', '2026-05-20T16:00:00Z')]))]);
    expect(byId(s, art34, '2026-05-11T00:00:00Z')).toMatchObject({ state: 'overdue', dueAt: '2026-05-10T16:00:00Z', trigger: { eventId: 'assessed' } });
  });

  it('names no subject, so a subject filter leaves breach obligations out', () => {
    expect(obligations(state, { now: 0, subjectId: SUBJECT })).toEqual([]);
    expect(obligations(state, { now: 0 })).toHaveLength(2);
  });
});

const clockStream = `lethe.retention-${CLOCK}`;
const startId = `${clockStream}/1/startErasure`;
const completeId = `${clockStream}/1/completeErasure`;

const clockStarted = (dueAt: string, category = 'account', subjectId = SUBJECT): DomainEvent => ({
  type: 'RetentionClockStarted',
  data: {
    subjectId,
    category,
    basis: 'subscriptionCancelled',
    startedAt: '2026-01-10T12:00:00Z',
    deadline: deadline('retention.account', dueAt),
    onExpiry: 'erase',
    policyVersion: '2026.1',
    systems: ['app-db'],
    processors: ['aws'],
    graceUntil: dueAt,
  },
});
const hold = (holdId: string, scope: 'all' | string[], placedAt: string): DomainEvent => ({
  type: 'LegalHoldPlaced',
  data: { holdId, reason: 'case-2026-17', scope, placedAt },
});
const lift = (holdId: string, liftedAt: string): DomainEvent => ({ type: 'LegalHoldLifted', data: { holdId, liftedAt } });
const erasureRequested = (requestedAt: string, completeBy: string): DomainEvent => ({
  type: 'ErasureRequested',
  data: { reason: 'retentionExpired', requestedAt, completionDeadline: deadline('erasure.completion', completeBy), restrictProcessing: true },
});

describe('obligations: retention clocks and legal holds', () => {
  const DUE = '2026-04-10T23:59:59.999Z';

  it('owes the start of erasure from the clock deadline: pending, then overdue', () => {
    const s = fold([feed().event('retention', CLOCK, clockStarted(DUE), { eventId: 'start' })]);
    expect(byId(s, startId, DUE)).toMatchObject({
      duty: 'startErasure',
      state: 'pending',
      subjectId: SUBJECT,
      category: 'account',
      entity: { kind: 'retention', id: CLOCK, streamName: clockStream },
      trigger: { eventType: 'RetentionClockStarted', eventId: 'start' },
      rule: { ruleId: 'retention.account' },
    });
    expect(byId(s, startId, '2026-04-11T00:00:00Z')?.state).toBe('overdue');
  });

  it('moves the due time on a reset', () => {
    const f = feed();
    f.event('retention', CLOCK, clockStarted(DUE));
    f.event('retention', CLOCK, {
      type: 'RetentionClockReset',
      data: { activityKind: 'explicitSubmission', resetAt: '2026-03-01T12:00:00Z', deadline: deadline('retention.account', '2027-03-01T23:59:59.999Z') },
    });
    const s = fold(f.all());
    expect(byId(s, startId, '2026-05-01T00:00:00Z')).toMatchObject({ state: 'pending', dueAt: '2027-03-01T23:59:59.999Z', trigger: { eventType: 'RetentionClockReset' } });
  });

  it('is suspended while a hold covers the category, and overdue again once it is lifted', () => {
    const f = feed();
    f.event('retention', CLOCK, clockStarted(DUE));
    f.event('subject', SUBJECT, hold('hold-1', ['account', 'billing'], '2026-04-01T09:00:00Z'));
    const held = fold(f.all());
    expect(byId(held, startId, '2026-05-01T00:00:00Z')).toMatchObject({ state: 'suspended', suspendedBy: ['hold-1'] });
    f.event('subject', SUBJECT, lift('hold-1', '2026-06-01T09:00:00Z'));
    const lifted = fold(f.all());
    expect(byId(lifted, startId, '2026-06-02T00:00:00Z')).toMatchObject({ state: 'overdue' });
    expect(byId(lifted, startId, '2026-06-02T00:00:00Z')?.suspendedBy).toBeUndefined();
  });

  it("is suspended by a hold on 'all', not by a hold on other categories or on another subject", () => {
    const f = feed();
    f.event('retention', CLOCK, clockStarted(DUE));
    f.event('subject', SUBJECT, hold('hold-billing', ['billing'], '2026-04-01T09:00:00Z'));
    f.event('subject', OTHER_SUBJECT, hold('hold-other', 'all', '2026-04-01T09:00:00Z'));
    expect(byId(fold(f.all()), startId, '2026-05-01T00:00:00Z')?.state).toBe('overdue');
    f.event('subject', SUBJECT, hold('hold-all', 'all', '2026-04-02T09:00:00Z'));
    expect(byId(fold(f.all()), startId, '2026-05-01T00:00:00Z')).toMatchObject({ state: 'suspended', suspendedBy: ['hold-all'] });
    f.event('subject', SUBJECT, lift('hold-all', '2026-04-03T09:00:00Z'));
    expect(byId(fold(f.all()), startId, '2026-05-01T00:00:00Z')?.state).toBe('overdue');
  });

  it('is satisfied by the erasure request (late when after the due time), which opens completion', () => {
    const f = feed();
    f.event('retention', CLOCK, clockStarted(DUE));
    f.event('retention', CLOCK, erasureRequested('2026-04-12T00:00:00Z', '2026-05-12T23:59:59.999Z'), { eventId: 'requested' });
    const s = fold(f.all());
    expect(byId(s, startId, '2026-04-13T00:00:00Z')).toMatchObject({
      state: 'satisfied',
      satisfaction: { eventType: 'ErasureRequested', eventId: 'requested', at: '2026-04-12T00:00:00Z', late: true },
    });
    expect(byId(s, completeId, '2026-04-13T00:00:00Z')).toMatchObject({
      duty: 'completeErasure',
      state: 'pending',
      dueAt: '2026-05-12T23:59:59.999Z',
      trigger: { eventId: 'requested' },
    });
    // A hold suspends the completion too.
    f.event('subject', SUBJECT, hold('hold-1', 'all', '2026-04-20T00:00:00Z'));
    expect(byId(fold(f.all()), completeId, '2026-06-01T00:00:00Z')?.state).toBe('suspended');
    f.event('retention', CLOCK, { type: 'ErasureCompleted', data: { completedAt: '2026-05-01T00:00:00Z', systems: ['app-db'], processors: ['aws'] } });
    expect(byId(fold(f.all()), completeId, '2026-06-01T00:00:00Z')).toMatchObject({ state: 'satisfied', satisfaction: { late: false } });
  });

  it('a cancellation other than a reactivation owes the erasure again; a reactivation within grace exempts it', () => {
    const f = feed();
    f.event('retention', CLOCK, clockStarted(DUE));
    f.event('retention', CLOCK, erasureRequested('2026-04-12T00:00:00Z', '2026-05-12T23:59:59.999Z'));
    f.event('retention', CLOCK, { type: 'ErasureCancelled', data: { reason: 'holdPlaced', cancelledAt: '2026-04-13T00:00:00Z' } }, { eventId: 'cancel' });
    const cancelled = fold(f.all());
    expect(byId(cancelled, startId, '2026-04-14T00:00:00Z')?.state).toBe('overdue');
    expect(byId(cancelled, completeId, '2026-04-14T00:00:00Z')).toMatchObject({
      state: 'exempt',
      exemption: { code: 'erasureCancelled', reason: 'holdPlaced', eventId: 'cancel' },
    });

    const g = feed();
    g.event('retention', CLOCK, clockStarted(DUE));
    g.event('retention', CLOCK, { type: 'ErasureCancelled', data: { reason: 'reactivatedWithinGrace', cancelledAt: '2026-02-01T00:00:00Z' } });
    expect(byId(fold(g.all()), startId, '2026-12-01T00:00:00Z')).toMatchObject({ state: 'exempt', exemption: { code: 'reactivatedWithinGrace' } });
  });

  it('keeps the obligations of an earlier cycle when the clock starts again', () => {
    const f = feed();
    f.event('retention', CLOCK, clockStarted(DUE));
    f.event('retention', CLOCK, { type: 'ErasureCancelled', data: { reason: 'reactivatedWithinGrace', cancelledAt: '2026-02-01T00:00:00Z' } });
    f.event('retention', CLOCK, { type: 'RetentionClockClosed', data: { closedAt: '2026-02-01T00:00:00Z' } });
    f.event('retention', CLOCK, clockStarted('2026-09-10T23:59:59.999Z'));
    const listed = obligations(fold(f.all()), { now: at('2026-05-01T00:00:00Z') });
    expect(listed.map((o) => [o.id, o.state])).toEqual([
      [startId, 'exempt'],
      [`${clockStream}/2/startErasure`, 'pending'],
    ]);
  });
});

describe('obligations: the query', () => {
  const f = feed();
  f.event('request', REQUEST, received(REQUEST, SUBJECT, '2026-03-02T10:00:00Z', '2026-04-01T23:59:59.999Z'));
  f.event('request', REQUEST_2, received(REQUEST_2, OTHER_SUBJECT, '2026-03-02T10:00:00Z', '2026-03-20T23:59:59.999Z'));
  f.event('request', REQUEST_2, { type: 'RequestFulfilled', data: { at: '2026-03-10T10:00:00Z', deliveryChannel: 'email' } });
  f.event('breach', BREACH, { type: 'BreachAwarenessEstablished', data: { awareAt: '2026-03-30T10:00:00Z', deadlines: [deadline('gdpr.art33.1', '2026-04-02T10:00:00Z', '2026-03-31T10:00:00Z')] } });
  f.event('retention', CLOCK, clockStarted('2026-03-15T23:59:59.999Z'));
  f.event('subject', SUBJECT, hold('hold-1', 'all', '2026-03-01T00:00:00Z'));
  const state = fold(f.all());
  const ids = (q: ObligationsQuery) => obligations(state, q).map((o) => `${o.entity.kind}:${o.state}`);
  const now = at('2026-03-31T12:00:00Z');

  it('lists every obligation by legal due time, each in its state at now', () => {
    expect(ids({ now })).toEqual(['retention:suspended', 'request:satisfied', 'request:pending', 'breach:due']);
  });

  it('filters by state (one or several), subject, kind and due time', () => {
    expect(ids({ now, state: 'due' })).toEqual(['breach:due']);
    expect(ids({ now, state: OPEN_OBLIGATION_STATES })).toEqual(['retention:suspended', 'request:pending', 'breach:due']);
    expect(ids({ now, subjectId: SUBJECT })).toEqual(['retention:suspended', 'request:pending']);
    expect(ids({ now, kind: ['breach', 'retention'] })).toEqual(['retention:suspended', 'breach:due']);
    expect(ids({ now, kind: 'request', state: ['satisfied'] })).toEqual(['request:satisfied']);
    expect(ids({ now, dueBefore: at('2026-04-01T23:59:59.999Z') })).toEqual(['retention:suspended', 'request:satisfied']);
    expect(ids({ now: at('2026-04-03T00:00:00Z'), state: 'overdue' })).toEqual(['request:overdue', 'breach:overdue']);
  });

  it('is a pure fold: an earlier state answers the same after later events are applied', () => {
    const events = f.all();
    const early = fold(events.slice(0, 2));
    const before = JSON.stringify(obligations(early, { now }));
    const later = events.slice(2).reduce(obligationsProjection.apply, early);
    expect(JSON.stringify(obligations(early, { now }))).toBe(before);
    expect(obligations(later, { now })).toEqual(obligations(state, { now }));
  });

  it('ignores kinds that create no obligation (consent, sub-processors)', () => {
    const g = feed();
    const consent = g.event('consent', '44444444-4444-4444-8444-444444444444', {
      type: 'ConsentGranted',
      data: {
        grantId: '44444444-4444-4444-8444-444444444444',
        subjectId: SUBJECT,
        purpose: 'marketing',
        lawfulBasis: 'consent',
        policyVersion: '2026.1',
        method: 'checkbox',
        gdprValid: true,
        evidence: {},
        explicit: false,
        grantedAt: '2026-01-01T00:00:00Z',
        expiresAt: '2026-02-01T00:00:00Z',
      },
    });
    expect(obligationsProjection.apply(state, consent)).toBe(state);
  });
});
