import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { calendar } from './calendar.js';
import { computeDeadline, isOverdue } from './deadline.js';
import type { DeadlineError, DeadlineInput } from './deadline.js';
import { instantFromIso, toIso, toLocalIso } from './instant.js';
import { parsePeriod } from './period.js';
import type { CalendarRuntime, CountingRules, Deadline, OpeningInterval } from './types.js';

const at = (iso: string): number => {
  const r = instantFromIso(iso);
  if (E.isLeft(r)) throw new Error(r.left.reason);
  return r.right;
};

const period = (text: string) => {
  const r = parsePeriod(text);
  if (E.isLeft(r)) throw new Error(r.left.reason);
  return r.right;
};

const right = <A>(r: Either<DeadlineError, A>): A => {
  if (E.isLeft(r)) throw new Error(`expected a deadline, got ${JSON.stringify(r.left)}`);
  return r.right;
};

const deadline = (
  start: string,
  p: string,
  cal: CalendarRuntime,
  rules?: CountingRules,
  citation?: string,
): Deadline => {
  const input: DeadlineInput = {
    start: at(start),
    period: period(p),
    calendar: cal,
    ...(rules === undefined ? {} : { rules }),
    ...(citation === undefined ? {} : { citation }),
  };
  return right(computeDeadline(input));
};

const due = (start: string, p: string, cal: CalendarRuntime, rules?: CountingRules): string =>
  toIso(deadline(start, p, cal, rules).dueAt);

const EU: CountingRules = { convention: 'eu-1182-71', rollForward: false };
const EU_ROLL: CountingRules = { convention: 'eu-1182-71', rollForward: true };
const UK: CountingRules = { convention: 'uk-ico', rollForward: false };

const nineToSix: OpeningInterval[] = [{ from: '09:00', to: '18:00' }];
const weekdays = (intervals: OpeningInterval[]) => ({ '1': intervals, '2': intervals, '3': intervals, '4': intervals, '5': intervals });

const dublin = calendar({ zone: 'Europe/Dublin' });
const paris = calendar({ zone: 'Europe/Paris' });
const berlin = calendar({ zone: 'Europe/Berlin' });
const saoPaulo = calendar({ zone: 'America/Sao_Paulo' });

describe('calendar months (GDPR Art. 12(3): one month of receipt)', () => {
  it('31 January + 1 month ends at the end of 28 February, or 29 February in a leap year', () => {
    expect(due('2026-01-31T10:00:00Z', 'P1M', dublin)).toBe('2026-02-28T23:59:59.999Z');
    expect(due('2028-01-31T10:00:00Z', 'P1M', dublin)).toBe('2028-02-29T23:59:59.999Z');
    // 1182/71: 29 and 30 January also end on 28 February in a common year.
    expect(due('2026-01-30T10:00:00Z', 'P1M', dublin)).toBe('2026-02-28T23:59:59.999Z');
    expect(due('2026-01-29T10:00:00Z', 'P1M', dublin)).toBe('2026-02-28T23:59:59.999Z');
  });

  it('31 March + 1 month ends at the end of 30 April (Irish Summer Time, +01:00)', () => {
    const d = deadline('2026-03-31T10:00:00+01:00', 'P1M', dublin);
    expect(toIso(d.dueAt)).toBe('2026-04-30T22:59:59.999Z');
    expect(d.explanation.dueAtLocal).toBe('2026-04-30T23:59:59.999+01:00');
    expect(d.explanation.text).toContain('2026-04-30 (Thursday), because April 2026 has no 31st');
  });

  it('lands on the same date when it exists, and 3 months from 31 January is 30 April (the ICO extension base)', () => {
    expect(due('2026-02-14T09:00:00Z', 'P1M', dublin)).toBe('2026-03-14T23:59:59.999Z');
    expect(due('2026-01-31T10:00:00Z', 'P3M', dublin)).toBe('2026-04-30T22:59:59.999Z');
  });

  it('years are 12 months: 29 February + 1 year ends on 28 February', () => {
    expect(due('2028-02-29T12:00:00Z', 'P1Y', dublin)).toBe('2029-02-28T23:59:59.999Z');
    expect(due('2026-06-15T12:00:00+01:00', 'P6Y', dublin)).toBe('2032-06-15T22:59:59.999Z');
  });
});

