/**
 * Public announcements of the listing venue (api.md, "Public announcements and market data"): what
 * anyone may read without signing in. Pure: the listing is read as of `now` (its due timers applied),
 * the NAV of its quantity comes in as an argument. Nothing about bidders or the parties: no
 * organisation, alias or bid; a state-owned listing also shows its filed appraisal, others never.
 */
import { Dec, formatPct, HUNDRED, ZERO } from '../../../shared/decimal';
import { beijingDate, type WorkingDayCalendar } from '../../../shared/calendar';
import { tick, type Listing, type ListingMethod } from '../../listings/domain';

export interface ListingAnnouncement {
  listingId: string;
  fundName: string;
  quantity: string;
  askPrice: string;
  impliedPctOfNav: string | null;
  method: ListingMethod;
  disclosureStartDate: string;
  disclosureEndDate: string;
  buyerConditions: string[];
  stateOwned: boolean;
  appraisalValue?: string;
}

export interface ResultAnnouncement {
  listingId: string;
  fundName: string;
  quantity: string;
  askPrice: string;
  appraisalValue?: string;
  dealPrice: string;
  dealPctOfNav: string | null;
  awardedAt: string;
  publishedFrom: string;
  publishedUntil: string;
}

export interface AnnouncementContext {
  fundName: string;
  /** NAV attributable to the listed quantity, yuan; null when the fund has no NAV report. */
  navOfQuantity: string | null;
}

const pctOf = (amount: string, nav: string | null): string | null =>
  nav !== null && new Dec(nav).gt(ZERO) ? formatPct(new Dec(amount).times(HUNDRED).div(new Dec(nav))) : null;

const appraisal = (l: Listing): { appraisalValue?: string } => (l.stateOwned ? { appraisalValue: l.stateOwned.appraisalValue } : {});

/** From its first disclosure instant until registration closes; null otherwise. */
export function listingAnnouncement(
  stored: Listing,
  ctx: AnnouncementContext,
  now: number,
  calendar: WorkingDayCalendar,
): ListingAnnouncement | null {
  const l = tick(stored, now, calendar).listing;
  const d = l.disclosure;
  if (l.state !== 'disclosure' || !d || now < d.startsAt || now >= d.closesAt) return null;
  return {
    listingId: l.id,
    fundName: ctx.fundName,
    quantity: l.quantity,
    askPrice: l.askPrice,
    impliedPctOfNav: pctOf(l.askPrice, ctx.navOfQuantity),
    method: l.method,
    disclosureStartDate: d.startDate,
    disclosureEndDate: d.endDate,
    buyerConditions: [...l.buyerConditions],
    stateOwned: l.stateOwned !== null,
    ...appraisal(l),
  };
}

/**
 * From the award's Beijing date through its publication end date (the award date plus the rule's
 * working days, at least 5, on the working-day calendar), unless the winner defaulted.
 */
export function resultAnnouncement(l: Listing, ctx: AnnouncementContext, now: number): ResultAnnouncement | null {
  const a = l.award;
  if (!a || a.defaultedAt !== null) return null;
  const today = beijingDate(now);
  if (today < a.publicationStartDate || today > a.publicationEndDate) return null;
  return {
    listingId: l.id,
    fundName: ctx.fundName,
    quantity: a.quantity,
    askPrice: l.askPrice,
    ...appraisal(l),
    dealPrice: a.price,
    dealPctOfNav: pctOf(a.price, ctx.navOfQuantity),
    awardedAt: new Date(a.awardedAt).toISOString(),
    publishedFrom: a.publicationStartDate,
    publishedUntil: a.publicationEndDate,
  };
}
