/**
 * The CJK font of the confirmation, loaded and parsed ONCE per process (per worker thread).
 *
 * Font: Noto Sans Hans (Noto Sans CJK, simplified-Chinese region; OFL-1.1) from the npm package
 * `@embedpdf/fonts-sc` — CFF-flavoured OpenType (.otf), 30 888 glyphs, covering GB 2312 and far
 * beyond, plus Latin, digits and full-width punctuation, so one face prints both languages.
 * Nothing installed on the machine is used.
 *
 * Why the parsed object: pdfkit 0.20's `doc.font(src)` runs `fontkit.create()` on a path or a
 * buffer for every document (a path is also re-read from disk). Handing it an already parsed
 * fontkit `Font` (pdfkit accepts any object with a `layout` function, PDFFontFactory.open) skips
 * that, and fontkit's per-font caches (glyphs, parsed charstrings, the layout engine) stay warm
 * across documents. Each document still gets its own `EmbeddedFont` and its own subset
 * (`font.createSubset()`), so only the glyphs that document uses are embedded (CIDFontType0C).
 * A shared fontkit `Font` is only read after parsing, so sharing it between documents — even
 * between documents rendered concurrently on the same thread — is safe.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { create as createFont, type Font } from 'fontkit';
import { speedUpCffSubsetting } from './cff-subset-speedup.js';
import type { Doc } from './pdf.js';

/**
 * Name under which the face is registered on each document (`doc.font(FONT_REGULAR)`).
 * One face only: each face costs its own subset per document (see blocks.ts TextStyle.bold).
 */
export const FONT_REGULAR = 'ConfirmationSans';

const FONT_PACKAGE = '@embedpdf/fonts-sc';
const FONT_FILES = {
  regular: 'NotoSansHans-Regular.otf',
} as const;

export interface ConfirmationFonts {
  regular: Font;
}

let loaded: ConfirmationFonts | undefined;
let loads = 0;

/** Absolute path of one of the package's font files. */
export function fontFilePath(file: string): string {
  // The package exports only ".", which resolves to <pkg>/dist/index.cjs; fonts sit in <pkg>/fonts.
  const entry = require.resolve(FONT_PACKAGE);
  return path.join(path.dirname(entry), '..', 'fonts', file);
}

/** The font file read and opened (fontkit reads its tables when first used). */
function readFont(file: string): Font {
  const opened = createFont(readFileSync(fontFilePath(file)));
  if ('fonts' in opened) throw new Error(`${file}: expected a single font, got a collection`);
  return opened;
}

function parse(file: string): Font {
  const parsed = readFont(file);
  countLayoutMisses(parsed);
  cffSpeedup = speedUpCffSubsetting(parsed, '交易凭证 北京某某（有限合伙） Transfer Confirmation 0123456789.,%—');
  return parsed;
}

let cffSpeedup = false;

/** Whether the byte-identical CFF subsetting speed-up (cff-subset-speedup.ts) is active. */
export function cffSubsetSpeedupActive(): boolean {
  return cffSpeedup;
}

/** Distinct words whose shaping is shared per thread before the shared cache starts over. */
const LAYOUT_CACHE_LIMIT = 20_000;

/**
 * Shaping (fontkit's OpenType layout) is the main per-document text cost, and pdfkit caches the
 * shaped runs per document only (EmbeddedFont.layoutCache, keyed by word). Most of a
 * confirmation's words — labels, clauses, digits — repeat across documents, so every document
 * of this thread gets the same cache object. That is safe because a cached run is never changed
 * after pdfkit creates it (layoutRun scales it once, by the font's fixed units per em; layout,
 * encode and _fragment only read it, concatenating into new arrays) and the font is the same
 * parsed object for every document. Runs with OpenType features bypass pdfkit's cache.
 * Each miss goes through font.layout once, which is how the cache's size is counted.
 */
let sharedLayoutCache: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
let layoutMisses = 0;

function countLayoutMisses(font: Font): void {
  const original = font.layout.bind(font);
  (font as { layout: Font['layout'] }).layout = ((...args: Parameters<Font['layout']>) => {
    layoutMisses++;
    return original(...args);
  }) as Font['layout'];
}

/** The process-wide parsed fonts; the first call reads and parses them (~200 ms with the subsetter self-check), later calls are free. */
export function confirmationFonts(): ConfirmationFonts {
  if (!loaded) {
    loaded = { regular: parse(FONT_FILES.regular) };
    loads++;
  }
  return loaded;
}

/** How many times this thread has read and parsed the font files (1 after first use, ever). */
export function fontLoadCount(): number {
  return loads;
}

/**
 * Registers the shared parsed font on a document under FONT_REGULAR (and selects it), with the
 * thread's shared layout cache.
 */
export function registerConfirmationFonts(doc: Doc): void {
  // @types/pdfkit only lists paths and buffers, but pdfkit's PDFFontFactory.open also takes a
  // fontkit Font object as-is (`typeof src.layout === 'function'`); that is the point here.
  doc.registerFont(FONT_REGULAR, confirmationFonts().regular as unknown as Buffer);
  doc.font(FONT_REGULAR); // creates this document's EmbeddedFont (and its subset)
  const embedded = (doc as unknown as { _font?: { layoutCache?: unknown } })._font;
  if (embedded?.layoutCache === undefined) return; // pdfkit without a layout cache: nothing to share
  if (layoutMisses >= LAYOUT_CACHE_LIMIT) {
    sharedLayoutCache = Object.create(null) as Record<string, unknown>;
    layoutMisses = 0;
  }
  embedded.layoutCache = sharedLayoutCache;
}

/**
 * The font as far as a coverage check needs it: the parsed font where this thread renders PDFs,
 * else the file read with only its character map in use (~15 ms instead of the full ~200 ms
 * parse and subsetter check; the server's main thread checks text but renders no PDF).
 */
let coverageOnly: Font | undefined;
function coverageFont(): Font {
  if (loaded) return loaded.regular;
  coverageOnly ??= readFont(FONT_FILES.regular);
  return coverageOnly;
}

/**
 * Characters of `text` the font has no glyph for (they would print as an empty box). Control
 * characters and line breaks are ignored. Deduplicated, in order of first appearance.
 */
export function unsupportedCharacters(text: string): string[] {
  const regular = coverageFont();
  const missing = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    if (cp === undefined || cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || supported.has(cp)) continue;
    if (regular.hasGlyphForCodePoint(cp)) supported.add(cp);
    else missing.add(ch);
  }
  return [...missing];
}

/** Code points already found in the font (bounded by the font's own repertoire). */
const supported = new Set<number>();
