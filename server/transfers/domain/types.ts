/**
 * Values of the transfer workflow (domain.md "The transfer workflow"). Every value is immutable:
 * `decide` returns a new transfer and never touches the one it was given. Money and quantities are
 * decimal strings (yuan with 2 decimals, quantities as whole yuan of commitment); instants are ISO-8601
 * UTC strings; calendar dates are Beijing dates 'YYYY-MM-DD'.
 */
import type { Lots } from '../../../shared/decimal';
import type { CalendarDate } from '../../../shared/calendar';
import type { TransferTerms } from './params';
import type { CashPosting, UnitPosting, SettledLeg } from './settlement';
import type { PaymentPlan } from './instalments';

export type Role = 'lp' | 'buyer' | 'gp' | 'operator' | 'admin';

/** The signed-in user acting; `null` in a context means the exchange itself (the scheduler). */
export interface Actor {
  readonly userId: string;
  readonly orgId: string;
  readonly roles: readonly Role[];
}

export type TransferState =
  | 'rofr_pending'
  | 'gp_consent_pending'
  | 'review_pending'
  | 'approval_pending'
  | 'payment_pending'
  | 'registration_pending'
  | 'completed'
  | 'refused' // the GP refused consent
  | 'rejected' // an operator rejected the transfer at review or approval
  | 'failed'; // a deadline was missed

export const TERMINAL_STATES: readonly TransferState[] = ['completed', 'refused', 'rejected', 'failed'];

export type StepName = 'rofr' | 'gp_consent' | 'review' | 'approval' | 'payment' | 'registration';

/** The fixed order of the steps; a step that does not apply is `skipped`, never removed. */
export const STEP_ORDER: readonly StepName[] = ['rofr', 'gp_consent', 'review', 'approval', 'payment', 'registration'];

/**
 * waiting: not started yet; pending: started, someone must act before the deadline; done; skipped (does
 * not apply to this transfer); refused (GP refusal or operator rejection on this step); failed (its
 * deadline was missed); cancelled (never reached because the transfer ended earlier).
 */
export type StepState = 'waiting' | 'pending' | 'done' | 'skipped' | 'refused' | 'failed' | 'cancelled';

/** A deadline: the last Beijing calendar date on which the step may be completed (inclusive). */
export type Deadline = CalendarDate;

/** Who must act on a step: users holding `role` in one of `orgIds`; an empty list means any organisation (operators). */
export interface StepActor {
  readonly role: Role;
  readonly orgIds: readonly string[];
}

export interface Step {
  readonly name: StepName;
  readonly state: StepState;
  readonly actor: StepActor;
  /** When the step started (became pending). */
  readonly startedAt: string | null;
  /** When the step ended (done, skipped, refused, failed or cancelled). */
  readonly at: string | null;
  readonly deadline: Deadline | null;
  /** The user who completed it; null when the exchange did (ROFR lapse, missed deadline, skip). */
  readonly by: { readonly userId: string; readonly orgId: string } | null;
}

/**
 * How the trade was priced. A book trade is a percent of NAV; a listing award is an absolute amount for
 * the whole listing. Both keep the NAV per yuan of commitment that applied (shown on the confirmation)
 * and the fund's NAV and total commitment it came from, which amounts are computed from (shared/nav.ts).
 * Transfers opened before those two were recorded lack them and compute from the NAV per commitment.
 */
export interface NavFigures {
  readonly navPerCommitment: string;
  /** The NAV report's fund NAV (yuan). */
  readonly fundNav?: string;
  /** The fund's total commitment (yuan). */
  readonly totalCommitment?: string;
}
export type Pricing =
  | ({ readonly basis: 'pct_of_nav'; readonly pricePct: string } & NavFigures)
  | ({ readonly basis: 'total_amount'; readonly amount: string } & NavFigures);

export type RofrAnswer = 'pending' | 'waived' | 'exercised' | 'lapsed';

/** Another LP of the fund, entitled to take the trade at the same price and terms. */
export interface RofrHolder {
  readonly orgId: string;
  /** Its commitment in the fund (whole yuan): the pro-rata key when several exercise. */
  readonly commitment: string;
  readonly stateOwned: boolean;
  readonly answer: RofrAnswer;
  readonly answeredAt: string | null;
  readonly answeredBy: string | null;
}

export interface Rofr {
  readonly holders: readonly RofrHolder[];
  /** Last Beijing date of the window (inclusive). */
  readonly windowEnd: Deadline;
  /** The instant the window closes: 00:00 Beijing the day after `windowEnd`. */
  readonly closesAt: string;
}

