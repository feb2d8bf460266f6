/**
 * Sealed bids kept encrypted (server/listings/sealed-bid-vault.ts): one box per bid holding amount
 * and salt, opened only at the award. Rows of the older `sealed_bids` table (amount and salt in plain
 * text) are sealed into this table and deleted by the exchange at its next start, which has the key;
 * `sealed_bids` then stays empty. Frozen in time: Kysely<any>.
 */
import { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sealed_bid_boxes')
    .addColumn('bid_id', 'text', (c) => c.primaryKey())
    .addColumn('listing_id', 'text', (c) => c.notNull().references('listings.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('box', 'text', (c) => c.notNull())
    .addColumn('commitment', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sealed_bid_boxes_by_listing').on('sealed_bid_boxes').column('listing_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sealed_bid_boxes').execute();
}
