/**
 * The HTTP side of the exchange as one request listener: Express with the application's middleware,
 * health and readiness, the API documents, the routes and the browser client, and the hot routes in
 * front of it (hot-path.ts). server/app.ts assembles the services and hands their routes here.
 */
import type http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { Logger } from 'pino';
import pinoHttp from 'pino-http';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../db/database';
import type { TokenService } from '../auth/tokens';
import { AppError } from '../commands/errors';
import { errorHandler } from './error-handler';
import { hotPathListener, type FrontMiddleware } from './hot-path';
import { jsonBody, mountRoutes, refuseCrossOrigin } from './mount';
import { buildOpenApi } from './openapi';
import type { RouteSpec } from './route';
import { noStore, securityHeaders } from './security-headers';

const VERSION = '0.1.0';

/**
 * The HTTP application: request ids and logs, health and readiness, API documents, the routes, the client,
 * problem+json; Express, with the hot routes in front of it.
 */
export function httpApp(
  specs: RouteSpec[],
  tokens: TokenService,
  log: Logger,
  handle: DatabaseHandle,
  isReady: () => boolean,
  production: boolean,
): http.RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const requestId = (res: express.Response | http.ServerResponse) => {
    const id = crypto.randomUUID();
    res.setHeader('X-Request-Id', id);
    return id;
  };
  const requestLog: FrontMiddleware =
    log.level === 'silent'
      ? // Nothing would be written: skip pino-http's per-request child logger (a measurable share of a
        // request's cost), keep the request id every response carries.
        (req, res, next) => {
          req.id = requestId(res);
          req.log = log;
          next();
        }
      : pinoHttp({
          logger: log,
          // Credentials never reach the log: the bearer token and the session cookie coming in, the session cookie set on sign-in.
          redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          genReqId: (_req, res) => requestId(res),
          autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
        });
  // What every request meets first, and what every API call meets after health and readiness: the hot
  // path (placing an order) runs the same two lists, in this order, and nothing else before its route.
  const front: FrontMiddleware[] = [securityHeaders, requestLog];
  const apiFront: FrontMiddleware[] = [noStore, refuseCrossOrigin];
  app.use(front);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'up' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await sql`select 1`.execute(handle.db);
      if (!isReady()) throw new Error('engine not recovered');
      res.json({ status: 'ready', database: handle.engine.name });
    } catch (err) {
      res
        .status(503)
        .type('application/problem+json')
        .json({
          type: 'about:blank',
          title: 'Service Unavailable',
          status: 503,
          code: 'NOT_READY',
          detail: String(err instanceof Error ? err.message : err),
        });
    }
  });
  const openapi = buildOpenApi(specs, VERSION);
  // No ETag anywhere express would compute one (the API's JSON; static files have their own): no API answer
  // is cached, so hashing every body would only cost time.
  app.set('etag', false);
  app.use('/api', apiFront);
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.get(['/api/docs', '/api/docs/'], (_req, res) => {
    res.type('html').send(DOCS_HTML);
  });
  app.use('/api/docs', express.static(path.join(require.resolve('swagger-ui-dist/package.json'), '..'), { index: false, redirect: false }));
  app.get('/api/docs/init.js', (_req, res) => {
    res.type('text/javascript').send(DOCS_INIT_JS);
  });
  app.use('/api', jsonBody());
  // Partner registers may come as CSV (PUT /api/admin/funds/:fundId/partners).
  app.use('/api/admin/funds', express.text({ type: 'text/csv', limit: '1mb' }));
  const router = express.Router();
  mountRoutes(router, specs, tokens);
  app.use(router);
  app.use('/api', (req, _res, next) => next(new AppError('NOT_FOUND', `no route ${req.method} ${req.originalUrl}`)));
  // The browser client (client/, bundled into client/dist by `npm run build:client`): static files,
  // and index.html for any other GET outside /api so that deep links load the app.
  const clientDist = path.join(__dirname, '..', '..', 'client', 'dist');
  // Source maps only outside production (the production build writes none either).
  if (production)
    app.use((req, _res, next) => next(req.path.endsWith('.map') ? new AppError('NOT_FOUND', 'no source maps in production') : undefined));
  app.use(express.static(clientDist, { index: 'index.html', maxAge: 0 }));
  app.use((req, res, next) => {
    if (req.method !== 'GET' || req.path.startsWith('/api/') || !fs.existsSync(path.join(clientDist, 'index.html'))) return next();
    res.sendFile(path.join(clientDist, 'index.html'));
  });
  app.use(errorHandler);
  // The hot routes (placing an order) run the same front middleware without the walk (http/hot-path.ts).
  return hotPathListener({ app, specs, front: [...front, ...apiFront], errorHandler, tokens });
}

/** Swagger UI from the swagger-ui-dist package, served locally (nothing is fetched at run time). */
const DOCS_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>S-fund exchange API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head><body><div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;
/** Swagger UI's start, as a file: the Content-Security-Policy allows no inline script. */
const DOCS_INIT_JS = "window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui' });\n";
