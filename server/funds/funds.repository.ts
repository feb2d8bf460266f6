import type { Db, Tx } from '../../db/database';
import type { Fund, NavReport } from '../../db/schema';
import { prepared } from '../../db/prepared';

export interface FundRow extends Fund {
  managerName: string;
}

/** Open funds only: a fund pending its second operator's approval is invisible to members (server/funds/admission). */
export async function listFunds(db: Db | Tx): Promise<FundRow[]> {
  return db
    .selectFrom('funds')
    .innerJoin('organisations as m', 'm.id', 'funds.managerOrgId')
    .selectAll('funds')
    .select('m.name as managerName')
    .where('funds.state', '=', 'open')
    .orderBy('funds.vintage')
    .orderBy('funds.id')
    .execute();
}

/** An open fund (undefined for a pending one, as for none). */
export async function findFund(db: Db | Tx, fundId: string): Promise<FundRow | undefined> {
  return db
    .selectFrom('funds')
    .innerJoin('organisations as m', 'm.id', 'funds.managerOrgId')
    .selectAll('funds')
    .select('m.name as managerName')
    .where('funds.id', '=', fundId)
    .where('funds.state', '=', 'open')
    .executeTakeFirst();
}

/** The latest NAV report of every fund (by reference date), keyed by fund id. */
export async function latestNavReports(db: Db | Tx): Promise<Map<string, NavReport>> {
  const rows = await db.selectFrom('navReports').selectAll().orderBy('fundId').orderBy('referenceDate', 'desc').execute();
  const out = new Map<string, NavReport>();
  for (const r of rows) if (!out.has(r.fundId)) out.set(r.fundId, r);
  return out;
}

const latestNav = prepared(1, (db, $) =>
  db.selectFrom('navReports').selectAll().where('fundId', '=', $(0)).orderBy('referenceDate', 'desc').limit(1),
);

export async function latestNavReport(db: Db | Tx, fundId: string): Promise<NavReport | undefined> {
  return latestNav.first(db, [fundId]);
}

const countInvestors = prepared(1, (db, $) =>
  db
    .selectFrom('positions')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('fundId', '=', $(0))
    .where('commitment', '!=', '0.00'),
);

export async function investorCount(db: Db | Tx, fundId: string): Promise<number> {
  return Number((await countInvestors.first(db, [fundId]))?.n ?? 0);
}
