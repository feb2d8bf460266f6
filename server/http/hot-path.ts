/**
 * The hot path: routes declared `hotPath` (placing an order) served straight from Node's HTTP server,
 * without walking Express's middleware stack and router or running its body parser: a fifth to a quarter
 * less of the HTTP thread's CPU per order in an A/B (bench/RESULTS.md), the thread that bounded durable
 * orders per second.
 *
 * It does what Express does for these routes, with the same parts in the same order: Express's own
 * request and response objects (as app.handle makes them), the front middleware the application runs
 * first (security and no-store headers, the request id or request log, the cross-origin check), the
 * JSON body with body-parser's rules (the size limit; only an object or array; an empty body is `{}`),
 * the route's own pipeline (serveRoute: sign-in, roles, text check, schemas, Idempotency-Key, handler,
 * answer) and the application's error handler.
 *
 * Only a plain request takes it: the exact path without a query, `application/json` (UTF-8 if a charset
 * is named), no content encoding, a declared length within the limit. Anything else (a compressed body,
 * another charset or type, a chunked one, an oversized one) goes through Express unchanged, which
 * answers it as it always did.
 */
import type http from 'node:http';
import type { ErrorRequestHandler, Express, NextFunction, Request, Response } from 'express';
import { AppError } from '../commands/errors';
import type { TokenService } from '../auth/tokens';
import type { RouteSpec } from './route';
import { JSON_BODY_LIMIT_BYTES, serveRoute } from './mount';

/** A middleware the application runs before its routes; the hot path runs the same ones, in order. */
export type FrontMiddleware = (req: Request, res: Response, next: NextFunction) => void;

export interface HotPathOptions {
  app: Express;
  specs: readonly RouteSpec[];
  front: readonly FrontMiddleware[];
  errorHandler: ErrorRequestHandler;
  tokens: TokenService;
}

/** `application/json`, optionally `; charset=utf-8` (any case, quoted or not): what the hot path reads. */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset\s*=\s*(?:utf-8|"utf-8")\s*)?$/i;

/** The request listener, with how many requests each way took (tests check that the hot path is taken). */
export type HotPathListener = http.RequestListener & { readonly served: { hot: number; express: number } };

/** The request listener: hot routes for plain requests, the Express application for everything else. */
export function hotPathListener(o: HotPathOptions): HotPathListener {
  const hot = new Map<string, RouteSpec>();
  for (const spec of o.specs) {
    if (!spec.hotPath) continue;
    if (spec.path.includes(':')) throw new Error(`hot path ${spec.method} ${spec.path}: only paths without parameters`);
    hot.set(`${spec.method.toUpperCase()} ${spec.path}`, spec);
  }
  const served = { hot: 0, express: 0 };
  const listener: http.RequestListener = (req, res) => {
    const spec = hot.get(`${req.method} ${req.url}`);
    if (!spec || !isPlainJson(req)) {
      served.express += 1;
      o.app(req, res);
      return;
    }
    served.hot += 1;
    serveHot(o, spec, req, res);
  };
  return Object.assign(listener, { served });
}

function isPlainJson(req: http.IncomingMessage): boolean {
  const h = req.headers;
  const length = Number(h['content-length']);
  return (
    PLAIN_JSON.test(h['content-type'] ?? '') &&
    (h['content-encoding'] === undefined || h['content-encoding'].toLowerCase() === 'identity') &&
    h['transfer-encoding'] === undefined &&
    Number.isInteger(length) &&
    length >= 0 &&
    length <= JSON_BODY_LIMIT_BYTES
  );
}

function serveHot(o: HotPathOptions, spec: RouteSpec, rawReq: http.IncomingMessage, rawRes: http.ServerResponse): void {
  // As Express's app.handle: its request and response objects, linked to each other.
  const req = Object.setPrototypeOf(rawReq, o.app.request) as Request;
  const res = Object.setPrototypeOf(rawRes, o.app.response) as Response;
  req.res = res;
  res.req = req;
  res.locals = Object.create(null);
  runFront(o, spec, req, res, 0);
}

// Plain functions and inline callbacks rather than functions assigned to names: this runs for every
// order, and tsx wraps each function assigned to a name in a naming call as it is created.
function runFront(o: HotPathOptions, spec: RouteSpec, req: Request, res: Response, step: number): void {
  // As Express's router does: what a middleware throws is answered by the error handler.
  try {
    const middleware = o.front[step];
    if (middleware) {
      middleware(req, res, (err?: unknown) => (err ? fail(o, req, res, err) : runFront(o, spec, req, res, step + 1)));
      return;
    }
    readJson(req, (err, body) => {
      if (err) return fail(o, req, res, err);
      req.body = body;
      req.params = {};
      serveRoute(spec, req, res, o.tokens).catch((e: unknown) => fail(o, req, res, e));
    });
  } catch (err) {
    fail(o, req, res, err);
  }
}

/** The application's error handler; should it throw (e.g. headers already sent), the connection ends as Express's last resort ends it. */
function fail(o: HotPathOptions, req: Request, res: Response, err: unknown): void {
  try {
    o.errorHandler(err, req, res, () => {});
  } catch (handlerErr) {
    req.log?.error({ err: handlerErr, cause: err }, 'the error handler failed');
    if (res.headersSent) res.destroy();
    else {
      res.statusCode = 500;
      res.end();
    }
  }
}

/** The body as body-parser's strict JSON parser reads it (UTF-8, a leading byte-order mark dropped). */
function readJson(req: http.IncomingMessage, done: (err: unknown, body?: unknown) => void): void {
  const chunks: Buffer[] = [];
  // A request cut off mid-body never ends: it is dropped with its socket, there being no one to answer
  // (body-parser's error would meet a closed socket too). Node emits no 'error' on it without a listener.
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let text = Buffer.concat(chunks).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length === 0) return done(null, {}); // body-parser's special case: an empty body is an empty object
    const first = /^[\x20\x09\x0a\x0d]*(.)/.exec(text)?.[1];
    if (first !== '{' && first !== '[') return done(notJson());
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return done(notJson());
    }
    done(null, body);
  });
}

const notJson = () => new AppError('VALIDATION_FAILED', 'request body is not valid JSON');
