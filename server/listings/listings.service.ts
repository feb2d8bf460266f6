/**
 * Listings over HTTP and the database: every change runs the pure core's decide() inside ONE
 * transaction (Idempotency-Key, optimistic version, audit entry, ledger and trade effects), and a
 * scheduler task applies due timers (disclosure ends, bidding opens and closes) as the clock passes.
 */
import crypto from 'node:crypto';
import { beijingDate, type WorkingDayCalendar } from '../../shared/calendar';
import { Dec } from '../../shared/decimal';
import type { DatabaseHandle, Tx } from '../../db/database';
import { appendAudit } from '../audit/audit-log';
import { fundStream } from '../audit/streams';
import type { Principal } from '../auth/tokens';
import type { Clock } from '../clock/clock';
import { iso } from '../clock/clock';
import type { CommandOutcome, CommandRunner } from '../commands';
import { refusal } from '../i18n/refusal';
import { AppError, notFound } from '../commands/errors';
import type { TradeListener } from '../orders/book-effects';
import {
  createListing,
  decide,
  nextTimerAt,
  parseListingCommand,
  publicView,
  recomputeProvisionalDates,
  sealedBidPreimage,
  tick,
  type Actor,
  type Listing,
  type ListingCommand,
  type ListingEvent,
  type ListingState,
  type PublicListingView,
} from './domain';
import { applyListingEffects, applyUnitHold, navBasis, navOfQuantity } from './listings.effects';
import { readPosition } from '../rules/facts';
import { enforce } from '../rules/enforce';
import { parseListing } from './stored-listing';
import { eligibilityOfBuyersIn, listingBuyerEligibility, refuseDefaultWhileTransferDecides } from './listing-eligibility';
import { sellableVerdict } from '../../shared/rules';
import { dueListingIds, earliestTimer, findListing, insertListing, listListings, updateListing } from './listings.repository';
import type { SealedBidVault } from './sealed-bid-vault';
import { bidFingerprintBody, bidsPath } from './sealed-bid-jobs';
import { unsupportedCharacters } from '../pdf';
import { lprInForce } from '../loan-rates/loan-rates.service';
import { sha256Hex } from '../sha256';
import { fundLock, lockInOrder } from '../commands/locks';
import {
  awardOf,
  historyOf,
  registrationsOf,
  seesEverything,
  type AwardView,
  type HistoryEntry,
  type RegistrationRow,
} from './listing-records';

/** The public view plus, where the viewer may read them, the award, the history and the seller's documents. */
export type ListingView = PublicListingView & {
  award?: AwardView;
  history?: HistoryEntry[];
  stateOwnedDocuments?: NonNullable<Listing['stateOwned']>;
};

const actorOf = (p: Principal): Actor => ({ userId: p.userId, orgId: p.orgId, roles: p.roles });

/** Before disclosure starts (and when refused) a listing is the seller's and the exchange's business only. */
const NOT_PUBLIC: ReadonlySet<ListingState> = new Set<ListingState>(['draft', 'submitted', 'reviewed', 'approved', 'rejected']);
/**
 * A withdrawn listing is public only if a disclosure had started by the withdrawal. Approval already
 * sets firstDisclosureStartDate (to the first working day on or after it), so a listing approved on a
 * non-working day and withdrawn before that day was never disclosed. Nothing changes a withdrawn
 * listing afterwards, so its updatedAt is the withdrawal instant; disclosure starts at 00:00 Beijing on
 * its start date (or at approval, if later), so comparing Beijing dates is exact.
 */
const disclosedBeforeWithdrawal = (l: Listing): boolean =>
  l.firstDisclosureStartDate !== null && l.firstDisclosureStartDate <= beijingDate(l.updatedAt);
const isPublic = (l: Listing, state: ListingState): boolean => {
  if (state === 'suspended') return !NOT_PUBLIC.has(l.suspension?.from ?? 'draft');
  if (state === 'withdrawn') return disclosedBeforeWithdrawal(l);
  return !NOT_PUBLIC.has(state);
};
const mayAlwaysSee = (l: Listing, who: Principal): boolean =>
  who.orgId === l.sellerOrgId || who.roles.includes('operator') || who.roles.includes('admin');

/** Actions only the scheduler applies (tickDue): a user never sends them. */
const TIME_DRIVEN = new Set<string>(['tick']);

