import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../../testing/deciderSpec.js';
import { personalPaths } from '../personal.js';
import { retentionClockId } from '../shared.js';
import * as Commands from './commands.js';
import { RetentionCommand } from './commands.js';
import { retentionDecider } from './decider.js';
import type { RetentionState } from './decider.js';
import { RetentionEvent } from './events.js';
import type { RetentionEvent as RetentionEventT } from './events.js';
import { retentionStreamName } from './index.js';

const decodeWith =
  <A>(codec: t.Decoder<unknown, A>) =>
  (input: unknown): A => {
    const result = codec.decode(input);
    if (E.isLeft(result)) throw new Error(PathReporter.report(result).join('\n'));
    return result.right;
  };
const cmd = decodeWith(RetentionCommand);
const ev = decodeWith(RetentionEvent);
const spec = deciderSpec(retentionDecider);
const fold = (events: readonly RetentionEventT[]): RetentionState =>
  events.reduce(retentionDecider.evolve, retentionDecider.initialState());

const subjectId = '0b7c5a52-3f7e-4d8e-9a4c-1f2e3d4c5b6a';
const category = 'widget-leads';
const ref = { subjectId, category };
const deadline = (dueAt: string) => ({
  ruleId: 'convertful.cf-22',
  dueAt,
  citation: 'Convertful DPA 3.7 (CF-22)',
  explanation: '365 calendar days from the last widget submission',
});
// Convertful CF-22: 365 days from the last explicit widget submission.
const convertful = {
  ...ref,
  basis: 'lastActivity',
  resetBy: ['widgetSubmission'],
  startedAt: '2026-01-01T00:00:00Z',
  deadline: deadline('2027-01-01T00:00:00Z'),
  onExpiry: 'erase',
  policyVersion: 'v1',
  systems: ['crm', 'backup'],
  processors: ['mailer'],
};
const { subjectId: _s, category: _c, ...convertfulData } = convertful;
const started = ev({ type: 'RetentionClockStarted', data: { ...ref, ...convertfulData } });
const start = (overrides: Record<string, unknown> = {}) => cmd({ type: 'StartRetentionClock', data: { ...convertful, ...overrides } });
const expired = ev({ type: 'RetentionClockExpired', data: { expiredAt: '2027-01-01T00:00:00Z', checkedAt: '2027-01-01T00:05:00Z' } });
const completion = {
  ruleId: 'convertful.cf-06',
  dueAt: '2027-01-31T00:05:00Z',
  citation: 'Convertful DPA 3.6 (CF-06)',
  explanation: '30 calendar days from the erasure request',
};
const requestErasure = (reason = 'retentionExpired', requestedAt = '2027-01-01T00:05:00Z', legalHoldActive = false) =>
  cmd({
    type: 'RequestErasure',
    data: { ...ref, reason, requestedAt, completionDeadline: completion, restrictProcessing: true, context: { legalHoldActive } },
  });
const erasureRequested = (reason = 'retentionExpired', requestedAt = '2027-01-01T00:05:00Z') =>
  ev({ type: 'ErasureRequested', data: { reason, requestedAt, completionDeadline: completion, restrictProcessing: true } });
const authorised = (at: string, roles: readonly string[] = []) => ev({ type: 'ErasureAuthorised', data: { authorisedAt: at, roles } });
const reset = (activityKind: string, resetAt: string, dueAt: string) =>
  cmd({ type: 'ResetRetentionClock', data: { ...ref, activityKind, resetAt, deadline: deadline(dueAt) } });
const expire = (at: string) => cmd({ type: 'ExpireRetentionClock', data: { ...ref, at } });
const confirm = (target: Record<string, string>, confirmedAt = '2027-01-05T00:00:00Z') =>
  cmd({ type: 'ConfirmErasure', data: { ...ref, target, confirmedAt } });
