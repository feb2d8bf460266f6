/**
 * The Loan Prime Rates the exchange counts (shared/loan-prime-rate.ts): the published history plus each
 * publication an operator records and a different operator approves (four eyes, as for calendar years).
 * The history only grows: a new rate takes effect after every rate already known, so no approved rate
 * ever changes what was decided under it.
 */
import { Dec } from '../../shared/decimal';
import { type LoanPrimeRate, lprHistory, lprOn } from '../../shared/loan-prime-rate';
import type { Db, DbEngine, Tx } from '../../db/database';
import { appendAudit } from '../audit/audit-log';
import { EXCHANGE_STREAM } from '../audit/streams';
import type { Principal } from '../auth/tokens';
import type { CommandOutcome } from '../commands';
import { AppError } from '../commands/errors';
import { jobLock, lockInOrder } from '../commands/locks';

export interface RateProposal {
  effectiveDate: string;
  oneYearPct: string;
  source: string;
}

/** A sanity bound: the one-year LPR has never been near it. */
const MAX_PCT = new Dec('24');
const ZERO = new Dec('0');

/** The approved rates recorded by operators. */
export async function recordedRates(db: Db | Tx): Promise<LoanPrimeRate[]> {
  const rows = await db
    .selectFrom('loanPrimeRates')
    .select(['effectiveDate', 'oneYearPct', 'source'])
    .where('approvedBy', 'is not', null)
    .orderBy('effectiveDate')
    .execute();
  return rows;
}

/** The rate in force on a Beijing date, counting the approved recorded ones. */
export async function lprInForce(db: Db | Tx, date: string): Promise<LoanPrimeRate | null> {
  return lprOn(date, await recordedRates(db));
}

export class LoanRatesService {
  constructor(
    private readonly db: Db,
    private readonly engine: DbEngine,
  ) {}

  /** Every rate counted, oldest first, and (for operators) the recorded ones awaiting approval. */
  async list(who: Principal): Promise<{ rates: LoanPrimeRate[]; pending?: (RateProposal & { recordedBy: string })[] }> {
    const rates = lprHistory(await recordedRates(this.db));
    if (!who.roles.includes('operator')) return { rates };
    const pending = await this.db
      .selectFrom('loanPrimeRates')
      .select(['effectiveDate', 'oneYearPct', 'source', 'recordedBy'])
      .where('approvedBy', 'is', null)
      .orderBy('effectiveDate')
      .execute();
    return { rates, pending };
  }

  /** An operator records a publication; it counts once a different operator approves it. */
  async record(trx: Tx, who: Principal, p: RateProposal, nowIso: string): Promise<CommandOutcome> {
    // One proposal at a time across processes: the "after every known rate" check reads what the others wrote.
    await lockInOrder(this.engine, trx, jobLock('loan-prime-rates'));
    const pct = new Dec(p.oneYearPct);
    if (pct.lte(ZERO) || pct.gt(MAX_PCT))
      throw new AppError('VALIDATION_FAILED', `oneYearPct must be above 0 and at most ${MAX_PCT.toFixed()}`, { field: 'oneYearPct' });
    const known = await trx.selectFrom('loanPrimeRates').select(['effectiveDate', 'oneYearPct', 'source', 'approvedBy']).execute();
    if (known.some((r) => r.approvedBy === null))
      throw new AppError('CONFLICT', 'a recorded rate already awaits approval: approve or reject it first');
    const latest = lprHistory(known).at(-1)!; // every row known is approved past the check above
    if (p.effectiveDate <= latest.effectiveDate)
      throw new AppError('CONFLICT', `a new rate takes effect after the latest known one (${latest.effectiveDate}, ${latest.oneYearPct}%)`);
    await trx
      .insertInto('loanPrimeRates')
      .values({ ...p, recordedBy: who.userId, recordedAt: nowIso, approvedBy: null, approvedAt: null })
      .execute();
    await this.audit(trx, who, 'loan_prime_rate.record', p.effectiveDate, p, nowIso);
    return { status: 202, body: { ...p, status: 'pending_approval', recordedBy: who.userId } };
  }

  /** A second operator approves the rate it checked against the publication (named by date and rate). */
  async approve(trx: Tx, who: Principal, effectiveDate: string, oneYearPct: string, nowIso: string): Promise<CommandOutcome> {
    await lockInOrder(this.engine, trx, jobLock('loan-prime-rates'));
    const row = await this.pending(trx, effectiveDate);
    if (row.recordedBy === who.userId) throw new AppError('FOUR_EYES', 'the operator who recorded a rate cannot also approve it');
    if (!new Dec(row.oneYearPct).eq(new Dec(oneYearPct)))
      throw new AppError('CONFLICT', `the rate recorded for ${effectiveDate} is ${row.oneYearPct}%, not the ${oneYearPct}% approved`);
    await trx
      .updateTable('loanPrimeRates')
      .set({ approvedBy: who.userId, approvedAt: nowIso })
      .where('effectiveDate', '=', effectiveDate)
      .execute();
    await this.audit(trx, who, 'loan_prime_rate.approve', effectiveDate, { effectiveDate, oneYearPct: row.oneYearPct }, nowIso);
    return { status: 200, body: { effectiveDate, oneYearPct: row.oneYearPct, source: row.source, status: 'approved' } };
  }

  /** Any operator takes back a rate awaiting approval (a typing error, say). */
  async reject(trx: Tx, who: Principal, effectiveDate: string, nowIso: string): Promise<CommandOutcome> {
    await lockInOrder(this.engine, trx, jobLock('loan-prime-rates'));
    const row = await this.pending(trx, effectiveDate);
    await trx.deleteFrom('loanPrimeRates').where('effectiveDate', '=', effectiveDate).execute();
    await this.audit(trx, who, 'loan_prime_rate.reject', effectiveDate, { effectiveDate, oneYearPct: row.oneYearPct }, nowIso);
    return { status: 200, body: { effectiveDate, status: 'rejected' } };
  }

  private async pending(trx: Tx, effectiveDate: string) {
    const row = await trx.selectFrom('loanPrimeRates').selectAll().where('effectiveDate', '=', effectiveDate).executeTakeFirst();
    if (!row || row.approvedBy !== null) throw new AppError('NOT_FOUND', `no rate for ${effectiveDate} awaits approval`);
    return row;
  }

  private audit(trx: Tx, who: Principal, action: string, entityId: string, payload: unknown, nowIso: string) {
    return appendAudit(trx, this.engine, {
      stream: EXCHANGE_STREAM,
      at: nowIso,
      actorUserId: who.userId,
      actorOrgId: who.orgId,
      action,
      entityType: 'loan_prime_rate',
      entityId,
      payload,
    });
  }
}
