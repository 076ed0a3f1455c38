import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { lifecyclePolicyInput } from '../api/lifecycle.fixture.js';
import { decodePolicy } from './document.js';
import { LETHE_PARAMETERS, checkLetheParameters, nearestLetheParameter } from './parameters.js';

const problemsOf = (parameters: Record<string, unknown>) => {
  const input = lifecyclePolicyInput();
  const decoded = decodePolicy({ ...input, parameters: { ...(input['parameters'] as Record<string, unknown>), ...parameters } });
  return E.isLeft(decoded) && decoded.left._tag === 'InvalidPolicy' ? decoded.left.problems : [];
};
const param = (kind: string, value?: unknown) => ({ description: 'a setting', kind, required: false, ...(value === undefined ? {} : { value }) });

describe('the parameters Lethe reads', () => {
  it('accepts each with its kind and a good value', () => {
    expect(
      problemsOf({
        policyChangeNotice: param('string', 'whenRightsReduced'),
        exportAlertRoles: param('string', 'CEO,DPO'),
        cancellationWithdrawsConsent: param('boolean', true),
        returnDataOnContractEnd: param('boolean', false),
        returnDataRequestWindow: param('period', 'P90D'),
        destructionAudit: param('boolean', true),
      }),
    ).toEqual([]);
  });

  it('refuses one declared with another kind, or a word it does not know, by path', () => {
    expect(problemsOf({ cancellationWithdrawsConsent: param('string', 'true') })).toEqual([
      {
        path: 'parameters.cancellationWithdrawsConsent.kind',
        message: `Lethe reads "cancellationWithdrawsConsent" as a boolean: ${LETHE_PARAMETERS['cancellationWithdrawsConsent']?.effect}`,
      },
    ]);
    expect(problemsOf({ policyChangeNotice: param('string', 'Optional') })).toEqual([
      { path: 'parameters.policyChangeNotice.value', message: 'must be one of "required", "optional", "whenRightsReduced"' },
    ]);
    // Not set at all is fine: the default applies.
    expect(problemsOf({ policyChangeNotice: param('string') })).toEqual([]);
  });

  it('names the Lethe parameter a misspelt name was probably meant to be, unless the document uses the name', () => {
    const [problem] = problemsOf({ destructionAudt: param('boolean', true) });
    expect(problem?.path).toBe('parameters.destructionAudt');
    expect(problem?.message).toContain('did you mean "destructionAudit"');
    expect(nearestLetheParameter('ExportAlertRole')).toBe('exportAlertRoles');
    expect(nearestLetheParameter('logRetention')).toBeUndefined();
    expect(nearestLetheParameter('exportAlertRoles')).toBeUndefined();
    // A host's own parameter that a retention period refers to is never questioned.
    expect(checkLetheParameters({ destructionAudt: { kind: 'period', value: 'P1D' } }, new Set(['destructionAudt']))).toEqual([]);
  });
});
