/** Listings stored as JSON values with an optimistic version (the transfers pattern). */
import type { Db, Tx } from '../../db/database';
import { parseListing, storedListing } from './stored-listing';
import { iso } from '../clock/clock';
import { nextTimerAt, type Listing } from './domain';

export interface StoredListing {
  listing: Listing;
  version: number;
}

const timerIso = (l: Listing): string | null => {
  const at = nextTimerAt(l);
  return at === null ? null : iso(at);
};

export async function insertListing(trx: Tx, l: Listing): Promise<void> {
  await trx
    .insertInto('listings')
    .values({
      id: l.id,
      fundId: l.fundId,
      sellerOrgId: l.sellerOrgId,
      state: l.state,
      nextTimerAt: timerIso(l),
      version: 1,
      data: storedListing(l),
      createdAt: iso(l.createdAt),
      updatedAt: iso(l.updatedAt),
    })
    .execute();
}

/** Writes a new version; returns false when another writer changed the row since it was read. */
export async function updateListing(trx: Tx, l: Listing, expectedVersion: number): Promise<boolean> {
  const r = await trx
    .updateTable('listings')
    .set({
      state: l.state,
      nextTimerAt: timerIso(l),
      version: expectedVersion + 1,
      data: storedListing(l),
      updatedAt: iso(l.updatedAt),
    })
    .where('id', '=', l.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findListing(db: Db | Tx, id: string): Promise<StoredListing | undefined> {
  const row = await db.selectFrom('listings').select(['data', 'version']).where('id', '=', id).executeTakeFirst();
  return row ? { listing: parseListing(row.data), version: row.version } : undefined;
}

export async function listListings(db: Db | Tx, limit: number): Promise<Listing[]> {
  const rows = await db.selectFrom('listings').select('data').orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => parseListing(r.data));
}

/** Ids of listings with a timer due at or before `nowIso`, earliest first. */
export async function dueListingIds(db: Db | Tx, nowIso: string, limit = 100): Promise<string[]> {
  const rows = await db
    .selectFrom('listings')
    .select('id')
    .where('nextTimerAt', 'is not', null)
    .where('nextTimerAt', '<=', nowIso)
    .orderBy('nextTimerAt')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function earliestTimer(db: Db | Tx): Promise<number | null> {
  const row = await db
    .selectFrom('listings')
    .select('nextTimerAt')
    .where('nextTimerAt', 'is not', null)
    .orderBy('nextTimerAt')
    .limit(1)
    .executeTakeFirst();
  return row?.nextTimerAt ? Date.parse(row.nextTimerAt) : null;
}
