import { expect } from 'chai';
import fc from 'fast-check';
import { Dec, Rounding, sum } from '../../shared/decimal';
import { allocateInKind, distributedValue } from '../../server/distributions/domain/allocation';
import { propose, decideDistribution, type Proposal, type ProposeFacts } from '../../server/distributions/domain/distribution';

const fen = (n: number) => new Dec(String(n)).div(new Dec('100')).toFixed(2);

describe('in-kind allocation', () => {
  it('gives whole shares pro rata to paid-in, rounded down, and the fractions as cash at the reference price', () => {
    // 1000 shares over paid-in 1:2 → 333.33… and 666.66…
    const a = allocateInKind({
      shares: '1000',
      referencePrice: '12.34',
      holders: [
        { orgId: 'a', paidIn: '100.00' },
        { orgId: 'b', paidIn: '200.00' },
      ],
      ineligibleOrgIds: new Set(),
    });
    expect(a.map((x) => [x.orgId, x.shares, x.sharesInLieu, x.cashInLieu])).to.deep.equal([
      ['a', '333', '0.33333333', '4.11'], // 0.33333333 × 12.34 = 4.1133… → 4.11
      ['b', '666', '0.66666667', '8.23'], // the one missing 1e-8 goes to the larger remainder
    ]);
    expect(sum(a.map((x) => new Dec(x.shares).plus(x.sharesInLieu))).toFixed(8)).to.equal('1000.00000000');
    expect(distributedValue(a, '12.34')).to.equal(new Dec('999').times('12.34').plus('12.34').toFixed(2));
  });

  it('pays an ineligible recipient its whole entitlement in cash and no shares', () => {
    const a = allocateInKind({
      shares: '900',
      referencePrice: '10.00',
      holders: [
        { orgId: 'a', paidIn: '1.00' },
        { orgId: 'insider', paidIn: '2.00' },
      ],
      ineligibleOrgIds: new Set(['insider']),
    });
    expect(a.find((x) => x.orgId === 'insider')).to.include({
      eligible: false,
      shares: '0',
      sharesInLieu: '600.00000000',
      cashInLieu: '6000.00',
    });
    expect(a.find((x) => x.orgId === 'a')).to.include({ eligible: true, shares: '300', sharesInLieu: '0.00000000', cashInLieu: '0.00' });
  });

  it('for random paid-in splits and share counts: Σ shares + Σ in lieu = total, within one share, ineligible cash only', () => {
    const holder = fc.record({ fen: fc.integer({ min: 0, max: 5_000_000_000 }), ineligible: fc.boolean() });
    fc.assert(
      fc.property(
        fc.array(holder, { minLength: 1, maxLength: 12 }),
        fc.bigInt({ min: 1n, max: 10_000_000_000n }),
        fc.integer({ min: 1, max: 100_000 }),
        (hs, shares, priceFen) => {
          fc.pre(hs.some((h) => h.fen > 0));
          const holders = hs.map((h, i) => ({ orgId: `org-${String(i).padStart(2, '0')}`, paidIn: fen(h.fen) }));
          const ineligible = new Set(holders.filter((_, i) => hs[i]!.ineligible).map((h) => h.orgId));
          const price = fen(priceFen);
          const a = allocateInKind({ shares: shares.toString(), referencePrice: price, holders, ineligibleOrgIds: ineligible });
          const total = sum(holders.map((h) => new Dec(h.paidIn)));
          expect(sum(a.map((x) => new Dec(x.shares).plus(x.sharesInLieu))).eq(shares.toString())).to.equal(true);
          for (const x of a) {
            const exact = new Dec(shares.toString()).times(holders.find((h) => h.orgId === x.orgId)!.paidIn).div(total);
            expect(new Dec(x.shares).eq(new Dec(x.shares).round(0, Rounding.DOWN)), 'whole shares').to.equal(true);
            // An eligible LP's whole shares are within one share of its entitlement; an ineligible LP's
            // entitlement is all cash, so what it receives (shares + shares behind the cash) is checked below.
            if (!ineligible.has(x.orgId))
              expect(new Dec(x.shares).minus(exact).abs().lt('1'), `${x.orgId} within one share`).to.equal(true);
            expect(
              new Dec(x.shares).plus(x.sharesInLieu).minus(exact).abs().lte('0.00000001'),
              `${x.orgId} shares + in lieu = entitlement`,
            ).to.equal(true);
            expect(new Dec(x.sharesInLieu).gte('0')).to.equal(true);
            expect(x.cashInLieu).to.equal(new Dec(x.sharesInLieu).times(price).round(2, Rounding.HALF_UP).toFixed(2));
            if (ineligible.has(x.orgId)) expect(x.shares, 'ineligible: cash only').to.equal('0');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('an in-kind distribution proposal', () => {
  const proposal: Proposal = {
    security: { code: '688001', name: '华芯微电子', market: 'SSE STAR' },
    shares: '100000',
    referencePrice: '58.70',
    recordDate: '2026-03-01',
    facts: { fundIsControllingOrLargestShareholder: false, lockedUp: false, pledgedOrFrozen: false },
    ineligibleOrgIds: [],
  };
  const facts: ProposeFacts = {
    id: 'd1',
    fundId: 'f',
    now: '2026-03-02T02:00:00.000Z',
    today: '2026-03-02',
    actor: { userId: 'u-gp', name: 'GP', roles: ['gp'] },
    holders: [
      { orgId: 'a', name: 'A', paidIn: '300.00' },
      { orgId: 'b', name: 'B', paidIn: '700.00' },
      { orgId: 'c', name: 'C', paidIn: '0.00' },
    ],
  };

  it('is refused for each of the three exclusions, naming it in params.reason', () => {
    const reasons: Record<string, string> = {
      fundIsControllingOrLargestShareholder: 'fund_is_controlling_or_largest_shareholder',
      lockedUp: 'shares_locked_up',
      pledgedOrFrozen: 'shares_pledged_or_frozen',
    };
    for (const [fact, reason] of Object.entries(reasons)) {
      const r = propose({ ...proposal, facts: { ...proposal.facts, [fact]: true } }, facts);
      expect(r.ok ? 'ok' : [r.code, r.params?.reason], fact).to.deep.equal(['INKIND_NOT_ALLOWED', reason]);
    }
  });

  it('refuses a record date in the future and ineligible organisations that are not LPs of the fund', () => {
    const code = (p: Partial<Proposal>) => {
      const r = propose({ ...proposal, ...p }, facts);
      return r.ok ? 'ok' : r.code;
    };
    expect(code({ recordDate: '2026-03-03' })).to.equal('VALIDATION_FAILED');
    expect(code({ recordDate: '2026-03-02' })).to.equal('ok');
    expect(code({ ineligibleOrgIds: ['z'] })).to.equal('VALIDATION_FAILED');
    expect(code({ ineligibleOrgIds: ['a', 'a'] })).to.equal('VALIDATION_FAILED');
  });

  it('allocates to the LPs with paid-in capital only, then an operator approves or rejects it once', () => {
    const r = propose({ ...proposal, ineligibleOrgIds: ['a'] }, facts);
    if (!r.ok) throw new Error(r.detail);
    expect(r.distribution.allocations.map((a) => [a.orgId, a.name, a.shares, a.sharesInLieu])).to.deep.equal([
      ['a', 'A', '0', '30000.00000000'],
      ['b', 'B', '70000', '0.00000000'],
    ]);
    expect(r.distribution.totals).to.deep.equal({
      shares: '70000',
      sharesInLieu: '30000.00000000',
      cashInLieu: '1761000.00',
      distributedValue: '5870000.00',
    });
    const op = { userId: 'u-op', name: 'Op', roles: ['operator'] };
    expect(decideDistribution(r.distribution, { action: 'approve' }, { ...op, roles: ['gp'] }, facts.now).ok).to.equal(false);
    const approved = decideDistribution(r.distribution, { action: 'approve' }, op, facts.now);
    if (!approved.ok) throw new Error(approved.detail);
    expect(approved.distribution.state).to.equal('approved');
    const again = decideDistribution(approved.distribution, { action: 'reject', reason: 'x' }, op, facts.now);
    expect(again.ok ? 'ok' : [again.code, again.params?.reason]).to.deep.equal(['INVALID_STATE', 'distribution_approved']);
  });
});
