import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import type { Decider } from '../../engine/decider.js';
import type { DeadlineRecord } from '../deadline.js';
import { personalPaths } from '../personal.js';
import { Identifier, IsoInstant, Uuid } from '../shared.js';
import type { ReceiveRequest, RequestCommand } from './commands.js';
import { RequestCommand as RequestCommandCodec } from './commands.js';
import { requestDecider } from './decider.js';
import type { RequestRejection, RequestState } from './decider.js';
import * as ev from './events.js';
import type { RequestEvent, RequestReceived } from './events.js';

// The engine folds this decider through its generic interface: a type error here means the engine cannot use it.
const asEngineDecider: Decider<RequestCommand, RequestState, RequestEvent, RequestRejection> = requestDecider;

const decode = <A>(codec: t.Type<A, unknown, unknown>, value: unknown): A => {
  const result = codec.decode(value);
  if (E.isLeft(result)) throw new Error(`test fixture does not decode as ${codec.name}`);
  return result.right;
};
const instant = (s: string): IsoInstant => decode(IsoInstant, s);
const id = (s: string): Identifier => decode(Identifier, s);
const DAY = 86_400_000;
const plusDays = (iso: string, days: number): IsoInstant => instant(new Date(Date.parse(iso) + days * DAY).toISOString());

/** given/when/then over the request decider; every emitted event must also pass its codec. */
const given = (events: readonly RequestEvent[]) => ({
  when: (command: RequestCommand) => {
    const state = events.reduce(asEngineDecider.evolve, asEngineDecider.initialState());
    const result = asEngineDecider.decide(command, state);
    return {
      then: (expected: readonly RequestEvent[]): void => {
        expect(result).toEqual(E.right(expected));
        if (E.isRight(result)) for (const e of result.right) expect(ev.RequestEvent.is(e)).toBe(true);
      },
      thenRejects: (expected: Partial<RequestRejection> & Pick<RequestRejection, '_tag'>): void => {
        expect(E.isLeft(result) ? result.left : 'accepted').toEqual(expect.objectContaining(expected));
      },
    };
  },
});
const stateAfter = (events: readonly RequestEvent[]): RequestState =>
  events.reduce(requestDecider.evolve, requestDecider.initialState());

const RECEIVED_AT = '2026-01-05T10:00:00Z';
const requestId = decode(Uuid, '7d8f3b0e-4a52-4c1e-9a3d-2f6b1c0e9a01');
const subjectId = decode(Uuid, '0b4b1b8e-7f0a-4a7c-8a3e-5d2c9e1f6b02');

const respond45: DeadlineRecord = {
  ruleId: id('ccpa.1798.130.a.2'),
  dueAt: plusDays(RECEIVED_AT, 45),
  citation: 'CCPA Civ. Code 1798.130(a)(2); 11 CCR 7021(b)',
  explanation: '45 calendar days from receipt',
};
const ccpaDeadlines = {
  respond: respond45,
  confirmReceipt: {
    ruleId: id('ccpa.7021.a'),
    dueAt: instant('2026-01-19T23:59:59.999-08:00'),
    citation: '11 CCR 7021(a)',
    explanation: '10 business days from receipt',
  },
  // noticeBy = receipt + 45 days, recorded at receipt: the extension notice must come within the first period.
  extension: {
    noticeBy: plusDays(RECEIVED_AT, 45),
    extendedDueAt: plusDays(RECEIVED_AT, 90),
    ruleId: id('ccpa.7021.b.extension'),
    citation: '11 CCR 7021(b)',
  },
};

