/**
 * The qualification handshake (资格确认, state-owned practice at CBEX; domain.md): after disclosure the
 * exchange gives its opinion on each registrant (`qualify`), the transferor answers each positive opinion
 * (`seller_answer`: agree, or object with a reason; silence until its due date counts as agreement), an
 * objection goes to the state-asset regulator and two operators record and confirm its decision
 * (`resolve_objection`, `confirm_resolution`), and only a settled buyer's deposit is accepted.
 *
 * A buyer's `qualification` stays `pending` until its handshake settles, so `qualified` always means
 * settled-qualified (the branch, bidding, the 12-month rule and the award read only that). The phase
 * between disclosure end and the deposit deadline, with its timers, is qualification-phase.ts.
 */
import { beijingDate, type CalendarDate, type WorkingDayCalendar } from '../../../shared/calendar';
import { unsafeTextReason } from '../../../shared/text';
import { findBuyer, holdsDeposit, isActive, refundDeposit } from './buyers';
import { rulesOf } from './rules';
import { done, fail, isListingSeller, isOperator, laterDate, nonEmptyText, type Step } from './support';
import type { Buyer, BuyerHandshake, Listing, ListingContext, ListingError, ListingEvent, ObjectionOutcome } from './types';

/** The qualification code of a registrant that had no opinion by the opinion deadline. */
export const NO_OPINION_CODE = 'NO_QUALIFICATION_OPINION';
/** The qualification code of a registrant refused because the transferor's objection was upheld. */
export const OBJECTION_UPHELD_CODE = 'TRANSFEROR_OBJECTION';

const MAX_REASON_CHARS = 2000;
const MAX_REF_CHARS = 200;

export const hasHandshake = (l: Listing): boolean => l.stateOwned !== null && rulesOf(l.rules).stateOwnedQualificationHandshake;

/** Where one registrant's handshake stands (for the views): each value has its own words in both languages. */
export type HandshakeStatus =
  | 'opinion_pending'
  | 'answer_pending'
  | 'objection_open'
  | 'resolution_pending'
  | 'agreed'
  | 'deemed_agreed'
  | 'objection_dismissed'
  | 'objection_upheld'
  | 'refused'
  | 'no_opinion';

export function handshakeStatus(b: Buyer): HandshakeStatus {
  const h = b.handshake;
  if (!h) {
    if (b.qualification === 'pending') return 'opinion_pending';
    return b.qualificationCode === NO_OPINION_CODE ? 'no_opinion' : 'refused';
  }
  if (h.answer === null) return 'answer_pending';
  if (h.answer === 'agree') return 'agreed';
  if (h.answer === 'deemed') return 'deemed_agreed';
  if (!h.resolution) return 'objection_open';
  if (h.resolution.confirmedAt === null) return 'resolution_pending';
  return h.resolution.outcome === 'uphold' ? 'objection_upheld' : 'objection_dismissed';
}

/** An objection not yet settled by a confirmed resolution: it holds the deposit deadline. */
const objectionOpen = (b: Buyer): boolean =>
  isActive(b) && b.handshake?.answer === 'object' && (b.handshake.resolution?.confirmedAt ?? null) === null;

export const anyObjectionOpen = (l: Listing): boolean => l.buyers.some(objectionOpen);

/** Nothing can change any more: every registrant refused, or settled-qualified with its deposit confirmed. */
export const handshakeSettled = (l: Listing): boolean =>
  l.buyers.filter(isActive).every((b) => b.qualification === 'refused' || (b.qualification === 'qualified' && holdsDeposit(b)));

/** The opinion deadline and the deposit deadline a disclosure ending on `endDate` gives (before any objection moves it). */
export function plannedDeadlines(
  l: Listing,
  endDate: string,
  calendar: WorkingDayCalendar,
): { opinion: CalendarDate; deposit: CalendarDate } {
  const r = rulesOf(l.rules);
  const opinion = calendar.addWorkingDays(endDate, r.qualificationOpinionWorkingDays);
  const deposit = calendar.addWorkingDays(opinion.date, r.sellerAnswerWorkingDays + r.depositWorkingDays);
  return { opinion, deposit: { date: deposit.date, provisional: deposit.provisional || opinion.provisional } };
}

/** The transferor answers within N working days of the later of the opinion and the disclosure end. */
export function answerDue(l: Listing, opinionAt: number, calendar: WorkingDayCalendar): CalendarDate {
  const from = l.disclosure ? laterDate(beijingDate(opinionAt), l.disclosure.endDate) : beijingDate(opinionAt);
  return calendar.addWorkingDays(from, rulesOf(l.rules).sellerAnswerWorkingDays);
}

