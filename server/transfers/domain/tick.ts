/**
 * The time-driven command: as of `now`, close an expired ROFR window and fail a missed deadline.
 *
 * Things happen at the instant they were due, not at the instant the tick runs: the ROFR window closes
 * at `rofr.closesAt`, the next step starts then (its deadline counted from that date), and a missed
 * deadline fails at 00:00 Beijing after its date. So a clock moved forward by weeks in one jump (the
 * simulated clock) produces the same history as a scheduler that never sleeps, including a deadline of
 * the step that followed the ROFR window being missed within the same tick. A tick with nothing due
 * returns the transfer unchanged with no events.
 */
import type { WorkingDayCalendar } from '../../../shared/calendar';
import { deadlineClosesAt, instantMs, isMissed } from './deadlines';
import { contractClosesAt, unsignedParties } from './contract';
import { endingEvents } from './ending';
import { accept, type DecideResult } from './results';
import { closeRofr } from './rofr';
import { pendingStep, terminate } from './steps';
import { STEP_ORDER, TERMINAL_STATES, type Transfer, type TransferEvent } from './types';

export function tick(t: Transfer, now: string, calendar: WorkingDayCalendar): DecideResult {
  const nowMs = instantMs(now);
  let current = t;
  const events: TransferEvent[] = [];
  // Each pass closes the ROFR window or ends the transfer, so the loop is bounded by the number of steps.
  for (let pass = 0; pass <= STEP_ORDER.length; pass++) {
    if (TERMINAL_STATES.includes(current.state)) break;
    const step = pendingStep(current);
    if (!step || !step.deadline) break;
    // An unsigned contract fails the transfer at its own deadline, when that comes before the step's next event.
    const unsignedAt = contractClosesAt(current);
    const stepEventAt = step.name === 'rofr' && current.rofr ? current.rofr.closesAt : deadlineClosesAt(step.deadline);
    if (unsignedAt !== null && nowMs >= instantMs(unsignedAt) && instantMs(unsignedAt) <= instantMs(stepEventAt)) {
      const c = current.contract!;
      const unsignedBy = unsignedParties(current);
      const reason = `the contract was not signed by the ${unsignedBy.join(' and the ')} by ${c.dueDate.date}`;
      const ended = terminate(current, 'failed', 'failed', reason, unsignedAt, null);
      events.push(
        { type: 'contract_unsigned', transferId: t.id, unsignedBy, dueDate: c.dueDate, at: unsignedAt },
        ...ended.events,
        ...endingEvents(current, 'failed', step.name, unsignedBy.includes('buyer')),
      );
      current = ended.transfer;
      break;
    }
    if (step.name === 'rofr' && current.rofr) {
      if (nowMs < instantMs(current.rofr.closesAt)) break;
      const closed = closeRofr(current, current.rofr.closesAt, calendar);
      current = closed.transfer;
      events.push(...closed.events);
      continue;
    }
    if (!isMissed(step.deadline, now)) break;
    const at = deadlineClosesAt(step.deadline);
    const reason = `the ${step.name.replace('_', ' ')} deadline of ${step.deadline.date} passed`;
    const ended = terminate(current, 'failed', 'failed', reason, at, null);
    events.push(
      { type: 'deadline_missed', transferId: t.id, step: step.name, deadline: step.deadline, at },
      ...ended.events,
      ...endingEvents(current, 'failed', step.name),
    );
    current = ended.transfer;
    break;
  }
  return accept(current, events);
}

/**
 * When the scheduler should next tick this transfer: the ROFR window's close, or the instant the pending
 * step's deadline is missed; null in a terminal state. Store it as a column and claim due rows.
 */
export function nextTickAt(t: Transfer): string | null {
  const step = pendingStep(t);
  if (!step || !step.deadline) return null;
  const stepAt = step.name === 'rofr' && t.rofr ? t.rofr.closesAt : deadlineClosesAt(step.deadline);
  const unsignedAt = contractClosesAt(t);
  return unsignedAt !== null && instantMs(unsignedAt) < instantMs(stepAt) ? unsignedAt : stepAt;
}
