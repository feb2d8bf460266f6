/**
 * Free text that other people see or that is printed (reasons, buyer conditions, references, names):
 * one rule for all of it. Refused: C0 controls (except line feed, carriage return and tab, where a
 * field may span lines), DEL and C1 controls, and the invisible bidirectional-formatting characters
 * that reorder what a reader sees (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069) — a reason shown
 * to an operator or printed on a confirmation must read as it was written.
 */

/** Characters never accepted in free text. */
const ALWAYS_UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** Line breaks and tabs: refused in one-line text (references, names). */
const LINE_BREAKS = /[\t\n\r]/u;

const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why the text is refused (naming the first offending character), or null when it is acceptable. */
export function unsafeTextReason(text: string, opts: { multiline?: boolean } = {}): string | null {
  const bad = ALWAYS_UNSAFE.exec(text) ?? (opts.multiline ? null : LINE_BREAKS.exec(text));
  if (!bad) return null;
  return (
    `contains a control or bidirectional-formatting character (${codePoint(bad[0])}` +
    `), which is not accepted in text shown to others or printed`
  );
}

/** Every string inside a JSON value with its path (keys joined by dots), for checking a whole request. */
export function* stringsIn(value: unknown, path: string): Generator<{ path: string; key: string; text: string }> {
  if (typeof value === 'string') yield { path, key: path.slice(path.lastIndexOf('.') + 1), text: value };
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* stringsIn(value[i], `${path}.${i}`);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* stringsIn(v, `${path}.${k}`);
}
