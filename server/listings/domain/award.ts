/**
 * The award: an operator turns the result into the trade values the transfer workflow takes over.
 * - one qualified buyer (negotiation, 协议转让): at a price no less than the ask (default the ask);
 * - open auction: the highest bid, known at the close;
 * - sealed round: bids are opened here. Each revealed amount must hash to its bid's commitment
 *   (`sealedBidPreimage` through ctx.commitmentHash) and be on the ask's increment grid; a bid
 *   without a valid reveal is void and its deposit forfeited. Highest valid bid wins, tie → earlier.
 * Four eyes (api.md): `award` by one operator only proposes (state `award_pending`, nothing traded);
 * `confirm_award` by a different operator completes it, after the state-owned checks once more (the
 * appraisal still valid, the 90% gate at the award price) and the winner's eligibility once more (both times:
 * WINNER_NOT_ELIGIBLE). The trade and its transfer open then.
 * The winner's deposit becomes part of the price; other bidders' deposits are refunded.
 * `record_default` marks the winner defaulted (did not sign or paid late) and reopens the listing as
 * "no qualified buyer" (extend, reprice or end). The winner's deposit was applied to the price and
 * belongs to the transfer, which forfeits or refunds it: the listing does not move it again.
 */
import { beijingDate } from '../../../shared/calendar';
import { applyDeposit, buyersIn, findBuyer, forfeitDeposit, refundDeposit } from './buyers';
import { checkOpeningAmount, sealedBidPreimage } from './bidding';
import { done, fail, isOperator, positiveYuan, yuan, type Step } from './support';
import { pickWinner } from './winner';
import { checkAppraisalValid, checkGateAt } from './state-owned';
import type {
  AwardedTrade,
  Bid,
  Buyer,
  Listing,
  ListingContext,
  ListingError,
  ListingEvent,
  PendingAward,
  PricingMethod,
  SealedReveal,
} from './types';

export function award(l: Listing, cmd: { amount?: string; reveals?: SealedReveal[] }, ctx: ListingContext): Step {
  const amount = cmd.amount === undefined ? null : positiveYuan(cmd.amount);
  if (cmd.amount !== undefined && !amount) return fail('VALIDATION_FAILED', 'amount must be a positive yuan amount string');
  if (cmd.reveals !== undefined && !validReveals(cmd.reveals, l.rules.maxBidsPerRound)) {
    return fail('VALIDATION_FAILED', 'reveals must be a list of {bidId, amount, salt} strings');
  }
  if (!isOperator(ctx.actor)) return fail('FORBIDDEN', 'only an operator awards a listing');

  if (l.state === 'closed' && l.branch === 'negotiation') {
    const ins = buyersIn(l);
    if (ins.length !== 1) throw new Error(`listing ${l.id}: negotiation with ${ins.length} buyers in`);
    const price = amount ?? l.askPrice;
    if (yuan(price).lt(yuan(l.askPrice)))
      return fail('PRICE_BELOW_ASK', `a negotiated price must be at least the ask ${l.askPrice}`, { askPrice: l.askPrice });
    return propose(l, ins[0]!, price, 'negotiated', null, ctx);
  }
  if (l.state !== 'bidding_closed' || !l.bidding)
    return fail('INVALID_STATE', `nothing to award in state ${l.state}`, { reason: 'listing_state', state: l.state });

  if (l.method === 'auction') {
    const winner = pickWinner(l.bidding.bids);
    if (!winner) throw new Error(`listing ${l.id}: closed auction without a bid`);
    if (amount !== null && amount !== winner.amount) return fail('VALIDATION_FAILED', `the winning bid is ${winner.amount}`);
    return propose(l, findBuyer(l, winner.orgId)!, winner.amount, 'auction', winner.id, ctx);
  }
  return awardSealed(l, cmd.reveals, ctx);
}

function validReveals(reveals: unknown, max: number): reveals is SealedReveal[] {
  return (
    Array.isArray(reveals) &&
    reveals.length <= max &&
    reveals.every(
      (r) =>
        typeof r === 'object' && r !== null && typeof r.bidId === 'string' && typeof r.amount === 'string' && typeof r.salt === 'string',
    )
  );
}

function awardSealed(l: Listing, reveals: SealedReveal[] | undefined, ctx: ListingContext): Step {
  if (!reveals) return fail('VALIDATION_FAILED', 'a sealed round is awarded with the reveals {bidId, amount, salt} of its bids');
  const hash = ctx.commitmentHash;
  if (!hash) throw new Error('ctx.commitmentHash is required to open sealed bids');
  const now = ctx.now;
  const events: ListingEvent[] = [];
  const valid: Bid[] = [];
  for (const bid of l.bidding!.bids) {
    const revealed = revealedAmount(
      l,
      bid,
      reveals.find((r) => r.bidId === bid.id),
      hash,
    );
    if (revealed === null) {
      events.push(...forfeitDeposit(l, findBuyer(l, bid.orgId)!, 'invalid_sealed_bid', now));
      continue;
    }
    bid.amount = revealed;
    valid.push(bid);
  }
  const winner = pickWinner(valid);
  if (!winner) {
    l.state = 'closed';
    l.branch = 'no_buyer';
    return done([{ type: 'auction_failed', listingId: l.id, at: now, reason: 'no_valid_sealed_bid' }, ...events]);
  }
  for (const bid of valid) {
    if (bid !== winner) events.push(...refundDeposit(l, findBuyer(l, bid.orgId)!, 'outbid', now, ctx.calendar));
  }
  const proposed = propose(l, findBuyer(l, winner.orgId)!, winner.amount, 'sealed', winner.id, ctx);
  return proposed.ok ? done([...proposed.events, ...events]) : proposed;
}

