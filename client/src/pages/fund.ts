/** Fund: facts and NAV reference, depth ladder, trade tape, price chart, valuation summary and the ticket. */
import { h, onClick, replace, unbindAll } from '../dom';
import { loadFund } from '../data';
import { calendarDate, dateTime, money, pct, quantity } from '../format';
import { t } from '../i18n';
import type { AppState, Lang } from '../state';
import type { Book, FundDetail, Level, Trade, Valuation } from '../types';
import { discountToNav, totalYuan } from '../money';
import { mountPriceChart } from './chart';
import { priceCell, table, term } from './common';
import type { Page } from './page';
import { mountTicket } from './ticket';

function ladder(book: Book | undefined, lang: Lang): HTMLElement {
  const row = (l: Level, side: 'bid' | 'ask'): HTMLElement =>
    h(
      'tr',
      { class: side },
      h('th', { scope: 'row' }, t(lang, side)),
      h(
        'td',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'link level',
            'data-price': l.pricePct,
            'data-side': side === 'ask' ? 'buy' : 'sell',
            'aria-label': `${t(lang, side)} ${l.pricePct}%`,
          },
          priceCell(l.pricePct),
        ),
      ),
      h('td', { class: 'num' }, quantity(l.quantity, lang)),
      h('td', { class: 'num' }, String(l.orderCount)),
    );
  const asks = [...(book?.asks ?? [])].reverse();
  return h(
    'table',
    { class: 'ladder', 'data-testid': 'ladder' },
    h('caption', {}, t(lang, 'depth')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [t(lang, 'side'), `${t(lang, 'price')} (${t(lang, 'pctNav')})`, t(lang, 'quantity'), t(lang, 'orders')].map((c) =>
          h('th', { scope: 'col' }, c),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      asks.map((l) => row(l, 'ask')),
      h('tr', { class: 'spread' }, h('td', { colspan: 4 }, '')),
      (book?.bids ?? []).map((l) => row(l, 'bid')),
    ),
  );
}

function facts(d: FundDetail | undefined, trades: Trade[], lang: Lang): HTMLElement {
  if (!d) return h('p', {}, t(lang, 'loading'));
  const item = (k: string, v: string): HTMLElement[] => [h('dt', {}, k), h('dd', {}, v)];
  const last = trades[0]?.pricePct;
  return h(
    'dl',
    { class: 'facts', 'data-testid': 'fund-facts' },
    // What the market paid: the last trade's % of NAV, its discount to NAV, and the volume of the trades listed below.
    item(t(lang, 'lastPctNav'), pct(last)),
    item(t(lang, 'discount'), last ? `${discountToNav(last)}%` : '—'),
    item(t(lang, 'volumeShown'), money(totalYuan(trades.map((x) => x.consideration)), lang)),
    item(t(lang, 'manager'), d.manager),
    item(t(lang, 'strategy'), `${term(lang, 'strategy', d.strategy)} · ${d.vintage}`),
    item(t(lang, 'navDate'), calendarDate(d.latestNav?.referenceDate ?? d.navReferenceDate, lang)),
    item(t(lang, 'nav'), money(d.latestNav?.nav, lang)),
    item(t(lang, 'navPerUnit'), d.navPerCommitment),
    item(t(lang, 'paidIn'), money(d.latestNav?.paidIn, lang)),
    item(t(lang, 'lotSize'), quantity(d.lotSize, lang)),
    // What a transfer of this fund waits for: the other LPs' right of first refusal, the GP's consent.
    item(t(lang, 'rofrTerm'), t(lang, d.terms.rofrEnabled ? 'termApplies' : 'termNone')),
    item(t(lang, 'gpConsentTerm'), t(lang, d.terms.gpConsentRequired ? 'termRequired' : 'termNotRequired')),
  );
}

/** An IRR such as "0.12" as "12%" (string shift, no arithmetic). */
function irr(s: string | undefined): string {
  if (!s || !/^\d+\.\d+$/.test(s)) return s ?? '—';
  const [i = '0', f = ''] = s.split('.');
  const pctStr = `${i}${(f + '00').slice(0, 2)}.${f.slice(2)}`.replace(/^0+(?=\d)/, '').replace(/\.?0*$/, '');
  return `${pctStr}%`;
}

