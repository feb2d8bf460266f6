import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalJson, strictCanonicalJson } from '../../shared/canonical-json';

/**
 * The reference form, written the obvious way: the exchange's stored request fingerprints and audit
 * payloads were made with it, so the faster writer must give the same bytes.
 */
function referenceLenient(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => referenceLenient(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceLenient(v)}`).join(',')}}`;
}

describe('canonical JSON', () => {
  it('writes exactly the bytes of the reference forms for any JSON value, with objects in any key order', () => {
    const shuffled = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(shuffled);
      if (v !== null && typeof v === 'object')
        return Object.fromEntries(
          Object.entries(v)
            .reverse()
            .map(([k, x]) => [k, shuffled(x)]),
        );
      return v;
    };
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(v)).to.equal(referenceLenient(v));
        expect(strictCanonicalJson(v)).to.equal(referenceLenient(v));
        expect(canonicalJson(shuffled(v))).to.equal(canonicalJson(v));
        expect(JSON.parse(canonicalJson(v))).to.deep.equal(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 500 },
    );
  });

  it('sorts integer-like keys by code units too, like every other key', () => {
    // (A JavaScript object lists such keys first, in numeric order, whatever order they were added in.)
    const v = { 9: 'nine', 10: 'ten', '': 'empty', a: 'a' };
    expect(canonicalJson(v)).to.equal('{"":"empty","10":"ten","9":"nine","a":"a"}');
    expect(strictCanonicalJson(v)).to.equal(canonicalJson(v));
  });

  it('leaves out undefined properties everywhere; an undefined array element is null, or refused by the strict form', () => {
    expect(canonicalJson({ b: [1, undefined], a: undefined })).to.equal('{"b":[1,null]}');
    expect(() => strictCanonicalJson({ b: [1, undefined] })).to.throw(/holds undefined/);
  });

  it('refuses non-finite numbers and functions in both forms, and class instances in the strict form', () => {
    for (const f of [canonicalJson, strictCanonicalJson]) {
      expect(() => f({ x: Number.POSITIVE_INFINITY })).to.throw(/finite/);
      expect(() => f({ x: () => 1 })).to.throw(/unsupported/);
      expect(() => f(10n)).to.throw(/unsupported/);
    }
    expect(() => strictCanonicalJson({ at: new Date(0) })).to.throw(/plain object/);
  });
});
