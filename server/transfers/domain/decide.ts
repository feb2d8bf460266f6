/**
 * The transfer workflow's single entry point: a command in, a new transfer and its events out, or a
 * refusal with a stable code. Pure: the clock (`now`) and the calendar are arguments, nothing is read
 * or mutated. Refusals are checked in the order documented in results.ts.
 */
import type { WorkingDayCalendar } from '../../../shared/calendar';
import { approve, gpConsent, gpRefuse, reject, review } from './approvals';
import { ACTION_STATES, forbiddenReason } from './authorize';
import { instantMs, isMissed } from './deadlines';
import type { EligibilityFacts } from './eligibility';
import { confirmPayment, recordRegistration } from './payments';
import { accept, invariant, refuse, type DecideResult } from './results';
import { answerRofr } from './rofr';
import { choosePayment, contractComplete, sign } from './contract';
import { pendingStep } from './steps';
import { tick } from './tick';
import type { Actor, SellerPosition, Transfer, TransferCommand } from './types';

export interface DecideContext {
  /** The signed-in user; null for the exchange itself (only `tick`). */
  readonly actor: Actor | null;
  /** ISO-8601 instant of the command, from the exchange's clock. */
  readonly now: string;
  readonly calendar: WorkingDayCalendar;
  /** Required for `review`: the facts the eligibility checks need, read in the same transaction. */
  readonly eligibility?: EligibilityFacts;
  /** Required for `record_registration`: the seller's current position in the fund. */
  readonly sellerPosition?: SellerPosition;
}

export function decide(t: Transfer, command: TransferCommand, ctx: DecideContext): DecideResult {
  instantMs(ctx.now);
  const action = command.action;
  if (typeof action !== 'string' || !Object.hasOwn(ACTION_STATES, action))
    return refuse('VALIDATION_FAILED', `unknown action ${JSON.stringify(action)}`);

  const forbidden = forbiddenReason(t, action, ctx.actor);
  if (forbidden) return refuse('FORBIDDEN', forbidden);
  if (command.action === 'tick') {
    const ticked = tick(t, ctx.now, ctx.calendar);
    if (!ticked.ok || ticked.events.length === 0) return ticked;
    return accept({ ...ticked.transfer, updatedAt: ctx.now, version: t.version + 1 }, ticked.events);
  }
  const actor = ctx.actor;
  invariant(actor, 'a user action has an actor');

  if (!ACTION_STATES[action].includes(t.state))
    return refuse('INVALID_STATE', `${action} is not possible while the transfer is ${t.state}`, {
      reason: 'transfer_state',
      state: t.state,
    });
  // Signing runs beside the steps, with its own deadline (contract.ts).
  if (command.action === 'sign' || command.action === 'choose_payment') {
    const signed = command.action === 'sign' ? sign(t, actor, ctx.now) : choosePayment(t, command, actor, ctx.now);
    return signed.ok ? accept({ ...signed.transfer, updatedAt: ctx.now, version: t.version + 1 }, signed.events) : signed;
  }
  const step = pendingStep(t);
  invariant(step && step.deadline, `transfer ${t.id} in ${t.state} has no pending step with a deadline`);
  if (isMissed(step.deadline, ctx.now)) {
    return refuse('DEADLINE_PASSED', `the ${step.name.replace('_', ' ')} deadline of ${step.deadline.date} has passed`, {
      deadline: step.deadline.date,
    });
  }

  const result = dispatch(t, command as StepCommand, actor, ctx);
  if (!result.ok) return result;
  return accept({ ...result.transfer, updatedAt: ctx.now, version: t.version + 1 }, result.events);
}

type StepCommand = Exclude<TransferCommand, { action: 'tick' | 'sign' | 'choose_payment' }>;

function dispatch(t: Transfer, command: StepCommand, actor: Actor, ctx: DecideContext): DecideResult {
  switch (command.action) {
    case 'rofr_waive':
      return answerRofr(t, 'waived', actor, ctx.now, ctx.calendar);
    case 'rofr_exercise':
      return answerRofr(t, 'exercised', actor, ctx.now, ctx.calendar);
    case 'gp_consent':
      return gpConsent(t, actor, ctx);
    case 'gp_refuse':
      return gpRefuse(t, command.reason, actor, ctx);
    case 'review':
      if (!contractComplete(t)) return refuse('INVALID_STATE', 'the contract is not signed by both parties yet');
      return review(t, actor, ctx);
    case 'approve':
      return approve(t, actor, ctx);
    case 'reject':
      return reject(t, command.reason, actor, ctx);
    case 'confirm_payment':
      return confirmPayment(t, command.bankRef, command.buyerOrgId, command.instalment, actor, ctx);
    case 'record_registration':
      return recordRegistration(t, command, actor, ctx);
  }
}

/** The time-driven command on its own: `decide(t, {action: 'tick'}, {actor: null, now, calendar})`. */
export function tickTransfer(t: Transfer, now: string, calendar: WorkingDayCalendar): DecideResult {
  return decide(t, { action: 'tick' }, { actor: null, now, calendar });
}