type Prepared = {
  command: ListingCommand;
  afterSuccess?: (trx: Tx, l: Listing) => Promise<void>;
  /** The rulebook's code for each buyer in (null: eligible), read for the award and its confirmation, and for a bidder. */
  eligibility?: ReadonlyMap<string, string | null>;
};

export class ListingsService {
  private nextTimer: number | null = null;

  constructor(
    private readonly h: DatabaseHandle,
    private readonly clock: Clock,
    private readonly calendar: WorkingDayCalendar,
    private readonly commands: CommandRunner,
    private readonly openTransfer: TradeListener,
    private readonly vault: SealedBidVault,
  ) {}

  async recover(): Promise<void> {
    this.nextTimer = await earliestTimer(this.h.db);
  }

  nextTimerMs(): number | null {
    return this.nextTimer;
  }

  private async view(db: DatabaseHandle['db'] | Tx, l: Listing, who: Principal, now: number): Promise<ListingView> {
    const basis = await navBasis(db, l.fundId);
    const v = publicView(l, actorOf(who), now, { navOfQuantity: navOfQuantity(basis, l.quantity), calendar: this.calendar });
    const award = await awardOf(db, l, who, v.impliedPctOfNav);
    const so = l.stateOwned;
    // The seller's documents are for the exchange's review and the seller itself.
    const documents = so && seesEverything(l, who) ? { stateOwnedDocuments: { ...so } } : {};
    return { ...v, ...(award ? { award } : {}), ...documents };
  }

  /** The view, or null when the viewer may not see the listing (not public yet, and neither its seller nor the exchange). */
  private async visibleView(l: Listing, who: Principal, now: number): Promise<ListingView | null> {
    const v = await this.view(this.h.db, l, who, now);
    return mayAlwaysSee(l, who) || isPublic(l, v.state) ? v : null;
  }

  /** Also decides who may subscribe to `auction:<listingId>` (server/quotes/sources.ts). */
  async get(who: Principal, listingId: string): Promise<ListingView> {
    const found = await findListing(this.h.db, listingId);
    const v = found ? await this.visibleView(found.listing, who, this.clock.now()) : null;
    if (!v) throw notFound('listing');
    return seesEverything(found!.listing, who) ? { ...v, history: await historyOf(this.h.db, listingId) } : v;
  }

  /** GET /api/listings/:listingId/registrations: every row for operators and the seller, a buyer's own otherwise. */
  async registrations(who: Principal, listingId: string): Promise<RegistrationRow[]> {
    const found = await findListing(this.h.db, listingId);
    if (!found || !(await this.visibleView(found.listing, who, this.clock.now()))) throw notFound('listing');
    return registrationsOf(this.h.db, found.listing, who, this.calendar);
  }

  async list(who: Principal): Promise<ListingView[]> {
    const now = this.clock.now();
    const all = await listListings(this.h.db, 500);
    return (await Promise.all(all.map((l) => this.visibleView(l, who, now)))).filter((v): v is ListingView => v !== null);
  }

  async create(who: Principal, body: unknown, idempotencyKey: string | undefined): Promise<CommandOutcome> {
    const now = this.clock.now();
    const out = await this.commands(
      { userId: who.userId, idempotencyKey, fingerprint: { m: 'POST', p: '/api/listings', body }, nowIso: iso(now) },
      async (trx) => {
        const fundId = (body as { fundId?: unknown }).fundId;
        const fund =
          typeof fundId === 'string'
            ? await trx
                .selectFrom('funds')
                .select(['id', 'lotSize'])
                .where('id', '=', fundId)
                .where('state', '=', 'open')
                .executeTakeFirst()
            : undefined;
        if (typeof fundId === 'string' && !fund) throw notFound('fund');
        const org = await trx.selectFrom('organisations').select('stateOwned').where('id', '=', who.orgId).executeTakeFirstOrThrow();
        const r = createListing(body, {
          now,
          actor: actorOf(who),
          listingId: crypto.randomUUID(),
          sellerIsStateOwned: org.stateOwned === 1,
          lpr: await lprInForce(trx, beijingDate(now)),
          ...(fund ? { lotSize: new Dec(fund.lotSize).toFixed(0) } : {}),
        });
        if (!r.ok) throw refusal(r.code, r.detail, r.params);
        // The appraisal reference is printed on the transfer confirmation: a character its font lacks would stop it being issued.
        const so = r.listing.stateOwned;
        const unprintable = so ? unsupportedCharacters([so.appraisalRef, so.appraisalBaseDate].join('\n')) : [];
        if (unprintable.length)
          throw new AppError(
            'VALIDATION_FAILED',
            `stateOwned.appraisalRef: characters the transfer confirmation cannot print: ${unprintable.join(' ')}`,
          );
        await lockInOrder(this.h.engine, trx, fundLock(r.listing.fundId));
        // Units already offered on the book, reserved for a transfer, pledged or held by another listing cannot be listed.
        enforce(sellableVerdict(await readPosition(trx, r.listing.fundId, who.orgId), r.listing.quantity));
        await insertListing(trx, r.listing);
        await this.audit(trx, who, r.listing, 'listing.create', r.events, now);
        return { status: 201, body: await this.view(trx, r.listing, who, now) };
      },
    );
    await this.recover();
    return out;
  }

