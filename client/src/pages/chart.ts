/**
 * Price history in % of NAV with uPlot (bundled from npm). The y values are JavaScript numbers
 * for drawing only; every amount shown as text stays a decimal string.
 */
import uPlot from 'uplot';
import type { Trade } from '../types';
import type { Unbind } from '../dom';
import type { Lang } from '../state';

export interface PriceChart {
  setTrades(trades: Trade[]): void;
  unbind: Unbind;
}

/**
 * A time axis in Beijing time, in the page's language and 24-hour, labelled at the grain its span needs: hours within
 * two days, days within two months, months beyond. (uPlot's own labels are English, am/pm, in the device's zone; and
 * hours alone over months of trades read "08:00" at every midnight tick.)
 */
/** uPlot places its time ticks at midnights and month starts of this zone, whatever the device's. */
export const beijingTicks = (ts: number): Date => uPlot.tzDate(new Date(ts * 1000), 'Asia/Shanghai');

export function beijingTimeAxis(lang: Lang): uPlot.Axis['values'] {
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  const zone = { timeZone: 'Asia/Shanghai' } as const;
  const hours = new Intl.DateTimeFormat(locale, { ...zone, hour: '2-digit', minute: '2-digit', hour12: false });
  const days = new Intl.DateTimeFormat(locale, { ...zone, month: 'short', day: 'numeric' });
  const months = new Intl.DateTimeFormat(locale, { ...zone, year: 'numeric', month: 'short' });
  return (_u, vals) => {
    const span = vals.length > 1 ? vals[vals.length - 1]! - vals[0]! : 0;
    const f = span >= 60 * 86_400 ? months : span >= 2 * 86_400 ? days : hours;
    return vals.map((v) => f.format(new Date(v * 1000)));
  };
}

export function mountPriceChart(el: HTMLElement, label: string, lang: Lang): PriceChart {
  const width = (): number => Math.max(280, el.clientWidth || 560);
  // The legend's time in the page's language, 24-hour, Beijing time.
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  const when = new Intl.DateTimeFormat(locale, {
    timeZone: 'Asia/Shanghai',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  const timeText = (s: number | null): string => (s === null ? '—' : when.format(new Date(s * 1000)));
  const opts: uPlot.Options = {
    tzDate: beijingTicks,
    width: width(),
    height: 220,
    scales: { x: { time: true }, y: { auto: true, range: (_u, min, max) => [Math.min(min, 100) - 2, Math.max(max, 100) + 2] } },
    axes: [
      { stroke: '#444', space: 60, values: beijingTimeAxis(lang) },
      { stroke: '#444', size: 64, values: (_u, vals) => vals.map((v) => `${v.toFixed(1)}%`) },
    ],
    series: [
      { label: lang === 'zh' ? '时间' : 'Time', value: (_u, v) => timeText(v) },
      { label, stroke: '#1f5fbf', width: 2, points: { show: true, size: 6 }, value: (_u, v) => (v === null ? '—' : `${v.toFixed(2)}%`) },
      {
        label: lang === 'zh' ? '净值 100%' : 'NAV 100%',
        stroke: '#888',
        dash: [4, 4],
        width: 1,
        points: { show: false },
        value: (_u, v) => (v === null ? '—' : '100%'),
      },
    ],
  };
  const plot = new uPlot(opts, [[], [], []], el);
  let lastKey = '';
  const onResize = (): void => plot.setSize({ width: width(), height: 220 });
  window.addEventListener('resize', onResize);
  return {
    setTrades(trades) {
      const key = trades.map((t) => t.id).join(',');
      if (key === lastKey) return;
      lastKey = key;
      const asc = [...trades].reverse();
      const xs = asc.map((t) => Date.parse(t.executedAt) / 1000);
      plot.setData([xs, asc.map((t) => Number(t.pricePct)), xs.map(() => 100)]);
      const first = xs[0];
      const last = xs[xs.length - 1];
      // A lone trade (or a burst within a minute) would stretch the time axis: show at least two hours.
      if (first !== undefined && last !== undefined && last - first < 7200) plot.setScale('x', { min: first - 3600, max: last + 3600 });
    },
    unbind: () => {
      window.removeEventListener('resize', onResize);
      plot.destroy();
    },
  };
}