const confirmed = (target: Record<string, string>, confirmedAt = '2027-01-05T00:00:00Z') =>
  ev({ type: 'ErasureConfirmed', data: { target, confirmedAt } });
const cancel = (reason: string, cancelledAt: string) => cmd({ type: 'CancelErasure', data: { ...ref, reason, cancelledAt } });
const close = cmd({ type: 'CloseRetentionClock', data: { ...ref, closedAt: '2027-01-06T00:00:00Z' } });
const approve = (role: string, approvedAt = '2027-01-02T00:00:00Z') =>
  cmd({ type: 'ApproveErasure', data: { ...ref, role, approvedBy: `employee-${role}`, approvedAt } });
const approved = (role: string, approvedAt = '2027-01-02T00:00:00Z') =>
  ev({ type: 'ErasureApproved', data: { role, approvedBy: `employee-${role}`, approvedAt } });

const erasing = [started, expired, erasureRequested(), authorised('2027-01-01T00:05:00Z')];
const erased = [
  ...erasing,
  confirmed({ system: 'crm' }),
  confirmed({ system: 'backup' }),
  confirmed({ processor: 'mailer' }),
  ev({ type: 'ErasureCompleted', data: { completedAt: '2027-01-05T00:00:00Z', systems: ['crm', 'backup'], processors: ['mailer'] } }),
];

// Personizely PZ-13 and PZ-17: 90 days after cancellation, reactivation cancels within them; CEO and DPO approve.
const personizely = (mode: 'all' | 'any') =>
  ev({
    type: 'RetentionClockStarted',
    data: {
      ...ref,
      basis: 'subscriptionCancelled',
      startedAt: '2026-01-01T00:00:00Z',
      deadline: { ruleId: 'personizely.pz-13', dueAt: '2026-04-01T00:00:00Z', citation: 'Personizely GDPR page (PZ-13)', explanation: 'up to 90 days after cancellation' },
      onExpiry: 'erase',
      policyVersion: 'v1',
      systems: ['app', 'hetzner-backup'],
      processors: [],
      approvalsRequired: { roles: ['ceo', 'dpo'], mode },
      graceUntil: '2026-04-01T00:00:00Z',
    },
  });
const pzExpired = ev({ type: 'RetentionClockExpired', data: { expiredAt: '2026-04-01T00:00:00Z', checkedAt: '2026-04-01T00:01:00Z' } });
const pzRequested = erasureRequested('retentionExpired', '2026-04-01T00:01:00Z');

