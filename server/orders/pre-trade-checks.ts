/**
 * Pre-trade checks, outside the book (the book never touches positions or eligibility). They run in
 * this documented order and stop at the first failure, each with its code from api.md:
 *
 *  1. FORBIDDEN              the user may not trade (GP and operator users; a sell needs the seller role, a buy the buyer role)
 *  2. NOT_FOUND              the fund does not exist
 *  3. PRICE_NOT_ON_TICK      price not a multiple of 0.01 percentage point
 *  4. PRICE_OUT_OF_BAND      price outside the platform's band of percent of NAV (a fat-finger guard)
 *  5. INVALID_STATE          the fund has no published NAV report, or its latest gives a NAV of 0, so no consideration
 *                            can be computed
 *  6. QUANTITY_NOT_ON_LOT    quantity (and minQuantity) not a whole number of the fund's lots
 *     VALIDATION_FAILED      quantity above the most lots one order may hold (MAX_ORDER_LOTS) or above the
 *                            fund's total commitment
 *  7. VALIDATION_FAILED      GTD without a future expiresAt, expiresAt on another time in force, AON/min fill on a buy
 *  sells:
 *  8. STATE_OWNED_MUST_LIST  a state-owned holder's shares change hands only through a listing
 *  9. INSUFFICIENT_POSITION  position − open sells − reserved for transfers − pledged < quantity
 * 10. ROUND_TRIP_TOO_SOON    the organisation bought this fund's share within the round-trip window
 *  buys:
 *  8. BUYER_NOT_QUALIFIED    no valid qualified-investor record (unexpired, at or above the thresholds stored with it)
 *  9. BELOW_MIN_HOLDING      a buyer new to the fund would hold less than the minimum holding
 * 10. INVESTOR_CAP_REACHED   a buyer new to the fund, and the fund already has its cap of investors
 * 11. ROUND_TRIP_TOO_SOON    the organisation sold this fund's share within the round-trip window
 * Checks 8 onwards are the rulebook's (shared/rules), on facts read by server/rules/facts.ts, as for
 * listings and transfers.
 */
import { Dec, Rounding, ZERO, type Decimal } from '../../shared/decimal';
import { beijingDate, type WorkingDayCalendar } from '../../shared/calendar';
import {
  buyerVerdict,
  isQualifiedAt,
  sellableVerdict,
  sellerRoundTripVerdict,
  type FundRules,
  type QualificationRecord,
} from '../../shared/rules';
import type { Tx } from '../../db/database';
import type { Fund } from '../../db/schema';
import { AppError } from '../commands/errors';
import { refusal } from '../i18n/refusal';
import type { Principal } from '../auth/tokens';
import { prepared } from '../../db/prepared';
import { latestNavReport } from '../funds/funds.repository';
import { type Memo, qualificationsKey, readBuyerFacts, readInvestorCount, readSellerFacts } from '../rules/facts';
import { enforce } from '../rules/enforce';
import { readOncePerBatch, readUntilWritten } from './batch-reads';
import { navKey, orgKey } from './batch-facts';
import { qualificationRecordsOf } from '../qualifications/qualification-records';
import { MAX_ORDER_LOTS } from './engine';

const organisation = prepared(1, (db, $) => db.selectFrom('organisations').select(['stateOwned']).where('id', '=', $(0)));

export interface OrderRequest {
  fundId: string;
  side: 'buy' | 'sell';
  pricePct: string;
  quantity: string;
  timeInForce: 'GTC' | 'GTD' | 'IOC' | 'FOK';
  expiresAt?: string | undefined;
  allOrNone?: boolean | undefined;
  minQuantity?: string | undefined;
}

export interface CheckedOrder {
  fund: Fund;
  priceTicks: number;
  lots: number;
  minLots: number | null;
  expiresAtMs: number | null;
  quantity: Decimal;
}

/**
 * The platform's price band in percent of NAV (a setting): secondary prices sit far inside it (LP-led
 * deals averaged about 16% below NAV in 2023), so a price outside is a keying error, not a bid.
 */
