import { expect } from 'chai';
import { createListing, decide } from '../../server/listings/domain';
import { bj, buyer1, ctx, expectCode, ok, privateInput, seller, stateOwnedInput } from './fixtures';

const now = bj('2026-09-14');
const create = (input: unknown, extra: object = {}) => createListing(input, { now, actor: seller, listingId: 'L-1', ...extra });

describe('creating a listing', () => {
  it('returns a draft with amounts normalised to 2 decimals and the seller as owner', () => {
    const { listing, events } = ok(create(privateInput));
    expect(listing).to.include({
      state: 'draft',
      sellerOrgId: 'org-lp',
      askPrice: '8000000.00',
      increment: '100000.00',
      quantity: '10000000',
      round: 1,
    });
    expect(events.map((e) => e.type)).to.deep.equal(['listing_created']);
  });

  it('refuses a JSON number where a decimal is expected', () => {
    expectCode(create({ ...privateInput, askPrice: 8000000 }), 'VALIDATION_FAILED');
    expectCode(create({ ...privateInput, quantity: 10000000 }), 'VALIDATION_FAILED');
  });

  it('refuses anyone without the seller role', () => {
    expectCode(createListing(privateInput, { now, actor: buyer1, listingId: 'L-1' }), 'FORBIDDEN');
  });

  it('refuses an unknown method, a zero deposit and empty buyer conditions', () => {
    expectCode(create({ ...privateInput, method: 'dutch' }), 'VALIDATION_FAILED');
    expectCode(create({ ...privateInput, depositAmount: '0.00' }), 'VALIDATION_FAILED');
    expectCode(create({ ...privateInput, buyerConditions: [''] }), 'VALIDATION_FAILED');
  });

  it('refuses a quantity that is not a whole number of the fund lot', () => {
    expectCode(create({ ...privateInput, quantity: '1500000' }, { lotSize: '1000000' }), 'QUANTITY_NOT_ON_LOT');
  });

  it('caps the deposit at 30% of the ask for every seller', () => {
    expect(ok(create({ ...privateInput, depositAmount: '2400000.00' })).listing.depositAmount).to.equal('2400000.00');
    expectCode(create({ ...privateInput, depositAmount: '2400000.01' }), 'DEPOSIT_TOO_HIGH');
  });

  it('keeps a longer disclosure a seller asks for, and refuses one shorter than the minimum', () => {
    expect(ok(create({ ...privateInput, disclosureWorkingDays: 15 })).listing.rules.privateDisclosureWorkingDays).to.equal(15);
    expectCode(create({ ...privateInput, disclosureWorkingDays: 9 }), 'VALIDATION_FAILED');
    expectCode(create({ ...stateOwnedInput, disclosureWorkingDays: 19 }), 'VALIDATION_FAILED');
  });
});

describe('the state-owned overlay at creation and submission', () => {
  it('requires every reference, the appraisal value and its base date', () => {
    for (const k of ['resolutionRef', 'approvalRef', 'appraisalRef', 'appraisalValue', 'appraisalBaseDate']) {
      const so = { ...stateOwnedInput.stateOwned, [k]: undefined };
      expectCode(create({ ...stateOwnedInput, stateOwned: so }), 'VALIDATION_FAILED');
    }
  });

  it('requires the overlay from a state-owned seller', () => {
    expectCode(create(privateInput, { sellerIsStateOwned: true }), 'VALIDATION_FAILED');
  });

  it('refuses a first ask below the filed appraisal', () => {
    expectCode(create({ ...stateOwnedInput, askPrice: '9999999.99' }), 'PRICE_BELOW_APPRAISAL');
  });

  it('refuses a deposit above 30% of the ask and accepts exactly 30%', () => {
    expect(ok(create(stateOwnedInput)).listing.depositAmount).to.equal('3000000.00');
    expectCode(create({ ...stateOwnedInput, depositAmount: '3000000.01' }), 'DEPOSIT_TOO_HIGH');
  });

  it('refuses an appraisal a year old or more (valid strictly before base date + 1 year)', () => {
    const old = (d: string) => ({ ...stateOwnedInput, stateOwned: { ...stateOwnedInput.stateOwned!, appraisalBaseDate: d } });
    expect(create(old('2025-09-15')).ok).to.equal(true);
    expectCode(create(old('2025-09-14')), 'APPRAISAL_EXPIRED');
  });

  it('checks the appraisal again at submission: a draft whose appraisal expired meanwhile cannot be submitted', () => {
    const input = { ...stateOwnedInput, stateOwned: { ...stateOwnedInput.stateOwned!, appraisalBaseDate: '2025-09-20' } };
    const draft = ok(create(input)).listing;
    expectCode(decide(draft, { action: 'submit' }, ctx(seller, bj('2026-09-20'))), 'APPRAISAL_EXPIRED');
    expect(decide(draft, { action: 'submit' }, ctx(seller, bj('2026-09-19'))).ok).to.equal(true);
  });
});
