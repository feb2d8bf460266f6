import express, { type Request, type Router } from 'express';
import type { z } from 'zod';
import { AppError } from '../commands/errors';
import { validateIdempotencyKey } from '../commands/idempotency';
import type { RouteResult, RouteSpec } from './route';
import type { Principal, TokenService } from '../auth/tokens';

function parseOr400<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return value as T;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  const first = issues[0];
  const params = first ? { reason: 'field', field: first.path.replace(/^(body|query|params)\./, ''), problem: first.message } : undefined;
  throw new AppError('VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : `invalid ${where}`, { issues, ...(params ? { params } : {}) });
}

/**
 * Tokens expire by wall-clock time, not by the exchange's (possibly simulated) clock: moving a
 * training exchange forward by days must not sign everyone out, and a token's lifetime is a security
 * property of the real world.
 */
export function authenticate(req: Request, tokens: TokenService): Principal {
  const header = req.get('authorization');
  // The scheme name is case-insensitive (RFC 9110 §11.1).
  const m = header ? /^Bearer ([A-Za-z0-9_\-.]+)$/i.exec(header) : null;
  if (!m?.[1]) throw new AppError('UNAUTHENTICATED', 'a Bearer token is required');
  const principal = tokens.verify(m[1], Date.now());
  if (!principal) throw new AppError('UNAUTHENTICATED', 'the token is invalid or has expired');
  return principal;
}

const isResult = (v: unknown): v is RouteResult =>
  typeof v === 'object' && v !== null && ('raw' in v || 'body' in v || 'status' in v) && Object.keys(v).every((k) => k === 'raw' || k === 'body' || k === 'status');

export function mountRoutes(router: Router, specs: readonly RouteSpec[], tokens: TokenService): void {
  for (const spec of specs) {
    router[spec.method](spec.path, async (req, res) => {
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
    });
  }
}

export const jsonBody = () => express.json({ limit: '256kb', strict: true });
