/**
 * Everything time-driven: disclosure starts and ends, bidding opens, free bidding turns into timed
 * bidding, the round closes. The listing holds the absolute instants, and each transition happens
 * at the instant the rule gives, never at the instant someone noticed: after a restart, `tick(now)`
 * closes an auction at its last bid plus the countdown, and the events carry that time.
 */
import { beijingInstant, type WorkingDayCalendar } from '../../../shared/calendar';
import { branchFor, buyersIn, forfeitDeposit, holdsDeposit, isActive, refundDeposit } from './buyers';
import { endByLimit, nextLimit } from './limits';
import { handshakeSettled, hasHandshake } from './handshake';
import { qualificationTimerAt, qualificationTransition, startQualification } from './qualification-phase';
import { pickWinner } from './winner';
import { MS_PER_MINUTE, rulesOf } from './rules';
import type { Listing, ListingEvent } from './types';

/** The next instant at which something time-driven happens to this listing, or null (for the server's scheduler). */
export function nextTimerAt(l: Listing): number | null {
  const base = stepTimerAt(l);
  const limit = nextLimit(l)?.at ?? null;
  if (limit === null) return base;
  return base === null ? limit : Math.min(base, limit);
}

/** The next step of the lifecycle itself (limits aside). */
function stepTimerAt(l: Listing): number | null {
  switch (l.state) {
    case 'approved':
      return l.disclosure?.startsAt ?? null;
    case 'disclosure':
      return l.disclosure?.closesAt ?? null;
    case 'qualification':
      return qualificationTimerAt(l);
    case 'closed':
      return l.branch === 'auction' && l.bidding?.phase === 'scheduled' ? l.bidding.opensAt : null;
    case 'bidding':
      if (!l.bidding) return null;
      return l.bidding.phase === 'free' ? l.bidding.freeEndsAt : l.bidding.closesAt;
    default:
      return null;
  }
}

/**
 * A bound on transitions in one tick: approved → disclosure → closed → bidding → timed → closed is 5; the
 * qualification phase adds its opinion deadline, its close and one instant per distinct answer due date
 * (at most one per working day of the opinion window: `maxTransitions`).
 */
const MAX_TRANSITIONS_PER_TICK = 8;
const maxTransitions = (l: Listing): number => MAX_TRANSITIONS_PER_TICK + 2 + rulesOf(l.rules).qualificationOpinionWorkingDays;

/** Applies every transition due at or before `now`, in order, on the given working copy. */
export function advance(l: Listing, now: number, calendar: WorkingDayCalendar): ListingEvent[] {
  const events: ListingEvent[] = [];
  for (let i = 0; ; i++) {
    const t = nextTimerAt(l);
    if (t === null || t > now) return events;
    if (i >= maxTransitions(l)) throw new Error(`listing ${l.id}: more than ${maxTransitions(l)} transitions in one tick`);
    events.push(...transitionAt(l, t, calendar));
    l.updatedAt = Math.max(l.updatedAt, t);
  }
}

/** Pure time step: the listing as of `now`, with the events of every transition that fell due. */
export function tick(listing: Listing, now: number, calendar: WorkingDayCalendar): { listing: Listing; events: ListingEvent[] } {
  const l = structuredClone(listing);
  const events = advance(l, now, calendar);
  return { listing: l, events };
}

function transitionAt(l: Listing, t: number, calendar: WorkingDayCalendar): ListingEvent[] {
  // A limit due at the same instant as a step wins: the step would move a listing the rules have stopped.
  const limit = nextLimit(l);
  if (limit && limit.at <= t) return endByLimit(l, limit.at, limit.reason, calendar);
  const d = l.disclosure;
  const b = l.bidding;
  if (l.state === 'approved' && d) {
    l.state = 'disclosure';
    return [{ type: 'disclosure_started', listingId: l.id, at: t, startDate: d.startDate, endDate: d.endDate }];
  }
  if (l.state === 'disclosure' && d) return closeDisclosure(l, t, calendar);
  if (l.state === 'qualification') return qualificationTransition(l, t, calendar);
  if (l.state === 'closed' && b) return openBidding(l, t);
  if (l.state === 'bidding' && b && b.phase === 'free' && b.freeEndsAt !== null) {
    b.phase = 'timed';
    return [{ type: 'timed_bidding_started', listingId: l.id, at: t, closesAt: b.closesAt ?? t }];
  }
  if (l.state === 'bidding' && b) return closeBidding(l, t, calendar);
  throw new Error(`listing ${l.id}: no transition from ${l.state}`);
}