export const PRICE_BAND_PCT = { min: '1.00', max: '300.00' } as const;

export function wholeLots(q: Decimal, lotSize: Decimal, what: string): number {
  const lots = q.div(lotSize);
  if (!lots.eq(lots.round(0, Rounding.DOWN)) || lots.lt('1')) {
    throw refusal('QUANTITY_NOT_ON_LOT', `${what} ${q.toFixed(0)} is not a whole number of lots of ${lotSize.toFixed(0)}`, {
      quantity: q.toFixed(0),
      lotSize: lotSize.toFixed(0),
    });
  }
  return Number(lots.toFixed(0));
}

/** Check 1: the side needs its role (GP, operator and admin users have neither). */
export function checkTradingRole(who: Principal, side: OrderRequest['side']): void {
  const role = side === 'sell' ? 'seller' : 'buyer';
  if (!who.roles.includes(role)) throw new AppError('FORBIDDEN', `placing a ${side} order needs the ${role} role`);
}

/** Checks 3 and 4: the price on the tick and inside the band; returns it in ticks. */
export function checkPrice(pricePct: string): number {
  const price = new Dec(pricePct);
  const ticks = price.times('100');
  if (!ticks.eq(ticks.round(0, Rounding.DOWN)) || ticks.lte('0'))
    throw new AppError('PRICE_NOT_ON_TICK', 'pricePct must be a positive multiple of 0.01 percentage point');
  if (price.lt(PRICE_BAND_PCT.min) || price.gt(PRICE_BAND_PCT.max)) {
    throw refusal('PRICE_OUT_OF_BAND', `pricePct must be between ${PRICE_BAND_PCT.min} and ${PRICE_BAND_PCT.max} percent of NAV`, {
      min: String(PRICE_BAND_PCT.min),
      max: String(PRICE_BAND_PCT.max),
    });
  }
  return Number(ticks.toFixed(0));
}

/** The organisation's qualified-investor records, read once per batch. */
export function buyerRecords(trx: Tx, orgId: string): Promise<QualificationRecord[]> {
  return readOncePerBatch(trx, qualificationsKey(orgId), () => qualificationRecordsOf(trx, orgId));
}

/** Buys, check 8: an unexpired qualified-investor record at `nowMs`. */
export async function checkBuyerQualified(trx: Tx, orgId: string, nowMs: number): Promise<void> {
  // An organisation has a handful of records; each order compares them with its own time (ISO strings compare as instants).
  const nowIso = new Date(nowMs).toISOString();
  if (!isQualifiedAt(await buyerRecords(trx, orgId), nowIso)) {
    throw new AppError(
      'BUYER_NOT_QUALIFIED',
      'your organisation has no valid qualified-investor record (unexpired, at or above its thresholds)',
    );
  }
}

/**
 * Check 5: the fund has a NAV report, and its latest gives a positive NAV. A price is a percent of NAV: on a NAV of
 * nothing every trade would be for nothing. For a new order, and for an amend that re-prices (it may trade at once).
 */
export async function checkTradableNav(trx: Tx, fund: Fund): Promise<void> {
  const nav = await readOncePerBatch(trx, navKey(fund.id), () => latestNavReport(trx, fund.id));
  if (!nav) throw refusal('INVALID_STATE', `fund ${fund.id} has no published NAV report; it cannot trade yet`, { reason: 'no_nav' });
  if (!new Dec(nav.nav).gt(ZERO))
    throw refusal('INVALID_STATE', `fund ${fund.id}'s latest NAV report gives no positive NAV; it cannot trade on the book`, {
      reason: 'nav_not_positive',
    });
}

