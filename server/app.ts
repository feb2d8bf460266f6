/**
 * Assembles the exchange: database, clock, calendar, services and the HTTP routes. Features are
 * folders under server/; this file only wires them together.
 */
import http from 'node:http';
import pino, { type Logger } from 'pino';
import type { Config } from './config';
import { openDatabase, type DatabaseHandle } from '../db/database';
import { databaseLogOptions } from '../db/logging';
import { migrateToLatest } from '../db/migrate';
import { openClock } from './clock/clock.store';
import { iso, type Clock } from './clock/clock';
import { createTokenService, resolveSigningKey } from './auth/tokens';
import { SessionRevocations } from './auth/sessions';
import { LoanRatesService } from './loan-rates/loan-rates.service';
import { loanRatesRoutes } from './loan-rates/loan-rates.routes';
import { SealedBidJobs } from './listings/sealed-bid-jobs';
import { SealedBidVault, resolveSealedBidKey } from './listings/sealed-bid-vault';
import { AuthService } from './auth/auth.service';
import { UserAdminService } from './auth/user-admin.service';
import { authRoutes } from './auth/auth.routes';
import { createCommandRunner } from './commands';
import { WsTickets, upgradeAuthenticator } from './auth/browser-session';
import type { RouteSpec } from './http/route';
import { httpApp } from './http/app';
import { FundsService } from './funds/funds.service';
import { fundsRoutes } from './funds/funds.routes';
import { PositionsService } from './positions/positions.service';
import { positionsRoutes } from './positions/positions.routes';
import { CalendarService, loadCalendar } from './calendar/calendar.service';
import { adminRoutes } from './admin/admin.routes';
import { membersRoutes } from './members/members.routes';
import { admissionRoutes } from './funds/admission/admission.routes';
import { qualificationsRoutes } from './qualifications/qualifications.routes';
import { isEmpty, seedDemoMarket } from './seed/seed';
import { seedDemoHistory } from './seed/demo-history';
import { startDemoActivity, type DemoActivity } from './seed/demo-activity';
import type { OrderDesk } from './orders/order-desk';
import { startOrderDesk } from './orders/matching/start';
import { QualificationLapse } from './qualifications/lapse';
import { ordersRoutes } from './orders/orders.routes';
import { valuationRoutes } from './valuation/valuation.routes';
import { ValuationService } from './valuation/valuation.service';
import { valuationReportRoutes } from './valuation/reports.routes';
import { transferOpener } from './transfers/open-from-trade';
import { Scheduler } from './clock/scheduler';
import { ListingsService } from './listings/listings.service';
import { listingsRoutes } from './listings/listings.routes';
import { TransfersService } from './transfers/transfers.service';
import { transfersRoutes } from './transfers/transfers.routes';
import { ConfirmationIssuer } from './transfers/confirmation/issuer';
import { ConfirmationsService } from './transfers/confirmation/confirmations.service';
import { confirmationsRoutes } from './transfers/confirmation/confirmations.routes';
import { startQuotes, type QuoteServer } from './quotes';
import { lazyPdfWorkerPool, type PdfWorkerPool } from './pdf';
import { CONFIRMATION_RENDERER_MODULE } from './transfers/confirmation/layout';
import { VALUATION_RENDERER_MODULE } from './valuation/valuation-pdf';
import { INKIND_STATEMENT_RENDERER_MODULE } from './distributions/statement-pdf';
import { Startup } from './startup';
import { type AddressCounter, connectionCaps, guardConnections, readOpenFileLimit } from './http/connection-guard';
import { LISTEN_BACKLOG, listenQueue } from './http/listen-backlog';
import { MarketDataService } from './market-data/market-data.service';
import { marketDataRoutes } from './market-data/market-data.routes';
import { PledgesService } from './pledges/pledges.service';
import { pledgesRoutes } from './pledges/pledges.routes';
import { DistributionsService } from './distributions/distributions.service';
import { distributionsRoutes } from './distributions/distributions.routes';
import { writeAnchor } from './audit/anchors';
import { auditRoutes } from './audit/audit.routes';

