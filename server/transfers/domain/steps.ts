/**
 * Moving through the steps: complete the current one, start the next applicable one with its deadline,
 * or end the transfer. Every function returns new values; nothing is mutated.
 */
import { unsafeTextReason } from '../../../shared/text';
import type { WorkingDayCalendar } from '../../../shared/calendar';
import { stepDeadline } from './deadlines';
import { invariant } from './results';
import {
  STEP_ORDER,
  type Actor,
  type Step,
  type StepName,
  type StepState,
  type Transfer,
  type TransferEvent,
  type TransferState,
} from './types';

export const STATE_OF_STEP: Readonly<Record<StepName, TransferState>> = {
  rofr: 'rofr_pending',
  gp_consent: 'gp_consent_pending',
  review: 'review_pending',
  approval: 'approval_pending',
  payment: 'payment_pending',
  registration: 'registration_pending',
};

export function stepNamed(t: Transfer, name: StepName): Step {
  const step = t.steps.find((s) => s.name === name);
  invariant(step, `transfer ${t.id} has no step ${name}`);
  return step;
}

/** The step someone must act on now, or null in a terminal state. */
export function pendingStep(t: Transfer): Step | null {
  const pending = t.steps.filter((s) => s.state === 'pending');
  invariant(pending.length <= 1, `transfer ${t.id} has ${pending.length} pending steps`);
  return pending[0] ?? null;
}

export function replaceStep(steps: readonly Step[], name: StepName, patch: Partial<Step>): Step[] {
  return steps.map((s) => (s.name === name ? { ...s, ...patch } : s));
}

const byOf = (actor: Actor | null) => (actor ? { userId: actor.userId, orgId: actor.orgId } : null);

/** Starts `name` at `at`: pending, with its deadline from the Beijing date of `at`. */
export function startStep(t: Transfer, name: StepName, at: string, calendar: WorkingDayCalendar): Transfer {
  const step = stepNamed(t, name);
  invariant(step.state === 'waiting', `step ${name} of ${t.id} cannot start from ${step.state}`);
  const actor = name === 'payment' ? { role: 'buyer' as const, orgIds: t.allocations.map((a) => a.buyerOrgId) } : step.actor;
  const deadline = stepDeadline(name, at, t.terms, calendar);
  return { ...t, state: STATE_OF_STEP[name], steps: replaceStep(t.steps, name, { state: 'pending', startedAt: at, deadline, actor }) };
}

/**
 * Completes the pending step at `at` and starts the next step that applies (skipped steps stay
 * skipped), or completes the transfer after registration.
 */
export function advance(
  t: Transfer,
  at: string,
  actor: Actor | null,
  calendar: WorkingDayCalendar,
): { transfer: Transfer; events: TransferEvent[] } {
  const current = pendingStep(t);
  invariant(current, `transfer ${t.id} has no pending step to complete`);
  const done: Transfer = { ...t, steps: replaceStep(t.steps, current.name, { state: 'done', at, by: byOf(actor) }) };
  const next = STEP_ORDER.slice(STEP_ORDER.indexOf(current.name) + 1).find((n) => stepNamed(done, n).state === 'waiting');
  const transfer = next ? startStep(done, next, at, calendar) : { ...done, state: 'completed' as const };
  return { transfer, events: [{ type: 'state_changed', transferId: t.id, from: t.state, to: transfer.state, at }] };
}

/** Ends the transfer on its pending step: that step becomes `stepState`, every step not reached is cancelled. */
export function terminate(
  t: Transfer,
  kind: 'refused' | 'rejected' | 'failed',
  stepState: Extract<StepState, 'refused' | 'failed'>,
  reason: string,
  at: string,
  actor: Actor | null,
): { transfer: Transfer; events: TransferEvent[] } {
  const current = pendingStep(t);
  invariant(current, `transfer ${t.id} has no pending step to end on`);
  const steps = t.steps.map((s): Step => {
    if (s.name === current.name) return { ...s, state: stepState, at, by: byOf(actor) };
    if (s.state === 'waiting') return { ...s, state: 'cancelled', at };
    return s;
  });
  const transfer: Transfer = {
    ...t,
    state: kind,
    steps,
    outcome: { kind, step: current.name, reason, at, by: actor?.userId ?? null },
  };
  return { transfer, events: [{ type: 'state_changed', transferId: t.id, from: t.state, to: kind, at }] };
}

/** A required free-text field (a reason; references use `referenceText`): trimmed, non-empty, bounded. */
export function requiredText(
  value: unknown,
  field: string,
  maxLength: number,
): { ok: true; value: string } | { ok: false; detail: string } {
  if (typeof value !== 'string' || value.trim() === '') return { ok: false, detail: `${field} is required` };
  const trimmed = value.trim();
  if (trimmed.length > maxLength) return { ok: false, detail: `${field} is longer than ${maxLength} characters` };
  return { ok: true, value: trimmed };
}

/**
 * C0 and C1 control characters. A reference is one line (no tab or line break), and any other control
 * character would stop the confirmation that prints it from being issued (its renderer refuses them).
 */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * A reference printed on the confirmation (bank, registration, AMAC, state-owned equity): required text as
 * `requiredText`, without control characters. Whether the confirmation's font can print every character is
 * the caller's check (the font is read from disk: transfers.service.ts, `unprintableReference`).
 */
export function referenceText(
  value: unknown,
  field: string,
  maxLength: number,
): { ok: true; value: string } | { ok: false; detail: string } {
  const text = requiredText(value, field, maxLength);
  if (text.ok && CONTROL_CHARACTER.test(text.value)) return { ok: false, detail: `${field} must not contain control characters` };
  const unsafe = text.ok ? unsafeTextReason(text.value) : null;
  if (unsafe) return { ok: false, detail: `${field} ${unsafe}` };
  return text;
}

/** An optional reference (see `referenceText`): absent or blank → null. */
export function optionalReference(
  value: unknown,
  field: string,
  maxLength: number,
): { ok: true; value: string | null } | { ok: false; detail: string } {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return { ok: true, value: null };
  return referenceText(value, field, maxLength);
}