describe('hours (GDPR Art. 33(1): 72 hours)', () => {
  it('a breach known Friday 17:00 is due Monday 17:00 exactly, through the weekend', () => {
    const d = deadline('2026-11-20T17:00:00+01:00', 'PT72H', paris, EU, 'GDPR Art. 33(1)');
    expect(toIso(d.dueAt)).toBe('2026-11-23T16:00:00.000Z');
    expect(d.explanation.dueAtLocal).toBe('2026-11-23T17:00:00.000+01:00');
    expect(d.explanation.convention).toBe('elapsed-time');
    expect(d.explanation.skipped).toEqual([]);
    expect(d.explanation.text).toContain('EU Reg. 1182/71 Art. 3(4) does not apply to periods in hours');
    expect(d.explanation.text).toContain('leaving out the hour of the event (Art. 3(1))');
  });

  it('72 hours across the spring clock change are 72 real hours: the wall clock shows 73', () => {
    const start = at('2026-03-27T12:00:00+01:00');
    const d = right(computeDeadline({ start, period: period('PT72H'), calendar: berlin }));
    expect(d.dueAt - start).toBe(72 * 3_600_000);
    expect(d.explanation.dueAtLocal).toBe('2026-03-30T13:00:00.000+02:00');
  });

  it('72 hours across the autumn clock change are 72 real hours: the wall clock shows 71', () => {
    const start = at('2026-10-23T12:00:00+02:00');
    const d = right(computeDeadline({ start, period: period('PT72H'), calendar: berlin }));
    expect(d.dueAt - start).toBe(72 * 3_600_000);
    expect(d.explanation.dueAtLocal).toBe('2026-10-26T11:00:00.000+01:00');
  });

  it('never rolls forward, even when the rules say so and it ends on a Saturday', () => {
    const d = deadline('2026-11-18T10:00:00+01:00', 'PT72H', paris, EU_ROLL);
    expect(toIso(d.dueAt)).toBe('2026-11-21T09:00:00.000Z');
    expect(d.explanation.rolledForward).toBeUndefined();
  });

  it('PT0H is due at the start', () => {
    expect(due('2026-11-18T10:00:00+01:00', 'PT0H', paris)).toBe('2026-11-18T09:00:00.000Z');
  });
});

