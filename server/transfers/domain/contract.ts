/**
 * Contract signing after a listing's award (domain.md, state-owned overlay: "The contract is signed by
 * both parties after the award (typically within 3–5 working days); not signing forfeits the deposit of
 * the party that did not sign"). A transfer opened by a listing award carries a contract that the
 * seller and the winning buyer each `sign` within `terms.contractSigningWorkingDays` working days of
 * the trade date (default 5); the operator's review waits for both signatures. When the deadline
 * passes unsigned, the tick fails the transfer: the winner's deposit is forfeited if the buyer did not
 * sign, refunded if only the seller did not (the seller pays no deposit); units are released and the
 * listing reopened (reason not_signed).
 */
import { beijingDate, type WorkingDayCalendar } from '../../../shared/calendar';
import { deadlineClosesAt, instantMs } from './deadlines';
import { planFromChoice, sameTerms } from './instalments';
import { accept, refuse, type DecideResult } from './results';
import type { Actor, Contract, Transfer, TransferCommand } from './types';

/** domain.md: "typically within 3–5 working days" of the award *(practice)*. */
export const DEFAULT_CONTRACT_SIGNING_WORKING_DAYS = 5;

export function openContract(openedAt: string, workingDays: number, calendar: WorkingDayCalendar): Contract {
  const dueDate = calendar.addWorkingDays(beijingDate(instantMs(openedAt)), workingDays);
  return { dueDate, closesAt: deadlineClosesAt(dueDate), seller: null, buyer: null };
}

/** The trade's buyer signs while it keeps a leg: an LP's ROFR that took the whole trade leaves the seller alone to sign. */
const buyerMustSign = (t: Transfer): boolean => t.allocations.some((a) => a.source === 'buyer');

/** The parties whose signature is still missing (none without a contract: a book trade, an older transfer). */
export function unsignedParties(t: Transfer): ('seller' | 'buyer')[] {
  const c = t.contract;
  if (!c) return [];
  return (['seller', 'buyer'] as const).filter((p) => c[p] === null && (p === 'seller' || buyerMustSign(t)));
}

/** True when nothing waits for a signature. */
export const contractComplete = (t: Transfer): boolean => unsignedParties(t).length === 0;

/** The instant an unsigned contract fails the transfer, or null. */
export const contractClosesAt = (t: Transfer): string | null => (contractComplete(t) ? null : t.contract!.closesAt);

export function partyOf(t: Transfer, actor: Actor): 'seller' | 'buyer' | null {
  if (actor.orgId === t.sellerOrgId) return 'seller';
  if (actor.orgId === t.buyerOrgId) return 'buyer';
  return null;
}

export function sign(t: Transfer, actor: Actor, now: string): DecideResult {
  const c = t.contract;
  if (!c) return refuse('INVALID_STATE', 'this transfer has no contract to sign (only a listing award does)');
  if (instantMs(now) >= instantMs(c.closesAt)) return refuse('DEADLINE_PASSED', `the contract had to be signed by ${c.dueDate.date}`);
  const party = partyOf(t, actor);
  if (party === null) return refuse('FORBIDDEN', 'only the seller and the buyer sign the contract');
  if (c[party] !== null) return refuse('INVALID_STATE', `the ${party} has already signed the contract`);
  return accept({ ...t, contract: { ...c, [party]: { at: now, by: actor.userId } } }, [
    { type: 'contract_signed', transferId: t.id, party, orgId: actor.orgId, at: now },
  ]);
}

/**
 * The trade's buyer chooses how it pays (a lump sum, or instalments where the listing allowed them:
 * instalments.ts) while the contract is open for signing. The payment terms are part of the contract:
 * a change withdraws the signatures already given, so both parties sign the same terms.
 */
export function choosePayment(
  t: Transfer,
  command: Extract<TransferCommand, { action: 'choose_payment' }>,
  actor: Actor,
  now: string,
): DecideResult {
  const c = t.contract;
  if (!c) return refuse('INVALID_STATE', 'only a listing award has a contract whose payment terms the buyer chooses');
  if (instantMs(now) >= instantMs(c.closesAt))
    return refuse('DEADLINE_PASSED', `the contract had to be signed by ${c.dueDate.date}`, { deadline: c.dueDate.date });
  const leg = t.allocations.find((a) => a.source === 'buyer');
  if (!leg) return refuse('INVALID_STATE', 'the buyer has no leg left to pay: an LP took the whole trade by its right of first refusal');
  const chosen = planFromChoice(command, leg, t.terms.instalments, actor.userId, now);
  if (!chosen.ok) return chosen;
  const changed = !sameTerms(t.paymentPlan, chosen.plan);
  const signaturesCleared = changed && (c.seller !== null || c.buyer !== null);
  const contract = signaturesCleared ? { ...c, seller: null, buyer: null } : c;
  const paymentPlan = changed ? chosen.plan : (t.paymentPlan ?? chosen.plan);
  return accept({ ...t, paymentPlan, contract }, [
    { type: 'payment_method_chosen', transferId: t.id, method: chosen.plan.method, signaturesCleared, at: now },
  ]);
}
