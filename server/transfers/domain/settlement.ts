/**
 * Settlement maths (pure): the ownership change and the cash movements of a transfer, as ledger postings.
 *
 * Units. Quantity is commitment yuan. Each leg moves its quantity of commitment from the seller to its
 * buyer, and the paid-in attributable to it: the total paid-in moved is
 * seller paid-in × Σquantity / seller commitment, half-up to the fen (all of it when the whole position is
 * sold), split between the legs by quantity with `apportion` so that the legs sum to it exactly.
 * Unfunded moved = commitment moved − paid-in moved. Per fund, the unit postings sum to zero.
 *
 * Cash, through the exchange's escrow account. Accounts: `cash:org:<orgId>` (an organisation's money as
 * seen by the exchange: negative = paid in), `cash:escrow`, `cash:deposits` (listing deposits held),
 * `cash:fees` (exchange revenue). A posting's amount is signed yuan, positive into the account; every
 * batch sums to zero.
 *   payment (per leg, when the operator confirms it): the buyer pays consideration − deposit applied
 *     into escrow; the deposit applied moves from deposits to escrow (the deposit counts first).
 *     A leg paid by instalments (instalments.ts) books each instalment when its second operator confirms
 *     it: the first as above (its amount − deposit from the buyer, the deposit from deposits), each later
 *     one its amount + interest from the buyer.
 *   release (when registration is recorded): escrow pays the seller Σconsideration + Σinterest − seller
 *     fee, and the seller fee to fees; each buyer is charged its buyer fee. Escrow nets to zero over the
 *     transfer. The fees are on the consideration only: interest compensates the seller for the deferral.
 * Fees: basis points of the consideration rounded UP to the fen, never below the minimum; the seller's
 * fee is charged once on the total and capped at it (proceeds never negative); each buyer's on its leg.
 */
import {
  Dec,
  Rounding,
  YUAN_SCALE,
  ZERO,
  basisPoints,
  formatQuantity,
  formatYuan,
  max,
  min,
  parseQuantity,
  parseYuan,
  proRata,
  sum,
  type Decimal,
} from '../../../shared/decimal';
import { apportion } from './allocation';
import type { FeeSchedule, SideFee } from './params';
import { invariant } from './results';
import type { SellerPosition } from './types';

export type CashAccount = 'cash:escrow' | 'cash:fees' | 'cash:deposits' | `cash:org:${string}`;

export interface CashPosting {
  readonly account: CashAccount;
  /** Signed yuan, 2 decimals; positive = into the account. */
  readonly amount: string;
}

export interface UnitPosting {
  readonly fundId: string;
  readonly orgId: string;
  /** Signed whole yuan of commitment. */
  readonly commitmentDelta: string;
  /** Signed yuan, 2 decimals. */
  readonly paidInDelta: string;
  /** Signed yuan, 2 decimals: commitmentDelta − paidInDelta. */
  readonly unfundedDelta: string;
}

export const orgAccount = (orgId: string): CashAccount => `cash:org:${orgId}`;

/** Formats signed yuan, never "-0.00". */
const yuan = (d: Decimal): string => (d.eq(ZERO) ? '0.00' : formatYuan(d));
const neg = (d: Decimal): Decimal => ZERO.minus(d);

/** One side's fee on an amount: basis points rounded up to the fen, at least the minimum. */
export function sideFee(amount: Decimal, side: SideFee): Decimal {
  return max(basisPoints(amount, new Dec(side.bps)), parseYuan(side.minimum));
}

export interface LegMoney {
  readonly buyerOrgId: string;
  readonly consideration: string;
  readonly depositApplied: string;
  /** Interest of an instalment plan, on top of the consideration (absent: none). */
  readonly interest?: string | undefined;
}

/** Interest a leg pays on top of its consideration. */
export const legInterest = (leg: LegMoney): Decimal => parseYuan(leg.interest ?? '0.00');

/** What a leg's buyer pays into escrow in all: consideration + interest (the deposit included). */
export const legEscrowTotal = (leg: LegMoney): Decimal => parseYuan(leg.consideration).plus(legInterest(leg));

