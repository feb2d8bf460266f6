/**
 * Benchmark of the transfer confirmation PDF (server/transfers/confirmation/layout, rendered with server/pdf).
 *
 * In one run, interleaved so both see the same machine load:
 *  - the confirmation (CJK subset + vector QR, sample data, ~1–2 pages), and
 *  - a bare pdfkit document with the same shared font and one line of CJK text,
 * reporting p50/p99 of each, the ratio of the p50s and the confirmation's size; plus the one-off
 * font parse, what passing the font as a buffer per document would cost, and the round trip
 * through the worker thread. Targets: confirmation p50 ≤ 1.5 × bare and < 30 ms; size < 300 KB.
 *
 * `npx tsx bench/pdf.ts` prints the section; `runPdfBench()` returns it (for bench/run.ts).
 * PDF_BENCH_ITERATIONS overrides the sample count (default 200).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import {
  FONT_REGULAR,
  cffSubsetSpeedupActive,
  confirmationFonts,
  createPdfWorkerPool,
  fontFilePath,
  openDocument,
  registerConfirmationFonts,
} from '../server/pdf';
import {
  CONFIRMATION_RENDERER_MODULE,
  renderConfirmationInWorker,
  renderConfirmationPdf,
  sampleConfirmationData,
} from '../server/transfers/confirmation/layout';
import { percentile } from './stats';

const BARE_TEXT = '北京某某国有资本投资有限公司 交易凭证 Transfer Confirmation';

async function bareDocument(font: 'shared' | Buffer): Promise<Buffer> {
  const { doc, bytes } = openDocument({
    size: 'A4',
    info: { CreationDate: new Date(0), ModDate: new Date(0) },
  });
  if (font === 'shared') {
    registerConfirmationFonts(doc);
    doc.font(FONT_REGULAR);
  } else {
    doc.font(font); // pdfkit parses the buffer again for this document
  }
  doc.fontSize(12).text(BARE_TEXT, 72, 72);
  doc.end();
  return bytes;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Wall-clock ms and process CPU ms (user + system, all threads) of one call. */
async function timeBoth(fn: () => Promise<unknown>): Promise<[number, number]> {
  const c = process.cpuUsage();
  const wall = await time(fn);
  const d = process.cpuUsage(c);
  return [wall, (d.user + d.system) / 1000];
}

const f1 = (n: number) => n.toFixed(1);

export async function runPdfBench(): Promise<string> {
  const iterations = Number(process.env['PDF_BENCH_ITERATIONS'] ?? 200);
  const data = sampleConfirmationData();

  const parseMs = await time(async () => confirmationFonts());
  const fontBuffer = readFileSync(fontFilePath('NotoSansHans-Regular.otf'));

  // Warm-up: JIT, fontkit glyph caches.
  let pdf: Buffer = Buffer.alloc(0);
  for (let i = 0; i < 20; i++) {
    pdf = await renderConfirmationPdf(data);
    await bareDocument('shared');
  }

  // Each sample is a different confirmation (number, QR, amounts), as in production: nothing
  // document-specific can come from a cache.
  const variant = (i: number) => {
    const n = String(100000 + i);
    return sampleConfirmationData({
      confirmationNumber: `JZ-2025-${n}`,
      verificationUrl: `https://exchange.example.cn/api/confirmations/JZ-2025-${n}/verify`,
      consideration: `${36 + (i % 50)},${n.slice(0, 3)},${n.slice(3)}.00`,
      issuedAt: new Date(Date.UTC(2025, 3, 2, 7, 30) + i * 60_000).toISOString(),
    });
  };
  const conf: number[] = [];
  const bare: number[] = [];
  const confCpu: number[] = [];
  const bareCpu: number[] = [];
  const load = os.loadavg()[0]!;
  for (let i = 0; i < iterations; i++) {
    const d = variant(i);
    const [cw, cc] = await timeBoth(() => renderConfirmationPdf(d));
    const [bw, bc] = await timeBoth(() => bareDocument('shared'));
    conf.push(cw);
    confCpu.push(cc);
    bare.push(bw);
    bareCpu.push(bc);
  }
  for (const a of [conf, bare, confCpu, bareCpu]) a.sort((x, y) => x - y);

  const perDocFont: number[] = [];
  for (let i = 0; i < 5; i++) perDocFont.push(await time(() => bareDocument(fontBuffer)));
  perDocFont.sort((a, b) => a - b);

  const pool = createPdfWorkerPool({ size: 1, rendererModules: [CONFIRMATION_RENDERER_MODULE] });
  const workerStartMs = await time(() => renderConfirmationInWorker(pool, data)); // spawn + font load + first render
  const viaWorker: number[] = [];
  for (let i = 0; i < Math.min(iterations, 100); i++) viaWorker.push(await time(() => renderConfirmationInWorker(pool, data)));
  await pool.close();
  viaWorker.sort((a, b) => a - b);

  const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
  const c50 = percentile(conf, 50);
  const b50 = percentile(bare, 50);
  const ratio = c50 / b50;
  const kb = pdf.length / 1024;
  const ok = (b: boolean) => (b ? 'yes' : '**NO**');

  return [
    '## Transfer confirmation PDF',
    '',
    `${iterations} interleaved samples each (each confirmation a different ` +
      `number, QR and amounts), one process, font parsed once (Noto Sans Hans ` +
      `Regular, CFF, subset per document; CFF subsetting speed-up ${cffSubsetSpeedupActive() ? 'active' : 'NOT active'}` +
      `).`,
    '',
    `Machine: ${os.cpus().length} cores, 1-min load average ${load.toFixed(2)}` +
      ` at start (wall-clock times stretch under load; CPU ms = process ` +
      `user+system, all threads).`,
    '',
    '| document | p50 ms | p99 ms | p50 CPU ms |',
    '|---|---|---|---|',
    `| confirmation (${pages} page${pages === 1 ? '' : 's'}, CJK subset + ` +
      `vector QR) | ${f1(c50)} | ${f1(percentile(conf, 99))} | ${f1(percentile(confCpu, 50))}` +
      ` |`,
    `| bare pdfkit, same shared font, one CJK line | ${f1(b50)} | ${f1(percentile(bare, 99))} | ${f1(percentile(bareCpu, 50))} |`,
    `| confirmation through the worker thread (round trip) | ${f1(percentile(viaWorker, 50))} | ${f1(percentile(viaWorker, 99))} | |`,
    `| bare, font passed as a buffer per document (5 samples) | ${f1(percentile(perDocFont, 50))} | ${f1(percentile(perDocFont, 99))} | |`,
    '',
    `- ratio confirmation / bare (p50): ${ratio.toFixed(2)}× (CPU: ${(percentile(confCpu, 50) / percentile(bareCpu, 50)).toFixed(2)}` +
      `×) — target ≤ 1.5×: ${ok(ratio <= 1.5)}`,
    `- confirmation p50 under 30 ms: ${ok(c50 < 30)}`,
    `- confirmation size: ${kb.toFixed(1)} KB — target < 300 KB: ${ok(kb < 300)}`,
    `- one-off font load in this process (read, parse, subsetter self-check): ${f1(parseMs)}` +
      ` ms; worker start + warm-up + first render: ${f1(workerStartMs)} ms`,
    '',
  ].join('\n');
}

if (require.main === module) {
  runPdfBench().then(
    (md) => process.stdout.write(md),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
