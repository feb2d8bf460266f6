/**
 * The start-up jobs that keep sealed bids sealed under the current key: bids stored before the vault
 * existed are sealed, boxes sealed under a rotated-out key re-sealed, and every bid's Idempotency-Key
 * fingerprint carried over so that a retry still replays. Each runs in one transaction under its job
 * lock (two processes starting at once do it once), with one audit entry per listing it changed.
 */
import type { DatabaseHandle, Tx } from '../../db/database';
import { appendAudit } from '../audit/audit-log';
import { fundStream } from '../audit/streams';
import type { Clock } from '../clock/clock';
import { iso } from '../clock/clock';
import { requestHashOf } from '../commands';
import { jobLock, lockInOrder } from '../commands/locks';
import type { SealedBidVault, SealedContent } from './sealed-bid-vault';
import { parseListing } from './stored-listing';

export const bidsPath = (listingId: string) => `/api/listings/${listingId}/bids`;

/** What a bid's request fingerprint holds instead of its amount (sealed-bid-vault.ts). */
export function bidFingerprintBody(vault: SealedBidVault, listingId: string, orgId: string, amount: string) {
  return { amountMac: vault.fingerprint(listingId, orgId, amount) };
}

/**
 * Points a bid's stored Idempotency-Key request hash from one fingerprint body to another, so that a
 * retry of the bid still replays after the fingerprint changed (sealing, key rotation).
 */
