/**
 * What the seller (or an operator) does with a listing that closed without a qualified buyer —
 * extend, reprice and relist, or end — plus the seller's withdrawal and an operator's suspension.
 *
 * A reprice starts a new round: new terms mean a new disclosure, so the listing goes back to
 * `submitted` for a fresh review and four-eyes approval, and the buyer list starts empty.
 */
import { addCalendarDays, beijingDate, beijingInstant, type WorkingDayCalendar } from '../../../shared/calendar';
import { rulesOf } from './rules';
import { refundAllHeld } from './buyers';
import { shiftQualification } from './qualification-phase';
import { checkAppraisalValid, checkDepositCap, checkGateAt, checkNinetyGate, checkReappraisal, recordedConsent } from './state-owned';
import { done, endOfBeijingDay, fail, isListingSeller, isOperator, laterDate, nonEmptyText, positiveYuan, type Step } from './support';
import type { Disclosure, Listing, ListingContext, ListingState } from './types';

const isNoBuyer = (l: Listing): boolean => l.state === 'closed' && l.branch === 'no_buyer';

/** Extends disclosure by N ≥ 5 working days counted after the later of the old end date and today. */
export function extend(l: Listing, cmd: { workingDays?: number }, ctx: ListingContext): Step {
  const { actor, now, calendar } = ctx;
  const r = l.rules;
  const n = cmd.workingDays ?? r.minExtensionWorkingDays;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > r.maxExtensionWorkingDays) {
    return fail('VALIDATION_FAILED', `workingDays must be a whole number up to ${r.maxExtensionWorkingDays}`);
  }
  if (!isListingSeller(l, actor) && !isOperator(actor)) return fail('FORBIDDEN', 'only the seller or an operator extends a listing');
  if (!isNoBuyer(l))
    return fail('INVALID_STATE', 'a listing is extended only after disclosure closed without a qualified buyer', {
      reason: 'no_buyer_outcome',
      state: l.state,
    });
  if (n < r.minExtensionWorkingDays)
    return fail('EXTENSION_TOO_SHORT', `each extension is at least ${r.minExtensionWorkingDays} working days`, {
      minimum: String(r.minExtensionWorkingDays),
    });
  const today = beijingDate(now);
  // A further disclosure, like the first, needs an appraisal that is still valid (domain.md: 1 year from its base date).
  const problem = checkReappraisal(l, today) ?? (l.stateOwned ? checkAppraisalValid(l.stateOwned, today, r) : null);
  if (problem) return problem;
  const d = l.disclosure!;
  const to = calendar.addWorkingDays(laterDate(d.endDate, today), n);
  l.extensions.push({ at: now, byUserId: actor.userId, workingDays: n, fromEndDate: d.endDate, toEndDate: to.date });
  l.disclosure = {
    ...d,
    endDate: to.date,
    provisional: to.provisional,
    workingDays: d.workingDays + n,
    closesAt: endOfBeijingDay(to.date),
  };
  l.state = 'disclosure';
  l.branch = null;
  l.bidding = null;
  // The next close starts a new qualification phase; the registrants keep their settled handshakes.
  l.qualificationPhase = null;
  return done([
    {
      type: 'listing_extended',
      listingId: l.id,
      at: now,
      workingDays: n,
      fromEndDate: d.endDate,
      toEndDate: to.date,
      provisional: to.provisional,
    },
  ]);
}

export interface RepriceCommand {
  askPrice: string;
  belowNinetyApprovalRef?: string;
  depositAmount?: string;
  buyerConditions?: string[];
}

