/**
 * The wire shape of a transfer (api.md GET /api/transfers/:transferId), built from the domain value
 * for one viewer: party names from `organisations`, the caller's available actions, who acts next,
 * and the confirmation number once issued. Roles in `steps[].actor` and `nextActor.waitingOn` are the
 * workflow's: 'lp' (an LP holding a right of first refusal), 'gp', 'operator', 'buyer'. Organisations
 * a viewer may not see are left out (see `seesAllParties`): `buyer` is then null, an org list shorter.
 */
import { z } from 'zod';
import type { Db, Tx } from '../../db/database';
import type { Principal } from '../auth/tokens';
import type { Role as PrincipalRole } from '../../db/schema';
import { formatYuan } from '../../shared/decimal';
import { availableActions, legInterest, nextActor, pricePctOf, type Actor, type Role, type Transfer, type Turn } from './domain';
import { instalmentLeg, instalmentLegs, planSummary } from './instalments.views';
import { DEMO_ESCROW_ACCOUNT, legAmounts, sellerAmounts, type EscrowAccount } from './money';

/**
 * Our principals' roles in the workflow's terms. A ROFR answer needs no particular one of the trading roles
 * (authorize.ts, HOLDER_ROLES): the right is its organisation's, so a 'buyer' user of a holder answers too.
 */
/** A pledgee bank has no part in a transfer's workflow. */
const ROLE_MAP: Record<Exclude<PrincipalRole, 'pledgee'>, Role> = {
  seller: 'lp',
  buyer: 'buyer',
  gp: 'gp',
  operator: 'operator',
  admin: 'admin',
};

export function actorOf(p: Principal): Actor {
  return { userId: p.userId, orgId: p.orgId, roles: p.roles.flatMap((r) => (r === 'pledgee' ? [] : [ROLE_MAP[r]])) };
}

/** An organisation by id, its Chinese (registered) name and its English name, for a page in either language. */
const party = z.object({ orgId: z.string(), name: z.string(), nameEn: z.string() });
const who = z.object({ role: z.string(), orgIds: z.array(z.string()) });

