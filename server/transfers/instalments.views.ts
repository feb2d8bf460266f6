/**
 * The transfer view's parts about payment by instalments (domain/instalments.ts): the plan's summary and
 * each instalment as a payment leg (api.md: `instalment: {number, amount, dueDate}`) with who recorded and
 * who confirmed it.
 */
import { z } from 'zod';
import { formatYuan, parseYuan } from '../../shared/decimal';
import {
  INTEREST_DAY_COUNT,
  hasInstalments,
  instalmentLeg as planLeg,
  instalmentTotal,
  nextOpenInstalment,
  planInterest,
  type Allocation,
  type Instalment,
  type Transfer,
} from './domain';
import type { TransferView, ViewLookups } from './transfers.views';

const operatorMark = z.object({ at: z.string(), userId: z.string(), name: z.string() });
/** api.md: payment legs with `instalment: {number, amount, dueDate}`. */
export const instalmentLeg = z.object({
  instalment: z.object({ number: z.number().int(), amount: z.string(), dueDate: z.string().nullable() }),
  monthsAfterContract: z.number().int().nullable(),
  interest: z.string().nullable(),
  /** amount + interest, less the deposit for the first: what the buyer wires for it. */
  amountDue: z.string(),
  state: z.enum(['due', 'recorded', 'confirmed']),
  recorded: operatorMark.extend({ bankRef: z.string() }).nullable(),
  confirmed: operatorMark.nullable(),
});

/** What the buyer wires for an instalment: amount + interest, less the deposit already held for the first. */
function instalmentDue(leg: Allocation, i: Instalment): string {
  const deposit = i.number === 1 ? parseYuan(leg.depositApplied) : parseYuan('0.00');
  return formatYuan(instalmentTotal(i).minus(deposit));
}

/** The payment legs of a leg paid by instalments (api.md: `instalment: {number, amount, dueDate}`); [] for a lump sum. */
export function instalmentLegs(t: Transfer, leg: Allocation, l: ViewLookups) {
  if (planLeg(t) !== leg) return [];
  const who = (m: { at: string; by: string }) => ({ at: m.at, userId: m.by, name: l.userNames.get(m.by) ?? m.by });
  return t.paymentPlan!.instalments.map((i) => ({
    instalment: { number: i.number, amount: i.amount, dueDate: i.dueDate },
    monthsAfterContract: i.monthsAfterContract,
    interest: i.interest,
    amountDue: instalmentDue(leg, i),
    state: i.confirmed ? ('confirmed' as const) : i.recorded ? ('recorded' as const) : ('due' as const),
    recorded: i.recorded ? { ...who(i.recorded), bankRef: i.recorded.bankRef } : null,
    confirmed: i.confirmed ? who(i.confirmed) : null,
  }));
}

export function planSummary(t: Transfer): TransferView['paymentPlan'] {
  const plan = t.paymentPlan;
  if (!plan) return null;
  const leg = planLeg(t);
  const next = hasInstalments(plan) && leg ? nextOpenInstalment(plan) : null;
  return {
    method: plan.method,
    guaranteeRef: plan.guaranteeRef,
    interestRatePct: plan.interestRatePct,
    dayCount: hasInstalments(plan) ? INTEREST_DAY_COUNT : null,
    totalInterest: formatYuan(planInterest(plan)),
    next: next && leg ? { number: next.number, dueDate: next.dueDate, amountDue: instalmentDue(leg, next) } : null,
  };
}
