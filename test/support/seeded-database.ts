/** A fresh database of the given kind, migrated and seeded with the demo market, for tests below the HTTP layer. */
import { seedDemoMarket } from '../../server/seed/seed';
import type { OpenOptions } from '../../db/database';
import type { TestDatabaseKind } from './databases';
import { migratedDatabase, type MigratedDatabase } from './migrated-database';

export type SeededDatabase = MigratedDatabase;

export async function seededDatabase(kind: TestDatabaseKind, seededAt: string, opts: OpenOptions = {}): Promise<SeededDatabase> {
  const migrated = await migratedDatabase(kind, opts);
  try {
    await seedDemoMarket(migrated.handle, Date.parse(seededAt));
  } catch (err) {
    await migrated.drop().catch(() => {});
    throw err;
  }
  return migrated;
}
