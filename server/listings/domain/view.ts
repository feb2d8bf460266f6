/**
 * What GET /api/listings/:listingId shows to a signed-in viewer. Never an organisation id of a
 * bidder, never a sealed amount before the award (the listing holds none before then anyway), and
 * before a sealed round closes not even who bid: only how many bids arrived and the viewer's own.
 */
import { Dec, formatPct, HUNDRED } from '../../../shared/decimal';
import type { WorkingDayCalendar } from '../../../shared/calendar';
import { findBuyer, isActive, isIn } from './buyers';
import { currentPrice } from './bidding';
import { anyObjectionOpen, handshakeStatus, hasHandshake, type HandshakeStatus } from './handshake';
import { isoTime, isOperator, positiveYuan } from './support';
import { advance } from './timers';
import type {
  Actor,
  BiddingPhase,
  Buyer,
  DepositOutcome,
  ListingBranch,
  Listing,
  ListingMethod,
  ListingState,
  PricingMethod,
  Qualification,
} from './types';

export interface PublicBid {
  alias: string;
  /** Open auction: the amount. Sealed: null until the award opens the bids. */
  amount: string | null;
  at: string;
}

/** One registrant's qualification handshake, by alias: for the seller and operators (the buyer sees its own status in `you`). */
export interface HandshakeView {
  alias: string;
  status: HandshakeStatus;
  opinionAt: string | null;
  answerDueDate: string | null;
  answerDueProvisional: boolean;
  answeredAt: string | null;
  /** The transferor's reason for an objection (for the state-asset regulator). */
  objectionReason: string | null;
  resolution: { outcome: 'uphold' | 'dismiss'; regulatorRef: string; recordedAt: string; confirmedAt: string | null } | null;
}

export interface SellerAnswerDue {
  alias: string;
  answerDueDate: string;
  provisional: boolean;
}

export interface PublicListingView {
  id: string;
  fundId: string;
  state: ListingState;
  branch: ListingBranch | null;
  round: number;
  quantity: string;
  askPrice: string;
  increment: string;
  depositAmount: string;
  /** Current (or final) price as percent of the NAV of the listed quantity, 2 decimals half-up; null without a NAV. */
  impliedPctOfNav: string | null;
  method: ListingMethod;
  buyerConditions: string[];
  stateOwned: boolean;
  appraisalValue: string | null;
  /** Payment by instalments allowed, at this interest rate (percent per year); null: lump sum only. */
  instalments: { interestRatePct: string } | null;
  disclosureStartDate: string | null;
  disclosureEndDate: string | null;
  disclosureEndProvisional: boolean;
  registrationClosesAt: string | null;
  /** Registrations in this round (withdrawn ones excluded). */
  registeredBidders: number;
  /** Buyers qualified with a deposit once registration has closed (the auction's bidders). */
  bidderCount: number;
  bidderAliases: string[];
  currentPrice: string | null;
  bids: PublicBid[];
  sealedBidsReceived: number | null;
  phase: BiddingPhase | null;
  biddingOpensAt: string | null;
  freeBiddingEndsAt: string | null;
  closesAt: string | null;
  closesInMs: number | null;
  /** State-owned handshake: the opinion and deposit deadlines once disclosure closed (deposits held while an objection is open). */
  qualificationPhase: { opinionDeadline: string; depositDeadline: string; depositDeadlineHeld: boolean; provisional: boolean } | null;
  /** Every registrant's handshake, by alias, for the seller's organisation and operators; null for anyone else or without the handshake. */
  handshakes: HandshakeView[] | null;
  /**
   * What the transferor must answer now (the seller's next actions, for its inbox): each positive opinion waiting for
   * its `seller_answer`, with the date by which silence becomes agreement, soonest first. For the seller's
   * organisation and operators while the listing takes answers (disclosure, qualification); null for anyone else.
   */
  sellerAnswersDue: SellerAnswerDue[] | null;
  /** Why the listing ended: a limit's code (APPRAISAL_EXPIRED, REAPPRAISAL_REQUIRED, SUSPENSION_EXPIRED) or the reason given. */
  endReason: string | null;
  /** While an award waits for a second operator (four eyes): who awarded, at what price, to which alias. */
  pendingAward: { winnerAlias: string; price: string; awardedByUserId: string; at: string } | null;
  result: { winnerAlias: string; price: string; pricingMethod: PricingMethod; awardedAt: string; publicationEndDate: string } | null;
  you: {
    alias: string;
    qualification: Qualification;
    deposit: 'none' | 'held' | DepositOutcome;
    withdrawn: boolean;
    isLeading: boolean;
    /** The buyer's own handshake: where it stands and the transferor's answer due date (no reasons). */
    handshake: { status: HandshakeStatus; answerDueDate: string | null } | null;
  } | null;
}

