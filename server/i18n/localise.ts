/**
 * A refusal in the reader's language: title and detail from the catalogue (server/i18n/messages.ts)
 * by code and `params.reason`, figures from `params`. The code never changes. English keeps the
 * server's own detail where the catalogue has no figures to print (it is often more specific).
 */
import { formatFigure, type Lang } from './figures';
import { MESSAGES, STATE_NAMES, type MessageEntry, type Text } from './messages';
import { describeFieldProblem, labelOf } from './fields';

export type { Lang } from './figures';

const CHINESE_TAGS = /^zh(-cn|-hans(-.*)?|-sg)?$/;

/** The first preference of an Accept-Language header (highest q, then order): Chinese → 'zh', anything else → 'en'. */
export function preferredLanguage(header: string | undefined): Lang {
  if (!header) return 'en';
  let best: { tag: string; q: number } | null = null;
  for (const part of header.split(',')) {
    const [rawTag = '', ...attrs] = part.trim().split(';');
    const tag = rawTag.trim().toLowerCase();
    if (!tag) continue;
    const qAttr = attrs.map((a) => a.trim()).find((a) => a.startsWith('q='));
    const q = qAttr ? Number(qAttr.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { tag, q };
  }
  return best && CHINESE_TAGS.test(best.tag) ? 'zh' : 'en';
}

const PLACEHOLDER = /\{(\w+)\}/g;

export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

function fill(text: string, entry: MessageEntry, params: Record<string, unknown>, lang: Lang): string | null {
  const names = placeholders(text);
  if (names.some((n) => params[n] === undefined || params[n] === null)) return null;
  return text.replace(PLACEHOLDER, (_m, name: string) => {
    const value = params[name];
    if (name === 'state' && typeof value === 'string' && STATE_NAMES[value]) return STATE_NAMES[value][lang];
    if (name === 'field' && typeof value === 'string') return labelOf(value, lang);
    return formatFigure(value, entry.params?.[name] ?? 'text', lang);
  });
}

export function entryFor(code: string): MessageEntry {
  return MESSAGES[code] ?? MESSAGES.INTERNAL!;
}

export function localise(
  code: string,
  serverDetail: string,
  params: Record<string, unknown> | undefined,
  lang: Lang,
): { title: string; detail: string } {
  const entry = entryFor(code);
  const p = params ?? {};
  const variant: Text | undefined = typeof p.reason === 'string' ? entry.variants?.[p.reason] : undefined;
  const title = entry.title[lang];
  // A refused field: by its form's label, with what is wrong with it (fields.ts).
  const field = code === 'VALIDATION_FAILED' && p.reason === 'field' ? describeFieldProblem(p, lang) : null;
  if (field !== null) return { title, detail: field };
  const fromVariant = variant ? fill(variant[lang], entry, p, lang) : null;
  if (fromVariant !== null) return { title, detail: fromVariant };
  const fromEntry = fill(entry.detail[lang], entry, p, lang);
  if (lang === 'en') {
    const hasFigures = placeholders(entry.detail.en).length > 0 && fromEntry !== null;
    return { title, detail: hasFigures ? fromEntry : serverDetail };
  }
  return { title, detail: fromEntry ?? `${title}。` };
}
