/**
 * Public announcements of the listing venue (api.md, "Public announcements and market data"): what
 * anyone may read without signing in. Pure: the listing is read as of `now` (its due timers applied),
 * the NAV of its quantity comes in as an argument. Nothing about bidders or the parties: no
 * organisation, alias or bid; a state-owned listing also shows its filed appraisal, others never.
 */
import { Dec, formatPct, HUNDRED, ZERO } from '../../../shared/decimal';
import { beijingDate, type WorkingDayCalendar } from '../../../shared/calendar';
import { anyObjectionOpen, tick, type Listing, type ListingMethod } from '../../listings/domain';

export interface ListingAnnouncement {
  listingId: string;
  fundName: string;
  fundNameEn: string;
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

/**
 * A listing that has entered the state-owned qualification phase (资格确认): disclosure is over, registration
 * closed, and the exchange's opinions and the deposits have their deadlines. Public while the phase runs, in
 * both languages (`notice`), with nothing about the registrants (not even how many).
 */
export interface QualificationAnnouncement {
  listingId: string;
  fundName: string;
  fundNameEn: string;
  quantity: string;
  askPrice: string;
  method: ListingMethod;
  stateOwned: boolean;
  appraisalValue?: string;
  disclosureStartDate: string;
  disclosureEndDate: string;
  /** When the phase began (00:00 Beijing after the disclosure end, ISO). */
  startedAt: string;
  opinionDeadline: string;
  depositDeadline: string;
  /** The deposit deadline waits for the regulator's decision on a transferor's objection. */
  depositDeadlineHeld: boolean;
  /** A deadline counted past the loaded calendar years. */
  provisional: boolean;
  notice: { zh: string; en: string };
}

export interface ResultAnnouncement {
  listingId: string;
  fundName: string;
  fundNameEn: string;
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
  fundNameEn: string;
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
    fundNameEn: ctx.fundNameEn,
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

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** A Beijing calendar date as a reader writes it: 2026年10月22日, 22 October 2026. */
const dateWords = (date: string, lang: 'zh' | 'en'): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return lang === 'zh' ? `${y}年${m}月${d}日` : `${d} ${MONTHS[m - 1]} ${y}`;
};

/** While the listing is in its qualification phase (from 00:00 Beijing after the disclosure end until the phase closes). */
export function qualificationAnnouncement(
  stored: Listing,
  ctx: AnnouncementContext,
  now: number,
  calendar: WorkingDayCalendar,
): QualificationAnnouncement | null {
  const l = tick(stored, now, calendar).listing;
  const d = l.disclosure;
  const p = l.qualificationPhase;
  if (l.state !== 'qualification' || !d || !p) return null;
  const held = anyObjectionOpen(l);
  const provisional = p.opinionDeadlineProvisional || p.depositDeadlineProvisional;
  // Only that the date may move, never why: an objection would tell the public that a registrant exists and was objected to.
  const zhHeld = held ? '（保证金截止日可能顺延，以交易所后续公告为准）' : '';
  const enHeld = held ? ' (the deposit deadline may move; a later announcement gives the final date)' : '';
  const zhProvisional = provisional ? '（日期暂定）' : '';
  const enProvisional = provisional ? ' (dates provisional)' : '';
  return {
    listingId: l.id,
    fundName: ctx.fundName,
    fundNameEn: ctx.fundNameEn,
    quantity: l.quantity,
    askPrice: l.askPrice,
    method: l.method,
    stateOwned: l.stateOwned !== null,
    ...appraisal(l),
    disclosureStartDate: d.startDate,
    disclosureEndDate: d.endDate,
    startedAt: new Date(p.startedAt).toISOString(),
    opinionDeadline: p.opinionDeadline,
    depositDeadline: p.depositDeadline,
    depositDeadlineHeld: held,
    provisional,
    notice: {
      zh:
        `${ctx.fundName}份额转让项目（${l.id}）信息披露期已于${dateWords(d.endDate, 'zh')}届满，现进入意向受让方资格确认阶段：` +
        `交易所于${dateWords(p.opinionDeadline, 'zh')}前出具资格确认意见，转让方逾期未答复视为同意，` +
        `经确认的意向受让方于${dateWords(p.depositDeadline, 'zh')}前缴纳保证金${zhHeld}${zhProvisional}。`,
      en:
        `The disclosure of the share listing ${l.id} in ${ctx.fundNameEn} ended on ${dateWords(d.endDate, 'en')}; its registrants' ` +
        `qualification is now being confirmed: the exchange gives its opinions by ${dateWords(p.opinionDeadline, 'en')}, the ` +
        "transferor's silence counts as agreement, and confirmed registrants pay their deposits by " +
        `${dateWords(p.depositDeadline, 'en')}${enHeld}${enProvisional}.`,
    },
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
    fundNameEn: ctx.fundNameEn,
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
