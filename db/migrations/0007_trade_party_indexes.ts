/**
 * The round-trip rule looks up an organisation's latest buy or sell of a fund before every order:
 * index trades by fund and each party, newest first. Frozen in time: Kysely<any>.
 */
import { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('trades_by_fund_seller').on('trades').columns(['fund_id', 'seller_org_id', 'executed_at']).execute();
  await db.schema.createIndex('trades_by_fund_buyer').on('trades').columns(['fund_id', 'buyer_org_id', 'executed_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('trades_by_fund_buyer').execute();
  await db.schema.dropIndex('trades_by_fund_seller').execute();
}
