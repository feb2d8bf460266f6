/**
 * `npm run bench`: every benchmark, each against a baseline measured in the same run (a ratio),
 * because these machines are shared and noisy. Prints markdown; bench/RESULTS.md records a run.
 */
import { runEngineBench } from './engine';
import { runHttpBench } from './http';
import { runPdfBench } from './pdf';
import { runQuotesBench } from './quotes';
import { runValuationBench } from './valuation';

async function main(): Promise<void> {
  const only = process.argv[2];
  const suites: [string, () => Promise<string>][] = [
    ['engine', runEngineBench], ['http', runHttpBench], ['pdf', runPdfBench], ['valuation', runValuationBench], ['quotes', runQuotesBench],
  ];
  console.log(`# Benchmarks\n\nnode ${process.version}, ${new Date().toISOString()}\n`);
  for (const [name, fn] of suites) {
    if (only && only !== name) continue;
    console.log(await fn());
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
