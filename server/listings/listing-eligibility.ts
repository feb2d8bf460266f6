/**
 * What the rulebook and the transfer workflow say about a listing's buyers: whether a buyer may take part in this
 * listing's trade today (the whole listed quantity in one trade), for every buyer in at an award, and whether the
 * seller may record a default while the award's transfer still runs.
 */
import { beijingDate, type WorkingDayCalendar } from '../../shared/calendar';
import { Dec } from '../../shared/decimal';
import { buyerVerdict } from '../../shared/rules';
import type { Tx } from '../../db/database';
import { iso } from '../clock/clock';
import { refusal } from '../i18n/refusal';
import { readBuyerFacts, readFundRules, readInvestorCount, readPosition } from '../rules/facts';
import { buyersIn, type Listing } from './domain';

/** Transfer states in which the transfer no longer decides anything about its buyer (the deal ended without failing). */
const TRANSFER_ENDED_WITHOUT_DEFAULT = new Set(['refused', 'rejected']);

/** An awarded listing's default is the transfer workflow's to decide while the award's transfer runs: INVALID_STATE then. */
export async function refuseDefaultWhileTransferDecides(trx: Tx, l: Listing): Promise<void> {
  if (l.state !== 'awarded') return; // the core answers INVALID_STATE
  const trade = await trx
    .selectFrom('trades')
    .select('transferId')
    .where('listingId', '=', l.id)
    .orderBy('executedAt', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!trade?.transferId) return;
  const transfer = await trx.selectFrom('transfers').select('state').where('id', '=', trade.transferId).executeTakeFirst();
  if (transfer && !TRANSFER_ENDED_WITHOUT_DEFAULT.has(transfer.state)) {
    throw refusal(
      'INVALID_STATE',
      `the award's transfer is ${transfer.state}: the transfer workflow decides a default and reopens the listing`,
      {
        reason: 'award_transfer_open',
        state: transfer.state,
      },
    );
  }
}

/** The rulebook's verdict today on every buyer in (qualified with a deposit held): the award's possible winners. */
export async function eligibilityOfBuyersIn(
  trx: Tx,
  l: Listing,
  now: number,
  calendar: WorkingDayCalendar,
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (const b of buyersIn(l)) out.set(b.orgId, await listingBuyerEligibility(trx, l, b.orgId, now, calendar));
  return out;
}

/**
 * The rulebook's answer for a buyer of this listing: the whole listed quantity in one trade, today; the
 * seller selling out frees one place in the fund. Null when the buyer may take part, else its code.
 */
export async function listingBuyerEligibility(
  trx: Tx,
  l: Pick<Listing, 'fundId' | 'sellerOrgId' | 'quantity'>,
  orgId: string,
  now: number,
  calendar: WorkingDayCalendar,
): Promise<string | null> {
  const buyer = await readBuyerFacts(trx, l.fundId, orgId, null, iso(now));
  const seller = await readPosition(trx, l.fundId, l.sellerOrgId);
  const verdict = buyerVerdict(
    buyer,
    await readFundRules(trx, l.fundId),
    {
      quantity: l.quantity,
      smallestFill: l.quantity,
      tradeDate: beijingDate(now),
      investorsBefore: await readInvestorCount(trx, l.fundId),
      placesFreed: seller && new Dec(seller.commitment).eq(l.quantity) ? 1 : 0,
    },
    calendar,
  );
  return verdict.ok ? null : verdict.code;
}
