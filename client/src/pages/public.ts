/**
 * Public market data, readable without signing in (GET /api/public/...): listing announcements
 * during disclosure, qualification announcements while a state-owned listing's qualification phase runs,
 * result announcements, the monthly %NAV index (uPlot) and market statistics; fund names and dates in the
 * reader's language.
 */
import uPlot from 'uplot';
import { h, replace } from '../dom';
import { calendarDate, money, pct, quantity } from '../format';
import { t } from '../i18n';
import type { AppState, Lang } from '../state';
import { beijingTicks, beijingTimeAxis } from './chart';
import { table, term } from './common';
import type { Page } from './page';

export interface IndexPoint {
  month: string;
  pctOfNav: string;
  deals: number;
  volume: string;
  daysSinceLastDeal: number;
}
export interface PublicData {
  listings: {
    listingId: string;
    fundName: string;
    fundNameEn?: string;
    quantity: string;
    askPrice: string;
    impliedPctOfNav: string | null;
    method: string;
    disclosureStartDate: string;
    disclosureEndDate: string;
    stateOwned: boolean;
    appraisalValue?: string;
  }[];
  qualifications: {
    listingId: string;
    fundName: string;
    fundNameEn?: string;
    quantity: string;
    askPrice: string;
    opinionDeadline: string;
    depositDeadline: string;
    depositDeadlineHeld: boolean;
    provisional: boolean;
    notice: { zh: string; en: string };
  }[];
  results: {
    listingId: string;
    fundName: string;
    fundNameEn?: string;
    quantity: string;
    askPrice: string;
    dealPrice: string;
    dealPctOfNav: string | null;
    awardedAt: string;
    publishedUntil: string;
    appraisalValue?: string;
  }[];
  index: { asOf: string; points: IndexPoint[] };
  stats: {
    deals: number;
    volume: string;
    medianDaysToComplete: number | null;
    byVenue: Record<string, { deals: number; volume: string }>;
    byStrategy: Record<string, { deals: number; volume: string; pctOfNav: string | null }>;
  };
}

/** The index as a monthly line in % of NAV (numbers for drawing only; the table shows the strings). */
function mountIndexChart(el: HTMLElement, label: string, lang: Lang): { set(points: IndexPoint[]): void; unbind(): void } {
  const width = (): number => Math.max(280, el.clientWidth || 560);
  const monthText = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'long',
  });
  const plot = new uPlot(
    {
      tzDate: beijingTicks,
      width: width(),
      height: 220,
      scales: { x: { time: true } },
      axes: [
        { stroke: '#444', space: 60, values: beijingTimeAxis(lang) },
        { stroke: '#444', size: 64, values: (_u, vals) => vals.map((v) => `${v.toFixed(1)}%`) },
      ],
      series: [
        // Each point is a month's index: the legend names the month, in the page's language.
        { label: lang === 'zh' ? '月份' : 'Month', value: (_u, v) => (v === null ? '—' : monthText.format(new Date(v * 1000))) },
        { label, stroke: '#1f5fbf', width: 2, points: { show: true, size: 6 }, value: (_u, v) => (v === null ? '—' : `${v.toFixed(2)}%`) },
      ],
    },
    [[], []],
    el,
  );
  const onResize = (): void => plot.setSize({ width: width(), height: 220 });
  window.addEventListener('resize', onResize);
  let key = '';
  return {
    set(points) {
      const next = JSON.stringify(points);
      if (next === key) return;
      key = next;
      plot.setData([points.map((p) => Date.parse(`${p.month}-15T00:00:00Z`) / 1000), points.map((p) => Number(p.pctOfNav))]);
    },
    unbind: () => {
      window.removeEventListener('resize', onResize);
      plot.destroy();
    },
  };
}

