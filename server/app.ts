/**
 * Assembles the exchange: database, clock, calendar, services and the HTTP routes. Features are
 * folders under server/; this file only wires them together.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import pino, { type Logger } from 'pino';
import pinoHttp from 'pino-http';
import { sql } from 'kysely';
import type { Config } from './config';
import { openDatabase, type DatabaseHandle } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { openClock } from './clock/clock.store';
import type { Clock } from './clock/clock';
import { createTokenService, resolveSigningKey } from './auth/tokens';
import { SessionRevocations } from './auth/sessions';
import { SealedBidVault, resolveSealedBidKey } from './listings/sealed-bid-vault';
import { AuthService } from './auth/auth.service';
import { authRoutes } from './auth/auth.routes';
import { createCommandRunner } from './commands';
import { errorHandler } from './http/error-handler';
import { AppError } from './commands/errors';
import { jsonBody, mountRoutes } from './http/mount';
import { buildOpenApi } from './http/openapi';
import type { RouteSpec } from './http/route';
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
import { OrdersService } from './orders/orders.service';
import { BookFollower } from './orders/book-follower';
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
import { lazyPdfWorkerPool, type PdfWorkerPool } from './confirmations';
import { MarketDataService } from './market-data/market-data.service';
import { marketDataRoutes } from './market-data/market-data.routes';
import { PledgesService } from './pledges/pledges.service';
import { pledgesRoutes } from './pledges/pledges.routes';
import { DistributionsService } from './distributions/distributions.service';
import { distributionsRoutes } from './distributions/distributions.routes';


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
  /** The continuous book's service (for benchmarks and tests that watch commits). */
  orders: OrdersService;
  /** The PDF worker threads (confirmations, valuation reports). */
  pdf: PdfWorkerPool;
  /** The route declarations served (for the error-catalogue completeness test). */
  routes: readonly RouteSpec[];
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number>;
  close(): Promise<void>;
}

const VERSION = '0.1.0';

