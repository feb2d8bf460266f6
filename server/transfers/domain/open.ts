/**
 * Opening a transfer from a trade (either venue). The trade modules call this in the transaction that
 * records the trade; its input comes from the exchange, not from a user, so a malformed input is a bug
 * and throws.
 */
import type { WorkingDayCalendar } from '../../../shared/calendar';
import { ZERO, parseQuantity, parseYuan, quantityToLots } from '../../../shared/decimal';
import { priceLegs, tradeConsideration, totalConsideration } from './allocation';
import { DEFAULT_CONTRACT_SIGNING_WORKING_DAYS, openContract } from './contract';
import { deadlineClosesAt, instantMs, rofrWindowEnd } from './deadlines';
import { assertValidTerms, type TransferTerms } from './params';
import { invariant } from './results';
import { startStep } from './steps';
import type { Pricing, RofrHolder, Step, StepName, Transfer, TransferEvent, Venue } from './types';

export interface Party {
  readonly orgId: string;
  readonly stateOwned: boolean;
}

export interface OpenTransferInput {
  readonly id: string;
  readonly tradeId: string;
  readonly venue: Venue;
  /** Required for a listing award, null for a book trade. */
  readonly listingId: string | null;
  readonly fundId: string;
  readonly seller: Party;
  readonly buyer: Party;
  readonly gpOrgId: string;
  /** Whole yuan of commitment per lot. */
  readonly lotSize: string;
  /** Whole yuan of commitment, a multiple of the lot size. */
  readonly quantity: string;
  readonly pricing: Pricing;
  /** The winner's listing deposit held in `cash:deposits` (yuan); "0.00" or absent for a book trade. */
  readonly depositHeld?: string;
  readonly tradeExecutedAt: string;
  readonly terms: TransferTerms;
  /**
   * The fund's other LPs with their commitments (whole yuan). Used only when `terms.rofrEnabled`; the
   * seller and the buyer are dropped (neither holds a ROFR against this trade), as are duplicates.
   */
  readonly rofrHolders: readonly { readonly orgId: string; readonly commitment: string; readonly stateOwned: boolean }[];
}

export interface OpenEnv {
  /** ISO instant: when the transfer opens (normally the trade's execution). */
  readonly now: string;
  readonly calendar: WorkingDayCalendar;
}

const STEP_ACTORS = (input: OpenTransferInput, holders: readonly RofrHolder[]): Record<StepName, Step['actor']> => ({
  rofr: { role: 'lp', orgIds: holders.map((h) => h.orgId) },
  gp_consent: { role: 'gp', orgIds: [input.gpOrgId] },
  review: { role: 'operator', orgIds: [] },
  approval: { role: 'operator', orgIds: [] },
  payment: { role: 'buyer', orgIds: [input.buyer.orgId] },
  registration: { role: 'operator', orgIds: [] },
});

export function openTransfer(input: OpenTransferInput, env: OpenEnv): { transfer: Transfer; events: TransferEvent[] } {
  assertValidTerms(input.terms);
  instantMs(env.now);
  instantMs(input.tradeExecutedAt);
  invariant(input.seller.orgId !== input.buyer.orgId, 'seller and buyer are the same organisation');
  invariant((input.venue === 'listing') === (input.listingId !== null), 'a listing award needs its listingId, a book trade has none');
  invariant(!input.seller.stateOwned || input.venue === 'listing', 'state-owned shares change hands only through a listing');
  const lots = quantityToLots(parseQuantity(input.quantity), parseQuantity(input.lotSize));
  invariant(lots !== null && lots > 0, `quantity ${input.quantity} is not a whole number of lots of ${input.lotSize}`);
  const depositHeld = input.depositHeld ?? '0.00';
  const deposit = parseYuan(depositHeld);
  invariant(
    deposit.gte(ZERO) && deposit.lte(tradeConsideration(input.pricing, input.quantity)),
    'deposit must be between 0 and the consideration',
  );

  const seen = new Set<string>([input.seller.orgId, input.buyer.orgId]);
  const holders: RofrHolder[] = [];
  if (input.terms.rofrEnabled) {
    for (const h of input.rofrHolders) {
      if (seen.has(h.orgId)) continue;
      seen.add(h.orgId);
      invariant(parseQuantity(h.commitment).gt(ZERO), `ROFR holder ${h.orgId} has no commitment`);
      holders.push({
        orgId: h.orgId,
        commitment: h.commitment,
        stateOwned: h.stateOwned,
        answer: 'pending',
        answeredAt: null,
        answeredBy: null,
      });
    }
  }
  const hasRofr = holders.length > 0;
  const actors = STEP_ACTORS(input, holders);
  const applies: Record<StepName, boolean> = {
    rofr: hasRofr,
    gp_consent: input.terms.gpConsentRequired,
    review: true,
    approval: true,
    payment: true,
    registration: true,
  };
  const steps: Step[] = (Object.keys(actors) as StepName[]).map((name) => ({
    name,
    state: applies[name] ? 'waiting' : 'skipped',
    actor: actors[name],
    startedAt: null,
    at: applies[name] ? null : env.now,
    deadline: null,
    by: null,
  }));
  const allocations = priceLegs(
    input.pricing,
    input.lotSize,
    [{ buyerOrgId: input.buyer.orgId, source: 'buyer', stateOwned: input.buyer.stateOwned, lots }],
    depositHeld,
    input.buyer.orgId,
  );
  const windowEnd = hasRofr ? rofrWindowEnd(env.now, input.terms.rofrWindow, env.calendar) : null;
  const draft: Transfer = {
    id: input.id,
    tradeId: input.tradeId,
    venue: input.venue,
    listingId: input.listingId,
    fundId: input.fundId,
    sellerOrgId: input.seller.orgId,
    sellerStateOwned: input.seller.stateOwned,
    buyerOrgId: input.buyer.orgId,
    buyerStateOwned: input.buyer.stateOwned,
    gpOrgId: input.gpOrgId,
    lotSize: input.lotSize,
    lots,
    quantity: input.quantity,
    pricing: input.pricing,
    consideration: totalConsideration(allocations),
    depositHeld: parseYuan(depositHeld).toFixed(2),
    tradeExecutedAt: input.tradeExecutedAt,
    terms: input.terms,
    state: 'review_pending', // replaced by the first applicable step just below
    steps,
    rofr: windowEnd ? { holders, windowEnd, closesAt: deadlineClosesAt(windowEnd) } : null,
    allocations,
    reviewedBy: null,
    approvedBy: null,
    contract:
      input.venue === 'listing'
        ? openContract(env.now, input.terms.contractSigningWorkingDays ?? DEFAULT_CONTRACT_SIGNING_WORKING_DAYS, env.calendar)
        : null,
    contractDate: null,
    registration: null,
    outcome: null,
    openedAt: env.now,
    updatedAt: env.now,
    version: 1,
  };
  const first = hasRofr ? 'rofr' : input.terms.gpConsentRequired ? 'gp_consent' : 'review';
  const transfer = startStep(draft, first, env.now, env.calendar);
  const events: TransferEvent[] = [{ type: 'transfer_opened', transferId: transfer.id, state: transfer.state, at: env.now }];
  if (transfer.rofr) {
    events.push({
      type: 'rofr_notice',
      transferId: transfer.id,
      holderOrgIds: holders.map((h) => h.orgId),
      closesAt: transfer.rofr.closesAt,
    });
  }
  return { transfer, events };
}