  /**
   * POST /actions: the command as sent, except qualify (the automatic eligibility checks added here) and award (sealed
   * reveals always from the server's vault: a caller never supplies them). Time-driven commands are the
   * scheduler's; a winner's default while its transfer runs is the transfer workflow's to decide.
   */
  async act(who: Principal, listingId: string, body: unknown, idempotencyKey: string | undefined): Promise<CommandOutcome> {
    return this.run(
      who,
      listingId,
      body,
      idempotencyKey,
      `/api/listings/${listingId}/actions`,
      async (trx, l, now) => {
        const parsed = parseListingCommand(body);
        if (!parsed.ok) throw refusal(parsed.code, parsed.detail, parsed.params);
        const c = parsed.command;
        if (TIME_DRIVEN.has(c.action))
          throw new AppError('VALIDATION_FAILED', `${c.action} is applied by the exchange's scheduler, not sent`);
        if (c.action === 'award' && Object.hasOwn(c, 'reveals'))
          throw new AppError('VALIDATION_FAILED', 'reveals are not accepted: the exchange opens sealed bids from its own records');
        if (c.action === 'record_default') await refuseDefaultWhileTransferDecides(trx, l);
        if (c.action === 'qualify') {
          // An operator's refusal stands as sent (with its reason code, which the core requires): it rests on
          // what only the operator knows, such as the listing's buyer conditions. The automatic checks only
          // ever add a refusal to an operator's yes (or to a qualify without `eligible`), never overturn a no.
          if (c.eligible === false) return { command: c };
          const refusal = await listingBuyerEligibility(trx, l, c.orgId, now, this.calendar);
          return {
            command: { action: 'qualify', orgId: c.orgId, eligible: refusal === null, ...(refusal ? { reasonCode: refusal } : {}) },
          };
        }
        // The winner is rechecked at the award and at its confirmation against what its registration was checked for.
        const eligibility =
          c.action === 'award' || c.action === 'confirm_award' ? await eligibilityOfBuyersIn(trx, l, now, this.calendar) : undefined;
        if (c.action === 'award' && l.method === 'sealed') {
          const boxes = await trx.selectFrom('sealedBidBoxes').select(['bidId', 'box']).where('listingId', '=', l.id).execute();
          const ids = new Set((l.bidding?.bids ?? []).map((b) => b.id));
          const reveals = boxes.filter((v) => ids.has(v.bidId)).map((v) => ({ bidId: v.bidId, ...this.vault.open(l.id, v.bidId, v.box) }));
          return { command: { action: 'award', reveals }, eligibility };
        }
        return { command: c, ...(eligibility ? { eligibility } : {}) };
      },
      200,
      (l, who2, now, trx) => this.view(trx, l, who2, now),
    );
  }

  async register(who: Principal, listingId: string, idempotencyKey: string | undefined): Promise<CommandOutcome> {
    return this.run(
      who,
      listingId,
      { action: 'register' },
      idempotencyKey,
      `/api/listings/${listingId}/registrations`,
      async () => ({ command: { action: 'register' } }),
      201,
      async (l, who2, now, trx) => ({
        registration: (await this.view(trx, l, who2, now)).you,
        listing: await this.view(trx, l, who2, now),
      }),
    );
  }

