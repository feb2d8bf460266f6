/**
 * The qualification phase (state `qualification`, handshake.ts): between the disclosure end and the deposit
 * deadline. Its timers lapse missing opinions at the opinion deadline, deem silent answers agreement at
 * 00:00 Beijing after their due date, and close it at the deposit deadline (held while an objection is
 * open), deciding the branch from the settled buyers with confirmed deposits; it closes early once nothing
 * can change any more. A suspension gives back the working days it took.
 */
import { beijingDate, beijingInstant, type WorkingDayCalendar } from '../../../shared/calendar';
import { branchFor, buyersIn, isActive, refundDeposit } from './buyers';
import { answerDue, anyObjectionOpen, handshakeSettled, NO_OPINION_CODE, plannedDeadlines } from './handshake';
import { endOfBeijingDay } from './support';
import type { Buyer, Listing, ListingEvent } from './types';
/**
 * Disclosure ended with something still to settle: the qualification phase starts. The answer windows of
 * opinions given during disclosure count from the end date (it may have moved since the opinion).
 */
export function startQualification(l: Listing, t: number, calendar: WorkingDayCalendar): ListingEvent[] {
  const endDate = l.disclosure!.endDate;
  const planned = plannedDeadlines(l, endDate, calendar);
  l.qualificationPhase = {
    startedAt: t,
    opinionDeadline: planned.opinion.date,
    opinionDeadlineProvisional: planned.opinion.provisional,
    depositDeadline: planned.deposit.date,
    depositDeadlineProvisional: planned.deposit.provisional,
  };
  for (const b of l.buyers) {
    const h = b.handshake;
    if (!isActive(b) || !h || h.answer !== null) continue;
    const due = answerDue(l, h.opinionAt, calendar);
    h.answerDueDate = due.date;
    h.answerDueProvisional = due.provisional;
  }
  l.state = 'qualification';
  l.branch = null;
  l.bidding = null;
  return [
    {
      type: 'qualification_started',
      listingId: l.id,
      at: t,
      endDate,
      opinionDeadline: planned.opinion.date,
      depositDeadline: planned.deposit.date,
      provisional: planned.deposit.provisional,
    },
  ];
}

const waitingForOpinion = (b: Buyer): boolean => isActive(b) && b.qualification === 'pending' && !b.handshake;
const waitingForAnswer = (b: Buyer): boolean => isActive(b) && b.handshake?.answer === null && b.handshake.answerDueDate !== null;

/** The next instant something happens in the qualification phase: an opinion lapses, an answer is deemed, deposits close. */
export function qualificationTimerAt(l: Listing): number | null {
  const phase = l.qualificationPhase;
  if (!phase) return null;
  const at: number[] = [];
  if (l.buyers.some(waitingForOpinion)) at.push(endOfBeijingDay(phase.opinionDeadline));
  for (const b of l.buyers) if (waitingForAnswer(b)) at.push(endOfBeijingDay(b.handshake!.answerDueDate!));
  // An open objection holds the deposit deadline until its resolution is confirmed.
  if (!anyObjectionOpen(l)) at.push(endOfBeijingDay(phase.depositDeadline));
  return at.length ? Math.min(...at) : null;
}

/** Applies what falls due at `t`: missing opinions lapse, silence becomes agreement, then the close (deadline or early). */
export function qualificationTransition(l: Listing, t: number, calendar: WorkingDayCalendar): ListingEvent[] {
  const phase = l.qualificationPhase!;
  const events: ListingEvent[] = [];
  if (endOfBeijingDay(phase.opinionDeadline) <= t) {
    for (const b of l.buyers.filter(waitingForOpinion)) {
      b.qualification = 'refused';
      b.qualificationCode = NO_OPINION_CODE;
      events.push(
        { type: 'buyer_qualified', listingId: l.id, at: t, orgId: b.orgId, alias: b.alias, eligible: false, reasonCode: NO_OPINION_CODE },
        ...refundDeposit(l, b, 'not_qualified', t, calendar),
      );
    }
  }
  for (const b of l.buyers.filter(waitingForAnswer)) {
    const h = b.handshake!;
    if (endOfBeijingDay(h.answerDueDate!) > t) continue;
    h.answer = 'deemed';
    h.answeredAt = t;
    b.qualification = 'qualified';
    events.push({ type: 'seller_answer_deemed', listingId: l.id, at: t, orgId: b.orgId, alias: b.alias, dueDate: h.answerDueDate! });
  }
  const deadlinePassed = !anyObjectionOpen(l) && endOfBeijingDay(phase.depositDeadline) <= t;
  if (deadlinePassed) return [...events, ...closeQualification(l, t, calendar, false)];
  return [...events, ...closeWhenSettled(l, t, calendar)];
}

/** Early close: in the qualification phase, once nothing can change any more, the branch is decided at once. */
export function closeWhenSettled(l: Listing, at: number, calendar: WorkingDayCalendar): ListingEvent[] {
  return l.state === 'qualification' && handshakeSettled(l) ? closeQualification(l, at, calendar, true) : [];
}

/**
 * The branch from the buyers settled-qualified with a confirmed deposit. Bidding opens on the first working
 * day after the closing date: the date whose end the deadline timer marks, or the day of an early close
 * (`at - 1` is the deadline's own date at 00:00 after it, and the same day at any other instant).
 */
function closeQualification(l: Listing, at: number, calendar: WorkingDayCalendar, early: boolean): ListingEvent[] {
  const n = buyersIn(l).length;
  const branch = branchFor(n);
  l.state = 'closed';
  l.branch = branch;
  l.bidding = null;
  if (branch === 'auction') {
    const day = calendar.addWorkingDays(beijingDate(at - 1), 1).date;
    l.bidding = {
      opensAt: beijingInstant(day, l.rules.biddingOpensAtBeijingTime),
      phase: 'scheduled',
      freeEndsAt: null,
      closesAt: null,
      closedAt: null,
      bids: [],
    };
  }
  const depositDeadline = l.qualificationPhase!.depositDeadline;
  return [{ type: 'qualification_closed', listingId: l.id, at, depositDeadline, qualifiedBuyers: n, branch, early }];
}

/** On resumption the phase gets back the working days the suspension took: every deadline still ahead moves by them. */
export function shiftQualification(l: Listing, lostWorkingDays: number, calendar: WorkingDayCalendar): void {
  const phase = l.qualificationPhase;
  if (!phase || lostWorkingDays <= 0) return;
  const move = (date: string) => calendar.addWorkingDays(date, lostWorkingDays);
  const opinion = move(phase.opinionDeadline);
  const deposit = move(phase.depositDeadline);
  Object.assign(phase, {
    opinionDeadline: opinion.date,
    opinionDeadlineProvisional: opinion.provisional,
    depositDeadline: deposit.date,
    depositDeadlineProvisional: deposit.provisional,
  });
  for (const b of l.buyers.filter(waitingForAnswer)) {
    const due = move(b.handshake!.answerDueDate!);
    b.handshake!.answerDueDate = due.date;
    b.handshake!.answerDueProvisional = due.provisional;
  }
}