/** One leg of the transfer: a final buyer, its share of the quantity and what it pays. */
export interface Allocation {
  readonly buyerOrgId: string;
  /** 'buyer': the trade's buyer (whole or the remainder); 'rofr': an LP that exercised its ROFR. */
  readonly source: 'buyer' | 'rofr';
  readonly stateOwned: boolean;
  readonly lots: Lots;
  /** Commitment yuan, lots × lot size. */
  readonly quantity: string;
  /** Yuan, 2 decimals. */
  readonly consideration: string;
  /** Part of the buyer's listing deposit counted toward this leg's consideration (yuan). */
  readonly depositApplied: string;
  /**
   * Interest the buyer pays on top of the consideration (yuan): the sum of an instalment plan's interest,
   * fixed at the contract date (instalments.ts); absent or "0.00" for a lump sum.
   */
  readonly interest?: string;
  /** Set when the leg is paid in full (for an instalment plan: when its last instalment is confirmed). */
  readonly payment: { readonly bankRef: string; readonly at: string; readonly by: string } | null;
}

export type Venue = 'book' | 'listing';

/** A listing award's contract: signed by the seller and the buyer by `dueDate` (contract.ts). */
export interface Contract {
  readonly dueDate: Deadline;
  /** 00:00 Beijing after `dueDate`: unsigned then, the transfer fails. */
  readonly closesAt: string;
  readonly seller: { readonly at: string; readonly by: string } | null;
  readonly buyer: { readonly at: string; readonly by: string } | null;
}

export interface Transfer {
  readonly id: string;
  readonly tradeId: string;
  readonly venue: Venue;
  readonly listingId: string | null;
  readonly fundId: string;
  readonly sellerOrgId: string;
  readonly sellerStateOwned: boolean;
  /** The trade's buyer (it may end with no leg when one LP exercises its ROFR). */
  readonly buyerOrgId: string;
  readonly buyerStateOwned: boolean;
  readonly gpOrgId: string;
  readonly lotSize: string;
  readonly lots: Lots;
  readonly quantity: string;
  readonly pricing: Pricing;
  /** Sum of the legs' considerations (yuan). */
  readonly consideration: string;
  /** The buyer's listing deposit held in `cash:deposits` when the trade was made ("0.00" on the book). */
  readonly depositHeld: string;
  readonly tradeExecutedAt: string;
  /** The fund's and the exchange's terms, frozen when the transfer opened. */
  readonly terms: TransferTerms;
  readonly state: TransferState;
  readonly steps: readonly Step[];
  readonly rofr: Rofr | null;
  readonly allocations: readonly Allocation[];
  readonly reviewedBy: string | null;
  readonly approvedBy: string | null;
  /** A listing award's contract to sign before review (absent on book trades and on transfers stored before signing existed). */
  readonly contract?: Contract | null;
  /**
   * How the trade's buyer pays its leg, chosen before signing (instalments.ts); absent or null: a lump sum.
   * Only a listing whose terms allow instalments may have `method: 'instalments'`.
   */
  readonly paymentPlan?: PaymentPlan | null;
  /** Beijing date of approval: the contract date, from which the payment deadline runs. */
  readonly contractDate: string | null;
  readonly registration: {
    readonly registrationRef: string;
    readonly amacRef: string | null;
    readonly stateEquityRef: string | null;
    readonly at: string;
    readonly by: string;
  } | null;
  readonly outcome: {
    readonly kind: 'refused' | 'rejected' | 'failed';
    readonly step: StepName;
    readonly reason: string;
    readonly at: string;
    readonly by: string | null;
  } | null;
  readonly openedAt: string;
  readonly updatedAt: string;
  /** +1 per accepted command that changed the transfer: an optimistic-concurrency token. */
  readonly version: number;
}

export type TransferCommand =
  | { readonly action: 'rofr_waive' }
  | { readonly action: 'rofr_exercise' }
  /** The seller or the buyer signs a listing award's contract. */
  | { readonly action: 'sign' }
  | { readonly action: 'gp_consent' }
  | { readonly action: 'gp_refuse'; readonly reason?: string }
  | { readonly action: 'review' }
  | { readonly action: 'approve' }
  | { readonly action: 'reject'; readonly reason?: string }
  /** The trade's buyer chooses a lump sum or instalments before the contract is signed (instalments.ts). */
  | {
      readonly action: 'choose_payment';
      readonly method?: unknown;
      readonly instalments?: unknown;
      readonly guaranteeRef?: unknown;
    }
  /**
   * `buyerOrgId` names the leg when several legs still owe payment; `instalment` the instalment of a plan
   * (default: the next one). An instalment is recorded by one operator and confirmed by another.
   */
  | { readonly action: 'confirm_payment'; readonly bankRef?: string; readonly buyerOrgId?: string; readonly instalment?: number }
  | {
      readonly action: 'record_registration';
      readonly registrationRef?: string;
      readonly amacRef?: string;
      readonly stateEquityRef?: string;
    }
  /** Time-driven: closes the ROFR window and fails missed deadlines as of ctx.now. Only the exchange (actor null). */
  | { readonly action: 'tick' };

