/**
 * In-kind distributions over the database: the fund's GP proposes (the pure core allocates from the
 * partners' paid-in capital at the record date, read from the unit ledger), an operator approves or
 * rejects, each in ONE transaction with its Idempotency-Key and audit entry. Approval records what
 * each LP received (in_kind_receipts, shown on its position) and the distribution leaves the fund's
 * NAV roll-forward (the valuation reads approved distributions: inKindSinceReport).
 * Readers: the fund's GP and operators see everything; an LP sees only its own allocation row.
 */
import crypto from 'node:crypto';
import { beijingDate, beijingInstant, addCalendarDays, isIsoDate } from '../../shared/calendar';
import { Dec, ZERO, sum, type Decimal } from '../../shared/decimal';
import { canonicalJson } from '../../shared/canonical-json';
import type { DatabaseHandle, Db, Tx } from '../../db/database';
import { appendAudit } from '../audit/audit-log';
import type { Principal } from '../auth/tokens';
import { iso, type Clock } from '../clock/clock';
import { AppError, fundLock, lockInOrder, notFound, type CommandOutcome, type CommandRunner } from '../commands';
import { unsupportedCharacters, type PdfWorkerPool } from '../confirmations';
import { textProblem } from '../pledges/domain/pledge';
import {
  decideDistribution,
  propose,
  type Distribution,
  type DistributionActor,
  type DistributionCommand,
  type DistributionRefusal,
  type Proposal,
} from './domain/distribution';
import type { InKindStatementData } from './statement-pdf';

const refusal = (r: DistributionRefusal) => new AppError(r.code, r.detail, r.params ? { params: r.params } : undefined);
const isExchange = (p: Principal) => p.roles.includes('operator') || p.roles.includes('admin');

/** Paid-in of every partner of `fundId` at the end of Beijing day `date`, from the unit ledger. */
export async function paidInAt(db: Db | Tx, fundId: string, date: string): Promise<Map<string, string>> {
  const endOfDay = iso(beijingInstant(addCalendarDays(date, 1), '00:00'));
  const rows = await db
    .selectFrom('unitLedger')
    .select(['account', 'paidIn'])
    .where('fundId', '=', fundId)
    .where('account', 'like', 'org:%')
    .where('at', '<', endOfDay)
    .execute();
  const out = new Map<string, Decimal>();
  for (const r of rows) out.set(r.account.slice(4), (out.get(r.account.slice(4)) ?? ZERO).plus(r.paidIn));
  return new Map([...out].filter(([, v]) => v.gt(ZERO)).map(([k, v]) => [k, v.toFixed(2)]));
}

export class DistributionsService {
  /** @param afterApproval told after an approval committed (the valuation reads the fund's distributions again). */
  constructor(
    private readonly h: DatabaseHandle,
    private readonly clock: Clock,
    private readonly commands: CommandRunner,
    private readonly pdf: PdfWorkerPool,
    private readonly afterApproval: (fundId: string) => Promise<void> = async () => {},
  ) {}

  private async actorOf(db: Db | Tx, p: Principal): Promise<DistributionActor> {
    const u = await db.selectFrom('users').select('displayName').where('id', '=', p.userId).executeTakeFirst();
    return { userId: p.userId, name: u?.displayName ?? p.username, roles: p.roles };
  }

  async propose(who: Principal, fundId: string, body: Proposal, idempotencyKey: string | undefined): Promise<CommandOutcome> {
    const now = this.clock.now();
    const nowIso = iso(now);
    const path = `/api/funds/${fundId}/distributions`;
    return this.commands({ userId: who.userId, idempotencyKey, fingerprint: { m: 'POST', p: path, body }, nowIso }, async (trx) => {
      const fund = await trx.selectFrom('funds').select(['id', 'managerOrgId']).where('id', '=', fundId).executeTakeFirst();
      if (!fund) throw notFound(`fund ${fundId}`);
      if (!who.roles.includes('gp') || who.orgId !== fund.managerOrgId)
        throw new AppError('FORBIDDEN', "only the fund's GP proposes its in-kind distributions");
      checkPrintable(body);
      if (!isIsoDate(body.recordDate)) throw new AppError('VALIDATION_FAILED', `recordDate ${body.recordDate} is not a calendar date`);
      if (new Dec(body.referencePrice).lte(ZERO)) throw new AppError('VALIDATION_FAILED', 'referencePrice must be above zero');
      await lockInOrder(this.h.engine, trx, fundLock(fundId));
      const paidIn = body.recordDate <= beijingDate(now) ? await paidInAt(trx, fundId, body.recordDate) : new Map<string, string>();
      const orgs = paidIn.size
        ? await trx
            .selectFrom('organisations')
            .select(['id', 'name'])
            .where('id', 'in', [...paidIn.keys()])
            .execute()
        : [];
      const names = new Map(orgs.map((o) => [o.id, o.name]));
      const r = propose(body, {
        id: `dist-${crypto.randomUUID()}`,
        fundId,
        now: nowIso,
        today: beijingDate(now),
        actor: await this.actorOf(trx, who),
        holders: [...paidIn].map(([orgId, p]) => ({ orgId, paidIn: p, name: names.get(orgId) ?? orgId })),
      });
      if (!r.ok) throw refusal(r);
      const d = r.distribution;
      await trx
        .insertInto('distributions')
        .values({
          id: d.id,
          fundId,
          state: d.state,
          recordDate: d.recordDate,
          version: 1,
          data: canonicalJson(d),
          createdAt: nowIso,
          updatedAt: nowIso,
        })
        .execute();
      await this.audit(trx, who, d, 'distribution.propose', nowIso);
      return { status: 201, body: d };
    });
  }