const receive = (overrides: Partial<ReceiveRequest['data']> = {}): ReceiveRequest => ({
  type: 'ReceiveRequest',
  data: {
    requestId,
    subjectId,
    requestType: 'access',
    jurisdiction: id('US-CA'),
    channel: 'web',
    receivedAt: instant(RECEIVED_AT),
    role: 'controller',
    receivedFrom: 'dataSubject',
    deadlines: ccpaDeadlines,
    policyVersion: id('2026-01'),
    context: { priorRequestsInWindow: 0 },
    ...overrides,
  },
});
const receivedFrom = (command: ReceiveRequest): RequestReceived => {
  const { context: _context, ...data } = command.data;
  return { type: 'RequestReceived', data };
};
const received = receivedFrom(receive());
const verified: RequestEvent = { type: 'IdentityVerified', data: { at: instant('2026-01-06T09:00:00Z'), method: id('accountLogin') } };
const fulfil = (identityVerificationRequired: boolean): RequestCommand => ({
  type: 'FulfilRequest',
  data: {
    at: instant('2026-01-20T09:00:00Z'),
    deliveryChannel: 'download',
    context: { identityVerificationRequired, citation: '11 CCR 7060' },
  },
});
const fulfilled: RequestEvent = {
  type: 'RequestFulfilled',
  data: { at: instant('2026-01-20T09:00:00Z'), deliveryChannel: 'download' },
};
const extend = (at: IsoInstant, newDueAt?: IsoInstant): RequestCommand => ({
  type: 'ExtendRequest',
  data: { at, noticeSentAt: at, reason: 'volume of records', ...(newDueAt !== undefined ? { newDueAt } : {}) },
});

describe('request decider: receipt', () => {
  it('given no request, when one is received, then RequestReceived records its facts and deadlines', () => {
    given([]).when(receive()).then([received]);
  });

  it('given a request exists, when another is received on the same stream, then RequestAlreadyReceived', () => {
    given([received]).when(receive()).thenRejects({ _tag: 'RequestAlreadyReceived' });
  });

  it('given no request, when the respond deadline precedes receipt, then DeadlineBeforeClockStart names the rule', () => {
    const deadlines = { respond: { ...respond45, dueAt: instant('2026-01-04T10:00:00Z') } };
    given([]).when(receive({ deadlines })).thenRejects({ _tag: 'DeadlineBeforeClockStart', ruleId: respond45.ruleId });
  });

  it('given no request, when any other command arrives, then RequestNotReceived', () => {
    given([]).when(fulfil(false)).thenRejects({ _tag: 'RequestNotReceived' });
  });

  it('given an agent, correspondence and a look-back, when received, then all of them are kept', () => {
    const command = receive({
      authorisedAgent: { name: 'A. Agent', authorisation: 'powerOfAttorney' },
      correspondence: 'Please send me everything you hold.',
      lookBackFrom: plusDays(RECEIVED_AT, -365),
    });
    given([]).when(command).then([receivedFrom(command)]);
  });
});

describe('request decider: frequency limits (the API layer counts; the decider enforces)', () => {
  const twicePerRolling12Months = { count: 2, per: 'rolling12Months' as const, citation: 'CCPA 1798.130(b)' };
  const oncePerCalendarYear = { count: 1, per: 'calendarYear' as const, citation: 'C.R.S. 6-1-1306(1)(e)' };

  it('given a limit of 2 per rolling 12 months and 1 prior request, when received, then it is recorded with the check', () => {
    const command = receive({ context: { priorRequestsInWindow: 1, frequencyLimit: twicePerRolling12Months } });
    given([]).when(command).then([
      {
        type: 'RequestReceived',
        data: { ...receivedFrom(command).data, frequencyCheck: { priorRequestsInWindow: 1, limit: twicePerRolling12Months } },
      },
    ]);
  });

  it('given a limit of 2 per rolling 12 months and 2 prior requests, when received, then FrequencyLimitExceeded carries limit, count, window and citation', () => {
    given([])
      .when(receive({ context: { priorRequestsInWindow: 2, frequencyLimit: twicePerRolling12Months } }))
      .thenRejects({
        _tag: 'FrequencyLimitExceeded',
        limit: 2,
        priorRequestsInWindow: 2,
        per: 'rolling12Months',
        citation: 'CCPA 1798.130(b)',
      });
  });

  it('given a request last December, when a new one arrives in January, then a calendar-year limit allows it and a rolling one refuses it', () => {
    // The API layer counted 0 prior requests in calendar year 2026 and 1 in the 12 months before receipt.
    given([])
      .when(receive({ context: { priorRequestsInWindow: 0, frequencyLimit: oncePerCalendarYear } }))
      .then([
        {
          type: 'RequestReceived',
          data: { ...received.data, frequencyCheck: { priorRequestsInWindow: 0, limit: oncePerCalendarYear } },
        },
      ]);
    given([])
      .when(receive({ context: { priorRequestsInWindow: 1, frequencyLimit: { ...oncePerCalendarYear, per: 'rolling12Months' } } }))
      .thenRejects({ _tag: 'FrequencyLimitExceeded', per: 'rolling12Months', limit: 1, priorRequestsInWindow: 1 });
  });

  it('given no limit in the rule, when many prior requests exist, then the request is received', () => {
    given([]).when(receive({ context: { priorRequestsInWindow: 9 } })).then([received]);
  });
});

