import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  addSubProcessor,
  receiveAuthorityDemand,
  recordAuthorityDemandForwarding,
  recordSubProcessorChangeNotice,
  removeSubProcessor,
} from '../../api/incidents.js';
import { commandsOf, convertfulPolicy, euPolicy, harness, ids } from '../../api/incidents.fixture.js';
import { IncidentHostCommand, incidentHostCommandTypes } from './incidentCommands.js';
import { AUTHORITY_DEMAND_CITATION, objectionWindowFor } from './processors.js';

const sub = {
  registerId: ids.register,
  subProcessorId: 'mailer',
  name: 'Mailer Inc',
  location: 'US',
  purposes: ['email'],
  dataCategories: ['contact'],
};

describe('subProcessorChanges', () => {
  it('an addition without prior notice → NotifyCustomersOfSubProcessorChange with the window closing 10 days later', () => {
    const h = harness(convertfulPolicy());
    const step = h.run(addSubProcessor, sub, '2026-06-01T10:00:00.000+02:00');
    const commands = commandsOf(step);
    expect(commands).toEqual([
      {
        type: 'NotifyCustomersOfSubProcessorChange',
        data: {
          registerId: ids.register,
          subProcessorId: 'mailer',
          change: 'added',
          objectionWindow: {
            closesAt: '2026-06-11T23:59:59.999+02:00',
            ruleId: 'processors.objectionWindow',
            citation: 'Convertful DPA (CF-11)',
            explanation: expect.stringContaining('2026-06-11'),
          },
        },
      },
    ]);
    commands.forEach((c) => expect(IncidentHostCommand.is(c)).toBe(true));
  });

  it('an addition already noticed needs no command; a removal is noticed without a window', () => {
    const h = harness(convertfulPolicy());
    expect(commandsOf(h.run(addSubProcessor, { ...sub, customersNotifiedAt: '2026-05-20T10:00:00.000+02:00' }, '2026-06-01T10:00:00.000+02:00'))).toEqual([]);
    expect(commandsOf(h.run(removeSubProcessor, { registerId: ids.register, subProcessorId: 'mailer' }, '2026-07-01T10:00:00.000+02:00'))).toEqual([
      { type: 'NotifyCustomersOfSubProcessorChange', data: { registerId: ids.register, subProcessorId: 'mailer', change: 'removed' } },
    ]);
  });

  it('a later notice reopens the window from its own instant', () => {
    const h = harness(convertfulPolicy());
    h.run(addSubProcessor, sub, '2026-06-01T10:00:00.000+02:00');
    const notice = h.run(
      recordSubProcessorChangeNotice,
      { registerId: ids.register, subProcessorId: 'mailer', change: 'added' },
      '2026-06-05T10:00:00.000+02:00',
    );
    expect(notice.events[0]?.event.data).toMatchObject({ objectionWindow: { closesAt: '2026-06-15T23:59:59.999+02:00' } });
  });

  it('a policy without a window (IS-25) gives none', () => {
    expect(objectionWindowFor(euPolicy(), '2026-06-01T10:00:00.000+02:00')).toBeUndefined();
  });
});

