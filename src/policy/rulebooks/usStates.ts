/**
 * US state rulebooks: consumer-privacy requests in Virginia and Colorado, and breach notice in
 * California (from 1 January 2026), Colorado, Florida, Washington and Texas.
 *
 * Counting: "within N days" excludes the day of the event and ends at the end of the last day
 * (the `'eu-1182-71'` convention, which is also the general US rule for counting days), without
 * roll-forward. Breach thresholds count the residents of the state affected.
 *
 * @module
 */
import { calendarDays, type DeadlineRule, type Rulebook } from '../rule.js';

const SECONDARY = '(secondary source only; primary text not found)';

const vaRules: readonly DeadlineRule[] = [
  {
    id: 'virginia.59.1-577.B.respond',
    title: 'Respond to a consumer rights request',
    citation: 'Va. Code § 59.1-577(B)',
    trigger: 'RequestReceived',
    clockStart: 'receipt',
    action: 'RespondToRequest',
    requestKinds: ['access', 'rectification', 'erasure', 'portability', 'optOut'],
    period: calendarDays(45),
    extension: {
      period: calendarDays(45),
      noticeWithin: calendarDays(45),
      measuredFrom: 'clockStart',
      maxTotal: calendarDays(90),
      reasonsRequired: true,
      condition: 'once, when reasonably necessary, considering the complexity and number of requests',
      citation: 'Va. Code § 59.1-577(B)',
    },
    frequencyLimit: {
      count: 2,
      per: 'calendarYear',
      beyondLimit: 'mayChargeFee',
      citation: 'Va. Code § 59.1-577(B) ("free of charge, up to twice annually"; read as per calendar year, not confirmed)',
    },
    satisfiedBy: ['RequestFulfilled', 'RequestRefused'],
    onMissed: { event: 'ObligationOverdue' },
    notes: 'A decline is also due within 45 days, with the justification and appeal instructions. The appeal period was not found.',
  },
];

const coRules: readonly DeadlineRule[] = [
  {
    id: 'colorado.6-1-1306.respond',
    title: 'Respond to a consumer rights request',
    citation: 'C.R.S. 6-1-1306',
    trigger: 'RequestReceived',
    clockStart: 'receipt',
    action: 'RespondToRequest',
    requestKinds: ['access', 'rectification', 'erasure', 'portability', 'optOut'],
    period: calendarDays(45),
    extension: {
      period: calendarDays(45),
      noticeWithin: calendarDays(45),
      measuredFrom: 'clockStart',
      maxTotal: calendarDays(90),
      reasonsRequired: true,
      condition: 'when reasonably necessary',
      citation: 'C.R.S. 6-1-1306 (the notice within the first 45 days: not confirmed from the stored text)',
    },
    frequencyLimit: {
      count: 2,
      per: 'calendarYear',
      requestKinds: ['portability'],
      beyondLimit: 'mayDecline',
      citation: 'C.R.S. 6-1-1306 (portability at most twice per calendar year)',
    },
    satisfiedBy: ['RequestFulfilled', 'RequestRefused'],
    onMissed: { event: 'ObligationOverdue' },
    notes: 'Requests that cannot be authenticated may be refused. The appeal period was not found.',
  },
  {
    id: 'colorado.6-1-716.notifyResidents',
    title: 'Notify affected Colorado residents of a security breach',
    citation: `C.R.S. 6-1-716 ${SECONDARY}`,
    trigger: 'BreachDetermined',
    clockStart: 'determination',
    action: 'NotifyDataSubjects',
    period: calendarDays(30),
    exemptions: [
      {
        id: 'encrypted',
        description: 'the data were encrypted and the key was not compromised (encryption safe harbor)',
        citation: `C.R.S. 6-1-716 ${SECONDARY}`,
      },
    ],
    satisfiedBy: ['SubjectsNotified'],
    onMissed: { event: 'ObligationOverdue' },
    secondarySourceOnly: true,
    notes: 'Consumer reporting agencies must also be told when more than 1,000 residents are notified.',
  },
  {
    id: 'colorado.6-1-716.notifyAttorneyGeneral',
    title: 'Notify the Colorado Attorney General of a security breach',
    citation: `C.R.S. 6-1-716 ${SECONDARY}`,
    trigger: 'BreachDetermined',
    clockStart: 'determination',
    action: 'NotifyAttorneyGeneral',
    period: calendarDays(30),
    thresholds: [{ affectedAtLeast: 500, population: 'Colorado residents' }],
    satisfiedBy: ['AuthorityNotified'],
    onMissed: { event: 'ObligationOverdue' },
    secondarySourceOnly: true,
  },
];

