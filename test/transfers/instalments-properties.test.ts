/**
 * Properties of instalment plans, for any consideration, split and rate: a plan is accepted only when its
 * instalments sum exactly to the consideration, a plan scaled to a smaller leg still does (and keeps its
 * first instalment at the minimum), and the interest is the exact ACT/365 figure rounded half-up to the fen.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { Dec, sum } from '../../shared/decimal';
import { addCalendarDays } from '../../shared/calendar';
import {
  DEFAULT_INSTALMENT_RULES,
  apportion,
  minimumFirstInstalment,
  planFromChoice,
  rescalePlan,
  schedulePlan,
  simpleInterest,
  type InstalmentTerms,
} from '../../server/transfers/domain';

const TERMS: InstalmentTerms = { ...DEFAULT_INSTALMENT_RULES, interestRatePct: '3.45' };
const fen = (n: bigint): string => `${n / 100n}.${String(n % 100n).padStart(2, '0')}`;
/** round-half-up(n / d) for non-negative integers, exactly. */
const divHalfUp = (n: bigint, d: bigint): bigint => (2n * n + d) / (2n * d);

const permille = (n: number) => new Dec(String(n)).div(new Dec('1000'));

/** A consideration in fen and a valid split: the first instalment at or above 30%, the rest by random weights. */
const planArb = fc
  .record({
    considerationFen: fc.bigInt({ min: 100_000n, max: 10n ** 12n }),
    firstExtraPermille: fc.integer({ min: 0, max: 600 }),
    weights: fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 12 }),
  })
  .map(({ considerationFen, firstExtraPermille, weights }) => {
    const consideration = new Dec(fen(considerationFen));
    const minimum = minimumFirstInstalment(consideration, TERMS.instalmentMinFirstPct);
    const first = minimum.plus(consideration.minus(minimum).times(permille(firstExtraPermille)).round(2, 0));
    const rest = apportion(
      consideration.minus(first),
      weights.map((w) => new Dec(String(w))),
    );
    return { consideration: consideration.toFixed(2), amounts: [first, ...rest].map((a) => a.toFixed(2)) };
  })
  .filter(({ amounts }) => amounts.every((a) => new Dec(a).gt(new Dec('0'))));

const choiceOf = (amounts: string[]) => ({
  method: 'instalments',
  guaranteeRef: 'LG-1',
  instalments: amounts.map((amount, i) => (i === 0 ? { amount } : { amount, monthsAfterContract: i })),
});

describe('instalment plans: properties', () => {
  it('a plan is accepted when, and only when, its instalments sum exactly to the consideration', () => {
    fc.assert(
      fc.property(planArb, fc.integer({ min: -2, max: 2 }), ({ consideration, amounts }, offFen) => {
        const last = amounts.length - 1;
        const shifted = amounts.map((a, i) => (i === last ? new Dec(a).plus(new Dec(String(offFen)).div(new Dec('100'))).toFixed(2) : a));
        const r = planFromChoice(choiceOf(shifted), { consideration, depositApplied: '0.00' }, TERMS, 'u', '2026-03-02T02:00:00.000Z');
        if (offFen === 0 || new Dec(shifted[last]!).lte(new Dec('0'))) {
          if (offFen === 0) expect(r.ok, JSON.stringify(r)).to.equal(true);
          return;
        }
        expect(!r.ok && r.params?.reason).to.equal('sum_mismatch');
      }),
      { numRuns: 300 },
    );
  });

  it('a plan scaled to a smaller leg sums exactly to it, its first instalment at least 30% of it and the deposit', () => {
    fc.assert(
      fc.property(planArb, fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 300 }), (p, keepPermille, depositPermille) => {
        const r = planFromChoice(
          choiceOf(p.amounts),
          { consideration: p.consideration, depositApplied: '0.00' },
          TERMS,
          'u',
          '2026-03-02T02:00:00.000Z',
        );
        if (!r.ok) return expect.fail(r.detail);
        const leg = new Dec(p.consideration).times(permille(keepPermille)).round(2, 0);
        if (leg.lte(new Dec('0'))) return;
        const deposit = leg.times(permille(depositPermille)).round(2, 0);
        const scaled = rescalePlan(r.plan, p.consideration, { consideration: leg.toFixed(2), depositApplied: deposit.toFixed(2) });
        if (scaled === null) return; // the first instalment took the whole leg: a lump sum
        const amounts = scaled.instalments.map((i) => new Dec(i.amount));
        expect(sum(amounts).toFixed(2)).to.equal(leg.toFixed(2));
        expect(amounts[0]!.gte(minimumFirstInstalment(leg, '30'))).to.equal(true);
        expect(amounts[0]!.gte(deposit)).to.equal(true);
        expect(amounts.every((a) => a.gt(new Dec('0')))).to.equal(true);
      }),
      { numRuns: 300 },
    );
  });

  it('interest is outstanding × rate × days / 365, exactly, rounded half-up to the fen', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 13n }), // outstanding, fen
        fc.integer({ min: 0, max: 240_000 }), // rate in 1/10,000 of a percent (0 – 24%)
        fc.integer({ min: 0, max: 400 }), // days
        (outstandingFen, rateMicro, days) => {
          const rate = `${Math.floor(rateMicro / 10_000)}.${String(rateMicro % 10_000).padStart(4, '0')}`;
          const from = '2026-03-04';
          const got = simpleInterest(new Dec(fen(outstandingFen)), rate, from, addCalendarDays(from, days));
          // fen × (rateMicro / 10^4 %) / 100 × days / 365 = fen × rateMicro × days / (10^6 × 365)
          const expected = divHalfUp(outstandingFen * BigInt(rateMicro) * BigInt(days), 1_000_000n * 365n);
          expect(got.toFixed(2)).to.equal(fen(expected));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a scheduled plan keeps its amounts and each interest is the one of its period on what is still owed', () => {
    fc.assert(
      fc.property(planArb, ({ consideration, amounts }) => {
        const r = planFromChoice(choiceOf(amounts), { consideration, depositApplied: '0.00' }, TERMS, 'u', '2026-03-02T02:00:00.000Z');
        if (!r.ok) return expect.fail(r.detail);
        const s = schedulePlan(r.plan, '2026-01-31', '2026-02-06');
        expect(s.instalments.map((i) => i.amount)).to.deep.equal(amounts);
        expect(s.instalments[0]).to.include({ dueDate: '2026-02-06', interest: '0.00' });
        let previous = '2026-01-31';
        s.instalments.slice(1).forEach((inst, k) => {
          const owed = sum(amounts.slice(k + 1).map((a) => new Dec(a)));
          expect(inst.interest).to.equal(simpleInterest(owed, '3.45', previous, inst.dueDate!).toFixed(2));
          previous = inst.dueDate!;
        });
        // 31 January + 1 month is the last day of February.
        expect(s.instalments[1]!.dueDate).to.equal('2026-02-28');
      }),
      { numRuns: 200 },
    );
  });
});
