/** Messages between the main thread and a PDF worker (structured-clone safe). */
import type { ConfirmationErrorCode } from './errors.js';
import type { RenderOptions } from './render.js';
import type { ConfirmationData } from './types.js';
import type { ValuationReport } from '../../shared/valuation/report';
import type { PdfContext } from '../valuation/valuation-pdf';
import type { InKindStatementData } from '../distributions/statement-pdf';

export type WorkerRequest =
  | { kind: 'render'; id: number; data: ConfirmationData; options: RenderOptions }
  | { kind: 'valuation'; id: number; report: ValuationReport; context: PdfContext }
  | { kind: 'inkind-statement'; id: number; statement: InKindStatementData }
  | { kind: 'stats'; id: number };

export interface WorkerStats {
  /** How many times this worker read and parsed the font (must stay 1). */
  fontLoads: number;
  rendered: number;
}

export interface SerializedError {
  code: ConfirmationErrorCode;
  message: string;
  details: string[];
}

/** The answer to a `render` or a `valuation` request. */
export type WorkerResponse =
  | { kind: 'render'; id: number; ok: true; pdf: Uint8Array }
  | { kind: 'render'; id: number; ok: false; error: SerializedError }
  | { kind: 'stats'; id: number; stats: WorkerStats };
