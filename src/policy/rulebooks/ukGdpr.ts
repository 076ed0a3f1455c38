/**
 * The UK GDPR rulebook (as amended by the Data (Use and Access) Act 2025), counted the way the ICO
 * counts: the day of receipt is day 1, a month ends on the corresponding date of the next month
 * (or the month's last day), and a deadline on a weekend or bank holiday moves to the next working
 * day. The clock starts at the latest of receipt, receipt of requested identity evidence and
 * payment of a fee (Art. 12A, "the relevant time").
 *
 * @module
 */
import { gdprBreachAndErasureRules } from './gdpr.js';
import type { CountingRules } from '../../time/types.js';
import { months, type DeadlineRule, type Rulebook } from '../rule.js';

const ICO_COUNTING: CountingRules = { convention: 'uk-ico', rollForward: true };
const REQUEST_KINDS = ['access', 'rectification', 'erasure', 'restriction', 'portability', 'objection'] as const;
const ART_12A =
  'Art. 12A (inserted by the Data (Use and Access) Act 2025; text of Art. 12A not found, secondary sources only)';

const requestRules: readonly DeadlineRule[] = [
  {
    id: 'uk-gdpr.art12.3.respond',
    title: 'Act on a data-subject request (Arts. 15-22)',
    citation: `UK GDPR Art. 12(3) and ${ART_12A}; ICO guidance "Time limits for responding to data protection rights requests"`,
    trigger: 'RequestReceived',
    clockStart: 'latestOfReceiptIdentityFee',
    action: 'RespondToRequest',
    requestKinds: REQUEST_KINDS,
    period: months(1),
    counting: ICO_COUNTING,
    extension: {
      period: months(2),
      noticeWithin: months(1),
      measuredFrom: 'clockStart',
      reasonsRequired: true,
      condition: 'taking into account the complexity and number of the requests',
      citation: 'UK GDPR Art. 12(3); ICO: "a maximum of three calendar months, starting from the day of receipt"',
    },
    satisfiedBy: ['RequestFulfilled', 'RequestRefused'],
    onMissed: { event: 'ObligationOverdue' },
    notes:
      'The clock stops while the controller waits for clarification it reasonably asked for (secondary sources only). Searches for access requests need only be reasonable and proportionate (Art. 15(1A)).',
  },
  {
    id: 'uk-gdpr.art12.4.refuse',
    title: 'Inform the data subject of a refusal, with reasons and the right to complain',
    citation: `UK GDPR Art. 12(4) and ${ART_12A}`,
    trigger: 'RequestReceived',
    clockStart: 'latestOfReceiptIdentityFee',
    action: 'RefuseRequest',
    requestKinds: REQUEST_KINDS,
    period: months(1),
    counting: ICO_COUNTING,
    satisfiedBy: ['RequestRefused'],
    onMissed: { event: 'ObligationOverdue' },
  },
];

/** The UK GDPR rulebook (id `'uk-gdpr'`). */
export const ukGdpr: Rulebook = {
  id: 'uk-gdpr',
  name: 'UK General Data Protection Regulation (as amended by the Data (Use and Access) Act 2025)',
  jurisdiction: 'United Kingdom',
  rules: [...requestRules, ...gdprBreachAndErasureRules('uk-gdpr', 'UK GDPR')],
  notes:
    'Request periods use the ICO counting (receipt is day 1, roll-forward to the next working day: give the calendar the UK bank holidays). The ICO superseded its older "day after receipt" rule in 2019.',
};
