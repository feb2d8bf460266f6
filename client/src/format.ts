/**
 * Number formatting for decimal strings. Money, quantities and prices arrive as strings and stay
 * exact: big.js (via shared/decimal) does any scaling, never a JavaScript number. Chinese formats
 * large amounts in 万 (10^4) and 亿 (10^8); English groups thousands.
 */
import { Dec, Rounding } from '../../shared/decimal';
import type { Lang } from './state';

/** Groups the integer part of a plain decimal string: "12500000.5" → "12,500,000.5". */
export function group(s: string): string {
  const neg = s.startsWith('-');
  const [int = '0', frac] = (neg ? s.slice(1) : s).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + grouped + (frac !== undefined ? '.' + frac : '');
}

function valid(s: string | null | undefined): s is string {
  return typeof s === 'string' && /^-?\d+(\.\d+)?$/.test(s);
}

/** Yuan amount: zh "1,250.00万" / "12.50亿"; en "RMB 12,500,000.00". Half-up at 2 decimals. */
export function money(s: string | null | undefined, lang: Lang): string {
  if (!valid(s)) return '—';
  const d = new Dec(s);
  if (lang === 'zh') {
    const abs = d.abs();
    if (abs.gte(new Dec('100000000'))) return group(d.div(new Dec('100000000')).toFixed(2, Rounding.HALF_UP)) + '亿元';
    if (abs.gte(new Dec('10000'))) return group(d.div(new Dec('10000')).toFixed(2, Rounding.HALF_UP)) + '万元';
    return group(d.toFixed(2, Rounding.HALF_UP)) + '元';
  }
  return 'RMB ' + group(d.toFixed(2, Rounding.HALF_UP));
}

/** Commitment quantity (whole yuan): zh in 万, en grouped. */
export function quantity(s: string | null | undefined, lang: Lang): string {
  if (!valid(s)) return '—';
  if (lang === 'zh') {
    const d = new Dec(s);
    if (d.abs().gte(new Dec('10000'))) return group(d.div(new Dec('10000')).toFixed(trimScale(d), Rounding.HALF_UP)) + '万';
    return group(d.toFixed(0, Rounding.HALF_UP));
  }
  return group(new Dec(s).toFixed(0, Rounding.HALF_UP));
}

/** Decimals needed to show a whole-yuan quantity in 万 exactly (0 for multiples of 10,000). */
function trimScale(d: InstanceType<typeof Dec>): number {
  const rem = d.mod(new Dec('10000'));
  if (rem.eq(new Dec('0'))) return 0;
  return 4;
}

/** Percent of NAV: "92.50%". */
export function pct(s: string | null | undefined): string {
  return valid(s) ? new Dec(s).toFixed(2, Rounding.HALF_UP) + '%' : '—';
}

/** Compare two decimal strings: -1, 0, 1 (null when either is missing). */
export function compare(a: string | null | undefined, b: string | null | undefined): -1 | 0 | 1 | null {
  if (!valid(a) || !valid(b)) return null;
  return new Dec(a).cmp(new Dec(b)) as -1 | 0 | 1;
}

/**
 * ISO instant → date-time in the chosen language, Beijing time: 2026/12/07 19:05:15, or 7 Dec 2026, 19:05:15 (the
 * month named in English, where 07/12/2026 reads as July to some readers).
 */
export function dateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: lang === 'zh' ? '2-digit' : 'short',
    day: lang === 'zh' ? '2-digit' : 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

export function time(iso: string, lang: Lang): string {
  const d = new Date(iso);
  return d.toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hour12: false });
}

/** A Beijing calendar date ("2026-10-23", as deadlines arrive) in the page's language: 2026年10月23日, 23 October 2026. */
export function calendarDate(date: string | null | undefined, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  if (!m) return date ?? '—';
  // The string already is the Beijing date: format it at UTC midnight so no time zone shifts the day.
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' });
}

/** An organisation's name in the page's language (its English name on an English page). */
export function orgLabel(o: { name: string; nameEn?: string }, lang: Lang): string {
  return lang === 'en' && o.nameEn ? o.nameEn : o.name;
}
