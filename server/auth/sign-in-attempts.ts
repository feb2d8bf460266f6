/**
 * Failed sign-in throttling, held in the database (sign_in_attempts, migration 0017) so that it holds
 * across processes and restarts. Counted per (source address, username), so nobody can lock another
 * user out from elsewhere, and per source address across usernames, so one address cannot spray a
 * password over every account.
 *
 * Each attempt is reserved before the (deliberately slow) password hash: a burst of concurrent
 * attempts counts its own pending reservations, so 40 at once for one user get at most MAX_PER_USER
 * checks and the rest 429. Reservations of one address are taken one at a time (PostgreSQL: an
 * advisory lock on the address, namespace 5; SQLite: one writer). A reservation left pending by a
 * process that died counts as a failure until the window passes.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../db/database';
import { AppError } from '../commands/errors';

/** Failures (and pending attempts) allowed per address and username within the window. */
export const MAX_PER_USER = 10;
/** Failures (and pending attempts) allowed per address across all usernames within the window. */
export const MAX_PER_ADDRESS = 50;
export const WINDOW_MS = 5 * 60_000;
/** Advisory lock namespace of sign-in reservations (db/database.ts uses 1–4). */
const LOCK_NAMESPACE = 5;

const iso = (ms: number) => new Date(ms).toISOString();

export class SignInAttempts {
  constructor(private readonly handle: DatabaseHandle) {}

  /**
   * Reserves an attempt, or refuses with 429 RATE_LIMITED when the address has used its allowance for
   * this username or overall. Returns the reservation's id, to be settled with failed() or succeeded().
   */
  async reserve(address: string, username: string, nowMs: number): Promise<string> {
    const since = iso(nowMs - WINDOW_MS);
    const id = crypto.randomUUID();
    await this.handle.db.transaction().execute(async (trx) => {
      if (this.handle.engine.name === 'postgres')
        await sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${address}))`.execute(trx);
      // Written first, then counted with itself: on SQLite the write lock is taken before the read, so two
      // processes on one file wait for each other (busy timeout) instead of failing to upgrade a read lock.
      await trx
        .insertInto('signInAttempts')
        .values({ id, address, username, at: iso(nowMs), outcome: 'pending' })
        .execute();
      const counts = await trx
        .selectFrom('signInAttempts')
        .select((eb) => [
          eb.fn.countAll<string | number>().as('all'),
          eb.fn.sum<string | number | null>(eb.case().when('username', '=', username).then(1).else(0).end()).as('user'),
        ])
        .where('address', '=', address)
        .where('at', '>', since)
        .executeTakeFirst();
      const [all, user] = [Number(counts?.all ?? 0), Number(counts?.user ?? 0)];
      if (user > MAX_PER_USER || all > MAX_PER_ADDRESS) {
        // Thrown inside the transaction: the reservation just written is rolled back.
        throw new AppError('RATE_LIMITED', 'too many failed sign-ins from this address; try again in a few minutes', {
          params: { reason: 'sign_in', retryAfterSeconds: String(WINDOW_MS / 1000) },
        });
      }
    });
    return id;
  }

  /** The attempt failed: it keeps counting until the window passes. */
  async failed(id: string): Promise<void> {
    await this.handle.db.updateTable('signInAttempts').set({ outcome: 'failed' }).where('id', '=', id).execute();
  }

  /** The attempt succeeded: it and this address's earlier failures for the username stop counting. */
  async succeeded(id: string, address: string, username: string): Promise<void> {
    await this.handle.db
      .deleteFrom('signInAttempts')
      .where((eb) =>
        eb.or([eb('id', '=', id), eb.and([eb('address', '=', address), eb('username', '=', username), eb('outcome', '=', 'failed')])]),
      )
      .execute();
  }

  /** Deletes attempts older than the window (they no longer count); returns how many. */
  async purge(nowMs: number): Promise<number> {
    const r = await this.handle.db
      .deleteFrom('signInAttempts')
      .where('at', '<=', iso(nowMs - WINDOW_MS))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