describe('business days (LGPD: 3 dias úteis)', () => {
  it('3 business days from a Friday end at the end of Wednesday', () => {
    const d = deadline('2026-11-20T17:00:00-03:00', 'P3BD', saoPaulo, EU, 'Res. CD/ANPD 15/2024');
    expect(toIso(d.dueAt)).toBe('2026-11-26T02:59:59.999Z');
    expect(d.explanation.dueAtLocal).toBe('2026-11-25T23:59:59.999-03:00');
    expect(d.explanation.skipped).toEqual([
      { date: '2026-11-21', reason: 'weekend' },
      { date: '2026-11-22', reason: 'weekend' },
    ]);
    expect(d.explanation.notCounted).toEqual(['the day of the event, 2026-11-20 (EU Reg. 1182/71 Art. 3(1))']);
  });

  it('a holiday on the Tuesday moves it to Thursday, and the holiday is listed', () => {
    const d = deadline('2026-11-20T17:00:00-03:00', 'P3BD', calendar({ zone: 'America/Sao_Paulo', holidays: ['2026-11-24'] }));
    expect(toIso(d.dueAt)).toBe('2026-11-27T02:59:59.999Z');
    expect(d.explanation.skipped).toContainEqual({ date: '2026-11-24', reason: 'holiday' });
    expect(d.explanation.text).toContain('Skipped: 2026-11-21 (weekend), 2026-11-22 (weekend), 2026-11-24 (holiday).');
    expect(d.explanation.text).toContain('Counted: 2026-11-23 (Monday), 2026-11-25 (Wednesday), 2026-11-26 (Thursday).');
  });

  it('uses a holiday function as well as the holiday list', () => {
    const tuesdays = calendar({ zone: 'America/Sao_Paulo', isHoliday: (d) => d === '2026-11-24' || d === '2026-11-25' });
    expect(due('2026-11-20T17:00:00-03:00', 'P3BD', tuesdays)).toBe('2026-11-28T02:59:59.999Z');
  });

  it('the explanation reads as sentences a person can check', () => {
    const d = deadline('2026-01-30T17:00:00+01:00', 'P3BD', paris, EU, 'LGPD Art. 48; Res. CD/ANPD 15/2024 Art. 6');
    expect(d.explanation.text).toBe(
      'Clock started 2026-01-30T17:00:00.000+01:00 (Europe/Paris; 2026-01-30T16:00:00.000Z). ' +
        'Period: 3 business days; the day of the event, 2026-01-30, is not counted (EU Reg. 1182/71 Art. 3(1)); ' +
        "weekend days (Saturday, Sunday) and the calendar's holidays are skipped. " +
        'Counted: 2026-02-02 (Monday), 2026-02-03 (Tuesday), 2026-02-04 (Wednesday). ' +
        'Skipped: 2026-01-31 (weekend), 2026-02-01 (weekend). ' +
        'Due at the end of 2026-02-04: 2026-02-04T23:59:59.999+01:00 (2026-02-04T22:59:59.999Z). ' +
        'Source: LGPD Art. 48; Res. CD/ANPD 15/2024 Art. 6.',
    );
    expect(d.explanation.citation).toBe('LGPD Art. 48; Res. CD/ANPD 15/2024 Art. 6');
    expect(d.explanation.start).toBe('2026-01-30T16:00:00.000Z');
    expect(d.explanation.startLocal).toBe('2026-01-30T17:00:00.000+01:00');
    expect(d.explanation.zone).toBe('Europe/Paris');
    expect(d.explanation.period).toEqual({ unit: 'businessDays', amount: 3 });
  });

  it('counts the same under uk-ico: the day of the event is never a business day of the period', () => {
    expect(due('2026-11-20T17:00:00-03:00', 'P3BD', saoPaulo, UK)).toBe('2026-11-26T02:59:59.999Z');
  });

  it('P0BD is the end of the day of the event, or of the next working day', () => {
    expect(due('2026-11-19T17:00:00-03:00', 'P0BD', saoPaulo)).toBe('2026-11-20T02:59:59.999Z');
    const saturday = deadline('2026-11-21T10:00:00-03:00', 'P0BD', saoPaulo);
    expect(saturday.explanation.dueAtLocal).toBe('2026-11-23T23:59:59.999-03:00');
    expect(saturday.explanation.skipped.map((s) => s.date)).toEqual(['2026-11-21', '2026-11-22']);
  });

  it('works with a Friday-Saturday weekend', () => {
    const riyadh = calendar({ zone: 'Asia/Riyadh', weekend: [5, 6] });
    // Thursday 2026-11-19: Friday and Saturday are skipped, Sunday is day 1.
    expect(deadline('2026-11-19T10:00:00+03:00', 'P1BD', riyadh).explanation.dueAtLocal).toBe('2026-11-22T23:59:59.999+03:00');
  });
});

