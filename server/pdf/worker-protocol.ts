/** Messages between the main thread and a PDF worker (structured-clone safe). */
export type WorkerRequest = { kind: 'render'; id: number; renderer: string; input: unknown } | { kind: 'stats'; id: number };

export interface WorkerStats {
  /** How many times this worker read and parsed the font (must stay 1). */
  fontLoads: number;
  rendered: number;
}

export interface SerializedError {
  code: string;
  message: string;
  details: string[];
}

/** What a worker is started with: the modules that register its renderers (server/pdf/registry.ts). */
export interface WorkerSetup {
  rendererModules: string[];
}

/** The answer to a `render` request. */
export type WorkerResponse =
  | { kind: 'render'; id: number; ok: true; pdf: Uint8Array }
  | { kind: 'render'; id: number; ok: false; error: SerializedError }
  | { kind: 'stats'; id: number; stats: WorkerStats };
