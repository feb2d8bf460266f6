/**
 * Listings with disclosure and bidding. The listing value (server/listings/domain) is stored whole as
 * canonical JSON in `data` with an optimistic `version`; the columns beside it exist for queries
 * (timers by next_timer_at, lists by state and seller). Sealed bid amounts and salts stay in
 * `sealed_bids` until the award opens them; no endpoint reads that table (0008 replaced it with
 * encrypted boxes).
 * Frozen in time: Kysely<any>, no application imports.
 */
import { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('listings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fund_id', 'text', (c) => c.notNull().references('funds.id'))
    .addColumn('seller_org_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('next_timer_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('listings_by_timer').on('listings').column('next_timer_at').execute();
  await db.schema.createIndex('listings_by_seller').on('listings').column('seller_org_id').execute();
  await db.schema
    .createTable('sealed_bids')
    .addColumn('bid_id', 'text', (c) => c.primaryKey())
    .addColumn('listing_id', 'text', (c) => c.notNull().references('listings.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('amount', 'text', (c) => c.notNull())
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('commitment', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sealed_bids_by_listing').on('sealed_bids').column('listing_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sealed_bids').execute();
  await db.schema.dropTable('listings').execute();
}
