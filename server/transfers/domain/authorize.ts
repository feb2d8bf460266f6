/**
 * Who may do what, and when (api.md "depends on the action").
 *
 *   rofr_waive, rofr_exercise   a user of an organisation holding a ROFR on this transfer, acting for it in the
 *                               market ('lp', 'buyer' or 'gp'): the right belongs to the holder of the position,
 *                               whatever its users trade as. The exchange's roles ('operator', 'admin') do not answer it.
 *   sign                        a user of the seller or of the trade's buyer ('lp', 'buyer' or 'gp'), for a listing award's contract
 *   choose_payment              a user of the trade's buyer, before the contract is signed (instalments.ts)
 *   gp_consent, gp_refuse       a user with role 'gp' in the fund's GP organisation
 *   review, approve, reject,    a user with role 'operator' (four eyes: approve not by the operator who
 *   confirm_payment,            reviewed; record_registration not by an operator who confirmed a payment).
 *   record_registration         'admin' alone grants nothing in the workflow.
 *   tick                        the exchange only (actor null), never a user
 */
import { contractComplete, partyOf } from './contract';
import { hasInstalments, nextOpenInstalment } from './instalments';
import { paymentConfirmers } from './payments';
import { pendingStep } from './steps';
import {
  TERMINAL_STATES,
  USER_ACTIONS,
  type ActionName,
  type Actor,
  type Role,
  type Transfer,
  type TransferState,
  type UserAction,
} from './types';

/**
 * The roles with which a user acts for its own organisation in the market. Any of them lets a user of a ROFR
 * holder answer for it: an LP that also buys (or only buys, or is the fund's manager holding its own commitment)
 * must not lose its right because its users were not given the seller role.
 */
const HOLDER_ROLES: readonly Role[] = ['lp', 'buyer', 'gp'];

const OPERATOR_ACTIONS: readonly ActionName[] = ['review', 'approve', 'reject', 'confirm_payment', 'record_registration'];

/** The states in which each action applies. */
export const ACTION_STATES: Readonly<Record<ActionName, readonly TransferState[]>> = {
  rofr_waive: ['rofr_pending'],
  rofr_exercise: ['rofr_pending'],
  sign: ['rofr_pending', 'gp_consent_pending', 'review_pending'],
  choose_payment: ['rofr_pending', 'gp_consent_pending', 'review_pending'],
  gp_consent: ['gp_consent_pending'],
  gp_refuse: ['gp_consent_pending'],
  review: ['review_pending'],
  approve: ['approval_pending'],
  reject: ['review_pending', 'approval_pending'],
  confirm_payment: ['payment_pending'],
  record_registration: ['registration_pending'],
  tick: ['rofr_pending', 'gp_consent_pending', 'review_pending', 'approval_pending', 'payment_pending', 'registration_pending'],
};

/** Why `actor` may not take `action` on `t` at all (whatever the state), or null when it may. */
export function forbiddenReason(t: Transfer, action: ActionName, actor: Actor | null): string | null {
  if (action === 'tick') return actor === null ? null : 'tick is run by the exchange, not by a user';
  if (actor === null) return `${action} needs a signed-in user`;
  const has = (role: Actor['roles'][number]) => actor.roles.includes(role);
  if (action === 'rofr_waive' || action === 'rofr_exercise') {
    const holder = t.rofr?.holders.some((h) => h.orgId === actor.orgId) ?? false;
    return holder && HOLDER_ROLES.some((r) => has(r))
      ? null
      : 'only a user of an organisation holding a right of first refusal on this transfer may answer it';
  }
  if (action === 'sign') {
    return partyOf(t, actor) !== null && HOLDER_ROLES.some((r) => has(r)) ? null : 'only the seller and the buyer sign the contract';
  }
  if (action === 'choose_payment') {
    return actor.orgId === t.buyerOrgId && HOLDER_ROLES.some((r) => has(r)) ? null : "only the trade's buyer chooses how it pays";
  }
  if (action === 'gp_consent' || action === 'gp_refuse') {
    return has('gp') && actor.orgId === t.gpOrgId ? null : "only the fund's GP may consent to or refuse a transfer";
  }
  if (OPERATOR_ACTIONS.includes(action)) return has('operator') ? null : `only an exchange operator may ${action.replace('_', ' ')}`;
  return `unknown action ${String(action)}`;
}

/**
 * The actions `actor` can usefully take now (for buttons and queues): permitted, in the right state,
 * not already answered, not an approval by the reviewer and not a registration by a payment's
 * confirmer (four eyes). Deadlines are not considered here.
 */
export function availableActions(t: Transfer, actor: Actor | null): UserAction[] {
  return USER_ACTIONS.filter((action) => {
    if (forbiddenReason(t, action, actor) !== null || !ACTION_STATES[action].includes(t.state) || !actor) return false;
    if (action === 'rofr_waive' || action === 'rofr_exercise') {
      return t.rofr?.holders.some((h) => h.orgId === actor.orgId && h.answer === 'pending') ?? false;
    }
    if (action === 'approve') return actor.userId !== t.reviewedBy;
    if (action === 'sign') {
      const party = partyOf(t, actor);
      return !!t.contract && party !== null && t.contract[party] === null;
    }
    if (action === 'choose_payment') return !!t.contract && t.allocations.some((a) => a.source === 'buyer');
    if (action === 'review') return contractComplete(t);
    if (action === 'confirm_payment') return confirmableBy(t, actor.userId);
    if (action === 'record_registration') return !paymentConfirmers(t).includes(actor.userId);
    return true;
  });
}

/**
 * Whether an operator has a payment to record or confirm: some lump-sum leg unpaid, or the next
 * instalment not recorded by this very operator (it waits for a second one: four eyes).
 */
function confirmableBy(t: Transfer, userId: string): boolean {
  const plan = t.paymentPlan;
  const planned = hasInstalments(plan);
  if (t.allocations.some((a) => a.payment === null && !(planned && a.source === 'buyer'))) return true;
  const next = planned ? nextOpenInstalment(plan) : null;
  return !!next && next.recorded?.by !== userId;
}

/**
 * Who may read the transfer (api.md GET /api/transfers/:id): its parties (seller, the trade's buyer,
 * every final buyer), users of the fund's GP, operators, and the fund's other LPs while their ROFR is open.
 */
export function canView(t: Transfer, actor: Actor): boolean {
  return actor.roles.includes('operator') || transferAudience(t).has(actor.orgId);
}

/** How an organisation stands to a transfer it may read. */
export type AudienceRole = 'seller' | 'buyer' | 'gp' | 'rofr_holder';

/**
 * The organisations that may read the transfer now, each with its standing (operators, who read
 * every transfer, are not an organisation's matter): the seller, the trade's buyer and every final
 * buyer, the fund's GP, and the fund's other LPs while their ROFR is open. A party keeps its first
 * standing (a buyer who is also the GP is shown as buyer).
 */
export function transferAudience(t: Transfer): Map<string, AudienceRole> {
  const out = new Map<string, AudienceRole>();
  const add = (orgId: string, role: AudienceRole) => {
    if (!out.has(orgId)) out.set(orgId, role);
  };
  add(t.sellerOrgId, 'seller');
  add(t.buyerOrgId, 'buyer');
  for (const a of t.allocations) add(a.buyerOrgId, 'buyer');
  add(t.gpOrgId, 'gp');
  if (t.state === 'rofr_pending' && pendingStep(t)?.name === 'rofr') for (const h of t.rofr?.holders ?? []) add(h.orgId, 'rofr_holder');
  return out;
}

export const isTerminal = (t: Transfer): boolean => TERMINAL_STATES.includes(t.state);
