/** A fresh database of the given kind, migrated and seeded with the demo market, for tests below the HTTP layer. */
import { openDatabase, type DatabaseHandle } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { seedDemoMarket } from '../../server/seed/seed';
import type { TestDatabaseKind } from './databases';

export interface SeededDatabase {
  handle: DatabaseHandle;
  /** Closes the handle and drops the database. */
  drop(): Promise<void>;
}

export async function seededDatabase(kind: TestDatabaseKind, seededAt: string): Promise<SeededDatabase> {
  const fresh = await kind.create();
  const handle = openDatabase(fresh.url);
  const drop = async () => {
    await handle.close();
    await fresh.drop();
  };
  try {
    await migrateToLatest(handle.db);
    await seedDemoMarket(handle, Date.parse(seededAt));
  } catch (err) {
    await drop().catch(() => {});
    throw err;
  }
  return { handle, drop };
}
