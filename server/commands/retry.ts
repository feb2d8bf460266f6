/**
 * Runs a whole transaction again when it failed only because another one ran at the same time (a
 * deadlock, a serialisation failure, a key inserted concurrently: the engine capability object
 * decides, db/database.ts). Nothing of the failed attempt committed or was acknowledged.
 */
import type { DbEngine } from '../../db/database';

/** Times a command runs again after a concurrency conflict before its error is reported. */
export const CONFLICT_RETRIES = 3;

export async function retryOnConflict<T>(
  engine: Pick<DbEngine, 'isConcurrencyConflict'>,
  run: () => Promise<T>,
  retries = CONFLICT_RETRIES,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= retries || !engine.isConcurrencyConflict(err)) throw err;
    }
  }
}
