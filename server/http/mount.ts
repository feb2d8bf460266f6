import crypto from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import { AppError } from '../commands/errors';
import { validateIdempotencyKey } from '../commands/idempotency';
import type { RouteResult, RouteSpec } from './route';
import type { Principal, TokenService } from '../auth/tokens';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, cookiesOf, csrfFor, sameOrigin } from '../auth/browser-session';
import { stringsIn, unsafeTextReason } from '../../shared/text';
import type { FieldProblemKind } from '../i18n/fields';

/**
 * What is wrong with a field, for its message in the reader's language (server/i18n/fields.ts): the issue's kind, its
 * bound, and the field it names (an unknown key's own name).
 */
function fieldProblem(issue: z.core.$ZodIssue, value: unknown): { field: string; kind: FieldProblemKind; limit?: string } {
  const at = issue.path.map(String);
  let kind: FieldProblemKind = 'format';
  let limit: unknown;
  switch (issue.code) {
    case 'invalid_type': {
      let v: unknown = value;
      for (const key of at) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
      kind = v === undefined || v === null ? 'required' : 'type';
      break;
    }
    case 'too_small':
      limit = issue.minimum;
      kind = issue.origin === 'string' ? (Number(issue.minimum) <= 1 ? 'required' : 'too_short') : 'min';
      break;
    case 'too_big':
      limit = issue.maximum;
      kind = issue.origin === 'string' ? 'too_long' : 'max';
      break;
    case 'invalid_value':
      kind = 'choice';
      break;
    case 'unrecognized_keys':
      return { field: [...at, issue.keys[0] ?? ''].join('.'), kind: 'unknown_field' };
  }
  return { field: at.join('.'), kind, ...(limit === undefined ? {} : { limit: String(limit) }) };
}

function parseOr400<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return value as T;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  const first = issues[0];
  // A problem with the request as a whole (a rule across fields, no body) names no field: the general message says it.
  const problem = first ? fieldProblem(r.error.issues[0]!, value) : null;
  const params = first && problem?.field ? { reason: 'field', ...problem, problem: first.message } : undefined;
  throw new AppError('VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : `invalid ${where}`, {
    issues,
    ...(params ? { params } : {}),
  });
}

/** Fields whose text is never shown or printed, so any character a user can type is theirs to use. */
const OPAQUE_FIELDS = new Set(['password']);

/**
 * One check for every free-text field of every route (shared/text.ts): a control or bidirectional
 * character anywhere in the params, query or body is a 400 VALIDATION_FAILED naming the field. Line
 * breaks are allowed here; one-line fields (references) refuse them in their own checks.
 */
export function refuseUnsafeText(parts: Record<'params' | 'query' | 'body', unknown>): void {
  for (const [where, value] of Object.entries(parts)) {
    for (const s of stringsIn(value, where)) {
      if (OPAQUE_FIELDS.has(s.key)) continue;
      const reason = unsafeTextReason(s.text, { multiline: true });
      if (reason)
        throw new AppError('VALIDATION_FAILED', `${s.path}: ${reason}`, { field: s.path, issues: [{ path: s.path, message: reason }] });
    }
  }
}

/**
 * Tokens expire by wall-clock time, not by the exchange's (possibly simulated) clock: moving a
 * training exchange forward by days must not sign everyone out, and a token's lifetime is a security
 * property of the real world.
 */
