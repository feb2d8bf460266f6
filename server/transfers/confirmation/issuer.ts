/**
 * Issues the transfer confirmation when registration completes a transfer (`confirmation_due`).
 *
 * Rendering takes tens of milliseconds of CPU, so it happens in a worker thread and, normally, before
 * the command's transaction opens: `prepare` predicts the confirmation (the number the next issue of
 * the year gets, the completed transfer, the same instant) and renders it. Inside the transaction
 * `issue` takes the numbering lock, rebuilds the content from what is now committed and stores the
 * prepared bytes when the content is identical, or renders again there (a concurrent issue took the
 * number, or the transfer changed in between). Either way the stored bytes are exactly those of the
 * stored content; they are served and hashed as stored, never rendered twice.
 */
import { canonicalJson } from '../../../shared/canonical-json';
import type { Db, DbEngine, Tx } from '../../../db/database';
import { isPdfRenderError, type PdfWorkerPool } from '../../pdf';
import { type ConfirmationData, renderConfirmationInWorker } from './layout';
import { AppError } from '../../commands/errors';
import type { Transfer, TransferEvent } from '../domain';
import { buildConfirmationData, type OwnershipChanged } from './data';
import { latestAnchor } from '../../audit/anchors';
import { findByTransfer, insertConfirmation, issueYear, nextNumber, type ConfirmationRow } from './store';
import { CONFIRMATION_NUMBER_LOCK, lockInOrder } from '../../commands/locks';

export interface PreparedConfirmation {
  readonly key: string;
  readonly bytes: Buffer;
}

export class ConfirmationIssuer {
  /** Documents rendered (prepared or inside a transaction), for tests and diagnostics. */
  renders = 0;

  /** @param pool the process's PDF workers (rendering never runs on the main thread). */
  constructor(
    private readonly engine: DbEngine,
    private readonly baseUrl: string,
    private readonly pool: PdfWorkerPool,
  ) {}

  private async render(data: ConfirmationData): Promise<Buffer> {
    try {
      const bytes = await renderConfirmationInWorker(this.pool, data);
      this.renders++;
      return bytes;
    } catch (err) {
      if (!isPdfRenderError(err)) throw err;
      const detail = `the confirmation cannot be rendered: ${err.message}`;
      // A worker that failed is the exchange's trouble, not the request's: retry later (503), never kept under the key.
      throw err.code === 'PDF_RENDER_FAILED'
        ? AppError.retryLater('CONFIRMATION_RENDER_FAILED', detail)
        : new AppError('CONFIRMATION_RENDER_FAILED', detail);
    }
  }

  private async dataFor(
    db: Db | Tx,
    t: Transfer,
    events: readonly TransferEvent[],
    number: string,
    issuedAt: string,
  ): Promise<ConfirmationData> {
    const ownership = events.find((e): e is OwnershipChanged => e.type === 'ownership_changed');
    if (!ownership) throw new Error(`transfer ${t.id}: a confirmation is due without an ownership change`);
    const trade = await db.selectFrom('trades').select('navReferenceDate').where('id', '=', t.tradeId).executeTakeFirst();
    const anchor = await latestAnchor(db);
    return buildConfirmationData(db, {
      transfer: t,
      ownership,
      number,
      issuedAt,
      navReferenceDate: trade?.navReferenceDate ?? null,
      baseUrl: this.baseUrl,
      auditHead: anchor ? `${anchor.count}:${anchor.hash}` : null,
    });
  }

  /** Renders, outside any transaction, the confirmation that completing `t` at `issuedAt` will most likely issue. Never throws. */
  async prepare(db: Db, t: Transfer, events: readonly TransferEvent[], issuedAt: string): Promise<PreparedConfirmation | null> {
    try {
      const data = await this.dataFor(db, t, events, await nextNumber(db, issueYear(issuedAt)), issuedAt);
      return { key: canonicalJson(data), bytes: await this.render(data) };
    } catch {
      return null; // the transaction decides and renders again; its error, if any, is the one reported
    }
  }

  /** Issues the confirmation in the caller's transaction: once per transfer, the next number of the year. */
  async issue(
    trx: Tx,
    t: Transfer,
    events: readonly TransferEvent[],
    issuedAt: string,
    prepared: PreparedConfirmation | null,
  ): Promise<ConfirmationRow> {
    // Numbers are taken one at a time (the last lock in the lock order; only completions take it).
    await lockInOrder(this.engine, trx, CONFIRMATION_NUMBER_LOCK);
    const existing = await findByTransfer(trx, t.id);
    if (existing) throw new AppError('CONFLICT', `transfer ${t.id} already has confirmation ${existing.number}; it is never issued twice`);
    const number = await nextNumber(trx, issueYear(issuedAt));
    const data = await this.dataFor(trx, t, events, number, issuedAt);
    const bytes = prepared && prepared.key === canonicalJson(data) ? prepared.bytes : await this.render(data);
    return insertConfirmation(trx, { number, transferId: t.id, issuedAt, bytes, auditHead: data.auditHead ?? null });
  }
}
