import { describe, expect, it } from 'vitest';
import {
  addSubProcessor,
  receiveAuthorityDemand,
  recordAuthorityDemandForwarding,
  recordSubProcessorChangeNotice,
  recordSubProcessorObjection,
  removeSubProcessor,
  resolveSubProcessorObjection,
} from '../api/incidents.js';
import { convertfulPolicy, harness, ids } from '../api/incidents.fixture.js';
import { type ProcessorRegisterState, subProcessorRegisterOf } from './processorRegister.js';

describe('processorRegister', () => {
  it('follows sub-processors, notices, windows and objections', () => {
    const h = harness(convertfulPolicy());
    const sub = { registerId: ids.register, subProcessorId: 'mailer', name: 'Mailer Inc', location: 'US', purposes: ['email'], dataCategories: ['contact'] };
    h.run(addSubProcessor, sub, '2026-06-01T10:00:00.000+02:00');
    let entry = subProcessorRegisterOf(h.views()['processorRegister'] as ProcessorRegisterState, ids.register);
    expect(entry?.subProcessors['mailer']).toMatchObject({ status: 'active', objectionWindow: null, customersNotifiedAt: null, addedAt: '2026-06-01T10:00:00.000+02:00' });

    h.run(recordSubProcessorChangeNotice, { registerId: ids.register, subProcessorId: 'mailer', change: 'added' }, '2026-06-02T10:00:00.000+02:00');
    h.run(
      recordSubProcessorObjection,
      { registerId: ids.register, objectionId: 'o-1', subProcessorId: 'mailer', customerId: 'customer-42', grounds: 'secret grounds', dataProtectionGrounds: true },
      '2026-06-05T10:00:00.000+02:00',
    );
    h.run(resolveSubProcessorObjection, { registerId: ids.register, objectionId: 'o-1', outcome: 'changeOffered' }, '2026-06-09T10:00:00.000+02:00');
    h.run(removeSubProcessor, { registerId: ids.register, subProcessorId: 'mailer' }, '2026-07-01T10:00:00.000+02:00');
    entry = subProcessorRegisterOf(h.views()['processorRegister'] as ProcessorRegisterState, ids.register);
    expect(entry?.subProcessors['mailer']).toMatchObject({
      status: 'removed',
      removedAt: '2026-07-01T10:00:00.000+02:00',
      customersNotifiedAt: '2026-06-02T10:00:00.000+02:00',
      objectionWindow: { closesAt: '2026-06-12T23:59:59.999+02:00', ruleId: 'processors.objectionWindow' },
    });
    expect(entry?.notices).toEqual([{ subProcessorId: 'mailer', change: 'added', at: '2026-06-02T10:00:00.000+02:00' }]);
    expect(entry?.objections['o-1']).toEqual({
      objectionId: 'o-1',
      subProcessorId: 'mailer',
      customerId: 'customer-42',
      dataProtectionGrounds: true,
      at: '2026-06-05T10:00:00.000+02:00',
      outcome: 'changeOffered',
      resolvedAt: '2026-06-09T10:00:00.000+02:00',
    });
    expect(JSON.stringify(entry)).not.toMatch(/secret/);
  });
});

describe('processorRegister: authority demands', () => {
  it('records each demand with its prohibition and when the controller was told', () => {
    const h = harness(convertfulPolicy());
    const demand = { registerId: ids.register, authority: 'police-paris', controllerId: 'customer-42', kind: 'lawEnforcement' };
    h.run(receiveAuthorityDemand, { ...demand, demandId: 'd-1', notificationProhibited: false }, '2026-05-04T09:30:00.000+02:00');
    h.run(receiveAuthorityDemand, { ...demand, demandId: 'd-2', kind: 'court', notificationProhibited: true, reference: 'order-7' }, '2026-05-04T10:00:00.000+02:00');
    h.run(recordAuthorityDemandForwarding, { registerId: ids.register, demandId: 'd-1' }, '2026-05-04T15:00:00.000+02:00');
    const entry = subProcessorRegisterOf(h.views()['processorRegister'] as ProcessorRegisterState, ids.register);
    expect(entry?.authorityDemands).toEqual({
      'd-1': {
        demandId: 'd-1',
        authority: 'police-paris',
        controllerId: 'customer-42',
        kind: 'lawEnforcement',
        receivedAt: '2026-05-04T09:30:00.000+02:00',
        notificationProhibited: false,
        reference: null,
        forwardedAt: '2026-05-04T15:00:00.000+02:00',
      },
      'd-2': {
        demandId: 'd-2',
        authority: 'police-paris',
        controllerId: 'customer-42',
        kind: 'court',
        receivedAt: '2026-05-04T10:00:00.000+02:00',
        notificationProhibited: true,
        reference: 'order-7',
        forwardedAt: null,
      },
    });
  });
});
