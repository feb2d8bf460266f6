import { expect } from 'chai';
import { createListing, decide, nextTimerAt, tick } from '../../server/listings/domain';
import {
  act,
  approvedOn,
  bj,
  buyer1,
  calendar,
  ctx,
  eventsOf,
  expectCode,
  ok,
  op1,
  op2,
  privateInput,
  seller,
  stateOwnedInput,
} from './fixtures';

const draft = (input = privateInput) => ok(createListing(input, { now: bj('2026-09-10'), actor: seller, listingId: 'L-1' })).listing;

describe('review and approval (four eyes)', () => {
  it('only the seller submits; only operators review', () => {
    expectCode(decide(draft(), { action: 'submit' }, ctx(buyer1, bj('2026-09-10'))), 'FORBIDDEN');
    const submitted = act(draft(), seller, bj('2026-09-10'), { action: 'submit' }).listing;
    expectCode(decide(submitted, { action: 'review' }, ctx(seller, bj('2026-09-10'))), 'FORBIDDEN');
  });

  it('refuses an approval by the operator who reviewed', () => {
    let l = act(draft(), seller, bj('2026-09-10'), { action: 'submit' }).listing;
    l = act(l, op1, bj('2026-09-10'), { action: 'review' }).listing;
    expectCode(decide(l, { action: 'approve' }, ctx(op1, bj('2026-09-10'))), 'FOUR_EYES');
    expect(act(l, op2, bj('2026-09-10'), { action: 'approve' }).listing.approvedByUserId).to.equal('u-op2');
  });

  it('refuses an approval before review', () => {
    const l = act(draft(), seller, bj('2026-09-10'), { action: 'submit' }).listing;
    expectCode(decide(l, { action: 'approve' }, ctx(op2, bj('2026-09-10'))), 'INVALID_STATE');
  });

  it('refuses to approve a state-owned listing whose appraisal expired during review (APPRAISAL_EXPIRED from the anniversary)', () => {
    // The appraisal based on 2026-01-31 is valid until 2027-01-30 inclusive.
    let l = ok(createListing(stateOwnedInput, { now: bj('2027-01-29'), actor: seller, listingId: 'L-1' })).listing;
    l = act(l, seller, bj('2027-01-29'), { action: 'submit' }).listing;
    l = act(l, op1, bj('2027-01-29'), { action: 'review' }).listing;
    expectCode(decide(l, { action: 'approve' }, ctx(op2, bj('2027-01-31'))), 'APPRAISAL_EXPIRED');
    expectCode(decide(l, { action: 'approve' }, ctx(op2, bj('2027-02-02'))), 'APPRAISAL_EXPIRED');
    expect(act(l, op2, bj('2027-01-30'), { action: 'approve' }).listing.approvedByUserId).to.equal(op2.userId);
  });

  it('an operator rejects a submitted listing with a reason, never without one', () => {
    const l = act(draft(), seller, bj('2026-09-10'), { action: 'submit' }).listing;
    expectCode(decide(l, { action: 'reject', reason: ' ' }, ctx(op1, bj('2026-09-10'))), 'VALIDATION_FAILED');
    const rejected = act(l, op1, bj('2026-09-10'), { action: 'reject', reason: 'appraisal report unsigned' }).listing;
    expect(rejected.state).to.equal('rejected');
    expect(rejected.rejection?.reason).to.equal('appraisal report unsigned');
  });

  it('a refused command never changes the listing it was given', () => {
    const l = act(draft(), seller, bj('2026-09-10'), { action: 'submit' }).listing;
    const before = JSON.stringify(l);
    decide(l, { action: 'approve' }, ctx(op2, bj('2026-09-10')));
    act(l, op1, bj('2026-09-10'), { action: 'review' });
    expect(JSON.stringify(l)).to.equal(before);
  });

  it('an unknown action or an unknown field is VALIDATION_FAILED', () => {
    expectCode(decide(draft(), { action: 'teleport' } as never, ctx(seller, bj('2026-09-10'))), 'VALIDATION_FAILED');
    expectCode(decide(draft(), { action: 'submit', askPrice: '1.00' } as never, ctx(seller, bj('2026-09-10'))), 'VALIDATION_FAILED');
  });
});

