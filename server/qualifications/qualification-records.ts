/** Organisations' qualified-investor records, as the rules read them (prepared statements: the order path reads them). */
import type { Db, Tx } from '../../db/database';
import { prepared } from '../../db/prepared';
import type { QualificationRecord } from './qualification-rules';

const COLUMNS = ['netAssets', 'financialAssets', 'minNetAssets', 'minFinancialAssets', 'qualifiedAt', 'expiresAt'] as const;

const recordsOf = prepared(1, (db, $) => db.selectFrom('qualifications').select(COLUMNS).where('orgId', '=', $(0)));
const recordsOfEach = prepared(1, (db, $) =>
  db
    .selectFrom('qualifications')
    .select(['orgId', ...COLUMNS])
    .where('orgId', 'in', $.each(0)),
);

export function qualificationRecordsOf(db: Db | Tx, orgId: string): Promise<QualificationRecord[]> {
  return recordsOf.all(db, [orgId]);
}

/** Several organisations' records in one statement: every organisation asked for is in the map, with none if it has none. */
export async function qualificationRecordsOfEach(db: Db | Tx, orgIds: readonly string[]): Promise<Map<string, QualificationRecord[]>> {
  const out = new Map<string, QualificationRecord[]>(orgIds.map((id) => [id, []]));
  if (!orgIds.length) return out;
  for (const { orgId, ...record } of await recordsOfEach.all(db, [orgIds])) out.get(orgId)?.push(record);
  return out;
}
