/**
 * Bundles the browser client with esbuild into client/dist (gitignored): one IIFE bundle with its
 * dependencies (uPlot included, nothing fetched from a CDN), the page shell and the styles.
 * Run by `npm run build:client`; `npm start` and `npm test` run it first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const here = __dirname;
const dist = path.join(here, 'dist');

export async function buildClient(opts: { quiet?: boolean } = {}): Promise<string> {
  fs.mkdirSync(dist, { recursive: true });
  await build({
    entryPoints: [path.join(here, 'src', 'main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    // No source maps for production builds (the server does not serve .map files there either).
    sourcemap: process.env.NODE_ENV !== 'production',
    outfile: path.join(dist, 'app.js'),
    logLevel: opts.quiet ? 'error' : 'info',
  });
  fs.copyFileSync(path.join(here, 'index.html'), path.join(dist, 'index.html'));
  fs.copyFileSync(path.join(here, 'styles.css'), path.join(dist, 'styles.css'));
  fs.copyFileSync(require.resolve('uplot/dist/uPlot.min.css'), path.join(dist, 'uPlot.min.css'));
  return dist;
}

if (require.main === module) {
  buildClient().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
