import pino from 'pino';
import { createExchange } from '../server/app';
import { loadConfig } from '../server/config';
import fs from 'node:fs';
async function main() {
  const dir = fs.mkdtempSync('/tmp/demo-full-');
  const t0 = Date.now();
  const ex = await createExchange(loadConfig({ PORT: '0', DATA_DIR: dir, NODE_ENV: 'test', LOG_LEVEL: 'info', ...(process.env.START ? { CLOCK: 'simulated', CLOCK_START: process.env.START } : {}) }), pino({ level: 'info' }));
  console.log('created in', Date.now() - t0, 'ms', dir);
  const db = ex.handle.db;
  console.log(await db.selectFrom('transfers').select(['state', (eb) => eb.fn.countAll().as('n')]).groupBy('state').execute());
  console.log(await db.selectFrom('listings').select(['state', 'fundId']).execute());
  console.log(await db.selectFrom('orders').select(['status', (eb) => eb.fn.countAll().as('n')]).groupBy('status').execute());
  console.log((await db.selectFrom('confirmations').select('number').execute()).length, 'confirmations');
  await ex.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
