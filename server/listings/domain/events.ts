/**
 * What happened to a listing, for the journal, the WebSocket channel and the ledger. Internal
 * values: deposit events carry organisation ids, so the server maps them to public messages
 * (aliases only) before anything leaves for a client. Every event has the instant the rule gives
 * (`at`), which after a restart may be earlier than the tick that produced it.
 */
import type { AwardedTrade, ForfeitReason, ListingBranch, ListingMethod, ListingState, ObjectionOutcome, RefundReason } from './types';

type EventBody =
  | { type: 'listing_created' }
  | { type: 'listing_submitted' }
  | { type: 'listing_reviewed'; byUserId: string }
  | { type: 'listing_approved'; byUserId: string; disclosureStartDate: string; disclosureEndDate: string; provisional: boolean }
  | { type: 'listing_rejected'; byUserId: string; reason: string }
  | { type: 'disclosure_started'; startDate: string; endDate: string }
  | { type: 'disclosure_closed'; endDate: string; qualifiedBuyers: number; branch: ListingBranch }
  | { type: 'listing_extended'; workingDays: number; fromEndDate: string; toEndDate: string; provisional: boolean }
  | { type: 'listing_repriced'; fromAskPrice: string; toAskPrice: string; belowNinetyApprovalRef: string | null; round: number }
  | { type: 'listing_withdrawn'; byUserId: string }
  | { type: 'listing_ended'; reason: string }
  | { type: 'listing_suspended'; reason: string; from: ListingState }
  | { type: 'listing_resumed'; to: ListingState }
  | { type: 'buyer_registered'; orgId: string; alias: string }
  | { type: 'buyer_qualified'; orgId: string; alias: string; eligible: boolean; reasonCode: string | null }
  | { type: 'buyer_withdrew'; orgId: string; alias: string }
  | { type: 'qualification_started'; endDate: string; opinionDeadline: string; depositDeadline: string; provisional: boolean }
  | { type: 'seller_answered'; orgId: string; alias: string; answer: 'agree' | 'object'; reason: string | null }
  | { type: 'seller_answer_deemed'; orgId: string; alias: string; dueDate: string }
  | {
      type: 'objection_resolution_proposed';
      orgId: string;
      alias: string;
      outcome: ObjectionOutcome;
      regulatorRef: string;
      byUserId: string;
    }
  | {
      type: 'objection_resolved';
      orgId: string;
      alias: string;
      outcome: ObjectionOutcome;
      regulatorRef: string;
      depositDeadline: string | null;
    }
  | { type: 'qualification_closed'; depositDeadline: string; qualifiedBuyers: number; branch: ListingBranch; early: boolean }
  | { type: 'deposit_confirmed'; orgId: string; amount: string; bankRef: string }
  | { type: 'deposit_refund_due'; orgId: string; amount: string; reason: RefundReason; dueDate: string; provisional: boolean }
  | { type: 'deposit_forfeited'; orgId: string; amount: string; reason: ForfeitReason }
  | { type: 'deposit_applied'; orgId: string; amount: string }
  | { type: 'bidding_opened'; method: ListingMethod; freeEndsAt: number | null; closesAt: number }
  | { type: 'timed_bidding_started'; closesAt: number }
  | { type: 'bid_placed'; bidId: string; alias: string; amount: string | null; commitment: string | null; closesAt: number }
  | { type: 'bidding_closed'; bids: number; winnerAlias: string | null; price: string | null }
  | { type: 'auction_failed'; reason: 'no_bids' | 'no_valid_sealed_bid' }
  | { type: 'award_proposed'; orgId: string; alias: string; price: string; byUserId: string }
  | { type: 'listing_awarded'; trade: AwardedTrade }
  | { type: 'winner_defaulted'; orgId: string; reason: 'not_signed' | 'paid_late' };

export type ListingEvent = EventBody & { listingId: string; at: number };
export type ListingEventType = ListingEvent['type'];

export type ListingEventOf<T extends ListingEventType> = Extract<ListingEvent, { type: T }>;
