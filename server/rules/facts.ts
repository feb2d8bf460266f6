/**
 * The one reader of the facts the rulebook (shared/rules) decides on, for every venue: a buyer's
 * qualification records, holding and last sale; a seller's holding and last purchase; the fund's terms
 * and its investors. A venue that reads facts often in one transaction (the book's batches) passes a
 * memo, so each is read once per batch.
 */
import { together } from '../../db/together';
import { beijingDate } from '../../shared/calendar';
import { qualificationRecordsOf } from '../qualifications/qualification-records';
import { type BuyerFacts, type FundRules, type HoldingFacts, isQualifiedAt } from '../../shared/rules';
import type { ExpressionBuilder } from 'kysely';
import type { Db, Tx } from '../../db/database';
import type { Database } from '../../db/schema';
import { prepared } from '../../db/prepared';

/** Reads through a per-transaction memo, or directly. */
export type Memo = <T>(key: string, read: () => Promise<T>) => Promise<T>;
const direct: Memo = (_key, read) => read();

/** Transfers that ended without moving units: their trades never made anyone acquire or dispose. */
const UNDONE_STATES = ['refused', 'rejected', 'failed'] as const;

/** The trade being decided (a transfer's): later trades, and the trade itself, are not "earlier trades". */
export interface Before {
  tradeId: string;
  executedAt: string;
}
const NO_TRADE: Before = { tradeId: '', executedAt: '9999-12-31T23:59:59.999Z' };

const positionOf = prepared(2, (db, $) =>
  db
    .selectFrom('positions')
    .select(['commitment', 'onOffer', 'reserved', 'pledged', 'lastBoughtAt', 'lastSoldAt'])
    .where('fundId', '=', $(0))
    .where('orgId', '=', $(1)),
);
const lastTrade = (column: 'trades.buyerOrgId' | 'trades.sellerOrgId') =>
  prepared(4, (db, $) =>
    db
      .selectFrom('trades')
      .leftJoin('transfers', 'transfers.id', 'trades.transferId')
      .select('trades.executedAt')
      .where('trades.fundId', '=', $(0))
      .where(column, '=', $(1))
      .where('trades.id', '!=', $(2))
      .where('trades.executedAt', '<=', $(3))
      .where((eb) => eb.or([eb('transfers.state', 'is', null), eb('transfers.state', 'not in', [...UNDONE_STATES])]))
      .orderBy('trades.executedAt', 'desc')
      .limit(1),
  );
