import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import type { Decider } from '../../engine/decider.js';
import { personalPaths } from '../personal.js';
import { Identifier, IsoInstant } from '../shared.js';
import type { AddSubProcessor, ProcessorCommand } from './commands.js';
import { ProcessorCommand as ProcessorCommandCodec } from './commands.js';
import { AUTHORITY_DEMAND_PROHIBITION_CITATION, processorDecider } from './decider.js';
import type { ProcessorRejection, ProcessorState } from './decider.js';
import * as ev from './events.js';
import type { ProcessorEvent, SubProcessorAdded } from './events.js';

// The engine folds this decider through its generic interface: a type error here means the engine cannot use it.
const asEngineDecider: Decider<ProcessorCommand, ProcessorState, ProcessorEvent, ProcessorRejection> = processorDecider;

const decode = <A>(codec: t.Type<A, unknown, unknown>, value: unknown): A => {
  const result = codec.decode(value);
  if (E.isLeft(result)) throw new Error(`test fixture does not decode as ${codec.name}`);
  return result.right;
};
const instant = (s: string): IsoInstant => decode(IsoInstant, s);
const id = (s: string): Identifier => decode(Identifier, s);

/** given/when/then over the register decider; every emitted event must also pass its codec. */
const given = (events: readonly ProcessorEvent[]) => ({
  when: (command: ProcessorCommand) => {
    const state = events.reduce(asEngineDecider.evolve, asEngineDecider.initialState());
    const result = asEngineDecider.decide(command, state);
    expect(ProcessorCommandCodec.is(command)).toBe(true);
    return {
      then: (expected: readonly ProcessorEvent[]): void => {
        expect(result).toEqual(E.right(expected));
        if (E.isRight(result)) for (const e of result.right) expect(ev.ProcessorEvent.is(e)).toBe(true);
      },
      thenRejects: (expected: Partial<ProcessorRejection> & Pick<ProcessorRejection, '_tag'>): void => {
        expect(E.isLeft(result) ? result.left : 'accepted').toEqual(expect.objectContaining(expected));
      },
    };
  },
});
const stateAfter = (events: readonly ProcessorEvent[]): ProcessorState =>
  events.reduce(processorDecider.evolve, processorDecider.initialState());

const hetzner = id('hetzner');
const cf11Window = { closesAt: instant('2026-04-11T23:59:59.999+02:00'), ruleId: id('convertful.cf11'), citation: 'Convertful DPA 3.10' };
const addedData: SubProcessorAdded['data'] = {
  subProcessorId: hetzner,
  name: 'Hetzner Online GmbH',
  location: id('DE'),
  purposes: [id('hosting')],
  dataCategories: [id('contact'), id('widget-content')],
  at: instant('2026-04-01T09:00:00Z'),
  transferMechanism: 'none (EU)',
  objectionWindow: cf11Window,
};
const added: ProcessorEvent = { type: 'SubProcessorAdded', data: addedData };
const add = (data: AddSubProcessor['data'] = addedData): AddSubProcessor => ({ type: 'AddSubProcessor', data });
const removed: ProcessorEvent = { type: 'SubProcessorRemoved', data: { subProcessorId: hetzner, at: instant('2026-05-01T09:00:00Z') } };
const objectionData = {
  objectionId: id('obj-1'),
  subProcessorId: hetzner,
  customerId: id('customer-42'),
  grounds: 'Our DPA forbids hosting outside our own data centre',
  dataProtectionGrounds: true,
  at: instant('2026-04-05T09:00:00Z'),
};
const objected: ProcessorEvent = { type: 'SubProcessorObjected', data: objectionData };

