/**
 * Buyers of one round: who is in (qualified with a confirmed deposit held), and what happens to a
 * deposit: refunded within N working days (an event with the due date), forfeited, or applied to
 * the price. These helpers mutate the working copy that `decide` cloned and return the events.
 */
import { beijingDate, type WorkingDayCalendar } from '../../../shared/calendar';
import type { Buyer, ForfeitReason, Listing, ListingBranch, ListingEvent, RefundReason } from './types';

export const findBuyer = (l: Listing, orgId: string): Buyer | undefined => l.buyers.find((b) => b.orgId === orgId);

export const isActive = (b: Buyer): boolean => b.withdrawnAt === null;
export const holdsDeposit = (b: Buyer): boolean => b.deposit !== null && b.deposit.outcome === null;

/** A buyer that takes part in what follows disclosure: qualified, with its confirmed deposit still held. */
export const isIn = (b: Buyer): boolean => isActive(b) && b.qualification === 'qualified' && holdsDeposit(b);

export const buyersIn = (l: Listing): Buyer[] => l.buyers.filter(isIn);

export function branchFor(qualifiedWithDeposit: number): ListingBranch {
  if (qualifiedWithDeposit === 0) return 'no_buyer';
  return qualifiedWithDeposit === 1 ? 'negotiation' : 'auction';
}

export function refundDeposit(
  l: Listing,
  b: Buyer,
  reason: RefundReason,
  at: number,
  calendar: WorkingDayCalendar,
  fromDate: string = beijingDate(at),
): ListingEvent[] {
  if (!b.deposit || b.deposit.outcome !== null) return [];
  b.deposit.outcome = 'refund_due';
  b.deposit.outcomeAt = at;
  const due = calendar.addWorkingDays(fromDate, l.rules.depositRefundWorkingDays);
  return [
    {
      type: 'deposit_refund_due',
      listingId: l.id,
      at,
      orgId: b.orgId,
      amount: b.deposit.amount,
      reason,
      dueDate: due.date,
      provisional: due.provisional,
    },
  ];
}

/**
 * Forfeits a deposit still held by the listing. A deposit already applied to the price belongs to the
 * transfer (passed as its `depositHeld`: escrowed at payment, forfeited on a missed payment, refunded on
 * refusal or rejection), so the listing never moves it again.
 */
export function forfeitDeposit(l: Listing, b: Buyer, reason: ForfeitReason, at: number): ListingEvent[] {
  if (!b.deposit || b.deposit.outcome !== null) return [];
  b.deposit.outcome = 'forfeited';
  b.deposit.outcomeAt = at;
  return [{ type: 'deposit_forfeited', listingId: l.id, at, orgId: b.orgId, amount: b.deposit.amount, reason }];
}

export function applyDeposit(l: Listing, b: Buyer, at: number): ListingEvent[] {
  if (!b.deposit || b.deposit.outcome !== null) throw new Error(`winner ${b.alias} holds no deposit to apply`);
  b.deposit.outcome = 'applied';
  b.deposit.outcomeAt = at;
  return [{ type: 'deposit_applied', listingId: l.id, at, orgId: b.orgId, amount: b.deposit.amount }];
}

/** Refunds every deposit still held (the seller withdrew, the listing ended or was repriced). */
export function refundAllHeld(l: Listing, reason: RefundReason, at: number, calendar: WorkingDayCalendar): ListingEvent[] {
  return l.buyers.flatMap((b) => refundDeposit(l, b, reason, at, calendar));
}
