/**
 * The US HIPAA breach-notification rulebook (45 CFR 164.400-414). Calendar days from discovery;
 * law-enforcement delays (164.412) are recorded as delay justifications, not exemptions.
 *
 * @module
 */
import { DEFAULT_HOST_TARGETS } from './defaults.js';
import { calendarDays, type DeadlineRule, type Rulebook } from '../rule.js';

const rules: readonly DeadlineRule[] = [
  {
    id: 'hipaa.164.404.notifyIndividuals',
    title: 'Notify each individual whose unsecured PHI was breached',
    citation: '45 CFR 164.404(b) (secondary quotation)',
    trigger: 'BreachDiscovered',
    clockStart: 'discovery',
    action: 'NotifyDataSubjects',
    period: calendarDays(60),
    target: {
      kind: 'withoutUndueDelay',
      hostTarget: DEFAULT_HOST_TARGETS.hipaaIndividuals,
      legalOuterLimit: calendarDays(60),
      wording: 'without unreasonable delay and in no case later than 60 calendar days after discovery',
    },
    satisfiedBy: ['SubjectsNotified'],
    onMissed: { event: 'ObligationOverdue' },
  },
  {
    id: 'hipaa.164.406.notifyMedia',
    title: 'Notify prominent media outlets serving the State',
    citation: '45 CFR 164.406 (reproduction)',
    trigger: 'BreachDiscovered',
    clockStart: 'discovery',
    action: 'NotifyMedia',
    period: calendarDays(60),
    thresholds: [{ affectedAtLeast: 501, population: 'residents of one State or jurisdiction (more than 500)' }],
    satisfiedBy: ['MediaNotified'],
    onMissed: { event: 'ObligationOverdue' },
  },
  {
    id: 'hipaa.164.408.notifyHhs',
    title: 'Notify the Secretary of HHS, with the notice to individuals',
    citation: '45 CFR 164.408(b) (reproduction)',
    trigger: 'BreachDiscovered',
    clockStart: 'discovery',
    action: 'NotifySupervisoryAuthority',
    period: calendarDays(60),
    thresholds: [{ affectedAtLeast: 500, population: 'individuals' }],
    satisfiedBy: ['AuthorityNotified'],
    onMissed: { event: 'ObligationOverdue' },
    notes: 'Contemporaneously with the notice to individuals.',
  },
  {
    id: 'hipaa.164.408.annualLog',
    title: 'Report breaches affecting fewer than 500 individuals to HHS in an annual log',
    citation: '45 CFR 164.408(c) (reproduction)',
    trigger: 'CalendarYearEnded',
    clockStart: 'yearEnd',
    action: 'NotifySupervisoryAuthority',
    period: calendarDays(60),
    thresholds: [{ affectedFewerThan: 500, population: 'individuals' }],
    satisfiedBy: ['AuthorityNotified'],
    onMissed: { event: 'ObligationOverdue' },
    notes: 'Not later than 60 days after the end of each calendar year, for the breaches discovered in it.',
  },
];

/** The HIPAA breach rulebook (id `'hipaa'`). */
export const hipaa: Rulebook = {
  id: 'hipaa',
  name: 'HIPAA Breach Notification Rule (45 CFR 164.400-414)',
  jurisdiction: 'United States (federal, covered entities and business associates)',
  rules,
};