/** How often each process picks up calendar years approved elsewhere. */
const CALENDAR_REFRESH_MS = 5000;
/** How often each process deletes the rows of long-expired sessions (AuthService.purgeExpiredSessions). */
const SESSIONS_PURGE_MS = 3600_000;

export interface Exchange {
  config: Config;
  handle: DatabaseHandle;
  clock: Clock;
  server: http.Server;
  log: Logger;
  /** The WebSocket quote feed on /ws (per process). */
  quotes: QuoteServer;
  /** The continuous book (for benchmarks and tests that watch commits): the matching thread's client, or the service itself. */
  orders: OrderDesk;
  /** Connections open per remote address, and how many were refused over the cap. */
  connections: AddressCounter;
  /** The PDF worker threads (confirmations, valuation reports). */
  pdf: PdfWorkerPool;
  /** Anchors the audit streams' heads now (as the timer does), if anything was appended since the last anchor. */
  anchorAudit(): Promise<unknown>;
  /** The route declarations served (for the error-catalogue completeness test). */
  routes: readonly RouteSpec[];
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the exchange as a sequence of named steps (server/startup.ts): each hands back how to stop
 * what it started; a failing step stops the ones already started, in reverse (the database last).
 */
export async function createExchange(config: Config, log: Logger = pino({ level: config.logLevel })): Promise<Exchange> {
  const startup = new Startup(log);
  // Background work on a timer that does not keep the process alive; a failed run is logged and the
  // next one tries again. Returns its stop.
  const repeatEvery = (ms: number, what: string, work: () => Promise<unknown>) => {
    const timer = setInterval(() => {
      work().catch((err: unknown) => log.warn({ err }, `${what} failed`));
    }, ms);
    timer.unref();
    return () => clearInterval(timer);
  };

  const handle = await startup.step('database', () => {
    const h = openDatabase(config.databaseUrl, {
      ...databaseLogOptions(log),
      namedStatements: config.pgNamedStatements,
      poolSize: config.pgPoolSize,
    });
    return { value: h, stop: () => h.close() };
  });
  await startup.run('migrations', () => migrateToLatest(handle.db));
  const clock = await startup.run('clock', () => openClock(handle.db, config));
  await startup.run('demo market', async () => {
    if (config.production || !(await isEmpty(handle))) return;
    await seedDemoMarket(handle, clock.now(), config.qualification);
    log.info('seeded the demo market');
    if (config.demoMarket === 'full') {
      const history = await seedDemoHistory(handle, config, log, clock.now());
      log.info(history, "seeded the demo market's history (DEMO_MARKET=empty skips it)");
    }
  });
  const calendar = await startup.step('calendar', async () => {
    const c = new CalendarService(await loadCalendar(handle.db), handle.db, handle.engine);
    // Calendar years approved through another process count here too, within a few seconds.
    return { value: c, stop: repeatEvery(CALENDAR_REFRESH_MS, 'calendar refresh', () => c.refresh()) };
  });
  const sessions = await startup.step('sessions', async () => {
    // Sessions ended early; those ended through another process are picked up within the interval.
    const s = new SessionRevocations(handle.db);
    await s.refresh(Date.now());
    return { value: s, stop: repeatEvery(config.sessionsRefreshMs, 'session refresh', () => s.refresh(Date.now())) };
  });
  const tokens = await startup.run('tokens', () =>
    createTokenService(resolveSigningKey(config.jwtSecret, config.dataDir), config.tokenTtlHours, sessions),
  );
  // The quote feed starts after the services; until then there is nobody to tell.
  let nudgeQuotes = () => {};
  const commands = createCommandRunner(handle, () => nudgeQuotes());
  let ready = false;

  // The books, their group commit and their write connection: on the matching thread (the default), or here.
  const orders = await startup.step('order books', () => startOrderDesk(config, handle, clock, calendar.calendar, log));
  const listings = await startup.run('listings', async () => {
    const vault = new SealedBidVault(resolveSealedBidKey(config.sealedBidKey, config.dataDir), config.sealedBidKeyPrevious);
    const l = new ListingsService(handle, clock, calendar.calendar, commands, transferOpener(calendar.calendar, config.fees), vault);
    const jobs = new SealedBidJobs(handle, clock, vault);
    await jobs.sealLegacyBids();
    const resealed = await jobs.resealUnderCurrentKey();
    if (resealed.unopenable.length)
      log.error(
        { bids: resealed.unopenable },
        'sealed bids that neither SEALED_BID_KEY nor SEALED_BID_KEY_PREVIOUS opens: their auctions cannot be awarded',
      );
    await l.recover();
    return l;
  });
  ready = true;
  // PDF work (confirmations, valuation reports) runs in worker threads, never on the matching thread.
  const pdfWorkers = await startup.step('pdf workers', () => {
    const pool = lazyPdfWorkerPool({
      size: 1,
      rendererModules: [CONFIRMATION_RENDERER_MODULE, VALUATION_RENDERER_MODULE, INKIND_STATEMENT_RENDERER_MODULE],
    });
    return { value: pool, stop: () => pool.close() };
  });
  const { transfers, confirmations } = await startup.run('transfers', () => {
    const issuer = new ConfirmationIssuer(handle.engine, config.publicBaseUrl ?? `http://localhost:${config.port || 3000}`, pdfWorkers);
    const t = new TransfersService({
      handle,
      clock,
      calendar: calendar.calendar,
      commands,
      issuer,
      log,
      escrowAccount: config.escrowAccount,
    });
    // An approved calendar year makes the running listings' provisional dates and the open transfers'
    // provisional deadlines final, in the approval's transaction, in the one lock order: the affected
    // transfers' locks first, then the listings' fund locks, then the audit entries.
    calendar.onYearApproved(async (trx, y) => {
      await t.lockProvisionalDeadlines(trx, y.calendar, y.nowIso);
    });
    calendar.onYearApproved(async (trx, y) => {
      await listings.recomputeProvisionalDates(trx, y.calendar, y.year, y.by, y.nowIso);
    });
    calendar.onYearApproved(async (trx, y) => {
      await t.recomputeProvisionalDeadlines(trx, y.calendar, y.year, y.by, y.nowIso);
    });
    return { transfers: t, confirmations: new ConfirmationsService(handle, clock, commands) };
  });
  // Started by listen(); stopped with the exchange.
  const scheduler = await startup.step('scheduler', () => {
    const s = new Scheduler(
      clock,
      log,
      [
        { name: 'order expiry', nextAt: () => orders.nextExpiryMs(), run: () => orders.expireDue() },
        { name: 'listing timers', nextAt: () => listings.nextTimerMs(), run: () => listings.tickDue() },
        { name: 'transfer deadlines', nextAt: () => transfers.nextTickAtMs(), run: () => transfers.tickDueTransfers() },
        // The books cancel a lapsed buyer's bids before any command on them (bid-qualification.ts); this brings the books
        // nobody trades up to the clock too, and writes each lapse's summary.
        new QualificationLapse(handle, clock, orders, log),
      ],
      () => nudgeQuotes(),
    );
    return { value: s, stop: () => s.stop() };
  });
  const { valuations, distributions, funds, positions, pledges, market, auth, users } = await startup.step('services', async () => {
    const v = new ValuationService(handle, clock, commands);
    const a = new AuthService(handle, tokens, sessions, clock, config.production);
    // Rows of sessions long expired are deleted (the audit log keeps their history).
    await a.purgeExpiredSessions(Date.now());
    return {
      value: {
        valuations: v,
        distributions: new DistributionsService(handle, clock, commands, pdfWorkers, (fundId) => v.refreshInKind(fundId)),
        funds: new FundsService(
          handle.db,
          () => orders,
          () => v,
        ),
        positions: new PositionsService(handle.db),
        pledges: new PledgesService(handle, clock, commands),
        market: new MarketDataService(handle, clock, calendar.calendar),
        auth: a,
        users: new UserAdminService(handle, sessions, commands, clock),
      },
      stop: repeatEvery(SESSIONS_PURGE_MS, 'session purge', () => a.purgeExpiredSessions(Date.now())),
    };
  });
  // The global audit anchor: at start and on a timer (every process; the anchor lock makes one write it).
  const anchor = () => writeAnchor(handle, iso(clock.now()));
  await startup.step('audit anchors', async () => {
    await anchor();
    return { value: undefined, stop: repeatEvery(config.auditAnchorMs, 'audit anchor', anchor) };
  });

  const wsTickets = new WsTickets();
  const specs: RouteSpec[] = [
    ...authRoutes(auth, users, wsTickets),
    ...fundsRoutes(funds),
    ...positionsRoutes(positions),
    ...ordersRoutes(orders),
    ...valuationRoutes(),
    ...valuationReportRoutes(valuations, pdfWorkers),
    ...listingsRoutes(listings),
    ...transfersRoutes(transfers),
    ...confirmationsRoutes(confirmations),
    ...marketDataRoutes(market),
    ...pledgesRoutes(pledges),
    ...distributionsRoutes(distributions),
    ...auditRoutes(handle.db),
    ...adminRoutes({
      clock,
      commands,
      calendar,
      engine: handle.engine,
      onClockMoved: () => scheduler.runDue(),
      onCalendarApproved: () => orders.calendarChanged?.(),
    }),
    ...membersRoutes({ handle, clock, commands }),
    ...admissionRoutes({ handle, clock, commands }),
    ...qualificationsRoutes({ handle, clock, commands, thresholds: config.qualification }),
    ...loanRatesRoutes({ rates: new LoanRatesService(handle.db, handle.engine), clock, commands }),
  ];
  // DEMO_ACTIVITY=1 (never in production): demo participants quote inside the spread on the exchange's clock.
  await startup.step('demo activity', async () => {
    const activity: DemoActivity | null = config.demoActivity ? await startDemoActivity(handle, orders, log) : null;
    return { value: activity, stop: () => activity?.stop() };
  });
  const app = await startup.run('http routes', () =>
    httpApp(specs, tokens, log, handle, () => ready && (orders.running?.() ?? true), config.production),
  );
  // Idle and slow connections are timed out (checked every second); connections are capped below the
  // open-file limit, in total and per remote address (http/connection-guard.ts).
  const caps = connectionCaps(readOpenFileLimit(), config.connectionsPerAddress);
  const { server, connectionCounter } = await startup.step('http server', () => {
    const s = http.createServer({ connectionsCheckingInterval: 1000 }, app);
    const counter = guardConnections(s, caps);
    log.info({ openFiles: caps.openFiles, maxConnections: caps.maxConnections, perAddress: caps.perAddress }, 'connection caps');
    // The process cannot raise the kernel's settings; it says which ones cut its accept queue short.
    const queue = listenQueue();
    if (queue.warnings.length > 0) {
      log.warn(
        { backlog: queue.backlog, asked: LISTEN_BACKLOG, settings: queue.settings, warnings: queue.warnings },
        'kernel settings below the recommended values: a burst of connections from one client can delay others by seconds',
      );
    }
    return {
      value: { server: s, connectionCounter: counter },
      stop: () =>
        new Promise<void>((resolve) => {
          s.close(() => resolve());
        }),
    };
  });
  const quotes = await startup.step('quote feed', async () => {
    const q = await startQuotes({
      server,
      tokens,
      sessions,
      log,
      handle,
      orders,
      listings,
      clock,
      calendar: calendar.calendar,
      pollMs: config.quotesPollMs,
      limits: {
        maxSockets: caps.maxConnections,
        maxUnauthenticatedPerAddress: config.wsUnauthenticatedPerAddress,
        authTimeoutMs: config.wsAuthTimeoutMs,
      },
      authenticateUpgrade: upgradeAuthenticator(tokens, wsTickets),
    });
    return { value: q, stop: () => q.close() };
  });
  nudgeQuotes = () => quotes.nudge();
  return {
    config,
    handle,
    clock,
    server,
    log,
    quotes,
    orders,
    pdf: pdfWorkers,
    routes: specs,
    connections: connectionCounter,
    anchorAudit: anchor,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: config.port, backlog: LISTEN_BACKLOG }, () => {
          scheduler.start();
          resolve((server.address() as { port: number }).port);
        });
      }),
    close: async () => {
      ready = false;
      await startup.stop();
    },
  };
}
