import { describe, expect, it } from 'vitest';
import type { LetheEvent } from '../engine/index.js';
import { extendRequest, fulfilRequest, receiveRequest, verifyIdentity, withdrawRequest } from '../api/incidents.js';
import { ccpaPolicy, harness, ids } from '../api/incidents.fixture.js';
import { allRequests, countReceiptsInWindow, requestOf, requestRegister } from './requestRegister.js';

const request = (overrides: Record<string, unknown> = {}) => ({
  requestId: ids.request1,
  subjectId: ids.subject,
  requestType: 'access',
  jurisdiction: 'US-CA',
  channel: 'web',
  ...overrides,
});

const fold = (events: readonly LetheEvent[]) => events.reduce(requestRegister.apply, requestRegister.init());

describe('requestRegister', () => {
  it('follows a request from receipt through verification and extension to fulfilment', () => {
    const h = harness(ccpaPolicy());
    const events = [
      ...h.run(receiveRequest, request(), '2026-03-02T10:00:00.000-08:00').events,
      ...h.run(verifyIdentity, { requestId: ids.request1, method: 'emailLink' }, '2026-03-03T10:00:00.000-08:00').events,
      ...h.run(extendRequest, { requestId: ids.request1, reason: 'complex' }, '2026-04-10T10:00:00.000-07:00').events,
    ];
    const open = requestOf(fold(events), ids.request1);
    expect(open).toMatchObject({
      subjectId: ids.subject,
      requestType: 'access',
      jurisdiction: 'US-CA',
      role: 'controller',
      receivedFrom: 'dataSubject',
      receivedAt: '2026-03-02T10:00:00.000-08:00',
      identity: 'verified',
      verifiedAt: '2026-03-03T10:00:00.000-08:00',
      dueAt: '2026-05-30T23:59:59.999-07:00',
      extended: { at: '2026-04-10T10:00:00.000-07:00', noticeSentAt: '2026-04-10T10:00:00.000-07:00', newDueAt: '2026-05-30T23:59:59.999-07:00' },
      extensionAllowance: { noticeBy: '2026-04-15T23:59:59.999-07:00', extendedDueAt: '2026-05-30T23:59:59.999-07:00' },
      confirmReceipt: expect.objectContaining({ dueAt: '2026-03-16T23:59:59.999-07:00' }),
      receiptConfirmedAt: null,
      status: 'open',
      closedAt: null,
    });
    expect(open?.respond.dueAt).toBe('2026-04-15T23:59:59.999-07:00');
    const fulfilled = [...events, ...h.run(fulfilRequest, { requestId: ids.request1, deliveryChannel: 'email' }, '2026-04-20T10:00:00.000-07:00').events];
    expect(requestOf(fold(fulfilled), ids.request1)).toMatchObject({ status: 'fulfilled', closedAt: '2026-04-20T10:00:00.000-07:00' });
    // Incremental state equals the rebuild (the engine's view is the same fold).
    expect(fold(fulfilled)).toEqual(h.views()['requestRegister']);
  });

  it('keeps receipts per subject and type; the windows count rolling 12 months or the calendar year', () => {
    const h = harness(ccpaPolicy());
    h.run(receiveRequest, request(), '2026-02-15T10:00:00.000-08:00');
    h.run(receiveRequest, request({ requestId: ids.request2 }), '2026-11-02T10:00:00.000-08:00');
    h.run(withdrawRequest, { requestId: ids.request2 }, '2026-11-03T10:00:00.000-08:00');
    h.run(receiveRequest, request({ requestId: ids.request3, requestType: 'erasure' }), '2026-11-05T10:00:00.000-08:00');
    h.run(receiveRequest, request({ requestId: ids.request4, subjectId: ids.subject2 }), '2026-11-05T10:00:00.000-08:00');
    const state = h.views()['requestRegister'] as ReturnType<typeof fold>;
    expect(allRequests(state)).toHaveLength(4);
    expect(requestOf(state, ids.request2)?.status).toBe('withdrawn');
    const at = Date.parse('2027-02-01T10:00:00.000-08:00');
    // Rolling: after 2026-02-01T10:00 → both access requests (the withdrawn one too: it was received).
    expect(countReceiptsInWindow(state, ids.subject, ['access'], Date.parse('2026-02-01T10:00:00.000-08:00'), at, 'rolling12Months')).toBe(2);
    // Calendar year 2027: none.
    expect(countReceiptsInWindow(state, ids.subject, ['access'], Date.parse('2027-01-01T00:00:00.000-08:00'), at, 'calendarYear')).toBe(0);
    expect(countReceiptsInWindow(state, ids.subject, ['access', 'erasure'], Date.parse('2026-01-01T00:00:00.000-08:00'), at, 'calendarYear')).toBe(3);
    // A window starting exactly at a receipt: rolling excludes it, calendar year includes it.
    const start = Date.parse('2026-02-15T10:00:00.000-08:00');
    expect(countReceiptsInWindow(state, ids.subject, ['access'], start, at, 'rolling12Months')).toBe(1);
    expect(countReceiptsInWindow(state, ids.subject, ['access'], start, at, 'calendarYear')).toBe(2);
    expect(countReceiptsInWindow(state, ids.subject2, ['access'], 0, at, 'calendarYear')).toBe(1);
  });

  it('leaves other kinds alone and never mutates the state it is given', () => {
    const h = harness(ccpaPolicy());
    const [received] = h.run(receiveRequest, request(), '2026-03-02T10:00:00.000-08:00').events;
    const before = requestRegister.init();
    const snapshot = JSON.stringify(before);
    const after = requestRegister.apply(before, received!);
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(requestOf(after, ids.request1)).toBeDefined();
    const other = { ...received!, kind: 'subject', streamName: `lethe.subject-${ids.subject}` } as LetheEvent;
    expect(requestRegister.apply(before, other)).toBe(before);
  });
});
