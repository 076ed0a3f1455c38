import { describe, expect, it } from 'vitest';
import {
  confirmRequestReceipt,
  extendRequest,
  fulfilRequest,
  receiveRequest,
  verifyIdentity,
} from '../../api/incidents.js';
import { cancelledOf, ccpaPolicy, commandsOf, euPolicy, harness, ids, instaplyPolicy, policyOf, timersOf } from '../../api/incidents.fixture.js';
import { PolicyDocument } from '../document.js';
import { IncidentHostCommand, incidentHostCommandTypes } from './incidentCommands.js';
import { REQUEST_OVERDUE_HANDLER, requestTimerHandlers } from './requests.js';

const request = (overrides: Record<string, unknown> = {}) => ({
  requestId: ids.request1,
  subjectId: ids.subject,
  requestType: 'access',
  jurisdiction: 'US-CA',
  channel: 'web',
  ...overrides,
});

const RECEIVED = '2026-03-02T10:00:00.000-08:00';
// Due instants are the last millisecond still on time; overdue timers fire one millisecond later.
const CONFIRM_DUE = '2026-03-16T23:59:59.999-07:00';
const RESPOND_DUE = '2026-04-15T23:59:59.999-07:00';

describe('requestDuties: RequestReceived', () => {
  it('CCPA access: ConfirmRequestReceipt (10 business days) and RespondToRequest (day 45), timers after each due instant', () => {
    const h = harness(ccpaPolicy());
    const step = h.run(receiveRequest, request(), RECEIVED);
    const commands = commandsOf(step);
    expect(commands).toEqual([
      {
        type: 'ConfirmRequestReceipt',
        data: {
          requestId: ids.request1,
          subjectId: ids.subject,
          deadline: expect.objectContaining({ ruleId: 'ccpa.7021a.confirmReceipt', dueAt: CONFIRM_DUE }),
          dueAt: CONFIRM_DUE,
        },
      },
      {
        type: 'RespondToRequest',
        data: {
          requestId: ids.request1,
          subjectId: ids.subject,
          requestType: 'access',
          jurisdiction: 'US-CA',
          dueAt: RESPOND_DUE,
          deadline: expect.objectContaining({ ruleId: 'ccpa.1798.130.respondToKnow', dueAt: RESPOND_DUE }),
          identityVerificationRequired: true,
          extension: {
            noticeBy: RESPOND_DUE,
            extendedDueAt: '2026-05-30T23:59:59.999-07:00',
            citation: expect.stringContaining('1798.130(a)(2)(A)'),
          },
          confirmReceiptBy: CONFIRM_DUE,
        },
      },
    ]);
    // Every emitted command satisfies its documented codec.
    commands.forEach((c) => expect(IncidentHostCommand.is(c)).toBe(true));
    expect(timersOf(step)).toEqual([
      {
        key: `request:${ids.request1}:respond`,
        at: Date.parse('2026-04-16T06:59:59.999Z') + 1,
        handler: REQUEST_OVERDUE_HANDLER,
        payload: { requestId: ids.request1, duty: 'respond' },
      },
      {
        key: `request:${ids.request1}:confirmReceipt`,
        at: Date.parse('2026-03-17T06:59:59.999Z') + 1,
        handler: REQUEST_OVERDUE_HANDLER,
        payload: { requestId: ids.request1, duty: 'confirmReceipt' },
      },
    ]);
  });

  it('the export waits for the verified identity (IS-15), with the 12-month window and the CCPA content', () => {
    const h = harness(ccpaPolicy());
    h.run(receiveRequest, request(), RECEIVED);
    const verified = h.run(verifyIdentity, { requestId: ids.request1, method: 'emailLink' }, '2026-03-03T10:00:00.000-08:00');
    expect(commandsOf(verified)).toEqual([
      {
        type: 'ExportSubjectData',
        data: {
          requestId: ids.request1,
          subjectId: ids.subject,
          requestType: 'access',
          windowTo: RECEIVED,
          windowFrom: '2025-03-02T10:00:00.000-08:00',
          mustInclude: ['personalData', 'categories', 'sources', 'recipients', 'purposes', 'retentionPeriods', 'categoriesSoldOrDisclosed'],
          format: 'common',
          dueAt: RESPOND_DUE,
          citation: expect.stringContaining('1798.130'),
        },
      },
    ]);
    // A second verification exports nothing more.
    expect(commandsOf(h.run(verifyIdentity, { requestId: ids.request1, method: 'id' }, '2026-03-04T10:00:00.000-08:00'))).toEqual([]);
  });

  it('GDPR erasure: RespondToRequest only (starting erasure is the lifecycle area\'s), due at the end of 28 February', () => {
    const h = harness(euPolicy());
    const step = h.run(receiveRequest, request({ requestType: 'erasure', jurisdiction: 'FR' }), '2026-01-31T10:00:00.000+01:00');
    expect(commandsOf(step).map((c) => [c.type, (c.data as Record<string, unknown>)['dueAt']])).toEqual([
      ['RespondToRequest', '2026-02-28T23:59:59.999+01:00'],
    ]);
  });

  it('processor: ForwardRequestToController due 24 hours after receipt, subject may be told (PZ-28)', () => {
    const h = harness(instaplyPolicy());
    const step = h.run(receiveRequest, request({ jurisdiction: 'FR', controllerId: 'customer-42' }), '2026-05-04T09:30:00.000+02:00');
    expect(commandsOf(step)).toEqual([
      {
        type: 'ForwardRequestToController',
        data: {
          requestId: ids.request1,
          subjectId: ids.subject,
          requestType: 'access',
          dueAt: '2026-05-05T09:30:00.000+02:00',
          deadline: expect.objectContaining({ ruleId: 'processor.forwardRequest' }),
          mayInformSubject: true,
          controllerId: 'customer-42',
        },
      },
    ]);
    expect(timersOf(step).map((t) => [t.key, t.at])).toEqual([
      [`request:${ids.request1}:respond`, Date.parse('2026-05-05T07:30:00.000Z') + 1],
    ]);
  });
});

