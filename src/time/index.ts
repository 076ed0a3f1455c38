/**
 * Time in Lethe: the injectable clock, instants, periods with explicit units, calendars (zone,
 * weekend, holidays, opening hours) and deadlines that explain themselves.
 *
 * @module
 */
export * from './clock.js';
export type * from './types.js';
export { instantFromIso, isValidInstant, isValidZone, toIso, toLocalIso } from './instant.js';
export type { InstantError } from './instant.js';
export {
  PeriodCodec,
  PeriodFromString,
  describePeriod,
  formatPeriod,
  maxPeriodAmount,
  parsePeriod,
  periodUnits,
  validatePeriod,
} from './period.js';
export type { PeriodError } from './period.js';
export { CalendarCodec, calendar, endOfLocalDay, isWorkingDay, localDateOf, validateCalendar } from './calendar.js';
export type { CalendarError, CalendarInput } from './calendar.js';
export { computeDeadline, defaultCountingRules, isOverdue, maxDaysWithoutWorkingTime } from './deadline.js';
export type { DeadlineError, DeadlineInput } from './deadline.js';