  async act(who: Principal, id: string, body: unknown, idempotencyKey: string | undefined): Promise<CommandOutcome> {
    const nowIso = iso(this.clock.now());
    let approvedFund: string | null = null;
    const out = await this.commands(
      { userId: who.userId, idempotencyKey, fingerprint: { m: 'POST', p: `/api/distributions/${id}/actions`, body }, nowIso },
      async (trx) => {
        const found = await trx.selectFrom('distributions').select('fundId').where('id', '=', id).executeTakeFirst();
        if (!found) throw notFound('distribution');
        await lockInOrder(this.h.engine, trx, fundLock(found.fundId));
        const row = await trx.selectFrom('distributions').select(['data', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
        const before = JSON.parse(row.data) as Distribution;
        if (!(await this.mayRead(trx, who, before))) throw notFound('distribution');
        const r = decideDistribution(before, parseCommand(body), await this.actorOf(trx, who), nowIso);
        if (!r.ok) throw refusal(r);
        const d = r.distribution;
        const updated = await trx
          .updateTable('distributions')
          .set({ state: d.state, version: row.version + 1, data: canonicalJson(d), updatedAt: nowIso })
          .where('id', '=', id)
          .where('version', '=', row.version)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'the distribution changed meanwhile; try again');
        if (d.state === 'approved') {
          await trx
            .insertInto('inKindReceipts')
            .values(
              d.allocations.map((a) => ({
                distributionId: d.id,
                orgId: a.orgId,
                fundId: d.fundId,
                securityCode: d.security.code,
                securityName: d.security.name,
                securityMarket: d.security.market,
                shares: a.shares,
                sharesInLieu: a.sharesInLieu,
                cashInLieu: a.cashInLieu,
                referencePrice: d.referencePrice,
                receivedAt: nowIso,
              })),
            )
            .execute();
        }
        await this.audit(trx, who, d, `distribution.${d.state === 'approved' ? 'approve' : 'reject'}`, nowIso);
        if (d.state === 'approved') approvedFund = d.fundId;
        return { status: 200, body: d };
      },
    );
    // After the commit: a failure here must not turn the committed approval into an error.
    if (approvedFund) await this.afterApproval(approvedFund).catch(() => undefined);
    return out;
  }

  /** The GP's and operators' view is whole; an LP sees its own allocation only; anyone else 404. */
  async get(who: Principal, id: string): Promise<Distribution> {
    const row = await this.h.db.selectFrom('distributions').select('data').where('id', '=', id).executeTakeFirst();
    const d = row ? (JSON.parse(row.data) as Distribution) : undefined;
    if (!d || !(await this.mayRead(this.h.db, who, d))) throw notFound('distribution');
    return this.viewFor(who, d, await this.isGp(this.h.db, who, d.fundId));
  }

  /** Distributions the caller may read, newest first (the GP's funds', its own allocations', or all for operators). */
  async list(who: Principal): Promise<Distribution[]> {
    const rows = await this.h.db
      .selectFrom('distributions')
      .innerJoin('funds', 'funds.id', 'distributions.fundId')
      .select(['distributions.data', 'funds.managerOrgId'])
      .orderBy('distributions.createdAt', 'desc')
      .orderBy('distributions.id')
      .limit(500)
      .execute();
    const out: Distribution[] = [];
    for (const r of rows) {
      const d = JSON.parse(r.data) as Distribution;
      const gp = who.roles.includes('gp') && who.orgId === r.managerOrgId;
      if (isExchange(who) || gp || d.allocations.some((a) => a.orgId === who.orgId)) out.push(this.viewFor(who, d, gp));
    }
    return out;
  }

  /** GET statement.pdf: an LP's own statement of an approved distribution, rendered in the PDF worker. */
  async statement(who: Principal, id: string): Promise<{ bytes: Buffer; filename: string }> {
    const row = await this.h.db
      .selectFrom('distributions')
      .innerJoin('funds', 'funds.id', 'distributions.fundId')
      .select(['distributions.data', 'funds.name as fundName', 'funds.nameEn as fundNameEn'])
      .where('distributions.id', '=', id)
      .executeTakeFirst();
    const d = row ? (JSON.parse(row.data) as Distribution) : undefined;
    const mine = d?.allocations.find((a) => a.orgId === who.orgId);
    if (!d || !row || !mine) throw notFound('distribution statement');
    if (d.state !== 'approved')
      throw new AppError('INVALID_STATE', `the distribution is ${d.state}: a statement exists once it is approved`, {
        params: { reason: `distribution_${d.state}` },
      });
    const org = await this.h.db
      .selectFrom('organisations')
      .select(['name', 'nameEn'])
      .where('id', '=', who.orgId)
      .executeTakeFirstOrThrow();
    const approval = d.history.find((x) => x.action === 'approve')!;
    const data: InKindStatementData = {
      distributionId: d.id,
      fundId: d.fundId,
      fundName: row.fundName,
      fundNameEn: row.fundNameEn,
      lp: { orgId: who.orgId, name: org.name, nameEn: org.nameEn },
      security: d.security,
      recordDate: d.recordDate,
      referencePrice: d.referencePrice,
      totalShares: d.shares,
      allocation: {
        eligible: mine.eligible,
        entitlement: mine.entitlement,
        shares: mine.shares,
        sharesInLieu: mine.sharesInLieu,
        cashInLieu: mine.cashInLieu,
      },
      approvedAt: approval.at,
      approvedBy: approval.by.name,
    };
    return { bytes: await this.pdf.renderInKindStatement(data), filename: `inkind-statement-${d.id}-${who.orgId}.pdf` };
  }

  private viewFor(who: Principal, d: Distribution, gp: boolean): Distribution {
    return isExchange(who) || gp ? d : { ...d, allocations: d.allocations.filter((a) => a.orgId === who.orgId) };
  }

  private async isGp(db: Db | Tx, who: Principal, fundId: string): Promise<boolean> {
    if (!who.roles.includes('gp')) return false;
    const f = await db.selectFrom('funds').select('managerOrgId').where('id', '=', fundId).executeTakeFirst();
    return f?.managerOrgId === who.orgId;
  }

  private async mayRead(db: Db | Tx, who: Principal, d: Distribution): Promise<boolean> {
    return isExchange(who) || d.allocations.some((a) => a.orgId === who.orgId) || (await this.isGp(db, who, d.fundId));
  }

  private async audit(trx: Tx, who: Principal, d: Distribution, action: string, at: string): Promise<void> {
    await appendAudit(trx, this.h.engine, {
      at,
      actorUserId: who.userId,
      actorOrgId: who.orgId,
      action,
      entityType: 'distribution',
      entityId: d.id,
      payload: {
        fundId: d.fundId,
        state: d.state,
        security: d.security,
        shares: d.shares,
        referencePrice: d.referencePrice,
        recordDate: d.recordDate,
        totals: d.totals,
        entry: d.history[d.history.length - 1],
      },
    });
  }
}

/** The security's name and market are printed on the statements: a character the font lacks is refused now. */
function checkPrintable(p: Proposal): void {
  for (const [field, value] of [
    ['security.name', p.security.name],
    ['security.market', p.security.market],
    ['security.code', p.security.code],
  ] as const) {
    const problem = textProblem(field, value);
    if (problem) throw new AppError('VALIDATION_FAILED', problem);
    const bad = unsupportedCharacters(value);
    if (bad.length) throw new AppError('VALIDATION_FAILED', `${field}: characters the statement cannot print: ${bad.join(' ')}`);
  }
}

function parseCommand(body: unknown): DistributionCommand {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !['action', 'reason'].includes(k) || (k === 'reason' && b.action !== 'reject'));
  if (unknown.length) throw new AppError('VALIDATION_FAILED', `unknown field(s) for ${String(b.action)}: ${unknown.join(', ')}`);
  if (b.action === 'approve') return { action: 'approve' };
  if (b.action === 'reject') {
    const problem = textProblem('reason', b.reason);
    if (problem) throw new AppError('VALIDATION_FAILED', problem);
    return { action: 'reject', reason: String(b.reason) };
  }
  throw new AppError('VALIDATION_FAILED', 'action must be approve or reject {reason}');
}

/** Approved distributions of a fund recorded after `referenceDate`: what left the fund since its NAV report. */
export async function inKindSinceReport(db: Db | Tx, fundId: string, referenceDate: string): Promise<InKindSince> {
  const rows = await db
    .selectFrom('distributions')
    .select('data')
    .where('fundId', '=', fundId)
    .where('state', '=', 'approved')
    .where('recordDate', '>', referenceDate)
    .orderBy('id')
    .execute();
  const ds = rows.map((r) => JSON.parse(r.data) as Distribution);
  return {
    ids: ds.map((d) => d.id),
    distributed: sum(ds.map((d) => new Dec(d.totals.distributedValue))).toFixed(2),
    cashInLieu: sum(ds.map((d) => new Dec(d.totals.cashInLieu))).toFixed(2),
    sharesDelivered: ds.map((d) => ({ securityCode: d.security.code, shares: d.totals.shares })),
  };
}

export interface InKindSince {
  ids: string[];
  /** Value of everything distributed (shares at the reference price + cash in lieu), yuan. */
  distributed: string;
  cashInLieu: string;
  sharesDelivered: { securityCode: string; shares: string }[];
}
