/**
 * Creating a listing: validation of POST /api/listings and the state-owned overlay at creation.
 * Checks run in this order, the first failure answering: FORBIDDEN, VALIDATION_FAILED (shape),
 * QUANTITY_NOT_ON_LOT, APPRAISAL_EXPIRED, PRICE_BELOW_APPRAISAL, DEPOSIT_TOO_HIGH.
 */
import { belowLpr, type LoanPrimeRate } from '../../../shared/loan-prime-rate';
import { Dec, isQuantityString, quantityToLots } from '../../../shared/decimal';
import { beijingDate, isIsoDate } from '../../../shared/calendar';
import { DEFAULT_LISTING_RULES, type ListingRules } from './rules';
import { checkAppraisalValid, checkDepositCap, checkFirstAsk } from './state-owned';
import { fail, nonEmptyText, positiveYuan, SELLER } from './support';
import type { Actor, DecideResult, Listing, ListingInstalments, ListingMethod, StateOwnedDetails } from './types';

export interface CreateListingInput {
  fundId: string;
  quantity: string;
  method: ListingMethod;
  askPrice: string;
  increment: string;
  depositAmount: string;
  /** One condition per entry (a single string is taken as one condition). Must not target one buyer. */
  buyerConditions: string[] | string;
  /** A longer disclosure than the minimum, in working days (optional). */
  disclosureWorkingDays?: number;
  stateOwned?: {
    resolutionRef: string;
    approvalRef: string;
    appraisalRef: string;
    appraisalValue: string;
    appraisalBaseDate: string;
    belowNinetyApprovalRef?: string;
  };
  /** A state-owned listing may allow payment by instalments at this interest rate (percent per year). */
  instalments?: { allowed: boolean; interestRatePct?: string };
}

export interface CreateListingContext {
  now: number;
  actor: Actor;
  listingId: string;
  /** The fund's lot, when the server wants the quantity checked against it. */
  lotSize?: string;
  /** The seller organisation is state-owned: the stateOwned block is then required. */
  sellerIsStateOwned?: boolean;
  /** The one-year LPR in force today: the floor of an instalment plan's interest (Order 32 art. 28). */
  lpr?: LoanPrimeRate | null;
}

const MAX_CONDITIONS = 20;
const MAX_CONDITION_CHARS = 500;
const MAX_REF_CHARS = 200;

/** A refusal names its field where it has one, so the reader is told by the form's label (server/i18n/fields.ts). */
type Parsed = { ok: true; value: Listing } | { ok: false; detail: string; field?: string };

/** Why a reference text was refused: missing, or longer than the bound. */
const textProblem = (v: unknown): string => (typeof v === 'string' && v.trim() ? `is at most ${MAX_REF_CHARS} characters` : 'is required');

