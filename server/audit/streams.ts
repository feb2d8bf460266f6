/**
 * Audit streams: the audit log is one hash chain per stream, so that commands on different funds never
 * wait for one another (docs: server/audit/README.md). A stream's name says what it records:
 *
 * - `fund:<fundId>`: everything about one fund — orders, trades, listings, transfers, confirmations.
 *   Guarded by the fund's own lock, which those commands take first anyway.
 * - `org:<orgId>`: what an organisation's users do outside any fund — sign-ins and sign-outs, stored
 *   valuations; an administrator's actions on users go to the administrator's organisation.
 * - `exchange`: the exchange's own housekeeping — the seed, the clock, the calendar, session purges.
 * - `legacy`: the single chain written before migration 0018, closed (nothing is appended to it).
 */
import type { LockKey } from '../../db/database';

export type AuditStream = `fund:${string}` | `org:${string}` | 'exchange' | 'legacy';

export const EXCHANGE_STREAM = 'exchange' satisfies AuditStream;
export const LEGACY_STREAM = 'legacy' satisfies AuditStream;

export const fundStream = (fundId: string): AuditStream => `fund:${fundId}`;
export const orgStream = (orgId: string): AuditStream => `org:${orgId}`;

/** The lock that makes one transaction at a time the writer of a stream (taken before its head is read). */
export function streamLock(stream: AuditStream): Extract<LockKey, { kind: 'fund' | 'stream' }> {
  if (stream === LEGACY_STREAM) throw new Error('the legacy audit chain is closed: nothing is appended to it');
  return stream.startsWith('fund:') ? { kind: 'fund', fundId: stream.slice('fund:'.length) } : { kind: 'stream', stream };
}