/**
 * Registration, qualification and deposits close; the buyers in decide the branch. With the qualification
 * handshake, registration closes and the qualification phase starts instead, unless nothing is left to
 * settle (every registrant refused, or qualified with its deposit: the branch can be decided now).
 */
function closeDisclosure(l: Listing, t: number, calendar: WorkingDayCalendar): ListingEvent[] {
  if (hasHandshake(l) && !handshakeSettled(l)) return startQualification(l, t, calendar);
  const endDate = l.disclosure!.endDate;
  const events: ListingEvent[] = [];
  // A deposit from a buyer not qualified by the close goes back (refused buyers were refunded when refused).
  for (const buyer of l.buyers) {
    if (isActive(buyer) && holdsDeposit(buyer) && buyer.qualification !== 'qualified') {
      events.push(...refundDeposit(l, buyer, 'registration_closed', t, calendar, endDate));
    }
  }
  const n = buyersIn(l).length;
  const branch = branchFor(n);
  l.state = 'closed';
  l.branch = branch;
  l.bidding = null;
  if (branch === 'auction') {
    const day = calendar.addWorkingDays(endDate, 1).date;
    l.bidding = {
      opensAt: beijingInstant(day, l.rules.biddingOpensAtBeijingTime),
      phase: 'scheduled',
      freeEndsAt: null,
      closesAt: null,
      closedAt: null,
      bids: [],
    };
  }
  return [{ type: 'disclosure_closed', listingId: l.id, at: t, endDate, qualifiedBuyers: n, branch }, ...events];
}

function openBidding(l: Listing, t: number): ListingEvent[] {
  const b = l.bidding!;
  const r = l.rules;
  l.state = 'bidding';
  if (l.method === 'sealed') {
    b.phase = 'sealed';
    b.closesAt = t + r.sealedRoundMinutes * MS_PER_MINUTE;
  } else {
    b.freeEndsAt = t + r.freeBiddingMinutes * MS_PER_MINUTE;
    b.closesAt = b.freeEndsAt + r.countdownMinutes * MS_PER_MINUTE;
    b.phase = r.freeBiddingMinutes > 0 ? 'free' : 'timed';
  }
  return [{ type: 'bidding_opened', listingId: l.id, at: t, method: l.method, freeEndsAt: b.freeEndsAt, closesAt: b.closesAt }];
}

/**
 * The round closes at its closesAt. Bidders in who did not bid forfeit their deposits. Open auction:
 * the winner is known now, so the other bidders' refunds fall due now. Sealed: bids are opened at the
 * award. Nobody bid: the auction failed and the listing goes back to "no qualified buyer".
 */
function closeBidding(l: Listing, t: number, calendar: WorkingDayCalendar): ListingEvent[] {
  const b = l.bidding!;
  b.phase = 'closed';
  b.closedAt = t;
  const bidders = new Set(b.bids.map((x) => x.orgId));
  const forfeits = buyersIn(l)
    .filter((x) => !bidders.has(x.orgId))
    .flatMap((x) => forfeitDeposit(l, x, 'did_not_bid', t));
  if (b.bids.length === 0) {
    l.state = 'closed';
    l.branch = 'no_buyer';
    return [
      { type: 'bidding_closed', listingId: l.id, at: t, bids: 0, winnerAlias: null, price: null },
      { type: 'auction_failed', listingId: l.id, at: t, reason: 'no_bids' },
      ...forfeits,
    ];
  }
  l.state = 'bidding_closed';
  if (l.method === 'sealed') {
    return [{ type: 'bidding_closed', listingId: l.id, at: t, bids: b.bids.length, winnerAlias: null, price: null }, ...forfeits];
  }
  const winner = pickWinner(b.bids)!;
  const refunds = l.buyers
    .filter((x) => x.orgId !== winner.orgId && bidders.has(x.orgId))
    .flatMap((x) => refundDeposit(l, x, 'outbid', t, calendar));
  return [
    { type: 'bidding_closed', listingId: l.id, at: t, bids: b.bids.length, winnerAlias: winner.alias, price: winner.amount },
    ...forfeits,
    ...refunds,
  ];
}
