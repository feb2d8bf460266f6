/**
 * Figures in refusal messages, printed as a person reads them: money grouped ("3,000万元",
 * "RMB 30,000,000"), quantities of commitment likewise, percentages with their sign. Exact: the
 * decimal strings are scaled with big.js, never JavaScript numbers. Dates as each language writes
 * them ("2026年12月14日", "14 Dec 2026"), an instant in Beijing time, the exchange's time zone. Any
 * other value is printed as it is (a state name).
 */
import { beijingMinute } from '../../shared/calendar';
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

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-12-14" → "2026年12月14日" / "14 Dec 2026"; an instant → its Beijing date and time, minutes. */
function formatDate(s: string, lang: Lang): string {
  const [day = s, time = ''] = INSTANT.test(s) && Number.isFinite(Date.parse(s)) ? beijingMinute(s).split(' ') : [];
  const m = DAY.exec(day);
  if (!m) return s;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return s;
  if (lang === 'zh') return `${y}年${mo}月${d}日${time ? ` ${time}（北京时间）` : ''}`;
  return `${d} ${MONTHS[mo - 1]} ${y}${time ? ` ${time} Beijing time` : ''}`;
}

export function formatFigure(value: unknown, kind: ParamKind, lang: Lang): string {
  const s = String(value);
  if (kind === 'date') return formatDate(s, lang);
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