describe('working hours', () => {
  const office = calendar({ zone: 'Europe/Paris', openingHours: weekdays(nineToSix) });

  it('72 working hours from Friday 17:00 with Mon-Fri 09:00-18:00', () => {
    // By hand: Friday 17:00-18:00 is 1 h. Then 9 h per working day: Mon 23 (10), Tue 24 (19),
    // Wed 25 (28), Thu 26 (37), Fri 27 (46), [weekend 28-29], Mon 30 (55), Tue 1 Dec (64);
    // the remaining 8 h end on Wednesday 2 December at 09:00 + 8 h = 17:00 local.
    const d = deadline('2026-11-20T17:00:00+01:00', 'PT72WH', office);
    expect(toIso(d.dueAt)).toBe('2026-12-02T16:00:00.000Z');
    expect(d.explanation.dueAtLocal).toBe('2026-12-02T17:00:00.000+01:00');
    expect(d.explanation.skipped.map((s) => `${s.date} ${s.reason}`)).toEqual([
      '2026-11-21 weekend',
      '2026-11-22 weekend',
      '2026-11-28 weekend',
      '2026-11-29 weekend',
    ]);
    expect(d.explanation.text).toContain('Working time counted: 2026-11-20 1 h, 2026-11-23 9 h,');
    expect(d.explanation.text).toContain('2026-12-02 8 h.');
  });

  it('starts counting at the next opening when the clock starts outside opening hours, and may end at a closing time', () => {
    const d = deadline('2026-11-21T10:00:00+01:00', 'PT9WH', office);
    expect(d.explanation.dueAtLocal).toBe('2026-11-23T18:00:00.000+01:00');
    expect(d.explanation.text).toContain('counting starts at the next opening, 2026-11-23T09:00:00.000+01:00');
    expect(d.explanation.skipped.map((s) => s.date)).toEqual(['2026-11-21', '2026-11-22']);
  });

  it('skips lunch breaks, holidays and closed weekdays', () => {
    const withLunch = calendar({ zone: 'Europe/Paris', openingHours: weekdays([{ from: '09:00', to: '12:00' }, { from: '13:00', to: '17:00' }]) });
    // Mon 11-12 (1 h) + 13-17 (4 h) = 5 h; Tue 09-12 = 8 h; 2 more from 13:00 = Tue 15:00.
    expect(deadline('2026-11-23T11:00:00+01:00', 'PT10WH', withLunch).explanation.dueAtLocal).toBe('2026-11-24T15:00:00.000+01:00');
    const holidayMonday = calendar({ zone: 'Europe/Paris', holidays: ['2026-11-23'], openingHours: weekdays(nineToSix) });
    const d = deadline('2026-11-20T17:00:00+01:00', 'PT9WH', holidayMonday);
    expect(d.explanation.dueAtLocal).toBe('2026-11-24T17:00:00.000+01:00');
    expect(d.explanation.skipped).toContainEqual({ date: '2026-11-23', reason: 'holiday' });
    const fourDayWeek = calendar({ zone: 'Europe/Paris', openingHours: { '1': nineToSix, '2': nineToSix, '3': nineToSix, '4': nineToSix } });
    const e = deadline('2026-11-19T17:00:00+01:00', 'PT2WH', fourDayWeek);
    expect(e.explanation.dueAtLocal).toBe('2026-11-23T10:00:00.000+01:00');
    expect(e.explanation.skipped[0]).toEqual({ date: '2026-11-20', reason: 'closed' });
  });

  it('round-the-clock opening hours count real time, across the clock change', () => {
    const always = calendar({
      zone: 'Europe/Paris',
      weekend: [],
      openingHours: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((w) => [String(w), [{ from: '00:00', to: '24:00' }]])),
    });
    const start = at('2026-03-28T12:00:00+01:00');
    for (const hours of [1, 12, 24, 48]) {
      const d = right(computeDeadline({ start, period: { unit: 'workingHours', amount: hours }, calendar: always }));
      expect(d.dueAt - start).toBe(hours * 3_600_000);
    }
  });

  it('counts opening time by the wall clock on clock-change nights, in real-time order', () => {
    // Sunday 25 October 2026, Paris: at 03:00 +02:00 the clock goes back to 02:00 +01:00, so the
    // wall times 02:00-03:00 happen twice and the office (01:00-02:30, 02:30-04:00) is open for
    // 4 real hours without a break: 23:00Z to 03:00Z.
    const sundays = calendar({
      zone: 'Europe/Paris',
      weekend: [],
      openingHours: { '7': [{ from: '01:00', to: '02:30' }, { from: '02:30', to: '04:00' }] },
    });
    const d2 = deadline('2026-10-25T01:00:00+02:00', 'PT2WH', sundays);
    expect(toIso(d2.dueAt)).toBe('2026-10-25T01:00:00.000Z');
    expect(d2.explanation.dueAtLocal).toBe('2026-10-25T02:00:00.000+01:00');
    expect(toIso(deadline('2026-10-25T01:00:00+02:00', 'PT4WH', sundays).dueAt)).toBe('2026-10-25T03:00:00.000Z');
    // Sunday 29 March 2026: the wall times 02:00-03:00 do not exist, so 01:00-04:00 is 2 real hours
    // and the third hour is used up on the next Sunday.
    const springSundays = calendar({ zone: 'Europe/Paris', weekend: [], openingHours: { '7': [{ from: '01:00', to: '04:00' }] } });
    expect(deadline('2026-03-29T01:00:00+01:00', 'PT2WH', springSundays).explanation.dueAtLocal).toBe('2026-03-29T04:00:00.000+02:00');
    expect(deadline('2026-03-29T01:00:00+01:00', 'PT3WH', springSundays).explanation.dueAtLocal).toBe('2026-04-05T02:00:00.000+02:00');
  });

  it('PT0WH is due where counting starts', () => {
    expect(deadline('2026-11-20T17:30:00+01:00', 'PT0WH', office).explanation.dueAtLocal).toBe('2026-11-20T17:30:00.000+01:00');
    expect(deadline('2026-11-20T19:00:00+01:00', 'PT0WH', office).explanation.dueAtLocal).toBe('2026-11-23T09:00:00.000+01:00');
  });
});

