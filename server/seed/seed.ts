/** Seeds the demo market into an empty database, in one transaction with its audit entry. */
import { Dec, Rounding, sum } from '../../shared/decimal';
import { beijingDate, addCalendarDays } from '../../shared/calendar';
import type { DatabaseHandle } from '../../db/database';
import { appendAudit } from '../audit/audit-log';
import { hashPassword } from '../auth/passwords';
import { fundAccount, orgAccount, postUnits } from '../ledger/ledger';
import { iso } from '../clock/clock';
import { DEMO_FUNDS, DEMO_ORGS, DEMO_PASSWORD, DEMO_QUALIFIED, DEMO_USERS } from './demo-market';

const LOT_SIZE = '1000000';
const MIN_HOLDING = '1000000';
/** Partnership funds: at most 50 partners (rule). */
const INVESTOR_CAP = 50;
const ROFR_WINDOW_DAYS = 30;
const ROUND_TRIP_WORKING_DAYS = 5;

/** The last quarter end at least 30 days before `nowMs`: when a GP's quarterly report would be out. */
export function latestReportedQuarterEnd(nowMs: number): string {
  const cutoff = beijingDate(nowMs - 30 * 86_400_000);
  const [y, m] = [Number(cutoff.slice(0, 4)), Number(cutoff.slice(5, 7))];
  const qEndMonth = Math.floor(m / 3) * 3; // 0 means the previous year's Q4
  const candidate = qEndMonth === 0 ? `${y - 1}-12-31` : `${y}-${String(qEndMonth).padStart(2, '0')}-${['31', '30', '30', '31'][qEndMonth / 3 - 1]}`;
  return candidate <= cutoff ? candidate : addCalendarDays(candidate, -92);
}

export async function isEmpty(handle: DatabaseHandle): Promise<boolean> {
  return !(await handle.db.selectFrom('organisations').select('id').limit(1).executeTakeFirst());
}

export async function seedDemoMarket(handle: DatabaseHandle, nowMs: number): Promise<void> {
  const at = iso(nowMs);
  const passwordHashes = await Promise.all(DEMO_USERS.map(() => hashPassword(DEMO_PASSWORD)));
  const refDate = latestReportedQuarterEnd(nowMs);
  const prevRefDate = latestReportedQuarterEnd(Date.parse(`${refDate}T00:00:00Z`) - 86_400_000 + 30 * 86_400_000);
  await handle.db.transaction().execute(async (trx) => {
    await trx.insertInto('organisations').values(DEMO_ORGS.map((o) => ({ id: o.id, name: o.name, nameEn: o.nameEn, kind: o.kind, stateOwned: o.stateOwned ? 1 : 0, createdAt: at }))).execute();
    await trx.insertInto('users').values(DEMO_USERS.map((u, i) => ({
      id: `user-${u.username}`, username: u.username, orgId: u.orgId, displayName: u.displayName, roles: u.roles.join(','), passwordHash: passwordHashes[i]!, createdAt: at,
    }))).execute();
    await trx.insertInto('qualifications').values(DEMO_QUALIFIED.map((orgId) => ({
      id: `qual-${orgId}`, orgId, netAssets: '850000000.00', financialAssets: '620000000.00', minNetAssets: '20000000.00', minFinancialAssets: '10000000.00',
      evidenceRef: `QI-${orgId.toUpperCase()}-${refDate.slice(0, 4)}`, qualifiedAt: iso(nowMs - 60 * 86_400_000), expiresAt: iso(nowMs + 305 * 86_400_000),
    }))).execute();
    for (const f of DEMO_FUNDS) {
      await trx.insertInto('funds').values({
        id: f.id, name: f.name, nameEn: f.nameEn, managerOrgId: 'org-gp', strategy: f.strategy, vintage: f.vintage, termYears: f.termYears,
        totalCommitment: new Dec(f.totalCommitment).toFixed(2), currency: 'CNY', amacFiling: f.amacFiling, lotSize: LOT_SIZE,
        rofrEnabled: f.rofr ? 1 : 0, rofrWindowDays: ROFR_WINDOW_DAYS, gpConsentRequired: f.gpConsent ? 1 : 0, pledgeAllowed: f.pledgeAllowed ? 1 : 0,
        pledgeNeedsConsent: f.pledgeNeedsConsent ? 1 : 0,
        investorCap: INVESTOR_CAP, minHolding: MIN_HOLDING, roundTripWorkingDays: ROUND_TRIP_WORKING_DAYS, createdAt: at,
      }).execute();
      const total = new Dec(f.totalCommitment);
      const paidIn = total.times(f.paidInRatio).round(2, Rounding.HALF_UP);
      // The previous quarter's NAV sits 3% lower, so the demo shows a movement between reports.
      for (const [date, factor] of [[prevRefDate, '0.97'], [refDate, '1']] as const) {
        await trx.insertInto('navReports').values({
          id: `nav-${f.id}-${date}`, fundId: f.id, referenceDate: date, nav: paidIn.times(f.navMultiple).times(factor).round(2, Rounding.HALF_UP).toFixed(2),
          paidIn: paidIn.toFixed(2), cumulativeDistributions: paidIn.times(f.distributedRatio).round(2, Rounding.HALF_UP).toFixed(2), publishedAt: `${addCalendarDays(date, 25)}T02:00:00.000Z`,
        }).execute();
      }
      const named = Object.entries(f.holders).map(([orgId, c]) => [orgId, new Dec(c)] as const);
      const holders = [...named, ['org-lp-others', total.minus(sum(named.map(([, c]) => c)))] as const];
      // Every holder has paid in the same share of its commitment, as partnership calls are pro rata.
      const legs = holders.map(([orgId, c]) => ({ account: orgAccount(orgId), commitment: c, paidIn: c.times(f.paidInRatio).round(2, Rounding.HALF_UP) }));
      const paidInSum = sum(legs.map((l) => l.paidIn));
      legs.push({ account: fundAccount(f.id), commitment: total.neg(), paidIn: paidInSum.neg() });
      await postUnits(trx, { fundId: f.id, reason: 'seed: fund closing', at: `${f.vintage}-06-30T00:00:00.000Z`, legs });
    }
    await appendAudit(trx, handle.engine, {
      at, actorUserId: null, actorOrgId: null, action: 'seed.demo_market', entityType: 'exchange', entityId: 'demo',
      payload: { funds: DEMO_FUNDS.map((f) => f.id), users: DEMO_USERS.map((u) => u.username), navReferenceDate: refDate },
    });
  });
}
