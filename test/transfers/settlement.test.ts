import { expect } from 'chai';
import fc from 'fast-check';
import { Dec, sum, ticksToPct, type Decimal, type Ticks } from '../../shared/decimal';
import {
  apportion,
  defaultTerms,
  settle,
  sideFee,
  sumOf,
  type CashPosting,
  type SettlementInput,
  type TransferEvent,
  type UnitPosting,
} from '../../server/transfers/domain';
import { DEFAULT_FEE_SCHEDULE } from '../../server/transfers/domain/params';
import { USERS, act, bj, bookTrade, open, openSigned } from './fixtures';

const fen = (n: bigint): string => `${n / 100n}.${String(n % 100n).padStart(2, '0')}`;
const d = (s: string): Decimal => new Dec(s);
const total = (xs: readonly string[]): string => sum(xs.map(d)).toFixed(2);
const byAccount = (postings: readonly CashPosting[], account: string) => sumOf(postings.filter((p) => p.account === account)).toFixed(2);
const unitsConserved = (u: readonly UnitPosting[]) =>
  sum(u.map((p) => d(p.commitmentDelta))).eq(d('0')) &&
  sum(u.map((p) => d(p.paidInDelta))).eq(d('0')) &&
  sum(u.map((p) => d(p.unfundedDelta))).eq(d('0'));

const base: SettlementInput = {
  fundId: 'f',
  sellerOrgId: 's',
  sellerPosition: { commitment: '10000000', paidIn: '6000000.00' },
  legs: [{ buyerOrgId: 'b', quantity: '5000000', consideration: '5250000.00', depositApplied: '0.00' }],
  fees: DEFAULT_FEE_SCHEDULE,
};

