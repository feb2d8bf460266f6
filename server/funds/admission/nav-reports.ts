/**
 * A fund's GP publishes its NAV reports. A report is refused when dated in the future (Beijing date of
 * the exchange's clock), not after the fund's latest report, with a NAV that is not positive, a negative amount, or
 * paid-in above the fund's commitment. Members see it at once: every NAV shown,
 * the consideration of each new trade and the valuation read the latest report from the database.
 */
import { beijingDate } from '../../../shared/calendar';
import { Dec, ZERO } from '../../../shared/decimal';
import type { DbEngine, Tx } from '../../../db/database';
import { appendAudit } from '../../audit/audit-log';
import { AppError } from '../../commands/errors';
import { fundLock, lockInOrder } from '../../commands';
import type { Actor } from '../../members/members.service';
import { fundStream } from '../../audit/streams';

export interface NavReportInput {
  referenceDate: string;
  nav: string;
  paidIn: string;
  cumulativeDistributions: string;
}
export interface NavReportView extends NavReportInput {
  id: string;
  fundId: string;
  publishedAt: string;
  publishedBy: string | null;
}

const refuse = (reason: string, detail: string, params: Record<string, string> = {}) =>
  new AppError('VALIDATION_FAILED', detail, { params: { reason, ...params } });

/** @param publishedAt when the report came out; the demo seed dates its historical reports, a GP's are `at`. */
export async function publishNavReport(
  trx: Tx,
  engine: DbEngine,
  actor: Actor,
  fundId: string,
  r: NavReportInput,
  at: string,
  publishedAt = at,
): Promise<NavReportView> {
  await lockInOrder(engine, trx, fundLock(fundId));
  const fund = await trx.selectFrom('funds').select(['id', 'managerOrgId', 'totalCommitment']).where('id', '=', fundId).executeTakeFirst();
  if (!fund) throw new AppError('NOT_FOUND', `fund ${fundId} not found`);
  if (fund.managerOrgId !== actor.orgId) throw new AppError('FORBIDDEN', `only the manager of fund ${fundId} publishes its NAV reports`);
  const today = beijingDate(Date.parse(at));
  if (r.referenceDate > today)
    throw refuse('REFERENCE_DATE_IN_FUTURE', `referenceDate ${r.referenceDate} is after today (${today})`, { today });
  const last = await trx
    .selectFrom('navReports')
    .select('referenceDate')
    .where('fundId', '=', fundId)
    .orderBy('referenceDate', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (last && r.referenceDate <= last.referenceDate) {
    throw refuse('NOT_AFTER_LAST_REPORT', `referenceDate ${r.referenceDate} is not after the latest report's (${last.referenceDate})`, {
      lastReferenceDate: last.referenceDate,
    });
  }
  for (const field of ['nav', 'paidIn', 'cumulativeDistributions'] as const) {
    if (new Dec(r[field]).lt(ZERO)) throw refuse('NEGATIVE_AMOUNT', `${field} cannot be negative`, { field });
  }
  // The book prices in percent of NAV and the valuation scales by it: a NAV of nothing (a slip of the keyboard far more
  // often than a fund written down to zero) would let every resting order trade for nothing.
  if (!new Dec(r.nav).gt(ZERO)) throw refuse('NAV_NOT_POSITIVE', 'nav must be more than 0', { field: 'nav' });
  if (new Dec(r.paidIn).gt(fund.totalCommitment))
    throw refuse('PAID_IN_ABOVE_COMMITMENT', `paidIn ${r.paidIn} is more than the fund's total commitment`, { field: 'paidIn' });
  const row = {
    id: `nav-${fundId}-${r.referenceDate}`,
    fundId,
    referenceDate: r.referenceDate,
    nav: new Dec(r.nav).toFixed(2),
    paidIn: new Dec(r.paidIn).toFixed(2),
    cumulativeDistributions: new Dec(r.cumulativeDistributions).toFixed(2),
    publishedAt,
    publishedBy: actor.userId,
  };
  await trx.insertInto('navReports').values(row).execute();
  await appendAudit(trx, engine, {
    stream: fundStream(fundId),
    at,
    actorUserId: actor.userId,
    actorOrgId: actor.orgId,
    action: 'nav_report.publish',
    entityType: 'fund',
    entityId: fundId,
    payload: {
      id: row.id,
      referenceDate: row.referenceDate,
      nav: row.nav,
      paidIn: row.paidIn,
      cumulativeDistributions: row.cumulativeDistributions,
    },
  });
  return row;
}