/** Checks 3 onwards, for a fund the caller has already found (check 2). */
export async function checkOrder(
  trx: Tx,
  who: Principal,
  req: OrderRequest,
  fund: Fund,
  nowMs: number,
  calendar: WorkingDayCalendar,
): Promise<CheckedOrder> {
  const priceTicks = checkPrice(req.pricePct);
  await checkTradableNav(trx, fund);
  const lotSize = new Dec(fund.lotSize);
  const quantity = new Dec(req.quantity);
  const lots = wholeLots(quantity, lotSize, 'quantity');
  if (lots > MAX_ORDER_LOTS)
    throw new AppError('VALIDATION_FAILED', `quantity is more than ${MAX_ORDER_LOTS} lots of ${lotSize.toFixed(0)}`);
  // Nobody can buy or sell more commitment than the fund has: such an order could only sit as a misleading best bid.
  if (quantity.gt(new Dec(fund.totalCommitment))) {
    throw new AppError(
      'VALIDATION_FAILED',
      `quantity ${quantity.toFixed(0)} is more than the fund's total commitment ${new Dec(fund.totalCommitment).toFixed(0)}`,
      {
        field: 'body.quantity',
        totalCommitment: new Dec(fund.totalCommitment).toFixed(2),
      },
    );
  }
  const minLots = req.minQuantity !== undefined ? wholeLots(new Dec(req.minQuantity), lotSize, 'minQuantity') : null;

  let expiresAtMs: number | null = null;
  if (req.timeInForce === 'GTD') {
    if (!req.expiresAt) throw refusal('VALIDATION_FAILED', 'expiresAt is required for a GTD order', { reason: 'expiry_required' });
    expiresAtMs = Date.parse(req.expiresAt);
    if (!(expiresAtMs > nowMs)) throw refusal('VALIDATION_FAILED', 'expiresAt must be in the future', { reason: 'expiry_past' });
  } else if (req.expiresAt !== undefined) throw new AppError('VALIDATION_FAILED', 'expiresAt is only for GTD orders');
  if (req.side === 'buy' && (req.allOrNone || minLots !== null))
    throw new AppError('VALIDATION_FAILED', 'allOrNone and minQuantity are for sell orders');
  if (req.allOrNone && minLots !== null) throw new AppError('VALIDATION_FAILED', 'give allOrNone or minQuantity, not both');
  if (minLots !== null && minLots > lots) throw new AppError('VALIDATION_FAILED', 'minQuantity cannot exceed quantity');

  const org = await readOncePerBatch(trx, orgKey(who.orgId), () => organisation.first(trx, [who.orgId]));
  if (!org) throw new Error(`organisation ${who.orgId} of a signed-in user does not exist`);
  const rules: FundRules = { minHolding: fund.minHolding, investorCap: fund.investorCap, roundTripWorkingDays: fund.roundTripWorkingDays };
  const tradeDate = beijingDate(nowMs);
  const kept: Memo = (key, read) => readUntilWritten(trx, key, read);
  if (req.side === 'sell') {
    if (org.stateOwned === 1)
      throw new AppError('STATE_OWNED_MUST_LIST', 'state-owned fund shares must be sold through a listing with disclosure and bidding');
    const seller = await readSellerFacts(trx, fund.id, who.orgId, { kept });
    enforce(sellableVerdict(seller.holding, quantity.toFixed(0)));
    enforce(sellerRoundTripVerdict(seller.lastBoughtOn, tradeDate, rules, calendar));
  } else {
    const memo: Memo = (key, read) => readOncePerBatch(trx, key, read);
    const buyer = await readBuyerFacts(trx, fund.id, who.orgId, who.roles, new Date(nowMs).toISOString(), { memo, kept });
    // Each fill is whole lots: a buyer new to the fund must be able to end at or above the minimum after any of them.
    const investorsBefore = new Dec(buyer.holding).eq('0') ? await readInvestorCount(trx, fund.id, memo) : 0;
    enforce(
      buyerVerdict(
        buyer,
        rules,
        {
          quantity: quantity.toFixed(0),
          smallestFill: lotSize.toFixed(0),
          tradeDate,
          investorsBefore,
          placesFreed: 0,
        },
        calendar,
      ),
    );
  }
  return { fund, priceTicks, lots, minLots, expiresAtMs, quantity };
}
