/**
 * DEMO_ACTIVITY=1: demo participants keep quoting inside the spread, so books move live. A small
 * actor on a timer that places real orders through the order service on the exchange's clock: each
 * tick picks a fund and a side from a seeded stream and, when the spread is wider than one tick,
 * replaces that participant's previous quote with one a tick inside the best price (never crossing).
 * Stopped with the exchange; a refusal (a position used up, a qualification lapsed) is logged and skipped.
 */
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../../db/database';
import type { Principal } from '../auth/tokens';
import type { OrderDesk } from '../orders/order-desk';
import type { Role } from '../../db/schema';
import { Dec } from '../../shared/decimal';
import { mulberry32 } from '../../shared/seeded-random';

const TICK = new Dec('0.01');
/** Who quotes which side (the demo's private LP sells, the two S-fund buyers bid). */
const QUOTERS: { username: string; side: 'buy' | 'sell' }[] = [
  { username: 'lp', side: 'sell' },
  { username: 'buyer1', side: 'buy' },
  { username: 'buyer2', side: 'buy' },
];

/** stop() clears the timer and resolves once a quote in flight has finished: nothing is placed after it. */
export interface DemoActivity {
  stop(): Promise<void>;
}

export async function startDemoActivity(
  handle: DatabaseHandle,
  orders: OrderDesk,
  log: Logger,
  everyMs = 4000,
  seed = 15,
): Promise<DemoActivity> {
  const funds = await handle.db.selectFrom('funds').select(['id', 'lotSize']).orderBy('id').execute();
  const users = await handle.db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.orgId')
    .select(['users.id', 'users.username', 'users.orgId', 'users.roles', 'organisations.name as orgName'])
    .where(
      'users.username',
      'in',
      QUOTERS.map((q) => q.username),
    )
    .execute();
  const principal = new Map<string, Principal>(
    users.map((u) => [
      u.username,
      { userId: u.id, username: u.username, orgId: u.orgId, orgName: u.orgName, roles: u.roles.split(',') as Role[] },
    ]),
  );
  const random = mulberry32(seed);
  /** The open quote of each participant in each fund, replaced by its next one. */
  const previous = new Map<string, string>();
  let inFlight: Promise<void> | null = null;

  const quoteOnce = async (): Promise<void> => {
    const fund = funds[Math.floor(random() * funds.length)];
    const quoter = QUOTERS[Math.floor(random() * QUOTERS.length)]!;
    const who = principal.get(quoter.username);
    if (!fund || !who) return;
    const book = await orders.book(fund.id, 1);
    const bid = book.bids[0]?.pricePct;
    const ask = book.asks[0]?.pricePct;
    if (!bid || !ask || new Dec(ask).minus(new Dec(bid)).lte(TICK)) return;
    const key = `${quoter.username}:${fund.id}`;
    const old = previous.get(key);
    if (old) await orders.cancel(who, old).catch(() => {}); // already filled or cancelled: nothing to replace
    const pricePct = quoter.side === 'buy' ? new Dec(bid).plus(TICK).toFixed(2) : new Dec(ask).minus(TICK).toFixed(2);
    const out = await orders.submit(
      who,
      { fundId: fund.id, side: quoter.side, pricePct, quantity: fund.lotSize, timeInForce: 'GTC' },
      undefined,
    );
    previous.set(key, (out.body as { order: { id: string } }).order.id);
  };

  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = quoteOnce()
      .catch((err: unknown) => log.warn({ err }, 'demo activity: a quote was refused'))
      .finally(() => {
        inFlight = null;
      });
  }, everyMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await inFlight;
    },
  };
}
