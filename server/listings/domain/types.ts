/**
 * The listing venue's values: the listing itself, its commands, its events and its result codes.
 *
 * A Listing is plain JSON (strings, numbers, booleans, arrays, nulls): the server stores it as is,
 * and after a restart `JSON.parse(JSON.stringify(listing))` is the same listing. Every time is an
 * absolute instant in milliseconds since the epoch (UTC) and every calendar date a Beijing date
 * 'YYYY-MM-DD'. Money is a yuan string with exactly 2 decimals, quantity an integer string.
 */
import type { WorkingDayCalendar } from '../../../shared/calendar';
import type { ListingRules } from './rules';
import type { ListingEvent } from './events';

export type ListingState =
  | 'draft'
  | 'submitted'
  | 'reviewed'
  | 'approved'
  | 'disclosure'
  | 'qualification'
  | 'closed'
  | 'bidding'
  | 'bidding_closed'
  | 'award_pending'
  | 'awarded'
  | 'withdrawn'
  | 'rejected'
  | 'suspended'
  | 'ended';

/** Which way a closed listing goes, decided by the buyers qualified with a confirmed deposit at disclosure end. */
export type ListingBranch = 'no_buyer' | 'negotiation' | 'auction';

export type ListingMethod = 'auction' | 'sealed';

export interface StateOwnedDetails {
  resolutionRef: string;
  approvalRef: string;
  appraisalRef: string;
  /** Filed appraisal (or valuation) of the whole listed quantity, yuan. */
  appraisalValue: string;
  appraisalBaseDate: string;
  /** The approving unit's written consent to a price below 90% of the appraisal, once recorded. */
  belowNinetyApprovalRef: string | null;
  /**
   * The ask the consent came with (on creation or on the reprice that recorded it): the consent covers
   * that price and any higher one, never a lower one. Absent on listings stored before this rule: covers nothing.
   */
  belowNinetyApprovedPrice?: string | null;
}

/**
 * A state-owned listing that allows payment by instalments (domain.md: "or instalments with at least 30%
 * within 5 working days and the rest within 1 year, guaranteed, with interest"), fixed at creation like
 * the buyer conditions and carried into the award's transfer (server/transfers/domain/instalments.ts).
 */
export interface ListingInstalments {
  /** Simple interest per year on the deferred balance, percent (Order 32 art. 28: the bank loan rate of the period). */
  interestRatePct: string;
}

export interface Disclosure {
  startDate: string;
  endDate: string;
  /** True when the end date was computed beyond the loaded official calendar years. */
  provisional: boolean;
  workingDays: number;
  /** Instant disclosure starts (max of approval and 00:00 Beijing on startDate). */
  startsAt: number;
  /** Instant registration closes: 00:00 Beijing on the day after endDate. */
  closesAt: number;
}

export interface Extension {
  at: number;
  byUserId: string;
  workingDays: number;
  fromEndDate: string;
  toEndDate: string;
}

export type Qualification = 'pending' | 'qualified' | 'refused';
export type DepositOutcome = 'refund_due' | 'forfeited' | 'applied';
export type ForfeitReason = 'withdrew' | 'did_not_bid' | 'invalid_sealed_bid' | 'not_signed' | 'paid_late';
export type RefundReason = 'not_qualified' | 'registration_closed' | 'outbid' | 'listing_withdrawn' | 'listing_ended' | 'listing_repriced';

export interface Deposit {
  amount: string;
  bankRef: string;
  confirmedByUserId: string;
  confirmedAt: number;
  /** null while the exchange holds it. */
  outcome: DepositOutcome | null;
  outcomeAt: number | null;
}

export interface Buyer {
  orgId: string;
  /** Bilingual alias by registration order ("竞买人A / Bidder A"); never reused within a round. */
  alias: string;
  registeredAt: number;
  registeredByUserId: string;
  qualification: Qualification;
  /**
   * The server's reason code when eligibility was refused (the rulebook's: BUYER_NOT_QUALIFIED, BELOW_MIN_HOLDING,
   * INVESTOR_CAP_REACHED, ROUND_TRIP_TOO_SOON).
   */
  qualificationCode: string | null;
  qualifiedByUserId: string | null;
  qualifiedAt: number | null;
  deposit: Deposit | null;
  withdrawnAt: number | null;
  /** The qualification handshake (absent on listings without it, and until a positive opinion). */
  handshake?: BuyerHandshake | null;
}

/** The transferor's answer to a positive qualification opinion: given, or deemed by silence at its due date. */
export type SellerAnswer = 'agree' | 'object' | 'deemed';
export type ObjectionOutcome = 'uphold' | 'dismiss';

