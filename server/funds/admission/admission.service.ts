/**
 * Admitting a fund (api.md "Running for real"): one operator proposes it with its terms (state
 * `pending`, invisible to members), loads its partner register, and a different operator approves it,
 * which opens it: in the approval's transaction the register becomes positions through the unit
 * ledger. Each step runs in the caller's transaction with its audit entry (HTTP commands and the
 * demo seed alike).
 */
import { csvRowsOf } from './register-csv';
import { Dec, ZERO, sum } from '../../../shared/decimal';
import type { Db, DbEngine, Tx } from '../../../db/database';
import type { LegalForm, Strategy } from '../../../db/schema';
import { appendAudit } from '../../audit/audit-log';
import { AppError } from '../../commands/errors';
import { fundLock, lockInOrder } from '../../commands';
import { fundAccount, orgAccount, postUnits } from '../../ledger/ledger';
import type { Actor } from '../../members/members.service';
import { TERM_DEFAULTS, defaultInvestorCap } from './fund-terms';
import { validateRegister, type RegisterRow } from './partner-register';
import { fundStream } from '../../audit/streams';

export interface FundTermsInput {
  rofr: boolean;
  rofrWindowDays?: number | undefined;
  gpConsent: boolean;
  pledgeAllowed: boolean;
  pledgeNeedsConsent?: boolean | undefined;
  investorCap?: number | undefined;
  minHoldingYuan?: string | undefined;
  roundTripWorkingDays?: number | undefined;
}
export interface FundProposal {
  id: string;
  name: string;
  nameEn?: string | undefined;
  gpOrgId: string;
  strategy: Strategy;
  vintage: number;
  termYears?: number | undefined;
  amacFiling?: string | undefined;
  legalForm: LegalForm;
  totalCommitment: string;
  lotSize: string;
  terms: FundTermsInput;
}

export interface AdmissionView {
  id: string;
  name: string;
  nameEn: string;
  gpOrgId: string;
  strategy: Strategy;
  vintage: number;
  termYears: number;
  amacFiling: string;
  legalForm: LegalForm;
  totalCommitment: string;
  lotSize: string;
  state: 'pending' | 'open';
  terms: {
    rofr: boolean;
    rofrWindowDays: number;
    gpConsent: boolean;
    pledgeAllowed: boolean;
    pledgeNeedsConsent: boolean;
    investorCap: number;
    minHoldingYuan: string;
    roundTripWorkingDays: number;
  };
  proposedBy: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  createdAt: string;
  partners: { orgId: string; commitment: string; paidIn: string }[];
}

const invalid = (detail: string, params: Record<string, unknown>) => new AppError('VALIDATION_FAILED', detail, { params });

async function fundRow(trx: Tx, fundId: string) {
  const f = await trx.selectFrom('funds').selectAll().where('id', '=', fundId).executeTakeFirst();
  if (!f) throw new AppError('NOT_FOUND', `fund ${fundId} not found`);
  return f;
}

export async function admissionView(db: Db | Tx, fundId: string): Promise<AdmissionView> {
  const f = await db.selectFrom('funds').selectAll().where('id', '=', fundId).executeTakeFirst();
  if (!f) throw new AppError('NOT_FOUND', `fund ${fundId} not found`);
  const partners = await db
    .selectFrom('fundPartners')
    .select(['orgId', 'commitment', 'paidIn'])
    .where('fundId', '=', fundId)
    .orderBy('rowNo')
    .execute();
  return {
    id: f.id,
    name: f.name,
    nameEn: f.nameEn,
    gpOrgId: f.managerOrgId,
    strategy: f.strategy,
    vintage: f.vintage,
    termYears: f.termYears,
    amacFiling: f.amacFiling,
    legalForm: f.legalForm,
    totalCommitment: new Dec(f.totalCommitment).toFixed(0),
    lotSize: new Dec(f.lotSize).toFixed(0),
    state: f.state,
    terms: {
      rofr: f.rofrEnabled === 1,
      rofrWindowDays: f.rofrWindowDays,
      gpConsent: f.gpConsentRequired === 1,
      pledgeAllowed: f.pledgeAllowed === 1,
      pledgeNeedsConsent: f.pledgeNeedsConsent === 1,
      investorCap: f.investorCap,
      minHoldingYuan: new Dec(f.minHolding).toFixed(0),
      roundTripWorkingDays: f.roundTripWorkingDays,
    },
    proposedBy: f.proposedBy,
    approvedBy: f.approvedBy,
    approvedAt: f.approvedAt,
    createdAt: f.createdAt,
    partners,
  };
}

