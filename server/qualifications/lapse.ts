/**
 * A buyer whose qualified-investor record lapses keeps no resting buy order on the book: the book checks a buyer's
 * eligibility when its order arrives (pre-trade checks), so a bid left resting past its organisation's qualification
 * could otherwise still fill. Two parts see to it:
 * - every command on a book first cancels the book's bids whose organisation is not qualified at the command's
 *   instant (server/orders/bid-qualification.ts, in the batch's prelude): no sell can meet such a bid, however soon
 *   after the expiry it arrives;
 * - as the exchange's clock passes a record's expiry, this scheduler task cancels the open buy orders of every
 *   organisation with no record valid then, so that books nobody trades show no such bid either, each through the
 *   book's own cancel command, and records the lapse once per organisation in the exchange's audit stream with the
 *   orders cancelled for it in its pass (by its own commands, or by the book's check they ran into).
 * Either way each cancellation is the book's cancel command (the order's journal row and its `order.cancel` audit
 * entry, by the system actor below). An order is placed only with a valid record, so an open buy order of an
 * organisation without one exists only because a record lapsed. Bids a book cancelled before the task's pass (a
 * command on it at the lapse) have their own entries and are not in the summary.
 *
 * The record of each cancellation is the cancel command's own audit entry (in its transaction). The
 * `qualification.lapsed` summary is written after the cancels: a crash in between loses only the summary, and
 * with several processes each may write one for the orders it cancelled itself (another's are already gone).
 */
import type { Logger } from 'pino';
import type { DatabaseHandle, Db } from '../../db/database';
import { OPEN_STATUS } from '../../db/schema';
import { isQualifiedAt } from '../../shared/rules';
import { appendAudit } from '../audit/audit-log';
import { EXCHANGE_STREAM } from '../audit/streams';
import type { Principal } from '../auth/tokens';
import type { Clock } from '../clock/clock';
import { iso } from '../clock/clock';
import type { TimedTask } from '../clock/scheduler';
import { AppError } from '../commands/errors';
import type { OrderDesk } from '../orders/order-desk';
import { qualificationRecordsOf } from './qualification-records';

/** Every open buy order, by organisation. */
export function openBuyOrders(db: Db): Promise<{ id: string; orgId: string }[]> {
  return db
    .selectFrom('orders')
    .select(['id', 'orgId'])
    .where('status', '=', OPEN_STATUS)
    .where('side', '=', 'buy')
    .orderBy('orgId')
    .orderBy('id')
    .execute();
}

/** Whether the order's cancellation is this actor's (audit_log_entity index). */
async function cancelledForLapse(db: Db, orderId: string): Promise<boolean> {
  const entry = await db
    .selectFrom('auditLog')
    .select('actorUserId')
    .where('entityId', '=', orderId)
    .where('action', '=', 'order.cancel')
    .executeTakeFirst();
  return entry?.actorUserId === LAPSE_ACTOR;
}

/** Who cancels (as the transfer workflow's own steps are by `system:transfer-workflow`). */
export const LAPSE_ACTOR = 'system:qualification-lapse';
/**
 * A record added after the last pass may expire before the next known expiry: the task also looks again after this
 * much of the exchange's time, so such a lapse is acted on at most this late.
 */
export const LAPSE_RECHECK_MS = 60_000;

/** An order already filled, cancelled or expired meanwhile answers these: nothing left to cancel. */
const GONE = new Set(['NOT_FOUND', 'INVALID_STATE']);

export class QualificationLapse implements TimedTask {
  readonly name = 'qualification lapse';
  private nextExpiry: number | null = null;
  private lastPass: number | null = null;

  constructor(
    private readonly h: DatabaseHandle,
    private readonly clock: Clock,
    private readonly orders: OrderDesk,
    private readonly log: Logger,
  ) {}

  nextAt(): number | null {
    // Never run yet (a start after a lapse): at once.
    if (this.lastPass === null) return this.clock.now();
    const recheck = this.lastPass + LAPSE_RECHECK_MS;
    return this.nextExpiry === null ? recheck : Math.min(this.nextExpiry, recheck);
  }

  async run(): Promise<void> {
    const now = this.clock.now();
    try {
      await this.pass(iso(now));
    } finally {
      // Even after a failure: the next pass comes at the next expiry or recheck, not on every scheduler tick.
      this.lastPass = now;
      if (this.nextExpiry !== null && this.nextExpiry <= now) this.nextExpiry = null;
    }
  }

  private async pass(nowIso: string): Promise<void> {
    const open = await openBuyOrders(this.h.db);
    const byOrg = new Map<string, string[]>();
    for (const o of open) byOrg.set(o.orgId, [...(byOrg.get(o.orgId) ?? []), o.id]);
    for (const [orgId, orderIds] of byOrg) {
      if (isQualifiedAt(await qualificationRecordsOf(this.h.db, orgId), nowIso)) continue;
      // One organisation's failure (a conflict, a book out of step) must not keep the others' bids on the book.
      await this.cancelAll(orgId, orderIds, nowIso).catch((err: unknown) =>
        this.log.error({ err, orgId }, 'could not cancel the buy orders of an organisation whose qualification lapsed; retried next pass'),
      );
    }
    const next = await this.h.db
      .selectFrom('qualifications')
      .select((eb) => eb.fn.min('expiresAt').as('at'))
      .where('expiresAt', '>', nowIso)
      .executeTakeFirst();
    this.nextExpiry = next?.at ? Date.parse(next.at) : null;
  }

  private async cancelAll(orgId: string, orderIds: string[], nowIso: string): Promise<void> {
    const system: Principal = { userId: LAPSE_ACTOR, username: LAPSE_ACTOR, orgId, orgName: '', roles: [] };
    const cancelled: string[] = [];
    for (const orderId of orderIds) {
      try {
        await this.orders.cancel(system, orderId);
        cancelled.push(orderId);
      } catch (err) {
        if (!(err instanceof AppError && GONE.has(err.code))) throw err;
        // The book's own check may have cancelled it for the lapse as this command reached it.
        if (await cancelledForLapse(this.h.db, orderId)) cancelled.push(orderId);
      }
    }
    if (!cancelled.length) return;
    await this.h.db.transaction().execute((trx) =>
      appendAudit(trx, this.h.engine, {
        stream: EXCHANGE_STREAM,
        at: nowIso,
        actorUserId: LAPSE_ACTOR,
        actorOrgId: null,
        action: 'qualification.lapsed',
        entityType: 'organisation',
        entityId: orgId,
        payload: { cancelledBuyOrders: cancelled },
      }),
    );
    this.log.info({ orgId, orders: cancelled.length }, 'qualified-investor record lapsed: resting buy orders cancelled');
  }
}
