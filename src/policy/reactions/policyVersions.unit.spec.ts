import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { publishPolicyVersion } from '../../api/incidents.js';
import { commandsOf, euPolicy, harness, policyOf } from '../../api/incidents.fixture.js';
import { policyStreamId } from '../../model/policy/index.js';
import { PolicyDocument, decodePolicy } from '../document.js';
import { IncidentHostCommand, incidentHostCommandTypes } from './incidentCommands.js';
import { policyChangeNoticeOf } from './policyVersions.js';

const withNotice = (value: string, citation?: string): PolicyDocument =>
  policyOf({
    ...(PolicyDocument.encode(euPolicy()) as Record<string, unknown>),
    parameters: {
      policyChangeNotice: {
        description: 'Whether users must be told of a new policy version',
        kind: 'string',
        required: false,
        value,
        ...(citation === undefined ? {} : { citation }),
      },
    },
  });

const PUBLISHED = '2026-06-01T09:00:00.000+02:00';
const v2 = { version: '2026.2', effectiveFrom: '2026-07-01T00:00:00.000+02:00', meaningfullyReducesRights: true };
const policyId = policyStreamId('Example SAS');

describe('policyChangeNotices', () => {
  it('default (no parameter): PolicyVersionPublished → NotifyUsersOfPolicyChange, required (IN-02)', () => {
    const h = harness(euPolicy());
    const step = h.run(publishPolicyVersion, v2, PUBLISHED);
    expect(step.events.map((e) => [e.streamName, e.event])).toEqual([
      [`lethe.policy-${policyId}`, { type: 'PolicyVersionPublished', data: { ...v2, publishedAt: PUBLISHED } }],
    ]);
    const commands = commandsOf(step);
    expect(commands).toEqual([
      {
        type: 'NotifyUsersOfPolicyChange',
        data: {
          policyId,
          version: '2026.2',
          effectiveFrom: '2026-07-01T00:00:00.000+02:00',
          publishedAt: PUBLISHED,
          meaningfullyReducesRights: true,
          required: true,
          citation: expect.stringContaining('IN-02') as unknown as string,
        },
      },
    ]);
    commands.forEach((c) => expect(IncidentHostCommand.is(c)).toBe(true));
    expect(incidentHostCommandTypes).toContain('NotifyUsersOfPolicyChange');
  });

  it('"optional" (IS-30): the notice is emitted with required false, citing the parameter', () => {
    const h = harness(withNotice('optional', 'InfluencerSoft IS-30'));
    expect(commandsOf(h.run(publishPolicyVersion, v2, PUBLISHED)).map((c) => c.data)).toEqual([
      expect.objectContaining({ version: '2026.2', required: false, citation: 'InfluencerSoft IS-30' }),
    ]);
  });

  it('"whenRightsReduced": required only for a version that meaningfully reduces rights', () => {
    const h = harness(withNotice('whenRightsReduced'));
    const reduced = commandsOf(h.run(publishPolicyVersion, v2, PUBLISHED));
    const neutral = commandsOf(
      h.run(publishPolicyVersion, { version: '2026.3', effectiveFrom: '2026-09-01T00:00:00.000+02:00', meaningfullyReducesRights: false }, '2026-08-01T09:00:00.000+02:00'),
    );
    expect([...reduced, ...neutral].map((c) => [(c.data as Record<string, unknown>)['version'], (c.data as Record<string, unknown>)['required']])).toEqual([
      ['2026.2', true],
      ['2026.3', false],
    ]);
    expect(reduced[0]?.data).toMatchObject({ citation: 'policy 2026.1: parameters.policyChangeNotice = "whenRightsReduced"' });
  });

  it('a document with an unrecognised setting is refused by path; read anyway, it falls back to "required"', () => {
    const input = {
      ...(PolicyDocument.encode(euPolicy()) as Record<string, unknown>),
      parameters: { policyChangeNotice: { description: 'Whether users must be told', kind: 'string', required: false, value: 'sometimes' } },
    };
    const decoded = decodePolicy(input);
    expect(E.isLeft(decoded) && decoded.left._tag === 'InvalidPolicy' && decoded.left.problems).toEqual([
      { path: 'parameters.policyChangeNotice.value', message: 'must be one of "required", "optional", "whenRightsReduced"' },
    ]);
    // A document built in code, not decoded: a typo still never drops a notice.
    const built: PolicyDocument = {
      ...euPolicy(),
      parameters: { policyChangeNotice: { description: 'Whether users must be told', kind: 'string', required: false, value: 'sometimes' } },
    };
    expect(policyChangeNoticeOf(built)).toBe('required');
  });

  it('publishPolicyVersion: defaults to the document in force; a retry appends and emits nothing; conflicts and bad input are refused', () => {
    const h = harness(euPolicy());
    const first = h.run(publishPolicyVersion, { meaningfullyReducesRights: false }, '2025-12-15T09:00:00.000+01:00');
    expect(first.events.map((e) => e.event)).toEqual([
      {
        type: 'PolicyVersionPublished',
        data: { version: '2026.1', effectiveFrom: '2026-01-01T00:00:00Z', publishedAt: '2025-12-15T09:00:00.000+01:00', meaningfullyReducesRights: false },
      },
    ]);
    const retry = h.run(publishPolicyVersion, { meaningfullyReducesRights: false, publishedAt: '2025-12-15T09:00:00.000+01:00' }, '2025-12-16T09:00:00.000+01:00');
    expect(retry.events).toEqual([]);
    expect(commandsOf(retry)).toEqual([]);
    const left = (r: E.Either<unknown, unknown>) => (E.isLeft(r) ? r.left : 'accepted');
    expect(left(h.tryRun(publishPolicyVersion, { meaningfullyReducesRights: true }, '2025-12-16T09:00:00.000+01:00'))).toEqual({
      _tag: 'PolicyVersionConflict',
      version: '2026.1',
    });
    expect(left(h.tryRun(publishPolicyVersion, { version: '2025.9', effectiveFrom: '2025-06-01T00:00:00Z', meaningfullyReducesRights: false }, PUBLISHED))).toMatchObject({
      _tag: 'EffectiveFromBeforePrevious',
      previousVersion: '2026.1',
    });
    expect(left(h.tryRun(publishPolicyVersion, { meaningfullyReducesRights: 'yes' }, PUBLISHED))).toMatchObject({
      _tag: 'InvalidInput',
      path: 'meaningfullyReducesRights',
    });
    expect(left(h.tryRun(publishPolicyVersion, { ...v2, effectiveFrom: '2026-07-01' }, PUBLISHED))).toMatchObject({ _tag: 'InvalidInput', path: 'effectiveFrom' });
    expect(left(h.tryRun(publishPolicyVersion, { ...v2, policyId: 'my-policy' }, PUBLISHED))).toMatchObject({ _tag: 'InvalidInput', path: 'policyId' });
    expect(left(h.tryRun(publishPolicyVersion, 'v2', PUBLISHED))).toMatchObject({ _tag: 'InvalidInput', path: '' });
  });
});