/** Proposes a fund: stored `pending` with every term the rules read; the investor cap defaults by legal form. */
export async function proposeFund(trx: Tx, engine: DbEngine, actor: Actor, p: FundProposal, at: string): Promise<AdmissionView> {
  const total = new Dec(p.totalCommitment);
  const lot = new Dec(p.lotSize);
  if (lot.lte(ZERO)) throw invalid('lotSize must be a positive whole number of yuan', { field: 'lotSize' });
  if (total.lte(ZERO) || !total.mod(lot).eq(ZERO))
    throw invalid(`totalCommitment ${p.totalCommitment} must be a positive whole number of lots of ${p.lotSize}`, {
      field: 'totalCommitment',
    });
  const minHolding = new Dec(p.terms.minHoldingYuan ?? TERM_DEFAULTS.minHoldingYuan);
  if (minHolding.gt(total)) throw invalid('minHoldingYuan cannot exceed totalCommitment', { field: 'terms.minHoldingYuan' });
  const gp = await trx.selectFrom('organisations').select(['id', 'kind']).where('id', '=', p.gpOrgId).executeTakeFirst();
  if (!gp) throw new AppError('NOT_FOUND', `organisation ${p.gpOrgId} not found`);
  if (gp.kind !== 'gp') throw invalid(`${p.gpOrgId} is a ${gp.kind} organisation, not a fund manager`, { field: 'gpOrgId', kind: gp.kind });
  if (await trx.selectFrom('funds').select('id').where('id', '=', p.id).executeTakeFirst()) {
    throw new AppError('FUND_EXISTS', `a fund with id ${p.id} exists already`, { params: { fundId: p.id } });
  }
  const t = p.terms;
  await trx
    .insertInto('funds')
    .values({
      id: p.id,
      name: p.name,
      nameEn: p.nameEn ?? p.name,
      managerOrgId: p.gpOrgId,
      strategy: p.strategy,
      vintage: p.vintage,
      termYears: p.termYears ?? TERM_DEFAULTS.termYears,
      totalCommitment: total.toFixed(2),
      currency: 'CNY',
      amacFiling: p.amacFiling ?? '',
      lotSize: lot.toFixed(0),
      rofrEnabled: t.rofr ? 1 : 0,
      rofrWindowDays: t.rofrWindowDays ?? TERM_DEFAULTS.rofrWindowDays,
      gpConsentRequired: t.gpConsent ? 1 : 0,
      pledgeAllowed: t.pledgeAllowed ? 1 : 0,
      pledgeNeedsConsent: t.pledgeNeedsConsent ? 1 : 0,
      investorCap: t.investorCap ?? defaultInvestorCap(p.legalForm),
      minHolding: minHolding.toFixed(0),
      roundTripWorkingDays: t.roundTripWorkingDays ?? TERM_DEFAULTS.roundTripWorkingDays,
      createdAt: at,
      state: 'pending',
      legalForm: p.legalForm,
      proposedBy: actor.userId,
      approvedBy: null,
      approvedAt: null,
    })
    .execute();
  const view = await admissionView(trx, p.id);
  await appendAudit(trx, engine, {
    stream: fundStream(p.id),
    at,
    actorUserId: actor.userId,
    actorOrgId: actor.orgId,
    action: 'fund.propose',
    entityType: 'fund',
    entityId: p.id,
    payload: { ...view, partners: undefined },
  });
  return view;
}

/** The register a request carries: JSON rows by organisation id, or CSV text with the header `uscc,commitment,paidIn`. */
export type RegisterInput = { json: { orgId: string; commitment: string; paidIn: string }[] } | { csv: string };

