/**
 * One rulebook, three venues: the same facts in the database give the same answer to an order on the
 * book (pre-trade checks), an operator qualifying a buyer of a listing, and the operator's review of a
 * transfer. Each case changes the facts inside a transaction that is rolled back afterwards.
 */
import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { seededDatabase, type SeededDatabase } from '../support/seeded-database';
import type { Tx } from '../../db/database';
import { WorkingDayCalendar } from '../../shared/calendar';
import { AppError } from '../../server/commands/errors';
import { checkOrder } from '../../server/orders/pre-trade-checks';
import { listingBuyerEligibility } from '../../server/listings/listing-eligibility';
import { eligibilityFacts } from '../../server/transfers/transfers.facts';
import { checkEligibility, defaultTerms, openTransfer } from '../../server/transfers/domain';
import type { Principal } from '../../server/auth/tokens';

const calendar = new WorkingDayCalendar();
const SEEDED = '2026-11-28T02:00:00Z';
const NOW = Date.parse('2026-12-02T02:00:00Z'); // Wednesday
const FUND = 'bj-ai-2021';
const SELLER = 'org-lp';
const BUYER = 'org-buyer2';
const QUANTITY = '10000000';

class Rollback extends Error {}

describeEachDatabase('one rulebook for every venue', (kind) => {
  let db: SeededDatabase;
  before(async () => {
    db = await seededDatabase(kind, SEEDED);
  });
  after(async () => {
    await db?.drop();
  });

  async function answers(
    change: (trx: Tx) => Promise<void>,
  ): Promise<{ book: string | null; listing: string | null; transfer: string | null }> {
    let out!: { book: string | null; listing: string | null; transfer: string | null };
    await db.handle.db
      .transaction()
      .execute(async (trx) => {
        // The buyer starts new to the fund (a position row of zero, as after selling out).
        const row = await trx
          .selectFrom('positions')
          .select('orgId')
          .where('fundId', '=', FUND)
          .where('orgId', '=', BUYER)
          .executeTakeFirst();
        if (!row) {
          await trx
            .insertInto('positions')
            .values({
              fundId: FUND,
              orgId: BUYER,
              commitment: '0.00',
              paidIn: '0.00',
              pledged: '0.00',
              onOffer: '0.00',
              reserved: '0.00',
              lastBoughtAt: null,
              lastSoldAt: null,
            })
            .execute();
        }
        await trx
          .updateTable('positions')
          .set({ commitment: '0.00', paidIn: '0.00', lastSoldAt: null, lastBoughtAt: null })
          .where('fundId', '=', FUND)
          .where('orgId', '=', BUYER)
          .execute();
        await change(trx);
        const fund = await trx.selectFrom('funds').selectAll().where('id', '=', FUND).executeTakeFirstOrThrow();
        const who: Principal = { userId: 'u-buyer2', orgId: BUYER, roles: ['buyer'] } as Principal;
        const book = await checkOrder(
          trx,
          who,
          { fundId: FUND, side: 'buy', pricePct: '90.00', quantity: QUANTITY, timeInForce: 'GTC' },
          fund,
          NOW,
          calendar,
        ).then(
          () => null,
          (err: unknown) => {
            if (err instanceof AppError) return err.code;
            throw err;
          },
        );
        const listing = await listingBuyerEligibility(trx, { fundId: FUND, sellerOrgId: SELLER, quantity: QUANTITY }, BUYER, NOW, calendar);
        const { transfer: t } = openTransfer(
          {
            id: 'tr-venues',
            tradeId: 'trade-venues',
            venue: 'book',
            listingId: null,
            fundId: FUND,
            seller: { orgId: SELLER, stateOwned: false },
            buyer: { orgId: BUYER, stateOwned: false },
            gpOrgId: 'org-gp',
            lotSize: fund.lotSize,
            quantity: QUANTITY,
            pricing: { basis: 'pct_of_nav', pricePct: '90.00', navPerCommitment: '1.2' },
            tradeExecutedAt: new Date(NOW).toISOString(),
            terms: defaultTerms({ rofrEnabled: false, gpConsentRequired: false, roundTripWorkingDays: fund.roundTripWorkingDays }),
            rofrHolders: [],
          },
          { now: new Date(NOW).toISOString(), calendar },
        );
        const refused = checkEligibility(t, await eligibilityFacts(trx, t, new Date(NOW).toISOString()), calendar);
        out = { book, listing, transfer: refused ? refused.code : null };
        throw new Rollback();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Rollback)) throw err;
      });
    return out;
  }

  const same = (code: string | null) => ({ book: code, listing: code, transfer: code });

  it('a qualified buyer new to the fund, above its minimum, with room under the cap: allowed everywhere', async () => {
    expect(await answers(async () => {})).to.deep.equal(same(null));
  });

  it('a lapsed qualified-investor record: BUYER_NOT_QUALIFIED everywhere', async () => {
    expect(
      await answers(async (trx) => {
        await trx.updateTable('qualifications').set({ expiresAt: '2026-11-30T00:00:00.000Z' }).where('orgId', '=', BUYER).execute();
      }),
    ).to.deep.equal(same('BUYER_NOT_QUALIFIED'));
  });

  it('a minimum holding above the quantity: BELOW_MIN_HOLDING everywhere (transfers did not check it before)', async () => {
    expect(
      await answers(async (trx) => {
        await trx.updateTable('funds').set({ minHolding: '20000000' }).where('id', '=', FUND).execute();
      }),
    ).to.deep.equal(same('BELOW_MIN_HOLDING'));
  });

  it('a fund at its investor cap: INVESTOR_CAP_REACHED everywhere', async () => {
    expect(
      await answers(async (trx) => {
        const n = await trx
          .selectFrom('positions')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .where('fundId', '=', FUND)
          .where('commitment', '!=', '0.00')
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('funds')
          .set({ investorCap: Number(n.n) })
          .where('id', '=', FUND)
          .execute();
      }),
    ).to.deep.equal(same('INVESTOR_CAP_REACHED'));
  });

  it('a sale of the fund two working days ago: ROUND_TRIP_TOO_SOON everywhere (listings did not check it before)', async () => {
    expect(
      await answers(async (trx) => {
        await trx
          .updateTable('positions')
          .set({ lastSoldAt: '2026-11-30T02:00:00.000Z' })
          .where('fundId', '=', FUND)
          .where('orgId', '=', BUYER)
          .execute();
      }),
    ).to.deep.equal(same('ROUND_TRIP_TOO_SOON'));
  });
});
