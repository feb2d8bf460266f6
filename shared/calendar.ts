/**
 * The Chinese working-day calendar (pure: dates in, dates out, never the clock).
 *
 * Public holidays and make-up working days (调休) are published each year by the State Council, so
 * the calendar is data: one entry per loaded year. Beyond the loaded years a provisional rule applies
 * (weekends plus the fixed-date statutory holidays) and every answer computed with it says so,
 * because a deadline that may move when the official schedule appears must be shown as provisional.
 *
 * Dates are Beijing calendar dates as 'YYYY-MM-DD' strings. Arithmetic uses UTC day numbers, which
 * is exact for calendar dates (no time zone or daylight saving is involved).
 */

export interface YearSchedule {
  year: number;
  /** Days off that would otherwise be working days, or that fall on weekends (harmless). */
  holidays: string[];
  /** Weekend days that are working days (调休). */
  makeUpWorkdays: string[];
}

export interface CalendarDate {
  date: string;
  /** True when any day counted lies beyond the loaded official schedules. */
  provisional: boolean;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
/** Longest span any deadline may search, in calendar days: a bound on every loop here. */
const MAX_SPAN_DAYS = 3660;

/** Fixed-date statutory holidays (month-day), used only beyond the loaded years. Lunar holidays cannot be predicted here. */
export const PROVISIONAL_FIXED_HOLIDAYS: readonly string[] = ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03'];

/** The official schedules from domain.md ("The working-day calendar"). */
export const OFFICIAL_SCHEDULES: readonly YearSchedule[] = [
  {
    year: 2025,
    holidays: [
      '2025-01-01',
      ...range('2025-01-28', '2025-02-04'),
      ...range('2025-04-04', '2025-04-06'),
      ...range('2025-05-01', '2025-05-05'),
      ...range('2025-05-31', '2025-06-02'),
      ...range('2025-10-01', '2025-10-08'),
    ],
    makeUpWorkdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    holidays: [
      ...range('2026-01-01', '2026-01-03'),
      ...range('2026-02-15', '2026-02-23'),
      ...range('2026-04-04', '2026-04-06'),
      ...range('2026-05-01', '2026-05-05'),
      ...range('2026-06-19', '2026-06-21'),
      ...range('2026-09-25', '2026-09-27'),
      ...range('2026-10-01', '2026-10-07'),
    ],
    makeUpWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
];

export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  return toDayNumberUnchecked(s) !== null;
}

function toDayNumberUnchecked(s: string): number | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / MS_PER_DAY;
}

export function toDayNumber(s: string): number {
  const n = toDayNumberUnchecked(s);
  if (n === null) throw new Error(`not a calendar date: ${s}`);
  return n;
}

export function fromDayNumber(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addCalendarDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Every date from `from` to `to` inclusive. */
export function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let n = toDayNumber(from); n <= toDayNumber(to); n++) out.push(fromDayNumber(n));
  return out;
}