export type ActionName = TransferCommand['action'];
/** The actions a user sends (api.md POST /api/transfers/:id/actions); `tick` is the exchange's own. */
export type UserAction = Exclude<ActionName, 'tick'>;
export const USER_ACTIONS: readonly UserAction[] = [
  'rofr_waive',
  'rofr_exercise',
  'sign',
  'choose_payment',
  'gp_consent',
  'gp_refuse',
  'review',
  'approve',
  'reject',
  'confirm_payment',
  'record_registration',
];

/** Things that happened, for the caller to apply (ledger postings, releases) and to publish. */
export type TransferEvent =
  | { readonly type: 'transfer_opened'; readonly transferId: string; readonly state: TransferState; readonly at: string }
  | { readonly type: 'rofr_notice'; readonly transferId: string; readonly holderOrgIds: readonly string[]; readonly closesAt: string }
  | {
      readonly type: 'state_changed';
      readonly transferId: string;
      readonly from: TransferState;
      readonly to: TransferState;
      readonly at: string;
    }
  | {
      readonly type: 'rofr_answered';
      readonly transferId: string;
      readonly holderOrgId: string;
      readonly answer: 'waived' | 'exercised' | 'lapsed';
      readonly at: string;
    }
  | {
      readonly type: 'rofr_closed';
      readonly transferId: string;
      readonly allocations: readonly Allocation[];
      readonly buyerReplaced: boolean;
      readonly at: string;
    }
  | {
      readonly type: 'payment_confirmed';
      readonly transferId: string;
      readonly buyerOrgId: string;
      readonly bankRef: string;
      /** The instalment's number when the leg is paid by instalments. */
      readonly instalment?: number;
      readonly postings: readonly CashPosting[];
    }
  /** The first operator recorded an instalment's payment; a second one confirms it (no cash moves yet). */
  | {
      readonly type: 'instalment_recorded';
      readonly transferId: string;
      readonly buyerOrgId: string;
      readonly instalment: number;
      readonly bankRef: string;
      readonly at: string;
    }
  | {
      readonly type: 'payment_method_chosen';
      readonly transferId: string;
      readonly method: 'lump_sum' | 'instalments';
      /** Signatures given before a change of terms are withdrawn: both parties sign the same terms. */
      readonly signaturesCleared: boolean;
      readonly at: string;
    }
  | {
      readonly type: 'deposit_refund_due';
      readonly transferId: string;
      readonly orgId: string;
      readonly amount: string;
      readonly postings: readonly CashPosting[];
    }
  | {
      readonly type: 'deposit_forfeited';
      readonly transferId: string;
      readonly orgId: string;
      readonly amount: string;
      readonly postings: readonly CashPosting[];
    }
  | {
      readonly type: 'payment_refund_due';
      readonly transferId: string;
      readonly orgId: string;
      readonly amount: string;
      readonly postings: readonly CashPosting[];
    }
  | {
      readonly type: 'units_released';
      readonly transferId: string;
      readonly fundId: string;
      readonly orgId: string;
      readonly quantity: string;
    }
  | { readonly type: 'listing_reopened'; readonly transferId: string; readonly listingId: string }
  | {
      readonly type: 'contract_signed';
      readonly transferId: string;
      readonly party: 'seller' | 'buyer';
      readonly orgId: string;
      readonly at: string;
    }
  | {
      readonly type: 'contract_unsigned';
      readonly transferId: string;
      readonly unsignedBy: readonly ('seller' | 'buyer')[];
      readonly dueDate: Deadline;
      readonly at: string;
    }
  | {
      readonly type: 'deadline_missed';
      readonly transferId: string;
      readonly step: StepName;
      readonly deadline: Deadline;
      readonly at: string;
    }
  | {
      readonly type: 'ownership_changed';
      readonly transferId: string;
      readonly fundId: string;
      readonly legs: readonly SettledLeg[];
      readonly sellerFee: string;
      readonly sellerProceeds: string;
      readonly unitPostings: readonly UnitPosting[];
      /** Escrow release and fees, to append when registration is recorded. */
      readonly cashPostings: readonly CashPosting[];
      readonly at: string;
    }
  /** The confirmations module issues the confirmation (once) on this event. */
  | { readonly type: 'confirmation_due'; readonly transferId: string; readonly at: string };

export interface SellerPosition {
  /** Whole yuan of commitment the seller holds in the fund (including the reserved quantity). */
  readonly commitment: string;
  /** Yuan, 2 decimals. */
  readonly paidIn: string;
}
