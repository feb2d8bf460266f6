/**
 * Deadlines of the workflow steps, on the Chinese working-day calendar.
 *
 * A step that starts at instant S has the deadline `addWorkingDays(beijingDate(S), N)`: the N-th working
 * day after the Beijing date of S, that date itself not counted ("within N working days"). The step may
 * be completed at any time on the deadline date, Beijing time; it is missed from 00:00 Beijing on the
 * next calendar day. A deadline that reaches beyond the loaded official years is marked provisional.
 */
import { addCalendarDays, beijingDate, beijingInstant, type WorkingDayCalendar } from '../../../shared/calendar';
import type { RofrWindow, TransferTerms } from './params';
import { invariant } from './results';
import type { Deadline, StepName } from './types';

/** Milliseconds since the epoch of an ISO instant; refuses anything that is not one. */
export function instantMs(iso: string): number {
  const ms = Date.parse(iso);
  invariant(typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(iso) && Number.isFinite(ms), `not an ISO instant: ${iso}`);
  return ms;
}

/** The instant a deadline is missed: 00:00 Beijing on the day after its date. */
export function deadlineClosesAt(deadline: Deadline): string {
  return new Date(beijingInstant(addCalendarDays(deadline.date, 1), '00:00')).toISOString();
}

/** True once `now` is past the end of the deadline's date in Beijing. */
export function isMissed(deadline: Deadline, now: string): boolean {
  return beijingDate(instantMs(now)) > deadline.date;
}

/**
 * The last day of the ROFR window opened at `noticeAt`: N calendar days after the notice's Beijing date
 * (never provisional: no holidays are involved), or N working days after it when the agreement counts so.
 */
export function rofrWindowEnd(noticeAt: string, window: RofrWindow, calendar: WorkingDayCalendar): Deadline {
  const start = beijingDate(instantMs(noticeAt));
  if (window.unit === 'calendar_days') return { date: addCalendarDays(start, window.length), provisional: false };
  return calendar.addWorkingDays(start, window.length);
}

export function workingDaysFor(step: StepName, terms: TransferTerms): number | null {
  switch (step) {
    case 'rofr':
      return null; // the ROFR window has its own rule, see rofrWindowEnd
    case 'gp_consent':
      return terms.deadlines.gpConsentWorkingDays;
    case 'review':
      return terms.deadlines.reviewWorkingDays;
    case 'approval':
      return terms.deadlines.approvalWorkingDays;
    case 'payment':
      return terms.deadlines.paymentWorkingDays;
    case 'registration':
      return terms.deadlines.registrationWorkingDays;
  }
}

/** The deadline of a step starting at `startedAt`. */
export function stepDeadline(step: StepName, startedAt: string, terms: TransferTerms, calendar: WorkingDayCalendar): Deadline {
  if (step === 'rofr') return rofrWindowEnd(startedAt, terms.rofrWindow, calendar);
  const n = workingDaysFor(step, terms);
  invariant(n !== null, `no deadline rule for ${step}`);
  return calendar.addWorkingDays(beijingDate(instantMs(startedAt)), n);
}
