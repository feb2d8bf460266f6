/**
 * decide(listing, command, ctx): the one path every change to a listing takes.
 *
 * 1. The command's shape is checked (VALIDATION_FAILED); unknown actions are refused.
 * 2. The listing is brought up to ctx.now: every time-driven transition already due is applied at
 *    the instant its rule gives (so a bid arriving after the countdown ran out meets AUCTION_CLOSED
 *    even if no scheduler has ticked yet).
 * 3. The handler checks, in order, permission (FORBIDDEN), state (INVALID_STATE) and the rules, and
 *    changes a private copy. On failure the copy is dropped: a refused command never changes state.
 * 4. Transitions that became due because of the command (approval on a working day starts
 *    disclosure at once) are applied, and a qualification phase the command left with nothing
 *    more to settle closes at once (handshake.ts).
 * The input listing is never mutated.
 */
import { award, confirmAward, recordDefault } from './award';
import { isLimitReason, limitDetail } from './limits';
import { placeBid } from './bidding';
import { extend, end, reprice, resume, sellerWithdraw, suspend, terminate } from './outcomes';
import { buyerWithdraw, confirmDeposit, qualify, register } from './registration';
import { confirmResolution, resolveObjection, sellerAnswer } from './handshake';
import { closeWhenSettled } from './qualification-phase';
import { approve, reject, review, submit } from './review';
import { done, fail, SELLER, type Step } from './support';
import { advance } from './timers';
import type { DecideResult, Listing, ListingAction, ListingCommand, ListingContext, ListingError } from './types';

const FIELDS: Record<ListingAction, readonly string[]> = {
  submit: [],
  review: [],
  approve: [],
  reject: ['reason'],
  extend: ['workingDays'],
  reprice: ['askPrice', 'belowNinetyApprovalRef', 'depositAmount', 'buyerConditions'],
  withdraw: [],
  end: ['reason'],
  suspend: ['reason'],
  resume: [],
  terminate: ['reason'],
  register: [],
  qualify: ['orgId', 'eligible', 'reasonCode'],
  confirm_deposit: ['orgId', 'bankRef', 'amount'],
  seller_answer: ['orgId', 'answer', 'reason'],
  resolve_objection: ['orgId', 'outcome', 'regulatorRef'],
  confirm_resolution: ['orgId'],
  bid: ['amount', 'commitment'],
  award: ['amount', 'reveals'],
  confirm_award: [],
  record_default: ['reason'],
  tick: [],
};

/** Checks that an untrusted body is a known action with only its own fields; the handlers check the values. */
export function parseListingCommand(input: unknown): { ok: true; command: ListingCommand } | ListingError {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail('VALIDATION_FAILED', 'a command is an object {action, ...}');
  const body = input as Record<string, unknown>;
  const action = body.action;
  if (typeof action !== 'string' || !Object.hasOwn(FIELDS, action)) {
    return fail('VALIDATION_FAILED', `action must be one of ${Object.keys(FIELDS).join(', ')}`);
  }
  const allowed = FIELDS[action as ListingAction];
  const extra = Object.keys(body).find((k) => k !== 'action' && !allowed.includes(k));
  if (extra !== undefined) return fail('VALIDATION_FAILED', `unknown field ${extra} for ${action}`);
  for (const k of allowed) {
    const v = body[k];
    if (v === undefined) continue;
    const ok =
      k === 'workingDays'
        ? typeof v === 'number'
        : k === 'eligible'
          ? typeof v === 'boolean'
          : k === 'buyerConditions' || k === 'reveals'
            ? Array.isArray(v)
            : typeof v === 'string';
    if (!ok) return fail('VALIDATION_FAILED', `${k} has the wrong type (decimals travel as strings)`);
  }
  return { ok: true, command: body as unknown as ListingCommand };
}

function handle(l: Listing, c: ListingCommand, ctx: ListingContext): Step {
  switch (c.action) {
    case 'submit':
      return submit(l, ctx);
    case 'review':
      return review(l, ctx);
    case 'approve':
      return approve(l, ctx);
    case 'reject':
      return reject(l, c, ctx);
    case 'extend':
      return extend(l, c, ctx);
    case 'reprice':
      return reprice(l, c, ctx);
    case 'end':
      return end(l, c, ctx);
    case 'suspend':
      return suspend(l, c, ctx);
    case 'resume':
      return resume(l, ctx);
    case 'terminate':
      return terminate(l, c, ctx);
    case 'register':
      return register(l, ctx);
    case 'qualify':
      return qualify(l, c, ctx);
    case 'confirm_deposit':
      return confirmDeposit(l, c, ctx);
    case 'seller_answer':
      return sellerAnswer(l, c, ctx);
    case 'resolve_objection':
      return resolveObjection(l, c, ctx);
    case 'confirm_resolution':
      return confirmResolution(l, c, ctx);
    case 'bid':
      return placeBid(l, c, ctx);
    case 'award':
      return award(l, c, ctx);
    case 'confirm_award':
      return confirmAward(l, ctx);
    case 'record_default':
      return recordDefault(l, c, ctx);
    case 'tick':
      return done([]);
    case 'withdraw':
      // One action, two meanings: the seller withdraws the listing, a registered buyer its registration.
      if (ctx.actor.orgId === l.sellerOrgId) {
        return ctx.actor.roles.includes(SELLER) ? sellerWithdraw(l, ctx) : fail('FORBIDDEN', 'only a seller user withdraws the listing');
      }
      return buyerWithdraw(l, ctx);
  }
}

export function decide(listing: Listing, command: ListingCommand, ctx: ListingContext): DecideResult {
  const parsed = parseListingCommand(command);
  if (!parsed.ok) return parsed;
  if (!Number.isSafeInteger(ctx.now)) throw new Error('ctx.now must be an integer number of milliseconds');
  const l = structuredClone(listing);
  const before = advance(l, ctx.now, ctx.calendar);
  // A listing a time limit ended answers every command with that limit's code, so the reason is shown
  // (the scheduler's tick records the ending; a refused command changes nothing).
  if (parsed.command.action !== 'tick' && l.state === 'ended' && isLimitReason(l.endReason)) {
    return fail(l.endReason === 'SUSPENSION_EXPIRED' ? 'INVALID_STATE' : l.endReason, limitDetail(l.endReason));
  }
  const step = handle(l, parsed.command, ctx);
  if (!step.ok) return step;
  const after = [...advance(l, ctx.now, ctx.calendar), ...closeWhenSettled(l, ctx.now, ctx.calendar)];
  if (step.events.length > 0) l.updatedAt = Math.max(l.updatedAt, ctx.now);
  return { ok: true, listing: l, events: [...before, ...step.events, ...after] };
}