describe('requestDuties: later events', () => {
  it('an extension moves the respond timer; confirmation and fulfilment cancel timers', () => {
    const h = harness(ccpaPolicy());
    h.run(receiveRequest, request(), RECEIVED);
    const extended = h.run(extendRequest, { requestId: ids.request1, reason: 'complex' }, '2026-04-10T10:00:00.000-07:00');
    expect(timersOf(extended).map((t) => [t.key, t.at])).toEqual([
      [`request:${ids.request1}:respond`, Date.parse('2026-05-31T06:59:59.999Z') + 1],
    ]);
    expect(cancelledOf(h.run(confirmRequestReceipt, { requestId: ids.request1 }, '2026-03-03T10:00:00.000-08:00'))).toEqual([
      `request:${ids.request1}:confirmReceipt`,
    ]);
    h.run(verifyIdentity, { requestId: ids.request1, method: 'emailLink' }, '2026-03-03T11:00:00.000-08:00');
    expect(cancelledOf(h.run(fulfilRequest, { requestId: ids.request1, deliveryChannel: 'email' }, '2026-04-20T10:00:00.000-07:00'))).toEqual([
      `request:${ids.request1}:respond`,
      `request:${ids.request1}:confirmReceipt`,
    ]);
  });
});

describe('requestObligationOverdue', () => {
  const fire = (views: Readonly<Record<string, unknown>>, duty: string, at: number) =>
    requestTimerHandlers(ccpaPolicy())[REQUEST_OVERDUE_HANDLER]!(
      { key: `request:${ids.request1}:${duty}`, at, handler: REQUEST_OVERDUE_HANDLER, payload: { requestId: ids.request1, duty }, firingId: 'f' },
      { views, now: at },
    );

  it('reports an open request once its due instant has passed, and nothing once it is answered', () => {
    const h = harness(ccpaPolicy());
    h.run(receiveRequest, request(), RECEIVED);
    const overdueAt = Date.parse('2026-04-16T06:59:59.999Z') + 1;
    expect(fire(h.views(), 'respond', overdueAt).commands).toEqual([
      {
        type: 'ObligationOverdue',
        data: {
          entity: { kind: 'request', id: ids.request1 },
          ruleId: 'ccpa.1798.130.respondToKnow',
          dueAt: RESPOND_DUE,
          citation: expect.stringContaining('1798.130'),
          explanation: expect.stringContaining('2026-04-15'),
          lateNoticeNeedsReasons: false,
          duty: 'RespondToRequest',
        },
      },
    ]);
    expect(fire(h.views(), 'confirmReceipt', Date.parse('2026-03-17T06:59:59.999Z') + 1).commands).toEqual([
      expect.objectContaining({ type: 'ObligationOverdue', data: expect.objectContaining({ ruleId: 'ccpa.7021a.confirmReceipt', dueAt: CONFIRM_DUE }) }),
    ]);
    // A stale timer (before the due instant) reports nothing.
    expect(fire(h.views(), 'respond', overdueAt - 1)).toEqual({});
    h.run(verifyIdentity, { requestId: ids.request1, method: 'emailLink' }, '2026-03-03T11:00:00.000-08:00');
    h.run(fulfilRequest, { requestId: ids.request1, deliveryChannel: 'email' }, '2026-04-20T10:00:00.000-07:00');
    expect(fire(h.views(), 'respond', overdueAt)).toEqual({});
  });
});

