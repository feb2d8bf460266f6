import { Dec, formatQuantity } from '../../shared/decimal';
import { sellableUnits } from '../../shared/rules';
import { navAttributable } from '../../shared/nav';
import type { PositionView } from '../../shared/wire';
import type { Db, Tx } from '../../db/database';
import type { Position } from '../../db/schema';
import { prepared } from '../../db/prepared';
import { latestNavReports } from '../funds/funds.repository';

const positionOf = prepared(2, (db, $) => db.selectFrom('positions').selectAll().where('fundId', '=', $(0)).where('orgId', '=', $(1)));

export async function findPosition(db: Db | Tx, fundId: string, orgId: string): Promise<Position | undefined> {
  return positionOf.first(db, [fundId, orgId]);
}

export class PositionsService {
  constructor(private readonly db: Db) {}

  async forOrganisation(orgId: string): Promise<PositionView[]> {
    const rows = await this.db
      .selectFrom('positions')
      .innerJoin('funds', 'funds.id', 'positions.fundId')
      .selectAll('positions')
      .select(['funds.name as fundName', 'funds.totalCommitment'])
      .where('positions.orgId', '=', orgId)
      .where('positions.commitment', '!=', '0.00')
      .orderBy('positions.fundId')
      .execute();
    const navs = await latestNavReports(this.db);
    const receipts = await this.db
      .selectFrom('inKindReceipts')
      .selectAll()
      .where('orgId', '=', orgId)
      .orderBy('receivedAt')
      .orderBy('distributionId')
      .execute();
    return rows.map((p) => {
      const nav = navs.get(p.fundId);
      const commitment = new Dec(p.commitment);
      // Commitment and its parts are quantities (api.md: whole yuan, "5000000"), whole by construction:
      // seeded whole and moved in whole lots. Paid-in, unfunded and NAV are money (2 decimals).
      return {
        fundId: p.fundId,
        fundName: p.fundName,
        commitment: formatQuantity(commitment),
        paidIn: new Dec(p.paidIn).toFixed(2),
        unfunded: commitment.minus(p.paidIn).toFixed(2),
        available: formatQuantity(sellableUnits(p)),
        pledged: formatQuantity(new Dec(p.pledged)),
        onOffer: formatQuantity(new Dec(p.onOffer)),
        reserved: formatQuantity(new Dec(p.reserved)),
        nav: nav ? navAttributable(new Dec(nav.nav), new Dec(p.totalCommitment), commitment).toFixed(2) : null,
        inKindReceipts: receipts
          .filter((r) => r.fundId === p.fundId)
          .map((r) => ({
            distributionId: r.distributionId,
            security: { code: r.securityCode, name: r.securityName, market: r.securityMarket },
            shares: r.shares,
            sharesInLieu: r.sharesInLieu,
            cashInLieu: r.cashInLieu,
            referencePrice: r.referencePrice,
            receivedAt: r.receivedAt,
          })),
      };
    });
  }
}
