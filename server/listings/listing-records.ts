/**
 * Who registered for a listing and what happened to it (api.md "Who registered for a listing, and
 * what happened to it"): the registrations with qualification and deposit status, the listing's
 * history from its audit entries (people's actions, not bids, with a rejection's reason), the
 * seller's state-owned documents, and the award once it is complete.
 */
import { beijingDate, type WorkingDayCalendar } from '../../shared/calendar';
import type { Db, Tx } from '../../db/database';
import type { Principal } from '../auth/tokens';
import {
  decisionNotBy,
  depositNotBy,
  handshakeView,
  hasHandshake,
  plannedDeadlines,
  type Buyer,
  type HandshakeView,
  type Listing,
  type ListingEvent,
} from './domain';

export type DepositStatus = null | 'due' | 'confirmed' | 'refund_due' | 'refunded' | 'forfeited' | 'applied';

export interface RegistrationRow {
  orgId: string;
  orgName: string;
  /** The bidder alias the organisation bids under. */
  alias: string;
  registeredAt: string;
  qualified: boolean | null;
  qualifiedAt: string | null;
  /** The exchange's reason code when qualification was refused (e.g. NOT_QUALIFIED_INVESTOR). */
  refusalCode: string | null;
  depositAmount: string;
  depositStatus: DepositStatus;
  depositDueDate: string | null;
  depositBankRef: string | null;
  withdrawn: boolean;
  /**
   * The qualification handshake (state-owned listings): the whole of it for operators and the seller; a buyer's
   * own row carries its status and the answer due date only. Null on listings without the handshake.
   */
  handshake: HandshakeView | Pick<HandshakeView, 'status' | 'answerDueDate'> | null;
  /** For operators, while the deposit is due: the operators who may not confirm it (four eyes). */
  depositNotBy?: string[];
  /** For operators, while an objection is open: who may not record the regulator's decision, who may not confirm it. */
  decisionNotBy?: { record: string[]; confirm: string[] };
}

export interface HistoryEntry {
  action: string;
  by: { userId: string; name: string };
  at: string;
  reason?: string;
  orgId?: string;
}