describe('request decider: identity, receipt confirmation, clock restart, fee', () => {
  it('records a verified identity and a failed attempt', () => {
    given([received])
      .when({ type: 'RecordIdentityVerification', data: { at: instant('2026-01-06T09:00:00Z'), method: id('accountLogin'), outcome: 'verified' } })
      .then([verified]);
    given([received])
      .when({ type: 'RecordIdentityVerification', data: { at: instant('2026-01-06T09:00:00Z'), method: id('documentCheck'), outcome: 'failed' } })
      .then([{ type: 'IdentityVerificationFailed', data: { at: instant('2026-01-06T09:00:00Z'), method: id('documentCheck') } }]);
  });

  it('given a request, when receipt is confirmed, then ReceiptConfirmed; when confirmed again, then nothing new', () => {
    const confirmed: RequestEvent = { type: 'ReceiptConfirmed', data: { at: instant('2026-01-07T09:00:00Z'), channel: 'email' } };
    given([received]).when({ type: 'ConfirmReceipt', data: confirmed.data }).then([confirmed]);
    given([received, confirmed]).when({ type: 'ConfirmReceipt', data: { at: instant('2026-01-08T09:00:00Z') } }).then([]);
    expect(stateAfter([received, confirmed]).receiptConfirmedAt).toBe('2026-01-07T09:00:00Z');
  });

  it('given a UK request, when identity evidence arrives, then the clock restarts with the new deadlines and dueAt moves', () => {
    const evidenceAt = instant('2026-01-20T12:00:00Z');
    const deadlines = {
      respond: { ...respond45, ruleId: id('ukgdpr.art12a'), dueAt: instant('2026-02-20T23:59:59.999Z'), citation: 'UK GDPR Art. 12A' },
    };
    const restarted: RequestEvent = { type: 'RequestClockRestarted', data: { reason: 'identityEvidenceReceived', at: evidenceAt, deadlines } };
    given([received]).when({ type: 'RestartRequestClock', data: restarted.data }).then([restarted]);
    expect(stateAfter([received, restarted]).dueAt).toBe('2026-02-20T23:59:59.999Z');
  });

  it('given an extended request, when the clock restarts, then ClockRestartNotAllowed', () => {
    const extended = requestDecider.decide(extend(plusDays(RECEIVED_AT, 10)), stateAfter([received]));
    const events = E.isRight(extended) ? extended.right : [];
    given([received, ...events])
      .when({ type: 'RestartRequestClock', data: { reason: 'feePaid', at: plusDays(RECEIVED_AT, 11), deadlines: { respond: respond45 } } })
      .thenRejects({ _tag: 'ClockRestartNotAllowed', reason: 'alreadyExtended' });
  });

  it('given a restart, when its deadline precedes the restart instant, then DeadlineBeforeClockStart', () => {
    given([received])
      .when({ type: 'RestartRequestClock', data: { reason: 'clarificationReceived', at: plusDays(RECEIVED_AT, 50), deadlines: { respond: respond45 } } })
      .thenRejects({ _tag: 'DeadlineBeforeClockStart', ruleId: respond45.ruleId });
  });

  it('given a request, when a fee is proposed before fulfilment, then FeeProposed records reason and quote', () => {
    const proposed: RequestEvent = {
      type: 'FeeProposed',
      data: { at: instant('2026-01-09T09:00:00Z'), reason: 'repetitive', quote: { amountMinor: 2500, currency: id('USD') } },
    };
    given([received]).when({ type: 'ProposeFee', data: proposed.data }).then([proposed]);
  });

  it('given a request, when a command is dated before receipt, then InstantOutOfOrder', () => {
    given([received])
      .when({ type: 'WithdrawRequest', data: { at: instant('2026-01-05T09:59:59Z') } })
      .thenRejects({ _tag: 'InstantOutOfOrder', field: 'at', mustNotPrecede: 'receivedAt' });
  });

  it('compares instants as times, not strings: 11:00+02:00 is before a 10:00Z receipt', () => {
    given([received])
      .when({ type: 'WithdrawRequest', data: { at: instant('2026-01-05T11:00:00+02:00') } })
      .thenRejects({ _tag: 'InstantOutOfOrder' });
  });
});

