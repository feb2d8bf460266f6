/**
 * Worker-thread entry: renders PDFs off the main thread with the renderers its pool named (each module
 * registers its own, server/pdf/registry.ts). The font is read and parsed once, when the worker starts
 * (before the first request), and shared by every document the worker renders. Started by
 * worker-pool.ts; not meant to be imported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isPdfRenderError } from './errors';
import { confirmationFonts, fontLoadCount } from './fonts';
import { registeredRenderers, rendererFor } from './registry';
import type { SerializedError, WorkerRequest, WorkerResponse, WorkerSetup } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('pdf-worker must run in a worker thread');

for (const file of (workerData as WorkerSetup).rendererModules) require(file);
confirmationFonts();
// Warm-up (JIT, fontkit's glyph caches) before the first real request; requests queue behind it.
const warm = Promise.all(registeredRenderers().map((r) => r.warmUp?.().catch(() => undefined)));
let rendered = 0;

function serialize(err: unknown): SerializedError {
  if (isPdfRenderError(err)) return { code: err.code, message: err.message, details: [...err.details] };
  return { code: 'PDF_RENDER_FAILED', message: err instanceof Error ? err.message : String(err), details: [] };
}

port.on('message', (req: WorkerRequest) => {
  if (req.kind === 'stats') {
    const res: WorkerResponse = { kind: 'stats', id: req.id, stats: { fontLoads: fontLoadCount(), rendered } };
    port.postMessage(res);
    return;
  }
  warm
    .then(() => rendererFor(req.renderer).render(req.input))
    .then(
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
