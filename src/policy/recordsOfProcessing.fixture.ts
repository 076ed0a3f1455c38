/**
 * A realistic policy document shared by the policy-codec and record-of-processing tests. Not part
 * of the public API.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { type PolicyDocument, decodePolicy } from './document.js';

const weekday = () => [{ from: '09:00', to: '18:00' }];

/** A realistic document: Personizely-style controller and processor, with seed clauses cited (from document.unit.spec.ts). */
export const goodDocument = () => ({
  version: '2026.1',
  effectiveFrom: '2026-01-01T00:00:00Z',
  name: 'Personizely privacy policy and DPA',
  controller: { name: 'Personizely', contact: 'privacy@example.com', dpo: 'dpo@example.com' },
  role: 'both',
  calendar: {
    zone: 'Europe/Dublin',
    holidays: ['2026-01-01', '2026-03-17', '2026-12-25'],
    openingHours: { '1': weekday(), '2': weekday(), '3': weekday(), '4': weekday(), '5': weekday() },
    name: 'Ireland 2026',
  },
  counting: { convention: 'eu-1182-71', rollForward: false },
  categories: [
    {
      id: 'account',
      description: 'Client account and subscription data',
      retention: {
        period: 'P90D',
        clockStart: 'subscriptionCancelled',
        onExpiry: 'erase',
        upTo: true,
        gracePeriod: 'P90D',
        citation: 'PZ-13',
      },
      systems: ['app-db', 'backups'],
      processors: ['aws'],
      includesBackups: true,
    },
    {
      id: 'widget-submissions',
      retention: {
        period: 'P365D',
        clockStart: 'lastActivity',
        resetBy: ['explicitSubmission'],
        onExpiry: 'erase',
        citation: 'CF-22',
      },
      systems: ['app-db'],
      processors: ['aws'],
    },
    {
      id: 'server-logs',
      retention: { period: { parameter: 'logRetention' }, clockStart: 'collection', onExpiry: 'erase', citation: 'IS-01' },
      systems: ['web'],
    },
    {
      id: 'health-notes',
      sensitive: true,
      explicitConsentRequired: true,
      retention: { period: 'P1Y', clockStart: 'consentWithdrawal', onExpiry: 'erase' },
      systems: ['app-db'],
    },
  ],
  purposes: [
    { id: 'service', lawfulBasis: 'contract', categories: ['account', 'widget-submissions'] },
    { id: 'security', lawfulBasis: 'legitimateInterest', categories: ['server-logs'], citation: 'IS-02' },
    { id: 'wellbeing', lawfulBasis: 'consent', categories: ['health-notes'] },
  ],
  requests: {
    rulebooks: ['gdpr', 'ccpa'],
    overrides: [{ rule: 'gdpr.art12.3.respond', period: 'P30D', citation: 'Customer contract §7' }],
  },
  breaches: {
    rulebooks: ['gdpr', 'lgpd'],
    overrides: [
      { rule: 'lgpd.anpd15.notifyAnpd', variant: 'smallProcessingAgent', citation: 'ANPD Res. 2/2022 small agent status' },
      { rule: 'gdpr.art33.2.notifyController', hostTarget: 'PT12H', citation: 'DPA 7.1' },
    ],
    duties: [
      {
        id: 'contract.breach.notifyController',
        title: 'Processor: notify the controller within 72 hours of an actual breach',
        citation: 'Personizely DPA 7.1-7.2 (PZ-26)',
        trigger: 'BreachAwarenessEstablished',
        clockStart: 'awareness',
        action: 'NotifyController',
        period: 'PT72H',
        scope: 'actual',
        satisfiedBy: ['ControllerNotified'],
        onMissed: { event: 'ObligationOverdue' },
      },
      {
        id: 'contract.breach.notifyCustomerAfterConfirmation',
        title: 'Notify the customer after becoming aware of and confirming a breach',
        citation: 'InfluencerSoft policy (IS-21, IS-22)',
        trigger: 'BreachConfirmed',
        clockStart: 'awarenessAndConfirmation',
        action: 'NotifyController',
        target: { kind: 'withoutUndueDelay', hostTarget: 'PT24H' },
        condition: { notifiableUnderLaw: true },
        excludedCauses: ['customer', 'customerAccount', 'thirdPartyService'],
        scope: 'actualOrThreatened',
        satisfiedBy: ['ControllerNotified'],
        onMissed: { event: 'ObligationOverdue' },
      },
      {
        id: 'contract.breach.workingHours',
        title: 'Notify the controller within 72 working hours',
        citation: 'Customer contract §12',
        trigger: 'BreachAwarenessEstablished',
        clockStart: 'awareness',
        period: 'PT72WH',
        satisfiedBy: ['ControllerNotified'],
        onMissed: { event: 'ObligationOverdue' },
      },
    ],
  },
  consent: { minimumAge: 15, parentalBand: { fromAge: 15, toAge: 18 }, expiry: 'P2Y', citation: 'IN-21, IN-22' },
  erasure: {
    restrictWhilePending: true,
    completionWithin: 'P30D',
    includeBackups: true,
    approvals: { required: true, roles: ['CEO', 'DPO'], mode: 'all', citation: 'PZ-17 ("CEO & DPO can authorize": ambiguous)' },
  },
  processors: {
    subProcessors: [
      { id: 'aws', name: 'Amazon Web Services', location: 'EU', categories: ['account', 'widget-submissions'] },
      { id: 'intercom', name: 'Intercom', location: 'IE' },
    ],
    objectionWindow: 'P10D',
    objectionClockStart: 'noticeReceipt',
    citation: 'CF-11',
  },
  parameters: {
    logRetention: {
      description: 'How long web-server logs are kept (IS-01 gives no number)',
      kind: 'period',
      required: true,
      value: 'P30D',
    },
  },
  notModelled: [{ obligation: 'IS-02', reason: 'the IP is analysed only during incidents: a processing condition, not a deadline' }],
});

/** Returns {@link goodDocument} decoded; throws (tests only) if it no longer validates. */
export const decodedGoodDocument = (): PolicyDocument => {
  const decoded = decodePolicy(goodDocument());
  if (E.isLeft(decoded)) throw new Error(`fixture policy is invalid: ${decoded.left.problems.map((p) => p.path).join(', ')}`);
  return decoded.right;
};
