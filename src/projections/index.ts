/**
 * Projections: pure folds over the feed. Subject view, consent ledger, retention schedule,
 * request / breach / sub-processor registers, obligations and the per-subject timeline, with the
 * queries that read them.
 *
 * @module
 */
export * from './persistentMap.js';
export * from './subjectView.js';
export * from './consentLedger.js';
export * from './retentionSchedule.js';
export * from './canProcess.js';
export * from './requestRegister.js';
export * from './breachRegister.js';
export * from './processorRegister.js';
export * from './obligations.js';
export * from './timeline.js';
