/**
 * Listings on the `user` channels: a page showing a listing (the seller's desk, an operator's, a
 * registrant's) reloads when something it may read of it changes, rather than at its next poll. The
 * operators hear of every change, and so does the seller's organisation: it reads every step in the
 * listing's history but bids, and every bid shows in the view it shares with everyone (by alias and amount
 * in an open auction, as the count of sealed bids in a sealed one). A registrant hears of a change only when
 * what it may read differs between the version before and the version after: the listing's view and its own
 * registration row. So the seller's answer on one registrant, or one registrant's deposit, tells the other
 * registrants nothing. The notice carries no time: when it is sent is all it says.
 *
 * Both versions are read from the listing rows themselves (no query per organisation): the versions of
 * the listings not yet ended are kept from the start, and a listing first seen after it (created since)
 * notifies its organisations of its first change.
 */
import type { WorkingDayCalendar } from '../../shared/calendar';
import type { Db } from '../../db/database';
import type { Principal } from '../auth/tokens';
import type { Clock } from '../clock/clock';
import { type Listing, publicView } from '../listings/domain';
import { registrationRows } from '../listings/listing-records';
import { parseListing } from '../listings/stored-listing';
import { VersionWatcher } from './channel-data';

interface ListingChange {
  id: string;
  fundId: string;
  state: string;
  updatedAt: string;
  version: number;
  data: string;
}

class ListingWatcher extends VersionWatcher<ListingChange> {
  private q() {
    return this.db.selectFrom('listings').select(['id', 'fundId', 'state', 'updatedAt', 'version', 'data']);
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

type Role = 'operator' | 'seller' | 'buyer';

/** One notice: the `user` channel key it goes to and its event. */
export interface ListingNotice {
  key: string;
  event: { kind: 'listing'; listing: { id: string; fundId: string; role: Role } };
}

/** States after which a listing no longer changes: its last version is no longer kept. */
const FINAL_STATES = ['withdrawn', 'rejected', 'ended'] as const;
const isFinal = (state: string): boolean => (FINAL_STATES as readonly string[]).includes(state);

/** Organisations' names do not change with a listing: left out of the comparison. */
const NO_NAMES: ReadonlyMap<string, string> = new Map();

export class ListingNotices {
  private readonly watcher: ListingWatcher;
  /** The last version seen of each listing not yet ended, as stored. */
  private readonly lastData = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly calendar: WorkingDayCalendar,
    private readonly operatorsKey: string,
  ) {
    this.watcher = new ListingWatcher(db);
  }

  /**
   * Keeps the versions of the listings not yet ended, then starts watching. A change committed in between is
   * compared with the version kept before it, which only makes its notice cover more.
   */
  async prime(): Promise<void> {
    const rows = await this.db
      .selectFrom('listings')
      .select(['id', 'data'])
      .where('state', 'not in', [...FINAL_STATES])
      .execute();
    for (const r of rows) this.lastData.set(r.id, r.data);
    await this.watcher.prime();
  }

  /** The notices for the listings changed since the last look; `listening` says which `user` channel keys have subscribers. */
  async changes(listening: (key: string) => boolean): Promise<ListingNotice[]> {
    const out: ListingNotice[] = [];
    const now = this.clock.now();
    for (const row of await this.watcher.changes()) {
      const before = this.lastData.get(row.id);
      if (isFinal(row.state)) this.lastData.delete(row.id);
      else this.lastData.set(row.id, row.data);
      const notice = (key: string, role: Role): ListingNotice => ({
        key,
        event: { kind: 'listing', listing: { id: row.id, fundId: row.fundId, role } },
      });
      if (listening(this.operatorsKey)) out.push(notice(this.operatorsKey, 'operator'));
      let after: Listing;
      let prior: Listing | null;
      try {
        after = parseListing(row.data);
        prior = before === undefined ? null : parseListing(before);
      } catch {
        continue; // an unreadable version must not cost the others their notices
      }
      const orgs = new Map<string, Role>([...after.buyers.map((b): [string, Role] => [b.orgId, 'buyer']), [after.sellerOrgId, 'seller']]);
      for (const [orgId, role] of orgs) {
        if (!listening(`user:${orgId}`)) continue;
        if (role === 'buyer' && prior && this.readAs(prior, orgId, now) === this.readAs(after, orgId, now)) continue;
        out.push(notice(`user:${orgId}`, role));
      }
    }
    return out;
  }

  /** What a registrant's members (no exchange role) may read of this version of the listing at `now`. */
  private readAs(l: Listing, orgId: string, now: number): string {
    const member: Principal = { userId: '', username: '', orgId, orgName: '', roles: [] };
    // closesInMs counts down by itself: it is not a change.
    const { closesInMs: _ticking, ...view } = publicView(l, { orgId }, now, { calendar: this.calendar });
    return JSON.stringify([view, registrationRows(l, member, this.calendar, NO_NAMES)]);
  }
}
