/**
 * The matching thread's message protocol (structured clone over the worker's port). The HTTP side
 * sends commands; the thread answers each once its batch has committed, and before that answer it
 * posts the batch's committed changes with the tops of the books they touched, so the HTTP side's
 * mirror is never behind an answer it has received (one port: messages arrive in the order posted).
 */
import type { FeeSchedule } from '../../transfers/domain/params';
import { AppError } from '../../commands/errors';
import type { DepthSnapshot } from '../engine';
import type { CommittedFundChange } from '../committed-changes';

/** Levels per side kept in the HTTP side's mirror: the quote feed's book depth. */
export const MIRROR_DEPTH = 10;

export interface MatchingSetup {
  databaseUrl: string;
  fees: FeeSchedule;
  clock: 'real' | 'simulated';
  /** The simulated clock's position when the thread starts (commands then carry the HTTP side's clock). */
  clockMs: number;
  logLevel: string;
  /** Named statements on PostgreSQL (Config.pgNamedStatements). */
  namedStatements: boolean;
}

/** One book's committed top, as the HTTP side mirrors it. */
export interface BookTop {
  fundId: string;
  seq: number;
  depth: DepthSnapshot;
  lastPriceTicks: number | null;
}

export type MatchingOp =
  | { op: 'submit'; args: Parameters<import('../orders.service').OrdersService['submit']> }
  | { op: 'amend'; args: Parameters<import('../orders.service').OrdersService['amend']> }
  | { op: 'cancel'; args: Parameters<import('../orders.service').OrdersService['cancel']> }
  | { op: 'book'; args: Parameters<import('../orders.service').OrdersService['book']> }
  | { op: 'settle'; args: Parameters<import('../orders.service').OrdersService['settle']> }
  | { op: 'expireDue'; args: [] };

export type ToMatching = ({ t: 'cmd'; id: number; clockMs: number | null } & MatchingOp) | { t: 'calendar' } | { t: 'close' };

export type FromMatching =
  | { t: 'ready'; tops: BookTop[]; nextExpiryMs: number | null }
  | { t: 'committed'; change: CommittedFundChange; top: BookTop; nextExpiryMs: number | null }
  | { t: 'reply'; id: number; ok: true; value: unknown }
  | { t: 'reply'; id: number; ok: false; error: SerializedError }
  | { t: 'closed' };

export type SerializedError =
  | { kind: 'app'; code: string; message: string; extra: Record<string, unknown> | undefined; retryLater: boolean }
  | { kind: 'error'; name: string; message: string; code: string | undefined };

export function serializeError(err: unknown): SerializedError {
  if (err instanceof AppError) return { kind: 'app', code: err.code, message: err.message, extra: err.extra, retryLater: err.retryLater };
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return { kind: 'error', name: e.name, message: e.message, code: typeof code === 'string' ? code : undefined };
}

export function deserializeError(s: SerializedError): Error {
  if (s.kind === 'app') {
    const err = new AppError(s.code, s.message, s.extra);
    if (s.retryLater) (err as { retryLater: boolean }).retryLater = true;
    return err;
  }
  const err = new Error(s.message);
  err.name = s.name;
  if (s.code) (err as Error & { code?: string }).code = s.code;
  return err;
}