const caBreachRules: readonly DeadlineRule[] = [
  {
    id: 'california-breach.1798.82.notifyIndividuals',
    title: 'Notify affected California residents of a security breach',
    citation: `Cal. Civ. Code 1798.82 as amended by SB 446 ${SECONDARY}`,
    trigger: 'BreachDiscovered',
    clockStart: 'discoveryOrNotification',
    action: 'NotifyDataSubjects',
    period: calendarDays(30),
    inForceFrom: '2026-01-01',
    satisfiedBy: ['SubjectsNotified'],
    onMissed: { event: 'ObligationOverdue' },
    secondarySourceOnly: true,
    notes:
      'Law-enforcement delays and the time needed to determine the scope and restore integrity may justify delay. Before 2026 the law said "in the most expedient time possible and without unreasonable delay".',
  },
  {
    id: 'california-breach.1798.82.notifyAttorneyGeneral',
    title: 'Submit a sample notice to the California Attorney General',
    citation: `Cal. Civ. Code 1798.82 as amended by SB 446 ${SECONDARY}`,
    trigger: 'IndividualsNotified',
    clockStart: 'individualsNotified',
    action: 'NotifyAttorneyGeneral',
    period: calendarDays(15),
    thresholds: [{ affectedAtLeast: 501, population: 'California residents (more than 500)' }],
    inForceFrom: '2026-01-01',
    satisfiedBy: ['AuthorityNotified'],
    onMissed: { event: 'ObligationOverdue' },
    secondarySourceOnly: true,
  },
];

const flRules: readonly DeadlineRule[] = [
  {
    id: 'florida.501.171.notifyIndividuals',
    title: 'Notify affected Florida residents of a security breach',
    citation: `Fla. Stat. 501.171 ${SECONDARY}`,
    trigger: 'BreachDetermined',
    clockStart: 'determination',
    action: 'NotifyDataSubjects',
    period: calendarDays(30),
    extension: {
      period: calendarDays(15),
      noticeWithin: calendarDays(30),
      measuredFrom: 'originalDeadline',
      reasonsRequired: true,
      condition: 'good cause for delay, given in writing to the Department of Legal Affairs within 30 days',
      citation: `Fla. Stat. 501.171 ${SECONDARY}; sources differ on which notice the 15 days extend`,
    },
    satisfiedBy: ['SubjectsNotified'],
    onMissed: { event: 'ObligationOverdue' },
    secondarySourceOnly: true,
    notes: 'A determination that no harm is likely, made instead of notice, is kept in writing for 5 years.',
  },
  {
    id: 'florida.501.171.notifyDepartment',
    title: 'Notify the Florida Department of Legal Affairs of a security breach',
    citation: `Fla. Stat. 501.171 ${SECONDARY}`,
    trigger: 'BreachDetermined',
    clockStart: 'determination',
    action: 'NotifyAttorneyGeneral',
    period: calendarDays(30),
    thresholds: [{ affectedAtLeast: 500, population: 'Florida residents' }],
    satisfiedBy: ['AuthorityNotified'],
    onMissed: { event: 'ObligationOverdue' },
    secondarySourceOnly: true,
  },
  {
    id: 'florida.501.171.thirdPartyAgent',
    title: 'Third-party agent: notify the covered entity of a security breach',
    citation: `Fla. Stat. 501.171 ${SECONDARY}`,
    trigger: 'BreachDetermined',
    clockStart: 'determination',
    action: 'NotifyController',
    period: calendarDays(10),
    satisfiedBy: ['ControllerNotified'],
    onMissed: { event: 'ObligationOverdue' },
    secondarySourceOnly: true,
  },
];

