/**
 * GP consent and the exchange's review and approval (four eyes: the approving operator must not be the
 * one who reviewed). Refusal and rejection end the transfer and free the seller's units.
 */
import { beijingDate } from '../../../shared/calendar';
import { instantMs } from './deadlines';
import { checkEligibility } from './eligibility';
import { endingEvents } from './ending';
import { scheduleInstalments } from './instalment-payments';
import { accept, invariant, refuse, type DecideResult } from './results';
import { advance, pendingStep, requiredText, terminate } from './steps';
import type { DecideContext } from './decide';
import type { Actor, Transfer } from './types';

export const REASON_MAX_LENGTH = 2000;

export function gpConsent(t: Transfer, actor: Actor, ctx: DecideContext): DecideResult {
  const r = advance(t, ctx.now, actor, ctx.calendar);
  return accept(r.transfer, r.events);
}

/** Refusal by the GP, with a reason (required). */
export function gpRefuse(t: Transfer, reason: unknown, actor: Actor, ctx: DecideContext): DecideResult {
  const text = requiredText(reason, 'reason', REASON_MAX_LENGTH);
  if (!text.ok) return refuse('VALIDATION_FAILED', text.detail);
  const r = terminate(t, 'refused', 'refused', text.value, ctx.now, actor);
  return accept(r.transfer, [...r.events, ...endingEvents(t, 'refused', 'gp_consent')]);
}

/** The first operator's review: the eligibility checks, then the transfer awaits a second operator. */
export function review(t: Transfer, actor: Actor, ctx: DecideContext): DecideResult {
  invariant(ctx.eligibility, 'review needs ctx.eligibility (facts from the database)');
  const problem = checkEligibility(t, ctx.eligibility, ctx.calendar);
  if (problem) return problem;
  const r = advance({ ...t, reviewedBy: actor.userId }, ctx.now, actor, ctx.calendar);
  return accept(r.transfer, r.events);
}

/** Approval by a second operator: it is the contract date, from which the payment deadline runs. */
export function approve(t: Transfer, actor: Actor, ctx: DecideContext): DecideResult {
  if (actor.userId === t.reviewedBy)
    return refuse('FOUR_EYES', 'the operator who reviewed this transfer may not also approve it', { reason: 'approve_after_review' });
  const contractDate = beijingDate(instantMs(ctx.now));
  const r = advance({ ...t, approvedBy: actor.userId, contractDate }, ctx.now, actor, ctx.calendar);
  return accept(scheduleInstalments(r.transfer, contractDate, ctx.calendar), r.events);
}

/** Rejection by an operator at review or approval, with a reason (required). */
export function reject(t: Transfer, reason: unknown, actor: Actor, ctx: DecideContext): DecideResult {
  const text = requiredText(reason, 'reason', REASON_MAX_LENGTH);
  if (!text.ok) return refuse('VALIDATION_FAILED', text.detail);
  const step = pendingStep(t);
  invariant(step, 'reject needs a pending step');
  const r = terminate(t, 'rejected', 'refused', text.value, ctx.now, actor);
  return accept(r.transfer, [...r.events, ...endingEvents(t, 'rejected', step.name)]);
}
