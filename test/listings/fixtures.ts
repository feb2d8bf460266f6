/**
 * Shared fixtures for the listing specifications: actors, a calendar, and helpers that drive a
 * listing through its lifecycle by decide/tick only (the same path the server takes).
 */
import { expect } from 'chai';
import { WorkingDayCalendar, beijingInstant } from '../../shared/calendar';
import {
  createListing,
  decide,
  hasHandshake,
  listingRules,
  type ListingRules,
  nextTimerAt,
  tick,
  type Actor,
  type CreateListingInput,
  type DecideResult,
  type Listing,
  type ListingCommand,
  type ListingContext,
  type ListingEvent,
} from '../../server/listings/domain';

export const calendar = new WorkingDayCalendar();

export const seller: Actor = { userId: 'u-lp', orgId: 'org-lp', roles: ['seller', 'buyer'] };
export const op1: Actor = { userId: 'u-op1', orgId: 'org-exchange', roles: ['operator'] };
export const op2: Actor = { userId: 'u-op2', orgId: 'org-exchange', roles: ['operator'] };
export const op3: Actor = { userId: 'u-op3', orgId: 'org-exchange', roles: ['operator'] };
export const buyer1: Actor = { userId: 'u-b1', orgId: 'org-b1', roles: ['buyer'] };
export const buyer2: Actor = { userId: 'u-b2', orgId: 'org-b2', roles: ['buyer'] };
export const buyer3: Actor = { userId: 'u-b3', orgId: 'org-b3', roles: ['buyer'] };

/** A Beijing wall-clock instant. */
export const bj = (date: string, hhmm = '09:00'): number => beijingInstant(date, hhmm);
export const MINUTE = 60_000;

export const privateInput: CreateListingInput = {
  fundId: 'fund-1',
  quantity: '10000000',
  method: 'auction',
  askPrice: '8000000',
  increment: '100000.00',
  depositAmount: '800000.00',
  buyerConditions: ['Qualified investor with net assets of at least RMB 10 million'],
};

export const stateOwnedInput: CreateListingInput = {
  ...privateInput,
  askPrice: '10000000.00',
  depositAmount: '3000000.00',
  stateOwned: {
    resolutionRef: 'RES-2026-01',
    approvalRef: 'SASAC-2026-07',
    appraisalRef: 'APR-2026-03',
    appraisalValue: '10000000.00',
    appraisalBaseDate: '2026-01-31',
  },
};

export function ctx(actor: Actor, now: number, extra: Partial<ListingContext> = {}): ListingContext {
  return { now, actor, calendar, ...extra };
}

/** Unwraps a successful result, failing the test with the code otherwise. */
export function ok(r: DecideResult): { listing: Listing; events: ListingEvent[] } {
  if (!r.ok) expect.fail(`expected success, got ${r.code}: ${r.detail}`);
  return { listing: r.listing, events: r.events };
}

export function expectCode(r: DecideResult, code: string): void {
  if (r.ok) expect.fail(`expected ${code}, got success in state ${r.listing.state}`);
  expect(r.code, r.detail).to.equal(code);
}

export const act = (l: Listing, actor: Actor, now: number, command: ListingCommand, extra: Partial<ListingContext> = {}) =>
  ok(decide(l, command, ctx(actor, now, extra)));

export const eventsOf = <T extends ListingEvent['type']>(events: ListingEvent[], type: T) =>
  events.filter((e): e is Extract<ListingEvent, { type: T }> => e.type === type);

/**
 * The rules of a state-owned listing stored before the qualification handshake existed: it keeps the old flow
 * (qualification and deposits in any order during disclosure, the branch decided at its close).
 */
export const rulesBeforeHandshake = listingRules({ stateOwnedQualificationHandshake: false });

/** Creates, submits, reviews (op1) and approves (op2) a listing on the given Beijing date at 09:00. */
export function approvedOn(approvalDate: string, input: CreateListingInput = privateInput, id = 'L-1', rules?: ListingRules): Listing {
  const now = bj(approvalDate);
  let l = ok(createListing(input, { now, actor: seller, listingId: id }, rules)).listing;
  l = act(l, seller, now, { action: 'submit' }).listing;
  l = act(l, op1, now, { action: 'review' }).listing;
  return act(l, op2, now, { action: 'approve' }).listing;
}

/**
 * Registers each buyer, then qualifies (op1) and confirms the deposit (op2, four eyes) of those listed in `inWith`.
 * On a state-owned listing with the qualification handshake the seller agrees to each opinion in between
 * (`settleHandshake`), so that, everything settled, disclosure closes straight into the branch as before.
 */
export function withBuyers(l: Listing, now: number, registered: Actor[], inWith: Actor[] = registered): Listing {
  for (const b of registered) l = act(l, b, now, { action: 'register' }).listing;
  for (const b of inWith) {
    l = act(l, op1, now, { action: 'qualify', orgId: b.orgId, eligible: true }).listing;
    l = settleHandshake(l, now, b);
    l = act(l, op2, now, { action: 'confirm_deposit', orgId: b.orgId, bankRef: `BANK-${b.orgId}` }).listing;
  }
  return l;
}

/**
 * The transferor's side of the qualification handshake for a buyer with a positive opinion: the seller agrees.
 * A no-op on a listing without the handshake, or when nothing waits for an answer.
 */
export function settleHandshake(l: Listing, now: number, b: Actor): Listing {
  const buyer = l.buyers.find((x) => x.orgId === b.orgId);
  if (!hasHandshake(l) || buyer?.handshake?.answer !== null || buyer.handshake === undefined) return l;
  return act(l, seller, now, { action: 'seller_answer', orgId: b.orgId, answer: 'agree' }).listing;
}

/** Ticks at the listing's next timer instant: exactly what the server's scheduler does. */
export function fireNextTimer(l: Listing): { listing: Listing; events: ListingEvent[] } {
  const t = nextTimerAt(l);
  if (t === null) expect.fail(`no timer pending in state ${l.state}`);
  return tick(l, t, calendar);
}

/** An open auction with buyer1 and buyer2 in, approved 2026-09-14, bidding opened 2026-10-16 10:00. */
export function openAuction(input: CreateListingInput = privateInput): Listing {
  let l = approvedOn('2026-09-14', { ...input, disclosureWorkingDays: 20 });
  l = withBuyers(l, bj('2026-09-15'), [buyer1, buyer2]);
  l = fireNextTimer(l).listing; // disclosure closes
  return fireNextTimer(l).listing; // bidding opens
}

/** Four eyes on the award: op1 awards (award_pending), op2 confirms (awarded, the trade opens). Returns both steps' events. */
export function awardAndConfirm(
  l: Listing,
  now: number,
  command: Extract<ListingCommand, { action: 'award' }> = { action: 'award' },
  extra: Partial<ListingContext> = {},
): { listing: Listing; events: ListingEvent[] } {
  const proposed = act(l, op1, now, command, extra);
  expect(proposed.listing.state).to.equal('award_pending');
  const confirmed = act(proposed.listing, op2, now, { action: 'confirm_award' });
  return { listing: confirmed.listing, events: [...proposed.events, ...confirmed.events] };
}
