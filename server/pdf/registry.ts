/**
 * The renderers a PDF worker knows, by name. A feature registers its renderer in a module of its own
 * (e.g. server/transfers/confirmation/layout/renderer.ts); the worker pool is told which modules to
 * load, so this layer never imports a feature.
 */
export interface Renderer {
  /** Renders one document from its structured-clone-safe input. */
  render(input: unknown): Promise<Buffer>;
  /** A document rendered once when a worker starts (JIT, font caches), before the first request. */
  warmUp?(): Promise<unknown>;
}

const renderers = new Map<string, Renderer>();

export function registerRenderer(name: string, renderer: Renderer): void {
  if (renderers.has(name)) throw new Error(`PDF renderer ${name} registered twice`);
  renderers.set(name, renderer);
}

export function rendererFor(name: string): Renderer {
  const r = renderers.get(name);
  if (!r) throw new Error(`no PDF renderer named ${name} (registered: ${[...renderers.keys()].join(', ') || 'none'})`);
  return r;
}

export const registeredRenderers = (): Renderer[] => [...renderers.values()];
