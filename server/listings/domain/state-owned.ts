/**
 * The state-owned overlay (国资, Order 32 practice) as checks returning result codes, plus the
 * deposit cap every listing obeys. Each check returns null when the rule is met.
 */
import { formatYuan } from '../../../shared/decimal';
import type { ListingRules } from './rules';
import type { Listing, ListingError, StateOwnedDetails } from './types';
import { addMonths, fail, pctOf, yuan } from './support';

/** The first date an appraisal is no longer valid: base date + validity (valid for dates strictly before). */
export const appraisalExpiresOn = (so: StateOwnedDetails, rules: ListingRules): string =>
  addMonths(so.appraisalBaseDate, rules.appraisalValidityMonths);

/** An appraisal is valid while it is less than a year old: `date` < base date + 12 months. */
export function checkAppraisalValid(so: StateOwnedDetails, date: string, rules: ListingRules): ListingError | null {
  const expires = appraisalExpiresOn(so, rules);
  if (date >= expires) {
    return fail('APPRAISAL_EXPIRED', `the appraisal based on ${so.appraisalBaseDate} expired on ${expires}; file a new appraisal`, {
      expiredOn: expires,
    });
  }
  return null;
}

/** First listing price: at least the filed appraisal. */
export function checkFirstAsk(so: StateOwnedDetails, askPrice: string): ListingError | null {
  if (yuan(askPrice).lt(yuan(so.appraisalValue))) {
    return fail('PRICE_BELOW_APPRAISAL', `ask ${askPrice} is below the filed appraisal ${so.appraisalValue}`, {
      askPrice,
      appraisalValue: so.appraisalValue,
    });
  }
  return null;
}

/**
 * The 90% gate, at every price a state-owned listing may trade at: a price below 90% of the appraisal
 * needs the approving unit's written consent, and a consent covers only the price it came with (and
 * any higher one): a later, lower price needs a new one (api.md). `consent` is the reference and the
 * price it was recorded with.
 */
export function checkNinetyGate(
  so: StateOwnedDetails,
  price: string,
  consent: { ref: string | null; price: string | null },
  rules: ListingRules,
): ListingError | null {
  const threshold = pctOf(so.appraisalValue, rules.approvalThresholdPctOfAppraisal);
  if (!yuan(price).lt(threshold)) return null;
  if (consent.ref && consent.price !== null && !yuan(price).lt(yuan(consent.price))) return null;
  const covered = consent.ref && consent.price !== null ? ` (consent ${consent.ref} covers ${consent.price} and above)` : '';
  return fail(
    'APPROVAL_REQUIRED',
    `price ${price} is below ${rules.approvalThresholdPctOfAppraisal}% of the appraisal ${so.appraisalValue}${covered}: ` +
      'record a new belowNinetyApprovalRef',
    { askPrice: price, threshold: formatYuan(threshold), appraisalValue: so.appraisalValue },
  );
}

/**
 * The consent on record: the reference and the price it came with. A listing stored before consents
 * were tied to a price holds a reference without one: it covers the ask it stands at, never a lower one.
 */
export const recordedConsent = (so: StateOwnedDetails, currentAsk: string): { ref: string | null; price: string | null } => ({
  ref: so.belowNinetyApprovalRef,
  price: so.belowNinetyApprovedPrice ?? (so.belowNinetyApprovalRef ? currentAsk : null),
});

/** The 90% gate at a step that moves the listing forward (resume, registration, qualification, award): the price it would trade at. */
export function checkGateAt(l: Listing, price: string): ListingError | null {
  return l.stateOwned ? checkNinetyGate(l.stateOwned, price, recordedConsent(l.stateOwned, l.askPrice), l.rules) : null;
}

/** Deposit at most the cap percent of the ask (state-owned: the rule; others: exchange practice, may be null). */
export function checkDepositCap(stateOwned: boolean, askPrice: string, depositAmount: string, rules: ListingRules): ListingError | null {
  const capPct = stateOwned ? rules.stateOwnedMaxDepositPctOfAsk : rules.privateMaxDepositPctOfAsk;
  if (capPct === null) return null;
  if (yuan(depositAmount).gt(pctOf(askPrice, capPct))) {
    return fail('DEPOSIT_TOO_HIGH', `deposit ${depositAmount} is more than ${capPct}% of the ask ${askPrice}`, {
      depositAmount,
      maximum: formatYuan(pctOf(askPrice, capPct)),
    });
  }
  return null;
}

/** The last date on which a state-owned listing may still be extended or relisted without re-appraisal. */
export function reappraisalDeadline(listing: Listing): string | null {
  if (!listing.stateOwned || !listing.firstDisclosureStartDate) return null;
  return addMonths(listing.firstDisclosureStartDate, listing.rules.reappraisalAfterMonths);
}

/** More than 12 months after the first formal disclosure without a qualified buyer: re-appraise and re-disclose. */
export function checkReappraisal(listing: Listing, date: string): ListingError | null {
  const deadline = reappraisalDeadline(listing);
  if (deadline !== null && date > deadline) {
    return fail(
      'REAPPRAISAL_REQUIRED',
      `first disclosed on ${listing.firstDisclosureStartDate}: more than ${listing.rules.reappraisalAfterMonths}` +
        ` months without a qualified buyer; end this listing and list again on ` +
        `a new appraisal`,
    );
  }
  return null;
}
