/**
 * An instalment plan inside the workflow (the plan's rules and maths are in instalments.ts):
 *   - approval fixes the plan's dates and interest (the contract date) and holds the payment step to the
 *     first instalment's due date;
 *   - each instalment is a payment confirmed with four eyes: one operator records it with the bank's
 *     reference, a different operator confirms it (FOUR_EYES for the same one), and only then is the cash
 *     booked into escrow;
 *   - after the first instalment (and every lump-sum leg) is paid, the payment step's deadline is the next
 *     instalment's due date, so the tick fails the transfer on a missed instalment like a missed lump sum;
 *   - the leg is paid (`payment`) when its last instalment is confirmed; registration follows.
 */
import { ZERO, formatYuan, parseYuan } from '../../../shared/decimal';
import type { WorkingDayCalendar } from '../../../shared/calendar';
import type { DecideContext } from './decide';
import {
  escrowedByPlan,
  hasInstalments,
  instalmentTotal,
  nextOpenInstalment,
  planInterest,
  schedulePlan,
  type Instalment,
  type PaymentPlan,
} from './instalments';
import { accept, invariant, refuse, type DecideResult } from './results';
import { escrowPostings, orgAccount, paymentPostings, type CashAccount, type CashPosting } from './settlement';
import { advance, replaceStep, stepNamed } from './steps';
import type { Actor, Allocation, Deadline, Transfer, TransferEvent } from './types';

/** The buyer's leg that an instalment plan pays (the trade's buyer; ROFR legs pay a lump sum). */
export const instalmentLeg = (t: Transfer): Allocation | null =>
  hasInstalments(t.paymentPlan) ? (t.allocations.find((a) => a.source === 'buyer') ?? null) : null;

/** At approval (the contract date): the plan's dates and interest, the buyer leg's interest, the payment step's deadline. */
export function scheduleInstalments(t: Transfer, contractDate: string, calendar: WorkingDayCalendar): Transfer {
  const leg = instalmentLeg(t);
  const terms = t.terms.instalments;
  if (!leg || !terms) return t;
  const firstDue = calendar.addWorkingDays(contractDate, terms.instalmentFirstWorkingDays);
  const plan = schedulePlan(t.paymentPlan!, contractDate, firstDue.date);
  const interest = formatYuan(planInterest(plan));
  return {
    ...t,
    paymentPlan: plan,
    allocations: t.allocations.map((a) => (a === leg ? { ...a, interest } : a)),
    steps: replaceStep(t.steps, 'payment', { deadline: firstDue }),
  };
}

/**
 * The payment step's deadline once something was paid: the first due date while any lump-sum leg or the
 * first instalment is unpaid, then the next instalment's due date (a calendar date: never provisional).
 */
export function paymentDeadline(t: Transfer): Deadline | null {
  const current = stepNamed(t, 'payment').deadline;
  const plan = t.paymentPlan;
  if (!hasInstalments(plan) || t.allocations.some((a) => a.payment === null && a.source !== 'buyer')) return current;
  const next = nextOpenInstalment(plan);
  if (!next || next.number === 1 || next.dueDate === null) return current;
  return { date: next.dueDate, provisional: false };
}

/** Cash postings of one confirmed instalment: the first brings the deposit from deposits, the others their interest. */
function instalmentPostings(leg: Allocation, i: Instalment): CashPosting[] {
  if (i.number === 1) return paymentPostings({ buyerOrgId: leg.buyerOrgId, consideration: i.amount, depositApplied: leg.depositApplied });
  return paymentPostings({ buyerOrgId: leg.buyerOrgId, consideration: formatYuan(instalmentTotal(i)), depositApplied: '0.00' });
}

/**
 * `confirm_payment {instalment?, bankRef}` on a leg paid by instalments. The instalment defaults to the
 * next one; they are confirmed in order. The first operator's call records it; a call by a different
 * operator with the same bank reference confirms it (the recorder may correct its reference by sending
 * another one; a different operator's different reference is refused).
 */