describe('request decider: extension (CCPA: notice within the first 45 days, once)', () => {
  it('given noticeBy = receipt + 45 days, when extended on day 44, then RequestExtended with the maximum new due date', () => {
    const at = plusDays(RECEIVED_AT, 44);
    given([received]).when(extend(at)).then([
      {
        type: 'RequestExtended',
        data: {
          at,
          noticeSentAt: at,
          reason: 'volume of records',
          newDueAt: plusDays(RECEIVED_AT, 90),
          ruleId: id('ccpa.7021.b.extension'),
          citation: '11 CCR 7021(b)',
        },
      },
    ]);
  });

  it('given noticeBy = receipt + 45 days, when extended on day 46, then ExtensionTooLate', () => {
    given([received]).when(extend(plusDays(RECEIVED_AT, 46))).thenRejects({
      _tag: 'ExtensionTooLate',
      noticeBy: plusDays(RECEIVED_AT, 45),
      citation: '11 CCR 7021(b)',
    });
  });

  it('given the decision on day 44, when the notice went out on day 46, then ExtensionTooLate', () => {
    given([received])
      .when({ type: 'ExtendRequest', data: { at: plusDays(RECEIVED_AT, 44), noticeSentAt: plusDays(RECEIVED_AT, 46), reason: 'complexity' } })
      .thenRejects({ _tag: 'ExtensionTooLate' });
  });

  it('given an extension, when extended again, then AlreadyExtended', () => {
    const first = requestDecider.decide(extend(plusDays(RECEIVED_AT, 10)), stateAfter([received]));
    expect(E.isRight(first)).toBe(true);
    const events = E.isRight(first) ? first.right : [];
    expect(stateAfter([received, ...events]).dueAt).toBe(plusDays(RECEIVED_AT, 90));
    given([received, ...events]).when(extend(plusDays(RECEIVED_AT, 20))).thenRejects({ _tag: 'AlreadyExtended' });
  });

  it('given a rule without extension, when extended, then ExtensionNotAllowed names the respond rule', () => {
    const noExtension = receivedFrom(receive({ deadlines: { respond: respond45 } }));
    given([noExtension]).when(extend(plusDays(RECEIVED_AT, 1))).thenRejects({
      _tag: 'ExtensionNotAllowed',
      ruleId: respond45.ruleId,
    });
  });

  it('given a maximum of receipt + 90 days, when a longer extension is asked, then ExtensionBeyondMaximum; a shorter one is kept', () => {
    const at = plusDays(RECEIVED_AT, 30);
    given([received]).when(extend(at, plusDays(RECEIVED_AT, 91))).thenRejects({
      _tag: 'ExtensionBeyondMaximum',
      maximum: plusDays(RECEIVED_AT, 90),
    });
    const shorter = requestDecider.decide(extend(at, plusDays(RECEIVED_AT, 60)), stateAfter([received]));
    expect(E.isRight(shorter) && shorter.right[0]?.type === 'RequestExtended' && shorter.right[0].data.newDueAt).toBe(
      plusDays(RECEIVED_AT, 60),
    );
  });
});