export function authenticate(req: Request, tokens: TokenService): Principal {
  const token = tokenOf(req);
  if (!token) throw new AppError('UNAUTHENTICATED', 'a Bearer token (or the browser session cookie) is required');
  const principal = tokens.verify(token.value, Date.now());
  if (!principal) throw new AppError('UNAUTHENTICATED', 'the token is invalid or has expired');
  // The browser sends its cookie by itself, so a state-changing call must prove it comes from the page.
  if (token.from === 'cookie' && !SAFE_METHODS.has(req.method)) {
    const sent = req.get(CSRF_HEADER) ?? '';
    const expected = csrfFor(token.value);
    const ok = sent.length === expected.length && crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
    if (!ok)
      throw new AppError(
        'CSRF_REJECTED',
        `a call authenticated by the session cookie needs the ${CSRF_HEADER} header (the ${CSRF_COOKIE} cookie's value)`,
      );
  }
  return principal;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The caller's token: the Authorization header's bearer token, else the browser's session cookie. */
export function tokenOf(req: Request): { value: string; from: 'bearer' | 'cookie' } | null {
  const header = req.get('authorization');
  if (header) {
    // The scheme name is case-insensitive (RFC 9110 §11.1).
    const m = /^Bearer ([A-Za-z0-9_\-.]+)$/i.exec(header);
    return m?.[1] ? { value: m[1], from: 'bearer' } : null;
  }
  const cookie = cookiesOf(req)[SESSION_COOKIE];
  return cookie ? { value: cookie, from: 'cookie' } : null;
}

/**
 * A state-changing request whose Origin names another site is refused before anything else (the
 * browser's own cross-site calls; API clients send no Origin). Covers sign-in too (login CSRF).
 */
export function refuseCrossOrigin(req: Request, _res: unknown, next: (err?: unknown) => void): void {
  if (!SAFE_METHODS.has(req.method) && !sameOrigin(req))
    return next(new AppError('CSRF_REJECTED', 'a state-changing call from another origin is refused'));
  next();
}

const isResult = (v: unknown): v is RouteResult =>
  typeof v === 'object' &&
  v !== null &&
  ('raw' in v || 'body' in v || 'status' in v) &&
  Object.keys(v).every((k) => k === 'raw' || k === 'body' || k === 'status');

/** One request through a route's declaration: sign-in, roles, the text check, schemas, Idempotency-Key, the handler, the answer. */
export async function serveRoute(spec: RouteSpec, req: Request, res: Response, tokens: TokenService): Promise<void> {
  let principal: Principal | undefined;
  if (spec.access !== 'public') {
    principal = authenticate(req, tokens);
    if (principal.passwordChangeRequired && !spec.beforePasswordChange) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED', 'choose a new password first: POST /api/auth/password {current, new}');
    }
    if (Array.isArray(spec.access) && !spec.access.some((r) => principal!.roles.includes(r))) {
      throw new AppError('FORBIDDEN', `requires one of the roles: ${spec.access.join(', ')}`);
    }
  }
  refuseUnsafeText({ params: req.params, query: req.query, body: spec.body ? req.body : undefined });
  const params = parseOr400(spec.params, req.params, 'params');
  const query = parseOr400(spec.query, req.query, 'query');
  const body = parseOr400(spec.body, spec.body ? req.body : undefined, 'body');
  const idempotencyKey = spec.idempotent ? validateIdempotencyKey(req.get('idempotency-key') ?? undefined) : undefined;
  const out = await spec.handler({ params, query, body, principal: principal as Principal, idempotencyKey, req, res });
  const result: RouteResult = isResult(out) ? out : { body: out };
  if (result.raw) {
    res.status(result.status ?? 200).type(result.raw.contentType);
    if (result.raw.filename) res.setHeader('Content-Disposition', `inline; filename="${result.raw.filename}"`);
    res.end(result.raw.bytes);
    return;
  }
  res.status(result.status ?? spec.successStatus ?? 200).json(result.body);
}

export function mountRoutes(router: Router, specs: readonly RouteSpec[], tokens: TokenService): void {
  for (const spec of specs) router[spec.method](spec.path, (req, res) => serveRoute(spec, req, res, tokens));
}

/** The largest JSON body the API reads (body-parser's limit, and the hot path's: server/http/hot-path.ts). */
export const JSON_BODY_LIMIT_BYTES = 256 * 1024;

export const jsonBody = () => express.json({ limit: JSON_BODY_LIMIT_BYTES, strict: true });
