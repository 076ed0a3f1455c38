import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../../testing/deciderSpec.js';
import { personalPaths } from '../personal.js';
import * as Commands from './commands.js';
import { SubjectCommand } from './commands.js';
import { subjectDecider } from './decider.js';
import { SubjectEvent } from './events.js';
import { subjectStreamName } from './index.js';

const decodeWith =
  <A>(codec: t.Decoder<unknown, A>) =>
  (input: unknown): A => {
    const result = codec.decode(input);
    if (E.isLeft(result)) throw new Error(PathReporter.report(result).join('\n'));
    return result.right;
  };
const cmd = decodeWith(SubjectCommand);
const ev = decodeWith(SubjectEvent);
const spec = deciderSpec(subjectDecider);

const subjectId = '0b7c5a52-3f7e-4d8e-9a4c-1f2e3d4c5b6a';
const registeredAt = '2026-01-10T09:00:00Z';
const registration = {
  subjectId,
  jurisdictions: ['EU', 'FR'],
  ourRole: { role: 'processor', controllerId: 'customer-42' },
  registeredAt,
  contact: { email: 'ana@example.org' },
};
const registered = ev({ type: 'SubjectRegistered', data: registration });
const instaplyAgeRules = {
  minimumAge: { age: 15, ruleId: 'instaply.children.minimum', citation: 'Instaply Privacy Policy (IN-21): under 15 deleted' },
  parentalAuthorisationBelow: { age: 18, ruleId: 'instaply.children.parental', citation: 'GDPR Art. 8(1); Instaply IN-22' },
};
const plainContext = { categorySensitive: false, sensitivePolicy: 'explicitConsent', explicitConsentGranted: false, parentalAuthorisation: false };
const collect = (overrides: Record<string, unknown> = {}, context: Record<string, unknown> = {}) =>
  cmd({
    type: 'CollectData',
    data: {
      subjectId,
      category: 'contact',
      system: 'crm',
      source: 'widget',
      submission: 'explicit',
      policyVersion: 'v1',
      collectedAt: '2026-02-01T10:00:00Z',
      context: { ...plainContext, ...context },
      ...overrides,
    },
  });
const collected = (overrides: Record<string, unknown> = {}) =>
  ev({
    type: 'DataCollected',
    data: {
      category: 'contact',
      system: 'crm',
      source: 'widget',
      submission: 'explicit',
      policyVersion: 'v1',
      sensitive: false,
      collectedAt: '2026-02-01T10:00:00Z',
      ...overrides,
    },
  });
const withBirthDate = (birthDate: string) =>
  ev({ type: 'AgeEstablished', data: { age: { birthDate }, establishedAt: '2026-01-10T09:00:00Z' } });