describe('calendar days and weeks', () => {
  const losAngeles = calendar({ zone: 'America/Los_Angeles' });

  it('CCPA 45 days: the day of receipt is not counted under 1182/71, and is day 1 under uk-ico', () => {
    // 10 February + 45 days = 27 March (18 days to 28 February, 27 more); PDT (-07:00) from 8 March.
    const eu = deadline('2026-02-10T15:00:00-08:00', 'P45D', losAngeles, EU, 'Cal. Civ. Code 1798.130(a)(2)(A)');
    expect(toIso(eu.dueAt)).toBe('2026-03-28T06:59:59.999Z');
    expect(eu.explanation.dueAtLocal).toBe('2026-03-27T23:59:59.999-07:00');
    expect(eu.explanation.text).toContain('so day 1 is 2026-02-11 and day 45 is 2026-03-27 (Friday)');
    const uk = deadline('2026-02-10T15:00:00-08:00', 'P45D', losAngeles, UK);
    expect(uk.explanation.dueAtLocal).toBe('2026-03-26T23:59:59.999-07:00');
    expect(uk.explanation.notCounted).toEqual([]);
    expect(uk.explanation.text).toContain('the day of receipt, 2026-02-10, is day 1 (ICO guidance), so day 45 is 2026-03-26');
  });

  it('uk-ico ends day and week periods one day earlier than 1182/71', () => {
    const london = calendar({ zone: 'Europe/London' });
    expect(due('2026-06-01T10:00:00+01:00', 'P30D', london, EU)).toBe('2026-07-01T22:59:59.999Z');
    expect(due('2026-06-01T10:00:00+01:00', 'P30D', london, UK)).toBe('2026-06-30T22:59:59.999Z');
    // A week from Monday 1 June: the same weekday under 1182/71 Art. 3(2)(c); day 7 (Sunday) under the ICO's counting.
    expect(due('2026-06-01T10:00:00+01:00', 'P1W', london, EU)).toBe('2026-06-08T22:59:59.999Z');
    expect(due('2026-06-01T10:00:00+01:00', 'P1W', london, UK)).toBe('2026-06-07T22:59:59.999Z');
  });

  it('uk-ico and 1182/71 give the same last day for months; only the explanation differs', () => {
    const london = calendar({ zone: 'Europe/London' });
    const eu = deadline('2026-03-31T10:00:00+01:00', 'P1M', london, EU);
    const uk = deadline('2026-03-31T10:00:00+01:00', 'P1M', london, UK);
    expect(toIso(eu.dueAt)).toBe('2026-04-30T22:59:59.999Z');
    expect(uk.dueAt).toBe(eu.dueAt);
    expect(eu.explanation.convention).toBe('eu-1182-71');
    expect(uk.explanation.convention).toBe('uk-ico');
    expect(eu.explanation.notCounted).toEqual(['the day of the event, 2026-03-31 (EU Reg. 1182/71 Art. 3(1))']);
    expect(uk.explanation.text).toContain('the day of receipt, 2026-03-31, is day 1 (ICO guidance)');
  });

  it('P1D ending on a day of 23 or 25 hours ends at 23:59:59.999 local of that day', () => {
    expect(deadline('2026-03-28T10:00:00+01:00', 'P1D', paris).explanation.dueAtLocal).toBe('2026-03-29T23:59:59.999+02:00');
    expect(due('2026-03-28T10:00:00+01:00', 'P1D', paris)).toBe('2026-03-29T21:59:59.999Z');
    expect(due('2026-10-24T10:00:00+02:00', 'P1D', paris)).toBe('2026-10-25T22:59:59.999Z');
  });

  it('ends right where the clock changes at midnight (America/Santiago)', () => {
    const santiago = calendar({ zone: 'America/Santiago' });
    // 4 April 2026: at 24:00 -03 the clock goes back to 23:00 -04, so the day ends an hour later in real time.
    expect(due('2026-04-03T10:00:00-03:00', 'P1D', santiago)).toBe('2026-04-05T03:59:59.999Z');
    // 5 September 2026: at 24:00 -04 the clock jumps to 01:00 -03 on the 6th.
    expect(due('2026-09-04T10:00:00-04:00', 'P1D', santiago)).toBe('2026-09-06T03:59:59.999Z');
  });

  it('a start exactly at local midnight belongs to that day', () => {
    expect(due('2026-02-02T00:00:00+01:00', 'P1D', paris)).toBe('2026-02-03T22:59:59.999Z');
    expect(due('2026-02-01T23:59:59.999+01:00', 'P1D', paris)).toBe('2026-02-02T22:59:59.999Z');
    expect(due('2026-02-02T00:00:00+01:00', 'P3BD', paris)).toBe('2026-02-05T22:59:59.999Z');
    // Local midnight in Paris is 23:00 UTC the day before: the zone decides the day, not UTC.
    expect(due('2026-02-01T23:00:00Z', 'P1D', paris)).toBe('2026-02-03T22:59:59.999Z');
  });

  it('amount 0 ends at the end of the day of the event under either convention', () => {
    expect(due('2026-02-02T10:00:00+01:00', 'P0D', paris, EU)).toBe('2026-02-02T22:59:59.999Z');
    expect(due('2026-02-02T10:00:00+01:00', 'P0D', paris, UK)).toBe('2026-02-02T22:59:59.999Z');
    expect(due('2026-02-02T10:00:00+01:00', 'P0M', paris, UK)).toBe('2026-02-02T22:59:59.999Z');
  });
});