describe('sub-processor register: additions and removals', () => {
  it('given an empty register, when a sub-processor is added, then SubProcessorAdded', () => {
    given([]).when(add()).then([added]);
    expect(stateAfter([added]).subProcessors.get(hetzner)?.status).toBe('active');
  });

  it('given it was added, when added again with identical data (keys in another order), then nothing new', () => {
    const { subProcessorId, ...rest } = addedData;
    given([added]).when(add({ ...rest, subProcessorId })).then([]);
  });

  it('given it was added, when added again with different data, then SubProcessorConflict', () => {
    given([added]).when(add({ ...addedData, location: id('US') })).thenRejects({ _tag: 'SubProcessorConflict', subProcessorId: hetzner });
  });

  it('given it was removed, when added again with new data, then a new SubProcessorAdded', () => {
    const again = { ...addedData, at: instant('2026-06-01T09:00:00Z') };
    given([added, removed]).when(add(again)).then([{ type: 'SubProcessorAdded', data: again }]);
  });

  it('given the contract requires prior notice (PZ-23), when added without it or with notice after the addition, then PriorNoticeRequired', () => {
    const context = { priorCustomerNotice: { citation: 'Personizely DPA 5.2' } };
    given([]).when(add({ ...addedData, context })).thenRejects({ _tag: 'PriorNoticeRequired', citation: 'Personizely DPA 5.2' });
    given([])
      .when(add({ ...addedData, customersNotifiedAt: instant('2026-04-02T09:00:00Z'), context }))
      .thenRejects({ _tag: 'PriorNoticeRequired' });
    const noticed = { ...addedData, customersNotifiedAt: instant('2026-03-20T09:00:00Z') };
    given([]).when(add({ ...noticed, context })).then([{ type: 'SubProcessorAdded', data: noticed }]);
  });

  it('given an empty register, when an unknown sub-processor is removed, then UnknownSubProcessor', () => {
    given([]).when({ type: 'RemoveSubProcessor', data: removed.data }).thenRejects({ _tag: 'UnknownSubProcessor', subProcessorId: hetzner });
  });

  it('given it was added, when removed, then SubProcessorRemoved; removed again, then nothing new', () => {
    given([added]).when({ type: 'RemoveSubProcessor', data: removed.data }).then([removed]);
    given([added, removed]).when({ type: 'RemoveSubProcessor', data: removed.data }).then([]);
    expect(stateAfter([added, removed]).subProcessors.get(hetzner)?.status).toBe('removed');
  });
});

