/** The client's formatting of instants (client/src/format.ts): Beijing time, and no date an English reader can misread. */
import { expect } from 'chai';
import { calendarDate, dateTime } from '../../client/src/format';

describe("the client's dates and times", () => {
  it('shows an instant in Beijing time, with the month named in English (07/12 reads as July to some)', () => {
    expect(dateTime('2026-12-07T11:05:15.000Z', 'en')).to.equal('7 Dec 2026, 19:05:15');
    expect(dateTime('2026-12-07T11:05:15.000Z', 'zh')).to.equal('2026/12/07 19:05:15');
    // 16:00Z is already the next day in Beijing.
    expect(dateTime('2027-07-16T16:00:00.000Z', 'en')).to.equal('17 Jul 2027, 00:00:00');
    expect(dateTime(null, 'en')).to.equal('—');
    expect(dateTime('not a date', 'zh')).to.equal('not a date');
  });

  it('shows a Beijing calendar date as it is, in either language', () => {
    expect(calendarDate('2026-10-23', 'en')).to.equal('23 October 2026');
    expect(calendarDate('2026-10-23', 'zh')).to.equal('2026年10月23日');
  });
});
