/**
 * Figures in refusal messages, printed as a person reads them: money grouped ("3,000万元",
 * "RMB 30,000,000"), quantities of commitment likewise, percentages with their sign. Exact: the
 * decimal strings are scaled with big.js, never JavaScript numbers. A value that is not a decimal
 * string is printed as it is (a date, a state name).
 */
import { Dec } from '../../shared/decimal';

export type Lang = 'zh' | 'en';
export type ParamKind = 'money' | 'quantity' | 'pct' | 'count' | 'date' | 'text';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const WAN = new Dec('10000');
const YI = new Dec('100000000');

/** "30000000.50" → "30,000,000.50"; trailing ".00" dropped. */
export function groupDigits(s: string): string {
  const neg = s.startsWith('-');
  const [int = '0', frac] = (neg ? s.slice(1) : s).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const keepFrac = frac !== undefined && /[1-9]/.test(frac) ? `.${frac}` : '';
  return (neg ? '-' : '') + grouped + keepFrac;
}

/** Divides by 万 or 亿 only when the result stays exact at 2 decimals, so no figure is rounded away. */
function chineseUnits(s: string, unit: string): string {
  const d = new Dec(s);
  for (const [scale, name] of [
    [YI, '亿'],
    [WAN, '万'],
  ] as const) {
    if (d.abs().gte(scale)) {
      const scaled = d.div(scale);
      if (scaled.eq(scaled.round(2))) return `${groupDigits(scaled.toFixed(2))}${name}${unit}`;
    }
  }
  return `${groupDigits(d.toFixed())}${unit}`;
}

export function formatFigure(value: unknown, kind: ParamKind, lang: Lang): string {
  const s = String(value);
  if (!DECIMAL.test(s)) return s;
  switch (kind) {
    case 'money':
    case 'quantity':
      return lang === 'zh' ? chineseUnits(s, '元') : `RMB ${groupDigits(new Dec(s).toFixed())}`;
    case 'pct':
      return `${new Dec(s).toFixed(2)}%`;
    case 'count':
      return groupDigits(s);
    default:
      return s;
  }
}
