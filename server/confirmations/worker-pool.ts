/**
 * Renders confirmations and valuation reports in worker threads so PDF work (tens of ms of CPU per document) never
 * stalls the matching engine or the HTTP loop on the main thread.
 *
 * Each worker parses the font once at start-up and keeps it; requests are dispatched to the
 * worker with the fewest in flight (each worker queues its own). The output is byte-identical
 * to `renderConfirmationPdf` on the main thread. Idle workers do not keep the process alive.
 * A worker that crashes fails its in-flight requests (PDF_RENDER_FAILED) and is replaced on the
 * next request.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ConfirmationRenderError } from './errors.js';
import type { RenderOptions } from './render.js';
import type { ConfirmationData } from './types.js';
import type { WorkerRequest, WorkerResponse, WorkerStats } from './worker-protocol.js';
import type { ValuationReport } from '../../shared/valuation/report';
import type { PdfContext } from '../valuation/valuation-pdf';
import type { InKindStatementData } from '../distributions/statement-pdf';

export interface PdfWorkerPoolOptions {
  /** Worker threads (default 1: PDF issuance is rare; the point is to keep it off the main thread). */
  size?: number;
}

export interface PdfWorkerPool {
  readonly size: number;
  /** Same contract (and bytes) as renderConfirmationPdf, computed in a worker. */
  render(data: ConfirmationData, options?: RenderOptions): Promise<Buffer>;
  /** Same bytes as renderValuationPdf (server/valuation/valuation-pdf.ts), computed in a worker. */
  renderValuation(report: ValuationReport, context?: PdfContext): Promise<Buffer>;
  /** Same bytes as renderInKindStatementPdf (server/distributions/statement-pdf.ts), computed in a worker. */
  renderInKindStatement(statement: InKindStatementData): Promise<Buffer>;
  /** Per-worker counters (font loads, documents rendered), for tests and diagnostics. */
  stats(): Promise<WorkerStats[]>;
  /** Terminates the workers; pending and later requests are rejected. */
  close(): Promise<void>;
}

const poolClosed = () => new ConfirmationRenderError('PDF_RENDER_FAILED', 'PDF worker pool closed');

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

class Slot {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();

  get inFlight(): number {
    return this.pending.size;
  }

  send(req: WorkerRequest): Promise<unknown> {
    const worker = (this.worker ??= this.spawn());
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(req.id, { resolve, reject });
      worker.postMessage(req);
    });
  }

  async terminate(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.failAll(poolClosed());
    if (w) await w.terminate();
  }

  /** Starts the worker now (font parsing happens in the background). */
  warm(): void {
    this.worker ??= this.spawn();
  }

  private spawn(): Worker {
    const w = startWorker();
    w.unref();
    w.on('message', (res: WorkerResponse) => this.settle(res));
    const fail = (err: Error) => {
      if (this.worker === w) this.worker = undefined;
      this.failAll(new ConfirmationRenderError('PDF_RENDER_FAILED', `PDF worker failed: ${err.message}`));
    };
    w.on('error', fail);
    w.on('exit', (code) => {
      if (this.worker === w) fail(new Error(`exited with code ${code}`));
    });
    return w;
  }

  private settle(res: WorkerResponse): void {
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (res.kind === 'stats') p.resolve(res.stats);
    else if (res.ok) p.resolve(Buffer.from(res.pdf.buffer, res.pdf.byteOffset, res.pdf.byteLength));
    else p.reject(new ConfirmationRenderError(res.error.code, res.error.message, res.error.details));
  }

  private failAll(err: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }
}

/**
 * The worker runs pdf-worker.ts. Under tsx (how this project runs, including mocha's
 * `require: tsx/cjs`) a worker does not inherit the TypeScript loader when it was registered
 * in-process, so the worker is bootstrapped with tsx's CJS hook first; compiled JS runs as is.
 */
function startWorker(): Worker {
  const isTs = path.extname(__filename) === '.ts';
  const entry = path.join(__dirname, isTs ? 'pdf-worker.ts' : 'pdf-worker.js');
  if (!isTs) return new Worker(entry);
  const tsx = require.resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, { eval: true });
}

export function createPdfWorkerPool(options: PdfWorkerPoolOptions = {}): PdfWorkerPool {
  const size = Math.max(1, Math.floor(options.size ?? 1));
  const slots = Array.from({ length: size }, () => new Slot());
  for (const s of slots) s.warm();
  let nextId = 1;
  let closed = false;

  const pick = (): Slot => slots.reduce((best, s) => (s.inFlight < best.inFlight ? s : best));

  return {
    size,
    async render(data, renderOptions = {}) {
      if (closed) throw poolClosed();
      return (await pick().send({ kind: 'render', id: nextId++, data, options: renderOptions })) as Buffer;
    },
    async renderValuation(report, context = {}) {
      if (closed) throw poolClosed();
      return (await pick().send({ kind: 'valuation', id: nextId++, report, context })) as Buffer;
    },
    async renderInKindStatement(statement) {
      if (closed) throw poolClosed();
      return (await pick().send({ kind: 'inkind-statement', id: nextId++, statement })) as Buffer;
    },
    async stats() {
      if (closed) throw poolClosed();
      return (await Promise.all(slots.map((s) => s.send({ kind: 'stats', id: nextId++ })))) as WorkerStats[];
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.terminate()));
    },
  };
}

/**
 * The process's pool, its workers started on the first request: most processes, and most tests,
 * never render a PDF, and each worker parses the font when it starts.
 */
export function lazyPdfWorkerPool(options: PdfWorkerPoolOptions = {}): PdfWorkerPool {
  let pool: PdfWorkerPool | null = null;
  let closed = false;
  const get = (): PdfWorkerPool => {
    if (closed) throw poolClosed();
    return (pool ??= createPdfWorkerPool(options));
  };
  return {
    size: Math.max(1, Math.floor(options.size ?? 1)),
    // async: a closed pool answers with a rejected promise, as the eager pool does.
    render: async (data, renderOptions) => get().render(data, renderOptions),
    renderValuation: async (report, context) => get().renderValuation(report, context),
    renderInKindStatement: async (statement) => get().renderInKindStatement(statement),
    stats: async () => get().stats(),
    async close() {
      closed = true;
      await pool?.close();
    },
  };
}