function parse(raw: unknown, ctx: CreateListingContext, rules: ListingRules): Parsed {
  const bad = (detail: string, field?: string): Parsed => ({ ok: false, detail, ...(field ? { field } : {}) });
  if (typeof raw !== 'object' || raw === null) return bad('body must be an object');
  const i = raw as Record<string, unknown>;
  if (!nonEmptyText(i.fundId, MAX_REF_CHARS)) return bad(`fundId ${textProblem(i.fundId)}`, 'fundId');
  if (!isQuantityString(i.quantity)) return bad('quantity must be a positive whole number of yuan as a string', 'quantity');
  if (i.method !== 'auction' && i.method !== 'sealed') return bad('method must be "auction" or "sealed"', 'method');
  const askPrice = positiveYuan(i.askPrice);
  if (!askPrice) return bad('askPrice must be a positive yuan amount string', 'askPrice');
  const increment = positiveYuan(i.increment);
  if (!increment) return bad('increment must be a positive yuan amount string', 'increment');
  const depositAmount = positiveYuan(i.depositAmount);
  if (!depositAmount) return bad('depositAmount must be a positive yuan amount string', 'depositAmount');
  const conditions = typeof i.buyerConditions === 'string' ? [i.buyerConditions] : i.buyerConditions;
  if (!Array.isArray(conditions) || conditions.length > MAX_CONDITIONS || !conditions.every((c) => nonEmptyText(c, MAX_CONDITION_CHARS))) {
    return bad(
      `buyerConditions must be up to ${MAX_CONDITIONS} non-empty texts of at most ${MAX_CONDITION_CHARS} characters`,
      'buyerConditions',
    );
  }
  let stateOwned: StateOwnedDetails | null = null;
  if (i.stateOwned !== undefined && i.stateOwned !== null) {
    if (typeof i.stateOwned !== 'object') return bad('stateOwned must be an object', 'stateOwned');
    const s = i.stateOwned as Record<string, unknown>;
    for (const k of ['resolutionRef', 'approvalRef', 'appraisalRef'] as const) {
      if (!nonEmptyText(s[k], MAX_REF_CHARS)) return bad(`stateOwned.${k} ${textProblem(s[k])}`, `stateOwned.${k}`);
    }
    const appraisalValue = positiveYuan(s.appraisalValue);
    if (!appraisalValue) return bad('stateOwned.appraisalValue must be a positive yuan amount string', 'stateOwned.appraisalValue');
    if (!isIsoDate(s.appraisalBaseDate))
      return bad('stateOwned.appraisalBaseDate must be a date YYYY-MM-DD', 'stateOwned.appraisalBaseDate');
    if (s.appraisalBaseDate > beijingDate(ctx.now))
      return bad('stateOwned.appraisalBaseDate is in the future', 'stateOwned.appraisalBaseDate');
    if (s.belowNinetyApprovalRef !== undefined && !nonEmptyText(s.belowNinetyApprovalRef, MAX_REF_CHARS)) {
      return bad('stateOwned.belowNinetyApprovalRef must be a non-empty text when given', 'stateOwned.belowNinetyApprovalRef');
    }
    stateOwned = {
      resolutionRef: s.resolutionRef as string,
      approvalRef: s.approvalRef as string,
      appraisalRef: s.appraisalRef as string,
      appraisalValue,
      appraisalBaseDate: s.appraisalBaseDate,
      belowNinetyApprovalRef: (s.belowNinetyApprovalRef as string | undefined) ?? null,
    };
    // A consent covers only the price it came with (api.md): here, the first ask.
    if (stateOwned.belowNinetyApprovalRef !== null) stateOwned.belowNinetyApprovedPrice = askPrice;
  } else if (ctx.sellerIsStateOwned) {
    return bad('a state-owned seller must give stateOwned {resolutionRef, approvalRef, appraisalRef, appraisalValue, appraisalBaseDate}');
  }
  const instalments = parseInstalments(i.instalments, stateOwned !== null);
  if (!instalments.ok) return bad(instalments.detail);
  const minDays = stateOwned ? rules.stateOwnedDisclosureWorkingDays : rules.privateDisclosureWorkingDays;
  const days = i.disclosureWorkingDays ?? minDays;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < minDays || days > minDays + rules.maxExtensionWorkingDays) {
    return bad(
      `disclosureWorkingDays must be a whole number from ${minDays} to ${minDays + rules.maxExtensionWorkingDays}`,
      'disclosureWorkingDays',
    );
  }
  return {
    ok: true,
    value: {
      id: ctx.listingId,
      fundId: i.fundId,
      sellerOrgId: ctx.actor.orgId,
      createdByUserId: ctx.actor.userId,
      state: 'draft',
      branch: null,
      method: i.method,
      quantity: i.quantity,
      askPrice,
      firstAskPrice: askPrice,
      increment,
      depositAmount,
      buyerConditions: conditions.map((c: string) => c.trim()),
      stateOwned,
      instalments: instalments.value,
      // The disclosure length chosen is kept as the listing's own rule for every round.
      rules: stateOwned ? { ...rules, stateOwnedDisclosureWorkingDays: days } : { ...rules, privateDisclosureWorkingDays: days },
      round: 1,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      submittedAt: null,
      reviewedByUserId: null,
      reviewedAt: null,
      approvedByUserId: null,
      approvedAt: null,
      rejection: null,
      disclosure: null,
      firstDisclosureStartDate: null,
      extensions: [],
      buyers: [],
      bidding: null,
      award: null,
      suspension: null,
      endReason: null,
    },
  };
}

/** Percent per year with up to 4 decimals, above 0 and at most 24 (a sanity bound, far above any bank loan rate). */
const RATE = /^(0|[1-9]\d?)(\.\d{1,4})?$/;
const MAX_RATE_PCT = new Dec('24');

