/** Transfers: the caller's transfers (an operator's open queue), each with its state and who acts next. */
import { h, replace } from '../dom';
import { loadFunds, loadTransfers } from '../data';
import { money, orgLabel, pct, quantity } from '../format';
import { t } from '../i18n';
import { badge, fundLabel, nextStepShort, table } from './common';
import type { Page } from './page';

export const transfersPage: Page = {
  title: 'transfers',
  load: async (ctx) => {
    await Promise.all([loadTransfers(ctx), loadFunds(ctx)]);
  },
  channels: () => [],
  mount(root, ctx) {
    const body = h('section', { class: 'card' });
    root.append(h('h1', {}, t(ctx.store.get().lang, 'transfers')), body);
    return {
      unbind: () => {},
      render(s) {
        replace(
          body,
          table(
            t(s.lang, 'transfers'),
            [
              t(s.lang, 'fund'),
              t(s.lang, 'seller'),
              t(s.lang, 'buyer'),
              t(s.lang, 'quantity'),
              t(s.lang, 'price'),
              t(s.lang, 'consideration'),
              t(s.lang, 'state'),
              t(s.lang, 'nextActor'),
              '',
            ],
            s.transfers.map((tr) => [
              fundLabel(s, tr.fundId, tr.fundName),
              orgLabel(tr.seller, s.lang),
              tr.buyer ? orgLabel(tr.buyer, s.lang) : '—',
              quantity(tr.quantity, s.lang),
              tr.pricePct ? pct(tr.pricePct) : '—',
              money(tr.consideration, s.lang),
              badge(s.lang, tr.state),
              nextStepShort(tr, s.lang),
              h('a', { href: `#/transfer/${encodeURIComponent(tr.id)}`, 'data-testid': 'open-transfer' }, t(s.lang, 'open')),
            ]),
            { testid: 'transfers', empty: t(s.lang, 'noItems') },
          ),
        );
      },
    };
  },
};
