/**
 * The listing venue's parameters. Each value marked *(rule)* in docs/domain.md is a named parameter
 * with that value as default, because platforms and partnership agreements vary. A listing copies
 * the rules in force when it is created (`listing.rules`), so that changing a parameter later never
 * moves the deadlines of a listing already running, and a replay always agrees with the original.
 */

export interface ListingRules {
  /** State-owned formal disclosure, working days counting the first working day on or after approval as day 1 *(rule: 20)*. */
  stateOwnedDisclosureWorkingDays: number;
  /** Disclosure for other sellers, counted the same way (exchange default 10; a seller may ask for longer). */
  privateDisclosureWorkingDays: number;
  /** Each extension after a disclosure without a qualified buyer *(rule, 2009 practice: 5)*. */
  minExtensionWorkingDays: number;
  /** A bound on one extension (limit on every loop and span). */
  maxExtensionWorkingDays: number;
  /** State-owned deposit cap, percent of the ask *(rule of practice: 30)*. */
  stateOwnedMaxDepositPctOfAsk: string;
  /** Deposit cap for other sellers, percent of the ask; null for none. Exchange practice: the same 30. */
  privateMaxDepositPctOfAsk: string | null;
  /** A state-owned ask below this percent of the appraisal needs the approving unit's consent *(rule: 90)*. */
  approvalThresholdPctOfAppraisal: string;
  /** An appraisal is valid this many months from its base date *(rule: 12)*. */
  appraisalValidityMonths: number;
  /** No qualified buyer this many months after the first formal disclosure: re-appraise and re-disclose *(rule: 12)*. */
  reappraisalAfterMonths: number;
  /** A suspension lasts at most this many calendar months; then a timer ends the listing *(rule, 2009 operating rules: 1)*. */
  suspensionMaxMonths: number;
  /** State-owned: on resumption the disclosure runs at least this many working days in total *(rule, 2009 operating rules: 20)*. */
  resumeMinTotalWorkingDays: number;
  /** State-owned: and at least this many more working days after the resumption *(rule, 2009 operating rules: 10)*. */
  resumeMinRemainingWorkingDays: number;
  /** Deposits of buyers that do not win are refunded within this many working days *(rule: 3)*. */
  depositRefundWorkingDays: number;
  /** The result is published for at least this many working days after the award *(rule: 5)*. */
  resultPublicationWorkingDays: number;
  /** Bidding opens on the first working day after disclosure ends, at this Beijing time. */
  biddingOpensAtBeijingTime: string;
  /** Free bidding (自由报价) before the timed bidding starts. */
  freeBiddingMinutes: number;
  /** Timed bidding (限时报价): each bid restarts this countdown; the round closes when it runs out. */
  countdownMinutes: number;
  /** A sealed round lasts this long from its opening. */
  sealedRoundMinutes: number;
  /** False: the current highest bidder may not raise its own bid (it would only extend the countdown). */
  allowRaisingOwnHighestBid: boolean;
  /**
   * State-owned: the qualification handshake (practice, CBEX; domain.md). A listing created while it is on copies it; a
   * listing stored before this rule existed lacks it and keeps the old flow (`rulesOf` reads it as false).
   */
  stateOwnedQualificationHandshake: boolean;
  /** The exchange gives its qualification opinion on each registrant within this many working days after disclosure *(practice: 5)*. */
  qualificationOpinionWorkingDays: number;
  /** The transferor answers each positive opinion within this many working days; silence counts as agreement *(practice: 5)*. */
  sellerAnswerWorkingDays: number;
  /** Deposits fall due after the confirmation: the deadline leaves at least this many working days after it (exchange practice: 3). */
  depositWorkingDays: number;
  /** Limits: registrations per listing and bids per round. */
  maxBuyersPerListing: number;
  maxBidsPerRound: number;
}

export const DEFAULT_LISTING_RULES: Readonly<ListingRules> = Object.freeze({
  stateOwnedDisclosureWorkingDays: 20,
  privateDisclosureWorkingDays: 10,
  minExtensionWorkingDays: 5,
  maxExtensionWorkingDays: 60,
  stateOwnedMaxDepositPctOfAsk: '30',
  privateMaxDepositPctOfAsk: '30',
  approvalThresholdPctOfAppraisal: '90',
  appraisalValidityMonths: 12,
  reappraisalAfterMonths: 12,
  suspensionMaxMonths: 1,
  resumeMinTotalWorkingDays: 20,
  resumeMinRemainingWorkingDays: 10,
  depositRefundWorkingDays: 3,
  resultPublicationWorkingDays: 5,
  biddingOpensAtBeijingTime: '10:00',
  freeBiddingMinutes: 60,
  countdownMinutes: 5,
  sealedRoundMinutes: 60,
  allowRaisingOwnHighestBid: false,
  stateOwnedQualificationHandshake: true,
  qualificationOpinionWorkingDays: 5,
  sellerAnswerWorkingDays: 5,
  depositWorkingDays: 3,
  maxBuyersPerListing: 200,
  maxBidsPerRound: 10_000,
});

export const MS_PER_MINUTE = 60_000;

/**
 * Rules added after listings were first stored: a listing keeps the rules it was created with, so one
 * stored before a rule existed takes that rule's default (read through here, never `l.rules` directly),
 * except the qualification handshake, which changes the flow: a listing stored without it keeps the old one.
 */
export const rulesOf = (stored: ListingRules): ListingRules => ({
  ...DEFAULT_LISTING_RULES,
  ...stored,
  stateOwnedQualificationHandshake: stored.stateOwnedQualificationHandshake ?? false,
});

/** Merges overrides onto the defaults and asserts they make sense (a configuration error is a programmer error). */
export function listingRules(overrides: Partial<ListingRules> = {}): ListingRules {
  const r: ListingRules = { ...DEFAULT_LISTING_RULES, ...overrides };
  const positiveInts: (keyof ListingRules)[] = [
    'stateOwnedDisclosureWorkingDays',
    'privateDisclosureWorkingDays',
    'minExtensionWorkingDays',
    'maxExtensionWorkingDays',
    'appraisalValidityMonths',
    'reappraisalAfterMonths',
    'depositRefundWorkingDays',
    'suspensionMaxMonths',
    'resumeMinTotalWorkingDays',
    'resumeMinRemainingWorkingDays',
    'resultPublicationWorkingDays',
    'qualificationOpinionWorkingDays',
    'sellerAnswerWorkingDays',
    'depositWorkingDays',
    'countdownMinutes',
    'sealedRoundMinutes',
    'maxBuyersPerListing',
    'maxBidsPerRound',
  ];
  for (const k of positiveInts) {
    const v = r[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`listing rule ${k} must be a positive integer`);
  }
  if (!Number.isInteger(r.freeBiddingMinutes) || r.freeBiddingMinutes < 0) throw new Error('freeBiddingMinutes must be >= 0');
  if (r.maxExtensionWorkingDays < r.minExtensionWorkingDays) throw new Error('maxExtensionWorkingDays < minExtensionWorkingDays');
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(r.biddingOpensAtBeijingTime)) throw new Error('biddingOpensAtBeijingTime must be HH:MM');
  return r;
}