describe('roll-forward', () => {
  it('a month ending on Saturday rolls to the end of Monday, and says so', () => {
    const d = deadline('2026-01-28T10:00:00+01:00', 'P1M', paris, EU_ROLL, 'GDPR Art. 12(3)');
    expect(toIso(d.dueAt)).toBe('2026-03-02T22:59:59.999Z');
    expect(d.explanation.rolledForward).toEqual({ from: '2026-02-28', to: '2026-03-02' });
    expect(d.explanation.skipped).toEqual([
      { date: '2026-02-28', reason: 'weekend' },
      { date: '2026-03-01', reason: 'weekend' },
    ]);
    expect(d.explanation.text).toContain('so the period is extended to the end of the next working day, 2026-03-02 (Monday) (EU Reg. 1182/71 Art. 3(4))');
    expect(d.explanation.text).toContain('Source: GDPR Art. 12(3).');
  });

  it('without roll-forward the Saturday stands, and the explanation says it was not moved', () => {
    const d = deadline('2026-01-28T10:00:00+01:00', 'P1M', paris, EU);
    expect(toIso(d.dueAt)).toBe('2026-02-28T22:59:59.999Z');
    expect(d.explanation.rolledForward).toBeUndefined();
    expect(d.explanation.text).toContain('The last day, 2026-02-28, is a weekend day (Saturday); these rules do not roll it forward');
  });

  it('rolls over holidays too, citing the ICO under uk-ico', () => {
    const ireland = calendar({ zone: 'Europe/Dublin', holidays: ['2026-03-02'] });
    const d = deadline('2026-01-28T10:00:00Z', 'P1M', ireland, { convention: 'uk-ico', rollForward: true });
    expect(d.explanation.rolledForward).toEqual({ from: '2026-02-28', to: '2026-03-03' });
    expect(d.explanation.skipped.at(-1)).toEqual({ date: '2026-03-02', reason: 'holiday' });
    expect(d.explanation.text).toContain('ICO guidance');
  });

  it('applies to days and weeks as well', () => {
    expect(due('2026-11-20T10:00:00+01:00', 'P1D', paris, EU_ROLL)).toBe('2026-11-23T22:59:59.999Z');
    expect(due('2026-11-07T10:00:00+01:00', 'P2W', paris, EU_ROLL)).toBe('2026-11-23T22:59:59.999Z');
  });
});

