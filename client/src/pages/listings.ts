/** Listings: the list, and the seller's listing form with a suggested ask and the state-owned checks. */
import { h, onClick, replace, unbindAll } from '../dom';
import { loadAccount, loadClock, loadFunds, loadListings, loadLoanPrimeRates } from '../data';
import { money, quantity } from '../format';
import { t } from '../i18n';
import type { Listing } from '../types';
import { badge, fundLabel, priceCell, table } from './common';
import { mountListingForm } from './listing-form';
import type { Page } from './page';

export const listingsPage: Page = {
  title: 'listings',
  async load(ctx) {
    const seller = ctx.store.get().session?.user.roles.includes('seller');
    await Promise.all([loadListings(ctx), loadFunds(ctx), loadClock(ctx), ...(seller ? [loadAccount(ctx), loadLoanPrimeRates(ctx)] : [])]);
  },
  channels: () => [],
  mount(root, ctx) {
    const lang = ctx.store.get().lang;
    const listEl = h('section', { class: 'card' });
    const seller = ctx.store.get().session?.user.roles.includes('seller') ?? false;
    const form = seller ? mountListingForm(ctx) : null;
    root.append(h('h1', {}, t(lang, 'listings')), h('div', { class: 'grid two' }, listEl, form?.el ?? null));
    const unbind = unbindAll([
      onClick(listEl, 'button[data-submit]', (el) => {
        void ctx.act(
          () => ctx.api.post(`/api/listings/${encodeURIComponent(el.dataset.submit ?? '')}/actions`, { action: 'submit' }),
          t(lang, 'actionDone'),
        );
      }),
      form?.unbind ?? (() => {}),
    ]);
    return {
      unbind,
      render(s) {
        const fundName = (id: string): string => fundLabel(s, id);
        const mine = (l: Listing): boolean => l.state === 'draft';
        replace(
          listEl,
          table(
            t(s.lang, 'listings'),
            [
              t(s.lang, 'fund'),
              t(s.lang, 'quantity'),
              t(s.lang, 'askPrice'),
              t(s.lang, 'currentPrice'),
              t(s.lang, 'pctNav'),
              t(s.lang, 'method'),
              t(s.lang, 'state'),
              '',
            ],
            s.listings.map((l) => [
              fundName(l.fundId),
              quantity(l.quantity, s.lang),
              money(l.askPrice, s.lang),
              // The highest bid or the award, when there is one; the % of NAV is of this price, else of the ask.
              l.currentPrice ? money(l.currentPrice, s.lang) : '—',
              priceCell(l.impliedPctOfNav),
              t(s.lang, l.method),
              badge(s.lang, l.state),
              h(
                'span',
                {},
                h('a', { href: `#/listing/${encodeURIComponent(l.id)}` }, t(s.lang, 'auctionRoom')),
                ' ',
                mine(l) && seller ? h('button', { type: 'button', 'data-submit': l.id }, t(s.lang, 'submit')) : null,
              ),
            ]),
            { testid: 'listings', empty: t(s.lang, 'noData') },
          ),
        );
        form?.render(s);
      },
    };
  },
};