  async bid(who: Principal, listingId: string, amount: string, idempotencyKey: string | undefined): Promise<CommandOutcome> {
    const bidId = crypto.randomUUID();
    // The fingerprint carries a keyed MAC of the amount, never the amount: it is stored with the
    // Idempotency-Key, and a plain hash of a sealed amount could be reversed by trying the few admissible amounts.
    return this.run(
      who,
      listingId,
      bidFingerprintBody(this.vault, listingId, who.orgId, amount),
      idempotencyKey,
      bidsPath(listingId),
      async (trx, l, now) => {
        // The bidder is rechecked against what its registration was checked for (its record may have lapsed since).
        const eligibility = new Map([[who.orgId, await listingBuyerEligibility(trx, l, who.orgId, now, this.calendar)]]);
        if (l.method !== 'sealed') return { command: { action: 'bid', amount }, eligibility };
        const salt = crypto.randomBytes(16).toString('hex');
        const commitment = sha256Hex(sealedBidPreimage(l.id, who.orgId, amount, salt));
        return {
          // The amount goes along so the core refuses a bid below the ask or off the increment now (the
          // bidder would otherwise lose its deposit at the award); the core checks it and drops it: only
          // the commitment is kept in the listing, the amount and salt only in the vault's box.
          command: { action: 'bid', commitment, amount },
          eligibility,
          afterSuccess: async (trx) => {
            await trx
              .insertInto('sealedBidBoxes')
              .values({
                bidId,
                listingId: l.id,
                orgId: who.orgId,
                box: this.vault.seal(l.id, bidId, { amount, salt }),
                commitment,
                createdAt: iso(now),
              })
              .execute();
          },
        };
      },
      201,
      async (l) => {
        const b = l.bidding?.bids.find((x) => x.id === bidId);
        if (!b) throw new Error('the accepted bid is missing from the listing');
        return {
          bid:
            l.method === 'sealed'
              ? { id: b.id, alias: b.alias, at: iso(b.at), commitment: b.commitment }
              : { id: b.id, amount: b.amount, alias: b.alias, at: iso(b.at) },
        };
      },
      bidId,
    );
  }

  private async run(
    who: Principal,
    listingId: string,
    body: unknown,
    idempotencyKey: string | undefined,
    path: string,
    prepare: (trx: Tx, l: Listing, now: number) => Promise<Prepared>,
    status: number,
    answer: (l: Listing, who: Principal, now: number, trx: Tx) => Promise<unknown>,
    bidId?: string,
  ): Promise<CommandOutcome> {
    const now = this.clock.now();
    const out = await this.commands(
      { userId: who.userId, idempotencyKey, fingerprint: { m: 'POST', p: path, body }, nowIso: iso(now) },
      async (trx) => {
        const unlocked = await findListing(trx, listingId);
        if (!unlocked) throw notFound('listing');
        // The fund first (as the book's batches and transfers do), then the audit chain: position changes serialise.
        await lockInOrder(this.h.engine, trx, fundLock(unlocked.listing.fundId));
        // Read again under the lock (a listing's fund never changes): a command another process committed
        // while this one waited (two bids at once) is then decided on, not refused as a version conflict.
        const found = await findListing(trx, listingId);
        // A listing the caller may not see answers as absent, as get() does: refusing it with its rule
        // (403, 409) would tell that a draft exists.
        if (!found || !(mayAlwaysSee(found.listing, who) || isPublic(found.listing, (await this.view(trx, found.listing, who, now)).state)))
          throw notFound('listing');
        const prepared = await prepare(trx, found.listing, now);
        const r = decide(found.listing, prepared.command, {
          now,
          actor: actorOf(who),
          calendar: this.calendar,
          commitmentHash: sha256Hex,
          ...(bidId ? { ids: { bidId } } : {}),
          ...(prepared.eligibility ? { eligibilityOf: (orgId: string) => prepared.eligibility!.get(orgId) ?? null } : {}),
        });
        if (!r.ok) throw refusal(r.code, r.detail, r.params);
        if (!(await updateListing(trx, r.listing, found.version))) throw new AppError('CONFLICT', 'the listing changed meanwhile; retry');
        await applyUnitHold(trx, found.listing.state, r.listing);
        await prepared.afterSuccess?.(trx, r.listing);
        const { trades } = await applyListingEffects(trx, r.events, this.openTransfer, r.listing.sellerOrgId);
        await this.audit(
          trx,
          who,
          r.listing,
          `listing.${prepared.command.action}`,
          r.events,
          now,
          trades.map((t) => t.id),
        );
        return { status, body: await answer(r.listing, who, now, trx) };
      },
    );
    await this.recover();
    return out;
  }

