import { expect } from 'chai';
import { steps, valuationResult, type Names } from '../../server/transfers/confirmation/data';
import type { Listing } from '../../server/listings/domain';
import { bookTrade, listingAward, open } from './fixtures';

const stateOwned = {
  stateOwned: {
    resolutionRef: 'R-1',
    approvalRef: 'A-1',
    appraisalRef: 'PG-2026-017',
    appraisalValue: '5000000.00',
    appraisalBaseDate: '2025-12-31',
    belowNinetyApprovalRef: null,
  },
} as unknown as Listing;

describe("the confirmation's valuation line", () => {
  it('for a state-owned listing gives the filed appraisal, its report and base date, before the NAV', () => {
    const line = valuationResult(open(listingAward()), '4700000.00', '2025-12-31', stateOwned);
    const [appraisal, nav] = line.split('\n');
    expect(appraisal).to.contain('经备案的评估值').and.contain('5,000,000.00').and.contain('PG-2026-017').and.contain('2025-12-31');
    expect(nav).to.contain('基金份额净值').and.contain('4,700,000.00');
  });

  it('for a book trade, or a listing without state-owned details, gives the NAV only', () => {
    for (const [t, listing] of [
      [open(bookTrade()), null],
      [open(listingAward()), { stateOwned: null } as unknown as Listing],
    ] as const) {
      const line = valuationResult(t, '4700000.00', '2025-12-31', listing);
      expect(line).to.not.contain('评估值');
      expect(line).to.contain('4,700,000.00').and.contain('NAV attributable');
    }
  });
});

describe("the confirmation's valuation line, with a reference the font cannot print", () => {
  it('prints a question mark for each such character instead of refusing the whole confirmation', () => {
    const odd = {
      stateOwned: {
        resolutionRef: 'R',
        approvalRef: 'A',
        appraisalRef: 'PG-😀-1',
        appraisalValue: '1.00',
        appraisalBaseDate: '2025-12-31',
        belowNinetyApprovalRef: null,
      },
    } as unknown as Listing;
    const line = valuationResult(open(listingAward()), '4700000.00', '2025-12-31', odd);
    expect(line).to.contain('PG-?-1').and.not.contain('😀');
  });

  it('prints a question mark for a control character too (references typed before they were checked on entry)', () => {
    const odd = {
      stateOwned: {
        resolutionRef: 'R',
        approvalRef: 'A',
        appraisalRef: 'PG-\u0007-2',
        appraisalValue: '1.00',
        appraisalBaseDate: '2025-12-31',
        belowNinetyApprovalRef: null,
      },
    } as unknown as Listing;
    const line = valuationResult(open(listingAward()), '4700000.00', '2025-12-31', odd);
    expect(line).to.contain('PG-?-2').and.not.contain('\u0007');
  });
});

describe("the confirmation's workflow record", () => {
  it("names every operator who confirmed a leg's payment, not only the last one", () => {
    const t = open(bookTrade());
    const legs = [0, 1].map((i) => ({
      ...t.allocations[0]!,
      buyerOrgId: `org-leg-${i}`,
      payment: { bankRef: `BR-${i}`, at: `2026-03-0${3 + i}T02:00:00.000Z`, by: `user-operator${i + 1}` },
    }));
    const paid = {
      ...t,
      allocations: legs,
      steps: t.steps.map((s) =>
        s.name === 'payment'
          ? { ...s, state: 'done' as const, at: '2026-03-04T02:00:00.000Z', by: { userId: 'user-operator2', orgId: 'org-exchange' } }
          : s,
      ),
    };
    const names: Names = {
      orgs: new Map([['org-exchange', { name: '北京股权交易中心', nameEn: 'Exchange' }]]),
      users: new Map([
        ['user-operator1', '孙悦 Sun Yue'],
        ['user-operator2', '周婷 Zhou Ting'],
      ]),
      fund: { name: 'F', nameEn: 'F' },
    };
    const payment = steps(paid, names).find((s) => s.result?.includes('BR-0'));
    expect(payment?.actor).to.equal('孙悦 Sun Yue、周婷 Zhou Ting（北京股权交易中心）');
  });
});