/** What the buyer of a leg still has to pay into escrow: consideration + interest − deposit applied. */
export const paymentDue = (leg: LegMoney): Decimal => legEscrowTotal(leg).minus(parseYuan(leg.depositApplied));

/** Postings when a leg's payment arrives: buyer → escrow (payment due), deposits → escrow (deposit applied). Zero lines omitted. */
export function paymentPostings(leg: LegMoney): CashPosting[] {
  const due = paymentDue(leg);
  const deposit = parseYuan(leg.depositApplied);
  invariant(due.gte(ZERO) && deposit.gte(ZERO), `deposit applied exceeds the consideration of ${leg.buyerOrgId}'s leg`);
  const out: CashPosting[] = [];
  if (!due.eq(ZERO))
    out.push({ account: orgAccount(leg.buyerOrgId), amount: yuan(neg(due)) }, { account: 'cash:escrow', amount: yuan(due) });
  if (!deposit.eq(ZERO))
    out.push({ account: 'cash:deposits', amount: yuan(neg(deposit)) }, { account: 'cash:escrow', amount: yuan(deposit) });
  return out;
}

/** Moves a deposit still held in `cash:deposits` to an account (refund to the buyer, or forfeit). */
export function depositPostings(amount: string, to: CashAccount): CashPosting[] {
  return [
    { account: 'cash:deposits', amount: yuan(neg(parseYuan(amount))) },
    { account: to, amount: yuan(parseYuan(amount)) },
  ];
}

/** Returns a paid leg's consideration (and interest) from escrow to its buyer (the transfer ended without the buyer at fault). */
export function refundPostings(leg: LegMoney): CashPosting[] {
  return escrowPostings(legEscrowTotal(leg), orgAccount(leg.buyerOrgId));
}

/** Moves `amount` out of escrow to an account (a refund, or a deposit forfeited after it went into escrow). */
export function escrowPostings(amount: Decimal, to: CashAccount): CashPosting[] {
  return [
    { account: 'cash:escrow', amount: yuan(neg(amount)) },
    { account: to, amount: yuan(amount) },
  ];
}

export interface SettlementLegInput extends LegMoney {
  /** Whole yuan of commitment. */
  readonly quantity: string;
}

export interface SettlementInput {
  readonly fundId: string;
  readonly sellerOrgId: string;
  readonly sellerPosition: SellerPosition;
  readonly legs: readonly SettlementLegInput[];
  readonly fees: FeeSchedule;
}

export interface SettledLeg {
  readonly buyerOrgId: string;
  readonly quantity: string;
  readonly consideration: string;
  readonly paidInMoved: string;
  readonly unfundedMoved: string;
  readonly depositApplied: string;
  /** Interest of an instalment plan ("0.00" for a lump sum). */
  readonly interest: string;
  /** Consideration + interest − deposit applied: what the buyer pays into escrow. */
  readonly paymentDue: string;
  readonly buyerFee: string;
}

export interface Settlement {
  readonly legs: readonly SettledLeg[];
  readonly quantity: string;
  readonly consideration: string;
  readonly paidInMoved: string;
  readonly sellerFee: string;
  /** Σconsideration + Σinterest − seller fee: what escrow pays the seller. */
  readonly sellerProceeds: string;
  readonly unitPostings: readonly UnitPosting[];
  /** All legs' payment postings (already appended, leg by leg, when each payment was confirmed). */
  readonly paymentPostings: readonly CashPosting[];
  /** Escrow release and fees, appended when registration is recorded. */
  readonly releasePostings: readonly CashPosting[];
}

export type SettleResult =
  | { readonly ok: true; readonly settlement: Settlement }
  | {
      readonly ok: false;
      readonly code: 'INSUFFICIENT_POSITION' | 'VALIDATION_FAILED';
      readonly detail: string;
      readonly params?: Readonly<Record<string, string>>;
    };