describe('sub-processor register: notices and objections', () => {
  it('given it was added, when customers are notified, then CustomersNotifiedOfSubProcessorChange; for an unknown one, UnknownSubProcessor', () => {
    const data = { subProcessorId: hetzner, change: 'added' as const, at: instant('2026-04-01T10:00:00Z') };
    given([added]).when({ type: 'RecordSubProcessorChangeNotice', data }).then([{ type: 'CustomersNotifiedOfSubProcessorChange', data }]);
    given([]).when({ type: 'RecordSubProcessorChangeNotice', data }).thenRejects({ _tag: 'UnknownSubProcessor' });
  });

  it('given an open window, when a customer objects, then SubProcessorObjected', () => {
    given([added]).when({ type: 'RecordSubProcessorObjection', data: objectionData }).then([objected]);
  });

  it('given the window closed, when a customer objects, then ObjectionWindowClosed with the window', () => {
    given([added])
      .when({ type: 'RecordSubProcessorObjection', data: { ...objectionData, at: instant('2026-04-11T22:00:00Z') } })
      .thenRejects({ _tag: 'ObjectionWindowClosed', subProcessorId: hetzner, closesAt: cf11Window.closesAt, ruleId: cf11Window.ruleId });
  });

  it('given a notice that opened a later window, when a customer objects after the first window, then the notice window applies', () => {
    const later = { closesAt: instant('2026-04-20T23:59:59Z'), ruleId: id('convertful.cf11') };
    const notice: ProcessorEvent = {
      type: 'CustomersNotifiedOfSubProcessorChange',
      data: { subProcessorId: hetzner, change: 'added', at: instant('2026-04-10T09:00:00Z'), objectionWindow: later },
    };
    const objection = { ...objectionData, at: instant('2026-04-15T09:00:00Z') };
    given([added, notice]).when({ type: 'RecordSubProcessorObjection', data: objection }).then([{ type: 'SubProcessorObjected', data: objection }]);
  });

  it('given no window (IS-25), when a customer objects months later on other grounds, then the objection is still recorded', () => {
    const { objectionWindow: _w, ...noWindow } = addedData;
    const objection = { ...objectionData, dataProtectionGrounds: false, at: instant('2027-01-01T09:00:00Z') };
    given([{ type: 'SubProcessorAdded', data: noWindow }])
      .when({ type: 'RecordSubProcessorObjection', data: objection })
      .then([{ type: 'SubProcessorObjected', data: objection }]);
  });

  it('given an unknown or removed sub-processor, when a customer objects, then UnknownSubProcessor or SubProcessorNotActive', () => {
    given([]).when({ type: 'RecordSubProcessorObjection', data: objectionData }).thenRejects({ _tag: 'UnknownSubProcessor' });
    given([added, removed]).when({ type: 'RecordSubProcessorObjection', data: objectionData }).thenRejects({
      _tag: 'SubProcessorNotActive',
      subProcessorId: hetzner,
    });
  });

  it('given an objection, when the same objection id is recorded again, then ObjectionAlreadyRecorded', () => {
    given([added, objected]).when({ type: 'RecordSubProcessorObjection', data: objectionData }).thenRejects({
      _tag: 'ObjectionAlreadyRecorded',
      objectionId: id('obj-1'),
    });
  });

  it('given an objection, when resolved, then ObjectionResolved; resolved again, then ObjectionAlreadyResolved', () => {
    const data = { objectionId: id('obj-1'), outcome: 'customerTerminated' as const, at: instant('2026-04-20T09:00:00Z') };
    const resolved: ProcessorEvent = { type: 'ObjectionResolved', data };
    given([added, objected]).when({ type: 'ResolveSubProcessorObjection', data }).then([resolved]);
    given([added, objected, resolved])
      .when({ type: 'ResolveSubProcessorObjection', data: { ...data, outcome: 'withdrawn' } })
      .thenRejects({ _tag: 'ObjectionAlreadyResolved', objectionId: id('obj-1'), outcome: 'customerTerminated' });
  });

  it('given no such objection, when resolved, then UnknownObjection', () => {
    given([added])
      .when({ type: 'ResolveSubProcessorObjection', data: { objectionId: id('obj-9'), outcome: 'rejected', at: instant('2026-04-20T09:00:00Z') } })
      .thenRejects({ _tag: 'UnknownObjection', objectionId: id('obj-9') });
  });
});

