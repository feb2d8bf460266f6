import { expect } from 'chai';
import { valuationResult } from '../../server/transfers/confirmation/data';
import type { Listing } from '../../server/listings/domain';
import { bookTrade, listingAward, open } from './fixtures';

const stateOwned = { stateOwned: { resolutionRef: 'R-1', approvalRef: 'A-1', appraisalRef: 'PG-2026-017', appraisalValue: '5000000.00', appraisalBaseDate: '2025-12-31', belowNinetyApprovalRef: null } } as unknown as Listing;

describe('the confirmation\'s valuation line', () => {
  it('for a state-owned listing gives the filed appraisal, its report and base date, before the NAV', () => {
    const line = valuationResult(open(listingAward()), '4700000.00', '2025-12-31', stateOwned);
    const [appraisal, nav] = line.split('\n');
    expect(appraisal).to.contain('经备案的评估值').and.contain('5,000,000.00').and.contain('PG-2026-017').and.contain('2025-12-31');
    expect(nav).to.contain('基金份额净值').and.contain('4,700,000.00');
  });

  it('for a book trade, or a listing without state-owned details, gives the NAV only', () => {
    for (const [t, listing] of [[open(bookTrade()), null], [open(listingAward()), { stateOwned: null } as unknown as Listing]] as const) {
      const line = valuationResult(t, '4700000.00', '2025-12-31', listing);
      expect(line).to.not.contain('评估值');
      expect(line).to.contain('4,700,000.00').and.contain('NAV attributable');
    }
  });
});

describe('the confirmation\'s valuation line, with a reference the font cannot print', () => {
  it('prints a question mark for each such character instead of refusing the whole confirmation', () => {
    const odd = { stateOwned: { resolutionRef: 'R', approvalRef: 'A', appraisalRef: 'PG-😀-1', appraisalValue: '1.00', appraisalBaseDate: '2025-12-31', belowNinetyApprovalRef: null } } as unknown as Listing;
    const line = valuationResult(open(listingAward()), '4700000.00', '2025-12-31', odd);
    expect(line).to.contain('PG-?-1').and.not.contain('😀');
  });

  it('prints a question mark for a control character too (references typed before they were checked on entry)', () => {
    const odd = { stateOwned: { resolutionRef: 'R', approvalRef: 'A', appraisalRef: 'PG-\u0007-2', appraisalValue: '1.00', appraisalBaseDate: '2025-12-31', belowNinetyApprovalRef: null } } as unknown as Listing;
    const line = valuationResult(open(listingAward()), '4700000.00', '2025-12-31', odd);
    expect(line).to.contain('PG-?-2').and.not.contain('\u0007');
  });
});
