/**
 * A state-owned listing may allow payment by instalments at creation, at its interest rate (domain.md,
 * state-owned overlay): fixed with the listing, shown to buyers, carried into the award's transfer.
 */
import { expect } from 'chai';
import { createListing, publicView } from '../../server/listings/domain';
import { bj, expectCode, ok, privateInput, seller, stateOwnedInput } from './fixtures';

const now = bj('2026-03-02');
const create = (input: unknown) => createListing(input, { now, actor: seller, listingId: 'L-1' });

describe('a listing that allows instalments', () => {
  it('a state-owned listing allows them at its rate, and buyers see it', () => {
    const l = ok(create({ ...stateOwnedInput, instalments: { allowed: true, interestRatePct: '3.45' } })).listing;
    expect(l.instalments).to.deep.equal({ interestRatePct: '3.45' });
    expect(publicView(l, { orgId: 'org-b1' }, now).instalments).to.deep.equal({ interestRatePct: '3.45' });
  });

  it('allowed: false, or nothing said, is a lump sum only', () => {
    expect(ok(create({ ...stateOwnedInput, instalments: { allowed: false } })).listing.instalments).to.equal(null);
    expect(ok(create(stateOwnedInput)).listing.instalments).to.equal(null);
  });

  it('refuses instalments on a listing that is not state-owned', () => {
    const r = create({ ...privateInput, instalments: { allowed: true, interestRatePct: '3.45' } });
    expectCode(r, 'VALIDATION_FAILED');
    expect(!r.ok && r.detail).to.match(/state-owned/);
  });

  it('refuses a missing, zero, negative, malformed or implausible rate', () => {
    for (const interestRatePct of [undefined, '0', '-1', '3.456789', 3.45, '25', 'abc'])
      expectCode(create({ ...stateOwnedInput, instalments: { allowed: true, interestRatePct } }), 'VALIDATION_FAILED');
  });
});
