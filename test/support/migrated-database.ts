/** A fresh database of the given kind with every migration applied and nothing else: for tests below the services. */
import { openDatabase, type DatabaseHandle, type OpenOptions, type Tx } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { appendAudit } from '../../server/audit/audit-log';
import { EXCHANGE_STREAM } from '../../server/audit/streams';
import type { TestDatabaseKind } from './databases';

export interface MigratedDatabase {
  handle: DatabaseHandle;
  /** Its DATABASE_URL, for a connection of a test's own (e.g. to LISTEN on PostgreSQL). */
  url: string;
  /** Closes the handle and drops the database. */
  drop(): Promise<void>;
}

export async function migratedDatabase(kind: TestDatabaseKind, opts: OpenOptions = {}): Promise<MigratedDatabase> {
  const fresh = await kind.create();
  const handle = openDatabase(fresh.url, opts);
  const drop = async () => {
    await handle.close();
    await fresh.drop();
  };
  try {
    await migrateToLatest(handle.db);
  } catch (err) {
    await drop().catch(() => {});
    throw err;
  }
  return { handle, url: fresh.url, drop };
}

/** An audit entry on the exchange's stream naming `entityId`: a write the tests of the command layer can count. */
export function writeTestAudit(handle: DatabaseHandle, trx: Tx, at: string, entityId: string) {
  return appendAudit(trx, handle.engine, {
    stream: EXCHANGE_STREAM,
    at,
    actorUserId: null,
    actorOrgId: null,
    action: 'test.write',
    entityType: 'test',
    entityId,
    payload: { entityId },
  });
}

/** The entity ids of the audit log, in the order written. */
export async function auditedEntities(handle: DatabaseHandle): Promise<string[]> {
  return (await handle.db.selectFrom('auditLog').select('entityId').orderBy('id').execute()).map((r) => r.entityId);
}
