/** Runs the migrations in db/migrations, listed statically so they work the same under tsx and a bundle. */
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database';
import * as m0001 from './migrations/0001_foundation';
import * as m0002 from './migrations/0002_orders';
import * as m0003 from './migrations/0003_transfers';
import * as m0004 from './migrations/0004_confirmations';
import * as m0005 from './migrations/0005_listings';
import * as m0006 from './migrations/0006_valuations';
import * as m0007 from './migrations/0007_trade_party_indexes';
import * as m0008 from './migrations/0008_sealed_bid_boxes';
import * as m0009 from './migrations/0009_calendar_four_eyes';
import * as m0010 from './migrations/0010_sessions';
import * as m0011 from './migrations/0011_user_suspension';
import * as m0012 from './migrations/0012_document_versions';
import * as m0013 from './migrations/0013_going_live';
import * as m0014 from './migrations/0014_pledges_distributions';
import * as m0015 from './migrations/0015_market_summary';
import * as m0017 from './migrations/0017_sign_in_attempts';
import * as m0018 from './migrations/0018_audit_streams';
import * as m0019 from './migrations/0019_loan_prime_rates';
import * as m0020 from './migrations/0020_open_order_indexes';

export const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_orders': m0002,
  '0003_transfers': m0003,
  '0004_confirmations': m0004,
  '0005_listings': m0005,
  '0006_valuations': m0006,
  '0007_trade_party_indexes': m0007,
  '0008_sealed_bid_boxes': m0008,
  '0009_calendar_four_eyes': m0009,
  '0010_sessions': m0010,
  '0011_user_suspension': m0011,
  '0012_document_versions': m0012,
  '0013_going_live': m0013,
  '0014_pledges_distributions': m0014,
  '0015_market_summary': m0015,
  '0017_sign_in_attempts': m0017,
  '0018_audit_streams': m0018,
  '0019_loan_prime_rates': m0019,
  '0020_open_order_indexes': m0020,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrateToLatest(db: Db): Promise<void> {
  // Numbers were reserved per feature and land out of order (0015 after 0017 and 0018): a database
  // migrated before 0015 existed must still take it.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
