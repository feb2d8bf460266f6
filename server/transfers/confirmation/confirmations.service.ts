/**
 * Reading, verifying and revoking issued confirmations. The PDF is served from the stored bytes (never
 * rendered again), so its SHA-256 is the one `verify` reports. Revocation takes two operators: one
 * requests it with a reason, a different one approves it (four eyes); the document stays, marked revoked.
 */
import type { DatabaseHandle, Tx } from '../../../db/database';
import { appendAudit } from '../../audit/audit-log';
import { fundStream, type AuditStream } from '../../audit/streams';
import type { Principal } from '../../auth/tokens';
import { iso, type Clock } from '../../clock/clock';
import type { CommandRunner } from '../../commands';
import { refusal } from '../../i18n/refusal';
import { AppError, notFound } from '../../commands/errors';
import type { Transfer } from '../domain';
import { findTransfer } from '../transfers.repository';
import { actorOf } from '../transfers.views';
import { findByNumber, findByTransfer, revocationOf, verification, type ConfirmationRow } from './store';
import { lockInOrder, transferLock } from '../../commands/locks';

/** The transfer's parties: its seller, the trade's buyer and every final buyer. */
const isParty = (t: Transfer, orgId: string) =>
  t.sellerOrgId === orgId || t.buyerOrgId === orgId || t.allocations.some((a) => a.buyerOrgId === orgId);

export class ConfirmationsService {
  constructor(
    private readonly handle: DatabaseHandle,
    private readonly clock: Clock,
    private readonly commands: CommandRunner,
  ) {}

  /** The stored PDF, for the transfer's parties (seller, the trade's buyer, every final buyer) and operators. */
  async pdf(principal: Principal, transferId: string): Promise<{ contentType: string; bytes: Buffer; filename: string }> {
    const t = await findTransfer(this.handle.db, transferId);
    const actor = actorOf(principal);
    if (!t || !(isParty(t, actor.orgId) || actor.roles.includes('operator'))) throw notFound(`transfer ${transferId}`);
    const row = await findByTransfer(this.handle.db, transferId);
    if (!row)
      throw new AppError(
        'NOT_FOUND',
        `transfer ${transferId} has no confirmation yet: it is issued when registration completes the transfer`,
      );
    return { contentType: 'application/pdf', bytes: Buffer.from(row.pdfBase64, 'base64'), filename: `${row.number}.pdf` };
  }

  /**
   * An issued confirmation and its revocation, with the reason, for operators and the transfer's
   * parties (others: NOT_FOUND, as for the PDF). The public `verify` answer omits the reason.
   */
  async get(principal: Principal, number: string) {
    const row = await findByNumber(this.handle.db, number);
    const t = row ? await findTransfer(this.handle.db, row.transferId) : undefined;
    const actor = actorOf(principal);
    const operator = actor.roles.includes('operator');
    if (!row || !t || !(operator || isParty(t, actor.orgId))) throw notFound(`confirmation ${number}`);
    return {
      number: row.number,
      transferId: row.transferId,
      issuedAt: row.issuedAt,
      sha256: row.sha256,
      revocation: revocationOf(row, operator),
    };
  }

  async verify(number: string, sha256?: string) {
    return verification(number, await findByNumber(this.handle.db, number), sha256);
  }

  /** The confirmation read again under its transfer's lock, with the audit stream of the transfer's fund. */
  private async locked(trx: Tx, number: string): Promise<ConfirmationRow & { stream: AuditStream }> {
    const first = await findByNumber(trx, number);
    if (!first) throw notFound(`confirmation ${number}`);
    await lockInOrder(this.handle.engine, trx, transferLock(first.transferId));
    const row = await findByNumber(trx, number);
    if (!row) throw notFound(`confirmation ${number}`);
    if (row.revokedAt)
      throw refusal('INVALID_STATE', `confirmation ${number} was revoked on ${row.revokedAt}`, { reason: 'confirmation_revoked' });
    const { fundId } = await trx.selectFrom('transfers').select('fundId').where('id', '=', row.transferId).executeTakeFirstOrThrow();
    return { ...row, stream: fundStream(fundId) };
  }

  /** First operator: asks for revocation, with a reason. */
  async requestRevocation(principal: Principal, number: string, reason: string, idempotencyKey: string | undefined) {
    const nowIso = iso(this.clock.now());
    return this.commands(
      { userId: principal.userId, idempotencyKey, fingerprint: ['confirmation.revoke_request', number, reason], nowIso },
      async (trx) => {
        const row = await this.locked(trx, number);
        if (row.revokeRequestedBy)
          throw new AppError(
            'REVOCATION_PENDING',
            `revocation of ${number} was already requested on ${row.revokeRequestedAt}; another operator must approve it`,
          );
        await trx
          .updateTable('confirmations')
          .set({ revokeRequestedBy: principal.userId, revokeRequestedAt: nowIso, revokeReason: reason })
          .where('number', '=', number)
          .execute();
        await appendAudit(trx, this.handle.engine, {
          stream: row.stream,
          at: nowIso,
          actorUserId: principal.userId,
          actorOrgId: principal.orgId,
          action: 'confirmation.revoke_requested',
          entityType: 'confirmation',
          entityId: number,
          payload: { transferId: row.transferId, reason },
        });
        return {
          status: 201,
          body: {
            number,
            transferId: row.transferId,
            revocation: { state: 'requested', requestedBy: principal.userId, requestedAt: nowIso, reason },
          },
        };
      },
    );
  }

  /** Second operator (not the requester): revokes. */
  async approveRevocation(principal: Principal, number: string, idempotencyKey: string | undefined) {
    const nowIso = iso(this.clock.now());
    return this.commands(
      { userId: principal.userId, idempotencyKey, fingerprint: ['confirmation.revoke', number], nowIso },
      async (trx) => {
        const row = await this.locked(trx, number);
        if (!row.revokeRequestedBy)
          throw refusal('INVALID_STATE', `no revocation of ${number} has been requested`, { reason: 'no_revocation_requested' });
        if (row.revokeRequestedBy === principal.userId)
          throw new AppError('FOUR_EYES', 'the operator who requested the revocation may not also approve it');
        await trx
          .updateTable('confirmations')
          .set({ revokedBy: principal.userId, revokedAt: nowIso })
          .where('number', '=', number)
          .execute();
        await appendAudit(trx, this.handle.engine, {
          stream: row.stream,
          at: nowIso,
          actorUserId: principal.userId,
          actorOrgId: principal.orgId,
          action: 'confirmation.revoked',
          entityType: 'confirmation',
          entityId: number,
          payload: { transferId: row.transferId, reason: row.revokeReason, requestedBy: row.revokeRequestedBy },
        });
        return {
          status: 200,
          body: {
            number,
            transferId: row.transferId,
            revocation: {
              state: 'revoked',
              requestedBy: row.revokeRequestedBy,
              requestedAt: row.revokeRequestedAt,
              reason: row.revokeReason,
              revokedBy: principal.userId,
              revokedAt: nowIso,
            },
          },
        };
      },
    );
  }
}