/** Beijing is UTC+8 all year (no daylight saving). */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The Beijing calendar date of an instant. */
export function beijingDate(instantMs: number): string {
  return new Date(instantMs + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** Beijing local date and minute of an instant, e.g. "2026-03-02 10:00". */
export function beijingMinute(isoInstant: string): string {
  return new Date(Date.parse(isoInstant) + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The instant of a Beijing wall-clock time on a date, e.g. ('2026-10-16', '10:00'). */
export function beijingInstant(date: string, hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`not a time of day: ${hhmm}`);
  return toDayNumber(date) * MS_PER_DAY + (Number(m[1]) * 60 + Number(m[2])) * 60_000 - BEIJING_OFFSET_MS;
}

export class CalendarDataError extends Error {}

export class WorkingDayCalendar {
  private readonly holidays = new Set<string>();
  private readonly makeUps = new Set<string>();
  private readonly years = new Set<number>();

  constructor(schedules: readonly YearSchedule[] = OFFICIAL_SCHEDULES) {
    for (const s of schedules) this.load(s);
  }

  /** Validates and adds one year's official schedule; refuses a year already loaded or dates outside it. */
  static validate(s: YearSchedule): string | null {
    if (!Number.isInteger(s.year) || s.year < 2000 || s.year > 2200) return 'year must be an integer between 2000 and 2200';
    for (const d of [...s.holidays, ...s.makeUpWorkdays]) {
      if (!isIsoDate(d)) return `not a calendar date: ${d}`;
      if (!d.startsWith(`${s.year}-`)) return `${d} is not in ${s.year}`;
    }
    const both = s.holidays.filter((d) => s.makeUpWorkdays.includes(d));
    if (both.length) return `${both[0]} is both a holiday and a make-up working day`;
    return null;
  }

  /**
   * A new year's proposal, checked more strictly than `validate` (which also loads years approved
   * before these checks existed): a make-up working day is a Saturday or Sunday (a weekday is a
   * working day already), and no date is listed twice.
   */
  static validateProposal(s: YearSchedule): string | null {
    const basic = WorkingDayCalendar.validate(s);
    if (basic) return basic;
    for (const list of [s.holidays, s.makeUpWorkdays]) {
      const twice = list.find((d, i) => list.indexOf(d) !== i);
      if (twice) return `${twice} is listed twice`;
    }
    const weekday = s.makeUpWorkdays.find((d) => {
      const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
      return dow !== 0 && dow !== 6;
    });
    if (weekday) return `${weekday} is a weekday: make-up working days are Saturdays or Sundays`;
    return null;
  }

  load(s: YearSchedule): void {
    const problem = WorkingDayCalendar.validate(s);
    if (problem) throw new CalendarDataError(problem);
    if (this.years.has(s.year)) throw new CalendarDataError(`${s.year} is already loaded`);
    this.years.add(s.year);
    for (const d of s.holidays) this.holidays.add(d);
    for (const d of s.makeUpWorkdays) this.makeUps.add(d);
  }

  loadedYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  isOfficial(date: string): boolean {
    return this.years.has(Number(date.slice(0, 4)));
  }

  isWorkingDay(date: string): boolean {
    const weekday = new Date(toDayNumber(date) * MS_PER_DAY).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    if (this.isOfficial(date)) {
      if (this.makeUps.has(date)) return true;
      return !weekend && !this.holidays.has(date);
    }
    return !weekend && !PROVISIONAL_FIXED_HOLIDAYS.includes(date.slice(5));
  }

  /** The first working day on or after `date`. */
  firstWorkingDayOnOrAfter(date: string): CalendarDate {
    return this.nthWorkingDay(date, 1);
  }

  /**
   * The n-th working day counting the first working day on or after `start` as day 1
   * (the disclosure rule: "20 working days counting the first working day on or after approval").
   */
  nthWorkingDay(start: string, n: number): CalendarDate {
    if (!Number.isInteger(n) || n < 1) throw new Error(`n must be a positive integer, got ${n}`);
    let provisional = false;
    let count = 0;
    let day = toDayNumber(start);
    for (let i = 0; i < MAX_SPAN_DAYS; i++, day++) {
      const date = fromDayNumber(day);
      provisional ||= !this.isOfficial(date);
      if (this.isWorkingDay(date) && ++count === n) return { date, provisional };
    }
    throw new Error(`no ${n}th working day within ${MAX_SPAN_DAYS} days of ${start}`);
  }

  /** The date N working days after `date` (the start itself is not counted): a deadline "within N working days". */
  addWorkingDays(date: string, n: number): CalendarDate {
    if (n === 0) return { date, provisional: !this.isOfficial(date) };
    return this.nthWorkingDay(addCalendarDays(date, 1), n);
  }

  /** Working days in (from, to]: how many working days have passed from one date to a later one. */
  workingDaysBetween(from: string, to: string): { days: number; provisional: boolean } {
    const a = toDayNumber(from);
    const b = toDayNumber(to);
    if (b < a) return { days: -this.workingDaysBetween(to, from).days, provisional: this.workingDaysBetween(to, from).provisional };
    if (b - a > MAX_SPAN_DAYS) throw new Error(`span longer than ${MAX_SPAN_DAYS} days`);
    let days = 0;
    let provisional = false;
    for (let d = a + 1; d <= b; d++) {
      const date = fromDayNumber(d);
      provisional ||= !this.isOfficial(date);
      if (this.isWorkingDay(date)) days++;
    }
    return { days, provisional };
  }
}
