/**
 * Listings on the `user` channels: a page showing a listing (the seller's desk, an operator's, a
 * registrant's) reloads when something it may read of it changes, rather than at its next poll. The
 * operators hear of every change (they read everything). An organisation concerned — the seller, each
 * registrant — hears of a change only when what it may read changed: its listing view and its
 * registrations as REST would answer them now. So a sealed bid, which neither the seller nor the other
 * bidders may see, tells them nothing, not even that it happened; nor does one registrant's deposit
 * tell another.
 */
import type { Db } from '../../db/database';
import type { Principal } from '../auth/tokens';
import type { ListingsService } from '../listings/listings.service';
import { parseListing } from '../listings/stored-listing';
import { VersionWatcher } from './channel-data';

interface ListingChange {
  id: string;
  fundId: string;
  sellerOrgId: string;
  state: string;
  updatedAt: string;
  version: number;
  data: string;
}

class ListingWatcher extends VersionWatcher<ListingChange> {
  private q() {
    return this.db.selectFrom('listings').select(['id', 'fundId', 'sellerOrgId', 'state', 'updatedAt', 'version', 'data']);
  }
  protected newest() {
    return this.q().orderBy('updatedAt', 'desc').limit(1).executeTakeFirst();
  }
  protected fetchAt(stamp: string, afterKey: string, limit: number) {
    return this.q().where('updatedAt', '=', stamp).where('id', '>', afterKey).orderBy('id').limit(limit).execute();
  }
  protected fetchAfter(stamp: string, limit: number) {
    return this.q().where('updatedAt', '>', stamp).orderBy('updatedAt').orderBy('id').limit(limit).execute();
  }
}

/** One notice: the `user` channel key it goes to and its event. */
export interface ListingNotice {
  key: string;
  event: {
    kind: 'listing';
    listing: { id: string; fundId: string; state: string; updatedAt: string; role: 'operator' | 'seller' | 'buyer' };
  };
}

/** States after which nothing of the listing changes for its organisations: their last reads are forgotten. */
const FINAL_STATES = new Set(['withdrawn', 'rejected', 'ended']);

export class ListingNotices {
  private readonly watcher: ListingWatcher;
  /** Per listing and organisation: what it could read at the last look, as JSON. */
  private readonly lastRead = new Map<string, string>();

  constructor(
    db: Db,
    private readonly listings: ListingsService,
    private readonly operatorsKey: string,
  ) {
    this.watcher = new ListingWatcher(db);
  }

  prime(): Promise<void> {
    return this.watcher.prime();
  }

  /** The notices for the listings changed since the last look; `listening` says which `user` channel keys have subscribers. */
  async changes(listening: (key: string) => boolean): Promise<ListingNotice[]> {
    const out: ListingNotice[] = [];
    for (const row of await this.watcher.changes()) {
      const notice = (key: string, role: 'operator' | 'seller' | 'buyer'): ListingNotice => ({
        key,
        event: { kind: 'listing', listing: { id: row.id, fundId: row.fundId, state: row.state, updatedAt: row.updatedAt, role } },
      });
      if (listening(this.operatorsKey)) out.push(notice(this.operatorsKey, 'operator'));
      let orgs: [string, 'seller' | 'buyer'][];
      try {
        orgs = [[row.sellerOrgId, 'seller'], ...parseListing(row.data).buyers.map((b) => [b.orgId, 'buyer'] as [string, 'buyer'])];
      } catch {
        continue; // an unreadable row must not cost the others their notices
      }
      for (const [orgId, role] of orgs) {
        const seen = `${row.id}|${orgId}`;
        if (FINAL_STATES.has(row.state)) this.lastRead.delete(seen);
        if (!listening(`user:${orgId}`)) continue;
        const read = await this.readAs(orgId, row.id);
        if (read === this.lastRead.get(seen)) continue;
        if (!FINAL_STATES.has(row.state)) this.lastRead.set(seen, read);
        out.push(notice(`user:${orgId}`, role));
      }
    }
    return out;
  }

  /** What any member of the organisation (no exchange role) reads of the listing now: its view and its registrations. */
  private async readAs(orgId: string, listingId: string): Promise<string> {
    const member: Principal = { userId: '', username: '', orgId, orgName: '', roles: [] };
    try {
      // closesInMs counts down by itself: it is not a change.
      const { closesInMs: _ticking, ...view } = await this.listings.get(member, listingId);
      return JSON.stringify([view, await this.listings.registrations(member, listingId)]);
    } catch {
      return 'not visible';
    }
  }
}