  /**
   * record_default is refused while the award's transfer runs or has completed: the transfer decides a default (and reopens the listing
   * itself).
   */
  private async audit(
    trx: Tx,
    who: Principal | null,
    l: Listing,
    action: string,
    events: readonly ListingEvent[],
    now: number,
    tradeIds: string[] = [],
  ) {
    await appendAudit(trx, this.h.engine, {
      stream: fundStream(l.fundId),
      at: iso(now),
      actorUserId: who?.userId ?? null,
      actorOrgId: who?.orgId ?? null,
      action,
      entityType: 'listing',
      entityId: l.id,
      payload: { state: l.state, events, ...(tradeIds.length ? { tradeIds } : {}) },
    });
  }

  /**
   * An operator approved the official schedule of a year (CalendarService.onYearApproved), in the
   * approval's transaction: every running listing with a provisional date (disclosure end, result
   * publication end) has it counted again on `official`, each change with an audit entry by the approver
   * (what the listing's history shows). The funds' locks are taken first, in order, before any audit entry
   * (a fund's lock also guards its audit stream); this listener runs before the transfers'.
   */
  async recomputeProvisionalDates(
    trx: Tx,
    official: WorkingDayCalendar,
    year: number,
    by: { userId: string; orgId: string },
    nowIso: string,
  ): Promise<number> {
    const now = Date.parse(nowIso);
    const rows = await trx
      .selectFrom('listings')
      .select(['id', 'fundId', 'data'])
      .where('state', 'not in', ['draft', 'withdrawn', 'rejected', 'ended'])
      .orderBy('id')
      .execute();
    const affected = rows.filter((r) => recomputeProvisionalDates(parseListing(r.data), now, this.calendar, official) !== null);
    await lockInOrder(this.h.engine, trx, ...[...new Set(affected.map((r) => r.fundId))].map(fundLock));
    let changed = 0;
    for (const { id } of affected) {
      const found = await findListing(trx, id);
      const r = found ? recomputeProvisionalDates(found.listing, now, this.calendar, official) : null;
      if (!found || !r) continue;
      if (!(await updateListing(trx, r.listing, found.version))) {
        throw new AppError('CONFLICT', `listing ${id} changed meanwhile; approve again`);
      }
      await appendAudit(trx, this.h.engine, {
        stream: fundStream(found.listing.fundId),
        at: nowIso,
        actorUserId: by.userId,
        actorOrgId: by.orgId,
        action: 'listing.recompute_dates',
        entityType: 'listing',
        entityId: id,
        payload: { calendarYear: year, changes: r.changes, state: r.listing.state },
      });
      // Before the commit: should it roll back, the scheduler only looks once too early.
      const at = nextTimerAt(r.listing);
      if (at !== null) this.nextTimer = this.nextTimer === null ? at : Math.min(this.nextTimer, at);
      changed++;
    }
    return changed;
  }

  /** Scheduler task: applies the timers due now, one listing per transaction, and records the events. */
  async tickDue(): Promise<void> {
    const now = this.clock.now();
    for (const id of await dueListingIds(this.h.db, iso(now))) {
      await this.h.db.transaction().execute(async (trx) => {
        const unlocked = await findListing(trx, id);
        if (!unlocked) return;
        await lockInOrder(this.h.engine, trx, fundLock(unlocked.listing.fundId));
        // Read again under the lock: what another process's command or tick committed meanwhile counts.
        const found = await findListing(trx, id);
        if (!found) return;
        const r = tick(found.listing, now, this.calendar);
        if (r.events.length === 0) {
          // Nothing was due after all (a stale timer column): rewrite once so next_timer_at is recomputed.
          if (nextTimerAt(r.listing) !== nextTimerAt(found.listing) || (nextTimerAt(r.listing) ?? Infinity) > now)
            await updateListing(trx, r.listing, found.version);
          return;
        }
        if (!(await updateListing(trx, r.listing, found.version))) return; // a command got there first; it applied the timers itself
        await applyUnitHold(trx, found.listing.state, r.listing);
        const { trades } = await applyListingEffects(trx, r.events, this.openTransfer, r.listing.sellerOrgId);
        await this.audit(
          trx,
          null,
          r.listing,
          'listing.tick',
          r.events,
          now,
          trades.map((t) => t.id),
        );
      });
    }
    await this.recover();
  }
}
