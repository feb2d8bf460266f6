import { expect } from 'chai';
import fc from 'fast-check';
import { Dec } from '../../shared/decimal';
import { decide, tick, type Listing } from '../../server/listings/domain';
import {
  MINUTE,
  approvedOn,
  awardAndConfirm,
  bj,
  buyer1,
  buyer2,
  buyer3,
  calendar,
  ctx,
  fireNextTimer,
  privateInput,
  withBuyers,
} from './fixtures';

const bidders = [buyer1, buyer2, buyer3];
const EXPECTED_REFUSALS = new Set(['BID_TOO_LOW', 'BID_NOT_ON_INCREMENT', 'ALREADY_HIGHEST_BIDDER', 'AUCTION_CLOSED']);

describe('open auction properties', () => {
  let opened: Listing;
  before(() => {
    let l = approvedOn('2026-09-14', { ...privateInput, disclosureWorkingDays: 20 });
    l = withBuyers(l, bj('2026-09-15'), bidders);
    opened = fireNextTimer(fireNextTimer(l).listing).listing;
  });

  /** Plays the attempts from the opening, returning the accepted bids and the closed listing. */
  function play(attempts: { bidder: number; steps: number; offCents: number; delaySeconds: number }[]) {
    let l = opened;
    let t = opened.bidding!.opensAt;
    const accepted: { orgId: string; amount: string; at: number }[] = [];
    for (const a of attempts) {
      t += a.delaySeconds * 1000;
      const current = accepted.at(-1)?.amount ?? l.askPrice;
      const amount = new Dec(current)
        .plus(new Dec(l.increment).times(new Dec(String(a.steps))))
        .plus(new Dec(String(a.offCents)).div(new Dec('100')))
        .toFixed(2);
      const who = bidders[a.bidder]!;
      const r = decide(l, { action: 'bid', amount }, ctx(who, t));
      if (r.ok) {
        l = r.listing;
        accepted.push({ orgId: who.orgId, amount, at: t });
      } else {
        expect(EXPECTED_REFUSALS.has(r.code), `${r.code}: ${r.detail}`).to.equal(true);
      }
    }
    return { accepted, closed: tick(l, t + 24 * 60 * MINUTE, calendar).listing };
  }

  const attempts = fc.array(
    fc.record({
      bidder: fc.integer({ min: 0, max: 2 }),
      steps: fc.integer({ min: 0, max: 4 }),
      offCents: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 99 }) }),
      delaySeconds: fc.integer({ min: 0, max: 8 * 60 }),
    }),
    { maxLength: 40 },
  );

  it('the winner is the highest valid bid, and every accepted bid is a whole increment above the one before', () => {
    fc.assert(
      fc.property(attempts, (as) => {
        const { accepted, closed } = play(as);
        if (accepted.length === 0) {
          expect(closed).to.include({ state: 'closed', branch: 'no_buyer' });
          return;
        }
        for (let i = 1; i < accepted.length; i++) {
          const step = new Dec(accepted[i]!.amount).minus(new Dec(accepted[i - 1]!.amount)).div(new Dec(closed.increment));
          expect(step.gte(new Dec('1')) && step.eq(step.round(0, 0)), `bid ${i}`).to.equal(true);
        }
        const highest = accepted.reduce((a, b) => (new Dec(b.amount).gt(new Dec(a.amount)) ? b : a));
        const awarded = awardAndConfirm(closed, closed.bidding!.closedAt! + MINUTE).listing;
        expect(awarded.award).to.include({ buyerOrgId: highest.orgId, price: highest.amount });
      }),
      { numRuns: 150 },
    );
  });

  it('the close is never earlier than the last bid plus the countdown, and no bid is accepted at or after it', () => {
    const countdown = opened.rules.countdownMinutes * MINUTE;
    fc.assert(
      fc.property(attempts, (as) => {
        const { accepted, closed } = play(as);
        const b = closed.bidding!;
        expect(b.phase).to.equal('closed');
        const last = accepted.at(-1);
        const rule = Math.max(b.freeEndsAt!, last?.at ?? 0) + countdown;
        expect(b.closedAt).to.equal(rule);
        if (last) expect(b.closedAt!).to.be.at.least(last.at + countdown);
        for (const a of accepted) expect(a.at).to.be.below(b.closedAt!);
      }),
      { numRuns: 150 },
    );
  });
});
