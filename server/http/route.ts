/**
 * Routes are declared once, as data: method, path, who may call it, zod schemas for params, query
 * and body, and one handler. The same declarations mount the Express routes (validation and the
 * role check written once, here) and generate the OpenAPI document.
 */
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Role } from '../../db/schema';
import type { Principal } from '../auth/tokens';

export type Access = 'public' | 'signed-in' | readonly Role[];

export interface HandlerContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Present on every route whose access is not 'public'. */
  principal: Principal;
  idempotencyKey: string | undefined;
  req: Request;
  res: Response;
}

export interface RouteResult {
  status?: number;
  body?: unknown;
  /** Raw bytes (PDF) with a content type, instead of JSON. */
  raw?: { contentType: string; bytes: Buffer; filename?: string };
}

export interface RouteSpec<P = any, Q = any, B = any> {
  method: 'get' | 'post' | 'delete' | 'put' | 'patch';
  /** Express path, e.g. '/api/funds/:fundId'. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Documentation of the success answer. */
  response?: z.ZodType;
  successStatus?: number;
  /** Codes this route may answer with besides VALIDATION_FAILED/UNAUTHENTICATED/FORBIDDEN, for the docs. */
  errors?: readonly string[];
  /** State-changing POST that accepts an Idempotency-Key. */
  idempotent?: boolean;
  /**
   * Served by the hot path (http/hot-path.ts) when the request is plain JSON: the exchange's busiest
   * call (placing an order). Only for a path without parameters.
   */
  hotPath?: boolean;
  /** Open to a user who must still replace its initial password (the change itself, sign-out, who am I). */
  beforePasswordChange?: boolean;
  handler(ctx: HandlerContext<P, Q, B>): Promise<RouteResult | unknown>;
}

/** Identity helper that keeps the schema types flowing into the handler. */
export function route<P, Q, B>(spec: RouteSpec<P, Q, B>): RouteSpec<P, Q, B> {
  return spec;
}