export async function createExchange(config: Config, log: Logger = pino({ level: config.logLevel })): Promise<Exchange> {
  const handle = openDatabase(config.databaseUrl);
  await migrateToLatest(handle.db);
  const clock = await openClock(handle.db, config);
  if (!config.production && (await isEmpty(handle))) {
    await seedDemoMarket(handle, clock.now(), config.qualification);
    log.info('seeded the demo market');
    if (config.demoMarket === 'full') {
      const history = await seedDemoHistory(handle, config, log, clock.now());
      log.info(history, 'seeded the demo market\'s history (DEMO_MARKET=empty skips it)');
    }
  }
  const calendar = new CalendarService(await loadCalendar(handle.db), handle.db, handle.engine);
  // Background work on a timer that does not keep the process alive; a failed run is logged and the
  // next one tries again.
  const repeatEvery = (ms: number, what: string, work: () => Promise<unknown>) => {
    const timer = setInterval(() => { work().catch((err: unknown) => log.warn({ err }, `${what} failed`)); }, ms);
    timer.unref();
    return timer;
  };
  // Calendar years approved through another process count here too, within a few seconds.
  const calendarRefresh = repeatEvery(CALENDAR_REFRESH_MS, 'calendar refresh', () => calendar.refresh());
  // Sessions ended early; those ended through another process are picked up within the interval.
  const sessions = new SessionRevocations(handle.db);
  await sessions.refresh(Date.now());
  const sessionsRefresh = repeatEvery(config.sessionsRefreshMs, 'session refresh', () => sessions.refresh(Date.now()));
  const tokens = createTokenService(resolveSigningKey(config.jwtSecret, config.dataDir), config.tokenTtlHours, sessions);
  // The quote feed starts after the services; until then there is nobody to tell.
  let nudgeQuotes = () => {};
  const commands = createCommandRunner(handle, () => nudgeQuotes());
  let ready = false;

  const orders = new OrdersService(handle, clock, calendar.calendar, transferOpener(calendar.calendar, config.fees));
  await orders.recover();
  // PostgreSQL: follow the books that other processes on the same database commit to.
  const follower = handle.engine.name === 'postgres' ? new BookFollower(config.databaseUrl, orders, log) : null;
  await follower?.start();
  const vault = new SealedBidVault(resolveSealedBidKey(config.sealedBidKey, config.dataDir), config.sealedBidKeyPrevious);
  const listings = new ListingsService(handle, clock, calendar.calendar, commands, transferOpener(calendar.calendar, config.fees), vault);
  await listings.sealLegacyBids();
  const resealed = await listings.resealUnderCurrentKey();
  if (resealed.unopenable.length) log.error({ bids: resealed.unopenable }, 'sealed bids that neither SEALED_BID_KEY nor SEALED_BID_KEY_PREVIOUS opens: their auctions cannot be awarded');
  await listings.recover();
  ready = true;
  // PDF work (confirmations, valuation reports) runs in worker threads, never on the matching thread.
  const pdfWorkers = lazyPdfWorkerPool({ size: 1 });
  const issuer = new ConfirmationIssuer(handle.engine, config.publicBaseUrl ?? `http://localhost:${config.port || 3000}`, pdfWorkers);
  const transfers = new TransfersService({ handle, clock, calendar: calendar.calendar, commands, issuer, log, escrowAccount: config.escrowAccount });
  // An approved calendar year makes the running listings' provisional dates and the open transfers' provisional
  // deadlines final, in the approval's transaction (listings first: fund locks before any audit entry).
  calendar.onYearApproved(async (trx, y) => { await listings.recomputeProvisionalDates(trx, y.calendar, y.year, y.by, y.nowIso); });
  calendar.onYearApproved(async (trx, y) => { await transfers.recomputeProvisionalDeadlines(trx, y.calendar, y.year, y.by, y.nowIso); });
  const confirmations = new ConfirmationsService(handle, clock, commands);
  const scheduler = new Scheduler(clock, log, [
    { name: 'order expiry', nextAt: () => orders.nextExpiryMs(), run: () => orders.expireDue() },
    { name: 'listing timers', nextAt: () => listings.nextTimerMs(), run: () => listings.tickDue() },
    { name: 'transfer deadlines', nextAt: () => transfers.nextTickAtMs(), run: () => transfers.tickDueTransfers() },
  ], () => nudgeQuotes());

  const valuations = new ValuationService(handle, clock, commands);
  const distributions = new DistributionsService(handle, clock, commands, pdfWorkers, (fundId) => valuations.refreshInKind(fundId));
  const funds = new FundsService(handle.db, () => orders, () => valuations);
  const positions = new PositionsService(handle.db);
  const market = new MarketDataService(handle, clock, calendar.calendar);
  // DEMO_ACTIVITY=1 (never in production): demo participants quote inside the spread on the exchange's clock.
  const activity: DemoActivity | null = config.demoActivity ? await startDemoActivity(handle, orders, log) : null;
  const pledges = new PledgesService(handle, clock, commands);
  const auth = new AuthService(handle, tokens, sessions, commands, clock, config.production);
  // Rows of sessions long expired are deleted (the audit log keeps their history).
  await auth.purgeExpiredSessions(Date.now());
  const sessionsPurge = repeatEvery(SESSIONS_PURGE_MS, 'session purge', () => auth.purgeExpiredSessions(Date.now()));

  const specs: RouteSpec[] = [
    ...authRoutes(auth),
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
    ...adminRoutes({ clock, commands, calendar, engine: handle.engine, onClockMoved: () => scheduler.runDue() }),
    ...membersRoutes({ handle, clock, commands }),
    ...admissionRoutes({ handle, clock, commands }),
    ...qualificationsRoutes({ handle, clock, commands, thresholds: config.qualification }),
  ];

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const requestId = (res: express.Response | http.ServerResponse) => { const id = crypto.randomUUID(); res.setHeader('X-Request-Id', id); return id; };
  if (log.level === 'silent') {
    // Nothing would be written: skip pino-http's per-request child logger (a measurable share of a
    // request's cost), keep the request id every response carries.
    app.use((req, res, next) => { req.id = requestId(res); req.log = log; next(); });
  } else {
    app.use(pinoHttp({ logger: log, redact: ['req.headers.authorization', 'req.headers.cookie'], genReqId: (_req, res) => requestId(res), autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' } }));
  }
  app.get('/healthz', (_req, res) => { res.json({ status: 'up' }); });
  app.get('/readyz', async (_req, res) => {
    try {
      await sql`select 1`.execute(handle.db);
      if (!ready) throw new Error('engine not recovered');
      res.json({ status: 'ready', database: handle.engine.name });
    } catch (err) {
      res.status(503).type('application/problem+json').json({ type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'NOT_READY', detail: String(err instanceof Error ? err.message : err) });
    }
  });
  const openapi = buildOpenApi(specs, VERSION);
  app.get('/api/openapi.json', (_req, res) => { res.json(openapi); });
  app.get(['/api/docs', '/api/docs/'], (_req, res) => { res.type('html').send(DOCS_HTML); });
  app.use('/api/docs', express.static(path.join(require.resolve('swagger-ui-dist/package.json'), '..'), { index: false, redirect: false }));
  app.use('/api', jsonBody());
  // Partner registers may come as CSV (PUT /api/admin/funds/:fundId/partners).
  app.use('/api/admin/funds', express.text({ type: 'text/csv', limit: '1mb' }));
  const router = express.Router();
  mountRoutes(router, specs, tokens);
  app.use(router);
  app.use('/api', (req, _res, next) => next(new AppError('NOT_FOUND', `no route ${req.method} ${req.originalUrl}`)));
  // The browser client (client/, bundled into client/dist by `npm run build:client`): static files,
  // and index.html for any other GET outside /api so that deep links load the app.
  const clientDist = path.join(__dirname, '..', 'client', 'dist');
  app.use(express.static(clientDist, { index: 'index.html', maxAge: 0 }));
  app.use((req, res, next) => {
    if (req.method !== 'GET' || req.path.startsWith('/api/') || !fs.existsSync(path.join(clientDist, 'index.html'))) return next();
    res.sendFile(path.join(clientDist, 'index.html'));
  });
  app.use(errorHandler);

  const server = http.createServer(app);
  const quotes = await startQuotes({ server, tokens, sessions, log, handle, orders, listings, clock, calendar: calendar.calendar, pollMs: config.quotesPollMs });
  nudgeQuotes = () => quotes.nudge();
  return {
    config, handle, clock, server, log,
    quotes, orders, pdf: pdfWorkers, routes: specs,
    listen: () => new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, () => { scheduler.start(); resolve((server.address() as { port: number }).port); });
    }),
    close: async () => {
      ready = false;
      clearInterval(calendarRefresh);
      clearInterval(sessionsRefresh);
      clearInterval(sessionsPurge);
      await activity?.stop();
      scheduler.stop();
      await follower?.stop();
      await quotes.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pdfWorkers.close();
      await handle.close();
    },
  };
}

/** Swagger UI from the swagger-ui-dist package, served locally (nothing is fetched at run time). */
const DOCS_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>S-fund exchange API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head><body><div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui' });</script></body></html>`;
