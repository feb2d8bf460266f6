/**
 * During disclosure: buyers register, an operator qualifies each one (the operator's decision, to
 * which the server adds its eligibility checks — qualified investor, minimum holding, the fund's
 * investor cap — passed in as `eligible` and a reason code), and an operator confirms each deposit
 * with its bank reference.
 * All three close at disclosure end, except on a listing with the qualification handshake
 * (handshake.ts): there the opinion is the exchange's side of it, opinions and deposits go on in the
 * `qualification` phase, and a deposit is accepted only once the buyer's handshake has settled.
 * A buyer may withdraw; a deposit held then is forfeited.
 */
import { branchFor, buyersIn, findBuyer, forfeitDeposit, holdsDeposit, isActive, refundDeposit } from './buyers';
import { handshakeStatus, hasHandshake, NO_OPINION_CODE, openHandshake } from './handshake';
import { checkGateAt } from './state-owned';
import { BUYER, bidderAlias, done, fail, isOperator, nonEmptyText, positiveYuan, type Step } from './support';
import type { Buyer, Listing, ListingContext, ListingError, ListingEvent } from './types';

const REASON_CODE_RE = /^[A-Z][A-Z0-9_]{0,63}$/;

export function register(l: Listing, ctx: ListingContext): Step {
  const { actor, now } = ctx;
  if (!actor.roles.includes(BUYER) || actor.orgId === l.sellerOrgId)
    return fail('FORBIDDEN', 'only a buyer other than the seller may register');
  if (l.state !== 'disclosure')
    return fail('INVALID_STATE', 'registration is open only during disclosure', { reason: 'not_disclosure', state: l.state });
  const gate = checkGateAt(l, l.askPrice);
  if (gate) return gate;
  if (findBuyer(l, actor.orgId)) return fail('ALREADY_REGISTERED', 'this organisation has already registered for this round');
  if (l.buyers.length >= l.rules.maxBuyersPerListing)
    return fail('LIMIT_REACHED', `at most ${l.rules.maxBuyersPerListing} registrations`, { limit: String(l.rules.maxBuyersPerListing) });
  const alias = bidderAlias(l.buyers.length);
  l.buyers.push({
    orgId: actor.orgId,
    alias,
    registeredAt: now,
    registeredByUserId: actor.userId,
    qualification: 'pending',
    qualificationCode: null,
    qualifiedByUserId: null,
    qualifiedAt: null,
    deposit: null,
    withdrawnAt: null,
  });
  return done([{ type: 'buyer_registered', listingId: l.id, at: now, orgId: actor.orgId, alias }]);
}

/** Records the eligibility decision (the operator's, with the server's automatic checks). A refusal returns a deposit already held. */
export function qualify(l: Listing, cmd: { orgId: string; eligible: boolean; reasonCode?: string }, ctx: ListingContext): Step {
  const { actor, now } = ctx;
  if (typeof cmd.eligible !== 'boolean' || !nonEmptyText(cmd.orgId, 200)) {
    return fail('VALIDATION_FAILED', 'qualify needs {orgId, eligible: boolean, reasonCode when not eligible}');
  }
  if (!cmd.eligible && (typeof cmd.reasonCode !== 'string' || !REASON_CODE_RE.test(cmd.reasonCode))) {
    return fail('VALIDATION_FAILED', 'a refusal needs an upper-snake reasonCode (e.g. BUYER_NOT_QUALIFIED)');
  }
  if (!isOperator(actor)) return fail('FORBIDDEN', 'only an operator qualifies buyers');
  const stateError = depositOrOpinionState(l, 'qualification');
  if (stateError) return stateError;
  const gate = checkGateAt(l, l.askPrice);
  if (gate) return gate;
  const buyer = findBuyer(l, cmd.orgId);
  if (!buyer || !isActive(buyer)) return fail('NOT_REGISTERED', 'that organisation has no registration in this round');
  const revision = hasHandshake(l) ? opinionRevisionProblem(l, buyer) : null;
  if (revision) return revision;
  if (cmd.eligible && buyer.deposit?.confirmedByUserId === actor.userId) {
    return fail('FOUR_EYES', 'the buyer is qualified by a different operator from the one who confirmed its deposit');
  }
  // With the handshake a positive opinion waits for the transferor's answer: the buyer stays pending until it settles.
  const handshake = cmd.eligible && hasHandshake(l);
  buyer.qualification = handshake ? 'pending' : cmd.eligible ? 'qualified' : 'refused';
  buyer.qualificationCode = cmd.eligible ? null : cmd.reasonCode!;
  buyer.handshake = null;
  if (handshake) openHandshake(l, buyer, ctx);
  buyer.qualifiedByUserId = actor.userId;
  buyer.qualifiedAt = now;
  const events: ListingEvent[] = [
    {
      type: 'buyer_qualified',
      listingId: l.id,
      at: now,
      orgId: buyer.orgId,
      alias: buyer.alias,
      eligible: cmd.eligible,
      reasonCode: buyer.qualificationCode,
    },
  ];
  if (!cmd.eligible) events.push(...refundDeposit(l, buyer, 'not_qualified', now, ctx.calendar));
  return done(events);
}

