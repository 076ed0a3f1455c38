/**
 * The Canadian PIPEDA rulebook: access requests (s. 8) and breach reports (s. 10.1).
 *
 * @module
 */
import { DEFAULT_HOST_TARGETS } from './defaults.js';
import { calendarDays, type DeadlineRule, type Rulebook } from '../rule.js';

const S8 = '(reproduction of the statute)';

const rules: readonly DeadlineRule[] = [
  {
    id: 'pipeda.s8.3.respond',
    title: 'Respond to a request for access to personal information',
    citation: `PIPEDA s. 8(3) ${S8}`,
    trigger: 'RequestReceived',
    clockStart: 'receipt',
    action: 'RespondToRequest',
    requestKinds: ['access'],
    period: calendarDays(30),
    extension: {
      period: calendarDays(30),
      noticeWithin: calendarDays(30),
      measuredFrom: 'originalDeadline',
      reasonsRequired: true,
      condition:
        'meeting the time limit would unreasonably interfere with the organization\'s activities, or consultations are needed; (s. 8(4)(b): as long as needed to convert to an alternative format)',
      citation: `PIPEDA s. 8(4) ${S8}`,
    },
    satisfiedBy: ['RequestFulfilled', 'RequestRefused'],
    onMissed: {
      event: 'ObligationOverdue',
      consequence: 'deemedRefusal',
      citation: `PIPEDA s. 8(5) ${S8}: no response within the time limit is deemed a refusal`,
    },
    notes:
      'The extension notice is due within 30 days after the request and tells the individual of the new limit, the reasons and the right to complain. Information that is the subject of a request is kept until recourse is exhausted (s. 8(8), see pipedaRetentionReasons).',
  },
  {
    id: 'pipeda.s10.1.reportCommissioner',
    title: 'Report a breach of security safeguards to the Privacy Commissioner',
    citation: 'PIPEDA s. 10.1(1)-(2)',
    trigger: 'BreachDetermined',
    clockStart: 'determination',
    action: 'NotifySupervisoryAuthority',
    condition: { risk: 'realRiskOfSignificantHarm', description: 'a real risk of significant harm to an individual' },
    target: {
      kind: 'withoutUndueDelay',
      hostTarget: DEFAULT_HOST_TARGETS.dataSubjects,
      wording: 'as soon as feasible after the organization determines that the breach has occurred',
    },
    satisfiedBy: ['AuthorityNotified'],
    onMissed: { event: 'ObligationOverdue' },
    notes: 'No legal number; the host target is Lethe\'s default.',
  },
  {
    id: 'pipeda.s10.1.notifyIndividuals',
    title: 'Notify the individuals of a breach of security safeguards',
    citation: 'PIPEDA s. 10.1(3)',
    trigger: 'BreachDetermined',
    clockStart: 'determination',
    action: 'NotifyDataSubjects',
    condition: { risk: 'realRiskOfSignificantHarm', description: 'a real risk of significant harm to the individual' },
    target: {
      kind: 'withoutUndueDelay',
      hostTarget: DEFAULT_HOST_TARGETS.dataSubjects,
      wording: 'as soon as feasible after the organization determines that the breach has occurred',
    },
    satisfiedBy: ['SubjectsNotified'],
    onMissed: { event: 'ObligationOverdue' },
  },
  {
    id: 'pipeda.s10.3.recordBreach',
    title: 'Keep a record of every breach of security safeguards for 24 months',
    citation: 'PIPEDA s. 10.3; Breach of Security Safeguards Regulations SOR/2018-64 (24 months: secondary source only)',
    trigger: 'BreachDetermined',
    clockStart: 'determination',
    action: 'RecordBreach',
    satisfiedBy: ['BreachRecorded'],
    onMissed: { event: 'ObligationOverdue' },
    notes: 'A record obligation with no deadline; the record is kept for 24 months after the determination.',
  },
];

/** The PIPEDA rulebook (id `'pipeda'`). */
export const pipeda: Rulebook = {
  id: 'pipeda',
  name: 'Personal Information Protection and Electronic Documents Act',
  jurisdiction: 'Canada',
  rules,
};