describe('request decider: fulfilment and refusal', () => {
  it('given verification is required and identity not verified, when fulfilled, then IdentityNotVerified', () => {
    given([received]).when(fulfil(true)).thenRejects({ _tag: 'IdentityNotVerified', citation: '11 CCR 7060' });
  });

  it('given only a failed verification, when fulfilled with verification required, then IdentityNotVerified', () => {
    const failed: RequestEvent = { type: 'IdentityVerificationFailed', data: { at: instant('2026-01-06T09:00:00Z') } };
    given([received, failed]).when(fulfil(true)).thenRejects({ _tag: 'IdentityNotVerified' });
  });

  it('given a verified identity, when fulfilled, then RequestFulfilled (a later failed attempt does not unverify)', () => {
    given([received, verified]).when(fulfil(true)).then([fulfilled]);
    const failedLater: RequestEvent = { type: 'IdentityVerificationFailed', data: { at: instant('2026-01-07T09:00:00Z') } };
    given([received, verified, failedLater]).when(fulfil(true)).then([fulfilled]);
  });

  it('given verification is not required, when fulfilled, then RequestFulfilled', () => {
    given([received]).when(fulfil(false)).then([fulfilled]);
  });

  it('given a request, when refused without reasons, then RefusalReasonsRequired cites Art. 12(4)', () => {
    given([received])
      .when({ type: 'RefuseRequest', data: { at: instant('2026-01-20T09:00:00Z'), reasons: [], complaintRightNotified: true } })
      .thenRejects({ _tag: 'RefusalReasonsRequired', citation: 'GDPR Art. 12(4)' });
  });

  it('given a request, when refused without telling the right to complain, then ComplaintRightNotNotified', () => {
    given([received])
      .when({ type: 'RefuseRequest', data: { at: instant('2026-01-20T09:00:00Z'), reasons: [id('manifestlyUnfounded')], complaintRightNotified: false } })
      .thenRejects({ _tag: 'ComplaintRightNotNotified', citation: 'GDPR Art. 12(4)' });
  });

  it('given a request, when refused with reasons and the complaint right, then RequestRefused', () => {
    const data = { at: instant('2026-01-20T09:00:00Z'), reasons: [id('gdpr.art17.3.b'), id('frequencyLimit')], complaintRightNotified: true as const };
    given([received]).when({ type: 'RefuseRequest', data }).then([{ type: 'RequestRefused', data }]);
  });

  it('given a request, when withdrawn, then RequestWithdrawn', () => {
    given([received])
      .when({ type: 'WithdrawRequest', data: { at: instant('2026-01-08T09:00:00Z') } })
      .then([{ type: 'RequestWithdrawn', data: { at: instant('2026-01-08T09:00:00Z') } }]);
  });

  const closings: readonly (readonly ['fulfilled' | 'refused' | 'withdrawn', RequestEvent])[] = [
    ['fulfilled', fulfilled],
    ['refused', { type: 'RequestRefused', data: { at: instant('2026-01-20T09:00:00Z'), reasons: [id('x')], complaintRightNotified: true } }],
    ['withdrawn', { type: 'RequestWithdrawn', data: { at: instant('2026-01-20T09:00:00Z') } }],
  ];
  it.each(closings)('given a %s request, when anything else arrives, then RequestAlreadyClosed', (outcome, closing) => {
    const commands: readonly RequestCommand[] = [
      fulfil(false),
      extend(plusDays(RECEIVED_AT, 20)),
      { type: 'RefuseRequest', data: { at: instant('2026-01-21T09:00:00Z'), reasons: [id('x')], complaintRightNotified: true } },
      { type: 'ConfirmReceipt', data: { at: instant('2026-01-21T09:00:00Z') } },
    ];
    for (const command of commands) given([received, closing]).when(command).thenRejects({ _tag: 'RequestAlreadyClosed', outcome });
  });
});

