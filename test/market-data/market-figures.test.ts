import { expect } from 'chai';
import { Dec } from '../../shared/decimal';
import {
  marketStats,
  median,
  navTransferredFen,
  pctOfNav,
  priceIndex,
  type DailyTrades,
} from '../../server/market-data/domain/market-figures';

const day = (fundId: string, venue: 'book' | 'listing', date: string, deals: number, cFen: string, navFen: string): DailyTrades => ({
  fundId,
  venue,
  date,
  deals,
  considerationFen: cFen,
  navTransferredFen: navFen,
});
const FUNDS = [
  { id: 'a', strategy: 'growth' as const, vintage: 2021 },
  { id: 'b', strategy: 'venture' as const, vintage: 2019 },
];

describe('market figures (pure)', () => {
  it("rounds a trade's NAV transferred half-up to the fen and the index half-even to 2 decimals", () => {
    expect(navTransferredFen(new Dec('10000000'), new Dec('70.00')).toFixed(0)).to.equal('14285714');
    expect(navTransferredFen(new Dec('1'), new Dec('40.00')).toFixed(0)).to.equal('3'); // 2.5 fen → 3
    expect(pctOfNav(new Dec('78125'), new Dec('100000'))).to.equal('78.12'); // 78.125 → 78.12 (half-even)
    expect(pctOfNav(new Dec('78135'), new Dec('100000'))).to.equal('78.14');
    expect(pctOfNav(new Dec('1'), new Dec('0'))).to.equal(null);
  });

  it('takes the median of counted values, the mean of the middle two for an even total', () => {
    expect(median(new Map())).to.equal(null);
    expect(median(new Map([[7, 1]]))).to.equal(7);
    expect(
      median(
        new Map([
          [3, 2],
          [10, 2],
        ]),
      ),
    ).to.equal(6.5);
    expect(
      median(
        new Map([
          [10, 1],
          [3, 3],
        ]),
      ),
    ).to.equal(3);
  });

  it("starts the index at the first month with a deal and ends at today's month, carrying the last value", () => {
    const points = priceIndex(
      [day('a', 'book', '2026-01-31', 1, '9000', '10000'), day('b', 'listing', '2026-03-02', 2, '16000', '20000')],
      FUNDS,
      {},
      '2026-04-01',
    );
    expect(points).to.deep.equal([
      { month: '2026-01', pctOfNav: '90.00', deals: 1, volume: '90.00', daysSinceLastDeal: 0 },
      { month: '2026-02', pctOfNav: '90.00', deals: 0, volume: '0.00', daysSinceLastDeal: 28 },
      { month: '2026-03', pctOfNav: '80.00', deals: 2, volume: '160.00', daysSinceLastDeal: 29 },
      { month: '2026-04', pctOfNav: '80.00', deals: 0, volume: '0.00', daysSinceLastDeal: 30 },
    ]);
    expect(priceIndex([day('a', 'book', '2026-01-31', 1, '9000', '10000')], FUNDS, { vintageTo: 2020 }, '2026-04-01')).to.deep.equal([]);
  });

  it("takes the median days to complete of the period's completions", () => {
    const s = marketStats(
      [day('a', 'book', '2026-01-05', 1, '100', '125')],
      new Map([
        [12, 3],
        [40, 2],
      ]),
      FUNDS,
      '2026-01-01',
      '2026-01-31',
    );
    expect(s).to.deep.equal({
      deals: 1,
      volume: '1.00',
      medianDaysToComplete: 12,
      byVenue: { book: { deals: 1, volume: '1.00' }, listing: { deals: 0, volume: '0.00' } },
      byStrategy: { growth: { deals: 1, volume: '1.00', pctOfNav: '80.00' } },
    });
  });
});
