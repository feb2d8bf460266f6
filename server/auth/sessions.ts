/**
 * Which sign-in sessions have been ended before their token expired (signed out, or cut off by an
 * administrator). A token is good while its signature and expiry hold (tokens.ts) and its session
 * is not in this set.
 *
 * Revoked sessions whose tokens have not yet expired are few (a token lives hours), so each
 * process keeps all of them in memory — checking a token on every request stays a map lookup —
 * and reloads them from the database every few seconds: that is how a revocation committed by
 * another process on the same database reaches this one. The process that revokes applies it at
 * once, after its commit. A revocation is never undone, so a reload only adds.
 */
import type { Db, Tx } from '../../db/database';

export class SessionRevocations {
  /** session id → when its token expires (ms); past that the token is refused anyway. */
  private revoked = new Map<string, number>();
  private readonly listeners: ((sessionIds: string[]) => void)[] = [];
  /** The reload in flight: a slow database must not pile reloads up. */
  private loading: Promise<void> | null = null;

  constructor(private readonly db: Db) {}

  isRevoked(sessionId: string): boolean {
    return this.revoked.has(sessionId);
  }

  /** Told of sessions newly known to be revoked (e.g. the quote feed closes their sockets). */
  onRevoked(listener: (sessionIds: string[]) => void): void {
    this.listeners.push(listener);
  }

  /** Sessions this process has just revoked, after the commit. */
  add(sessions: readonly { id: string; expiresAtMs: number }[]): void {
    const fresh = sessions.filter((s) => !this.revoked.has(s.id));
    for (const s of fresh) this.revoked.set(s.id, s.expiresAtMs);
    this.tell(fresh.map((s) => s.id));
  }

  /**
   * Reloads the revoked, unexpired sessions from the database (a partial index holds exactly those)
   * and forgets expired ones. A call while a reload runs waits for that one and then reloads again,
   * so a caller that has just committed a revocation always reads after its commit.
   */
  async refresh(nowMs: number): Promise<void> {
    while (this.loading) await this.loading.catch(() => {});
    const load = (async () => {
      const rows = await this.db
        .selectFrom('sessions')
        .select(['id', 'expiresAt'])
        .where('revokedAt', 'is not', null)
        .where('expiresAt', '>', new Date(nowMs).toISOString())
        .execute();
      for (const [id, expiresAtMs] of this.revoked) if (expiresAtMs <= nowMs) this.revoked.delete(id);
      this.add(rows.map((r) => ({ id: r.id, expiresAtMs: Date.parse(r.expiresAt) })));
    })();
    this.loading = load;
    try {
      await load;
    } finally {
      if (this.loading === load) this.loading = null;
    }
  }

  private tell(sessionIds: string[]): void {
    if (sessionIds.length === 0) return;
    for (const l of this.listeners) {
      try {
        l(sessionIds);
      } catch {
        /* a listener's failure does not undo a revocation */
      }
    }
  }
}

/** Ends the user's open sessions in this transaction; returns their ids, sorted. */
export async function endSessionsOf(trx: Tx, userId: string, by: string, reason: string, at: string): Promise<string[]> {
  const rows = await trx
    .updateTable('sessions')
    .set({ revokedAt: at, revokedBy: by, revokeReason: reason })
    .where('userId', '=', userId)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', at)
    .returning('id')
    .execute();
  return rows.map((r) => r.id).sort();
}
