/**
 * The New York DFS cybersecurity rulebook (23 NYCRR 500.17).
 *
 * @module
 */
import { hours, type DeadlineRule, type Rulebook } from '../rule.js';

const rules: readonly DeadlineRule[] = [
  {
    id: 'nydfs.500.17.a.notify',
    title: 'Notify the Superintendent of a cybersecurity incident',
    citation: '23 NYCRR 500.17(a)',
    trigger: 'BreachDetermined',
    clockStart: 'determination',
    action: 'NotifySupervisoryAuthority',
    period: hours(72),
    satisfiedBy: ['AuthorityNotified'],
    onMissed: { event: 'ObligationOverdue' },
    notes:
      'Elapsed hours from the determination that a cybersecurity incident occurred; the covered entity keeps updating the Superintendent. The 24-hour extortion-payment rule was not found in the stored sources.',
  },
];

/** The NYDFS rulebook (id `'nydfs'`). */
export const nydfs: Rulebook = {
  id: 'nydfs',
  name: 'NYDFS Cybersecurity Regulation (23 NYCRR Part 500)',
  jurisdiction: 'New York, United States (DFS-regulated entities)',
  rules,
};