export interface PublicViewOptions {
  /** NAV attributable to the listed quantity, yuan string, for impliedPctOfNav. */
  navOfQuantity?: string | null;
  /** With a calendar the view first applies the transitions due at `now`. */
  calendar?: WorkingDayCalendar;
}

type Viewer = Pick<Actor, 'orgId'> & Partial<Actor>;

export function publicView(listing: Listing, viewer: Viewer, now: number, opts: PublicViewOptions = {}): PublicListingView {
  let l = listing;
  if (opts.calendar) {
    l = structuredClone(listing);
    advance(l, now, opts.calendar);
  }
  const b = l.bidding;
  const sealedOpen = l.method === 'sealed' && b !== null && b.phase !== 'closed';
  const afterClose = l.state !== 'disclosure' && l.disclosure !== null && l.branch !== null;
  const price = l.award && !l.award.defaultedAt ? l.award.price : currentPrice(l);
  const me = findBuyer(l, viewer.orgId);
  const leader = l.method === 'auction' && b ? b.bids.filter((x) => x.amount === price).at(0) : undefined;
  const bids: PublicBid[] = !b
    ? []
    : b.bids
        .filter((x) => !sealedOpen || x.orgId === viewer.orgId)
        .map((x) => ({ alias: x.alias, amount: x.amount, at: new Date(x.at).toISOString() }));
  const closesAt = b && (l.state === 'bidding' || l.state === 'suspended') ? b.closesAt : null;
  const handshake = hasHandshake(l);
  const staff = viewer.orgId === l.sellerOrgId || (viewer.roles !== undefined && isOperator(viewer as Actor));
  const phase = l.qualificationPhase ?? null;
  return {
    id: l.id,
    fundId: l.fundId,
    state: l.state,
    branch: l.branch,
    round: l.round,
    quantity: l.quantity,
    askPrice: l.askPrice,
    increment: l.increment,
    depositAmount: l.depositAmount,
    impliedPctOfNav: impliedPct(price ?? l.askPrice, opts.navOfQuantity),
    method: l.method,
    buyerConditions: [...l.buyerConditions],
    stateOwned: l.stateOwned !== null,
    appraisalValue: l.stateOwned?.appraisalValue ?? null,
    instalments: l.instalments ? { ...l.instalments } : null,
    disclosureStartDate: l.disclosure?.startDate ?? null,
    disclosureEndDate: l.disclosure?.endDate ?? null,
    disclosureEndProvisional: l.disclosure?.provisional ?? false,
    registrationClosesAt: isoTime(l.disclosure?.closesAt ?? null),
    registeredBidders: l.buyers.filter(isActive).length,
    bidderCount: afterClose ? l.buyers.filter((x) => isIn(x) || (b?.bids.some((y) => y.orgId === x.orgId) ?? false)).length : 0,
    bidderAliases: afterClose && b ? l.buyers.filter((x) => isIn(x) || b.bids.some((y) => y.orgId === x.orgId)).map((x) => x.alias) : [],
    currentPrice: price,
    bids,
    sealedBidsReceived: l.method === 'sealed' && b ? b.bids.length : null,
    phase: b?.phase ?? null,
    biddingOpensAt: isoTime(b?.opensAt ?? null),
    freeBiddingEndsAt: isoTime(b?.freeEndsAt ?? null),
    closesAt: isoTime(closesAt),
    closesInMs: closesAt !== null && l.state === 'bidding' ? Math.max(0, closesAt - now) : null,
    qualificationPhase: phase
      ? {
          opinionDeadline: phase.opinionDeadline,
          depositDeadline: phase.depositDeadline,
          depositDeadlineHeld: l.state === 'qualification' && anyObjectionOpen(l),
          provisional: phase.opinionDeadlineProvisional || phase.depositDeadlineProvisional,
        }
      : null,
    handshakes: handshake && staff ? l.buyers.filter(isActive).map(handshakeView) : null,
    sellerAnswersDue: handshake && staff ? sellerAnswersDue(l) : null,
    endReason: l.endReason,
    pendingAward: l.pendingAward
      ? {
          winnerAlias: findBuyer(l, l.pendingAward.buyerOrgId)!.alias,
          price: l.pendingAward.price,
          awardedByUserId: l.pendingAward.byUserId,
          at: new Date(l.pendingAward.at).toISOString(),
        }
      : null,
    result:
      l.award && !l.award.defaultedAt
        ? {
            winnerAlias: findBuyer(l, l.award.buyerOrgId)!.alias,
            price: l.award.price,
            pricingMethod: l.award.pricingMethod,
            awardedAt: new Date(l.award.awardedAt).toISOString(),
            publicationEndDate: l.award.publicationEndDate,
          }
        : null,
    you: me
      ? {
          alias: me.alias,
          qualification: me.qualification,
          deposit: me.deposit === null ? 'none' : (me.deposit.outcome ?? 'held'),
          withdrawn: me.withdrawnAt !== null,
          isLeading: leader !== undefined && leader.orgId === me.orgId,
          handshake: handshake ? { status: handshakeStatus(me), answerDueDate: me.handshake?.answerDueDate ?? null } : null,
        }
      : null,
  };
}