describe('requestDuties: export alerts (PZ-16, parameters.exportAlertRoles)', () => {
  const withParameters = (policy: PolicyDocument, parameters: Record<string, unknown>): PolicyDocument =>
    policyOf({ ...(PolicyDocument.encode(policy) as Record<string, unknown>), parameters });
  const alerting = (policy: PolicyDocument): PolicyDocument =>
    withParameters(policy, {
      exportAlertRoles: {
        description: 'Who is alerted of every export (PZ-16)',
        kind: 'string',
        required: false,
        value: 'CEO, DPO',
        citation: 'Personizely PZ-16',
      },
    });
  const VERIFIED = '2026-03-03T10:00:00.000-08:00';

  it('with the parameter: AlertDataExported to the roles at the instant of the verification that asks for the export', () => {
    const h = harness(alerting(ccpaPolicy()));
    h.run(receiveRequest, request(), RECEIVED);
    const commands = commandsOf(h.run(verifyIdentity, { requestId: ids.request1, method: 'emailLink' }, VERIFIED));
    expect(commands.map((c) => c.type)).toEqual(['ExportSubjectData', 'AlertDataExported']);
    expect(commands[1]).toEqual({
      type: 'AlertDataExported',
      data: { requestId: ids.request1, subjectId: ids.subject, requestType: 'access', roles: ['CEO', 'DPO'], at: VERIFIED, citation: 'Personizely PZ-16' },
    });
    commands.forEach((c) => expect(IncidentHostCommand.is(c)).toBe(true));
    expect(incidentHostCommandTypes).toContain('AlertDataExported');
  });

  it('with the parameter: an export at receipt (no identity check, relayed by the controller) is alerted at receipt', () => {
    const h = harness(alerting(euPolicy()));
    const at = '2026-05-04T09:30:00.000+02:00';
    const commands = commandsOf(h.run(receiveRequest, request({ jurisdiction: 'FR', requestType: 'portability', receivedFrom: 'controller' }), at));
    expect(commands.map((c) => c.type)).toEqual(['RespondToRequest', 'ExportSubjectData', 'AlertDataExported']);
    expect(commands[2]?.data).toEqual({
      requestId: ids.request1,
      subjectId: ids.subject,
      requestType: 'portability',
      roles: ['CEO', 'DPO'],
      at,
      citation: 'Personizely PZ-16',
    });
  });

  it('without the parameter (or with no role in it) no alert', () => {
    for (const policy of [ccpaPolicy(), withParameters(ccpaPolicy(), { exportAlertRoles: { description: 'none', kind: 'string', required: false, value: ' , ' } })]) {
      const h = harness(policy);
      h.run(receiveRequest, request(), RECEIVED);
      expect(commandsOf(h.run(verifyIdentity, { requestId: ids.request1, method: 'emailLink' }, VERIFIED)).map((c) => c.type)).toEqual([
        'ExportSubjectData',
      ]);
    }
  });
});
