/**
 * A buyer whose qualified-investor record lapses keeps no resting buy order on the book: the book checks a buyer's
 * eligibility when its order arrives (pre-trade checks), so a bid left resting past its organisation's qualification
 * could otherwise still fill. The books see to it themselves: every command on a book first cancels the book's bids
 * whose organisation is not qualified at the command's instant (server/orders/bid-qualification.ts, in the batch's
 * prelude), so no sell can meet such a bid, however soon after the expiry it arrives. Each such cancellation is the
 * book's cancel command, by the system actor below: the order's journal row (reason `qualification_lapsed`), its
 * `order.cancel` audit entry, and the order's status reason QUALIFICATION_LAPSED.
 *
 * This scheduler task, as the exchange's clock passes a record's expiry, brings up to the clock the books that still
 * hold bids of organisations no longer qualified (OrderDesk.settle), so that books nobody trades show no such bid
 * either, and then records each lapse once in the exchange's audit stream (`qualification.lapsed`: the organisation,
 * when it lapsed, and every bid cancelled for it, whichever command's prelude cancelled it). The summary is checked for
 * and written under the stream's lock, so several processes write it once. A crash between the cancels and the summary
 * loses nothing: the next pass (after a start, it looks back SUMMARY_LOOKBACK_MS) writes it.
 */
import type { Logger } from 'pino';
import type { DatabaseHandle, Db } from '../../db/database';
import { OPEN_STATUS } from '../../db/schema';
import { isQualifiedAt, type QualificationRecord } from '../../shared/rules';
import { appendAudit } from '../audit/audit-log';
import { EXCHANGE_STREAM, streamLock } from '../audit/streams';
import type { Clock } from '../clock/clock';
import { iso } from '../clock/clock';
import type { TimedTask } from '../clock/scheduler';
import { lockInOrder } from '../commands/locks';
import type { OrderDesk } from '../orders/order-desk';
import { qualificationRecordsOf } from './qualification-records';

/** Every open buy order, by organisation. */
export function openBuyOrders(db: Db): Promise<{ id: string; orgId: string; fundId: string }[]> {
  return db
    .selectFrom('orders')
    .select(['id', 'orgId', 'fundId'])
    .where('status', '=', OPEN_STATUS)
    .where('side', '=', 'buy')
    .orderBy('orgId')
    .orderBy('id')
    .execute();
}

/**
 * The organisation's last lapse at or before `nowIso`: the latest expiry of a record that was valid until then, at
 * which no other record was valid. Whether it was renewed since does not matter: bids cancelled during the lapse still
 * get their summary.
 */
export function lastLapse(records: readonly QualificationRecord[], nowIso: string): string | null {
  let at: string | null = null;
  for (const r of records) {
    const wasValid = isQualifiedAt([r], r.qualifiedAt);
    if (wasValid && r.expiresAt <= nowIso && (at === null || r.expiresAt > at) && !isQualifiedAt(records, r.expiresAt)) at = r.expiresAt;
  }
  return at;
}

/** Who cancels (as the transfer workflow's own steps are by `system:transfer-workflow`). */
export const LAPSE_ACTOR = 'system:qualification-lapse';
/**
 * A record added after the last pass may expire before the next known expiry: the task also looks again after this
 * much of the exchange's time, so such a lapse is acted on at most this late.
 */
export const LAPSE_RECHECK_MS = 60_000;

/** After a start, lapses this far back are looked at for a summary not yet written (a crash, or a stop, in between). */
export const SUMMARY_LOOKBACK_MS = 86_400_000;

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
      await this.pass(now);
    } finally {
      // Even after a failure: the next pass comes at the next expiry or recheck, not on every scheduler tick.
      this.lastPass = now;
      if (this.nextExpiry !== null && this.nextExpiry <= now) this.nextExpiry = null;
    }
  }

  private async pass(now: number): Promise<void> {
    const nowIso = iso(now);
    const records = new Map<string, QualificationRecord[]>();
    const recordsOf = async (orgId: string) => {
      let r = records.get(orgId);
      if (!r) records.set(orgId, (r = await qualificationRecordsOf(this.h.db, orgId)));
      return r;
    };
    // The books holding bids of organisations no longer qualified: their preludes cancel those bids.
    const lapsed = new Set<string>();
    const funds = new Set<string>();
    for (const o of await openBuyOrders(this.h.db)) {
      if (!lapsed.has(o.orgId) && isQualifiedAt(await recordsOf(o.orgId), nowIso)) continue;
      lapsed.add(o.orgId);
      funds.add(o.fundId);
    }
    for (const fundId of funds) {
      // One book's failure (a conflict, a book out of step) must not keep the others' bids on their books.
      await this.orders
        .settle([fundId])
        .catch((err: unknown) => this.log.error({ err, fundId }, 'could not cancel the bids of lapsed organisations; retried next pass'));
    }
    // Every organisation that lapsed since the last pass, or whose bids were just cancelled: its summary, once.
    const since = iso((this.lastPass ?? now - SUMMARY_LOOKBACK_MS) - 1);
    const recent = await this.h.db
      .selectFrom('qualifications')
      .select('orgId')
      .distinct()
      .where('expiresAt', '>', since)
      .where('expiresAt', '<=', nowIso)
      .execute();
    for (const orgId of new Set([...lapsed, ...recent.map((r) => r.orgId)])) {
      const at = lastLapse(await recordsOf(orgId), nowIso);
      if (at) await this.summarise(orgId, at, nowIso);
    }
    const next = await this.h.db
      .selectFrom('qualifications')
      .select((eb) => eb.fn.min('expiresAt').as('at'))
      .where('expiresAt', '>', nowIso)
      .executeTakeFirst();
    this.nextExpiry = next?.at ? Date.parse(next.at) : null;
  }

  /** `qualification.lapsed` for the organisation's lapse at `at`, with the bids cancelled for it, unless written already. */
  private async summarise(orgId: string, at: string, nowIso: string): Promise<void> {
    const cancelled = await this.h.db.transaction().execute(async (trx) => {
      // Under the stream's lock: a process that wrote it first has committed it.
      await lockInOrder(this.h.engine, trx, streamLock(EXCHANGE_STREAM));
      const written = await trx
        .selectFrom('auditLog')
        .select('seq')
        .where('entityId', '=', orgId)
        .where('action', '=', 'qualification.lapsed')
        .where('at', '>=', at)
        .executeTakeFirst();
      if (written) return [];
      const ids = (
        await trx
          .selectFrom('orders')
          .select('id')
          .where('orgId', '=', orgId)
          .where('side', '=', 'buy')
          .where('statusReason', '=', 'QUALIFICATION_LAPSED')
          .where('updatedAt', '>=', at)
          .orderBy('id')
          .execute()
      ).map((o) => o.id);
      if (ids.length)
        await appendAudit(trx, this.h.engine, {
          stream: EXCHANGE_STREAM,
          at: nowIso,
          actorUserId: LAPSE_ACTOR,
          actorOrgId: null,
          action: 'qualification.lapsed',
          entityType: 'organisation',
          entityId: orgId,
          payload: { lapsedAt: at, cancelledBuyOrders: ids },
        });
      return ids;
    });
    if (cancelled.length)
      this.log.info({ orgId, orders: cancelled.length }, 'qualified-investor record lapsed: resting buy orders cancelled');
  }
}