describe('settlement maths', () => {
  it('fees are basis points rounded up to the fen, never below the minimum; the seller fee never exceeds the consideration', () => {
    expect(sideFee(d('1000000.00'), DEFAULT_FEE_SCHEDULE.seller).toFixed(2)).to.equal('1000.00'); // 500.00 < minimum
    expect(sideFee(d('98765432.10'), DEFAULT_FEE_SCHEDULE.seller).toFixed(2)).to.equal('49382.72'); // 49,382.716 up
    const tiny = settle({ ...base, legs: [{ buyerOrgId: 'b', quantity: '1000000', consideration: '500.00', depositApplied: '0.00' }] });
    if (!tiny.ok) return expect.fail(tiny.detail);
    expect(tiny.settlement).to.include({ sellerFee: '500.00', sellerProceeds: '0.00' });
    expect(tiny.settlement.legs[0]!.buyerFee).to.equal('1000.00');
  });

  it('a whole position moves all its paid-in; a part moves paid-in pro rata, half-up to the fen', () => {
    const whole = settle({ ...base, sellerPosition: { commitment: '5000000', paidIn: '1234567.89' } });
    if (!whole.ok) return expect.fail(whole.detail);
    expect(whole.settlement.paidInMoved).to.equal('1234567.89');
    const part = settle({ ...base, sellerPosition: { commitment: '15000000', paidIn: '1000000.01' } });
    if (!part.ok) return expect.fail(part.detail);
    expect(part.settlement.paidInMoved).to.equal('333333.34'); // 333,333.336…
  });

  it('refuses a seller position smaller than the quantity, or a paid-in above the commitment', () => {
    expect(settle({ ...base, sellerPosition: { commitment: '4000000', paidIn: '0.00' } })).to.deep.include({
      ok: false,
      code: 'INSUFFICIENT_POSITION',
    });
    expect(settle({ ...base, sellerPosition: { commitment: '10000000', paidIn: '10000000.01' } })).to.deep.include({
      ok: false,
      code: 'VALIDATION_FAILED',
    });
  });

  it('apportions exactly without ever going negative, where "half-up, last takes the rest" would', () => {
    // 0.02 over four equal parts: each is 0.005, half-up would give 0.01 × 3 and leave −0.01 for the last.
    expect(apportion(d('0.02'), ['1', '1', '1', '1'].map(d)).map((x) => x.toFixed(2))).to.deep.equal(['0.01', '0.01', '0.00', '0.00']);
  });

  it('apportioning conserves the total, and each part is within a fen of its exact share', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 8 }),
        (t, ws) => {
          fc.pre(ws.some((w) => w > 0));
          const weights = ws.map((w) => d(String(w)));
          const parts = apportion(d(fen(t)), weights);
          expect(sum(parts).toFixed(2)).to.equal(fen(t));
          const whole = sum(weights);
          parts.forEach((p, i) => {
            expect(p.gte(d('0'))).to.equal(true);
            expect(
              p
                .minus(d(fen(t)).times(weights[i]!).div(whole))
                .abs()
                .lt(d('0.01')),
            ).to.equal(true);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('conserves units per fund and cash across accounts, for random positions, paid-in ratios and legs', () => {
    const leg = fc.record({
      lots: fc.integer({ min: 1, max: 40 }),
      considerationFen: fc.bigInt({ min: 0n, max: 10n ** 11n }),
      depositPct: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(
      fc.property(
        fc.array(leg, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 999_999 }),
        fc.bigInt({ min: 0n, max: 10_000n }),
        fc.record({ bps: fc.integer({ min: 0, max: 100 }), minFen: fc.bigInt({ min: 0n, max: 500_000n }) }),
        (legs, extraLots, oddYuan, paidPerTenThousand, fee) => {
          const quantityLots = legs.reduce((s, l) => s + l.lots, 0);
          const commitment = BigInt(quantityLots + extraLots) * 1_000_000n + BigInt(oddYuan);
          const paidInFen = (commitment * 100n * paidPerTenThousand) / 10_000n;
          const input: SettlementInput = {
            fundId: 'f',
            sellerOrgId: 'seller',
            sellerPosition: { commitment: String(commitment), paidIn: fen(paidInFen) },
            legs: legs.map((l, i) => ({
              buyerOrgId: `b${i}`,
              quantity: `${l.lots}000000`,
              consideration: fen(l.considerationFen),
              depositApplied: i === 0 ? fen((l.considerationFen * BigInt(l.depositPct)) / 100n) : '0.00',
            })),
            fees: { seller: { bps: String(fee.bps), minimum: fen(fee.minFen) }, buyer: { bps: String(fee.bps), minimum: fen(fee.minFen) } },
          };
          const r = settle(input);
          if (!r.ok) return expect.fail(r.detail);
          const s = r.settlement;
          expect(unitsConserved(s.unitPostings)).to.equal(true);
          const paidIn = d(fen(paidInFen));
          for (const [i, l] of s.legs.entries()) {
            const exact = paidIn.times(l.quantity).div(String(commitment));
            expect(d(l.paidInMoved).minus(exact).abs().lte(d('0.01')), `leg ${i}`).to.equal(true);
            expect(d(l.paidInMoved).gte(d('0')) && d(l.paidInMoved).lte(d(l.quantity))).to.equal(true);
            expect(d(l.unfundedMoved).eq(d(l.quantity).minus(l.paidInMoved))).to.equal(true);
          }
          if (extraLots === 0 && oddYuan === 0) expect(s.paidInMoved).to.equal(fen(paidInFen));
          const all = [...s.paymentPostings, ...s.releasePostings];
          expect(sumOf(s.paymentPostings).toFixed(2)).to.equal('0.00');
          expect(sumOf(s.releasePostings).toFixed(2)).to.equal('0.00');
          expect(byAccount(all, 'cash:escrow')).to.equal('0.00');
          expect(byAccount(all, 'cash:fees')).to.equal(total([s.sellerFee, ...s.legs.map((l) => l.buyerFee)]));
          expect(byAccount(all, 'cash:deposits')).to.equal(
            d(total(s.legs.map((l) => l.depositApplied)))
              .times('-1')
              .toFixed(2),
          );
          expect(byAccount(all, 'cash:org:seller')).to.equal(s.sellerProceeds);
          expect(d(s.sellerProceeds).gte(d('0'))).to.equal(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the workflow end to end conserves units and cash', () => {
  const cashOf = (events: readonly TransferEvent[]): CashPosting[] =>
    events.flatMap((e) => ('postings' in e ? e.postings : e.type === 'ownership_changed' ? e.cashPostings : []));

  it('for random ROFR answers, commitments, quantities and prices, from either venue', () => {
    const holder = fc.record({ commitmentLots: fc.integer({ min: 1, max: 300 }), answer: fc.constantFrom('exercise', 'waive', 'silent') });
    fc.assert(
      fc.property(
        fc.array(holder, { maxLength: 4 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 15000 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 30 }),
        (holders, lots, priceTicks, listing, depositPct) => {
          const quantity = `${lots}000000`;
          const amountFen = (BigInt(lots) * 1_000_000n * BigInt(priceTicks)) / 100n; // an awarded amount, in fen
          const input = bookTrade(
            { rofrEnabled: true, gpConsentRequired: false },
            {
              quantity,
              rofrHolders: holders.map((h, i) => ({ orgId: `org-h${i}`, commitment: `${h.commitmentLots}000000`, stateOwned: false })),
              ...(listing
                ? {
                    venue: 'listing' as const,
                    listingId: 'l',
                    pricing: { basis: 'total_amount' as const, amount: fen(amountFen), navPerCommitment: '1.07' },
                    depositHeld: fen((amountFen * BigInt(depositPct)) / 100n),
                  }
                : { pricing: { basis: 'pct_of_nav' as const, pricePct: ticksToPct(priceTicks as Ticks), navPerCommitment: '1.07' } }),
            },
          );
          let t = listing ? openSigned(input) : open(input);
          const events: TransferEvent[] = [];
          const step = (r: { transfer: typeof t; events: readonly TransferEvent[] }) => ((t = r.transfer), events.push(...r.events));
          holders.forEach((h, i) => {
            if (h.answer === 'silent') return;
            step(
              act(
                t,
                { action: h.answer === 'exercise' ? 'rofr_exercise' : 'rofr_waive' },
                { userId: `u${i}`, orgId: `org-h${i}`, roles: ['lp'] },
                bj('2026-03-03'),
              ),
            );
          });
          const closedByTick = t.state === 'rofr_pending';
          if (closedByTick) step(act(t, { action: 'tick' }, null, bj('2026-04-02')));
          const day = (n: number) => bj(`${closedByTick ? '2026-04' : '2026-03'}-0${n}`);
          step(act(t, { action: 'review' }, USERS.operator1, day(3)));
          step(act(t, { action: 'approve' }, USERS.operator2, day(3)));
          for (const a of t.allocations)
            step(act(t, { action: 'confirm_payment', bankRef: 'B', buyerOrgId: a.buyerOrgId }, USERS.operator1, day(7)));
          const sellerPosition = { commitment: '100000000', paidIn: '33333333.33' };
          step(act(t, { action: 'record_registration', registrationRef: 'R' }, USERS.operator2, day(8), { sellerPosition }));

          expect(t.state).to.equal('completed');
          expect(sum(t.allocations.map((a) => d(a.quantity))).toFixed(0)).to.equal(quantity);
          expect(t.consideration).to.equal(total(t.allocations.map((a) => a.consideration)));
          if (listing) expect(t.consideration).to.equal(fen(amountFen));
          const cash = cashOf(events);
          expect(sumOf(cash).toFixed(2)).to.equal('0.00');
          expect(byAccount(cash, 'cash:escrow')).to.equal('0.00');
          // every deposit left the deposits account
          expect(byAccount(cash, 'cash:deposits')).to.equal(d(t.depositHeld).times('-1').toFixed(2));
          const owned = events.find((e) => e.type === 'ownership_changed');
          expect(owned && owned.type === 'ownership_changed' && unitsConserved(owned.unitPostings)).to.equal(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps the defaults documented: 30 calendar days of ROFR, 10/5/3/5/20 working days, 5 bps min RMB 1,000.00 per side', () => {
    const terms = defaultTerms();
    expect(terms.rofrWindow).to.deep.equal({ length: 30, unit: 'calendar_days' });
    expect(terms.deadlines).to.deep.equal({
      gpConsentWorkingDays: 10,
      reviewWorkingDays: 5,
      approvalWorkingDays: 3,
      paymentWorkingDays: 5,
      registrationWorkingDays: 20,
    });
    expect(terms.fees).to.deep.equal({ seller: { bps: '5', minimum: '1000.00' }, buyer: { bps: '5', minimum: '1000.00' } });
    expect(terms.forfeitTo).to.equal('seller');
  });
});