export function settle(input: SettlementInput): SettleResult {
  if (input.legs.length === 0) return { ok: false, code: 'VALIDATION_FAILED', detail: 'a settlement needs at least one leg' };
  const commitment = parseQuantity(input.sellerPosition.commitment);
  const paidIn = parseYuan(input.sellerPosition.paidIn);
  if (paidIn.lt(ZERO) || paidIn.gt(commitment)) {
    return { ok: false, code: 'VALIDATION_FAILED', detail: `seller paid-in ${input.sellerPosition.paidIn} is outside 0..commitment` };
  }
  const quantities = input.legs.map((l) => parseQuantity(l.quantity));
  const quantity = sum(quantities);
  if (quantity.gt(commitment)) {
    return {
      ok: false,
      code: 'INSUFFICIENT_POSITION',
      detail: `seller holds ${input.sellerPosition.commitment}, transfer needs ${formatQuantity(quantity)}`,
      params: { available: input.sellerPosition.commitment, requested: formatQuantity(quantity) },
    };
  }
  const paidInTotal = proRata(paidIn, quantity, commitment, YUAN_SCALE, Rounding.HALF_UP);
  const paidInParts = apportion(paidInTotal, quantities);
  const considerations = input.legs.map((l) => parseYuan(l.consideration));
  const total = sum(considerations);
  const sellerFee = min(sideFee(total, input.fees.seller), total);

  const legs: SettledLeg[] = input.legs.map((l, i) => ({
    buyerOrgId: l.buyerOrgId,
    quantity: l.quantity,
    consideration: yuan(considerations[i]!),
    paidInMoved: yuan(paidInParts[i]!),
    unfundedMoved: yuan(quantities[i]!.minus(paidInParts[i]!)),
    depositApplied: yuan(parseYuan(l.depositApplied)),
    interest: yuan(legInterest(l)),
    paymentDue: yuan(paymentDue(l)),
    buyerFee: yuan(sideFee(considerations[i]!, input.fees.buyer)),
  }));

  const unitPostings: UnitPosting[] = [
    {
      fundId: input.fundId,
      orgId: input.sellerOrgId,
      commitmentDelta: formatQuantity(neg(quantity)),
      paidInDelta: yuan(neg(paidInTotal)),
      unfundedDelta: yuan(neg(quantity.minus(paidInTotal))),
    },
    ...legs.map((l, i) => ({
      fundId: input.fundId,
      orgId: l.buyerOrgId,
      commitmentDelta: formatQuantity(quantities[i]!),
      paidInDelta: l.paidInMoved,
      unfundedDelta: l.unfundedMoved,
    })),
  ];

  const interest = sum(input.legs.map(legInterest));
  const paymentLines = input.legs.flatMap((l) => paymentPostings(l));
  const releaseLines: CashPosting[] = [
    { account: 'cash:escrow', amount: yuan(neg(total.plus(interest))) },
    { account: orgAccount(input.sellerOrgId), amount: yuan(total.plus(interest).minus(sellerFee)) },
    { account: 'cash:fees', amount: yuan(sellerFee) },
    ...legs.flatMap((l): CashPosting[] => [
      { account: orgAccount(l.buyerOrgId), amount: yuan(neg(parseYuan(l.buyerFee))) },
      { account: 'cash:fees', amount: l.buyerFee },
    ]),
  ];
  const releaseNonZero = releaseLines.filter((p) => !parseYuan(p.amount).eq(ZERO));

  invariant(sumOf(paymentLines).eq(ZERO) && sumOf(releaseNonZero).eq(ZERO), 'cash postings do not balance');
  return {
    ok: true,
    settlement: {
      legs,
      quantity: formatQuantity(quantity),
      consideration: yuan(total),
      paidInMoved: yuan(paidInTotal),
      sellerFee: yuan(sellerFee),
      sellerProceeds: yuan(total.plus(interest).minus(sellerFee)),
      unitPostings,
      paymentPostings: paymentLines,
      releasePostings: releaseNonZero,
    },
  };
}

/** Σ of signed cash postings (zero for every balanced batch). */
export const sumOf = (postings: readonly CashPosting[]): Decimal => sum(postings.map((p) => parseYuan(p.amount)));
