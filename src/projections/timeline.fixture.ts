/**
 * A subject's life in events, with every personal field (as `personalPaths` lists them) filled
 * with a value the caller chooses: the timeline tests check that such a value never reaches a
 * summary. Not part of the public API.
 *
 * @module
 */
import type { DomainEvent } from '../engine/decider.js';
import { type LetheStreamKind, retentionClockId } from '../model/shared.js';

/** The subject of {@link lifeOfSubject}. */
export const LIFE_SUBJECT = '55555555-5555-4555-8555-555555555555';
/** Its consent grant. */
export const LIFE_GRANT = '66666666-6666-4666-8666-666666666666';
/** Its request. */
export const LIFE_REQUEST = '77777777-7777-4777-8777-777777777777';
/** Its retention clock (category `account`). */
export const LIFE_CLOCK = retentionClockId(LIFE_SUBJECT, 'account');

/** One event of the life: stream kind, entity id and event. */
export type LifeEvent = readonly [LetheStreamKind, string, DomainEvent];

const dl = (ruleId: string, dueAt: string) => ({ ruleId, dueAt, citation: `citation of ${ruleId}`, explanation: `explanation of ${ruleId}` });

/**
 * Returns the events of a subject's life in feed order, with `pii` in every personal string field
 * and `birthDate` as the birth date. Covers every event type of the subject, consent, retention and
 * request streams.
 */