describe('sub-processor register decider: authority demands (CF-18, IS-12, IS-23)', () => {
  const demandData: ev.AuthorityDemandReceived['data'] = {
    demandId: id('demand-1'),
    authority: id('police-paris'),
    controllerId: id('customer-42'),
    kind: 'lawEnforcement',
    receivedAt: instant('2026-05-04T09:30:00.000+02:00'),
    notificationProhibited: false,
    reference: id('case-2026-17'),
  };
  const received: ProcessorEvent = { type: 'AuthorityDemandReceived', data: demandData };
  const forwardData = { demandId: id('demand-1'), at: instant('2026-05-04T15:00:00.000+02:00') };
  const forwarded: ProcessorEvent = { type: 'AuthorityDemandForwarded', data: forwardData };

  it('given nothing, when a demand is received, then AuthorityDemandReceived; received again identical, then nothing', () => {
    given([]).when({ type: 'ReceiveAuthorityDemand', data: demandData }).then([received]);
    given([received]).when({ type: 'ReceiveAuthorityDemand', data: demandData }).then([]);
  });

  it('given a demand, when the same id is received with different data, then AuthorityDemandConflict', () => {
    given([received])
      .when({ type: 'ReceiveAuthorityDemand', data: { ...demandData, kind: 'court' } })
      .thenRejects({ _tag: 'AuthorityDemandConflict', demandId: id('demand-1') });
  });

  it('given a demand, when its forwarding is recorded, then AuthorityDemandForwarded; recorded twice, then nothing', () => {
    given([received]).when({ type: 'RecordAuthorityDemandForwarding', data: forwardData }).then([forwarded]);
    given([received, forwarded])
      .when({ type: 'RecordAuthorityDemandForwarding', data: { ...forwardData, at: instant('2026-05-05T09:00:00Z') } })
      .then([]);
    expect(stateAfter([received, forwarded]).authorityDemands.get('demand-1')?.forwardedAt).toBe('2026-05-04T15:00:00.000+02:00');
  });

  it('given no such demand, when a forwarding is recorded, then UnknownAuthorityDemand', () => {
    given([]).when({ type: 'RecordAuthorityDemandForwarding', data: forwardData }).thenRejects({
      _tag: 'UnknownAuthorityDemand',
      demandId: id('demand-1'),
    });
  });

  it('given a demand the law forbids telling the controller of, when a forwarding is recorded, then refused with the citation', () => {
    const gagged: ProcessorEvent = {
      type: 'AuthorityDemandReceived',
      data: { ...demandData, notificationProhibited: true, prohibitionBasis: 'court order of 2026-05-03' },
    };
    given([gagged]).when({ type: 'RecordAuthorityDemandForwarding', data: forwardData }).thenRejects({
      _tag: 'AuthorityDemandNotificationProhibited',
      demandId: id('demand-1'),
      citation: expect.stringMatching(/^court order of 2026-05-03; Convertful DPA \(CF-18\): "unless legally prohibited"/) as unknown as string,
    });
    given([{ ...gagged, data: { ...demandData, notificationProhibited: true } }])
      .when({ type: 'RecordAuthorityDemandForwarding', data: forwardData })
      .thenRejects({ _tag: 'AuthorityDemandNotificationProhibited', citation: AUTHORITY_DEMAND_PROHIBITION_CITATION });
  });

  it('rejects a demand of an unknown kind, naming the path', () => {
    const result = ProcessorCommandCodec.decode({ type: 'ReceiveAuthorityDemand', data: { ...demandData, kind: 'journalist' } });
    const paths = E.isLeft(result) ? result.left.map((e) => e.context.map((c) => c.key).filter((k) => /^[a-zA-Z]+$/.test(k)).join('.')) : [];
    expect(paths).toContain('data.kind');
  });
});

describe('sub-processor register codecs', () => {
  it('lists exactly these personal fields per event, so a new unmarked free-text field shows up here', () => {
    expect(personalPaths(ev.SubProcessorAdded)).toEqual([]);
    expect(personalPaths(ev.SubProcessorRemoved)).toEqual([]);
    expect(personalPaths(ev.CustomersNotifiedOfSubProcessorChange)).toEqual([]);
    expect(personalPaths(ev.SubProcessorObjected)).toEqual(['data.grounds']);
    expect(personalPaths(ev.ObjectionResolved)).toEqual(['data.note']);
    expect(personalPaths(ev.AuthorityDemandReceived)).toEqual([]);
    expect(personalPaths(ev.AuthorityDemandForwarded)).toEqual([]);
  });

  it('rejects an objection window without an offset, naming the path', () => {
    const result = ProcessorCommandCodec.decode({ type: 'AddSubProcessor', data: { ...addedData, objectionWindow: { ...cf11Window, closesAt: '2026-04-11' } } });
    const paths = E.isLeft(result) ? result.left.map((e) => e.context.map((c) => c.key).filter((k) => /^[a-zA-Z]+$/.test(k)).join('.')) : [];
    expect(paths).toContain('data.objectionWindow.closesAt');
  });
});