async function carryBidReplay(trx: Tx, listingId: string, from: unknown, to: unknown): Promise<number> {
  const hashOf = (body: unknown) => requestHashOf({ m: 'POST', p: bidsPath(listingId), body });
  const r = await trx
    .updateTable('idempotencyKeys')
    .set({ requestHash: hashOf(to) })
    .where('requestHash', '=', hashOf(from))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Every way the wire (a yuan string, at most 2 decimals) can spell an amount: a bid's fingerprint is
 * the MAC of the amount exactly as sent, and the listing keeps it normalised ("150000000.00" may have
 * been sent as "150000000", "150000000.0" or "150000000.00").
 */
function yuanSpellings(normalised: string): string[] {
  const [whole, fen = '00'] = normalised.split('.');
  const out = [`${whole}.${fen}`];
  if (fen.endsWith('0')) out.push(`${whole}.${fen[0]}`);
  if (fen === '00') out.push(whole!);
  return out;
}

export class SealedBidJobs {
  constructor(
    private readonly h: DatabaseHandle,
    private readonly clock: Clock,
    private readonly vault: SealedBidVault,
  ) {}

  /**
   * At start: sealed bids stored before the vault existed (amount and salt in plain text in
   * `sealed_bids`) are sealed into `sealed_bid_boxes` and deleted, in one transaction with an audit entry per listing.
   */
  async sealLegacyBids(): Promise<number> {
    return this.h.db.transaction().execute(async (trx) => {
      // Two processes starting at once on PostgreSQL: the second waits here, then finds nothing left to seal.
      await lockInOrder(this.h.engine, trx, jobLock('sealed-bids'));
      const legacy = await trx.selectFrom('sealedBids').selectAll().orderBy('listingId').orderBy('bidId').execute();
      if (!legacy.length) return 0;
      const byListing = new Map<string, number>();
      for (const b of legacy) {
        await trx
          .insertInto('sealedBidBoxes')
          .values({
            bidId: b.bidId,
            listingId: b.listingId,
            orgId: b.orgId,
            box: this.vault.seal(b.listingId, b.bidId, { amount: b.amount, salt: b.salt }),
            commitment: b.commitment,
            createdAt: b.createdAt,
          })
          .execute();
        // The bid's Idempotency-Key row holds a plain hash of a request with the amount in it: replace it
        // with the keyed fingerprint (a retry of that bid then still replays).
        await carryBidReplay(trx, b.listingId, { amount: b.amount }, bidFingerprintBody(this.vault, b.listingId, b.orgId, b.amount));
        await trx.deleteFrom('sealedBids').where('bidId', '=', b.bidId).execute();
        byListing.set(b.listingId, (byListing.get(b.listingId) ?? 0) + 1);
      }
      await this.auditPerListing(trx, byListing, 'listing.sealed_bids_sealed');
      return legacy.length;
    });
  }

  /**
   * After a key rotation (SEALED_BID_KEY_PREVIOUS set): re-seals under the current key every box the
   * previous key sealed, and carries the bids' Idempotency-Key fingerprints over (a retry still
   * replays), in one transaction with one audit entry per listing. Boxes no key opens are reported,
   * not touched.
   */
  async resealUnderCurrentKey(): Promise<{ resealed: number; unopenable: string[] }> {
    return this.h.db.transaction().execute(async (trx) => {
      await lockInOrder(this.h.engine, trx, jobLock('sealed-bids'));
      const boxes = await trx.selectFrom('sealedBidBoxes').selectAll().orderBy('listingId').orderBy('bidId').execute();
      const byListing = new Map<string, number>();
      const unopenable: string[] = [];
      for (const b of boxes) {
        let content: SealedContent | null;
        try {
          content = this.vault.openSealedByPrevious(b.listingId, b.bidId, b.box);
        } catch {
          unopenable.push(b.bidId);
          continue;
        }
        if (!content) continue;
        await trx
          .updateTable('sealedBidBoxes')
          .set({ box: this.vault.seal(b.listingId, b.bidId, content) })
          .where('bidId', '=', b.bidId)
          .execute();
        const before = this.vault.previousFingerprint(b.listingId, b.orgId, content.amount);
        if (before !== null)
          await carryBidReplay(
            trx,
            b.listingId,
            { amountMac: before },
            bidFingerprintBody(this.vault, b.listingId, b.orgId, content.amount),
          );
        byListing.set(b.listingId, (byListing.get(b.listingId) ?? 0) + 1);
      }
      await this.auditPerListing(trx, byListing, 'listing.sealed_bids_resealed');
      await this.carryOpenBidReplays(trx);
      return { resealed: [...byListing.values()].reduce((n, x) => n + x, 0), unopenable };
    });
  }

  /**
   * Open-auction bids are fingerprinted with the same keyed MAC as sealed ones (bid() fingerprints the
   * request before it reads the listing), but they have no box to re-seal: after a key rotation their
   * Idempotency-Key rows are carried over from the listing's own record of each bid, so that a retry of
   * an open bid still replays instead of answering IDEMPOTENCY_KEY_REUSED. A no-op without a previous key,
   * and when run again (the rows already carry the current fingerprint).
   */
  private async carryOpenBidReplays(trx: Tx): Promise<void> {
    const byListing = new Map<string, number>();
    for (const row of await trx.selectFrom('listings').select(['id', 'data']).orderBy('id').execute()) {
      const l = parseListing(row.data);
      if (l.method !== 'auction') continue;
      for (const bid of l.bidding?.bids ?? []) {
        if (bid.amount === null) continue;
        for (const amount of yuanSpellings(bid.amount)) {
          const before = this.vault.previousFingerprint(l.id, bid.orgId, amount);
          if (before === null) return; // no previous key: nothing was fingerprinted differently
          const carried = await carryBidReplay(trx, l.id, { amountMac: before }, bidFingerprintBody(this.vault, l.id, bid.orgId, amount));
          if (carried > 0) byListing.set(l.id, (byListing.get(l.id) ?? 0) + carried);
        }
      }
    }
    await this.auditPerListing(trx, byListing, 'listing.open_bid_replays_carried');
  }

  /**
   * One system audit entry per listing whose sealed bids a start-up step changed, with how many, in its
   * fund's stream; funds in sorted order (the lock order: a batch holding two funds' locks took them so).
   */
  private async auditPerListing(trx: Tx, byListing: Map<string, number>, action: string): Promise<void> {
    if (!byListing.size) return;
    const at = iso(this.clock.now());
    const funds = await trx
      .selectFrom('listings')
      .select(['id', 'fundId'])
      .where('id', 'in', [...byListing.keys()])
      .orderBy('fundId')
      .orderBy('id')
      .execute();
    for (const { id: listingId, fundId } of funds) {
      const bids = byListing.get(listingId)!;
      await appendAudit(trx, this.h.engine, {
        stream: fundStream(fundId),
        at,
        actorUserId: null,
        actorOrgId: null,
        action,
        entityType: 'listing',
        entityId: listingId,
        payload: { bids },
      });
    }
  }
}