describe('request decider: processor role (forward to the controller: IS-13, PZ-28)', () => {
  const asProcessor = receivedFrom(receive({ role: 'processor', controllerId: id('customer-42') }));
  const forwardingData = {
    controllerId: id('customer-42'),
    at: instant('2026-01-05T12:00:00Z'),
    subjectInformedAt: instant('2026-01-05T12:05:00Z'),
  };
  const forwarding: RequestCommand = { type: 'RecordRequestForwarding', data: forwardingData };

  it('given a request the data subject sent us as processor, when forwarded, then RequestForwardedToController and the request is closed', () => {
    const forwarded: RequestEvent = { type: 'RequestForwardedToController', data: forwardingData };
    given([asProcessor]).when(forwarding).then([forwarded]);
    given([asProcessor, forwarded]).when(fulfil(false)).thenRejects({ _tag: 'RequestAlreadyClosed', outcome: 'forwarded' });
  });

  it('given a request the data subject sent us as processor, when we try to answer it, then ForwardingRequired', () => {
    given([asProcessor]).when(fulfil(false)).thenRejects({ _tag: 'ForwardingRequired', citation: 'GDPR Art. 28(3)(e)' });
    given([asProcessor])
      .when({ type: 'RefuseRequest', data: { at: instant('2026-01-06T09:00:00Z'), reasons: [id('x')], complaintRightNotified: true } })
      .thenRejects({ _tag: 'ForwardingRequired' });
    given([asProcessor]).when(extend(plusDays(RECEIVED_AT, 1))).thenRejects({ _tag: 'ForwardingRequired' });
    given([asProcessor])
      .when({ type: 'ProposeFee', data: { at: plusDays(RECEIVED_AT, 1), reason: 'excessive', quote: { amountMinor: 1, currency: id('EUR') } } })
      .thenRejects({ _tag: 'ForwardingRequired' });
  });

  it('given we are controller, when forwarding is recorded, then ForwardingNotApplicable', () => {
    given([received]).when(forwarding).thenRejects({ _tag: 'ForwardingNotApplicable', role: 'controller', receivedFrom: 'dataSubject' });
  });

  it('given the controller relayed the request to us as processor (IN-15), then we answer it and cannot forward it', () => {
    const relayed = receivedFrom(receive({ role: 'processor', receivedFrom: 'controller', channel: 'dpoEmail' }));
    given([relayed]).when(fulfil(false)).then([fulfilled]);
    given([relayed]).when(forwarding).thenRejects({ _tag: 'ForwardingNotApplicable', role: 'processor', receivedFrom: 'controller' });
  });
});

describe('request codecs', () => {
  it('lists exactly these personal fields per event, so a new unmarked free-text field shows up here', () => {
    expect(personalPaths(ev.RequestReceived)).toEqual(['data.authorisedAgent.name', 'data.correspondence']);
    expect(personalPaths(ev.IdentityVerified)).toEqual([]);
    expect(personalPaths(ev.IdentityVerificationFailed)).toEqual([]);
    expect(personalPaths(ev.RequestClockRestarted)).toEqual([]);
    expect(personalPaths(ev.ReceiptConfirmed)).toEqual([]);
    expect(personalPaths(ev.RequestExtended)).toEqual(['data.reason']);
    expect(personalPaths(ev.FeeProposed)).toEqual(['data.explanation']);
    expect(personalPaths(ev.RequestFulfilled)).toEqual(['data.responseSummary']);
    expect(personalPaths(ev.RequestRefused)).toEqual(['data.explanation']);
    expect(personalPaths(ev.RequestForwardedToController)).toEqual([]);
    expect(personalPaths(ev.RequestWithdrawn)).toEqual([]);
    expect(personalPaths(ev.RequestEvent)).toEqual([
      'data.authorisedAgent.name',
      'data.correspondence',
      'data.explanation',
      'data.reason',
      'data.responseSummary',
    ]);
  });

  it('rejects a command whose instant has no offset, naming the path', () => {
    const bad = { ...receive(), data: { ...receive().data, receivedAt: '2026-01-05T10:00:00' } };
    const result = RequestCommandCodec.decode(bad);
    expect(E.isLeft(result)).toBe(true);
    const paths = E.isLeft(result) ? result.left.map((e) => e.context.map((c) => c.key).filter((k) => /^[a-zA-Z]+$/.test(k)).join('.')) : [];
    expect(paths).toContain('data.receivedAt');
  });

  it('decodes every command built in these tests', () => {
    expect(RequestCommandCodec.is(receive())).toBe(true);
    expect(RequestCommandCodec.is(fulfil(true))).toBe(true);
    expect(RequestCommandCodec.is(extend(plusDays(RECEIVED_AT, 1)))).toBe(true);
  });
});
