import { expect } from 'chai';
import fc from 'fast-check';
import { strictCanonicalJson as canonicalJson } from '../../shared/canonical-json';
import { fromDouble, toDouble } from '../../shared/valuation/numeric';
import { d } from './helpers';

describe('valuation / canonical JSON', () => {
  it('sorts keys at every depth, drops undefined properties and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' }, e: undefined })).to.equal('{"a":{"c":"x","d":[3,1]},"b":1}');
  });

  it('gives the same string for objects built in a different key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).to.equal(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).to.deep.equal(obj);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps a key named "__proto__" as an ordinary key', () => {
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":"x"}'))).to.equal('{"__proto__":"x","b":1}');
  });

  it('refuses values that have no single JSON form: non-finite numbers, class instances, functions', () => {
    expect(() => canonicalJson({ x: Number.NaN })).to.throw(/finite/);
    expect(() => canonicalJson({ x: d('1') })).to.throw(/plain object/);
    expect(() => canonicalJson({ x: () => 1 })).to.throw(/unsupported/);
  });
});

describe('valuation / the decimal–double boundary', () => {
  it('converts a decimal to the nearest double and back at a stated scale, half-up', () => {
    expect(toDouble(d('0.1'))).to.equal(0.1);
    expect(fromDouble(0.1 + 0.2).toString()).to.equal('0.3'); // 0.30000000000000004 at 12 places
    // The shortest decimal of the double is rounded, so a printed tie rounds up as it reads.
    expect(fromDouble(1.0000000000005, 12).toString()).to.equal('1.000000000001');
    expect(fromDouble(-2.5, 0).toString()).to.equal('-3');
  });

  it('refuses NaN and infinities: they mean a formula was fed nonsense', () => {
    expect(() => fromDouble(Number.NaN)).to.throw(/not finite/);
    expect(() => fromDouble(Number.POSITIVE_INFINITY)).to.throw(/not finite/);
  });
});
