/** My orders (with cancel) and my organisation's positions. */
import { h, onClick, replace } from '../dom';
import { loadAccount, loadFunds } from '../data';
import { dateTime, money, quantity } from '../format';
import { t } from '../i18n';
import { badge, fundLabel, priceCell, table } from './common';
import type { Page } from './page';

export const accountPage: Page = {
  title: 'account',
  load: async (ctx) => { await Promise.all([loadAccount(ctx), loadFunds(ctx)]); },
  channels: () => [],
  mount(root, ctx) {
    const lang = ctx.store.get().lang;
    const ordersEl = h('section', { class: 'card' });
    const positionsEl = h('section', { class: 'card' });
    root.append(h('h1', {}, t(lang, 'account')), positionsEl, ordersEl);
    const unbind = onClick(ordersEl, 'button[data-cancel]', (el) => {
      void ctx.act(() => ctx.api.del(`/api/orders/${encodeURIComponent(el.dataset.cancel ?? '')}`), t(lang, 'actionDone'));
    });
    return {
      unbind,
      render(s) {
        const fundName = (id: string): string => fundLabel(s, id, s.positions.find((p) => p.fundId === id)?.fundName);
        replace(positionsEl, table(t(s.lang, 'positions'), [t(s.lang, 'fund'), t(s.lang, 'commitment'), t(s.lang, 'paidIn'), t(s.lang, 'unfundedHeld'), t(s.lang, 'available'), t(s.lang, 'nav')],
          s.positions.map((p) => [h('a', { href: `#/fund/${encodeURIComponent(p.fundId)}` }, fundLabel(s, p.fundId, p.fundName)), money(p.commitment, s.lang), money(p.paidIn, s.lang),
            money(p.unfunded, s.lang), money(p.available, s.lang), money(p.nav, s.lang)]), { testid: 'positions', empty: t(s.lang, 'noData') }));
        replace(ordersEl, table(t(s.lang, 'myOrders'), [t(s.lang, 'time'), t(s.lang, 'fund'), t(s.lang, 'side'), t(s.lang, 'price'), t(s.lang, 'quantity'), t(s.lang, 'filled'), t(s.lang, 'status'), ''],
          s.orders.map((o) => [dateTime(o.createdAt, s.lang), fundName(o.fundId), h('span', { class: o.side }, t(s.lang, o.side)), priceCell(o.pricePct),
            quantity(o.quantity, s.lang), quantity(o.filledQuantity, s.lang), badge(s.lang, o.status),
            o.status === 'open' ? h('button', { type: 'button', 'data-cancel': o.id }, t(s.lang, 'cancel')) : '']), { testid: 'orders', empty: t(s.lang, 'noData') }));
      },
    };
  },
};