describe('disclosure on the Chinese working-day calendar', () => {
  it('a state-owned listing approved on 2026-09-14 discloses until 2026-10-15 (20 working days, day 1 the approval day)', () => {
    const l = approvedOn('2026-09-14', stateOwnedInput);
    expect(l.state).to.equal('disclosure');
    expect(l.disclosure).to.include({ startDate: '2026-09-14', endDate: '2026-10-15', workingDays: 20, provisional: false });
    expect(l.firstDisclosureStartDate).to.equal('2026-09-14');
    expect(nextTimerAt(l)).to.equal(bj('2026-10-16', '00:00'));
  });

  it('a state-owned listing approved on 2026-02-10 discloses across Spring Festival until 2026-03-13', () => {
    const l = approvedOn('2026-02-10', {
      ...stateOwnedInput,
      stateOwned: { ...stateOwnedInput.stateOwned!, appraisalBaseDate: '2025-12-31' },
    });
    expect(l.disclosure).to.include({ startDate: '2026-02-10', endDate: '2026-03-13' });
  });

  it('a listing approved on a holiday waits in approved and starts disclosure on the first working day', () => {
    const l = approvedOn('2026-10-03', stateOwnedInput);
    expect(l.state).to.equal('approved');
    expect(l.disclosure).to.include({ startDate: '2026-10-08' });
    expect(nextTimerAt(l)).to.equal(bj('2026-10-08', '00:00'));
    const started = tick(l, bj('2026-10-08', '08:00'), calendar);
    expect(started.listing.state).to.equal('disclosure');
    expect(started.events.map((e) => [e.type, e.at])).to.deep.equal([['disclosure_started', bj('2026-10-08', '00:00')]]);
  });

  it('other sellers disclose for 10 working days by default (counting the make-up Sunday 2026-09-20)', () => {
    // Sep 14–18 = days 1–5, Sun Sep 20 (调休) = 6, Sep 21–24 = 7–10.
    expect(approvedOn('2026-09-14').disclosure).to.include({ endDate: '2026-09-24', workingDays: 10 });
  });

  it('buyer conditions stay fixed during disclosure: nothing can reprice an open disclosure', () => {
    const l = approvedOn('2026-09-14', stateOwnedInput);
    expectCode(
      decide(l, { action: 'reprice', askPrice: '11000000.00', buyerConditions: ['other'] }, ctx(seller, bj('2026-09-15'))),
      'INVALID_STATE',
    );
    expect(l.buyerConditions).to.deep.equal(stateOwnedInput.buyerConditions);
  });

  it('registration closes at the end of the last disclosure day: a registration a minute later is refused', () => {
    const l = approvedOn('2026-09-14', stateOwnedInput);
    expect(act(l, buyer1, bj('2026-10-15', '23:59'), { action: 'register' }).listing.buyers).to.have.length(1);
    expectCode(decide(l, { action: 'register' }, ctx(buyer1, bj('2026-10-16', '00:00'))), 'INVALID_STATE');
  });

  it("closing with nobody in leaves the listing closed with the no-buyer branch and no timer but its appraisal's expiry", () => {
    const l = approvedOn('2026-09-14', stateOwnedInput);
    const { listing, events } = tick(l, bj('2026-10-20'), calendar);
    expect(listing).to.include({ state: 'closed', branch: 'no_buyer' });
    expect(eventsOf(events, 'disclosure_closed')[0]).to.include({ at: bj('2026-10-16', '00:00'), qualifiedBuyers: 0 });
    // The appraisal of 2026-01-31 is valid until 2027-01-30: the listing ends at 00:00 on 2027-01-31 unless it moves on.
    expect(nextTimerAt(listing)).to.equal(bj('2027-01-31', '00:00'));
  });
});