const lastAsBuyer = lastTrade('trades.buyerOrgId');
const lastAsSeller = lastTrade('trades.sellerOrgId');
const fundTerms = prepared(1, (db, $) =>
  db.selectFrom('funds').select(['minHolding', 'investorCap', 'roundTripWorkingDays']).where('id', '=', $(0)),
);
const investors = prepared(1, (db, $) =>
  db
    .selectFrom('positions')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('fundId', '=', $(0))
    .where('commitment', '!=', '0.00'),
);
/** Investors of several funds, in one statement (a fund without any has no row). */
export const investorCounts = prepared(1, (db, $) =>
  db
    .selectFrom('positions')
    .select(['fundId', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('fundId', 'in', $.each(0))
    .where('commitment', '!=', '0.00')
    .groupBy('fundId'),
);

const dateOf = (isoInstant: string | null | undefined): string | null => (isoInstant ? beijingDate(Date.parse(isoInstant)) : null);
const later = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : b > a ? b : a);

type Position = {
  commitment: string;
  onOffer: string;
  reserved: string;
  pledged: string;
  lastBoughtAt: string | null;
  lastSoldAt: string | null;
};

export async function readPosition(db: Db | Tx, fundId: string, orgId: string): Promise<Position | undefined> {
  return positionOf.first(db, [fundId, orgId]);
}

/** The key of a fund's investor count in a memo (read once per batch, as a batch may read it ahead). */
export const investorsKey = (fundId: string) => `investors:${fundId}`;

/** The key of an organisation's qualification records in a memo (read once per batch, as a batch may read them ahead). */
export const qualificationsKey = (orgId: string) => `qualifications:${orgId}`;

/** Keys of a position's and of its last trades' reads in a batch's memo; a fund's all start with `factsOfFund`. */
export const factsOfFund = (fundId: string) => `facts|${fundId}|`;
export const positionKey = (fundId: string, orgId: string) => `${factsOfFund(fundId)}position|${orgId}|`;
const lastTradeKey = (fundId: string, orgId: string, side: 'buyer' | 'seller') => `${factsOfFund(fundId)}last-${side}|${orgId}|`;

/** (fund, organisation) IN ((…), …) over a list argument of [fundId, orgId] tuples; the builder's tuple types are per column. */
const inPairs = (cols: [string, string], pairs: unknown[][]) =>
  ((eb: ExpressionBuilder<Database, keyof Database>) =>
    eb(
      eb.refTuple(...(cols as [never, never])),
      'in',
      pairs.map(([fundId, orgId]) => eb.tuple(fundId as never, orgId as never)),
    )) as never;

const positionsOfPairs = prepared(1, (db, $) =>
  db
    .selectFrom('positions')
    .select(['fundId', 'orgId', 'commitment', 'onOffer', 'reserved', 'pledged', 'lastBoughtAt', 'lastSoldAt'])
    .where(inPairs(['fundId', 'orgId'], $.tuples(0, 2))),
);

/** The last trade, not undone, of each (fund, organisation) pair as buyer or as seller. */
const lastTradesAs = (column: 'trades.buyerOrgId' | 'trades.sellerOrgId') =>
  prepared(1, (db, $) =>
    db
      .selectFrom('trades')
      .leftJoin('transfers', 'transfers.id', 'trades.transferId')
      .select(['trades.fundId', `${column} as orgId`, (eb) => eb.fn.max('trades.executedAt').as('executedAt')])
      .where(inPairs(['trades.fundId', column], $.tuples(0, 2)))
      .where((eb) => eb.or([eb('transfers.state', 'is', null), eb('transfers.state', 'not in', [...UNDONE_STATES])]))
      .groupBy(['trades.fundId', column]),
  );
const lastTradesOfPairs = { buyer: lastTradesAs('trades.buyerOrgId'), seller: lastTradesAs('trades.sellerOrgId') };

/**
 * Reads ahead, in at most three statements, the positions of many (fund, organisation) pairs and the
 * last trades the rulebook asks for (a buyer's last sale, a seller's last purchase; undone transfers
 * ignored), and keeps each as readBuyerFacts and readSellerFacts would read it with `kept` and no `before`.
 */
export async function readFactsAhead(
  trx: Tx,
  pairs: readonly { fundId: string; orgId: string; side: 'buy' | 'sell' }[],
  keep: (key: string, value: unknown) => void,
): Promise<void> {
  if (!pairs.length) return;
  const readPositions = async () => {
    const positions = await positionsOfPairs.all(trx, [pairs.map((p) => [p.fundId, p.orgId])]);
    for (const p of pairs) keep(positionKey(p.fundId, p.orgId), undefined);
    for (const { fundId, orgId, ...pos } of positions) keep(positionKey(fundId, orgId), pos);
  };
  const readLastTrades = async (side: 'buyer' | 'seller') => {
    // A seller's last purchase (as buyer), a buyer's last sale (as seller).
    const asked = pairs.filter((p) => (p.side === 'sell') === (side === 'buyer'));
    if (!asked.length) return;
    const last = await lastTradesOfPairs[side].all(trx, [asked.map((p) => [p.fundId, p.orgId])]);
    for (const p of asked) keep(lastTradeKey(p.fundId, p.orgId, side), undefined);
    for (const t of last) keep(lastTradeKey(t.fundId, t.orgId as string, side), { executedAt: t.executedAt });
  };
  // Independent reads keeping different keys, started together (DbEngine.batchTransaction: one round trip).
  await together([readPositions(), readLastTrades('buyer'), readLastTrades('seller')]);
}

/**
 * The last Beijing date `orgId` acquired (side 'buyer') or disposed of (side 'seller') a share of the
 * fund: the later of its position's record (ownership changes) and its trades whose transfers were
 * not undone, before the trade being decided.
 */
async function lastTradedOn(
  db: Db | Tx,
  fundId: string,
  orgId: string,
  side: 'buyer' | 'seller',
  pos: Position | undefined,
  before: Before,
  kept: Memo,
) {
  const read = () => (side === 'buyer' ? lastAsBuyer : lastAsSeller).first(db, [fundId, orgId, before.tradeId, before.executedAt]);
  const trade = await (before === NO_TRADE ? kept(lastTradeKey(fundId, orgId, side), read) : read());
  return later(dateOf(side === 'buyer' ? pos?.lastBoughtAt : pos?.lastSoldAt), dateOf(trade?.executedAt));
}

export async function readFundRules(db: Db | Tx, fundId: string, memo: Memo = direct): Promise<FundRules> {
  const f = await memo(`fund-rules:${fundId}`, () => fundTerms.first(db, [fundId]));
  if (!f) throw new Error(`fund ${fundId} not found`);
  return f;
}

export async function readInvestorCount(db: Db | Tx, fundId: string, memo: Memo = direct): Promise<number> {
  return Number((await memo(investorsKey(fundId), () => investors.first(db, [fundId])))?.n ?? 0);
}

/** A buyer's facts at the instant `at` (ISO): its qualification then, its holding and last sale now. */
export async function readBuyerFacts(
  db: Db | Tx,
  fundId: string,
  orgId: string,
  roles: readonly string[] | null,
  at: string,
  opts: { memo?: Memo; kept?: Memo; before?: Before } = {},
): Promise<BuyerFacts> {
  const memo = opts.memo ?? direct;
  const kept = opts.kept ?? direct;
  const pos = await kept(positionKey(fundId, orgId), () => readPosition(db, fundId, orgId));
  return {
    roles,
    qualified: isQualifiedAt(await memo(qualificationsKey(orgId), () => qualificationRecordsOf(db, orgId)), at),
    holding: pos?.commitment ?? '0',
    lastSoldOn: await lastTradedOn(db, fundId, orgId, 'seller', pos, opts.before ?? NO_TRADE, kept),
  };
}

export interface SellerFacts {
  holding: HoldingFacts | undefined;
  lastBoughtOn: string | null;
}

/**
 * `kept`: a memo of reads kept until the caller writes what they read (the book's batches, which forget
 * a fund's facts when they change them, orders/batch-reads.ts); keys from positionKey and factsOfFund.
 */
export async function readSellerFacts(
  db: Db | Tx,
  fundId: string,
  orgId: string,
  opts: { kept?: Memo; before?: Before } = {},
): Promise<SellerFacts> {
  const kept = opts.kept ?? direct;
  const pos = await kept(positionKey(fundId, orgId), () => readPosition(db, fundId, orgId));
  return { holding: pos, lastBoughtOn: await lastTradedOn(db, fundId, orgId, 'buyer', pos, opts.before ?? NO_TRADE, kept) };
}