function revealedAmount(l: Listing, bid: Bid, reveal: SealedReveal | undefined, hash: (s: string) => string): string | null {
  if (!reveal || bid.commitment === null) return null;
  const amount = positiveYuan(reveal.amount);
  if (!amount) return null;
  if (hash(sealedBidPreimage(l.id, bid.orgId, amount, reveal.salt)) !== bid.commitment) return null;
  return checkOpeningAmount(l, amount) === null ? amount : null;
}

/**
 * The winner must still meet, at the award and at its confirmation, what its registration was checked for (its
 * qualified-investor record may have lapsed, another buyer may have filled the fund's last place since). Refused
 * with WINNER_NOT_ELIGIBLE (the rulebook's code in `reason`) and nothing changes: domain.md names no fall-back to
 * the runner-up, so the operators wait for the buyer's record to be renewed, or suspend and terminate the listing.
 */
function winnerProblem(winner: Buyer, ctx: ListingContext): ListingError | null {
  const code = ctx.eligibilityOf?.(winner.orgId) ?? null;
  if (code === null) return null;
  return fail(
    'WINNER_NOT_ELIGIBLE',
    `the winning buyer ${winner.alias} no longer meets the rules its registration was checked for (${code})`,
    {
      reason: code,
      alias: winner.alias,
    },
  );
}

/** The first operator's award: the winner and price are fixed, the listing waits for a second operator. */
function propose(l: Listing, winner: Buyer, price: string, pricingMethod: PricingMethod, bidId: string | null, ctx: ListingContext): Step {
  const ineligible = winnerProblem(winner, ctx);
  if (ineligible) return ineligible;
  const gate = checkGateAt(l, price);
  if (gate) return gate;
  l.state = 'award_pending';
  l.pendingAward = { buyerOrgId: winner.orgId, price, pricingMethod, bidId, byUserId: ctx.actor.userId, at: ctx.now };
  return done([
    {
      type: 'award_proposed',
      listingId: l.id,
      at: ctx.now,
      orgId: winner.orgId,
      alias: winner.alias,
      price,
      byUserId: ctx.actor.userId,
    },
  ]);
}

/** A second operator confirms the award: the deposit is applied and the trade opens (listing_awarded). */
export function confirmAward(l: Listing, ctx: ListingContext): Step {
  if (!isOperator(ctx.actor)) return fail('FORBIDDEN', 'only an operator confirms an award');
  const p = l.pendingAward;
  if (l.state !== 'award_pending' || !p) return fail('INVALID_STATE', `no award waits for confirmation in state ${l.state}`);
  if (ctx.actor.userId === p.byUserId) return fail('FOUR_EYES', 'the award is confirmed by a different operator from the one who awarded');
  const so = l.stateOwned;
  if (so) {
    const problem = checkAppraisalValid(so, beijingDate(ctx.now), l.rules) ?? checkGateAt(l, p.price);
    if (problem) return problem;
  }
  const winner = findBuyer(l, p.buyerOrgId)!;
  const ineligible = winnerProblem(winner, ctx);
  if (ineligible) return ineligible;
  l.pendingAward = null;
  return done(awardTo(l, winner, p, ctx));
}

function awardTo(l: Listing, winner: Buyer, p: PendingAward, ctx: ListingContext): ListingEvent[] {
  const { now, calendar, actor } = ctx;
  const today = beijingDate(now);
  const publication = calendar.addWorkingDays(today, l.rules.resultPublicationWorkingDays);
  const trade: AwardedTrade = {
    listingId: l.id,
    fundId: l.fundId,
    sellerOrgId: l.sellerOrgId,
    buyerOrgId: winner.orgId,
    quantity: l.quantity,
    price: p.price,
    pricingMethod: p.pricingMethod,
    depositApplied: winner.deposit!.amount,
    bidId: p.bidId,
    awardedAt: now,
    awardedByUserId: p.byUserId,
    confirmedByUserId: actor.userId,
    publicationStartDate: today,
    publicationEndDate: publication.date,
    publicationProvisional: publication.provisional,
  };
  l.state = 'awarded';
  l.award = { ...trade, defaultedAt: null, defaultReason: null };
  return [...applyDeposit(l, winner, now), { type: 'listing_awarded', listingId: l.id, at: now, trade }];
}

export function recordDefault(l: Listing, cmd: { reason: 'not_signed' | 'paid_late' }, ctx: ListingContext): Step {
  if (cmd.reason !== 'not_signed' && cmd.reason !== 'paid_late') return fail('VALIDATION_FAILED', 'reason must be not_signed or paid_late');
  if (!isOperator(ctx.actor)) return fail('FORBIDDEN', 'only an operator records a default');
  if (l.state !== 'awarded' || !l.award) return fail('INVALID_STATE', 'only an awarded listing has a winner to default');
  const winner = findBuyer(l, l.award.buyerOrgId)!;
  l.award.defaultedAt = ctx.now;
  l.award.defaultReason = cmd.reason;
  l.state = 'closed';
  l.branch = 'no_buyer';
  return done([
    { type: 'winner_defaulted', listingId: l.id, at: ctx.now, orgId: winner.orgId, reason: cmd.reason },
    ...forfeitDeposit(l, winner, cmd.reason, ctx.now),
  ]);
}
