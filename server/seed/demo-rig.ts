/**
 * The exchange's own services on a private simulated clock of the demo seeder's: the demo history is
 * made by the same commands a person would give (orders, listing actions, transfer actions), with the
 * same ledgers, audit entries and book journal, dated before the exchange's clock without ever moving
 * that clock back. Moving the private clock runs what the scheduler would run (expiries, listing
 * timers, transfer deadlines).
 */
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../../db/database';
import type { Config } from '../config';
import type { Principal } from '../auth/tokens';
import { SimulatedClock } from '../clock/clock';
import { loadCalendar } from '../calendar/calendar.service';
import { createCommandRunner } from '../commands';
import { OrdersService } from '../orders/orders.service';
import { ListingsService } from '../listings/listings.service';
import { SealedBidVault, resolveSealedBidKey } from '../listings/sealed-bid-vault';
import { TransfersService } from '../transfers/transfers.service';
import { ConfirmationIssuer } from '../transfers/confirmation/issuer';
import { transferOpener } from '../transfers/open-from-trade';
import { ValuationService } from '../valuation/valuation.service';
import { lazyPdfWorkerPool } from '../confirmations';
import type { WorkingDayCalendar } from '../../shared/calendar';
import type { Role } from '../../db/schema';

export interface DemoRig {
  clock: SimulatedClock;
  calendar: WorkingDayCalendar;
  orders: OrdersService;
  listings: ListingsService;
  transfers: TransfersService;
  valuations: ValuationService;
  /** A demo user by username, as a signed-in principal. */
  as(username: string): Principal;
  /** The transfer the award of a listing opened. */
  transferOfListing(listingId: string): Promise<string>;
  /** Moves the private clock forward to `ms` and runs the work that fell due, as the scheduler would. */
  moveTo(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function openDemoRig(handle: DatabaseHandle, config: Config, log: Logger, fromMs: number): Promise<DemoRig> {
  const clock = new SimulatedClock(fromMs);
  const calendar = await loadCalendar(handle.db);
  const commands = createCommandRunner(handle);
  const opener = transferOpener(calendar, config.fees);
  const orders = new OrdersService(handle, clock, calendar, opener);
  await orders.recover();
  const vault = new SealedBidVault(resolveSealedBidKey(config.sealedBidKey, config.dataDir), config.sealedBidKeyPrevious);
  const listings = new ListingsService(handle, clock, calendar, commands, opener, vault);
  const pdf = lazyPdfWorkerPool({ size: 1 });
  const issuer = new ConfirmationIssuer(handle.engine, config.publicBaseUrl ?? `http://localhost:${config.port || 3000}`, pdf);
  const transfers = new TransfersService({ handle, clock, calendar, commands, issuer, log });
  const valuations = new ValuationService(handle, clock, commands);
  const users = await handle.db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.orgId')
    .select(['users.id', 'users.username', 'users.orgId', 'users.roles', 'organisations.name as orgName'])
    .execute();
  const principals = new Map(
    users.map((u) => [
      u.username,
      { userId: u.id, username: u.username, orgId: u.orgId, orgName: u.orgName, roles: u.roles.split(',') as Role[] },
    ]),
  );
  return {
    clock,
    calendar,
    orders,
    listings,
    transfers,
    valuations,
    as(username) {
      const p = principals.get(username);
      if (!p) throw new Error(`demo user ${username} is missing`);
      return p;
    },
    async transferOfListing(listingId) {
      const trade = await handle.db.selectFrom('trades').select('transferId').where('listingId', '=', listingId).executeTakeFirst();
      if (!trade?.transferId) throw new Error(`listing ${listingId} has no trade with a transfer`);
      return trade.transferId;
    },
    async moveTo(ms) {
      if (ms > clock.now()) clock.moveTo(ms);
      await orders.expireDue();
      await listings.tickDue();
      await transfers.tickDueTransfers();
    },
    close: () => pdf.close(),
  };
}