describe('subject decider', () => {
  describe('registration', () => {
    it('given no events, when RegisterSubject, then SubjectRegistered', () => {
      spec.given([]).when(cmd({ type: 'RegisterSubject', data: registration })).then([registered]);
    });
    it('given a registration, when the same registration arrives again, then nothing happens', () => {
      spec.given([registered]).when(cmd({ type: 'RegisterSubject', data: registration })).thenNothingHappens();
    });
    it('given a registration, when a different one arrives, then SubjectAlreadyRegistered', () => {
      spec
        .given([registered])
        .when(cmd({ type: 'RegisterSubject', data: { ...registration, jurisdictions: ['UK'] } }))
        .thenRejects({ _tag: 'SubjectAlreadyRegistered' });
    });
    it('given no events, when a 12-year-old registers under a 15-year minimum, then the child is flagged for erasure', () => {
      spec
        .given([])
        .when(
          cmd({
            type: 'RegisterSubject',
            data: { ...registration, age: { ageInYears: 12 }, context: { ageRules: instaplyAgeRules } },
          }),
        )
        .then([
          ev({ type: 'SubjectRegistered', data: { ...registration, age: { ageInYears: 12 } } }),
          ev({
            type: 'ChildBelowMinimumAgeFound',
            data: { minimumAge: 15, foundAt: registeredAt, ruleId: 'instaply.children.minimum', citation: instaplyAgeRules.minimumAge.citation },
          }),
        ]);
    });
    it.each([
      collect(),
      cmd({ type: 'PlaceLegalHold', data: { subjectId, holdId: 'h1', reason: 'case-7', scope: 'all', placedAt: registeredAt } }),
      cmd({ type: 'EraseSubject', data: { subjectId, scope: 'all', reason: 'subjectRequest', erasedAt: registeredAt } }),
      cmd({ type: 'RecordActivity', data: { subjectId, kind: 'login', activityAt: registeredAt } }),
    ])('given no registration, when %o, then SubjectNotRegistered', (command) => {
      spec.given([]).when(command).thenRejects({ _tag: 'SubjectNotRegistered' });
    });
  });

  describe('age and child rules', () => {
    it('given a subject, when their age is established below the minimum, then AgeEstablished and ChildBelowMinimumAgeFound', () => {
      spec
        .given([registered])
        .when(
          cmd({
            type: 'EstablishAge',
            data: { subjectId, age: { birthDate: '2012-03-01' }, establishedAt: '2026-02-01T00:00:00Z', context: { ageRules: instaplyAgeRules } },
          }),
        )
        .then([
          ev({ type: 'AgeEstablished', data: { age: { birthDate: '2012-03-01' }, establishedAt: '2026-02-01T00:00:00Z' } }),
          ev({
            type: 'ChildBelowMinimumAgeFound',
            data: { minimumAge: 15, foundAt: '2026-02-01T00:00:00Z', ruleId: 'instaply.children.minimum', citation: instaplyAgeRules.minimumAge.citation },
          }),
        ]);
    });
    it('given a child already flagged, when a new age below the minimum is established, then only AgeEstablished', () => {
      const flagged = ev({
        type: 'ChildBelowMinimumAgeFound',
        data: { minimumAge: 15, foundAt: registeredAt, ruleId: 'instaply.children.minimum', citation: 'IN-21' },
      });
      spec
        .given([registered, flagged])
        .when(cmd({ type: 'EstablishAge', data: { subjectId, age: { ageInYears: 13 }, establishedAt: '2026-02-01T00:00:00Z', context: { ageRules: instaplyAgeRules } } }))
        .then([ev({ type: 'AgeEstablished', data: { age: { ageInYears: 13 }, establishedAt: '2026-02-01T00:00:00Z' } })]);
    });
    it('given an adult, when their age is established, then only AgeEstablished; the same again is a no-op', () => {
      const established = ev({ type: 'AgeEstablished', data: { age: { ageInYears: 30 }, establishedAt: '2026-02-01T00:00:00Z' } });
      const command = cmd({ type: 'EstablishAge', data: { subjectId, age: { ageInYears: 30 }, establishedAt: '2026-02-01T00:00:00Z', context: { ageRules: instaplyAgeRules } } });
      spec.given([registered]).when(command).then([established]);
      spec.given([registered, established]).when(command).thenNothingHappens();
    });
    it('given a 14-year-old, when data is collected even with a parent authorising, then ChildBelowMinimumAge (no parental cure)', () => {
      spec
        .given([registered, withBirthDate('2011-06-15')])
        .when(collect({}, { parentalAuthorisation: true, ageRules: instaplyAgeRules }))
        .thenRejects({ _tag: 'ChildBelowMinimumAge', minimumAge: 15, ruleId: 'instaply.children.minimum', citation: instaplyAgeRules.minimumAge.citation });
    });
    it('given a birth date, when the collection is the day before vs the day of the 15th birthday, then the minimum-age rule flips', () => {
      const given = [registered, withBirthDate('2011-02-01')];
      spec
        .given(given)
        .when(collect({ collectedAt: '2026-01-31T23:59:00Z' }, { parentalAuthorisation: true, ageRules: instaplyAgeRules }))
        .thenRejects((r) => r._tag === 'ChildBelowMinimumAge');
      spec
        .given(given)
        .when(collect({ collectedAt: '2026-02-01T00:00:00Z' }, { parentalAuthorisation: true, ageRules: instaplyAgeRules }))
        .then([collected({ collectedAt: '2026-02-01T00:00:00Z' })]);
    });
    it('given a 16-year-old, when data is collected without parental authorisation, then ParentalAuthorisationRequired (GDPR Art. 8(1))', () => {
      spec
        .given([registered, withBirthDate('2009-06-15')])
        .when(collect({}, { ageRules: instaplyAgeRules }))
        .thenRejects({ _tag: 'ParentalAuthorisationRequired', belowAge: 18, ruleId: 'instaply.children.parental', citation: 'GDPR Art. 8(1); Instaply IN-22' });
    });
    it('given a 16-year-old, when data is collected with parental authorisation, then DataCollected', () => {
      spec
        .given([registered, withBirthDate('2009-06-15')])
        .when(collect({}, { parentalAuthorisation: true, ageRules: instaplyAgeRules }))
        .then([collected()]);
    });
    it('given an 18-year-old, when data is collected without parental authorisation, then DataCollected', () => {
      spec.given([registered, withBirthDate('2007-06-15')]).when(collect({}, { ageRules: instaplyAgeRules })).then([collected()]);
    });
    it('given an age declared in years, when a year has passed, then the subject counts one year older', () => {
      const declared = ev({ type: 'AgeEstablished', data: { age: { ageInYears: 14 }, establishedAt: '2025-01-15T00:00:00Z' } });
      spec
        .given([registered, declared])
        .when(collect({ collectedAt: '2026-01-14T12:00:00Z' }, { parentalAuthorisation: true, ageRules: instaplyAgeRules }))
        .thenRejects((r) => r._tag === 'ChildBelowMinimumAge');
      spec
        .given([registered, declared])
        .when(collect({ collectedAt: '2026-01-15T12:00:00Z' }, { parentalAuthorisation: true, ageRules: instaplyAgeRules }))
        .then([collected({ collectedAt: '2026-01-15T12:00:00Z' })]);
    });
    it('given no known age, when data is collected under child rules, then DataCollected (the rules need an age)', () => {
      spec.given([registered]).when(collect({}, { ageRules: instaplyAgeRules })).then([collected()]);
    });
  });

  describe('collection', () => {
    it('given a subject, when data is collected with evidence, then DataCollected keeps the evidence and the policy version', () => {
      const evidence = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0', formId: 'newsletter' };
      spec.given([registered]).when(collect({ evidence })).then([collected({ evidence })]);
    });
    it('given a policy that refuses sensitive data (Convertful CF-05), when a sensitive category is collected, then SensitiveDataForbidden', () => {
      spec
        .given([registered])
        .when(collect({ category: 'health' }, { categorySensitive: true, sensitivePolicy: 'refuse', explicitConsentGranted: true }))
        .thenRejects({ _tag: 'SensitiveDataForbidden', category: 'health', citation: 'GDPR Art. 9(1); the policy forbids special-category data' });
    });
    it('given no explicit consent (Instaply IN-05), when a sensitive category is collected, then ExplicitConsentRequired', () => {
      spec
        .given([registered])
        .when(collect({ category: 'health' }, { categorySensitive: true }))
        .thenRejects({ _tag: 'ExplicitConsentRequired', category: 'health', citation: 'GDPR Art. 9(1), 9(2)(a)' });
    });
    it('given explicit consent, when a sensitive category is collected, then DataCollected marked sensitive', () => {
      spec
        .given([registered])
        .when(collect({ category: 'health' }, { categorySensitive: true, explicitConsentGranted: true }))
        .then([collected({ category: 'health', sensitive: true })]);
    });
    it('given a restriction of the category, when data of it is collected, then ProcessingRestricted (GDPR Art. 18(2))', () => {
      const restricted = ev({
        type: 'ProcessingRestricted',
        data: { restrictionId: 'r1', ground: 'accuracyContested', scope: ['contact'], restrictedAt: registeredAt },
      });
      spec
        .given([registered, restricted])
        .when(collect())
        .thenRejects({ _tag: 'ProcessingRestricted', category: 'contact', restrictionIds: ['r1'], citation: 'GDPR Art. 18(2)' });
      spec.given([registered, restricted]).when(collect({ category: 'usage' })).then([collected({ category: 'usage' })]);
    });
    it('given a restriction of all categories, when any category is collected, then ProcessingRestricted', () => {
      const restricted = ev({
        type: 'ProcessingRestricted',
        data: { restrictionId: 'r1', ground: 'erasurePending', scope: 'all', restrictedAt: registeredAt },
      });
      spec.given([registered, restricted]).when(collect({ category: 'usage' })).thenRejects((r) => r._tag === 'ProcessingRestricted');
    });
    it('given two collections under different policy versions, then the state keeps the first version (Instaply IN-01)', () => {
      const state = [registered, collected(), collected({ policyVersion: 'v2', system: 'backup', collectedAt: '2026-03-01T10:00:00+01:00' })].reduce(
        subjectDecider.evolve,
        subjectDecider.initialState(),
      );
      expect(state.collected['contact']).toEqual({
        systems: ['crm', 'backup'],
        sources: ['widget'],
        firstCollectedAt: '2026-02-01T10:00:00Z',
        lastCollectedAt: '2026-03-01T10:00:00+01:00',
        policyVersion: 'v1',
        sensitive: false,
      });
    });
  });

  describe('activity and rectification', () => {
    it('given a subject, when an activity is recorded, then ActivityRecorded', () => {
      spec
        .given([registered])
        .when(cmd({ type: 'RecordActivity', data: { subjectId, kind: 'pageView', activityAt: '2026-02-02T10:00:00Z' } }))
        .then([ev({ type: 'ActivityRecorded', data: { kind: 'pageView', activityAt: '2026-02-02T10:00:00Z' } })]);
    });
    it('given a restricted subject, when data is rectified, then DataRectified (rectification is never refused: IS-06)', () => {
      const restricted = ev({
        type: 'ProcessingRestricted',
        data: { restrictionId: 'r1', ground: 'accuracyContested', scope: 'all', restrictedAt: registeredAt },
      });
      spec
        .given([registered, restricted])
        .when(cmd({ type: 'RectifyData', data: { subjectId, fields: { email: 'new@example.org' }, rectifiedAt: '2026-02-02T10:00:00Z', category: 'contact' } }))
        .then([ev({ type: 'DataRectified', data: { fields: { email: 'new@example.org' }, rectifiedAt: '2026-02-02T10:00:00Z', category: 'contact' } })]);
    });
  });

  describe('restriction (GDPR Art. 18)', () => {
    const restrict = (ground: string, scope: unknown = ['contact']) =>
      cmd({ type: 'RestrictProcessing', data: { subjectId, restrictionId: 'r1', ground, scope, restrictedAt: registeredAt } });
    const restricted = (ground: string) =>
      ev({ type: 'ProcessingRestricted', data: { restrictionId: 'r1', ground, scope: ['contact'], restrictedAt: registeredAt } });
    const lift = (extra: Record<string, unknown> = {}) =>
      cmd({ type: 'LiftRestriction', data: { subjectId, restrictionId: 'r1', unrestrictedAt: '2026-03-01T00:00:00Z', ...extra } });

    it('given a subject, when processing is restricted, then ProcessingRestricted; the same again is a no-op; a different one conflicts', () => {
      spec.given([registered]).when(restrict('objectionPending')).then([restricted('objectionPending')]);
      spec.given([registered, restricted('objectionPending')]).when(restrict('objectionPending')).thenNothingHappens();
      spec
        .given([registered, restricted('objectionPending')])
        .when(restrict('accuracyContested'))
        .thenRejects({ _tag: 'RestrictionConflict', restrictionId: 'r1' });
    });
    it('given no such restriction, when it is lifted, then RestrictionNotFound', () => {
      spec.given([registered]).when(lift()).thenRejects({ _tag: 'RestrictionNotFound', restrictionId: 'r1' });
    });
    it('given an Art. 18(1) restriction, when it is lifted without informing the subject, then SubjectNotInformed (Art. 18(3))', () => {
      spec
        .given([registered, restricted('accuracyContested')])
        .when(lift())
        .thenRejects({ _tag: 'SubjectNotInformed', restrictionId: 'r1', citation: 'GDPR Art. 18(3)' });
    });
    it('given an Art. 18(1) restriction, when the subject is informed only after the lift, then SubjectNotInformed', () => {
      spec
        .given([registered, restricted('accuracyContested')])
        .when(lift({ subjectInformedAt: '2026-03-01T00:00:01Z' }))
        .thenRejects((r) => r._tag === 'SubjectNotInformed');
    });
    it('given an Art. 18(1) restriction, when the subject was informed before (another offset), then ProcessingUnrestricted', () => {
      spec
        .given([registered, restricted('accuracyContested')])
        .when(lift({ subjectInformedAt: '2026-03-01T00:30:00+01:00' }))
        .then([
          ev({
            type: 'ProcessingUnrestricted',
            data: { restrictionId: 'r1', unrestrictedAt: '2026-03-01T00:00:00Z', subjectInformedAt: '2026-03-01T00:30:00+01:00' },
          }),
        ]);
    });
    it('given an erasure-pending isolation, when it is lifted without notice, then ProcessingUnrestricted; lifting again is a no-op', () => {
      const unrestricted = ev({ type: 'ProcessingUnrestricted', data: { restrictionId: 'r1', unrestrictedAt: '2026-03-01T00:00:00Z' } });
      spec.given([registered, restricted('erasurePending')]).when(lift()).then([unrestricted]);
      spec.given([registered, restricted('erasurePending'), unrestricted]).when(lift()).thenNothingHappens();
      spec.given([registered, restricted('erasurePending'), unrestricted]).when(collect()).then([collected()]);
    });
  });

  describe('legal holds', () => {
    const place = (scope: unknown = ['contact'], reason = 'case-2026-7') =>
      cmd({ type: 'PlaceLegalHold', data: { subjectId, holdId: 'h1', reason, scope, placedAt: registeredAt } });
    const placed = ev({ type: 'LegalHoldPlaced', data: { holdId: 'h1', reason: 'case-2026-7', scope: ['contact'], placedAt: registeredAt } });
    const lifted = ev({ type: 'LegalHoldLifted', data: { holdId: 'h1', liftedAt: '2026-04-01T00:00:00Z' } });
    const liftHold = cmd({ type: 'LiftLegalHold', data: { subjectId, holdId: 'h1', liftedAt: '2026-04-01T00:00:00Z' } });

    it('given a subject, when a hold is placed, then LegalHoldPlaced; the same hold again is a no-op; a different one conflicts', () => {
      spec.given([registered]).when(place()).then([placed]);
      spec.given([registered, placed]).when(place()).thenNothingHappens();
      spec.given([registered, placed]).when(place('all')).thenRejects({ _tag: 'LegalHoldConflict', holdId: 'h1' });
      spec.given([registered, placed, lifted]).when(place()).thenRejects({ _tag: 'LegalHoldConflict', holdId: 'h1' });
    });
    it('given no hold, when a hold is lifted, then LegalHoldNotFound', () => {
      spec.given([registered]).when(liftHold).thenRejects({ _tag: 'LegalHoldNotFound', holdId: 'h1' });
    });
    it('given a hold, when it is lifted, then LegalHoldLifted; lifting again is a no-op', () => {
      spec.given([registered, placed]).when(liftHold).then([lifted]);
      spec.given([registered, placed, lifted]).when(liftHold).thenNothingHappens();
    });
    it('given a hold on a category, when the subject is erased, then ErasureSuspendedByLegalHold (GDPR Art. 17(3))', () => {
      const erase = cmd({ type: 'EraseSubject', data: { subjectId, scope: 'all', reason: 'subjectRequest', erasedAt: '2026-03-01T00:00:00Z' } });
      spec
        .given([registered, placed])
        .when(erase)
        .thenRejects({ _tag: 'ErasureSuspendedByLegalHold', holdIds: ['h1'], citation: 'GDPR Art. 17(3)(b), (e)' });
      spec
        .given([registered, placed, lifted])
        .when(erase)
        .then([ev({ type: 'SubjectErased', data: { scope: 'all', reason: 'subjectRequest', erasedAt: '2026-03-01T00:00:00Z' } })]);
    });
    it('given a hold on one category, when another category is erased, then SubjectErased for that category', () => {
      spec
        .given([registered, placed])
        .when(cmd({ type: 'EraseSubject', data: { subjectId, scope: ['usage'], reason: 'retentionExpired', erasedAt: '2026-03-01T00:00:00Z' } }))
        .then([ev({ type: 'SubjectErased', data: { scope: ['usage'], reason: 'retentionExpired', erasedAt: '2026-03-01T00:00:00Z' } })]);
    });
  });

  describe('subscriptions and contracts', () => {
    const c = (type: string, at: string, key: string) => cmd({ type, data: { subjectId, contractId: 'sub-1', [key]: at } });
    const e = (type: string, at: string, key: string) => ev({ type, data: { contractId: 'sub-1', [key]: at } });
    const started = e('SubscriptionStarted', '2026-01-01T00:00:00Z', 'startedAt');
    const cancelled = e('SubscriptionCancelled', '2026-02-01T00:00:00Z', 'cancelledAt');
    const reactivated = e('SubscriptionReactivated', '2026-03-01T00:00:00Z', 'reactivatedAt');
    const terminated = e('ContractTerminated', '2026-04-01T00:00:00Z', 'terminatedAt');
    const start = c('StartSubscription', '2026-01-01T00:00:00Z', 'startedAt');
    const cancel = c('CancelSubscription', '2026-02-01T00:00:00Z', 'cancelledAt');
    const reactivate = c('ReactivateSubscription', '2026-03-01T00:00:00Z', 'reactivatedAt');
    const terminate = c('TerminateContract', '2026-04-01T00:00:00Z', 'terminatedAt');

    it('starts once: the same start again is a no-op, another start of the same contract is rejected', () => {
      spec.given([registered]).when(start).then([started]);
      spec.given([registered, started]).when(start).thenNothingHappens();
      spec
        .given([registered, started])
        .when(c('StartSubscription', '2026-01-05T00:00:00Z', 'startedAt'))
        .thenRejects({ _tag: 'ContractAlreadyExists', contractId: 'sub-1' });
    });
    it('cancels an active subscription; cancelling again is a no-op; an unknown one is ContractNotFound', () => {
      spec.given([registered, started]).when(cancel).then([cancelled]);
      spec.given([registered, started, cancelled]).when(cancel).thenNothingHappens();
      spec.given([registered]).when(cancel).thenRejects({ _tag: 'ContractNotFound', contractId: 'sub-1' });
    });
    it('reactivates only after a cancellation', () => {
      spec.given([registered, started]).when(reactivate).thenRejects({ _tag: 'ContractNotCancelled', contractId: 'sub-1' });
      spec.given([registered]).when(reactivate).thenRejects({ _tag: 'ContractNotFound', contractId: 'sub-1' });
      spec.given([registered, started, cancelled]).when(reactivate).then([reactivated]);
      spec.given([registered, started, cancelled, reactivated]).when(reactivate).thenNothingHappens();
    });
    it('terminates a contract (known or not); afterwards it can be neither cancelled nor reactivated', () => {
      spec.given([registered, started, cancelled]).when(terminate).then([terminated]);
      spec.given([registered]).when(terminate).then([terminated]);
      spec.given([registered, started, terminated]).when(terminate).thenNothingHappens();
      spec.given([registered, started, terminated]).when(cancel).thenRejects({ _tag: 'ContractAlreadyTerminated', contractId: 'sub-1' });
      spec.given([registered, started, cancelled, terminated]).when(reactivate).thenRejects({ _tag: 'ContractAlreadyTerminated', contractId: 'sub-1' });
    });
  });

  describe('erasure', () => {
    const erasedAll = ev({ type: 'SubjectErased', data: { scope: 'all', reason: 'subjectRequest', erasedAt: '2026-03-01T00:00:00Z' } });
    it('given an erased subject, when anything but erasure arrives, then SubjectErased', () => {
      spec.given([registered, erasedAll]).when(collect()).thenRejects({ _tag: 'SubjectErased' });
      spec.given([registered, erasedAll]).when(cmd({ type: 'RegisterSubject', data: registration })).thenRejects({ _tag: 'SubjectErased' });
    });
    it('given an erased subject, when the erasure is repeated, then nothing happens', () => {
      spec
        .given([registered, erasedAll])
        .when(cmd({ type: 'EraseSubject', data: { subjectId, scope: 'all', reason: 'subjectRequest', erasedAt: '2026-03-02T00:00:00Z' } }))
        .thenNothingHappens();
    });
    it('given a partial erasure, then the subject stays live and the erased category is forgotten', () => {
      const partial = ev({ type: 'SubjectErased', data: { scope: ['contact'], reason: 'retentionExpired', erasedAt: '2026-03-01T00:00:00Z' } });
      const state = [registered, collected(), collected({ category: 'usage' }), partial].reduce(subjectDecider.evolve, subjectDecider.initialState());
      expect(state.status).toBe('registered');
      expect(Object.keys(state.collected)).toEqual(['usage']);
      spec.given([registered, collected(), partial]).when(collect()).then([collected()]);
    });
  });

  describe('codecs', () => {
    it('reports the path of a bad field in a command', () => {
      const result = SubjectCommand.decode({ ...collect(), data: { ...collect().data, collectedAt: '2026-02-01 10:00' } });
      expect(E.isLeft(result)).toBe(true);
      expect(PathReporter.report(result).some((line) => line.includes('collectedAt'))).toBe(true);
    });
    it('routes a command to lethe.subject-<subjectId>', () => {
      expect(subjectStreamName(collect())).toBe(`lethe.subject-${subjectId}`);
    });
    it('marks exactly these fields as personal, per event', () => {
      const expected: Record<string, readonly string[]> = {
        SubjectRegistered: ['data.age.birthDate', 'data.contact.email', 'data.contact.phone', 'data.contact.postalAddress', 'data.name'],
        AgeEstablished: ['data.age.birthDate'],
        ChildBelowMinimumAgeFound: [],
        DataCollected: ['data.evidence.ip', 'data.evidence.userAgent'],
        ActivityRecorded: [],
        DataRectified: ['data.fields'],
        ProcessingRestricted: [],
        ProcessingUnrestricted: [],
        LegalHoldPlaced: [],
        LegalHoldLifted: [],
        SubscriptionStarted: [],
        SubscriptionCancelled: [],
        SubscriptionReactivated: [],
        ContractTerminated: [],
        SubjectErased: [],
      };
      const codecs = SubjectEvent.types.map((codec) => [codec.name, personalPaths(codec)] as const);
      expect(Object.fromEntries(codecs)).toEqual(expected);
    });
    it('marks exactly these command fields as personal', () => {
      expect(personalPaths(Commands.RegisterSubject)).toEqual([
        'data.age.birthDate',
        'data.contact.email',
        'data.contact.phone',
        'data.contact.postalAddress',
        'data.name',
      ]);
      expect(personalPaths(Commands.EstablishAge)).toEqual(['data.age.birthDate']);
      expect(personalPaths(Commands.CollectData)).toEqual(['data.evidence.ip', 'data.evidence.userAgent']);
      expect(personalPaths(Commands.RectifyData)).toEqual(['data.fields']);
    });
  });
});