const waRules: readonly DeadlineRule[] = [
  {
    id: 'washington.19.255.010.notifyResidents',
    title: 'Notify affected Washington residents of a security breach',
    citation: `RCW 19.255.010 ${SECONDARY}`,
    trigger: 'BreachDiscovered',
    clockStart: 'discovery',
    action: 'NotifyDataSubjects',
    period: calendarDays(30),
    satisfiedBy: ['SubjectsNotified'],
    onMissed: { event: 'ObligationOverdue' },
    secondarySourceOnly: true,
  },
  {
    id: 'washington.19.255.010.notifyAttorneyGeneral',
    title: 'Notify the Washington Attorney General of a security breach',
    citation: `RCW 19.255.010 ${SECONDARY}`,
    trigger: 'BreachDiscovered',
    clockStart: 'discovery',
    action: 'NotifyAttorneyGeneral',
    period: calendarDays(30),
    thresholds: [{ affectedAtLeast: 501, population: 'Washington residents (more than 500)' }],
    satisfiedBy: ['AuthorityNotified'],
    onMissed: { event: 'ObligationOverdue' },
    secondarySourceOnly: true,
  },
];

const TX = 'Tex. Bus. & Com. Code 521.053 (reproduction of the statute)';

const txRules: readonly DeadlineRule[] = [
  {
    id: 'texas.521.053.notifyIndividuals',
    title: 'Notify affected individuals of a breach of system security',
    citation: TX,
    trigger: 'BreachDetermined',
    clockStart: 'determination',
    action: 'NotifyDataSubjects',
    period: calendarDays(60),
    satisfiedBy: ['SubjectsNotified'],
    onMissed: { event: 'ObligationOverdue' },
    notes:
      '"Not later than the 60th day after the date on which the person determines that the breach occurred"; delays for determining the scope, restoring integrity or law enforcement are allowed.',
  },
  {
    id: 'texas.521.053.notifyAttorneyGeneral',
    title: 'Notify the Texas Attorney General of a breach',
    citation: TX,
    trigger: 'BreachDetermined',
    clockStart: 'determination',
    action: 'NotifyAttorneyGeneral',
    period: calendarDays(30),
    thresholds: [{ affectedAtLeast: 250, population: 'Texas residents' }],
    satisfiedBy: ['AuthorityNotified'],
    onMissed: { event: 'ObligationOverdue' },
  },
];

/** The Virginia Consumer Data Protection Act rulebook (id `'virginia'`). */
export const virginia: Rulebook = {
  id: 'virginia',
  name: 'Virginia Consumer Data Protection Act',
  jurisdiction: 'Virginia, United States',
  rules: vaRules,
};

/** The Colorado Privacy Act and breach-notice rulebook (id `'colorado'`). */
export const colorado: Rulebook = {
  id: 'colorado',
  name: 'Colorado Privacy Act (requests) and C.R.S. 6-1-716 (breach notice)',
  jurisdiction: 'Colorado, United States',
  rules: coRules,
};

/** The California breach-notice rulebook, Cal. Civ. Code 1798.82 from 1 January 2026 (id `'california-breach'`). */
export const californiaBreach: Rulebook = {
  id: 'california-breach',
  name: 'California breach notification (Cal. Civ. Code 1798.82, as amended by SB 446)',
  jurisdiction: 'California, United States',
  rules: caBreachRules,
  notes: 'In force from 1 January 2026 (each rule carries inForceFrom). Secondary sources only.',
};

/** The Florida Information Protection Act breach rulebook (id `'florida'`). */
export const florida: Rulebook = {
  id: 'florida',
  name: 'Florida Information Protection Act (Fla. Stat. 501.171)',
  jurisdiction: 'Florida, United States',
  rules: flRules,
};

/** The Washington breach rulebook (id `'washington'`). */
export const washington: Rulebook = {
  id: 'washington',
  name: 'Washington data breach notification (RCW 19.255.010)',
  jurisdiction: 'Washington, United States',
  rules: waRules,
};

/** The Texas breach rulebook (id `'texas'`). */
export const texas: Rulebook = {
  id: 'texas',
  name: 'Texas Identity Theft Enforcement and Protection Act (Bus. & Com. Code 521.053)',
  jurisdiction: 'Texas, United States',
  rules: txRules,
};