describe('errors are values', () => {
  const base = { start: at('2026-01-30T10:00:00Z'), period: period('P1D'), calendar: paris };

  it('rejects a start that is not an instant', () => {
    for (const start of [Number.NaN, Number.POSITIVE_INFINITY, -1e15, 1e16]) {
      expect(computeDeadline({ ...base, start })).toMatchObject(E.left({ _tag: 'InvalidStart' }));
    }
  });

  it('rejects negative, fractional or oversized amounts', () => {
    expect(computeDeadline({ ...base, period: { unit: 'hours', amount: -1 } })).toMatchObject(E.left({ _tag: 'InvalidPeriod' }));
    expect(computeDeadline({ ...base, period: { unit: 'calendarDays', amount: 1.5 } })).toMatchObject(E.left({ _tag: 'InvalidPeriod' }));
    expect(computeDeadline({ ...base, period: { unit: 'years', amount: 201 } })).toMatchObject(E.left({ _tag: 'InvalidPeriod' }));
  });

  it('rejects an unknown zone and a malformed calendar', () => {
    expect(computeDeadline({ ...base, calendar: calendar({ zone: 'Europe/Pariss' }) })).toMatchObject(E.left({ _tag: 'InvalidZone', zone: 'Europe/Pariss' }));
    expect(computeDeadline({ ...base, calendar: calendar({ zone: 'UTC', holidays: ['2026-02-30'] }) })).toMatchObject(E.left({ _tag: 'InvalidCalendar', path: 'holidays[0]' }));
  });

  it('rejects rules it does not know', () => {
    expect(computeDeadline({ ...base, rules: { convention: 'us' as never, rollForward: false } })).toMatchObject(E.left({ _tag: 'InvalidRules' }));
  });

  it('turns a holiday function that throws into InvalidCalendar', () => {
    const broken = calendar({
      zone: 'Europe/Paris',
      isHoliday: () => {
        throw new Error('holiday service down');
      },
    });
    expect(computeDeadline({ ...base, calendar: broken, period: period('P2BD') })).toEqual(
      E.left({ _tag: 'InvalidCalendar', path: 'isHoliday', reason: 'isHoliday threw for 2026-02-02: holiday service down' }),
    );
  });

  it('working hours need opening hours', () => {
    expect(computeDeadline({ ...base, period: period('PT8WH') })).toMatchObject(E.left({ _tag: 'NoOpeningHours' }));
  });

  it('terminates with NoWorkingTime when no day is ever a working day', () => {
    const never = calendar({ zone: 'Europe/Paris', isHoliday: () => true, openingHours: weekdays(nineToSix) });
    expect(computeDeadline({ ...base, calendar: never, period: period('P1BD') })).toMatchObject(E.left({ _tag: 'NoWorkingTime' }));
    expect(computeDeadline({ ...base, calendar: never, period: period('P0BD') })).toMatchObject(E.left({ _tag: 'NoWorkingTime' }));
    expect(computeDeadline({ ...base, calendar: never, period: period('PT1WH') })).toMatchObject(E.left({ _tag: 'NoWorkingTime', searchedFrom: '2026-01-30' }));
    expect(computeDeadline({ ...base, calendar: never, rules: EU_ROLL })).toMatchObject(E.left({ _tag: 'NoWorkingTime' }));
    // Without roll-forward a calendar-day period does not need working days.
    expect(E.isRight(computeDeadline({ ...base, calendar: never }))).toBe(true);
  });
});

describe('isOverdue', () => {
  it('the due instant itself is on time; one millisecond later is overdue', () => {
    const d = deadline('2026-11-20T17:00:00+01:00', 'PT72H', paris);
    expect(isOverdue(d, d.dueAt)).toBe(false);
    expect(isOverdue(d, d.dueAt - 1)).toBe(false);
    expect(isOverdue(d, d.dueAt + 1)).toBe(true);
  });
});

describe('determinism', () => {
  it('the same input gives the same deadline and text, and the local times shown are the zone\'s', () => {
    const a = deadline('2026-01-31T10:00:00Z', 'P1M', dublin, EU_ROLL, 'GDPR Art. 12(3)');
    const b = deadline('2026-01-31T10:00:00Z', 'P1M', dublin, EU_ROLL, 'GDPR Art. 12(3)');
    expect(b).toEqual(a);
    expect(a.explanation.dueAtLocal).toBe(toLocalIso(a.dueAt, 'Europe/Dublin'));
  });
});
