/**
 * Payment into escrow and the recording of registration, which completes the transfer: units move,
 * escrow pays the seller less fees, buyers are charged their fees, and the confirmation becomes due.
 */
import { confirmInstalment, instalmentConfirmers, instalmentLeg, paymentDeadline } from './instalment-payments';
import { accept, invariant, refuse, type DecideResult } from './results';
import { paymentPostings, settle } from './settlement';
import { advance, optionalReference, referenceText, replaceStep } from './steps';
import type { DecideContext } from './decide';
import type { Actor, Allocation, Transfer, TransferEvent } from './types';

export const REF_MAX_LENGTH = 200;

/**
 * The operators who confirmed this transfer's payments (recorded on each leg as `payment.by`). Four
 * eyes: none of them may record the registration that moves ownership and releases escrow to the seller.
 */
export function paymentConfirmers(t: Transfer): string[] {
  return [...new Set([...t.allocations.flatMap((a) => (a.payment ? [a.payment.by] : [])), ...instalmentConfirmers(t)])];
}

/**
 * An operator confirms that a leg's payment reached escrow, with the bank's reference. With several
 * legs still unpaid, `buyerOrgId` says which; the registration step starts once every leg is paid. A leg
 * paid by instalments goes through `confirmInstalment` (four eyes on each instalment).
 */
export function confirmPayment(
  t: Transfer,
  bankRef: unknown,
  buyerOrgId: unknown,
  instalment: unknown,
  actor: Actor,
  ctx: DecideContext,
): DecideResult {
  const ref = referenceText(bankRef, 'bankRef', REF_MAX_LENGTH);
  if (!ref.ok) return refuse('VALIDATION_FAILED', ref.detail);
  const unpaid = t.allocations.filter((a) => a.payment === null);
  invariant(unpaid.length > 0, `transfer ${t.id} is awaiting payment with every leg paid`);
  let leg: Allocation | undefined;
  if (buyerOrgId === undefined || buyerOrgId === null) {
    if (unpaid.length > 1) return refuse('VALIDATION_FAILED', `buyerOrgId is required: ${unpaid.length} legs still owe payment`);
    leg = unpaid[0];
  } else {
    leg = t.allocations.find((a) => a.buyerOrgId === buyerOrgId);
    if (!leg) return refuse('VALIDATION_FAILED', `no leg of this transfer is bought by ${String(buyerOrgId)}`);
    if (leg.payment) return refuse('PAYMENT_ALREADY_CONFIRMED', `${leg.buyerOrgId}'s payment was confirmed with ${leg.payment.bankRef}`);
  }
  invariant(leg, 'a leg to pay');
  if (leg === instalmentLeg(t)) return confirmInstalment(t, leg, ref.value, instalment, actor, ctx);
  if (instalment !== undefined) return refuse('VALIDATION_FAILED', `${leg.buyerOrgId}'s leg is paid as a lump sum, not by instalments`);
  const paid: Allocation = { ...leg, payment: { bankRef: ref.value, at: ctx.now, by: actor.userId } };
  const allocations = t.allocations.map((a) => (a.buyerOrgId === paid.buyerOrgId ? paid : a));
  const events: TransferEvent[] = [
    { type: 'payment_confirmed', transferId: t.id, buyerOrgId: paid.buyerOrgId, bankRef: ref.value, postings: paymentPostings(paid) },
  ];
  const updated: Transfer = { ...t, allocations };
  if (allocations.some((a) => a.payment === null))
    return accept({ ...updated, steps: replaceStep(updated.steps, 'payment', { deadline: paymentDeadline(updated) }) }, events);
  const r = advance(updated, ctx.now, actor, ctx.calendar);
  return accept(r.transfer, [...events, ...r.events]);
}

export interface RegistrationInput {
  readonly registrationRef?: unknown;
  readonly amacRef?: unknown;
  readonly stateEquityRef?: unknown;
}

const needsStateEquityRef = (t: Transfer): boolean => t.sellerStateOwned || t.allocations.some((a) => a.stateOwned);

/**
 * An operator records the registration of the change (market regulator; AMAC investor update; state-owned
 * equity registration, required when the seller or any final buyer is state-owned). Completes the transfer.
 * Four eyes: by an operator who confirmed none of the payments (FOUR_EYES otherwise).
 */
export function recordRegistration(t: Transfer, input: RegistrationInput, actor: Actor, ctx: DecideContext): DecideResult {
  const registrationRef = referenceText(input.registrationRef, 'registrationRef', REF_MAX_LENGTH);
  if (!registrationRef.ok) return refuse('VALIDATION_FAILED', registrationRef.detail);
  const amacRef = optionalReference(input.amacRef, 'amacRef', REF_MAX_LENGTH);
  if (!amacRef.ok) return refuse('VALIDATION_FAILED', amacRef.detail);
  const stateEquityRef = optionalReference(input.stateEquityRef, 'stateEquityRef', REF_MAX_LENGTH);
  if (!stateEquityRef.ok) return refuse('VALIDATION_FAILED', stateEquityRef.detail);
  if (stateEquityRef.value === null && needsStateEquityRef(t)) {
    return refuse('VALIDATION_FAILED', 'stateEquityRef is required: a party to this transfer is state-owned');
  }
  if (paymentConfirmers(t).includes(actor.userId)) {
    return refuse('FOUR_EYES', 'the operator who confirmed a payment of this transfer may not also record its registration', {
      reason: 'registration_after_payment',
    });
  }
  invariant(ctx.sellerPosition, 'record_registration needs ctx.sellerPosition (the seller position from the database)');
  const settled = settle({
    fundId: t.fundId,
    sellerOrgId: t.sellerOrgId,
    sellerPosition: ctx.sellerPosition,
    legs: t.allocations,
    fees: t.terms.fees,
  });
  if (!settled.ok) return refuse(settled.code, settled.detail);
  const s = settled.settlement;
  const registered: Transfer = {
    ...t,
    registration: {
      registrationRef: registrationRef.value,
      amacRef: amacRef.value,
      stateEquityRef: stateEquityRef.value,
      at: ctx.now,
      by: actor.userId,
    },
  };
  const r = advance(registered, ctx.now, actor, ctx.calendar);
  invariant(r.transfer.state === 'completed', 'registration is the last step');
  return accept(r.transfer, [
    {
      type: 'ownership_changed',
      transferId: t.id,
      fundId: t.fundId,
      legs: s.legs,
      sellerFee: s.sellerFee,
      sellerProceeds: s.sellerProceeds,
      unitPostings: s.unitPostings,
      cashPostings: s.releasePostings,
      at: ctx.now,
    },
    ...r.events,
    { type: 'confirmation_due', transferId: t.id, at: ctx.now },
  ]);
}