export function reprice(l: Listing, cmd: RepriceCommand, ctx: ListingContext): Step {
  const { actor, now, calendar } = ctx;
  const askPrice = positiveYuan(cmd.askPrice);
  if (!askPrice) return fail('VALIDATION_FAILED', 'askPrice must be a positive yuan amount string');
  const depositAmount = cmd.depositAmount === undefined ? l.depositAmount : positiveYuan(cmd.depositAmount);
  if (!depositAmount) return fail('VALIDATION_FAILED', 'depositAmount must be a positive yuan amount string');
  if (cmd.belowNinetyApprovalRef !== undefined && !nonEmptyText(cmd.belowNinetyApprovalRef, 200)) {
    return fail('VALIDATION_FAILED', 'belowNinetyApprovalRef must be a non-empty text when given');
  }
  const conditions = cmd.buyerConditions;
  if (
    conditions !== undefined &&
    (!Array.isArray(conditions) || conditions.length > 20 || !conditions.every((c) => nonEmptyText(c, 500)))
  ) {
    return fail('VALIDATION_FAILED', 'buyerConditions must be up to 20 non-empty texts');
  }
  if (!isListingSeller(l, actor)) return fail('FORBIDDEN', 'only the seller reprices its listing');
  if (!isNoBuyer(l))
    return fail('INVALID_STATE', 'a listing is repriced only after disclosure closed without a qualified buyer', {
      reason: 'no_buyer_outcome',
      state: l.state,
    });
  const so = l.stateOwned;
  if (so) {
    const today = beijingDate(now);
    // A consent sent with this reprice covers this price; one recorded earlier covers only its own price and above.
    const consent =
      cmd.belowNinetyApprovalRef !== undefined ? { ref: cmd.belowNinetyApprovalRef, price: askPrice } : recordedConsent(so, l.askPrice);
    const problem =
      checkReappraisal(l, today) ?? checkAppraisalValid(so, today, l.rules) ?? checkNinetyGate(so, askPrice, consent, l.rules);
    if (problem) return problem;
    if (cmd.belowNinetyApprovalRef !== undefined) {
      so.belowNinetyApprovalRef = cmd.belowNinetyApprovalRef;
      so.belowNinetyApprovedPrice = askPrice;
    }
  }
  const capProblem = checkDepositCap(so !== null, askPrice, depositAmount, l.rules);
  if (capProblem) return capProblem;
  const events = refundAllHeld(l, 'listing_repriced', now, calendar);
  const fromAskPrice = l.askPrice;
  Object.assign(l, {
    askPrice,
    depositAmount,
    round: l.round + 1,
    state: 'submitted' as ListingState,
    branch: null,
    submittedAt: now,
    reviewedByUserId: null,
    reviewedAt: null,
    approvedByUserId: null,
    approvedAt: null,
    disclosure: null,
    buyers: [],
    bidding: null,
    qualificationPhase: null,
  });
  if (conditions) l.buyerConditions = conditions.map((c) => c.trim());
  return done([
    {
      type: 'listing_repriced',
      listingId: l.id,
      at: now,
      fromAskPrice,
      toAskPrice: askPrice,
      belowNinetyApprovalRef: so?.belowNinetyApprovalRef ?? null,
      round: l.round,
    },
    ...events,
  ]);
}

export function end(l: Listing, cmd: { reason?: string }, ctx: ListingContext): Step {
  if (cmd.reason !== undefined && !nonEmptyText(cmd.reason, 1000)) return fail('VALIDATION_FAILED', 'reason must be a non-empty text');
  if (!isListingSeller(l, ctx.actor) && !isOperator(ctx.actor)) return fail('FORBIDDEN', 'only the seller or an operator ends a listing');
  if (!isNoBuyer(l))
    return fail('INVALID_STATE', 'a listing is ended only after disclosure closed without a qualified buyer', {
      reason: 'no_buyer_outcome',
      state: l.state,
    });
  l.state = 'ended';
  l.endReason = cmd.reason ?? 'no qualified buyer';
  return done([
    { type: 'listing_ended', listingId: l.id, at: ctx.now, reason: l.endReason },
    ...refundAllHeld(l, 'listing_ended', ctx.now, ctx.calendar),
  ]);
}

const SELLER_MAY_WITHDRAW: readonly ListingState[] = [
  'draft',
  'submitted',
  'reviewed',
  'approved',
  'disclosure',
  'qualification',
  'closed',
];

/** The seller withdraws before bidding opens; every deposit held is refunded (the buyers did nothing wrong). */
export function sellerWithdraw(l: Listing, ctx: ListingContext): Step {
  const effective = l.state === 'suspended' ? l.suspension!.from : l.state;
  if (!SELLER_MAY_WITHDRAW.includes(effective))
    return fail('INVALID_STATE', `the seller cannot withdraw in state ${l.state}`, { reason: 'listing_state', state: l.state });
  l.state = 'withdrawn';
  l.suspension = null;
  return done([
    { type: 'listing_withdrawn', listingId: l.id, at: ctx.now, byUserId: ctx.actor.userId },
    ...refundAllHeld(l, 'listing_withdrawn', ctx.now, ctx.calendar),
  ]);
}

const SUSPENDABLE: readonly ListingState[] = [
  'approved',
  'disclosure',
  'qualification',
  'closed',
  'bidding',
  'bidding_closed',
  'award_pending',
];

/** An operator suspends the listing: every timer stops until it resumes. */
export function suspend(l: Listing, cmd: { reason: string }, ctx: ListingContext): Step {
  if (!nonEmptyText(cmd.reason, 1000)) return fail('VALIDATION_FAILED', 'suspend needs a reason', { reason: 'reason_required' });
  if (!isOperator(ctx.actor)) return fail('FORBIDDEN', 'only an operator suspends a listing');
  if (!SUSPENDABLE.includes(l.state))
    return fail('INVALID_STATE', `cannot suspend in state ${l.state}`, { reason: 'listing_state', state: l.state });
  l.suspension = { from: l.state, at: ctx.now, byUserId: ctx.actor.userId, reason: cmd.reason };
  const from = l.state;
  l.state = 'suspended';
  return done([{ type: 'listing_suspended', listingId: l.id, at: ctx.now, reason: cmd.reason, from }]);
}