describe('subProcessorChanges: authority demands (CF-18, IS-12, IS-23)', () => {
  const demand = {
    registerId: ids.register,
    demandId: 'demand-1',
    authority: 'police-paris',
    controllerId: 'customer-42',
    kind: 'lawEnforcement',
    notificationProhibited: false,
    reference: 'case-2026-17',
  };
  const RECEIVED = '2026-05-04T09:30:00.000+02:00';

  it('a demand the law lets us pass on → ForwardAuthorityDemandToController due 24 hours later (host target)', () => {
    const h = harness(convertfulPolicy());
    const step = h.run(receiveAuthorityDemand, demand, RECEIVED);
    expect(step.events.map((e) => e.event)).toEqual([
      {
        type: 'AuthorityDemandReceived',
        data: {
          demandId: 'demand-1',
          authority: 'police-paris',
          controllerId: 'customer-42',
          kind: 'lawEnforcement',
          notificationProhibited: false,
          reference: 'case-2026-17',
          receivedAt: RECEIVED,
        },
      },
    ]);
    const commands = commandsOf(step);
    expect(commands).toEqual([
      {
        type: 'ForwardAuthorityDemandToController',
        data: {
          registerId: ids.register,
          demandId: 'demand-1',
          controllerId: 'customer-42',
          authority: 'police-paris',
          kind: 'lawEnforcement',
          receivedAt: RECEIVED,
          dueAt: '2026-05-05T09:30:00.000+02:00',
          citation: AUTHORITY_DEMAND_CITATION,
          explanation: expect.stringMatching(/^Host target, not a legal limit: /) as unknown as string,
          reference: 'case-2026-17',
        },
      },
    ]);
    commands.forEach((c) => expect(IncidentHostCommand.is(c)).toBe(true));
    expect(incidentHostCommandTypes).toContain('ForwardAuthorityDemandToController');
    // Recording the forwarding emits nothing more; recording it again appends nothing.
    const fwd = h.run(recordAuthorityDemandForwarding, { registerId: ids.register, demandId: 'demand-1' }, '2026-05-04T15:00:00.000+02:00');
    expect(fwd.events.map((e) => e.event)).toEqual([{ type: 'AuthorityDemandForwarded', data: { demandId: 'demand-1', at: '2026-05-04T15:00:00.000+02:00' } }]);
    expect(commandsOf(fwd)).toEqual([]);
    expect(h.run(recordAuthorityDemandForwarding, { registerId: ids.register, demandId: 'demand-1' }, '2026-05-05T15:00:00.000+02:00').events).toEqual([]);
  });

  it('the due instant runs through the night and the weekend, in the policy calendar (receivedAt given in UTC)', () => {
    const h = harness(convertfulPolicy());
    const step = h.run(receiveAuthorityDemand, { ...demand, kind: 'court', receivedAt: '2026-05-08T20:00:00Z' }, '2026-05-11T08:00:00.000+02:00');
    expect(commandsOf(step).map((c) => (c.data as Record<string, unknown>)['dueAt'])).toEqual(['2026-05-09T22:00:00.000+02:00']);
  });

  it('a demand the law forbids telling the controller of → no command, and its forwarding is refused', () => {
    const h = harness(convertfulPolicy());
    expect(commandsOf(h.run(receiveAuthorityDemand, { ...demand, notificationProhibited: true }, RECEIVED))).toEqual([]);
    const refused = h.tryRun(recordAuthorityDemandForwarding, { registerId: ids.register, demandId: 'demand-1' }, '2026-05-04T15:00:00.000+02:00');
    expect(E.isLeft(refused) ? refused.left : 'accepted').toMatchObject({ _tag: 'AuthorityDemandNotificationProhibited', demandId: 'demand-1' });
  });

  it('builders: bad input is InvalidInput naming the path, never the value; an unknown demand is refused by the decider', () => {
    const h = harness(convertfulPolicy());
    const at = '2026-05-04T09:30:00.000+02:00';
    const left = (r: E.Either<unknown, unknown>) => (E.isLeft(r) ? r.left : 'accepted');
    expect(left(h.tryRun(receiveAuthorityDemand, { ...demand, kind: 'journalist' }, at))).toEqual({
      _tag: 'InvalidInput',
      path: 'kind',
      message: expect.any(String),
    });
    expect(left(h.tryRun(receiveAuthorityDemand, { ...demand, controllerId: undefined }, at))).toMatchObject({ _tag: 'InvalidInput', path: 'controllerId' });
    expect(left(h.tryRun(receiveAuthorityDemand, { ...demand, notificationProhibited: 'no' }, at))).toMatchObject({
      _tag: 'InvalidInput',
      path: 'notificationProhibited',
    });
    expect(left(h.tryRun(receiveAuthorityDemand, { ...demand, receivedAt: '2026-05-04 09:30' }, at))).toMatchObject({ _tag: 'InvalidInput', path: 'receivedAt' });
    expect(left(h.tryRun(receiveAuthorityDemand, { ...demand, registerId: 'not-a-uuid' }, at))).toMatchObject({ _tag: 'InvalidInput', path: 'registerId' });
    const badKind = left(h.tryRun(receiveAuthorityDemand, { ...demand, kind: 'journalist' }, at));
    expect(JSON.stringify(badKind)).not.toContain('journalist');
    expect(left(h.tryRun(recordAuthorityDemandForwarding, { registerId: ids.register }, at))).toMatchObject({ _tag: 'InvalidInput', path: 'demandId' });
    expect(left(h.tryRun(recordAuthorityDemandForwarding, { registerId: ids.register, demandId: 'demand-9' }, at))).toEqual({
      _tag: 'UnknownAuthorityDemand',
      demandId: 'demand-9',
    });
  });
});
