import { expect } from 'chai';
import { backfillMarketSummary } from '../../db/migrations/0015_market_summary';
import { median, navTransferredFen } from '../../server/market-data/domain/market-figures';
import { beijingDate, toDayNumber } from '../../shared/calendar';
import { Dec, type Decimal, HUNDRED, ZERO } from '../../shared/decimal';
import { describeEachDatabase } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';

const CLOCK_START = '2026-09-14T06:00:00.000Z';

describeEachDatabase('the public market summary kept in the writers’ transactions', (kind) => {
  let t: TestExchange;
  before(async function () {
    this.timeout(180_000);
    // The full demo market: both venues' trades over 180 days and completed transfers, all through the services.
    t = await startTestExchange(kind, { DEMO_MARKET: 'full', CLOCK: 'simulated', CLOCK_START });
  });
  after(async () => {
    await t?.stop();
  });

  /** The summary as stored, in a stable order, fen sums as strings. */
  const stored = async () => {
    const db = t.exchange.handle.db;
    const days = await db.selectFrom('marketDays').selectAll().execute();
    const done = await db.selectFrom('marketCompletions').selectAll().execute();
    return {
      days: days
        .map((d) => [d.date, d.venue, d.fundId, Number(d.deals), String(d.considerationFen), String(d.navTransferredFen)].join(' '))
        .sort(),
      completions: done.map((c) => [c.tradeDate, Number(c.days), Number(c.count)].join(' ')).sort(),
    };
  };

  /** The same figures recomputed from every trade and completed transfer, with big.js per trade. */
  const recomputed = async () => {
    const db = t.exchange.handle.db;
    const trades = await db.selectFrom('trades').select(['fundId', 'venue', 'consideration', 'pricePct', 'executedAt']).execute();
    const days = new Map<string, { deals: number; c: Decimal; nav: Decimal }>();
    for (const tr of trades) {
      const key = [beijingDate(Date.parse(tr.executedAt)), tr.venue, tr.fundId].join(' ');
      const fen = new Dec(tr.consideration).times(HUNDRED);
      const d = days.get(key) ?? { deals: 0, c: ZERO, nav: ZERO };
      days.set(key, { deals: d.deals + 1, c: d.c.plus(fen), nav: d.nav.plus(navTransferredFen(fen, new Dec(tr.pricePct))) });
    }
    const transfers = await db.selectFrom('transfers').select(['openedAt', 'updatedAt']).where('state', '=', 'completed').execute();
    const done = new Map<string, number>();
    for (const x of transfers) {
      const tradeDate = beijingDate(Date.parse(x.openedAt));
      const key = [tradeDate, toDayNumber(beijingDate(Date.parse(x.updatedAt))) - toDayNumber(tradeDate)].join(' ');
      done.set(key, (done.get(key) ?? 0) + 1);
    }
    return {
      days: [...days].map(([k, d]) => [k, d.deals, d.c.toFixed(0), d.nav.toFixed(0)].join(' ')).sort(),
      completions: [...done].map(([k, n]) => `${k} ${n}`).sort(),
      venues: new Set(trades.map((tr) => tr.venue)),
    };
  };

  it('equals a recomputation from the trades and completed transfers after a mixed workload of both venues', async () => {
    const again = await recomputed();
    expect([...again.venues].sort()).to.deep.equal(['book', 'listing']);
    expect(again.completions).to.not.be.empty;
    expect(await stored()).to.deep.equal({ days: again.days, completions: again.completions });
  });

  it('gives the statistics the median days to complete of the completions whose trade fell in the period', async () => {
    const db = t.exchange.handle.db;
    const transfers = await db.selectFrom('transfers').select(['openedAt', 'updatedAt']).where('state', '=', 'completed').execute();
    const dates = transfers.map((x) => beijingDate(Date.parse(x.openedAt))).sort();
    const [from, to] = [dates[0]!, dates[Math.floor(dates.length / 2)]!];
    const durations = new Map<number, number>();
    for (const x of transfers) {
      const tradeDate = beijingDate(Date.parse(x.openedAt));
      if (tradeDate < from || tradeDate > to) continue;
      const days = toDayNumber(beijingDate(Date.parse(x.updatedAt))) - toDayNumber(tradeDate);
      durations.set(days, (durations.get(days) ?? 0) + 1);
    }
    const r = await t.call('GET', `/api/public/market/stats?from=${from}&to=${to}`);
    expect(r.status).to.equal(200);
    expect(r.body.medianDaysToComplete).to.equal(median(durations)).and.to.be.a('number');
  });

  it('is rebuilt identically by the migration’s backfill from the stored trades and transfers', async () => {
    const before = await stored();
    const db = t.exchange.handle.db;
    await db.deleteFrom('marketDays').execute();
    await db.deleteFrom('marketCompletions').execute();
    await backfillMarketSummary(db);
    expect(await stored()).to.deep.equal(before);
  });
});
