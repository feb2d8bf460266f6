/**
 * A faster, byte-identical `subsetSubrs` for fontkit's CFF subsetter.
 *
 * Noto Sans CJK keeps ~22 000 local subroutines in its ideograph font dict. fontkit 2.0's
 * CFFSubset.subsetSubrs keeps every index (charstrings call subrs by index) and replaces each
 * unused one with a fresh `new Uint8Array([11])` ("return"): ~24 000 small allocations per
 * document, which showed up as most of the per-document cost (garbage collection). This version
 * writes the same bytes but shares one read-only stub. Nothing else changes.
 *
 * Safety: fontkit's subset class is internal, so the patch is applied only when the method has
 * the expected shape, and is kept only if a probe subset encodes to exactly the same bytes with
 * and without it; otherwise fontkit's original stays in place.
 */
import type { Font } from 'fontkit';

interface SubrRef {
  offset: number;
  length: number;
}
interface CffSubsetLike {
  cff: { stream: { pos: number; readBuffer(length: number): Uint8Array } };
  subsetSubrs(subrs: SubrRef[], used: Record<number, boolean | undefined>): Uint8Array[];
  includeGlyph(gid: number): number;
  encode(): Uint8Array;
}

const RETURN_STUB = new Uint8Array([11]);

function fastSubsetSubrs(this: CffSubsetLike, subrs: SubrRef[], used: Record<number, boolean | undefined>): Uint8Array[] {
  const res: Uint8Array[] = new Array<Uint8Array>(subrs.length);
  const stream = this.cff.stream;
  for (let i = 0; i < subrs.length; i++) {
    if (used[i]) {
      const subr = subrs[i]!;
      stream.pos = subr.offset;
      res[i] = stream.readBuffer(subr.length);
    } else {
      res[i] = RETURN_STUB;
    }
  }
  return res;
}

let state: 'unpatched' | 'patched' | 'declined' = 'unpatched';

/** Installs the faster method once per thread (no-op afterwards). Returns whether it is active. */
export function speedUpCffSubsetting(font: Font, probeText: string): boolean {
  if (state !== 'unpatched') return state === 'patched';
  state = 'declined';
  const subset = (font as unknown as { createSubset(): CffSubsetLike }).createSubset();
  const proto = Object.getPrototypeOf(subset) as Partial<CffSubsetLike>;
  if (typeof proto.subsetSubrs !== 'function' || proto.subsetSubrs.length !== 2 || !subset.cff?.stream) return false;
  const original = proto.subsetSubrs;

  const probe = (): Buffer => {
    const s = (font as unknown as { createSubset(): CffSubsetLike }).createSubset();
    for (const g of font.glyphsForString(probeText)) s.includeGlyph(g.id);
    return Buffer.from(s.encode());
  };
  const expected = probe();
  proto.subsetSubrs = fastSubsetSubrs;
  if (probe().equals(expected)) {
    state = 'patched';
    return true;
  }
  proto.subsetSubrs = original;
  return false;
}
