/**
 * What each side of a transfer pays and receives (api.md "What each side pays and receives"): each
 * buyer's fee and amount due into escrow, by the payment step's deadline, and the seller's fee and
 * proceeds. Computed from the fee schedule frozen into the transfer, with the settlement's own rules
 * (server/transfers/domain/settlement.ts), so what the page shows is what the ledger will book.
 */
import { formatYuan, min, parseYuan, sum } from '../../shared/decimal';
import { legInterest, paymentDue, sideFee, type Transfer } from './domain';

export interface EscrowAccount {
  readonly bank: string;
  readonly accountName: string;
  readonly accountNumber: string;
}

/** Demo defaults; a real exchange configures ESCROW_BANK, ESCROW_ACCOUNT_NAME and ESCROW_ACCOUNT_NUMBER. */
export const DEMO_ESCROW_ACCOUNT: EscrowAccount = {
  bank: '中国工商银行北京分行营业部 (ICBC Beijing Branch)',
  accountName: '北京股权交易中心有限公司交易资金监管专户',
  accountNumber: '0200 0000 0000 0000 000',
};

export interface LegAmounts {
  readonly buyerFee: string;
  readonly amountDue: string;
  readonly dueDate: string | null;
}

/**
 * One leg: the buyer's fee on its consideration, and consideration + interest − deposit applied + fee (all
 * the buyer still pays into escrow; an instalment plan's instalments are itemised in `paymentPlan`). The
 * due date is the payment step's deadline: for a plan, the next instalment's once the first is paid.
 */
export function legAmounts(t: Transfer, leg: Transfer['allocations'][number]): LegAmounts {
  const buyerFee = sideFee(parseYuan(leg.consideration), t.terms.fees.buyer);
  const payment = t.steps.find((s) => s.name === 'payment');
  return {
    buyerFee: formatYuan(buyerFee),
    amountDue: formatYuan(paymentDue(leg).plus(buyerFee)),
    dueDate: payment?.deadline?.date ?? null,
  };
}

/** The seller's fee on the whole consideration (capped at it) and what escrow pays the seller (with any interest). */
export function sellerAmounts(t: Transfer): { sellerFee: string; sellerProceeds: string } {
  const total = sum(t.allocations.map((a) => parseYuan(a.consideration)));
  const fee = min(sideFee(total, t.terms.fees.seller), total);
  // An instalment plan's interest goes to the seller with the consideration (fees are on the consideration).
  const interest = sum(t.allocations.map(legInterest));
  return { sellerFee: formatYuan(fee), sellerProceeds: formatYuan(total.plus(interest).minus(fee)) };
}