describe('retention decider', () => {
  describe('start', () => {
    it('given no clock, when started, then RetentionClockStarted; the same start again is a no-op', () => {
      spec.given([]).when(start()).then([started]);
      spec.given([started]).when(start()).thenNothingHappens();
    });
    it('given a running clock, when a different start arrives, then RetentionClockAlreadyStarted', () => {
      spec.given([started]).when(start({ startedAt: '2026-02-01T00:00:00Z' })).thenRejects({ _tag: 'RetentionClockAlreadyStarted' });
    });
    it('given no clock, when started without systems or processors, then RetentionClockWithoutTargets', () => {
      spec.given([]).when(start({ systems: [], processors: [] })).thenRejects({ _tag: 'RetentionClockWithoutTargets' });
    });
    it('given no clock, when the deadline falls before the start, then DeadlineBeforeStart', () => {
      spec.given([]).when(start({ deadline: deadline('2025-12-31T23:59:59Z') })).thenRejects({ _tag: 'DeadlineBeforeStart' });
    });
    it.each([
      reset('widgetSubmission', '2026-02-01T00:00:00Z', '2027-02-01T00:00:00Z'),
      expire('2027-01-01T00:00:00Z'),
      requestErasure('subjectRequest'),
      approve('dpo'),
      confirm({ system: 'crm' }),
      cancel('reactivatedWithinGrace', '2026-02-01T00:00:00Z'),
      close,
    ])('given no clock, when %o, then RetentionClockNotStarted', (command) => {
      spec.given([]).when(command).thenRejects({ _tag: 'RetentionClockNotStarted' });
    });
  });

  describe('reset by activity (Convertful CF-22)', () => {
    it('given a last-activity clock, when a widget submission happens, then the clock is reset with the new deadline', () => {
      spec
        .given([started])
        .when(reset('widgetSubmission', '2026-06-01T12:00:00+02:00', '2027-06-01T10:00:00Z'))
        .then([
          ev({
            type: 'RetentionClockReset',
            data: { activityKind: 'widgetSubmission', resetAt: '2026-06-01T12:00:00+02:00', deadline: deadline('2027-06-01T10:00:00Z') },
          }),
        ]);
    });
    it('given a last-activity clock, when a page view happens, then nothing happens', () => {
      spec.given([started]).when(reset('pageView', '2026-06-01T10:00:00Z', '2027-06-01T10:00:00Z')).thenNothingHappens();
    });
    it('given a collection-based clock, when a widget submission happens, then nothing happens', () => {
      const collectionClock = ev({ type: 'RetentionClockStarted', data: { ...started.data, basis: 'collection' } });
      spec.given([collectionClock]).when(reset('widgetSubmission', '2026-06-01T10:00:00Z', '2027-06-01T10:00:00Z')).thenNothingHappens();
    });
    it('given a reset, when the old due time comes, then NotYetDue: the reset moved the deadline', () => {
      const wasReset = ev({
        type: 'RetentionClockReset',
        data: { activityKind: 'widgetSubmission', resetAt: '2026-06-01T10:00:00Z', deadline: deadline('2027-06-01T10:00:00Z') },
      });
      spec.given([started, wasReset]).when(expire('2027-01-01T00:00:00Z')).thenRejects({ _tag: 'NotYetDue', dueAt: '2027-06-01T10:00:00Z' });
    });
    it('given a reset, when an older activity arrives late, then nothing happens (it cannot shorten the clock)', () => {
      const wasReset = ev({
        type: 'RetentionClockReset',
        data: { activityKind: 'widgetSubmission', resetAt: '2026-06-01T10:00:00Z', deadline: deadline('2027-06-01T10:00:00Z') },
      });
      spec.given([started, wasReset]).when(reset('widgetSubmission', '2026-03-01T10:00:00Z', '2027-03-01T10:00:00Z')).thenNothingHappens();
    });
    it('given a running clock, when the activity comes at or after the due time, then RetentionClockAlreadyExpired', () => {
      spec
        .given([started])
        .when(reset('widgetSubmission', '2027-01-01T01:00:00+01:00', '2028-01-01T00:00:00Z'))
        .thenRejects({ _tag: 'RetentionClockAlreadyExpired', dueAt: '2027-01-01T00:00:00Z' });
    });
    it('given an expired clock, when a widget submission happens, then RetentionClockAlreadyExpired; a page view is still a no-op', () => {
      spec.given([started, expired]).when(reset('widgetSubmission', '2027-01-02T00:00:00Z', '2028-01-02T00:00:00Z')).thenRejects((r) => r._tag === 'RetentionClockAlreadyExpired');
      spec.given([started, expired]).when(reset('pageView', '2027-01-02T00:00:00Z', '2028-01-02T00:00:00Z')).thenNothingHappens();
    });
    it('given a running clock, when the new deadline is before the activity, then DeadlineBeforeStart', () => {
      spec.given([started]).when(reset('widgetSubmission', '2026-06-01T10:00:00Z', '2026-05-01T10:00:00Z')).thenRejects({ _tag: 'DeadlineBeforeStart' });
    });
  });

  describe('expiry: nothing erased early', () => {
    it('given a running clock, when checked one second before the due time, then NotYetDue', () => {
      spec.given([started]).when(expire('2027-01-01T00:59:59+01:00')).thenRejects({ _tag: 'NotYetDue', dueAt: '2027-01-01T00:00:00Z' });
    });
    it('given a running clock, when checked at the due time, then RetentionClockExpired; again is a no-op', () => {
      spec
        .given([started])
        .when(expire('2027-01-01T01:00:00+01:00'))
        .then([ev({ type: 'RetentionClockExpired', data: { expiredAt: '2027-01-01T00:00:00Z', checkedAt: '2027-01-01T01:00:00+01:00' } })]);
      spec.given([started, expired]).when(expire('2027-01-02T00:00:00Z')).thenNothingHappens();
    });
    it('given an expired clock, when an erasure request is stamped before the due time (out-of-order tick), then NotYetDue', () => {
      spec.given([started, expired]).when(requestErasure('retentionExpired', '2026-12-31T23:59:59Z')).thenRejects({ _tag: 'NotYetDue', dueAt: '2027-01-01T00:00:00Z' });
    });
    it('given a running clock past its due time but not yet expired, when erasure for expiry is requested, then RetentionClockNotExpired', () => {
      spec.given([started]).when(requestErasure('retentionExpired', '2027-02-01T00:00:00Z')).thenRejects({ _tag: 'RetentionClockNotExpired', dueAt: '2027-01-01T00:00:00Z' });
    });
    it('for any start, deadline and sequence of ticks and requests, no expiry or expiry erasure is accepted before the due time', () => {
      const base = Date.parse('2026-01-01T00:00:00Z');
      const instant = fc.integer({ min: 0, max: 24 * 800 }).map((h) => new Date(base + h * 3_600_000).toISOString());
      const command = fc.oneof(
        instant.map((at) => expire(at)),
        instant.map((at) => requestErasure('retentionExpired', at)),
        fc.tuple(instant, fc.integer({ min: 0, max: 24 * 400 }), fc.constantFrom('widgetSubmission', 'pageView')).map(([at, hours, kind]) =>
          reset(kind, at, new Date(Date.parse(at) + hours * 3_600_000).toISOString()),
        ),
      );
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 24 * 400 }), fc.array(command, { maxLength: 25 }), (dueHours, commands) => {
          const dueAt = new Date(base + dueHours * 3_600_000).toISOString();
          let state = fold([ev({ type: 'RetentionClockStarted', data: { ...started.data, deadline: deadline(dueAt) } })]);
          for (const c of commands) {
            const result = retentionDecider.decide(c, state);
            if (E.isLeft(result)) continue;
            for (const event of result.right) {
              const due = state.deadline?.dueAt ?? '';
              if (event.type === 'RetentionClockExpired') expect(Date.parse(event.data.checkedAt)).toBeGreaterThanOrEqual(Date.parse(due));
              if (event.type === 'ErasureRequested') expect(Date.parse(event.data.requestedAt)).toBeGreaterThanOrEqual(Date.parse(due));
              state = retentionDecider.evolve(state, event);
            }
          }
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('erasure request and legal hold', () => {
    it('given an expired clock without approvals, when erasure is requested, then ErasureRequested and ErasureAuthorised', () => {
      spec.given([started, expired]).when(requestErasure()).then([erasureRequested(), authorised('2027-01-01T00:05:00Z')]);
    });
    it('given an expired clock under legal hold, when erasure is requested, then ErasureSuspendedByLegalHold; the clock stays expired', () => {
      spec
        .given([started, expired])
        .when(requestErasure('retentionExpired', '2027-01-01T00:05:00Z', true))
        .thenRejects({ _tag: 'ErasureSuspendedByLegalHold', citation: 'GDPR Art. 17(3)(b), (e)' });
      expect(fold([started, expired]).clockState).toBe('expired');
    });
    it('given a hold lifted after the due time, when the next tick requests erasure, then it is accepted', () => {
      spec.given([started, expired]).when(requestErasure('retentionExpired', '2027-03-01T00:00:00Z')).then([
        erasureRequested('retentionExpired', '2027-03-01T00:00:00Z'),
        authorised('2027-03-01T00:00:00Z'),
      ]);
    });
    it('given a running clock, when a subject asks for erasure, then it is accepted before the due time', () => {
      spec.given([started]).when(requestErasure('subjectRequest', '2026-03-01T00:00:00Z')).then([
        erasureRequested('subjectRequest', '2026-03-01T00:00:00Z'),
        authorised('2026-03-01T00:00:00Z'),
      ]);
    });
    it('given an erasure under way, when another request arrives, then nothing happens', () => {
      spec.given(erasing).when(requestErasure('subjectRequest', '2027-01-02T00:00:00Z')).thenNothingHappens();
    });
    it('given a closed clock, when erasure is requested, then RetentionClockClosed', () => {
      const closed = ev({ type: 'RetentionClockClosed', data: { closedAt: '2027-01-06T00:00:00Z' } });
      spec.given([...erased, closed]).when(requestErasure('subjectRequest', '2027-02-01T00:00:00Z')).thenRejects({ _tag: 'RetentionClockClosed' });
    });
  });

  describe('approvals (Personizely PZ-17)', () => {
    it('given approvals by all of CEO and DPO, when erasure is requested, then only ErasureRequested', () => {
      spec.given([personizely('all'), pzExpired]).when(requestErasure('retentionExpired', '2026-04-01T00:01:00Z')).then([pzRequested]);
      expect(fold([personizely('all'), pzExpired, pzRequested]).clockState).toBe('awaitingApproval');
    });
    it('given mode all, when the CEO approves, then ErasureApproved only; when the DPO then approves, then ErasureAuthorised', () => {
      spec.given([personizely('all'), pzExpired, pzRequested]).when(approve('ceo')).then([approved('ceo')]);
      spec
        .given([personizely('all'), pzExpired, pzRequested, approved('ceo')])
        .when(approve('dpo', '2026-04-02T00:00:00Z'))
        .then([approved('dpo', '2026-04-02T00:00:00Z'), authorised('2026-04-02T00:00:00Z', ['ceo', 'dpo'])]);
    });
    it('given mode any, when the CEO approves, then ErasureApproved and ErasureAuthorised', () => {
      spec.given([personizely('any'), pzExpired, pzRequested]).when(approve('ceo')).then([approved('ceo'), authorised('2027-01-02T00:00:00Z', ['ceo'])]);
    });
    it('given an approval by a role, when the same role approves again, then nothing happens', () => {
      spec.given([personizely('all'), pzExpired, pzRequested, approved('ceo')]).when(approve('ceo', '2026-04-03T00:00:00Z')).thenNothingHappens();
    });
    it('given mode any and an authorisation, when the other role approves late, then nothing happens', () => {
      spec
        .given([personizely('any'), pzExpired, pzRequested, approved('ceo'), authorised('2027-01-02T00:00:00Z', ['ceo'])])
        .when(approve('dpo'))
        .thenNothingHappens();
    });
    it('given a pending erasure, when a role that is not required approves, then ApproverRoleNotRequired', () => {
      spec.given([personizely('all'), pzExpired, pzRequested]).when(approve('cto')).thenRejects({ _tag: 'ApproverRoleNotRequired', role: 'cto' });
    });
    it('given no erasure request, when someone approves, then ErasureNotRequested', () => {
      spec.given([personizely('all'), pzExpired]).when(approve('ceo')).thenRejects({ _tag: 'ErasureNotRequested' });
    });
  });

  describe('confirmation and completion', () => {
    it('given no erasure request, when a system confirms, then ErasureNotRequested', () => {
      spec.given([started, expired]).when(confirm({ system: 'crm' })).thenRejects({ _tag: 'ErasureNotRequested' });
    });
    it('given an erasure awaiting approval, when a system confirms, then ErasureNotAuthorised', () => {
      spec.given([personizely('all'), pzExpired, pzRequested]).when(confirm({ system: 'app' })).thenRejects({ _tag: 'ErasureNotAuthorised' });
    });
    it('given an authorised erasure, when a system not of the clock confirms, then UnknownErasureTarget', () => {
      spec.given(erasing).when(confirm({ system: 'warehouse' })).thenRejects({ _tag: 'UnknownErasureTarget', target: { system: 'warehouse' } });
      spec.given(erasing).when(confirm({ processor: 'crm' })).thenRejects((r) => r._tag === 'UnknownErasureTarget');
    });
    it('given an authorised erasure, when one system confirms, then ErasureConfirmed; the same again is a no-op', () => {
      spec.given(erasing).when(confirm({ system: 'crm' })).then([confirmed({ system: 'crm' })]);
      spec.given([...erasing, confirmed({ system: 'crm' })]).when(confirm({ system: 'crm' })).thenNothingHappens();
    });
    it('given all but one target confirmed, when the last confirms, then ErasureConfirmed and ErasureCompleted', () => {
      spec
        .given([...erasing, confirmed({ system: 'crm' }), confirmed({ processor: 'mailer' })])
        .when(confirm({ system: 'backup' }, '2027-01-07T00:00:00Z'))
        .then([
          confirmed({ system: 'backup' }, '2027-01-07T00:00:00Z'),
          ev({ type: 'ErasureCompleted', data: { completedAt: '2027-01-07T00:00:00Z', systems: ['crm', 'backup'], processors: ['mailer'] } }),
        ]);
      expect(fold(erased).clockState).toBe('erased');
    });
  });

  describe('cancellation (Personizely PZ-13)', () => {
    it('given a running clock with a grace period, when the client reactivates within it, then ErasureCancelled and the clock is cancelled', () => {
      const cancelled = ev({ type: 'ErasureCancelled', data: { reason: 'reactivatedWithinGrace', cancelledAt: '2026-03-15T00:00:00Z' } });
      spec.given([personizely('all')]).when(cancel('reactivatedWithinGrace', '2026-03-15T00:00:00Z')).then([cancelled]);
      expect(fold([personizely('all'), cancelled]).clockState).toBe('cancelled');
      spec.given([personizely('all'), cancelled]).when(cancel('reactivatedWithinGrace', '2026-03-16T00:00:00Z')).thenNothingHappens();
      spec.given([personizely('all'), cancelled]).when(expire('2026-04-02T00:00:00Z')).thenNothingHappens();
      spec.given([personizely('all'), cancelled]).when(requestErasure('retentionExpired', '2026-04-02T00:00:00Z')).thenRejects({ _tag: 'RetentionClockCancelled' });
    });
    it('given a grace period, when erasure for expiry is requested at its last instant, then GracePeriodRunning', () => {
      spec
        .given([personizely('all'), ev({ type: 'RetentionClockExpired', data: { expiredAt: '2026-04-01T00:00:00Z', checkedAt: '2026-04-01T00:00:00Z' } })])
        .when(requestErasure('retentionExpired', '2026-04-01T00:00:00Z'))
        .thenRejects({ _tag: 'GracePeriodRunning', graceUntil: '2026-04-01T00:00:00Z' });
    });
    it('given a pending erasure after expiry, when the client reactivates after the grace period, then GracePeriodOver', () => {
      spec
        .given([personizely('all'), pzExpired, pzRequested])
        .when(cancel('reactivatedWithinGrace', '2026-04-01T00:00:01Z'))
        .thenRejects({ _tag: 'GracePeriodOver', graceUntil: '2026-04-01T00:00:00Z' });
    });
    it('given a clock without grace period, when a reactivation cancels, then NoGracePeriod', () => {
      spec.given([started]).when(cancel('reactivatedWithinGrace', '2026-03-15T00:00:00Z')).thenRejects({ _tag: 'NoGracePeriod' });
    });
    it('given a pending erasure, when a hold is placed, then ErasureCancelled and the clock returns to expired for the next tick', () => {
      const cancelled = ev({ type: 'ErasureCancelled', data: { reason: 'holdPlaced', cancelledAt: '2026-04-01T12:00:00Z' } });
      spec.given([personizely('all'), pzExpired, pzRequested, approved('ceo')]).when(cancel('holdPlaced', '2026-04-01T12:00:00Z')).then([cancelled]);
      const state = fold([personizely('all'), pzExpired, pzRequested, approved('ceo'), cancelled]);
      expect(state.clockState).toBe('expired');
      expect(state.approvals).toEqual({});
    });
    it('given no pending erasure, when a hold cancels, then NoErasurePending', () => {
      spec.given([started, expired]).when(cancel('holdPlaced', '2027-01-02T00:00:00Z')).thenRejects({ _tag: 'NoErasurePending' });
    });
    it('given an authorised or completed erasure, when cancelled, then ErasureAlreadyAuthorised or ErasureAlreadyCompleted', () => {
      spec.given(erasing).when(cancel('holdPlaced', '2027-01-02T00:00:00Z')).thenRejects({ _tag: 'ErasureAlreadyAuthorised' });
      spec.given(erased).when(cancel('holdPlaced', '2027-01-08T00:00:00Z')).thenRejects({ _tag: 'ErasureAlreadyCompleted' });
    });
  });

  describe('closing and new cycles', () => {
    const closed = ev({ type: 'RetentionClockClosed', data: { closedAt: '2027-01-06T00:00:00Z' } });
    it('given an erased clock, when closed, then RetentionClockClosed; closing again is a no-op', () => {
      spec.given(erased).when(close).then([closed]);
      spec.given([...erased, closed]).when(close).thenNothingHappens();
    });
    it('given data still held, when closed, then DataNotErased', () => {
      spec.given([started]).when(close).thenRejects({ _tag: 'DataNotErased', clockState: 'running' });
      spec.given(erasing).when(close).thenRejects({ _tag: 'DataNotErased', clockState: 'erasing' });
    });
    it('given a closed clock, when new data starts it again, then a new cycle starts; the old start is a no-op', () => {
      const restart = start({ startedAt: '2027-03-01T00:00:00Z', deadline: deadline('2028-03-01T00:00:00Z') });
      spec.given([...erased, closed]).when(start()).thenNothingHappens();
      spec.given([...erased, closed]).when(restart).then([ev({ type: 'RetentionClockStarted', data: restart.data })]);
      const state = fold([...erased, closed, ev({ type: 'RetentionClockStarted', data: restart.data })]);
      expect(state.cycle).toBe(2);
      expect(state.clockState).toBe('running');
      expect(state.confirmedSystems).toEqual([]);
    });
  });

  describe('codecs', () => {
    it('reports the path of a bad field in a command', () => {
      const result = RetentionCommand.decode({ ...requestErasure(), data: { ...requestErasure().data, completionDeadline: { ruleId: 'x' } } });
      expect(PathReporter.report(result).some((line) => line.includes('completionDeadline'))).toBe(true);
    });
    it('routes a command to lethe.retention-<retentionClockId(subject, category)>', () => {
      expect(retentionStreamName(close)).toBe(`lethe.retention-${retentionClockId(subjectId, category)}`);
    });
    it('marks exactly these fields as personal, per event', () => {
      expect(Object.fromEntries(RetentionEvent.types.map((codec) => [codec.name, personalPaths(codec)]))).toEqual({
        RetentionClockStarted: [],
        RetentionClockReset: [],
        RetentionClockExpired: [],
        ErasureRequested: [],
        ErasureApproved: ['data.approvedBy'],
        ErasureAuthorised: [],
        ErasureConfirmed: [],
        ErasureCompleted: [],
        ErasureCancelled: [],
        RetentionClockClosed: [],
      });
      expect(personalPaths(Commands.ApproveErasure)).toEqual(['data.approvedBy']);
    });
  });
});
