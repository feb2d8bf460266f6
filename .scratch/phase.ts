import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/database';
import { tradesByDay, completions, marketFingerprint } from '../server/market-data/market-data.repository';
async function main() {
  const h = openDatabase(process.argv[2]!);
  for (let i = 0; i < 3; i++) {
    let t0 = performance.now(); await marketFingerprint(h.db); const f = performance.now() - t0;
    t0 = performance.now(); const d = await tradesByDay(h.db); const a = performance.now() - t0;
    t0 = performance.now(); const c = await completions(h.db); const b = performance.now() - t0;
    console.log({ fingerprint: f.toFixed(1), days: a.toFixed(1), dayRows: d.length, completions: b.toFixed(1), compRows: c.length });
  }
  await h.close();
}
main();