export interface AwardView {
  amount: string;
  pctOfNav: string | null;
  at: string;
  orgId?: string;
  orgName?: string;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Operators and the seller's organisation see every registration and the history. */
export const seesEverything = (l: Listing, who: Principal): boolean => who.orgId === l.sellerOrgId || who.roles.includes('operator');

function depositOf(l: Listing, b: Buyer, calendar: WorkingDayCalendar): { status: DepositStatus; dueDate: string | null } {
  const d = b.deposit;
  if (!d) {
    // A deposit falls due once the buyer is qualified (with the handshake: settled); it must be confirmed before
    // registration closes, or with the handshake by the deposit deadline (planned from the disclosure end until then).
    if (b.qualification !== 'qualified' || b.withdrawnAt !== null) return { status: null, dueDate: null };
    if (!hasHandshake(l) || !l.disclosure) return { status: 'due', dueDate: l.disclosure?.endDate ?? null };
    return {
      status: 'due',
      dueDate: l.qualificationPhase?.depositDeadline ?? plannedDeadlines(l, l.disclosure.endDate, calendar).deposit.date,
    };
  }
  if (d.outcome === null) return { status: 'confirmed', dueDate: null };
  if (d.outcome === 'refund_due') {
    const due = calendar.addWorkingDays(beijingDate(d.outcomeAt ?? d.confirmedAt), l.rules.depositRefundWorkingDays);
    return { status: 'refund_due', dueDate: due.date };
  }
  return { status: d.outcome, dueDate: null };
}

export async function registrationsOf(db: Db | Tx, l: Listing, who: Principal, calendar: WorkingDayCalendar): Promise<RegistrationRow[]> {
  const rows = visibleBuyers(l, who, seesEverything(l, who));
  if (rows.length === 0) return [];
  const orgs = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where(
      'id',
      'in',
      rows.map((b) => b.orgId),
    )
    .execute();
  return registrationRows(l, who, calendar, new Map(orgs.map((o) => [o.id, o.name])));
}

const visibleBuyers = (l: Listing, who: Principal, everything: boolean): Buyer[] =>
  everything ? l.buyers : l.buyers.filter((b) => b.orgId === who.orgId);

/** The registration rows `who` may read, as registrationsOf answers them, with the organisations' names given (pure). */
export function registrationRows(
  l: Listing,
  who: Principal,
  calendar: WorkingDayCalendar,
  names: ReadonlyMap<string, string>,
): RegistrationRow[] {
  const everything = seesEverything(l, who);
  const operator = who.roles.includes('operator');
  return visibleBuyers(l, who, everything).map((b) => {
    const deposit = depositOf(l, b, calendar);
    const decision = decisionNotBy(b);
    return {
      orgId: b.orgId,
      orgName: names.get(b.orgId) ?? b.orgId,
      alias: b.alias,
      registeredAt: iso(b.registeredAt)!,
      qualified: b.qualification === 'pending' ? null : b.qualification === 'qualified',
      qualifiedAt: iso(b.qualifiedAt),
      refusalCode: b.qualification === 'refused' ? b.qualificationCode : null,
      depositAmount: l.depositAmount,
      depositStatus: deposit.status,
      depositDueDate: deposit.dueDate,
      depositBankRef: b.deposit?.bankRef ?? null,
      withdrawn: b.withdrawnAt !== null,
      handshake: handshakeOf(l, b, everything),
      ...(operator && deposit.status === 'due' ? { depositNotBy: depositNotBy(b) } : {}),
      ...(operator && decision ? { decisionNotBy: decision } : {}),
    };
  });
}

function handshakeOf(l: Listing, b: Buyer, everything: boolean): RegistrationRow['handshake'] {
  if (!hasHandshake(l)) return null;
  const v = handshakeView(b);
  return everything ? v : { status: v.status, answerDueDate: v.answerDueDate };
}

/** The reason a person gave (reject, end, suspend) or the exchange's reason code for a refused buyer. */
function reasonOf(events: readonly ListingEvent[]): { reason?: string; orgId?: string } {
  for (const e of events) {
    if (e.type === 'listing_rejected' || e.type === 'listing_ended' || e.type === 'listing_suspended') return { reason: e.reason };
    if (e.type === 'buyer_qualified') return { orgId: e.orgId, ...(e.eligible ? {} : { reason: e.reasonCode ?? 'NOT_ELIGIBLE' }) };
    if (e.type === 'deposit_confirmed') return { orgId: e.orgId };
    // The handshake: an objection's reason; the regulator's decision as its outcome word (uphold, dismiss).
    if (e.type === 'seller_answered') return { orgId: e.orgId, reason: e.reason ?? e.answer };
    if (e.type === 'objection_resolution_proposed' || e.type === 'objection_resolved') return { orgId: e.orgId, reason: e.outcome };
    if (e.type === 'winner_defaulted') return { reason: e.reason, orgId: e.orgId };
  }
  return {};
}

/** Every action a person took on the listing, oldest first, except bids (the auction room shows those). */
export async function historyOf(db: Db | Tx, listingId: string): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('auditLog')
    .leftJoin('users', 'users.id', 'auditLog.actorUserId')
    .select(['auditLog.action', 'auditLog.at', 'auditLog.actorUserId', 'auditLog.payload', 'users.displayName'])
    .where('auditLog.entityType', '=', 'listing')
    .where('auditLog.entityId', '=', listingId)
    .where('auditLog.actorUserId', 'is not', null)
    .orderBy('auditLog.seq', 'asc')
    .execute();
  return rows
    .filter((r) => r.action !== 'listing.bid')
    .map((r) => {
      const payload = JSON.parse(r.payload) as { events?: ListingEvent[] };
      return {
        action: r.action.replace(/^listing\./, ''),
        by: { userId: r.actorUserId!, name: r.displayName ?? r.actorUserId! },
        at: r.at,
        ...reasonOf(payload.events ?? []),
      };
    });
}

/**
 * The award once it is complete (not while a second operator has still to confirm it, nor after its
 * winner defaulted): for everyone who may read the listing; the winner's name for the seller, the
 * winner and operators.
 */
export async function awardOf(db: Db | Tx, l: Listing, who: Principal, pctOfNav: string | null): Promise<AwardView | null> {
  const a = l.award;
  if (!a || a.defaultedAt !== null || (l.state as string) === 'award_pending') return null;
  const view: AwardView = { amount: a.price, pctOfNav, at: new Date(a.awardedAt).toISOString() };
  if (!seesEverything(l, who) && who.orgId !== a.buyerOrgId) return view;
  const org = await db.selectFrom('organisations').select('name').where('id', '=', a.buyerOrgId).executeTakeFirst();
  return { ...view, orgId: a.buyerOrgId, orgName: org?.name ?? a.buyerOrgId };
}
