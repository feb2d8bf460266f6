/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, properties whose value is
 * undefined left out, arrays in order. Two equal values always give the same string, so its hash
 * identifies a report's content. Only plain data is accepted: strings, finite numbers, booleans,
 * null, arrays and plain objects (a Decimal or Date would otherwise slip through its toJSON).
 */
export function canonicalJson(value: unknown): string {
  // Native JSON.stringify does the escaping and writing; the replacer only re-creates each plain
  // object with its keys in sorted order (insertion order is the output order) and checks types.
  // A report echoes a whole fund model of hundreds of holdings, so this speed matters.
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const original = this[key]; // before any toJSON: class instances are refused, not stringified
    if (original !== null && typeof original === 'object' && !Array.isArray(original)) {
      const proto = Object.getPrototypeOf(original);
      if (proto !== Object.prototype && proto !== null) throw new TypeError(`canonical JSON: "${key}" is not a plain object`);
    }
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number':
        if (!Number.isFinite(v)) throw new TypeError(`canonical JSON: "${key}" is not a finite number`);
        return v;
      case 'undefined':
        return v; // an object property: left out
      case 'object': {
        if (v === null) return v;
        if (Array.isArray(v)) {
          if (v.includes(undefined)) throw new TypeError(`canonical JSON: "${key}" holds undefined`);
          return v;
        }
        const record = v as Record<string, unknown>;
        // A null prototype, so that a key named "__proto__" stays a key instead of setting one.
        const sorted = Object.create(null) as Record<string, unknown>;
        for (const k of Object.keys(record).sort()) sorted[k] = record[k];
        return sorted;
      }
      default:
        throw new TypeError(`canonical JSON: "${key}" has unsupported type ${typeof v}`);
    }
  });
}
