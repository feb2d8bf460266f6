/** Keeps the simulated clock's position in the database, so a restart never moves it back. */
import type { Db, Tx } from '../../db/database';
import { SimulatedClock, iso, realClock, type Clock } from './clock';
import type { Config } from '../config';

const KEY = 'clock.simulatedNow';

export async function openClock(db: Db, config: Config): Promise<Clock> {
  if (config.clock === 'real') return realClock;
  const stored = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  const start = stored ? Date.parse(stored.value) : config.clockStart ? Date.parse(config.clockStart) : Date.now();
  if (!stored)
    await db
      .insertInto('settings')
      .values({ key: KEY, value: iso(start) })
      .execute();
  return new SimulatedClock(start);
}

export async function persistSimulatedNow(trx: Tx, nowMs: number): Promise<void> {
  await trx
    .updateTable('settings')
    .set({ value: iso(nowMs) })
    .where('key', '=', KEY)
    .execute();
}
