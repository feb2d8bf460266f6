/** An organisation's qualified-investor records, as the rules read them (a prepared statement: the order path reads it). */
import type { Db, Tx } from '../../db/database';
import { prepared } from '../../db/prepared';
import type { QualificationRecord } from './qualification-rules';

const recordsOf = prepared(1, (db, $) =>
  db
    .selectFrom('qualifications')
    .select(['netAssets', 'financialAssets', 'minNetAssets', 'minFinancialAssets', 'qualifiedAt', 'expiresAt'])
    .where('orgId', '=', $(0)),
);

export function qualificationRecordsOf(db: Db | Tx, orgId: string): Promise<QualificationRecord[]> {
  return recordsOf.all(db, [orgId]);
}
