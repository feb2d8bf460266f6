/**
 * From draft to disclosure: the seller submits, one operator reviews, a different operator approves
 * (four eyes), and disclosure runs from the first working day on or after approval for the rule's
 * working days, that day counted as day 1. An operator may reject a submitted listing with a reason.
 */
import { beijingDate, beijingInstant } from '../../../shared/calendar';
import { checkListingTerms } from './create';
import { checkAppraisalValid } from './state-owned';
import { done, endOfBeijingDay, fail, isListingSeller, isOperator, nonEmptyText, type Step } from './support';
import type { Disclosure, Listing, ListingContext } from './types';

export function submit(l: Listing, ctx: ListingContext): Step {
  if (!isListingSeller(l, ctx.actor)) return fail('FORBIDDEN', 'only the seller submits its listing');
  if (l.state !== 'draft') return fail('INVALID_STATE', `cannot submit in state ${l.state}`, { reason: 'listing_state', state: l.state });
  // The appraisal must still be less than a year old at submission; the terms are checked again.
  const problem = checkListingTerms(l, beijingDate(ctx.now));
  if (problem) return problem;
  l.state = 'submitted';
  l.submittedAt = ctx.now;
  return done([{ type: 'listing_submitted', listingId: l.id, at: ctx.now }]);
}

export function review(l: Listing, ctx: ListingContext): Step {
  if (!isOperator(ctx.actor)) return fail('FORBIDDEN', 'only an operator reviews listings');
  if (l.state !== 'submitted')
    return fail('INVALID_STATE', `cannot review in state ${l.state}`, { reason: 'listing_state', state: l.state });
  l.state = 'reviewed';
  l.reviewedByUserId = ctx.actor.userId;
  l.reviewedAt = ctx.now;
  return done([{ type: 'listing_reviewed', listingId: l.id, at: ctx.now, byUserId: ctx.actor.userId }]);
}

/** The disclosure window for an approval at `now`: working days counted from the first working day on or after it. */
export function disclosureFor(l: Listing, now: number, ctx: Pick<ListingContext, 'calendar'>): Disclosure {
  const today = beijingDate(now);
  const workingDays = l.stateOwned ? l.rules.stateOwnedDisclosureWorkingDays : l.rules.privateDisclosureWorkingDays;
  const start = ctx.calendar.firstWorkingDayOnOrAfter(today);
  const end = ctx.calendar.nthWorkingDay(today, workingDays);
  return {
    startDate: start.date,
    endDate: end.date,
    provisional: end.provisional,
    workingDays,
    startsAt: Math.max(now, beijingInstant(start.date, '00:00')),
    closesAt: endOfBeijingDay(end.date),
  };
}

export function approve(l: Listing, ctx: ListingContext): Step {
  const { actor, now } = ctx;
  if (!isOperator(actor)) return fail('FORBIDDEN', 'only an operator approves listings');
  if (l.state !== 'reviewed')
    return fail('INVALID_STATE', `cannot approve in state ${l.state}`, { reason: 'listing_state', state: l.state });
  if (actor.userId === l.reviewedByUserId)
    return fail('FOUR_EYES', 'the approver must be a different operator from the reviewer', { reason: 'approve_after_review' });
  // Review can take days: an appraisal that expired since submission cannot back a disclosure.
  const expired = l.stateOwned ? checkAppraisalValid(l.stateOwned, beijingDate(now), l.rules) : null;
  if (expired) return expired;
  const d = disclosureFor(l, now, ctx);
  l.state = 'approved';
  l.approvedByUserId = actor.userId;
  l.approvedAt = now;
  l.disclosure = d;
  l.firstDisclosureStartDate ??= d.startDate;
  return done([
    {
      type: 'listing_approved',
      listingId: l.id,
      at: now,
      byUserId: actor.userId,
      disclosureStartDate: d.startDate,
      disclosureEndDate: d.endDate,
      provisional: d.provisional,
    },
  ]);
}

export function reject(l: Listing, cmd: { reason: string }, ctx: ListingContext): Step {
  if (!nonEmptyText(cmd.reason, 1000)) return fail('VALIDATION_FAILED', 'reject needs a reason', { reason: 'reason_required' });
  if (!isOperator(ctx.actor)) return fail('FORBIDDEN', 'only an operator rejects listings');
  if (l.state !== 'submitted' && l.state !== 'reviewed')
    return fail('INVALID_STATE', `cannot reject in state ${l.state}`, { reason: 'listing_state', state: l.state });
  l.state = 'rejected';
  l.rejection = { byUserId: ctx.actor.userId, at: ctx.now, reason: cmd.reason };
  return done([{ type: 'listing_rejected', listingId: l.id, at: ctx.now, byUserId: ctx.actor.userId, reason: cmd.reason }]);
}
