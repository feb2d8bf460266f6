/**
 * What happens to money and units when a transfer ends without completing (domain.md: "a missed
 * deadline moves the transfer to a failed state with the consequences (deposit forfeited, shares
 * released, listing reopened)"; "Refusal ends the trade and frees the seller's shares").
 *
 *   - The seller's reserved units are always released.
 *   - A leg already paid is refunded in full from escrow (its deposit went into escrow with the payment).
 *   - A leg paid by instalments, partly paid: see partlyPaidEndingEvents (instalment-payments.ts): when the
 *     buyer missed an instalment its deposit is forfeited out of escrow and the rest it paid refunded.
 *   - An unpaid leg's deposit still held is FORFEITED when the transfer failed on the payment deadline
 *     (the buyer paid late) or because the buyer did not sign the contract, to the seller or the exchange
 *     per `terms.forfeitTo`; otherwise refunded.
 *   - The listing is reopened only when the transfer FAILED and came from a listing (refusal by the GP and
 *     rejection by the exchange end the deal; the seller may list again).
 */
import { ZERO, formatYuan, parseYuan } from '../../../shared/decimal';
import { partlyPaidEndingEvents } from './instalment-payments';
import { depositPostings, legEscrowTotal, orgAccount, refundPostings, type CashAccount } from './settlement';
import type { StepName, Transfer, TransferEvent } from './types';

/** `forfeitUnpaid` overrides the rule for unpaid legs' deposits (the contract: forfeited when the buyer did not sign). */
export function endingEvents(
  t: Transfer,
  kind: 'refused' | 'rejected' | 'failed',
  step: StepName,
  forfeitUnpaid?: boolean,
): TransferEvent[] {
  const events: TransferEvent[] = [];
  const forfeitTo: CashAccount = t.terms.forfeitTo === 'seller' ? orgAccount(t.sellerOrgId) : 'cash:fees';
  for (const leg of t.allocations) {
    const lateBuyer = forfeitUnpaid ?? (kind === 'failed' && step === 'payment');
    const partly = partlyPaidEndingEvents(t, leg, lateBuyer, forfeitTo);
    if (partly) {
      events.push(...partly);
    } else if (leg.payment) {
      events.push({
        type: 'payment_refund_due',
        transferId: t.id,
        orgId: leg.buyerOrgId,
        amount: formatYuan(legEscrowTotal(leg)),
        postings: refundPostings(leg),
      });
    } else if (parseYuan(leg.depositApplied).gt(ZERO)) {
      events.push(
        lateBuyer
          ? {
              type: 'deposit_forfeited',
              transferId: t.id,
              orgId: leg.buyerOrgId,
              amount: leg.depositApplied,
              postings: depositPostings(leg.depositApplied, forfeitTo),
            }
          : {
              type: 'deposit_refund_due',
              transferId: t.id,
              orgId: leg.buyerOrgId,
              amount: leg.depositApplied,
              postings: depositPostings(leg.depositApplied, orgAccount(leg.buyerOrgId)),
            },
      );
    }
  }
  events.push({ type: 'units_released', transferId: t.id, fundId: t.fundId, orgId: t.sellerOrgId, quantity: t.quantity });
  if (kind === 'failed' && t.venue === 'listing' && t.listingId)
    events.push({ type: 'listing_reopened', transferId: t.id, listingId: t.listingId });
  return events;
}