/**
 * Resumes where the listing was. Disclosure: a state-owned listing then runs at least the rule's total
 * working days of disclosure (20) and at least the rule's working days more (10), counted after the day
 * of resumption; any other listing gets back the working days the suspension took. A bidding round gets
 * back the time it lost (its deadlines shift by the pause); a bidding opening that passed during the
 * pause moves to the next working day at the opening time; the qualification phase gets back the
 * working days lost (its opinion, answer and deposit deadlines move by them). (A suspension that ran out ended the
 * listing by timer before this could run: limits.ts.)
 */
export function resume(l: Listing, ctx: ListingContext): Step {
  const { now, calendar } = ctx;
  if (!isOperator(ctx.actor)) return fail('FORBIDDEN', 'only an operator resumes a listing');
  if (l.state !== 'suspended' || !l.suspension)
    return fail('INVALID_STATE', 'the listing is not suspended', { reason: 'listing_state', state: l.state });
  const gate = checkGateAt(l, l.pendingAward?.price ?? l.askPrice);
  if (gate) return gate;
  const { from, at } = l.suspension;
  const d = l.disclosure;
  if ((from === 'approved' || from === 'disclosure') && d) {
    const to = l.stateOwned ? stateOwnedResumedEnd(l, d, at, now, calendar) : givenBack(d, at, now, calendar);
    if (to) {
      l.disclosure = {
        ...d,
        endDate: to.date,
        provisional: to.provisional,
        workingDays: to.workingDays,
        closesAt: endOfBeijingDay(to.date),
      };
    }
  }
  if (from === 'qualification') shiftQualification(l, calendar.workingDaysBetween(beijingDate(at), beijingDate(now)).days, calendar);
  const b = l.bidding;
  if (b && from === 'bidding') {
    const pausedMs = now - at;
    if (b.freeEndsAt !== null) b.freeEndsAt += pausedMs;
    if (b.closesAt !== null) b.closesAt += pausedMs;
  }
  if (b && from === 'closed' && b.phase === 'scheduled' && b.opensAt <= now) {
    b.opensAt = beijingInstant(calendar.addWorkingDays(beijingDate(now), 1).date, l.rules.biddingOpensAtBeijingTime);
  }
  l.state = from;
  l.suspension = null;
  return done([{ type: 'listing_resumed', listingId: l.id, at: now, to: from }]);
}

type ResumedEnd = { date: string; provisional: boolean; workingDays: number };

function givenBack(d: Disclosure, at: number, now: number, calendar: WorkingDayCalendar): ResumedEnd | null {
  const lost = calendar.workingDaysBetween(beijingDate(at), beijingDate(now)).days;
  if (lost <= 0) return null;
  const to = calendar.addWorkingDays(d.endDate, lost);
  return { ...to, workingDays: d.workingDays + lost };
}

/** Working days of disclosure served before the suspension (from the start date to the day before it). */
function servedBefore(d: Disclosure, at: number, calendar: WorkingDayCalendar): number {
  const suspendedOn = beijingDate(at);
  if (suspendedOn <= d.startDate) return 0;
  const beforeStart = addCalendarDays(d.startDate, -1);
  return calendar.workingDaysBetween(beforeStart, addCalendarDays(suspendedOn, -1)).days;
}

function stateOwnedResumedEnd(l: Listing, d: Disclosure, at: number, now: number, calendar: WorkingDayCalendar): ResumedEnd {
  const r = rulesOf(l.rules);
  const served = servedBefore(d, at, calendar);
  const total = Math.max(d.workingDays, r.resumeMinTotalWorkingDays);
  const more = Math.max(r.resumeMinRemainingWorkingDays, total - served);
  const to = calendar.addWorkingDays(laterDate(beijingDate(now), addCalendarDays(d.startDate, -1)), more);
  return { ...to, workingDays: served + more };
}

/** An obstacle that cannot be removed: an operator terminates a suspended listing with a reason; deposits held are refunded. */
export function terminate(l: Listing, cmd: { reason: string }, ctx: ListingContext): Step {
  if (!nonEmptyText(cmd.reason, 1000)) return fail('VALIDATION_FAILED', 'terminate needs a reason');
  if (!isOperator(ctx.actor)) return fail('FORBIDDEN', 'only an operator terminates a listing');
  if (l.state !== 'suspended') return fail('INVALID_STATE', 'only a suspended listing is terminated (an obstacle that cannot be removed)');
  l.state = 'ended';
  l.endReason = cmd.reason;
  l.suspension = null;
  l.pendingAward = null;
  return done([
    { type: 'listing_ended', listingId: l.id, at: ctx.now, reason: cmd.reason },
    ...refundAllHeld(l, 'listing_ended', ctx.now, ctx.calendar),
  ]);
}