/** `instalments: {allowed, interestRatePct}`: only on a state-owned listing (the overlay's rule), and with a rate. */
function parseInstalments(
  raw: unknown,
  stateOwned: boolean,
): { ok: true; value: ListingInstalments | null } | { ok: false; detail: string } {
  if (raw === undefined || raw === null) return { ok: true, value: null };
  if (typeof raw !== 'object' || typeof (raw as { allowed?: unknown }).allowed !== 'boolean')
    return { ok: false, detail: 'instalments must be {allowed: true|false, interestRatePct}' };
  const { allowed, interestRatePct } = raw as { allowed: boolean; interestRatePct?: unknown };
  if (!allowed) return { ok: true, value: null };
  if (!stateOwned) return { ok: false, detail: 'instalments: payment by instalments is a rule of state-owned listings only' };
  if (typeof interestRatePct !== 'string' || !RATE.test(interestRatePct) || new Dec(interestRatePct).lte(new Dec('0')))
    return { ok: false, detail: 'instalments.interestRatePct must be a percent per year above 0 with up to 4 decimals, e.g. "3.45"' };
  if (new Dec(interestRatePct).gt(MAX_RATE_PCT))
    return { ok: false, detail: `instalments.interestRatePct must be at most ${MAX_RATE_PCT.toFixed()}` };
  return { ok: true, value: { interestRatePct } };
}

/** Validates a create-listing body and returns the listing in `draft`. */
export function createListing(input: unknown, ctx: CreateListingContext, rules: ListingRules = DEFAULT_LISTING_RULES): DecideResult {
  if (!ctx.actor.roles.includes(SELLER)) return fail('FORBIDDEN', 'only a seller may create a listing');
  const parsed = parse(input, ctx, rules);
  if (!parsed.ok) {
    if (!parsed.field) return fail('VALIDATION_FAILED', parsed.detail);
    const problem = parsed.detail.slice(parsed.field.length + 1);
    const longest = /^is at most (\d+) characters$/.exec(problem)?.[1];
    return fail('VALIDATION_FAILED', parsed.detail, {
      reason: 'field',
      field: parsed.field,
      kind: problem === 'is required' ? 'required' : longest ? 'too_long' : 'format',
      problem,
      ...(longest ? { limit: longest } : {}),
    });
  }
  const listing = parsed.value;
  if (ctx.lotSize !== undefined) {
    if (!isQuantityString(ctx.lotSize)) throw new Error(`lot size must be a whole yuan string, got ${ctx.lotSize}`);
    if (quantityToLots(new Dec(listing.quantity), new Dec(ctx.lotSize)) === null)
      return fail('QUANTITY_NOT_ON_LOT', `quantity ${listing.quantity} is not a multiple of the lot ${ctx.lotSize}`, {
        quantity: listing.quantity,
        lotSize: ctx.lotSize,
      });
  }
  const rulesProblem = checkListingTerms(listing, beijingDate(ctx.now));
  if (rulesProblem) return rulesProblem;
  // The deferred balance bears interest at the bank loan rate of the period: never below the LPR in force.
  const rate = listing.instalments?.interestRatePct;
  if (rate !== undefined && ctx.lpr && belowLpr(rate, ctx.lpr))
    return fail(
      'INTEREST_BELOW_LPR',
      `instalments.interestRatePct ${rate} is below the one-year LPR in force (${ctx.lpr.oneYearPct}% since ${ctx.lpr.effectiveDate})`,
      { interestRatePct: rate, lprPct: ctx.lpr.oneYearPct, effectiveDate: ctx.lpr.effectiveDate },
    );
  return { ok: true, listing, events: [{ type: 'listing_created', listingId: listing.id, at: ctx.now }] };
}

/** The terms checked at creation and again at submission: appraisal valid, first ask ≥ appraisal, deposit cap. */
export function checkListingTerms(listing: Listing, date: string) {
  const so = listing.stateOwned;
  if (so) {
    const problem = checkAppraisalValid(so, date, listing.rules) ?? checkFirstAsk(so, listing.askPrice);
    if (problem) return problem;
  }
  return checkDepositCap(so !== null, listing.askPrice, listing.depositAmount, listing.rules);
}