/** Replaces a pending fund's partner register, whole, or refuses it whole with every problem and its row. */
export async function loadPartners(
  trx: Tx,
  engine: DbEngine,
  actor: Actor,
  fundId: string,
  input: RegisterInput,
  at: string,
): Promise<AdmissionView> {
  const f = await fundRow(trx, fundId);
  if (f.state !== 'pending')
    throw new AppError('INVALID_STATE', `fund ${fundId} is open; its register is the unit ledger now`, {
      params: { reason: 'FUND_NOT_PENDING' },
    });
  const rows: RegisterRow[] = 'json' in input ? input.json.map((r, i) => ({ row: i + 1, ...r })) : csvRowsOf(input.csv);
  const orgs = await trx.selectFrom('organisations').select(['id', 'uscc', 'kind']).execute();
  const checked = validateRegister(rows, { lotSize: f.lotSize, totalCommitment: f.totalCommitment, investorCap: f.investorCap }, orgs);
  if (!checked.ok) {
    const first = checked.problems[0]!;
    throw new AppError(
      'VALIDATION_FAILED',
      `the partner register has ${checked.problems.length} problem(s); row ${first.row}: ${first.detail}`,
      {
        params: { problems: checked.problems },
      },
    );
  }
  await trx.deleteFrom('fundPartners').where('fundId', '=', fundId).execute();
  await trx
    .insertInto('fundPartners')
    .values(checked.entries.map((e) => ({ fundId, orgId: e.orgId, rowNo: e.row, commitment: e.commitment, paidIn: e.paidIn })))
    .execute();
  await appendAudit(trx, engine, {
    stream: fundStream(fundId),
    at,
    actorUserId: actor.userId,
    actorOrgId: actor.orgId,
    action: 'fund.partners_load',
    entityType: 'fund',
    entityId: fundId,
    payload: { partners: checked.entries.map((e) => ({ orgId: e.orgId, commitment: e.commitment, paidIn: e.paidIn })) },
  });
  return admissionView(trx, fundId);
}

/**
 * When the register's holdings are dated in the unit ledger: the partners committed long before the
 * fund came to the exchange, and what depends on past holdings (paid-in at a distribution's record
 * date) must see them. The exchange does not know the closing date, so mid-year of the vintage
 * (never after the approval itself).
 */
function registerDate(vintage: number, approvedAt: string): string {
  const midVintage = `${vintage}-06-30T00:00:00.000Z`;
  return midVintage < approvedAt ? midVintage : approvedAt;
}

/**
 * A different operator approves a pending fund with a complete register: the fund opens and, in this
 * transaction, each partner's commitment and paid-in are posted from the fund's account to the
 * partner's (the positions). Not an acquisition on the exchange: the round-trip rule does not start.
 */
export async function approveFund(trx: Tx, engine: DbEngine, actor: Actor, fundId: string, at: string): Promise<AdmissionView> {
  await lockInOrder(engine, trx, fundLock(fundId));
  const f = await fundRow(trx, fundId);
  if (f.state !== 'pending')
    throw new AppError('INVALID_STATE', `fund ${fundId} is open already`, { params: { reason: 'FUND_NOT_PENDING' } });
  if (f.proposedBy === actor.userId) throw new AppError('FOUR_EYES', 'the operator who proposed the fund cannot approve it');
  const partners = await trx.selectFrom('fundPartners').selectAll().where('fundId', '=', fundId).orderBy('rowNo').execute();
  if (!partners.length)
    throw new AppError('INVALID_STATE', `fund ${fundId} has no partner register yet`, { params: { reason: 'NO_PARTNER_REGISTER' } });
  const legs = partners.map((p) => ({ account: orgAccount(p.orgId), commitment: new Dec(p.commitment), paidIn: new Dec(p.paidIn) }));
  legs.push({
    account: fundAccount(fundId),
    commitment: sum(legs.map((l) => l.commitment)).neg(),
    paidIn: sum(legs.map((l) => l.paidIn)).neg(),
  });
  await postUnits(trx, { fundId, reason: 'fund admission: partner register', at: registerDate(f.vintage, at), legs, acquisition: false });
  await trx.updateTable('funds').set({ state: 'open', approvedBy: actor.userId, approvedAt: at }).where('id', '=', fundId).execute();
  await appendAudit(trx, engine, {
    stream: fundStream(fundId),
    at,
    actorUserId: actor.userId,
    actorOrgId: actor.orgId,
    action: 'fund.approve',
    entityType: 'fund',
    entityId: fundId,
    payload: { proposedBy: f.proposedBy, partners: partners.length, totalCommitment: new Dec(f.totalCommitment).toFixed(0) },
  });
  return admissionView(trx, fundId);
}
