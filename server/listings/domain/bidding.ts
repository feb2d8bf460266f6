/**
 * Placing a bid. Open auction (`auction`): bids in whole multiples of the increment above the
 * current price, the first bid may equal the ask; in timed bidding each bid restarts the countdown.
 * Sealed round (`sealed`): one bid per bidder, held only as the commitment the server computed
 * (see `sealedBidPreimage`); an amount passed alongside is checked and then dropped, never stored.
 *
 * Checks in order: FORBIDDEN, AUCTION_NOT_OPEN / AUCTION_CLOSED / INVALID_STATE, BUYER_NOT_QUALIFIED,
 * LIMIT_REACHED, VALIDATION_FAILED, ALREADY_HIGHEST_BIDDER / SEALED_BID_ALREADY_PLACED, BID_TOO_LOW,
 * BID_NOT_ON_INCREMENT.
 */
import { formatYuan, parseYuan } from '../../../shared/decimal';
import { findBuyer, isIn } from './buyers';
import { MS_PER_MINUTE } from './rules';
import { BUYER, done, fail, onIncrement, positiveYuan, yuan, type Step } from './support';
import { pickWinner } from './winner';
import type { Bid, Listing, ListingContext, ListingError } from './types';

const COMMITMENT_RE = /^[0-9a-f]{64}$/;

/**
 * The text a sealed bid's commitment hashes: `listingId|bidderOrgId|amount|salt`, the amount
 * normalised to 2 decimals. The server computes commitment = sha256(this) when the bid arrives and
 * keeps the amount and salt encrypted apart from the listing until the round closes.
 */
export function sealedBidPreimage(listingId: string, bidderOrgId: string, amount: string, salt: string): string {
  return `${listingId}|${bidderOrgId}|${formatYuan(parseYuan(amount))}|${salt}`;
}

/** The highest open bid, or null before the first bid. */
export const currentPrice = (l: Listing): string | null =>
  l.method === 'auction' && l.bidding ? (pickWinner(l.bidding.bids)?.amount ?? null) : null;

/** A valid amount for an opening (or sealed) bid: at least the ask, on the ask's increment grid. */
export function checkOpeningAmount(l: Listing, amount: string): ListingError | null {
  if (yuan(amount).lt(yuan(l.askPrice)))
    return fail('BID_TOO_LOW', `the first bid must be at least the ask ${l.askPrice}`, { minimum: l.askPrice });
  if (!onIncrement(amount, l.askPrice, l.increment)) {
    return fail('BID_NOT_ON_INCREMENT', `a bid must be the ask ${l.askPrice} plus a whole multiple of ${l.increment}`, {
      base: l.askPrice,
      increment: l.increment,
    });
  }
  return null;
}

function stateProblem(l: Listing): ListingError | null {
  if (l.state === 'bidding') return null;
  if (l.state === 'closed' && l.branch === 'auction') return fail('AUCTION_NOT_OPEN', 'bidding has not opened yet');
  if (l.state === 'bidding_closed' || l.state === 'awarded' || l.bidding?.phase === 'closed')
    return fail('AUCTION_CLOSED', 'the bidding round has closed');
  return fail('INVALID_STATE', `no bidding in state ${l.state}`, { reason: 'listing_state', state: l.state });
}

export function placeBid(l: Listing, cmd: { amount?: string; commitment?: string }, ctx: ListingContext): Step {
  const { actor, now } = ctx;
  if (!actor.roles.includes(BUYER) || actor.orgId === l.sellerOrgId) return fail('FORBIDDEN', 'only a buyer other than the seller may bid');
  const stateError = stateProblem(l);
  if (stateError) return stateError;
  const b = l.bidding!;
  const buyer = findBuyer(l, actor.orgId);
  if (!buyer || !isIn(buyer)) return fail('BUYER_NOT_QUALIFIED', 'only a buyer qualified with a confirmed deposit may bid');
  // Checked again at each bid, as at the award: a bid the award would have to refuse must not lead the auction.
  const rule = ctx.eligibilityOf?.(buyer.orgId) ?? null;
  if (rule !== null)
    return fail('BIDDER_NOT_ELIGIBLE', `the bidder no longer meets the rules its registration was checked for (${rule})`, { reason: rule });
  if (b.bids.length >= l.rules.maxBidsPerRound)
    return fail('LIMIT_REACHED', `at most ${l.rules.maxBidsPerRound} bids per round`, { limit: String(l.rules.maxBidsPerRound) });
  const id = ctx.ids?.bidId ?? `${l.id}-r${l.round}-b${b.bids.length + 1}`;

  if (l.method === 'sealed') {
    if (typeof cmd.commitment !== 'string' || !COMMITMENT_RE.test(cmd.commitment)) {
      return fail('VALIDATION_FAILED', 'a sealed bid needs its commitment: 64 lowercase hex characters (SHA-256)');
    }
    if (b.bids.some((x) => x.orgId === buyer.orgId)) return fail('SEALED_BID_ALREADY_PLACED', 'one sealed bid per bidder');
    if (cmd.amount !== undefined) {
      // Checked so a bidder learns at once that its bid is off the grid; then dropped, never stored.
      const amount = positiveYuan(cmd.amount);
      if (!amount) return fail('VALIDATION_FAILED', 'amount must be a positive yuan amount string');
      const problem = checkOpeningAmount(l, amount);
      if (problem) return problem;
    }
    const bid: Bid = { id, orgId: buyer.orgId, alias: buyer.alias, at: now, amount: null, commitment: cmd.commitment };
    b.bids.push(bid);
    return done([
      {
        type: 'bid_placed',
        listingId: l.id,
        at: now,
        bidId: id,
        alias: bid.alias,
        amount: null,
        commitment: bid.commitment,
        closesAt: b.closesAt!,
      },
    ]);
  }

  if (cmd.commitment !== undefined) return fail('VALIDATION_FAILED', 'an open auction takes an amount, not a commitment');
  const amount = positiveYuan(cmd.amount);
  if (!amount) return fail('VALIDATION_FAILED', 'amount must be a positive yuan amount string');
  const leader = pickWinner(b.bids);
  if (leader && leader.orgId === buyer.orgId && !l.rules.allowRaisingOwnHighestBid) {
    return fail('ALREADY_HIGHEST_BIDDER', 'you already hold the highest bid');
  }
  if (leader === null) {
    const problem = checkOpeningAmount(l, amount);
    if (problem) return problem;
  } else {
    if (yuan(amount).lte(yuan(leader.amount))) {
      return fail('BID_TOO_LOW', `a bid must be above the current price ${leader.amount}`, {
        minimum: formatYuan(yuan(leader.amount).plus(yuan(l.increment))),
        currentPrice: leader.amount,
      });
    }
    if (!onIncrement(amount, leader.amount, l.increment)) {
      return fail('BID_NOT_ON_INCREMENT', `a bid must be the current price ${leader.amount} plus a whole multiple of ${l.increment}`, {
        base: leader.amount,
        increment: l.increment,
      });
    }
  }
  // In timed bidding each bid restarts the countdown; in free bidding the close stays where it is.
  if (b.phase === 'timed') b.closesAt = Math.max(b.closesAt!, now + l.rules.countdownMinutes * MS_PER_MINUTE);
  const bid: Bid = { id, orgId: buyer.orgId, alias: buyer.alias, at: now, amount, commitment: null };
  b.bids.push(bid);
  return done([
    { type: 'bid_placed', listingId: l.id, at: now, bidId: id, alias: bid.alias, amount, commitment: null, closesAt: b.closesAt! },
  ]);
}
