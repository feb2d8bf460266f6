/**
 * The exchange's order desk: with MATCHING_THREAD=1 (the default) the matching thread and its client,
 * otherwise the order service on this thread (as before the thread), with the PostgreSQL book follower
 * next to it. Either way the books recover (rebuilt, checked against their state hashes, due expiries
 * applied) before the desk is handed back.
 */
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../../../db/database';
import type { WorkingDayCalendar } from '../../../shared/calendar';
import type { Clock } from '../../clock/clock';
import type { Config } from '../../config';
import type { Started } from '../../startup';
import { transferOpener } from '../../transfers/open-from-trade';
import { BookFollower } from '../book-follower';
import type { OrderDesk } from '../order-desk';
import { OrdersService } from '../orders.service';
import { MatchingClient } from './matching-client';

export async function startOrderDesk(
  config: Config,
  handle: DatabaseHandle,
  clock: Clock,
  calendar: WorkingDayCalendar,
  log: Logger,
): Promise<Started<OrderDesk>> {
  if (config.matchingThread) {
    const client = await MatchingClient.start(
      {
        databaseUrl: config.databaseUrl,
        fees: config.fees,
        clock: config.clock,
        clockMs: clock.now(),
        logLevel: config.logLevel,
        namedStatements: config.pgNamedStatements,
      },
      handle.db,
      clock,
      log,
    );
    return { value: client, stop: () => client.close() };
  }
  const orders = new OrdersService(handle, clock, calendar, transferOpener(calendar, config.fees));
  await orders.recover();
  // PostgreSQL: follow the books that other processes on the same database commit to.
  const follower = handle.engine.name === 'postgres' ? new BookFollower(config.databaseUrl, orders, log) : null;
  await follower?.start();
  return { value: orders, stop: () => follower?.stop() };
}