/** The exchange's positive opinion opens the buyer's handshake; the buyer stays `pending` until it settles. */
export function openHandshake(l: Listing, b: Buyer, ctx: ListingContext): void {
  const due = answerDue(l, ctx.now, ctx.calendar);
  b.handshake = {
    opinionAt: ctx.now,
    opinionByUserId: ctx.actor.userId,
    answerDueDate: due.date,
    answerDueProvisional: due.provisional,
    answer: null,
    answeredAt: null,
    answeredByUserId: null,
    objectionReason: null,
    resolution: null,
  };
}

/** A state-owned listing's handshake commands run during disclosure and the qualification phase only. */
function stateProblem(l: Listing): ListingError | null {
  if (!hasHandshake(l)) return fail('INVALID_STATE', 'this listing has no qualification handshake', { reason: 'no_handshake' });
  if (l.state !== 'disclosure' && l.state !== 'qualification')
    return fail('INVALID_STATE', `no qualification handshake in state ${l.state}`, { reason: 'listing_state', state: l.state });
  return null;
}

function freeText(s: unknown, max: number, multiline: boolean): s is string {
  return nonEmptyText(s, max) && unsafeTextReason(s, { multiline }) === null;
}

export function sellerAnswer(l: Listing, cmd: { orgId: string; answer: string; reason?: string }, ctx: ListingContext): Step {
  if (!nonEmptyText(cmd.orgId, 200) || (cmd.answer !== 'agree' && cmd.answer !== 'object'))
    return fail('VALIDATION_FAILED', 'seller_answer needs {orgId, answer: "agree" | "object", reason with an objection}');
  if (cmd.answer === 'object' && !freeText(cmd.reason, MAX_REASON_CHARS, true))
    return fail('VALIDATION_FAILED', `an objection needs a reason (text up to ${MAX_REASON_CHARS} characters)`, {
      reason: 'reason_required',
    });
  if (cmd.answer === 'agree' && cmd.reason !== undefined) return fail('VALIDATION_FAILED', 'a reason goes only with an objection');
  if (!isListingSeller(l, ctx.actor)) return fail('FORBIDDEN', "only the transferor's seller user answers the exchange's opinion");
  const problem = stateProblem(l);
  if (problem) return problem;
  const b = findBuyer(l, cmd.orgId);
  if (!b || !isActive(b)) return fail('NOT_REGISTERED', 'that organisation has no registration in this round');
  const h = b.handshake;
  if (!h || h.answer !== null)
    return fail('INVALID_STATE', 'there is no positive opinion on this buyer waiting for an answer', { reason: 'nothing_to_answer' });
  h.answer = cmd.answer;
  h.answeredAt = ctx.now;
  h.answeredByUserId = ctx.actor.userId;
  if (cmd.answer === 'agree') b.qualification = 'qualified';
  else h.objectionReason = cmd.reason!.trim();
  return done([
    {
      type: 'seller_answered',
      listingId: l.id,
      at: ctx.now,
      orgId: b.orgId,
      alias: b.alias,
      answer: cmd.answer,
      reason: h.objectionReason,
    },
  ]);
}

function openObjectionOf(l: Listing, orgId: string): { buyer: Buyer; h: BuyerHandshake } | ListingError {
  const b = findBuyer(l, orgId);
  if (!b || !isActive(b)) return fail('NOT_REGISTERED', 'that organisation has no registration in this round');
  if (!objectionOpen(b))
    return fail('INVALID_STATE', 'the transferor has no open objection to this buyer', { reason: 'no_open_objection' });
  return { buyer: b, h: b.handshake! };
}

/**
 * Operator A (not the one who gave the opinion) records the state-asset regulator's decision on an objection (a new
 * record replaces an unconfirmed one).
 */
