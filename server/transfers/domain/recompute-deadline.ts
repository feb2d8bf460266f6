/**
 * A provisional deadline made final. Beyond the loaded official calendar years a deadline is computed
 * with the provisional rule (weekends and fixed-date holidays only) and marked provisional; when an
 * operator approves the official schedule of a year, the pending step's deadline is worked out again
 * from the step's start with the calendar that now includes it (the caller passes that calendar), so
 * that the transfer is held to the date the official calendar gives, not to the guess.
 */
import { beijingDate, type WorkingDayCalendar } from '../../../shared/calendar';
import { deadlineClosesAt, instantMs, isMissed, stepDeadline } from './deadlines';
import { instalmentLeg } from './instalment-payments';
import type { PaymentPlan } from './instalments';
import { pendingStep, replaceStep } from './steps';
import type { Deadline, StepName, Transfer } from './types';

export interface DeadlineChange {
  readonly step: StepName;
  readonly from: Deadline;
  readonly to: Deadline;
}

/**
 * The transfer with its pending step's provisional deadline recomputed with `calendar` at `now` (a new
 * version), or null when nothing changes: no pending step, a deadline that is not provisional, or one
 * already missed (the next tick ends the transfer as of that instant; a calendar approved afterwards
 * does not revive it). The ROFR window moves with its step when the agreement counts it in working days.
 *
 * The recomputed date is never before the Beijing date of `now`: where the official schedule gives an
 * earlier date than the provisional rule (a make-up working day) and that date has gone already, nobody
 * can have been held to it, so the step may still be completed today.
 */
export function recomputeProvisionalDeadline(
  t: Transfer,
  now: string,
  calendar: WorkingDayCalendar,
): { transfer: Transfer; change: DeadlineChange } | null {
  const step = pendingStep(t);
  if (!step || !step.deadline || !step.deadline.provisional || step.startedAt === null || isMissed(step.deadline, now)) return null;
  // An instalment plan's first due date counts its own working days from the contract date (the step's start).
  const firstWorkingDays = step.name === 'payment' && instalmentLeg(t) ? t.terms.instalments?.instalmentFirstWorkingDays : undefined;
  const official =
    firstWorkingDays === undefined
      ? stepDeadline(step.name, step.startedAt, t.terms, calendar)
      : calendar.addWorkingDays(beijingDate(instantMs(step.startedAt)), firstWorkingDays);
  const today = beijingDate(instantMs(now));
  const to: Deadline = official.date < today ? { date: today, provisional: official.provisional } : official;
  if (to.date === step.deadline.date && to.provisional === step.deadline.provisional) return null;
  const rofr = step.name === 'rofr' && t.rofr ? { ...t.rofr, windowEnd: to, closesAt: deadlineClosesAt(to) } : t.rofr;
  // A provisional payment deadline of a plan is its first instalment's due date (the later ones are calendar dates).
  const plan = firstWorkingDays === undefined ? t.paymentPlan : withFirstDueDate(t.paymentPlan!, to.date);
  return {
    transfer: {
      ...t,
      steps: replaceStep(t.steps, step.name, { deadline: to }),
      rofr,
      ...(plan ? { paymentPlan: plan } : {}),
      updatedAt: now,
      version: t.version + 1,
    },
    change: { step: step.name, from: step.deadline, to },
  };
}

const withFirstDueDate = (plan: PaymentPlan, date: string): PaymentPlan => ({
  ...plan,
  instalments: plan.instalments.map((i) => (i.number === 1 ? { ...i, dueDate: date } : i)),
});
