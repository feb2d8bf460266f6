/**
 * The ROFR step (domain.md "Notice and ROFR"): each holder answers once, waive or exercise; the window
 * closes when every holder has answered or when it runs out (whoever did not answer has waived: their
 * answer is recorded as 'lapsed'). Closing allocates the legs (see allocation.ts) and refunds any part
 * of the buyer's listing deposit that its remaining leg does not absorb.
 */
import type { WorkingDayCalendar } from '../../../shared/calendar';
import { ZERO, formatYuan, parseYuan } from '../../../shared/decimal';
import { allocateLots, priceLegs, totalConsideration } from './allocation';
import { hasInstalments, rescalePlan } from './instalments';
import { accept, invariant, refuse, type DecideResult } from './results';
import { depositPostings, orgAccount } from './settlement';
import { advance, replaceStep } from './steps';
import type { Actor, RofrHolder, Transfer, TransferEvent } from './types';

/** Records one holder's answer; closes the window at once when it was the last one outstanding. */
export function answerRofr(
  t: Transfer,
  answer: 'waived' | 'exercised',
  actor: Actor,
  now: string,
  calendar: WorkingDayCalendar,
): DecideResult {
  invariant(t.rofr, `transfer ${t.id} has no ROFR`);
  const holder = t.rofr.holders.find((h) => h.orgId === actor.orgId);
  invariant(holder, `${actor.orgId} holds no ROFR on ${t.id}`);
  if (holder.answer !== 'pending') return refuse('ROFR_ALREADY_ANSWERED', `${actor.orgId} already answered: ${holder.answer}`);
  const holders = t.rofr.holders.map(
    (h): RofrHolder => (h.orgId === actor.orgId ? { ...h, answer, answeredAt: now, answeredBy: actor.userId } : h),
  );
  const answered: Transfer = { ...t, rofr: { ...t.rofr, holders } };
  const events: TransferEvent[] = [{ type: 'rofr_answered', transferId: t.id, holderOrgId: actor.orgId, answer, at: now }];
  if (holders.some((h) => h.answer === 'pending')) return accept(answered, events);
  const closed = closeRofr(answered, now, calendar);
  return accept(closed.transfer, [...events, ...closed.events]);
}

/** Closes the window at `at`: lapses unanswered holders, allocates the legs, starts the next step. */
export function closeRofr(t: Transfer, at: string, calendar: WorkingDayCalendar): { transfer: Transfer; events: TransferEvent[] } {
  invariant(t.rofr && t.state === 'rofr_pending', `transfer ${t.id} has no open ROFR window`);
  const events: TransferEvent[] = [];
  const holders = t.rofr.holders.map((h): RofrHolder => {
    if (h.answer !== 'pending') return h;
    events.push({ type: 'rofr_answered', transferId: t.id, holderOrgId: h.orgId, answer: 'lapsed', at });
    return { ...h, answer: 'lapsed', answeredAt: at, answeredBy: null };
  });
  const exercisers = holders.filter((h) => h.answer === 'exercised');
  const legs = allocateLots(t.lots, { orgId: t.buyerOrgId, stateOwned: t.buyerStateOwned }, exercisers);
  const allocations = priceLegs(t.pricing, t.lotSize, legs, t.depositHeld, t.buyerOrgId);
  const buyerLeg = allocations.find((a) => a.source === 'buyer');
  const excess = parseYuan(t.depositHeld).minus(parseYuan(buyerLeg?.depositApplied ?? '0.00'));
  events.push({ type: 'rofr_closed', transferId: t.id, allocations, buyerReplaced: buyerLeg === undefined, at });
  if (excess.gt(ZERO)) {
    const amount = formatYuan(excess);
    events.push({
      type: 'deposit_refund_due',
      transferId: t.id,
      orgId: t.buyerOrgId,
      amount,
      postings: depositPostings(amount, orgAccount(t.buyerOrgId)),
    });
  }
  // Instalments stay the trade buyer's terms, scaled to what is left of its leg (instalments.ts).
  const oldLeg = t.allocations.find((a) => a.source === 'buyer');
  const plan = t.paymentPlan;
  const paymentPlan = !hasInstalments(plan) ? plan : buyerLeg && oldLeg ? rescalePlan(plan, oldLeg.consideration, buyerLeg) : null;
  const resolved: Transfer = {
    ...t,
    rofr: { ...t.rofr, holders },
    allocations,
    paymentPlan,
    consideration: totalConsideration(allocations),
    // The payment step's responsible organisations are the final buyers.
    steps: replaceStep(t.steps, 'payment', { actor: { role: 'buyer', orgIds: allocations.map((a) => a.buyerOrgId) } }),
  };
  const advanced = advance(resolved, at, null, calendar);
  return { transfer: advanced.transfer, events: [...events, ...advanced.events] };
}
