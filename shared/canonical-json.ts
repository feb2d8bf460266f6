/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, properties whose value is
 * undefined left out, arrays in order; strings and numbers written by JSON.stringify. The same value
 * always gives the same bytes, so hash chains, request fingerprints and content hashes depend on it.
 * Non-finite numbers, functions, symbols and bigints are refused.
 *
 * Written out by hand rather than through a JSON.stringify replacer: the replacer is called back
 * for every value and had to rebuild every object with sorted keys, which made it the larger share
 * of hashing a valuation report that echoes hundreds of holdings.
 */

/** Lenient form (commands, audit payloads): an undefined array element is written as null. */
export function canonicalJson(value: unknown): string {
  return write(value, false, '');
}

/**
 * Strict form (content hashes of reports): only plain data — a class instance (a Decimal, a Date)
 * or an undefined array element is refused instead of being written in some form.
 */
export function strictCanonicalJson(value: unknown): string {
  return write(value, true, '');
}

function write(v: unknown, strict: boolean, key: string): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError(`canonical JSON: "${key}" is not a finite number`);
      return JSON.stringify(v);
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          if (x === undefined && strict) throw new TypeError(`canonical JSON: "${key}" holds undefined`);
          if (i > 0) out += ',';
          out += x === undefined ? 'null' : write(x, strict, String(i));
        }
        return out + ']';
      }
      if (strict) {
        const proto: unknown = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) throw new TypeError(`canonical JSON: "${key}" is not a plain object`);
      }
      const record = v as Record<string, unknown>;
      let out = '{';
      let first = true;
      for (const k of Object.keys(record).sort()) {
        const x = record[k];
        if (x === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(k) + ':' + write(x, strict, k);
      }
      return out + '}';
    }
    default:
      throw new TypeError(`canonical JSON: "${key}" has unsupported type ${typeof v}`);
  }
}