export const lifeOfSubject = (pii: string, birthDate: string): readonly LifeEvent[] => {
  const S = LIFE_SUBJECT;
  const subject = (type: string, data: unknown): LifeEvent => ['subject', S, { type, data }];
  const consent = (type: string, data: unknown): LifeEvent => ['consent', LIFE_GRANT, { type, data }];
  const clock = (type: string, data: unknown): LifeEvent => ['retention', LIFE_CLOCK, { type, data }];
  const request = (type: string, data: unknown): LifeEvent => ['request', LIFE_REQUEST, { type, data }];
  return [
    subject('SubjectRegistered', {
      subjectId: S,
      jurisdictions: ['eu', 'us-ca'],
      ourRole: { role: 'controller' },
      registeredAt: '2026-01-05T09:00:00Z',
      age: { birthDate },
      name: pii,
      contact: { email: pii, phone: pii, postalAddress: pii },
    }),
    subject('AgeEstablished', { age: { ageInYears: 16 }, establishedAt: '2026-01-05T09:01:00Z' }),
    subject('AgeEstablished', { age: { birthDate }, establishedAt: '2026-01-05T09:02:00Z' }),
    subject('ChildBelowMinimumAgeFound', { minimumAge: 13, foundAt: '2026-01-05T09:03:00Z', ruleId: 'coppa.minimum', citation: '15 U.S.C. 6502' }),
    subject('DataCollected', {
      category: 'account',
      system: 'app-db',
      source: 'signup',
      submission: 'explicit',
      policyVersion: '2026.1',
      sensitive: false,
      collectedAt: '2026-01-05T09:04:00Z',
      evidence: { ip: pii, userAgent: pii, formId: 'signup-form' },
    }),
    consent('ConsentGranted', {
      grantId: LIFE_GRANT,
      subjectId: S,
      purpose: 'newsletter',
      lawfulBasis: 'consent',
      policyVersion: '2026.1',
      method: 'checkbox',
      gdprValid: true,
      evidence: { ip: pii, userAgent: pii, documentVersionsShown: ['privacy-2026.1'], formId: 'signup-form' },
      explicit: false,
      grantedAt: '2026-01-05T09:05:00Z',
      parentalAuthorisation: { by: pii, at: '2026-01-05T09:05:00Z' },
      expiresAt: '2028-01-05T09:05:00Z',
    }),
    clock('RetentionClockStarted', {
      subjectId: S,
      category: 'account',
      basis: 'lastActivity',
      startedAt: '2026-01-05T09:04:00Z',
      deadline: dl('retention.account', '2027-01-05T23:59:59.999Z'),
      onExpiry: 'erase',
      policyVersion: '2026.1',
      systems: ['app-db'],
      processors: ['aws'],
      resetBy: ['explicitSubmission'],
      approvalsRequired: { roles: ['CEO', 'DPO'], mode: 'all' },
    }),
    subject('ActivityRecorded', { kind: 'explicitSubmission', activityAt: '2026-02-01T10:00:00Z', category: 'account' }),
    clock('RetentionClockReset', { activityKind: 'explicitSubmission', resetAt: '2026-02-01T10:00:00Z', deadline: dl('retention.account', '2027-02-01T23:59:59.999Z') }),
    subject('DataRectified', { fields: { email: pii, name: pii }, rectifiedAt: '2026-02-02T10:00:00Z', category: 'account' }),
    request('RequestReceived', {
      requestId: LIFE_REQUEST,
      subjectId: S,
      requestType: 'access',
      jurisdiction: 'eu',
      channel: 'email',
      receivedAt: '2026-02-03T10:00:00Z',
      role: 'controller',
      receivedFrom: 'dataSubject',
      deadlines: { respond: dl('gdpr.art12.3.respond', '2026-03-03T23:59:59.999Z'), confirmReceipt: dl('contract.confirm', '2026-02-10T23:59:59.999Z') },
      policyVersion: '2026.1',
      authorisedAgent: { name: pii, authorisation: 'signedPermission' },
      correspondence: pii,
      lookBackFrom: '2025-02-03T10:00:00Z',
    }),
    request('IdentityVerificationFailed', { at: '2026-02-03T11:00:00Z', method: 'emailLink' }),
    request('IdentityVerified', { at: '2026-02-03T12:00:00Z', method: 'emailLink' }),
    request('RequestClockRestarted', {
      reason: 'identityEvidenceReceived',
      at: '2026-02-03T12:00:00Z',
      deadlines: { respond: dl('gdpr.art12.3.respond', '2026-03-03T23:59:59.999Z') },
    }),
    request('ReceiptConfirmed', { at: '2026-02-04T10:00:00Z', channel: 'email' }),
    request('RequestExtended', {
      at: '2026-02-20T10:00:00Z',
      noticeSentAt: '2026-02-20T10:00:00Z',
      reason: pii,
      newDueAt: '2026-05-03T23:59:59.999Z',
      ruleId: 'gdpr.art12.3.extend',
      citation: 'GDPR Art. 12(3)',
    }),
    request('FeeProposed', { at: '2026-02-21T10:00:00Z', reason: 'additionalCopies', quote: { amountMinor: 500, currency: 'EUR' }, explanation: pii }),
    request('RequestRefused', { at: '2026-02-22T10:00:00Z', reasons: ['manifestlyUnfounded'], complaintRightNotified: true, explanation: pii }),
    subject('ProcessingRestricted', { restrictionId: 'r-1', ground: 'accuracyContested', scope: ['account'], restrictedAt: '2026-03-01T10:00:00Z' }),
    subject('ProcessingUnrestricted', { restrictionId: 'r-1', unrestrictedAt: '2026-03-05T10:00:00Z', subjectInformedAt: '2026-03-04T10:00:00Z' }),
    subject('LegalHoldPlaced', { holdId: 'hold-1', reason: 'case-2026-17', scope: 'all', placedAt: '2026-03-06T10:00:00Z' }),
    subject('LegalHoldLifted', { holdId: 'hold-1', liftedAt: '2026-03-07T10:00:00Z' }),
    subject('SubscriptionStarted', { contractId: 'c-1', startedAt: '2026-03-08T10:00:00Z' }),
    subject('SubscriptionCancelled', { contractId: 'c-1', cancelledAt: '2026-03-09T10:00:00Z' }),
    subject('SubscriptionReactivated', { contractId: 'c-1', reactivatedAt: '2026-03-10T10:00:00Z' }),
    subject('ContractTerminated', { contractId: 'c-1', terminatedAt: '2026-03-11T10:00:00Z' }),
    consent('ConsentRenewed', { renewedAt: '2026-03-12T10:00:00Z', expiresAt: '2028-03-12T10:00:00Z' }),
    consent('ConsentWithdrawn', { withdrawnAt: '2026-03-13T10:00:00Z', channel: 'email' }),
    consent('ConsentExpired', { expiredAt: '2026-03-14T10:00:00Z', checkedAt: '2026-03-14T10:00:00Z' }),
    clock('RetentionClockExpired', { expiredAt: '2027-02-01T23:59:59.999Z', checkedAt: '2027-02-02T00:00:00Z' }),
    clock('ErasureRequested', {
      reason: 'retentionExpired',
      requestedAt: '2027-02-02T00:00:00Z',
      completionDeadline: dl('erasure.completion', '2027-03-04T23:59:59.999Z'),
      restrictProcessing: true,
    }),
    clock('ErasureApproved', { role: 'CEO', approvedBy: pii, approvedAt: '2027-02-03T00:00:00Z' }),
    clock('ErasureApproved', { role: 'DPO', approvedBy: pii, approvedAt: '2027-02-03T01:00:00Z' }),
    clock('ErasureAuthorised', { authorisedAt: '2027-02-03T01:00:00Z', roles: ['CEO', 'DPO'] }),
    clock('ErasureConfirmed', { target: { system: 'app-db' }, confirmedAt: '2027-02-04T00:00:00Z' }),
    clock('ErasureConfirmed', { target: { processor: 'aws' }, confirmedAt: '2027-02-05T00:00:00Z' }),
    clock('ErasureCompleted', { completedAt: '2027-02-05T00:00:00Z', systems: ['app-db'], processors: ['aws'] }),
    clock('ErasureCancelled', { reason: 'holdPlaced', cancelledAt: '2027-02-05T00:00:00Z' }),
    clock('RetentionClockClosed', { closedAt: '2027-02-06T00:00:00Z' }),
    request('RequestFulfilled', { at: '2027-02-07T00:00:00Z', deliveryChannel: 'email', responseSummary: pii }),
    request('RequestForwardedToController', { controllerId: 'acme', at: '2027-02-07T00:00:00Z', subjectInformedAt: '2027-02-07T00:00:00Z' }),
    request('RequestWithdrawn', { at: '2027-02-08T00:00:00Z' }),
    subject('SubjectErased', { scope: 'all', reason: 'retentionExpired', erasedAt: '2027-02-09T00:00:00Z' }),
  ];
};