export function confirmInstalment(
  t: Transfer,
  leg: Allocation,
  bankRef: string,
  number: unknown,
  actor: Actor,
  ctx: DecideContext,
): DecideResult {
  const plan = t.paymentPlan as PaymentPlan;
  const next = nextOpenInstalment(plan);
  invariant(next, `leg ${leg.buyerOrgId} of ${t.id} is unpaid with every instalment confirmed`);
  const n = number ?? next.number;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > plan.instalments.length)
    return refuse('VALIDATION_FAILED', `instalment must be a number from 1 to ${plan.instalments.length}`);
  const inst = plan.instalments[n - 1]!;
  if (inst.confirmed) return refuse('PAYMENT_ALREADY_CONFIRMED', `instalment ${n} was confirmed with ${inst.recorded?.bankRef ?? ''}`);
  if (n !== next.number) return refuse('VALIDATION_FAILED', `instalment ${n} comes after instalment ${next.number}, not confirmed yet`);
  const withInstalment = (i: Instalment): Transfer => ({
    ...t,
    paymentPlan: { ...plan, instalments: plan.instalments.map((x) => (x.number === n ? i : x)) },
  });
  if (!inst.recorded || (inst.recorded.by === actor.userId && inst.recorded.bankRef !== bankRef)) {
    return accept(withInstalment({ ...inst, recorded: { bankRef, at: ctx.now, by: actor.userId } }), [
      { type: 'instalment_recorded', transferId: t.id, buyerOrgId: leg.buyerOrgId, instalment: n, bankRef, at: ctx.now },
    ]);
  }
  if (inst.recorded.bankRef !== bankRef)
    return refuse('VALIDATION_FAILED', `bankRef ${bankRef} is not the ${inst.recorded.bankRef} recorded for instalment ${n}`);
  if (inst.recorded.by === actor.userId)
    return refuse('FOUR_EYES', `the operator who recorded instalment ${n} may not also confirm it`, {
      reason: 'instalment_confirm_by_recorder',
    });
  const confirmed: Instalment = { ...inst, confirmed: { at: ctx.now, by: actor.userId } };
  const after = withInstalment(confirmed);
  const last = n === plan.instalments.length;
  const paidLeg: Allocation = last ? { ...leg, payment: { bankRef, at: ctx.now, by: actor.userId } } : leg;
  const updated: Transfer = { ...after, allocations: after.allocations.map((a) => (a === leg ? paidLeg : a)) };
  const events: TransferEvent[] = [
    {
      type: 'payment_confirmed',
      transferId: t.id,
      buyerOrgId: leg.buyerOrgId,
      bankRef,
      instalment: n,
      postings: instalmentPostings(leg, confirmed),
    },
  ];
  if (updated.allocations.some((a) => a.payment === null)) {
    const deadline = paymentDeadline(updated);
    return accept({ ...updated, steps: replaceStep(updated.steps, 'payment', { deadline }) }, events);
  }
  const r = advance(updated, ctx.now, actor, ctx.calendar);
  return accept(r.transfer, [...events, ...r.events]);
}

/** The operators who confirmed (second eyes) an instalment of the plan. */
export const instalmentConfirmers = (t: Transfer): string[] =>
  (t.paymentPlan?.instalments ?? []).flatMap((i) => (i.confirmed ? [i.confirmed.by] : []));

/**
 * What ending the transfer does with a leg paid by instalments whose first instalment is in escrow but
 * not the last one (null when that is not the case; ending.ts handles every other leg). The deposit went
 * into escrow with the first instalment. When the buyer missed an instalment (`buyerAtFault`) the deposit
 * is forfeited out of escrow (domain.md: a deposit is forfeited for paying late) and the rest it paid
 * (principal and interest) is refunded; otherwise all it paid is refunded.
 */
export function partlyPaidEndingEvents(
  t: Transfer,
  leg: Allocation,
  buyerAtFault: boolean,
  forfeitTo: CashAccount,
): TransferEvent[] | null {
  const plan = t.paymentPlan;
  if (leg.payment !== null || !hasInstalments(plan) || instalmentLeg(t) !== leg || plan.instalments[0]!.confirmed === null) return null;
  const paid = escrowedByPlan(plan);
  const deposit = parseYuan(leg.depositApplied);
  const forfeit = buyerAtFault ? deposit : ZERO;
  const events: TransferEvent[] = [];
  if (forfeit.gt(ZERO))
    events.push({
      type: 'deposit_forfeited',
      transferId: t.id,
      orgId: leg.buyerOrgId,
      amount: formatYuan(forfeit),
      postings: escrowPostings(forfeit, forfeitTo),
    });
  const refund = paid.minus(forfeit);
  if (refund.gt(ZERO))
    events.push({
      type: 'payment_refund_due',
      transferId: t.id,
      orgId: leg.buyerOrgId,
      amount: formatYuan(refund),
      postings: escrowPostings(refund, orgAccount(leg.buyerOrgId)),
    });
  return events;
}