/** Two operators settle an objection on the state-asset regulator's decision: one records it, another confirms it. */
export interface ObjectionResolution {
  outcome: ObjectionOutcome;
  /** The regulator's decision reference. */
  regulatorRef: string;
  byUserId: string;
  at: number;
  confirmedByUserId: string | null;
  confirmedAt: number | null;
}

/**
 * The qualification handshake of one registrant (state-owned listings with the rule): created by the exchange's positive
 * opinion (`qualify` eligible), settled by the transferor's answer, its silence, or a confirmed resolution of its objection.
 * Until then the buyer's `qualification` stays `pending`: `qualified` always means settled.
 */
export interface BuyerHandshake {
  opinionAt: number;
  opinionByUserId: string;
  /** The last date to answer: opinion date (at the earliest the disclosure end date) + the rule's working days; null during disclosure. */
  answerDueDate: string | null;
  answerDueProvisional: boolean;
  answer: SellerAnswer | null;
  answeredAt: number | null;
  answeredByUserId: string | null;
  /** The transferor's reason, with an objection (for the state-asset regulator). */
  objectionReason: string | null;
  resolution: ObjectionResolution | null;
}

/** The phase between disclosure end and the deposit deadline (state `qualification`). */
export interface QualificationPhase {
  startedAt: number;
  /** Opinions are given through this date; a registrant without one then is not qualified. */
  opinionDeadline: string;
  opinionDeadlineProvisional: boolean;
  /** Deposits are accepted through this date (held while an objection is open; a resolution moves it later, never earlier). */
  depositDeadline: string;
  depositDeadlineProvisional: boolean;
}

export interface Bid {
  id: string;
  orgId: string;
  alias: string;
  at: number;
  /** Open auction: the amount. Sealed: null until the award verifies the revealed amount. */
  amount: string | null;
  /** Sealed: the commitment hash the server computed; open: null. */
  commitment: string | null;
}

export type BiddingPhase = 'scheduled' | 'free' | 'timed' | 'sealed' | 'closed';

export interface Bidding {
  opensAt: number;
  phase: BiddingPhase;
  /** Open auction: end of free bidding. */
  freeEndsAt: number | null;
  /** When the round closes unless a bid moves it (open) or fixed (sealed). */
  closesAt: number | null;
  closedAt: number | null;
  bids: Bid[];
}

export type PricingMethod = 'negotiated' | 'auction' | 'sealed';

/** What the transfer workflow needs to start: the trade values of the award. */
export interface AwardedTrade {
  listingId: string;
  fundId: string;
  sellerOrgId: string;
  buyerOrgId: string;
  quantity: string;
  price: string;
  pricingMethod: PricingMethod;
  /** The winner's deposit, which becomes part of the price. */
  depositApplied: string;
  bidId: string | null;
  awardedAt: number;
  awardedByUserId: string;
  /** The second operator, whose confirm_award completed the award (four eyes). */
  confirmedByUserId?: string;
  publicationStartDate: string;
  /** Result published at least the rule's working days after the award date. */
  publicationEndDate: string;
  publicationProvisional: boolean;
}

/** An operator's award waiting for a second operator's confirm_award (four eyes): nothing is traded yet. */
export interface PendingAward {
  buyerOrgId: string;
  price: string;
  pricingMethod: PricingMethod;
  bidId: string | null;
  byUserId: string;
  at: number;
}

export interface Award extends AwardedTrade {
  defaultedAt: number | null;
  defaultReason: 'not_signed' | 'paid_late' | null;
}

export interface Suspension {
  from: ListingState;
  at: number;
  byUserId: string;
  reason: string;
}

export interface Listing {
  id: string;
  fundId: string;
  sellerOrgId: string;
  createdByUserId: string;
  state: ListingState;
  branch: ListingBranch | null;
  method: ListingMethod;
  quantity: string;
  askPrice: string;
  firstAskPrice: string;
  increment: string;
  depositAmount: string;
  /** Fixed at submission; only a reprice (a new round with a new review) may change them. */
  buyerConditions: string[];
  stateOwned: StateOwnedDetails | null;
  /** Payment by instalments allowed (state-owned listings only); absent on listings stored before it existed. */
  instalments?: ListingInstalments | null;
  /** The parameters in force when the listing was created, kept with it so that replays agree. */
  rules: ListingRules;
  /** 1 for the first disclosure; +1 for each reprice and relist. */
  round: number;
  createdAt: number;
  updatedAt: number;
  submittedAt: number | null;
  reviewedByUserId: string | null;
  reviewedAt: number | null;
  approvedByUserId: string | null;
  approvedAt: number | null;
  rejection: { byUserId: string; at: number; reason: string } | null;
  disclosure: Disclosure | null;
  /** The first formal disclosure's start: the 12-month re-appraisal rule counts from here. */
  firstDisclosureStartDate: string | null;
  extensions: Extension[];
  buyers: Buyer[];
  /** Set while (and after) the listing is in `qualification`; absent on listings without the handshake. */
  qualificationPhase?: QualificationPhase | null;
  bidding: Bidding | null;
  /** Between award and confirm_award (absent on listings stored before the four-eyes award). */
  pendingAward?: PendingAward | null;
  award: Award | null;
  suspension: Suspension | null;
  endReason: string | null;
}