/** The valuation report's summary: NAV basis, fair value range, model price and the IRR grid. */
function valuation(v: Valuation | null | undefined, lang: Lang): HTMLElement {
  if (!v) return h('p', { class: 'hint' }, t(lang, v === undefined ? 'loading' : 'noValuation'));
  const fv = v.share?.fairValuePctOfNav;
  const zh = lang === 'zh';
  const item = (k: string, val: Node | string): HTMLElement[] => [h('dt', {}, k), h('dd', {}, val)];
  return h(
    'div',
    {},
    h(
      'dl',
      { class: 'facts' },
      item(zh ? '估值日' : 'Valuation date', calendarDate(v.valuationDate, zh ? 'zh' : 'en')),
      item(zh ? '调整后基金净值' : 'Adjusted fund NAV', money(v.fundNav?.adjusted, lang)),
      item(zh ? '公允价值区间' : 'Fair value range', fv ? `${pct(fv.low)} – ${pct(fv.base)} – ${pct(fv.high)}` : '—'),
      item(`${t(lang, 'modelPrice')} (IRR ${irr(v.pricing?.modelIrr)})`, priceCell(v.pricing?.modelPct)),
      item(zh ? '建议挂牌价' : 'Suggested ask', priceCell(v.pricing?.suggestedAskPct)),
    ),
    v.irrGrid?.length
      ? table(
          zh ? '目标IRR对应价格' : 'Price at target IRR',
          ['IRR', t(lang, 'pctNav'), zh ? '折价' : 'Discount'],
          v.irrGrid.map((g) => [irr(g.irr), priceCell(g.pctOfNav), pct(g.discountPct)]),
        )
      : null,
    v.warnings?.length
      ? h(
          'ul',
          { class: 'hint' },
          v.warnings.map((w) => h('li', {}, w)),
        )
      : null,
  );
}

export const fundPage: Page = {
  title: 'fund',
  load: (ctx, p) => loadFund(ctx, p.id ?? ''),
  channels: (p) => [`book:${p.id}`, `trades:${p.id}`],
  mount(root, ctx, params) {
    const fundId = params.id ?? '';
    const lang = ctx.store.get().lang;
    const title = h('h1', {});
    const factsEl = h('section', { class: 'card', 'aria-label': 'facts' });
    const ladderEl = h('section', { class: 'card' });
    const chartEl = h('div', { class: 'chart', role: 'img', 'aria-label': t(lang, 'priceHistory') });
    const tapeEl = h('section', { class: 'card' });
    const valEl = h('section', { class: 'card', 'aria-labelledby': 'val-title' });
    const ticket = mountTicket(ctx, fundId);
    root.append(
      title,
      h(
        'div',
        { class: 'grid fund' },
        h('div', { class: 'col' }, factsEl, ticket.el),
        h('div', { class: 'col' }, ladderEl),
        h(
          'div',
          { class: 'col wide' },
          h('section', { class: 'card' }, h('h2', {}, t(lang, 'priceHistory')), chartEl),
          tapeEl,
          h('div', {}, h('h2', { id: 'val-title', class: 'sr-only' }, t(lang, 'valuation')), valEl),
        ),
      ),
    );
    const chart = mountPriceChart(chartEl, t(lang, 'last'), lang);
    const unbind = unbindAll([
      onClick(ladderEl, 'button.level', (el) => ticket.setPrice(el.dataset.price ?? '', el.dataset.side as 'buy' | 'sell')),
      ticket.unbind,
      chart.unbind,
    ]);
    return {
      unbind,
      render(s: AppState) {
        const d = s.fundDetail[fundId];
        title.textContent = d ? (s.lang === 'en' && d.nameEn ? d.nameEn : d.name) : fundId;
        replace(factsEl, facts(d, s.trades[fundId] ?? [], s.lang));
        replace(ladderEl, ladder(s.books[fundId], s.lang));
        const trades = s.trades[fundId] ?? [];
        chart.setTrades(trades);
        replace(
          tapeEl,
          table(
            t(s.lang, 'tape'),
            [t(s.lang, 'time'), t(s.lang, 'price'), t(s.lang, 'quantity'), t(s.lang, 'consideration'), t(s.lang, 'venue')],
            trades
              .slice(0, 20)
              .map((tr) => [
                dateTime(tr.executedAt, s.lang),
                priceCell(tr.pricePct),
                quantity(tr.quantity, s.lang),
                money(tr.consideration, s.lang),
                term(s.lang, 'venue', tr.venue),
              ]),
            { testid: 'tape', empty: t(s.lang, 'noData') },
          ),
        );
        replace(valEl, h('h2', {}, t(s.lang, 'valuation')), valuation(s.valuation[fundId], s.lang));
        ticket.render(s);
      },
    };
  },
};
