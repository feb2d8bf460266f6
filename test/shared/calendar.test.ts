import { expect } from 'chai';
import fc from 'fast-check';
import { WorkingDayCalendar, beijingDate, beijingInstant, addCalendarDays, fromDayNumber, toDayNumber } from '../../shared/calendar';

describe('working-day calendar', () => {
  const cal = new WorkingDayCalendar();

  it('20 working days counted from 2026-09-14 as day 1 end on 2026-10-15 (across the Mid-Autumn and National Day holidays)', () => {
    expect(cal.nthWorkingDay('2026-09-14', 20)).to.deep.equal({ date: '2026-10-15', provisional: false });
  });

  it('counts the make-up Sundays and Saturdays of 2026 as working days', () => {
    for (const d of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) {
      expect(cal.isWorkingDay(d), d).to.equal(true);
    }
  });

  it('treats every day of Spring Festival 2026 (Feb 15–23) as a day off', () => {
    for (let d = '2026-02-15'; d <= '2026-02-23'; d = addCalendarDays(d, 1)) expect(cal.isWorkingDay(d), d).to.equal(false);
  });

  it('an approval on 2026-02-10 discloses for 20 working days ending 2026-03-13, skipping Spring Festival', () => {
    // Day 1 Feb 10 (Tue) … Feb 13 = day 4, Feb 14 (Sat, make-up) = 5, Feb 24–27 = 6–9, Feb 28 (Sat, make-up) = 10,
    // Mar 2–6 = 11–15, Mar 9–13 = 16–20.
    const days: string[] = [];
    for (let d = '2026-02-10'; days.length < 20; d = addCalendarDays(d, 1)) if (cal.isWorkingDay(d)) days.push(d);
    expect(days.slice(0, 6)).to.deep.equal(['2026-02-10', '2026-02-11', '2026-02-12', '2026-02-13', '2026-02-14', '2026-02-24']);
    expect(cal.nthWorkingDay('2026-02-10', 20).date).to.equal(days[19]);
    expect(days[19]).to.equal('2026-03-13');
  });

  it('starts counting on the first working day on or after the start when the start is a holiday', () => {
    expect(cal.firstWorkingDayOnOrAfter('2026-10-01').date).to.equal('2026-10-08');
    expect(cal.nthWorkingDay('2026-10-03', 3).date).to.equal('2026-10-10');
  });

  it('a deadline within 5 working days of 2026-09-30 falls on 2026-10-13, counting the make-up Saturday', () => {
    // Oct 8, 9, 10 (make-up Saturday), 12, 13 → the 5th is Oct 13; the 3rd is Oct 10.
    expect(cal.addWorkingDays('2026-09-30', 3).date).to.equal('2026-10-10');
    expect(cal.addWorkingDays('2026-09-30', 5).date).to.equal('2026-10-13');
  });

  it('counts working days between two dates, exclusive of the first', () => {
    expect(cal.workingDaysBetween('2026-09-30', '2026-10-08')).to.deep.equal({ days: 1, provisional: false });
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-24').days).to.equal(2);
  });

  it('marks a deadline that reaches beyond the loaded years as provisional, using weekends and fixed-date holidays', () => {
    const r = cal.addWorkingDays('2026-12-30', 3);
    expect(r.provisional).to.equal(true);
    // Dec 31 (Thu), Jan 1 2027 is a fixed-date holiday, Jan 4 (Mon), Jan 5 (Tue)
    expect(r.date).to.equal('2027-01-05');
    expect(cal.addWorkingDays('2026-12-01', 3).provisional).to.equal(false);
  });

  it('lets an operator load a new year and refuses malformed or duplicate schedules', () => {
    const c = new WorkingDayCalendar();
    c.load({ year: 2027, holidays: ['2027-01-01', '2027-02-08'], makeUpWorkdays: ['2027-02-07'] });
    expect(c.isWorkingDay('2027-02-07')).to.equal(true);
    expect(c.isWorkingDay('2027-02-08')).to.equal(false);
    expect(c.addWorkingDays('2027-02-05', 1)).to.deep.equal({ date: '2027-02-07', provisional: false });
    expect(() => c.load({ year: 2027, holidays: [], makeUpWorkdays: [] })).to.throw(/already loaded/);
    expect(() => c.load({ year: 2028, holidays: ['2029-01-01'], makeUpWorkdays: [] })).to.throw(/not in 2028/);
    expect(() => c.load({ year: 2028, holidays: ['2028-02-30'], makeUpWorkdays: [] })).to.throw(/not a calendar date/);
  });

  it('adding working days always lands on a working day strictly after the start, and counting back gives N', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: toDayNumber('2025-01-01'), max: toDayNumber('2026-11-30') }),
        fc.integer({ min: 1, max: 25 }),
        (day, n) => {
          const start = fromDayNumber(day);
          const end = cal.addWorkingDays(start, n);
          expect(cal.isWorkingDay(end.date)).to.equal(true);
          expect(end.date > start).to.equal(true);
          expect(cal.workingDaysBetween(start, end.date).days).to.equal(n);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('converts instants to Beijing dates and Beijing wall-clock times to instants (UTC+8)', () => {
    expect(beijingDate(Date.parse('2026-10-15T15:59:59Z'))).to.equal('2026-10-15');
    expect(beijingDate(Date.parse('2026-10-15T16:00:00Z'))).to.equal('2026-10-16');
    expect(new Date(beijingInstant('2026-10-16', '10:00')).toISOString()).to.equal('2026-10-16T02:00:00.000Z');
  });
});