export function confirmDeposit(l: Listing, cmd: { orgId: string; bankRef: string; amount?: string }, ctx: ListingContext): Step {
  const { actor, now } = ctx;
  if (!nonEmptyText(cmd.orgId, 200) || !nonEmptyText(cmd.bankRef, 200)) {
    return fail('VALIDATION_FAILED', 'confirm_deposit needs {orgId, bankRef}', { reason: 'bank_ref_required' });
  }
  const amount = cmd.amount === undefined ? l.depositAmount : positiveYuan(cmd.amount);
  if (!amount) return fail('VALIDATION_FAILED', 'amount must be a positive yuan amount string');
  if (!isOperator(actor)) return fail('FORBIDDEN', 'only an operator confirms deposits');
  const stateError = depositOrOpinionState(l, 'deposit');
  if (stateError) return stateError;
  const buyer = findBuyer(l, cmd.orgId);
  if (!buyer || !isActive(buyer)) return fail('NOT_REGISTERED', 'that organisation has no registration in this round');
  if (buyer.qualification === 'refused') return fail('BUYER_NOT_QUALIFIED', 'that buyer was refused; its deposit is not accepted');
  const unsettled = hasHandshake(l) ? unsettledProblem(buyer) : null;
  if (unsettled) return unsettled;
  if (holdsDeposit(buyer)) return fail('DEPOSIT_ALREADY_CONFIRMED', 'that buyer already has a confirmed deposit');
  // Four eyes on money (api.md): the operator who qualified the buyer does not also confirm its deposit.
  if (buyer.qualifiedByUserId === actor.userId) {
    return fail('FOUR_EYES', 'the deposit is confirmed by a different operator from the one who qualified this buyer');
  }
  // After a dismissed objection the operator who confirmed the regulator's decision let the buyer in: as with any
  // approval followed by a money step (a payment's confirmer may not record the registration), not also its deposit.
  if (buyer.handshake?.resolution?.confirmedByUserId === actor.userId) {
    return fail('FOUR_EYES', "the deposit is confirmed by a different operator from the one who confirmed the regulator's decision", {
      reason: 'deposit_after_resolution',
    });
  }
  if (amount !== l.depositAmount)
    return fail('DEPOSIT_AMOUNT_MISMATCH', `the deposit for this listing is ${l.depositAmount}`, { depositAmount: l.depositAmount });
  buyer.deposit = { amount, bankRef: cmd.bankRef, confirmedByUserId: actor.userId, confirmedAt: now, outcome: null, outcomeAt: null };
  return done([{ type: 'deposit_confirmed', listingId: l.id, at: now, orgId: buyer.orgId, amount, bankRef: cmd.bankRef }]);
}

/**
 * The operators who may not confirm this buyer's deposit (four eyes): the one who qualified it and, after a dismissed
 * objection, the one who confirmed the regulator's decision. For the desk, so that it offers the step to the others only.
 */
