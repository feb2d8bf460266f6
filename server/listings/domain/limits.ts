/**
 * The time limits that end a listing, each within its scope (api.md, "Scope of the state-owned time
 * limits"), and the suspension's one calendar month:
 * - the 12-month rule (state-owned) while no buyer has qualified: more than 12 months after the first
 *   formal disclosure, re-appraise and re-disclose (REAPPRAISAL_REQUIRED);
 * - the appraisal's validity (state-owned) until the award is confirmed (APPRAISAL_EXPIRED);
 * - a suspension longer than the rule's months (SUSPENSION_EXPIRED).
 * Each is a timer: when its instant passes while nothing happens, tick ends the listing (state `ended`,
 * `endReason` the code) and refunds the deposits it holds; `decide` refuses any later command with that
 * code, so every step that would move the listing forward meets it.
 */
import { beijingDate, beijingInstant, type WorkingDayCalendar } from '../../../shared/calendar';
import { refundAllHeld } from './buyers';
import { rulesOf } from './rules';
import { appraisalExpiresOn, reappraisalDeadline } from './state-owned';
import { addMonths, endOfBeijingDay } from './support';
import type { Listing, ListingEvent, ListingState, Suspension } from './types';

export type LimitReason = 'APPRAISAL_EXPIRED' | 'REAPPRAISAL_REQUIRED' | 'SUSPENSION_EXPIRED';

export const isLimitReason = (s: string | null): s is LimitReason =>
  s === 'APPRAISAL_EXPIRED' || s === 'REAPPRAISAL_REQUIRED' || s === 'SUSPENSION_EXPIRED';

/** States in which a listing is on its way to an award: the limits run (suspended included: a pause stops no limit). */
const RUNNING: ReadonlySet<ListingState> = new Set<ListingState>([
  'approved',
  'disclosure',
  'qualification',
  'closed',
  'bidding',
  'bidding_closed',
  'award_pending',
  'suspended',
]);

const effectiveState = (l: Listing): ListingState => (l.state === 'suspended' && l.suspension ? l.suspension.from : l.state);

/**
 * The 12-month rule applies while no buyer has qualified in the round (with the handshake: settled-qualified,
 * which is what `qualified` means there). A round that closed without a
 * buyer in (qualified with a deposit) is back in scope: extend and reprice start from nobody again.
 */
function twelveMonthsInScope(l: Listing): boolean {
  const s = effectiveState(l);
  if (s === 'award_pending') return false;
  if (s === 'closed' && l.branch === 'no_buyer') return true;
  return !l.buyers.some((b) => b.withdrawnAt === null && b.qualification === 'qualified');
}

/** A suspension ends the listing this long after it began: the same Beijing time of day, N calendar months later. */
export function suspensionEndsAt(s: Suspension, months: number): number {
  const day = beijingDate(s.at);
  return s.at + (Date.parse(addMonths(day, months)) - Date.parse(day));
}

/** The earliest limit still ahead of (or already due for) this listing, or null when none runs. */
export function nextLimit(l: Listing): { at: number; reason: LimitReason } | null {
  if (!RUNNING.has(l.state)) return null;
  const r = rulesOf(l.rules);
  const limits: { at: number; reason: LimitReason }[] = [];
  if (l.stateOwned) {
    // Valid while the date is before base date + 12 months: over at 00:00 Beijing on that date.
    limits.push({ at: beijingInstant(appraisalExpiresOn(l.stateOwned, r), '00:00'), reason: 'APPRAISAL_EXPIRED' });
    const deadline = reappraisalDeadline(l);
    // Allowed on the deadline date itself (checkReappraisal): over at the end of that day.
    if (deadline !== null && twelveMonthsInScope(l)) limits.push({ at: endOfBeijingDay(deadline), reason: 'REAPPRAISAL_REQUIRED' });
  }
  if (l.state === 'suspended' && l.suspension) {
    limits.push({ at: suspensionEndsAt(l.suspension, r.suspensionMaxMonths), reason: 'SUSPENSION_EXPIRED' });
  }
  return limits.reduce<{ at: number; reason: LimitReason } | null>((min, x) => (min === null || x.at < min.at ? x : min), null);
}

const DETAIL: Record<LimitReason, string> = {
  APPRAISAL_EXPIRED: 'the appraisal expired before the award was confirmed: file a new appraisal and list again',
  REAPPRAISAL_REQUIRED: 'no qualified buyer within the months the rules allow after the first disclosure: re-appraise and list again',
  SUSPENSION_EXPIRED: 'the suspension ran out before the listing resumed: the listing is terminated',
};

export const limitDetail = (reason: LimitReason): string => `the listing ended: ${DETAIL[reason]}`;

/** Ends the listing at the limit's instant; every deposit it still holds is refunded (the buyers did nothing wrong). */
export function endByLimit(l: Listing, at: number, reason: LimitReason, calendar: WorkingDayCalendar): ListingEvent[] {
  l.state = 'ended';
  l.endReason = reason;
  l.suspension = null;
  l.pendingAward = null;
  return [{ type: 'listing_ended', listingId: l.id, at, reason }, ...refundAllHeld(l, 'listing_ended', at, calendar)];
}