/** Positive opinions waiting for the transferor's answer, soonest due first (then by alias: registration order). */
function sellerAnswersDue(l: Listing): SellerAnswerDue[] {
  if (l.state !== 'disclosure' && l.state !== 'qualification') return [];
  return l.buyers
    .filter((b) => isActive(b) && b.handshake?.answer === null && b.handshake.answerDueDate !== null)
    .map((b) => ({ alias: b.alias, answerDueDate: b.handshake!.answerDueDate!, provisional: b.handshake!.answerDueProvisional }))
    .sort((a, b) => (a.answerDueDate < b.answerDueDate ? -1 : a.answerDueDate > b.answerDueDate ? 1 : 0));
}

export function handshakeView(b: Buyer): HandshakeView {
  const h = b.handshake ?? null;
  const r = h?.resolution ?? null;
  return {
    alias: b.alias,
    status: handshakeStatus(b),
    opinionAt: isoTime(h?.opinionAt ?? null),
    answerDueDate: h?.answerDueDate ?? null,
    answerDueProvisional: h?.answerDueProvisional ?? false,
    answeredAt: isoTime(h?.answeredAt ?? null),
    objectionReason: h?.objectionReason ?? null,
    resolution: r
      ? { outcome: r.outcome, regulatorRef: r.regulatorRef, recordedAt: isoTime(r.at)!, confirmedAt: isoTime(r.confirmedAt) }
      : null,
  };
}

function impliedPct(price: string, nav: string | null | undefined): string | null {
  const navAmount = positiveYuan(nav);
  if (!navAmount) return null;
  return formatPct(new Dec(price).times(HUNDRED).div(new Dec(navAmount)));
}
