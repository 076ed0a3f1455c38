/**
 * The California CCPA/CPRA request rulebook (Cal. Civ. Code 1798.100 ff. and 11 CCR § 7000 ff.).
 * Breach notice under Cal. Civ. Code 1798.82 is a separate rulebook (`'california-breach'`).
 *
 * Counting: 11 CCR § 7021(b) says the 45 days "begin on the day that the business receives the
 * request, regardless of time required to verify", so the day of receipt is day 1 (the `'uk-ico'`
 * counting convention): received on day 1, due at the end of day 45; extended, due at the end of
 * day 90. Verification never moves the clock.
 *
 * Only reproductions of the statute and regulations were available (no primary text): every
 * citation says so.
 *
 * @module
 */
import { businessDays, calendarDays, months, type DeadlineRule, type Rulebook } from '../rule.js';

const SECONDARY = '(secondary reproduction only; primary text not found)';
const RECEIPT_IS_DAY_ONE = { convention: 'uk-ico', rollForward: false } as const;

const extension45 = {
  period: calendarDays(45),
  noticeWithin: calendarDays(45),
  measuredFrom: 'clockStart',
  maxTotal: calendarDays(90),
  reasonsRequired: true,
  condition: 'once, when reasonably necessary',
  citation: `Cal. Civ. Code 1798.130(a)(2)(A); 11 CCR § 7021(b) ${SECONDARY}`,
} as const;

const rules: readonly DeadlineRule[] = [
  {
    id: 'ccpa.7021a.confirmReceipt',
    title: 'Confirm receipt of a request to know, delete or correct',
    citation: `11 CCR § 7021(a) ${SECONDARY}`,
    trigger: 'RequestReceived',
    clockStart: 'receipt',
    action: 'AcknowledgeRequest',
    requestKinds: ['access', 'portability', 'erasure', 'rectification'],
    period: businessDays(10),
    satisfiedBy: ['RequestAcknowledged'],
    onMissed: { event: 'ObligationOverdue' },
    secondarySourceOnly: true,
    notes: 'Says how the business will process the request. Business days of the calendar the policy names.',
  },
  {
    id: 'ccpa.1798.130.respondToKnow',
    title: 'Respond to a request to know (access, portability)',
    citation: `Cal. Civ. Code 1798.130(a)(2)(A); 11 CCR § 7021(b) ${SECONDARY}`,
    trigger: 'RequestReceived',
    clockStart: 'receipt',
    action: 'RespondToRequest',
    requestKinds: ['access', 'portability'],
    period: calendarDays(45),
    counting: RECEIPT_IS_DAY_ONE,
    extension: extension45,
    frequencyLimit: {
      count: 2,
      per: 'rolling12Months',
      requestKinds: ['access', 'portability'],
      beyondLimit: 'mayDecline',
      citation: 'Cal. Civ. Code 1798.130(b) (secondary source only; primary text not found)',
    },
    lookBack: months(12),
    satisfiedBy: ['RequestFulfilled', 'RequestRefused'],
    onMissed: { event: 'ObligationOverdue' },
    secondarySourceOnly: true,
    notes:
      'Covers the 12 months before receipt; the consumer may ask for older data collected on or after 1 January 2022 unless that is impossible or needs disproportionate effort, which must then be explained in detail (11 CCR § 7024(h), secondary reproduction). A request that cannot be verified by day 45 may be denied.',
  },
  {
    id: 'ccpa.1798.130.respond',
    title: 'Respond to a request to delete or correct',
    citation: `Cal. Civ. Code 1798.130(a)(2)(A); 11 CCR § 7021(b) ${SECONDARY}`,
    trigger: 'RequestReceived',
    clockStart: 'receipt',
    action: 'RespondToRequest',
    requestKinds: ['erasure', 'rectification'],
    period: calendarDays(45),
    counting: RECEIPT_IS_DAY_ONE,
    extension: extension45,
    satisfiedBy: ['RequestFulfilled', 'RequestRefused'],
    onMissed: { event: 'ObligationOverdue' },
    secondarySourceOnly: true,
    notes: 'Deletion exceptions (Cal. Civ. Code 1798.105(d)) are in ccpaDeletionExceptions.',
  },
  {
    id: 'ccpa.7026f.optOut',
    title: 'Comply with a request to opt out of sale or sharing',
    citation: '11 CCR § 7026(f) (secondary source only; primary text not found)',
    trigger: 'RequestReceived',
    clockStart: 'receipt',
    action: 'StopSaleOrSharing',
    requestKinds: ['optOut'],
    period: businessDays(15),
    satisfiedBy: ['RequestFulfilled'],
    onMissed: { event: 'ObligationOverdue' },
    secondarySourceOnly: true,
  },
];

/** The CCPA/CPRA rulebook (id `'ccpa'`). */
export const ccpa: Rulebook = {
  id: 'ccpa',
  name: 'California Consumer Privacy Act as amended by the CPRA (requests)',
  jurisdiction: 'California, United States',
  rules,
  notes:
    'The day of receipt is day 1 (11 CCR § 7021(b)); verification does not extend the 45 days. Statute and regulations from secondary reproductions only.',
};
