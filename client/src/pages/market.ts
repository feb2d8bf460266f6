/** Market: every fund with best bid/ask, last and model price, in % of NAV and in RMB per lot. */
import { h, replace } from '../dom';
import { loadFunds } from '../data';
import { calendarDate, money, quantity } from '../format';
import { t } from '../i18n';
import { consideration } from '../money';
import type { Fund } from '../types';
import type { Lang } from '../state';
import { priceCell, table, term } from './common';
import type { Page } from './page';

/** A price cell: % of NAV with ▲/▼, and what one lot costs at that price. */
function quote(f: Fund, value: string | null | undefined, lang: Lang): HTMLElement {
  const perLot = value ? consideration(value, f.nav, f.totalCommitment, f.lotSize) : null;
  return h('div', { class: 'quote' }, priceCell(value), perLot ? h('small', { class: 'rmb' }, money(perLot, lang)) : null);
}

export const marketPage: Page = {
  title: 'market',
  load: (ctx) => loadFunds(ctx),
  // Live best bid/ask (book) and last (trades, which reload the list) for the funds shown; 24 funds
  // × 2 channels stays inside the server's 50 subscriptions per socket (the rest poll).
  channels: (_p, s) => s.funds.slice(0, 24).flatMap((f) => [`book:${f.id}`, `trades:${f.id}`]),
  mount(root, ctx) {
    const lang = ctx.store.get().lang;
    const body = h('div', { 'data-testid': 'market' });
    root.append(
      h('h1', {}, t(lang, 'market')),
      h(
        'p',
        { class: 'hint' },
        lang === 'zh'
          ? '价格以占基金净值百分比报价；人民币金额为每个最小单位的转让对价。▲/▼ 相对于净值（100%）。'
          : 'Prices in % of NAV; RMB is the consideration for one lot. ▲/▼ against NAV (100%).',
      ),
      body,
    );
    return {
      unbind: () => {},
      render(s) {
        const rows = s.funds.map((f) => [
          h('a', { href: `#/fund/${encodeURIComponent(f.id)}` }, s.lang === 'en' && f.nameEn ? f.nameEn : f.name),
          term(s.lang, 'strategy', f.strategy),
          String(f.vintage),
          calendarDate(f.navReferenceDate, s.lang),
          quantity(f.lotSize, s.lang),
          quote(f, f.bestBidPct, s.lang),
          quote(f, f.bestAskPct, s.lang),
          quote(f, f.lastPct, s.lang),
          quote(f, f.modelPct ?? null, s.lang),
        ]);
        replace(
          body,
          table(
            t(s.lang, 'market'),
            [
              t(s.lang, 'fund'),
              t(s.lang, 'strategy'),
              t(s.lang, 'vintage'),
              t(s.lang, 'navDate'),
              t(s.lang, 'lotSize'),
              t(s.lang, 'bestBid'),
              t(s.lang, 'bestAsk'),
              t(s.lang, 'last'),
              t(s.lang, 'modelPrice'),
            ],
            rows,
            { testid: 'funds', empty: t(s.lang, 'loading') },
          ),
        );
      },
    };
  },
};
