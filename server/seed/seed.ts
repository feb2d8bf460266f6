/**
 * Seeds the demo market into an empty database through the same services an exchange going live uses
 * (server/members, server/funds/admission, server/qualifications): the first administrator, the
 * organisations, the users, each fund proposed by operator1 with its partner register and approved by
 * operator2, the GP's NAV reports, the buyers' qualifications — one transaction, each step audited.
 * The demo users are exempt from the forced first password change.
 */
import { Dec, Rounding, sum } from '../../shared/decimal';
import { beijingDate, addCalendarDays } from '../../shared/calendar';
import type { DatabaseHandle } from '../../db/database';
import { appendAudit } from '../audit/audit-log';
import { EXCHANGE_STREAM } from '../audit/streams';
import { fundLock, lockInOrder } from '../commands';
import { hashPassword } from '../auth/passwords';
import { iso } from '../clock/clock';
import { createFirstAdmin, createOrganisation, createUser, userIdOf, type Actor } from '../members/members.service';
import { approveFund, loadPartners, proposeFund } from '../funds/admission/admission.service';
import { publishNavReport } from '../funds/admission/nav-reports';
import { recordQualification } from '../qualifications/qualifications.service';
import type { QualificationThresholds } from '../qualifications/qualification-rules';
import { DEMO_FUNDS, DEMO_ORGS, DEMO_PASSWORD, DEMO_QUALIFIED, DEMO_USERS } from './demo-market';

const LOT_SIZE = '1000000';

/** The last quarter end at least 30 days before `nowMs`: when a GP's quarterly report would be out. */
export function latestReportedQuarterEnd(nowMs: number): string {
  const cutoff = beijingDate(nowMs - 30 * 86_400_000);
  const [y, m] = [Number(cutoff.slice(0, 4)), Number(cutoff.slice(5, 7))];
  const qEndMonth = Math.floor(m / 3) * 3; // 0 means the previous year's Q4
  const candidate =
    qEndMonth === 0 ? `${y - 1}-12-31` : `${y}-${String(qEndMonth).padStart(2, '0')}-${['31', '30', '30', '31'][qEndMonth / 3 - 1]}`;
  return candidate <= cutoff ? candidate : addCalendarDays(candidate, -92);
}

export async function isEmpty(handle: DatabaseHandle): Promise<boolean> {
  return !(await handle.db.selectFrom('organisations').select('id').limit(1).executeTakeFirst());
}

const DEFAULT_THRESHOLDS: QualificationThresholds = { minNetAssets: '20000000.00', minFinancialAssets: '10000000.00' };

export async function seedDemoMarket(
  handle: DatabaseHandle,
  nowMs: number,
  thresholds: QualificationThresholds = DEFAULT_THRESHOLDS,
): Promise<void> {
  const at = iso(nowMs);
  const engine = handle.engine;
  // One scrypt hash serves every demo user (same password; a random salt per user buys nothing here and costs ~50 ms each).
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const refDate = latestReportedQuarterEnd(nowMs);
  const prevRefDate = latestReportedQuarterEnd(Date.parse(`${refDate}T00:00:00Z`) - 86_400_000 + 30 * 86_400_000);
  const user = (username: string): Actor => ({ userId: userIdOf(username), orgId: DEMO_USERS.find((u) => u.username === username)!.orgId });
  const [admin, operator1, operator2, gp] = ['admin', 'operator1', 'operator2', 'gp'].map(user) as [Actor, Actor, Actor, Actor];
  await handle.db.transaction().execute(async (trx) => {
    // One transaction admits every fund: their locks first, in the one lock order, before any audit entry takes the chain's.
    await lockInOrder(engine, trx, ...DEMO_FUNDS.map((f) => fundLock(f.id)));
    const exchange = DEMO_ORGS.find((o) => o.kind === 'exchange')!;
    const adminUser = DEMO_USERS.find((u) => u.username === 'admin')!;
    await createFirstAdmin(trx, engine, { username: 'admin', displayName: adminUser.displayName, passwordHash, org: exchange }, at);
    for (const o of DEMO_ORGS) if (o !== exchange) await createOrganisation(trx, engine, admin, o, at);
    for (const u of DEMO_USERS) {
      if (u.username === 'admin') continue;
      await createUser(
        trx,
        engine,
        admin,
        { username: u.username, orgId: u.orgId, displayName: u.displayName, roles: u.roles, passwordHash, mustChangePassword: false },
        at,
      );
    }
    for (const orgId of DEMO_QUALIFIED) {
      await recordQualification(
        trx,
        engine,
        operator1,
        {
          orgId,
          netAssets: '850000000.00',
          financialAssets: '620000000.00',
          validUntil: beijingDate(nowMs + 305 * 86_400_000),
          evidenceRef: `QI-${orgId.toUpperCase()}-${refDate.slice(0, 4)}`,
        },
        thresholds,
        at,
        `qual-${orgId}`,
        iso(nowMs - 60 * 86_400_000),
      );
    }
    for (const f of DEMO_FUNDS) {
      await proposeFund(
        trx,
        engine,
        operator1,
        {
          id: f.id,
          name: f.name,
          nameEn: f.nameEn,
          gpOrgId: 'org-gp',
          strategy: f.strategy,
          vintage: f.vintage,
          termYears: f.termYears,
          amacFiling: f.amacFiling,
          legalForm: f.legalForm,
          totalCommitment: f.totalCommitment,
          lotSize: LOT_SIZE,
          terms: {
            rofr: f.rofr,
            gpConsent: f.gpConsent,
            pledgeAllowed: f.pledgeAllowed,
            pledgeNeedsConsent: f.pledgeNeedsConsent ?? false,
          },
        },
        at,
      );
      const total = new Dec(f.totalCommitment);
      const named = Object.entries(f.holders).map(([orgId, c]) => [orgId, new Dec(c)] as const);
      const holders = [...named, ['org-lp-others', total.minus(sum(named.map(([, c]) => c)))] as const];
      // Every holder has paid in the same share of its commitment, as partnership calls are pro rata.
      const register = holders.map(([orgId, c]) => ({
        orgId,
        commitment: c.toFixed(0),
        paidIn: c.times(f.paidInRatio).round(2, Rounding.HALF_UP).toFixed(2),
      }));
      await loadPartners(trx, engine, operator1, f.id, { json: register }, at);
      await approveFund(trx, engine, operator2, f.id, at);
      const paidIn = total.times(f.paidInRatio).round(2, Rounding.HALF_UP);
      // The previous quarter's NAV sits 3% lower, so the demo shows a movement between reports.
      for (const [date, factor] of [
        [prevRefDate, '0.97'],
        [refDate, '1'],
      ] as const) {
        await publishNavReport(
          trx,
          engine,
          gp,
          f.id,
          {
            referenceDate: date,
            nav: paidIn.times(f.navMultiple).times(factor).round(2, Rounding.HALF_UP).toFixed(2),
            paidIn: paidIn.toFixed(2),
            cumulativeDistributions: paidIn.times(f.distributedRatio).round(2, Rounding.HALF_UP).toFixed(2),
          },
          at,
          `${addCalendarDays(date, 25)}T02:00:00.000Z`,
        );
      }
    }
    await appendAudit(trx, handle.engine, {
      stream: EXCHANGE_STREAM,
      at,
      actorUserId: null,
      actorOrgId: null,
      action: 'seed.demo_market',
      entityType: 'exchange',
      entityId: 'demo',
      payload: { funds: DEMO_FUNDS.map((f) => f.id), users: DEMO_USERS.map((u) => u.username), navReferenceDate: refDate },
    });
  });
}
