/** The listing venue's pure core: see README.md in this folder for the state diagram and the rules. */
export * from './types';
export { DEFAULT_LISTING_RULES, listingRules, type ListingRules } from './rules';
export { createListing, type CreateListingContext, type CreateListingInput } from './create';
export { decide, parseListingCommand } from './decide';
export { tick, nextTimerAt } from './timers';
export { publicView, handshakeView, type HandshakeView, type PublicListingView, type PublicBid, type PublicViewOptions } from './view';
export { anyObjectionOpen, decisionNotBy, handshakeStatus, hasHandshake, plannedDeadlines, type HandshakeStatus } from './handshake';
export { sealedBidPreimage, currentPrice } from './bidding';
export { pickWinner } from './winner';
export { buyersIn } from './buyers';
export { bidderAlias } from './support';
export { appraisalExpiresOn, reappraisalDeadline } from './state-owned';
export { disclosureFor } from './review';
export { recomputeProvisionalDates, type ListingDateChange } from './recompute';
export { depositNotBy } from './registration';
