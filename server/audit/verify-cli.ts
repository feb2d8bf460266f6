/** `npm run audit:verify`: checks the audit chain of the configured database and exits 1 at the first broken link. */
import { loadConfig } from '../config';
import { openDatabase } from '../../db/database';
import { verifyAuditChain } from './audit-log';

async function main(): Promise<number> {
  const config = loadConfig();
  const handle = openDatabase(config.databaseUrl);
  try {
    const verdict = await verifyAuditChain(handle.db);
    if (verdict.ok) {
      console.log(`audit chain intact: ${verdict.entries} entries, head ${verdict.head}`);
      return 0;
    }
    console.error(`audit chain BROKEN at entry ${verdict.brokenAtSeq}: ${verdict.reason} (${verdict.entries} entries verified before it)`);
    return 1;
  } finally {
    await handle.close();
  }
}

main().then((code) => process.exit(code), (err) => { console.error(err instanceof Error ? err.message : err); process.exit(2); });
