/**
 * Worker-thread entry: renders confirmations and valuation reports off the main thread. The font
 * is read and parsed once, when the worker starts (before the first request), and shared by every
 * document the worker renders. Started by worker-pool.ts; not meant to be imported.
 */
import { parentPort } from 'node:worker_threads';
import { isConfirmationRenderError } from './errors.js';
import { confirmationFonts, fontLoadCount } from './fonts.js';
import { renderConfirmationPdf } from './render.js';
import { sampleConfirmationData } from './sample.js';
import type { SerializedError, WorkerRequest, WorkerResponse } from './worker-protocol.js';
import { renderValuationPdf } from '../valuation/valuation-pdf';
import { renderInKindStatementPdf } from '../distributions/statement-pdf';

const port = parentPort;
if (!port) throw new Error('pdf-worker must run in a worker thread');

confirmationFonts();
// Warm-up (JIT, fontkit's glyph caches) before the first real request; it queues behind this.
const warm = renderConfirmationPdf(sampleConfirmationData()).catch(() => undefined);
let rendered = 0;

function serialize(err: unknown): SerializedError {
  if (isConfirmationRenderError(err)) return { code: err.code, message: err.message, details: [...err.details] };
  return { code: 'PDF_RENDER_FAILED', message: err instanceof Error ? err.message : String(err), details: [] };
}

port.on('message', (req: WorkerRequest) => {
  if (req.kind === 'stats') {
    const res: WorkerResponse = { kind: 'stats', id: req.id, stats: { fontLoads: fontLoadCount(), rendered } };
    port.postMessage(res);
    return;
  }
  const render = req.kind === 'valuation' ? () => renderValuationPdf(req.report, req.context)
    : req.kind === 'inkind-statement' ? () => renderInKindStatementPdf(req.statement)
    : () => renderConfirmationPdf(req.data, req.options);
  warm.then(render).then(
    (buf) => {
      rendered++;
      // Hand over a standalone ArrayBuffer (a Buffer may be a view into a shared pool).
      const pdf = new Uint8Array(buf.length);
      pdf.set(buf);
      const res: WorkerResponse = { kind: 'render', id: req.id, ok: true, pdf };
      port.postMessage(res, [pdf.buffer]);
    },
    (err: unknown) => {
      const res: WorkerResponse = { kind: 'render', id: req.id, ok: false, error: serialize(err) };
      port.postMessage(res);
    },
  );
});
