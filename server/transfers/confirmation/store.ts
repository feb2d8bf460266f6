/**
 * The `confirmations` table: numbering, the stored PDF bytes and revocation. A confirmation is issued
 * once per transfer (unique transfer_id) and its number is `SFX-<year>-<seq>`, sequential per Beijing
 * calendar year of issue (unique (year, seq) and unique number).
 */
import { sha256Hex } from '../../sha256';
import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../../db/database';
import type { ConfirmationsTable } from '../../../db/schema';
import { beijingDate } from '../../../shared/calendar';

export type ConfirmationRow = Selectable<ConfirmationsTable>;

export const NUMBER_PREFIX = 'SFX';
export const NUMBER_RE = /^SFX-\d{4}-\d{6}$/;

export const formatNumber = (year: number, seq: number) => `${NUMBER_PREFIX}-${year}-${String(seq).padStart(6, '0')}`;
export const issueYear = (issuedAt: string) => Number(beijingDate(Date.parse(issuedAt)).slice(0, 4));

/** The number the next confirmation of `year` gets (the caller serialises issuers). */
export async function nextNumber(db: Db | Tx, year: number): Promise<string> {
  const row = await db
    .selectFrom('confirmations')
    .select((eb) => eb.fn.max('seq').as('last'))
    .where('year', '=', year)
    .executeTakeFirst();
  return formatNumber(year, Number(row?.last ?? 0) + 1);
}

export async function insertConfirmation(
  trx: Tx,
  c: { number: string; transferId: string; issuedAt: string; bytes: Buffer; auditHead: string | null },
): Promise<ConfirmationRow> {
  const [, year, seq] = c.number.split('-');
  const [anchorCount, anchorHash] = c.auditHead ? c.auditHead.split(':') : [null, null];
  const row: ConfirmationRow = {
    number: c.number,
    year: Number(year),
    seq: Number(seq),
    transferId: c.transferId,
    issuedAt: c.issuedAt,
    pdfBase64: c.bytes.toString('base64'),
    byteLength: c.bytes.length,
    sha256: sha256Hex(c.bytes),
    revokeRequestedBy: null,
    revokeRequestedAt: null,
    revokeReason: null,
    revokedBy: null,
    revokedAt: null,
    auditAnchorCount: anchorCount === null ? null : Number(anchorCount),
    auditAnchorHash: anchorHash ?? null,
  };
  await trx.insertInto('confirmations').values(row).execute();
  return row;
}

export async function findByNumber(db: Db | Tx, number: string): Promise<ConfirmationRow | undefined> {
  return db.selectFrom('confirmations').selectAll().where('number', '=', number).executeTakeFirst();
}

export async function findByTransfer(db: Db | Tx, transferId: string): Promise<ConfirmationRow | undefined> {
  return db.selectFrom('confirmations').selectAll().where('transferId', '=', transferId).executeTakeFirst();
}

/**
 * The public verification answer (api.md): valid = issued by this exchange and not revoked. It says
 * whether and when a confirmation was revoked, never why: the reason is free text written by an
 * operator, for operators and the transfer's parties only (`revocationOf`, GET /api/confirmations/:number).
 */
export function verification(number: string, row: ConfirmationRow | undefined, sha256?: string) {
  if (!row)
    return {
      valid: false,
      number,
      sha256: null,
      issuedAt: null,
      revoked: false,
      revokedAt: null,
      auditHead: null,
      ...(sha256 ? { matches: false } : {}),
    };
  const revoked = row.revokedAt !== null;
  const matches = sha256 === undefined ? undefined : sha256.toLowerCase() === row.sha256;
  return {
    valid: !revoked && matches !== false,
    number,
    sha256: row.sha256,
    issuedAt: row.issuedAt,
    revoked,
    revokedAt: row.revokedAt,
    // The anchor current at issue (null for a confirmation issued before anchors existed).
    auditHead:
      row.auditAnchorCount === null || row.auditAnchorHash === null ? null : { count: row.auditAnchorCount, headHash: row.auditAnchorHash },
    ...(matches === undefined ? {} : { matches }),
  };
}

/** The revocation of a confirmation, with its reason; who requested and approved it only for operators. */
export function revocationOf(row: ConfirmationRow, operator: boolean) {
  const state = row.revokedAt !== null ? 'revoked' : row.revokeRequestedAt !== null ? 'requested' : 'none';
  return {
    state,
    requestedAt: row.revokeRequestedAt,
    reason: row.revokeReason,
    revokedAt: row.revokedAt,
    ...(operator ? { requestedBy: row.revokeRequestedBy, revokedBy: row.revokedBy } : {}),
  } as const;
}