export const publicPage: Page = {
  title: 'publicData',
  async load(ctx) {
    const [listings, qualifications, results, index, stats] = await Promise.all([
      ctx.api.get<PublicData['listings']>('/api/public/announcements?kind=listing'),
      ctx.api.get<PublicData['qualifications']>('/api/public/announcements?kind=qualification'),
      ctx.api.get<PublicData['results']>('/api/public/announcements?kind=result'),
      ctx.api.get<PublicData['index']>('/api/public/market/index'),
      ctx.api.get<PublicData['stats']>('/api/public/market/stats'),
    ]);
    ctx.store.update((s) => {
      s.publicData = { listings, qualifications, results, index, stats };
    });
  },
  channels: () => [],
  mount(root, ctx) {
    const lang = ctx.store.get().lang;
    const chartEl = h('div', { class: 'chart', 'data-testid': 'index-chart' });
    const body = h('div', { 'data-testid': 'public' });
    root.append(
      h('h1', {}, t(lang, 'publicData')),
      h('p', { class: 'hint' }, t(lang, 'publicHint')),
      h('h2', {}, t(lang, 'indexTitle')),
      chartEl,
      body,
    );
    const chart = mountIndexChart(chartEl, t(lang, 'indexTitle'), lang);
    return {
      unbind: () => chart.unbind(),
      render(s: AppState) {
        const d = s.publicData;
        if (!d) {
          replace(body, h('p', {}, t(s.lang, 'loading')));
          return;
        }
        chart.set(d.index.points);
        const L = (k: string) => t(s.lang, k);
        const fund = (a: { fundName: string; fundNameEn?: string }) => (s.lang === 'en' && a.fundNameEn ? a.fundNameEn : a.fundName);
        const date = (d: string) => calendarDate(d, s.lang);
        replace(
          body,
          table(
            L('indexTitle'),
            [L('month'), L('pctNav'), L('deals'), L('volume'), L('daysSinceLastDeal')],
            [...d.index.points]
              .reverse()
              .map((p) => [p.month, pct(p.pctOfNav), String(p.deals), money(p.volume, s.lang), String(p.daysSinceLastDeal)]),
            { testid: 'index', empty: L('noData') },
          ),
          h('h2', {}, L('marketStats')),
          h(
            'p',
            { 'data-testid': 'stats' },
            `${L('deals')}: ${d.stats.deals} · ${L('volume')}: ${money(d.stats.volume, s.lang)}` +
              ` · ${L('medianDays')}: ${d.stats.medianDaysToComplete ?? '—'}`,
          ),
          table(
            L('statsByGroup'),
            [L('group'), L('deals'), L('volume'), L('pctNav')],
            [
              ...Object.entries(d.stats.byVenue).map(([v, x]) => [term(s.lang, 'venue', v), String(x.deals), money(x.volume, s.lang), '—']),
              ...Object.entries(d.stats.byStrategy).map(([k, x]) => [
                term(s.lang, 'strategy', k),
                String(x.deals),
                money(x.volume, s.lang),
                pct(x.pctOfNav),
              ]),
            ],
            { empty: L('noData') },
          ),
          table(
            L('listingAnnouncements'),
            [L('fund'), L('quantity'), L('askPrice'), L('pctNav'), L('disclosure'), L('appraisalValue')],
            d.listings.map((a) => [
              fund(a),
              quantity(a.quantity, s.lang),
              money(a.askPrice, s.lang),
              pct(a.impliedPctOfNav),
              `${date(a.disclosureStartDate)} – ${date(a.disclosureEndDate)}`,
              a.appraisalValue ? money(a.appraisalValue, s.lang) : '—',
            ]),
            { testid: 'listing-announcements', empty: L('noAnnouncements') },
          ),
          table(
            L('qualificationAnnouncements'),
            [L('fund'), L('quantity'), L('askPrice'), L('opinionDeadline'), L('depositDeadline'), L('notice')],
            d.qualifications.map((a) => [
              fund(a),
              quantity(a.quantity, s.lang),
              money(a.askPrice, s.lang),
              date(a.opinionDeadline) + (a.provisional ? L('provisional') : ''),
              date(a.depositDeadline) + (a.provisional ? L('provisional') : ''),
              a.notice[s.lang],
            ]),
            { testid: 'qualification-announcements', empty: L('noAnnouncements') },
          ),
          table(
            L('resultAnnouncements'),
            [L('fund'), L('quantity'), L('askPrice'), L('dealPrice'), L('pctNav'), L('publishedUntil')],
            d.results.map((a) => [
              fund(a),
              quantity(a.quantity, s.lang),
              money(a.askPrice, s.lang),
              money(a.dealPrice, s.lang),
              pct(a.dealPctOfNav),
              date(a.publishedUntil),
            ]),
            { testid: 'result-announcements', empty: L('noAnnouncements') },
          ),
        );
      },
    };
  },
};
