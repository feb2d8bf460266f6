/**
 * Listings and transfers are stored as JSON documents; from now on each carries `schemaVersion`.
 * Every document present is brought to version 2: a listing's buyers refused by the automatic checks
 * get the rulebook's codes (NOT_QUALIFIED_INVESTOR → BUYER_NOT_QUALIFIED, INVESTOR_CAP →
 * INVESTOR_CAP_REACHED); a transfer's shape is unchanged. The readers (stored-listing.ts,
 * stored-transfer.ts) upgrade on read as well, so a document written by an older process still reads.
 * Frozen in time: Kysely<any>, and its own copy of the upgrade (the readers' may move on). Documents
 * keep their canonical form (keys sorted), as the exchange writes them.
 */
import type { Kysely } from 'kysely';

const V1_REASON_CODES: Record<string, string> = { NOT_QUALIFIED_INVESTOR: 'BUYER_NOT_QUALIFIED', INVESTOR_CAP: 'INVESTOR_CAP_REACHED' };

/** JSON with object keys sorted, as shared/canonical-json writes it (strings, numbers, booleans, null, arrays, objects). */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

async function restamp(
  db: Kysely<any>,
  table: 'listings' | 'transfers',
  upgrade: (doc: Record<string, any>) => Record<string, any>,
): Promise<void> {
  let after = '';
  for (;;) {
    const rows: { id: string; data: string }[] = await db
      .selectFrom(table)
      .select(['id', 'data'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(500)
      .execute();
    for (const row of rows) {
      const doc = JSON.parse(row.data);
      if (doc.schemaVersion !== undefined) continue;
      await db
        .updateTable(table)
        .set({ data: canonical({ ...upgrade(doc), schemaVersion: 2 }) })
        .where('id', '=', row.id)
        .execute();
    }
    if (rows.length < 500) return;
    after = rows[rows.length - 1]!.id;
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await restamp(db, 'listings', (doc) => ({
    ...doc,
    buyers: (doc.buyers ?? []).map((b: Record<string, any>) =>
      V1_REASON_CODES[b.qualificationCode] ? { ...b, qualificationCode: V1_REASON_CODES[b.qualificationCode] } : b,
    ),
  }));
  await restamp(db, 'transfers', (doc) => doc);
}

export async function down(): Promise<void> {
  // Version 2 documents read as version 1 ones did, apart from the codes, which stay the rulebook's.
}