export function depositNotBy(b: Buyer): string[] {
  const ids = [b.qualifiedByUserId, b.handshake?.resolution?.confirmedByUserId ?? null];
  return [...new Set(ids.filter((id): id is string => id !== null))];
}

/**
 * A registered buyer withdraws (during disclosure, or after it closed and before bidding opens).
 * A deposit it still holds is forfeited. After the close the branch is re-decided by who is left in.
 */
export function buyerWithdraw(l: Listing, ctx: ListingContext): Step {
  const { actor, now } = ctx;
  const buyer = findBuyer(l, actor.orgId);
  if (!buyer || !isActive(buyer) || !actor.roles.includes(BUYER)) return fail('FORBIDDEN', 'not the seller nor a registered buyer');
  const closedBeforeBidding = l.state === 'closed' && (l.branch === 'negotiation' || l.branch === 'auction');
  if (l.state !== 'disclosure' && l.state !== 'qualification' && !closedBeforeBidding)
    return fail('INVALID_STATE', `a buyer cannot withdraw in state ${l.state}`, { reason: 'listing_state', state: l.state });
  buyer.withdrawnAt = now;
  const events: ListingEvent[] = [
    { type: 'buyer_withdrew', listingId: l.id, at: now, orgId: buyer.orgId, alias: buyer.alias },
    ...forfeitDeposit(l, buyer, 'withdrew', now),
  ];
  if (closedBeforeBidding) {
    const branch = branchFor(buyersIn(l).length);
    l.branch = branch;
    if (branch !== 'auction') l.bidding = null;
  }
  return done(events);
}

/**
 * Opinions and deposits: during disclosure; with the handshake also in the qualification phase (opinions
 * until the opinion deadline, deposits until the deposit deadline: the timers close each).
 */
function depositOrOpinionState(l: Listing, what: 'qualification' | 'deposit'): ListingError | null {
  if (l.state === 'disclosure' || (l.state === 'qualification' && hasHandshake(l))) return null;
  if (hasHandshake(l))
    return fail('INVALID_STATE', `${what} is open during disclosure and the qualification phase`, {
      reason: 'not_qualification',
      state: l.state,
    });
  return fail('INVALID_STATE', `${what} is open only during disclosure`, { reason: 'not_disclosure', state: l.state });
}

/**
 * An opinion the transferor has answered is final (the answer, or the regulator, now decides); after disclosure
 * an opinion once given is final, so that the phase can close as soon as nothing can change.
 */
function opinionRevisionProblem(l: Listing, b: Buyer): ListingError | null {
  if (b.handshake && b.handshake.answer !== null)
    return fail('INVALID_STATE', 'the transferor has answered this opinion; it can no longer be changed', { reason: 'opinion_answered' });
  if (l.state !== 'qualification' || handshakeStatus(b) === 'opinion_pending') return null;
  if (b.qualificationCode === NO_OPINION_CODE)
    return fail('INVALID_STATE', 'the opinion deadline has passed for this registrant', { reason: 'opinion_deadline_passed' });
  return fail('INVALID_STATE', 'the opinion on this registrant is given; after disclosure it is final', { reason: 'opinion_given' });
}

/** Deposits fall due only after the confirmation (domain.md): the buyer's handshake must have settled. */
function unsettledProblem(b: Buyer): ListingError | null {
  const status = handshakeStatus(b);
  if (status === 'opinion_pending')
    return fail('BUYER_NOT_QUALIFIED', 'the exchange has not given its qualification opinion on this buyer');
  if (status === 'answer_pending')
    return fail('SELLER_ANSWER_PENDING', "the transferor has not answered the exchange's opinion on this buyer yet", {
      reason: 'answer_pending',
      answerDueDate: b.handshake!.answerDueDate ?? '',
    });
  if (status === 'objection_open' || status === 'resolution_pending')
    return fail('SELLER_ANSWER_PENDING', "the transferor objected to this buyer; the regulator's decision is awaited", {
      reason: 'objection_open',
    });
  return null;
}
