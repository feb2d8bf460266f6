/**
 * "Who acts next, and why": for the API's `steps`, dashboards and the operators' work queues.
 */
import { formatYuan } from '../../../shared/decimal';
import { unsignedParties } from './contract';
import { hasInstalments, instalmentTotal, nextOpenInstalment } from './instalments';
import { paymentConfirmers } from './payments';
import { paymentDue } from './settlement';
import { pendingStep } from './steps';
import type { ActionName, Deadline, Role, StepName, Transfer, TransferState } from './types';

export interface WaitingOn {
  readonly role: Role;
  /** Organisations whose users may act; empty = any organisation with the role (operators). */
  readonly orgIds: readonly string[];
  /**
   * Users who may not act although they hold the role (four eyes: the reviewer may not approve, a payment's confirmer may not record
   * the registration).
   */
  readonly excludedUserIds: readonly string[];
}

export type OperatorQueue = 'review' | 'approval' | 'payment' | 'registration';

export interface Turn {
  readonly state: TransferState;
  readonly step: StepName | null;
  readonly waitingOn: readonly WaitingOn[];
  readonly actions: readonly ActionName[];
  /** The operators' queue this transfer sits in, if any. */
  readonly operatorQueue: OperatorQueue | null;
  readonly deadline: Deadline | null;
  /** One English sentence for people. */
  readonly why: string;
}

const operator = (excludedUserIds: readonly string[] = []): WaitingOn => ({ role: 'operator', orgIds: [], excludedUserIds });

export function nextActor(t: Transfer): Turn {
  const step = pendingStep(t);
  if (!step) {
    const why =
      t.state === 'completed'
        ? `Completed on ${t.registration?.at ?? t.updatedAt}; the confirmation is issued.`
        : `Ended as ${t.state} at the ${t.outcome?.step.replace('_', ' ') ?? 'unknown'} step: ${t.outcome?.reason ?? ''}`;
    return { state: t.state, step: null, waitingOn: [], actions: [], operatorQueue: null, deadline: null, why };
  }
  const by = step.deadline ? ` by ${step.deadline.date}${step.deadline.provisional ? ' (provisional)' : ''}` : '';
  const base = { state: t.state, step: step.name, deadline: step.deadline };
  switch (step.name) {
    case 'rofr': {
      const pending = (t.rofr?.holders ?? []).filter((h) => h.answer === 'pending').map((h) => h.orgId);
      return {
        ...base,
        waitingOn: [{ role: 'lp', orgIds: pending, excludedUserIds: [] }],
        actions: ['rofr_waive', 'rofr_exercise'],
        operatorQueue: null,
        why: `${pending.length} LP(s) with a right of first refusal may waive or exercise it${by}; silence counts as waiver.`,
      };
    }
    case 'gp_consent':
      return {
        ...base,
        waitingOn: [{ role: 'gp', orgIds: [t.gpOrgId], excludedUserIds: [] }],
        actions: ['gp_consent', 'gp_refuse'],
        operatorQueue: null,
        why: `The fund's GP must consent to or refuse the transfer${by}.`,
      };
    case 'review': {
      // Review is refused until both parties signed: until then the turn is theirs, not an operator's.
      const unsigned = unsignedParties(t);
      if (unsigned.length) {
        const due = t.contract!.dueDate;
        return {
          ...base,
          deadline: due,
          waitingOn: unsigned.map((p) => ({
            role: p === 'seller' ? 'lp' : 'buyer',
            orgIds: [p === 'seller' ? t.sellerOrgId : t.buyerOrgId],
            excludedUserIds: [],
          })),
          actions: ['sign'],
          operatorQueue: null,
          why:
            `The contract must be signed by the ${unsigned.join(' and the ')} by ${due.date}` +
            `${due.provisional ? ' (provisional)' : ''}; the operator review follows.`,
        };
      }
      return {
        ...base,
        waitingOn: [operator()],
        actions: ['review', 'reject'],
        operatorQueue: 'review',
        why: `An operator must review eligibility (qualified buyers, investor cap, round-trip rule)${by}.`,
      };
    }
    case 'approval': {
      const excluded = t.reviewedBy ? [t.reviewedBy] : [];
      return {
        ...base,
        waitingOn: [operator(excluded)],
        actions: ['approve', 'reject'],
        operatorQueue: 'approval',
        why: `A second operator, not the reviewer, must approve or reject${by}.`,
      };
    }
    case 'payment': {
      const unpaid = t.allocations.filter((a) => a.payment === null);
      const plan = t.paymentPlan;
      const next = hasInstalments(plan) ? nextOpenInstalment(plan) : null;
      const owed = unpaid
        .map((a) =>
          next && a.source === 'buyer'
            ? `${a.buyerOrgId} owes instalment ${next.number} of ${plan!.instalments.length}, RMB ${formatYuan(instalmentTotal(next))}` +
              ` by ${next.dueDate ?? ''}${next.recorded ? ', recorded and awaiting a second operator' : ''}`
            : `${a.buyerOrgId} owes RMB ${formatYuan(paymentDue(a))}`,
        )
        .join('; ');
      const recorder = next?.recorded && unpaid.every((a) => a.source === 'buyer') ? [next.recorded.by] : [];
      return {
        ...base,
        waitingOn: [{ role: 'buyer', orgIds: unpaid.map((a) => a.buyerOrgId), excludedUserIds: [] }, operator(recorder)],
        actions: ['confirm_payment'],
        operatorQueue: 'payment',
        why:
          `Payment into escrow is due${by} (${owed}); an operator confirms each payment with the bank reference` +
          `${next ? ' (each instalment recorded by one operator and confirmed by another)' : ''}.`,
      };
    }
    case 'registration':
      return {
        ...base,
        waitingOn: [operator(paymentConfirmers(t))],
        actions: ['record_registration'],
        operatorQueue: 'registration',
        why:
          `An operator who confirmed no payment of it must record the ` +
          `registration of the change` +
          `${t.sellerStateOwned || t.allocations.some((a) => a.stateOwned) ? ' (with the state-owned equity registration)' : ''}` +
          `${by}.`,
      };
  }
}
