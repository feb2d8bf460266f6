/**
 * Provisional listing dates made final. A date computed beyond the loaded official calendar years uses
 * the provisional rule (weekends and fixed-date holidays only) and is marked provisional; when an
 * operator approves a year's official schedule, the listing's disclosure end (and its result
 * publication end) are worked out again so that a "20 working day" disclosure really runs 20 working
 * days (Spring Festival included), as transfers' provisional deadlines are.
 *
 * The working days still to run, counted from today with the calendar the date was computed with, are
 * counted again from today with the official one: that keeps whatever the date was built from (the
 * first disclosure, extensions counted from a later day, a resumption) without replaying it. A date that
 * has already passed is not moved (its transition happened); a recomputed date is never before today.
 */
import { addCalendarDays, beijingDate, type WorkingDayCalendar } from '../../../shared/calendar';
import { endOfBeijingDay, laterDate } from './support';
import type { Listing } from './types';

export interface ListingDateChange {
  /** `answerDueDate:<alias>` for a registrant's answer date in the qualification phase. */
  field: 'disclosureEndDate' | 'publicationEndDate' | 'opinionDeadline' | 'depositDeadline' | `answerDueDate:${string}`;
  from: { date: string; provisional: boolean };
  to: { date: string; provisional: boolean };
}

/** States whose disclosure end is still ahead (or paused): the close has not happened yet. */
const DISCLOSURE_AHEAD = new Set(['approved', 'disclosure']);

function recount(
  from: string,
  today: string,
  startFloor: string,
  guess: WorkingDayCalendar,
  official: WorkingDayCalendar,
): { date: string; provisional: boolean } {
  const anchor = laterDate(today, startFloor);
  const left = guess.workingDaysBetween(anchor, from).days;
  const to = official.addWorkingDays(anchor, left);
  return to.date < today ? { date: today, provisional: to.provisional } : to;
}

/**
 * The listing with its provisional dates recounted on `official` (a new value), or null when nothing
 * changes. `guess` is the calendar the dates were computed with (without the newly approved year).
 */
export function recomputeProvisionalDates(
  listing: Listing,
  now: number,
  guess: WorkingDayCalendar,
  official: WorkingDayCalendar,
): { listing: Listing; changes: ListingDateChange[] } | null {
  const today = beijingDate(now);
  const l = structuredClone(listing);
  const changes: ListingDateChange[] = [];
  const state = l.state === 'suspended' && l.suspension ? l.suspension.from : l.state;
  const d = l.disclosure;
  if (d && d.provisional && DISCLOSURE_AHEAD.has(state) && d.endDate >= today) {
    const to = recount(d.endDate, today, addCalendarDays(d.startDate, -1), guess, official);
    if (to.date !== d.endDate || to.provisional !== d.provisional) {
      changes.push({ field: 'disclosureEndDate', from: { date: d.endDate, provisional: d.provisional }, to });
      l.disclosure = { ...d, endDate: to.date, provisional: to.provisional, closesAt: endOfBeijingDay(to.date) };
    }
  }
  if (state === 'qualification') changes.push(...recountPhase(l, today, guess, official));
  const a = l.award;
  if (a && !a.defaultedAt && a.publicationProvisional && a.publicationEndDate >= today) {
    const to = recount(a.publicationEndDate, today, a.publicationStartDate, guess, official);
    if (to.date !== a.publicationEndDate || to.provisional !== a.publicationProvisional) {
      changes.push({ field: 'publicationEndDate', from: { date: a.publicationEndDate, provisional: true }, to });
      l.award = { ...a, publicationEndDate: to.date, publicationProvisional: to.provisional };
    }
  }
  if (changes.length === 0) return null;
  l.updatedAt = Math.max(l.updatedAt, now);
  return { listing: l, changes };
}

/**
 * The qualification phase's provisional dates (its deadlines and the answer dates still ahead), each recounted
 * from today like the disclosure end; the floor is the disclosure end date, from which they were counted.
 */
function recountPhase(l: Listing, today: string, guess: WorkingDayCalendar, official: WorkingDayCalendar): ListingDateChange[] {
  const phase = l.qualificationPhase;
  if (!phase || !l.disclosure) return [];
  const floor = l.disclosure.endDate;
  const changes: ListingDateChange[] = [];
  const again = (field: ListingDateChange['field'], date: string, provisional: boolean) => {
    if (!provisional || date < today) return null;
    const to = recount(date, today, floor, guess, official);
    if (to.date === date && to.provisional === provisional) return null;
    changes.push({ field, from: { date, provisional }, to });
    return to;
  };
  const opinion = again('opinionDeadline', phase.opinionDeadline, phase.opinionDeadlineProvisional);
  if (opinion) Object.assign(phase, { opinionDeadline: opinion.date, opinionDeadlineProvisional: opinion.provisional });
  const deposit = again('depositDeadline', phase.depositDeadline, phase.depositDeadlineProvisional);
  if (deposit) Object.assign(phase, { depositDeadline: deposit.date, depositDeadlineProvisional: deposit.provisional });
  for (const b of l.buyers) {
    const h = b.handshake;
    if (!h || h.answer !== null || h.answerDueDate === null) continue;
    const due = again(`answerDueDate:${b.alias}`, h.answerDueDate, h.answerDueProvisional);
    if (due) Object.assign(h, { answerDueDate: due.date, answerDueProvisional: due.provisional });
  }
  return changes;
}
