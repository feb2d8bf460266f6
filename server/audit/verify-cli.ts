/**
 * `npm run audit:verify [-- --against <anchor>]`: checks every audit stream's chain and the anchor
 * chain of the configured database, exits 1 at the first broken link. With `--against` (the JSON of a
 * published anchor, or `count:headHash` as printed on a confirmation), also proves that the history
 * before that anchor was not cut or rewritten.
 */
import { loadConfig } from '../config';
import { openDatabase } from '../../db/database';
import { verifyAuditChain } from './audit-log';
import { parseHeldAnchor, verifyAgainst, verifyAnchors } from './anchors';

async function main(args: string[]): Promise<number> {
  const i = args.indexOf('--against');
  const held = i >= 0 ? parseHeldAnchor(args[i + 1] ?? '') : undefined;
  if (held === null) {
    console.error('--against takes an anchor: its JSON ({"count":…,"headHash":"…"}) or count:headHash');
    return 2;
  }
  const config = loadConfig();
  const handle = openDatabase(config.databaseUrl, { namedStatements: config.pgNamedStatements });
  try {
    const chain = await verifyAuditChain(handle.db);
    if (!chain.ok) {
      console.error(
        `audit chain BROKEN in stream ${chain.stream} at entry ${chain.brokenAtSeq}: ${chain.reason}` +
          ` (${chain.entries} entries of it verified before)`,
      );
      return 1;
    }
    const anchors = await verifyAnchors(handle.db, chain.streams);
    if (!anchors.ok) {
      console.error(`audit anchors BROKEN at anchor ${anchors.anchorSeq}: ${anchors.reason}`);
      return 1;
    }
    console.log(
      `audit chain intact: ${chain.entries} entries in ${chain.streams.length} streams, ${anchors.anchors} anchors` +
        (anchors.latest ? `, latest ${anchors.latest.count}:${anchors.latest.headHash} at ${anchors.latest.at}` : ''),
    );
    if (held) {
      const against = await verifyAgainst(handle.db, held);
      if (!against.ok) {
        console.error(`audit history BROKEN against anchor ${held.count}:${held.headHash}: ${against.reason}`);
        return 1;
      }
      console.log(`history before anchor ${held.count}:${held.headHash} intact`);
    }
    return 0;
  } finally {
    await handle.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
