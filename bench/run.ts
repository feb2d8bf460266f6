/**
 * `npm run bench`: every benchmark, each against a baseline measured in the same run (a ratio),
 * because these machines are shared and noisy. Each suite runs in a process of its own, so that one
 * suite's heap (a million resting orders, 10,000 sockets) never inflates another's memory or GC
 * figures. Prints markdown; bench/RESULTS.md records a run. `npm run bench -- quotes` runs one suite.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const SUITES = ['engine', 'http', 'write-path', 'http-pg', 'pdf', 'valuation', 'quotes', 'market', 'idle-flood', 'scale'] as const;

function main(): number {
  const only = process.argv[2];
  if (only && !SUITES.includes(only as (typeof SUITES)[number])) {
    console.error(`unknown suite ${only}; one of: ${SUITES.join(', ')}`);
    return 2;
  }
  console.log(`# Benchmarks\n\nnode ${process.version}, ${new Date().toISOString()}\n`);
  for (const name of SUITES) {
    if (only && only !== name) continue;
    const r = spawnSync(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', path.join(__dirname, `${name}.ts`)], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (r.status !== 0) {
      console.error(`benchmark ${name} failed with exit code ${r.status}`);
      return 1;
    }
  }
  return 0;
}

process.exit(main());