export function resolveObjection(l: Listing, cmd: { orgId: string; outcome: string; regulatorRef: string }, ctx: ListingContext): Step {
  if (!nonEmptyText(cmd.orgId, 200) || (cmd.outcome !== 'uphold' && cmd.outcome !== 'dismiss'))
    return fail('VALIDATION_FAILED', 'resolve_objection needs {orgId, outcome: "uphold" | "dismiss", regulatorRef}');
  if (!freeText(cmd.regulatorRef, MAX_REF_CHARS, false))
    return fail('VALIDATION_FAILED', `regulatorRef is the regulator's decision reference (one line, up to ${MAX_REF_CHARS} characters)`);
  if (!isOperator(ctx.actor)) return fail('FORBIDDEN', "only an operator records the regulator's decision");
  const problem = stateProblem(l);
  if (problem) return problem;
  const found = openObjectionOf(l, cmd.orgId);
  if ('ok' in found) return found;
  // The operator who gave the opinion confirms the decision at most, never records it: the confirmer may not take the
  // deposit and the qualifier may not either, so the recorder must be a third person who can (two operators suffice).
  if (found.buyer.qualifiedByUserId === ctx.actor.userId)
    return fail('FOUR_EYES', "the regulator's decision is recorded by an operator other than the one who gave the opinion", {
      reason: 'record_by_qualifier',
    });
  const outcome = cmd.outcome as ObjectionOutcome;
  const regulatorRef = cmd.regulatorRef.trim();
  found.h.resolution = { outcome, regulatorRef, byUserId: ctx.actor.userId, at: ctx.now, confirmedByUserId: null, confirmedAt: null };
  return done([
    {
      type: 'objection_resolution_proposed',
      listingId: l.id,
      at: ctx.now,
      orgId: found.buyer.orgId,
      alias: found.buyer.alias,
      outcome,
      regulatorRef,
      byUserId: ctx.actor.userId,
    },
  ]);
}

/**
 * Operator B ≠ A confirms: upheld, the buyer is refused (TRANSFEROR_OBJECTION) and any deposit it holds is
 * refunded; dismissed, it is qualified. In the qualification phase the deposit deadline then leaves at least
 * the rule's working days after today.
 */
export function confirmResolution(l: Listing, cmd: { orgId: string }, ctx: ListingContext): Step {
  if (!nonEmptyText(cmd.orgId, 200)) return fail('VALIDATION_FAILED', 'confirm_resolution needs {orgId}');
  if (!isOperator(ctx.actor)) return fail('FORBIDDEN', "only an operator confirms the regulator's decision");
  const problem = stateProblem(l);
  if (problem) return problem;
  const found = openObjectionOf(l, cmd.orgId);
  if ('ok' in found) return found;
  const { buyer, h } = found;
  const res = h.resolution;
  if (!res) return fail('INVALID_STATE', "no operator has recorded the regulator's decision yet", { reason: 'no_resolution_pending' });
  if (res.byUserId === ctx.actor.userId)
    return fail('FOUR_EYES', 'the decision is confirmed by a different operator from the one who recorded it', {
      reason: 'resolution_after_record',
    });
  res.confirmedByUserId = ctx.actor.userId;
  res.confirmedAt = ctx.now;
  const events: ListingEvent[] = [];
  if (res.outcome === 'uphold') {
    buyer.qualification = 'refused';
    buyer.qualificationCode = OBJECTION_UPHELD_CODE;
    events.push(...refundDeposit(l, buyer, 'not_qualified', ctx.now, ctx.calendar));
  } else {
    buyer.qualification = 'qualified';
  }
  const phase = l.qualificationPhase;
  if (l.state === 'qualification' && phase) {
    const floor = ctx.calendar.addWorkingDays(beijingDate(ctx.now), rulesOf(l.rules).depositWorkingDays);
    if (floor.date > phase.depositDeadline) {
      phase.depositDeadline = floor.date;
      phase.depositDeadlineProvisional = floor.provisional;
    }
  }
  const resolved: ListingEvent = {
    type: 'objection_resolved',
    listingId: l.id,
    at: ctx.now,
    orgId: buyer.orgId,
    alias: buyer.alias,
    outcome: res.outcome,
    regulatorRef: res.regulatorRef,
    depositDeadline: phase?.depositDeadline ?? null,
  };
  return done([resolved, ...events]);
}

/**
 * The operators who may not take the next step on this buyer's open objection (four eyes), for the desk: the
 * one who gave the opinion does not record the regulator's decision; the one who recorded it does not confirm it.
 * Null when no objection is open.
 */
export function decisionNotBy(b: Buyer): { record: string[]; confirm: string[] } | null {
  const h = b.handshake;
  if (!h || !objectionOpen(b)) return null;
  return {
    record: b.qualifiedByUserId ? [b.qualifiedByUserId] : [],
    confirm: h.resolution ? [h.resolution.byUserId] : [],
  };
}
