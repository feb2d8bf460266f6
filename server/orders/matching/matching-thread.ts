/**
 * The matching thread (worker_threads): the single writer of the books (the pipeline of exchange-core
 * and LMAX). It owns the in-memory books, the group commit and a database connection of its own, runs
 * the commands the HTTP thread hands over, and answers each only after its batch has committed. Before
 * an answer it posts the batch's committed changes with the tops of the books they touched (the HTTP
 * side's quotes and mirror). On PostgreSQL it also follows the books other processes commit to.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { openDatabase } from '../../../db/database';
import { databaseLogOptions } from '../../../db/logging';
import { CalendarService, loadCalendar } from '../../calendar/calendar.service';
import { realClock, SimulatedClock, type Clock } from '../../clock/clock';
import { transferOpener } from '../../transfers/open-from-trade';
import { BookFollower } from '../book-follower';
import { OrdersService } from '../orders.service';
import { MIRROR_DEPTH, serializeError, type BookTop, type FromMatching, type MatchingSetup, type ToMatching } from './protocol';

/** As the HTTP side's calendar refresh: approvals made through another process count here within this time. */
const CALENDAR_REFRESH_MS = 5000;
/** Connections of the thread's own pool (PostgreSQL): one batch at a time, plus reads of the book and the follower's catch-ups. */
const POOL_SIZE = 4;

const setup = workerData as MatchingSetup;
const port = parentPort!;
const post = (m: FromMatching) => port.postMessage(m);

async function main(): Promise<void> {
  const log = pino({ level: setup.logLevel });
  const handle = openDatabase(setup.databaseUrl, {
    poolSize: POOL_SIZE,
    pipeline: true,
    namedStatements: setup.namedStatements,
    ...databaseLogOptions(log),
  });
  const simulated = setup.clock === 'simulated' ? new SimulatedClock(setup.clockMs) : null;
  const clock: Clock = simulated ?? realClock;
  const calendar = new CalendarService(await loadCalendar(handle.db), handle.db, handle.engine);
  const orders = new OrdersService(handle, clock, calendar.calendar, transferOpener(calendar.calendar, setup.fees));
  await orders.recover();
  const follower = handle.engine.name === 'postgres' ? new BookFollower(setup.databaseUrl, orders, log) : null;
  await follower?.start();
  const refresh = setInterval(() => {
    calendar.refresh().catch((err: unknown) => log.warn({ err }, 'calendar refresh failed'));
  }, CALENDAR_REFRESH_MS);

  const topOf = (fundId: string): BookTop | null => {
    const b = orders.books.get(fundId);
    return b ? { fundId, seq: b.seq, depth: b.engine.depth(MIRROR_DEPTH), lastPriceTicks: b.lastPriceTicks } : null;
  };
  // Synchronously after each commit, before the next batch touches a book: the top is the committed one.
  orders.onCommitted((change) => {
    const top = topOf(change.fundId);
    if (top) post({ t: 'committed', change, top, nextExpiryMs: orders.nextExpiryMs() });
  });
  const inFlight = new Set<Promise<unknown>>();
  const run = (m: Extract<ToMatching, { t: 'cmd' }>): Promise<unknown> => {
    if (simulated && m.clockMs !== null && m.clockMs > simulated.now()) simulated.moveTo(m.clockMs);
    switch (m.op) {
      case 'submit':
        return orders.submit(...m.args);
      case 'amend':
        return orders.amend(...m.args);
      case 'cancel':
        return orders.cancel(...m.args);
      case 'book':
        return orders.book(...m.args);
      case 'settle':
        return orders.settle(...m.args);
      case 'expireDue':
        // The next expiry comes back with the answer, also when nothing was due (no commit to carry it).
        return orders.expireDue().then(() => orders.nextExpiryMs());
    }
  };
  port.on('message', (m: ToMatching) => {
    if (m.t === 'calendar') {
      calendar.refresh().catch((err: unknown) => log.warn({ err }, 'calendar refresh failed'));
    } else if (m.t === 'cmd') {
      const p = run(m).then(
        (value) => post({ t: 'reply', id: m.id, ok: true, value }),
        (err: unknown) => post({ t: 'reply', id: m.id, ok: false, error: serializeError(err) }),
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    } else {
      // Commands already handed over are answered first: none is left without its reply.
      clearInterval(refresh);
      void (async () => {
        await Promise.allSettled([...inFlight]);
        await follower?.stop();
        await handle.close();
        post({ t: 'closed' });
        port.close();
      })();
    }
  });
  const tops = [...orders.books.all()].map((b) => topOf(b.fundId)).filter((t): t is BookTop => t !== null);
  post({ t: 'ready', tops, nextExpiryMs: orders.nextExpiryMs() });
}

main().catch((err: unknown) => {
  // Start-up failed (e.g. a book whose state hash does not match): the HTTP side's start fails with it.
  post({ t: 'reply', id: 0, ok: false, error: serializeError(err) });
  port.close();
});