export const transferView = z.object({
  id: z.string(),
  tradeId: z.string(),
  fundId: z.string(),
  fundName: z.string(),
  venue: z.enum(['book', 'listing']),
  listingId: z.string().nullable(),
  state: z.string(),
  seller: party,
  buyer: party.nullable(),
  quantity: z.string(),
  pricePct: z.string(),
  consideration: z.string(),
  confirmationNumber: z.string().nullable(),
  steps: z.array(
    z.object({
      name: z.string(),
      state: z.string(),
      actor: who,
      by: z.object({ userId: z.string(), orgId: z.string() }).nullable(),
      startedAt: z.string().nullable(),
      at: z.string().nullable(),
      deadline: z.string().nullable(),
      deadlineProvisional: z.boolean(),
    }),
  ),
  nextActor: z.object({
    step: z.string().nullable(),
    waitingOn: z.array(who.extend({ excludedUserIds: z.array(z.string()) })),
    operatorQueue: z.string().nullable(),
    deadline: z.string().nullable(),
    why: z.string(),
  }),
  availableActions: z.array(z.string()),
  allocations: z.array(
    z.object({
      buyerOrgId: z.string(),
      name: z.string(),
      nameEn: z.string(),
      source: z.enum(['buyer', 'rofr']),
      quantity: z.string(),
      consideration: z.string(),
      depositApplied: z.string(),
      payment: z.object({ bankRef: z.string(), at: z.string() }).nullable(),
      interest: z.string().describe('interest of an instalment plan on top of the consideration ("0.00" for a lump sum)'),
      instalments: z
        .array(instalmentLeg)
        .describe("the leg's payments when it is paid by instalments (each recorded by one operator, confirmed by another)"),
      buyerFee: z.string(),
      amountDue: z.string(),
      dueDate: z.string().nullable(),
      escrowAccount: z.object({ bank: z.string(), accountName: z.string(), accountNumber: z.string() }),
    }),
  ),
  sellerFee: z.string(),
  sellerProceeds: z.string(),
  rofr: z
    .object({
      windowEnd: z.string(),
      closesAt: z.string(),
      holders: z.array(
        z.object({ orgId: z.string(), name: z.string(), nameEn: z.string(), answer: z.string(), answeredAt: z.string().nullable() }),
      ),
    })
    .nullable(),
  /** A listing award's contract: due date and each party's signature (null until signed); null for a book trade. */
  contract: z
    .object({
      dueDate: z.string(),
      dueDateProvisional: z.boolean(),
      seller: z.object({ at: z.string() }).nullable(),
      buyer: z.object({ at: z.string() }).nullable(),
    })
    .nullable(),
  contractDate: z.string().nullable(),
  /** How the trade's buyer pays: null until it chooses (a lump sum); for parties, the GP and operators. */
  paymentPlan: z
    .object({
      method: z.enum(['lump_sum', 'instalments']),
      guaranteeRef: z.string().nullable(),
      interestRatePct: z.string().nullable(),
      dayCount: z.string().nullable(),
      totalInterest: z.string(),
      next: z.object({ number: z.number().int(), dueDate: z.string().nullable(), amountDue: z.string() }).nullable(),
    })
    .nullable(),
  /** A listing allowed instalments: the interest rate and the exchange's rules (null: lump sum only). */
  instalmentTerms: z
    .object({
      interestRatePct: z.string(),
      minFirstPct: z.string(),
      firstWorkingDays: z.number().int(),
      balanceMaxMonths: z.number().int(),
    })
    .nullable(),
  registration: z
    .object({ registrationRef: z.string(), amacRef: z.string().nullable(), stateEquityRef: z.string().nullable(), at: z.string() })
    .nullable(),
  outcome: z.object({ kind: z.string(), step: z.string(), reason: z.string(), at: z.string() }).nullable(),
  openedAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type TransferView = z.infer<typeof transferView>;

export interface ViewLookups {
  orgNames: Map<string, string>;
  orgNamesEn: Map<string, string>;
  /** Operators who recorded or confirmed an instalment. */
  userNames: Map<string, string>;
  fundNames: Map<string, string>;
  confirmationNumbers: Map<string, string>;
  escrowAccount: EscrowAccount;
}

/** Names and confirmation numbers for a batch of transfers, in a few queries. */
export async function lookupsFor(
  db: Db | Tx,
  transfers: readonly Transfer[],
  escrowAccount: EscrowAccount = DEMO_ESCROW_ACCOUNT,
): Promise<ViewLookups> {
  const orgIds = new Set<string>();
  for (const t of transfers) {
    orgIds.add(t.sellerOrgId).add(t.buyerOrgId);
    for (const a of t.allocations) orgIds.add(a.buyerOrgId);
    for (const h of t.rofr?.holders ?? []) orgIds.add(h.orgId);
  }
  const userIds = [
    ...new Set(transfers.flatMap((t) => (t.paymentPlan?.instalments ?? []).flatMap((i) => [i.recorded?.by, i.confirmed?.by]))),
  ].filter((u): u is string => !!u);
  const users = userIds.length ? await db.selectFrom('users').select(['id', 'displayName']).where('id', 'in', userIds).execute() : [];
  const fundIds = [...new Set(transfers.map((t) => t.fundId))];
  const ids = transfers.map((t) => t.id);
  const orgs = orgIds.size
    ? await db
        .selectFrom('organisations')
        .select(['id', 'name', 'nameEn'])
        .where('id', 'in', [...orgIds])
        .execute()
    : [];
  const funds = fundIds.length ? await db.selectFrom('funds').select(['id', 'name']).where('id', 'in', fundIds).execute() : [];
  const confs = ids.length
    ? await db.selectFrom('confirmations').select(['transferId', 'number']).where('transferId', 'in', ids).execute()
    : [];
  return {
    orgNames: new Map(orgs.map((o) => [o.id, o.name])),
    orgNamesEn: new Map(orgs.map((o) => [o.id, o.nameEn])),
    userNames: new Map(users.map((u) => [u.id, u.displayName])),
    fundNames: new Map(funds.map((f) => [f.id, f.name])),
    confirmationNumbers: new Map(confs.map((c) => [c.transferId, c.number])),
    escrowAccount,
  };
}

/**
 * Who sees whom. Operators, the fund's GP and the transfer's parties (the seller, the trade's buyer and
 * every final buyer, so also an LP once its exercise made it one) see every organisation on the transfer.
 * Anyone else may only be a ROFR holder while its window is open (canView): it sees itself, the seller and
 * the GP, and no other holder, not even how many there are, nor the trade's buyer. Partnership Law art. 73
 * entitles the other LPs to the transfer "at the same price and terms", not to the buyer's identity; an LP
 * that exercises is told the buyer only when the window closes and it becomes a party (final buyer).
 * The rule applies to every field that names an organisation: buyer, steps[].actor.orgIds, steps[].by,
 * nextActor.waitingOn[].orgIds and .why, allocations and rofr.holders.
 */
export function seesAllParties(t: Transfer, viewer: Actor): boolean {
  return (
    viewer.roles.includes('operator') ||
    viewer.orgId === t.gpOrgId ||
    viewer.orgId === t.sellerOrgId ||
    viewer.orgId === t.buyerOrgId ||
    t.allocations.some((a) => a.buyerOrgId === viewer.orgId)
  );
}

/** For a ROFR holder's view: the next step explained without naming or counting the other holders. */
function holderWhy(t: Transfer, viewer: Actor, turn: Turn): string {
  const by = turn.deadline ? ` by ${turn.deadline.date}${turn.deadline.provisional ? ' (provisional)' : ''}` : '';
  if (turn.step !== 'rofr') return `The transfer is at the ${turn.step?.replace('_', ' ') ?? 'final'} step${by}.`;
  const own = t.rofr?.holders.find((h) => h.orgId === viewer.orgId);
  if (!own || own.answer === 'pending')
    return `Your organisation may waive or exercise its right of first refusal${by}; silence counts as waiver.`;
  return `Your organisation has ${own.answer} its right of first refusal; the window closes at ${t.rofr?.closesAt ?? ''}.`;
}

export function toTransferView(t: Transfer, viewer: Actor, l: ViewLookups): TransferView {
  const name = (orgId: string) => l.orgNames.get(orgId) ?? orgId;
  const nameEn = (orgId: string) => l.orgNamesEn.get(orgId) ?? name(orgId);
  const turn = nextActor(t);
  const all = seesAllParties(t, viewer);
  const visible = (orgId: string) => all || orgId === viewer.orgId || orgId === t.sellerOrgId || orgId === t.gpOrgId;
  const orgIds = (ids: readonly string[]) => ids.filter(visible);
  return {
    id: t.id,
    tradeId: t.tradeId,
    fundId: t.fundId,
    fundName: l.fundNames.get(t.fundId) ?? t.fundId,
    venue: t.venue,
    listingId: t.listingId,
    state: t.state,
    seller: { orgId: t.sellerOrgId, name: name(t.sellerOrgId), nameEn: nameEn(t.sellerOrgId) },
    buyer: visible(t.buyerOrgId) ? { orgId: t.buyerOrgId, name: name(t.buyerOrgId), nameEn: nameEn(t.buyerOrgId) } : null,
    quantity: t.quantity,
    pricePct: pricePctOf(t.pricing, t.quantity),
    consideration: t.consideration,
    confirmationNumber: l.confirmationNumbers.get(t.id) ?? null,
    steps: t.steps.map((s) => ({
      name: s.name,
      state: s.state,
      actor: { role: s.actor.role, orgIds: orgIds(s.actor.orgIds) },
      by: s.by && visible(s.by.orgId) ? { ...s.by } : null,
      startedAt: s.startedAt,
      at: s.at,
      deadline: s.deadline?.date ?? null,
      deadlineProvisional: s.deadline?.provisional ?? false,
    })),
    nextActor: {
      step: turn.step,
      operatorQueue: turn.operatorQueue,
      deadline: turn.deadline?.date ?? null,
      why: all ? turn.why : holderWhy(t, viewer, turn),
      waitingOn: turn.waitingOn.map((w) => ({ role: w.role, orgIds: orgIds(w.orgIds), excludedUserIds: [...w.excludedUserIds] })),
    },
    availableActions: availableActions(t, viewer),
    allocations: t.allocations
      .filter((a) => visible(a.buyerOrgId))
      .map((a) => ({
        buyerOrgId: a.buyerOrgId,
        name: name(a.buyerOrgId),
        nameEn: nameEn(a.buyerOrgId),
        source: a.source,
        quantity: a.quantity,
        consideration: a.consideration,
        depositApplied: a.depositApplied,
        payment: a.payment ? { bankRef: a.payment.bankRef, at: a.payment.at } : null,
        interest: formatYuan(legInterest(a)),
        instalments: instalmentLegs(t, a, l),
        ...legAmounts(t, a),
        escrowAccount: { ...l.escrowAccount },
      })),
    ...sellerAmounts(t),
    rofr: t.rofr
      ? {
          windowEnd: t.rofr.windowEnd.date,
          closesAt: t.rofr.closesAt,
          holders: t.rofr.holders
            .filter((h) => visible(h.orgId))
            .map((h) => ({ orgId: h.orgId, name: name(h.orgId), nameEn: nameEn(h.orgId), answer: h.answer, answeredAt: h.answeredAt })),
        }
      : null,
    contract: t.contract
      ? {
          dueDate: t.contract.dueDate.date,
          dueDateProvisional: t.contract.dueDate.provisional,
          seller: t.contract.seller ? { at: t.contract.seller.at } : null,
          buyer: t.contract.buyer ? { at: t.contract.buyer.at } : null,
        }
      : null,
    contractDate: t.contractDate,
    paymentPlan: all ? planSummary(t) : null,
    instalmentTerms: t.terms.instalments
      ? {
          interestRatePct: t.terms.instalments.interestRatePct,
          minFirstPct: t.terms.instalments.instalmentMinFirstPct,
          firstWorkingDays: t.terms.instalments.instalmentFirstWorkingDays,
          balanceMaxMonths: t.terms.instalments.instalmentBalanceMaxMonths,
        }
      : null,
    registration: t.registration
      ? {
          registrationRef: t.registration.registrationRef,
          amacRef: t.registration.amacRef,
          stateEquityRef: t.registration.stateEquityRef,
          at: t.registration.at,
        }
      : null,
    outcome: t.outcome ? { kind: t.outcome.kind, step: t.outcome.step, reason: t.outcome.reason, at: t.outcome.at } : null,
    openedAt: t.openedAt,
    updatedAt: t.updatedAt,
    version: t.version,
  };
}
