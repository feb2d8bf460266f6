/**
 * Qualified-investor records: an operator records an organisation's assessment (refused below the
 * thresholds, 422 NOT_QUALIFIED); a record is valid through its `validUntil` date (Beijing). The
 * thresholds in force are stored with each record.
 */
import { beijingDate } from '../../shared/calendar';
import { Dec } from '../../shared/decimal';
import type { Db, DbEngine, Tx } from '../../db/database';
import { appendAudit } from '../audit/audit-log';
import { AppError } from '../commands/errors';
import type { Actor } from '../members/members.service';
import { missedThresholds, qualificationStatus, type QualificationStatus, type QualificationThresholds } from './qualification-rules';
import { orgStream } from '../audit/streams';

export interface QualificationInput {
  orgId: string;
  netAssets: string;
  financialAssets: string;
  validUntil: string;
  evidenceRef: string;
}
export interface QualificationView {
  id: string;
  orgId: string;
  orgName: string;
  netAssets: string;
  financialAssets: string;
  minNetAssets: string;
  minFinancialAssets: string;
  evidenceRef: string;
  qualifiedAt: string;
  validUntil: string;
  expiresAt: string;
  qualifiedBy: string | null;
  status: QualificationStatus;
}

/** Beijing midnight after `validUntil`, as a UTC ISO instant (16:00Z on validUntil). */
export function expiresAtOf(validUntil: string): string {
  return `${validUntil}T16:00:00.000Z`;
}

export async function recordQualification(
  trx: Tx,
  engine: DbEngine,
  actor: Actor,
  q: QualificationInput,
  thresholds: QualificationThresholds,
  at: string,
  id: string,
  qualifiedAt = at,
): Promise<QualificationView> {
  const org = await trx.selectFrom('organisations').select(['id', 'name', 'kind']).where('id', '=', q.orgId).executeTakeFirst();
  if (!org) throw new AppError('NOT_FOUND', `organisation ${q.orgId} not found`);
  if (org.kind === 'exchange')
    throw new AppError('VALIDATION_FAILED', 'the exchange itself is not an investor', { params: { field: 'orgId' } });
  const today = beijingDate(Date.parse(at));
  if (q.validUntil < today)
    throw new AppError('VALIDATION_FAILED', `validUntil ${q.validUntil} is before today (${today})`, {
      params: { field: 'validUntil', today },
    });
  const missed = missedThresholds(q, thresholds);
  if (missed.length) {
    throw new AppError('NOT_QUALIFIED', `below the qualified-investor thresholds (${missed.join(', ')})`, {
      params: {
        netAssets: new Dec(q.netAssets).toFixed(2),
        minNetAssets: new Dec(thresholds.minNetAssets).toFixed(2),
        financialAssets: new Dec(q.financialAssets).toFixed(2),
        minFinancialAssets: new Dec(thresholds.minFinancialAssets).toFixed(2),
        missed: missed.join(','),
      },
    });
  }
  const row = {
    id,
    orgId: q.orgId,
    netAssets: new Dec(q.netAssets).toFixed(2),
    financialAssets: new Dec(q.financialAssets).toFixed(2),
    minNetAssets: new Dec(thresholds.minNetAssets).toFixed(2),
    minFinancialAssets: new Dec(thresholds.minFinancialAssets).toFixed(2),
    evidenceRef: q.evidenceRef,
    qualifiedAt,
    expiresAt: expiresAtOf(q.validUntil),
    qualifiedBy: actor.userId,
  };
  await trx.insertInto('qualifications').values(row).execute();
  await appendAudit(trx, engine, {
    stream: orgStream(actor.orgId),
    at,
    actorUserId: actor.userId,
    actorOrgId: actor.orgId,
    action: 'qualification.record',
    entityType: 'organisation',
    entityId: q.orgId,
    payload: {
      id,
      netAssets: row.netAssets,
      financialAssets: row.financialAssets,
      minNetAssets: row.minNetAssets,
      minFinancialAssets: row.minFinancialAssets,
      validUntil: q.validUntil,
      evidenceRef: q.evidenceRef,
    },
  });
  return { ...row, orgName: org.name, validUntil: q.validUntil, status: qualificationStatus(row, at) };
}

/** Records with their status at `nowIso`, newest first; one organisation's, or all (operators). */
export async function listQualifications(db: Db, nowIso: string, orgId?: string): Promise<QualificationView[]> {
  let q = db
    .selectFrom('qualifications')
    .innerJoin('organisations as o', 'o.id', 'qualifications.orgId')
    .selectAll('qualifications')
    .select('o.name as orgName');
  if (orgId) q = q.where('qualifications.orgId', '=', orgId);
  const rows = await q.orderBy('qualifications.qualifiedAt', 'desc').execute();
  return rows.map((r) => ({ ...r, validUntil: beijingDate(Date.parse(r.expiresAt) - 1), status: qualificationStatus(r, nowIso) }));
}
