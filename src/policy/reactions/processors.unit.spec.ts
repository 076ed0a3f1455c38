import { describe, expect, it } from 'vitest';
import { addSubProcessor, recordSubProcessorChangeNotice, removeSubProcessor } from '../../api/incidents.js';
import { commandsOf, convertfulPolicy, euPolicy, harness, ids } from '../../api/incidents.fixture.js';
import { IncidentHostCommand } from './incidentCommands.js';
import { objectionWindowFor } from './processors.js';

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