export interface Actor {
  userId: string;
  orgId: string;
  roles: readonly string[];
}

export interface ListingContext {
  /** The exchange's clock, ms since the epoch. The core never reads a clock itself. */
  now: number;
  actor: Actor;
  calendar: WorkingDayCalendar;
  /** Ids chosen by the caller; without them ids are derived deterministically from the listing. */
  ids?: { bidId?: string };
  /** Hex SHA-256 (or the commitment scheme's hash) of a string: needed only to award a sealed round. */
  commitmentHash?: (preimage: string) => string;
  /**
   * The rulebook's verdict on a buyer now (null: it may buy; else the code its registration's checks give today:
   * BUYER_NOT_QUALIFIED, BELOW_MIN_HOLDING, INVESTOR_CAP_REACHED, ROUND_TRIP_TOO_SOON). The award and its
   * confirmation ask it about the winner; the server reads the facts for the buyers in before it decides.
   * Without it (pure callers that model no facts) the winner is taken as eligible.
   */
  eligibilityOf?: (orgId: string) => string | null;
}

export interface SealedReveal {
  bidId: string;
  amount: string;
  salt: string;
}

export type ListingCommand =
  | { action: 'submit' }
  | { action: 'review' }
  | { action: 'approve' }
  | { action: 'reject'; reason: string }
  | { action: 'extend'; workingDays?: number }
  | { action: 'reprice'; askPrice: string; belowNinetyApprovalRef?: string; depositAmount?: string; buyerConditions?: string[] }
  | { action: 'withdraw' }
  | { action: 'end'; reason?: string }
  | { action: 'suspend'; reason: string }
  | { action: 'resume' }
  | { action: 'terminate'; reason: string }
  | { action: 'register' }
  | { action: 'qualify'; orgId: string; eligible: boolean; reasonCode?: string }
  | { action: 'confirm_deposit'; orgId: string; bankRef: string; amount?: string }
  | { action: 'seller_answer'; orgId: string; answer: 'agree' | 'object'; reason?: string }
  | { action: 'resolve_objection'; orgId: string; outcome: ObjectionOutcome; regulatorRef: string }
  | { action: 'confirm_resolution'; orgId: string }
  | { action: 'bid'; amount?: string; commitment?: string }
  | { action: 'award'; amount?: string; reveals?: SealedReveal[] }
  | { action: 'confirm_award' }
  | { action: 'record_default'; reason: 'not_signed' | 'paid_late' }
  | { action: 'tick' };

export type ListingAction = ListingCommand['action'];

/** Stable result codes, in the order decide checks them: shape, permission, state, then the rules. */
export type ListingErrorCode =
  | 'VALIDATION_FAILED'
  | 'FORBIDDEN'
  | 'INVALID_STATE'
  | 'FOUR_EYES'
  | 'QUANTITY_NOT_ON_LOT'
  | 'APPRAISAL_EXPIRED'
  | 'REAPPRAISAL_REQUIRED'
  | 'PRICE_BELOW_APPRAISAL'
  | 'APPROVAL_REQUIRED'
  | 'DEPOSIT_TOO_HIGH'
  | 'EXTENSION_TOO_SHORT'
  | 'ALREADY_REGISTERED'
  | 'NOT_REGISTERED'
  | 'BUYER_NOT_QUALIFIED'
  | 'DEPOSIT_ALREADY_CONFIRMED'
  | 'DEPOSIT_AMOUNT_MISMATCH'
  | 'SELLER_ANSWER_PENDING'
  | 'AUCTION_NOT_OPEN'
  | 'AUCTION_CLOSED'
  | 'BID_TOO_LOW'
  | 'BID_NOT_ON_INCREMENT'
  | 'ALREADY_HIGHEST_BIDDER'
  | 'SEALED_BID_ALREADY_PLACED'
  | 'PRICE_BELOW_ASK'
  | 'WINNER_NOT_ELIGIBLE'
  | 'BIDDER_NOT_ELIGIBLE'
  | 'INTEREST_BELOW_LPR'
  | 'LIMIT_REACHED';

export interface ListingError {
  ok: false;
  code: ListingErrorCode;
  detail: string;
  /** Figures (decimal strings) and the message variant (`reason`) for the reader's-language catalogue. */
  params?: Readonly<Record<string, string>>;
}

export type { ListingEvent, ListingEventType, ListingEventOf } from './events';

export type DecideResult = { ok: true; listing: Listing; events: ListingEvent[] } | ListingError;
