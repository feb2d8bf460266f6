/** My orders (with cancel, and a form to reduce or reprice an open one) and my organisation's positions. */
import { field, h, on, onClick, replace, unbindAll } from '../dom';
import { loadAccount, loadFunds } from '../data';
import { calendarDate, dateTime, money, quantity } from '../format';
import { t } from '../i18n';
import { badge, fundLabel, priceCell, table } from './common';
import type { Page } from './page';
import type { Order, Qualification } from '../types';
import type { Lang } from '../state';

export const accountPage: Page = {
  title: 'account',
  load: async (ctx) => {
    const [, , mine] = await Promise.all([
      loadAccount(ctx),
      loadFunds(ctx),
      ctx.api.get<{ records: Qualification[] }>('/api/qualifications'),
    ]);
    ctx.store.update((s) => {
      s.myQualifications = mine.records;
    });
  },
  channels: () => [],
  mount(root, ctx) {
    const lang = ctx.store.get().lang;
    const ordersEl = h('section', { class: 'card' });
    const positionsEl = h('section', { class: 'card' });
    const qualificationEl = h('section', { class: 'card', 'data-testid': 'my-qualification' });
    // Mounted once and only its order list refreshed, so what is being typed survives live updates.
    const which = h('select', { name: 'order' });
    const price = h('input', { name: 'pricePct', inputmode: 'decimal', autocomplete: 'off' });
    const remaining = h('input', { name: 'remainingQuantity', inputmode: 'numeric', autocomplete: 'off' });
    const amendForm = h(
      'form',
      { class: 'card', 'aria-labelledby': 'amend-title', 'data-testid': 'amend' },
      h('h2', { id: 'amend-title' }, t(lang, 'amendOrder')),
      field(t(lang, 'amendWhich'), which),
      field(t(lang, 'newPricePct'), price),
      field(t(lang, 'newRemaining'), remaining),
      h('p', { class: 'hint' }, t(lang, 'amendHint')),
      h('button', { type: 'submit', class: 'primary' }, t(lang, 'amendSubmit')),
    );
    root.append(h('h1', {}, t(lang, 'account')), qualificationEl, positionsEl, ordersEl, amendForm);
    const unbind = unbindAll([
      onClick(ordersEl, 'button[data-cancel]', (el) => {
        void ctx.act(() => ctx.api.del(`/api/orders/${encodeURIComponent(el.dataset.cancel ?? '')}`), t(lang, 'actionDone'));
      }),
      on(amendForm, 'submit', (e) => {
        e.preventDefault();
        const body: Record<string, string> = {};
        if (price.value.trim()) body.pricePct = price.value.trim();
        if (remaining.value.trim()) body.remainingQuantity = remaining.value.trim();
        void ctx.act(
          async () => {
            await ctx.api.patch(`/api/orders/${encodeURIComponent(which.value)}`, body);
            price.value = '';
            remaining.value = '';
          },
          t(lang, 'actionDone'),
        );
      }),
    ]);
    return {
      unbind,
      render(s) {
        const open = s.orders.filter((o) => o.status === 'open');
        const optionsKey = JSON.stringify([s.lang, open.map((o) => [o.id, o.pricePct, o.remainingQuantity])]);
        if (which.dataset.key !== optionsKey) {
          const keep = which.value;
          which.dataset.key = optionsKey;
          which.replaceChildren(
            ...open.map((o) =>
              h(
                'option',
                { value: o.id },
                `${fundLabel(s, o.fundId)} · ${t(s.lang, o.side)} · ${o.pricePct}% · ${quantity(o.remainingQuantity, s.lang)}`,
              ),
            ),
          );
          if (open.some((o) => o.id === keep)) which.value = keep;
        }
        amendForm.hidden = open.length === 0;
        // A buyer sees whether it may buy: its qualified-investor records and their status now.
        const valid = s.myQualifications?.find((q) => q.status === 'valid');
        replace(
          qualificationEl,
          h('h2', {}, t(s.lang, 'myQualification')),
          s.myQualifications === null
            ? null
            : valid
              ? h(
                  'p',
                  {},
                  `✓ ${t(s.lang, 'qs_valid')} · ${t(s.lang, 'validUntil')} ` +
                    `${calendarDate(valid.validUntil, s.lang)} · ${valid.evidenceRef}`,
                )
              : h(
                  'p',
                  {},
                  [
                    t(s.lang, 'notQualifiedYet'),
                    ...s.myQualifications.map((q) => ` ${calendarDate(q.validUntil, s.lang)}: ${t(s.lang, `qs_${q.status}`)}`),
                  ].join(''),
                ),
        );
        const fundName = (id: string): string => fundLabel(s, id, s.positions.find((p) => p.fundId === id)?.fundName);
        replace(
          positionsEl,
          table(
            t(s.lang, 'positions'),
            [
              t(s.lang, 'fund'),
              t(s.lang, 'commitment'),
              t(s.lang, 'paidIn'),
              t(s.lang, 'unfundedHeld'),
              t(s.lang, 'available'),
              t(s.lang, 'pledged'),
              t(s.lang, 'nav'),
            ],
            s.positions.map((p) => [
              h('a', { href: `#/fund/${encodeURIComponent(p.fundId)}` }, fundLabel(s, p.fundId, p.fundName)),
              money(p.commitment, s.lang),
              money(p.paidIn, s.lang),
              money(p.unfunded, s.lang),
              money(p.available, s.lang),
              money(p.pledged ?? '0', s.lang),
              money(p.nav, s.lang),
            ]),
            { testid: 'positions', empty: t(s.lang, 'noData') },
          ),
        );
        replace(
          ordersEl,
          table(
            t(s.lang, 'myOrders'),
            [
              t(s.lang, 'time'),
              t(s.lang, 'fund'),
              t(s.lang, 'side'),
              t(s.lang, 'price'),
              t(s.lang, 'quantity'),
              t(s.lang, 'filled'),
              t(s.lang, 'remaining'),
              t(s.lang, 'status'),
              '',
            ],
            s.orders.map((o) => [
              dateTime(o.createdAt, s.lang),
              fundName(o.fundId),
              h('span', { class: o.side }, t(s.lang, o.side)),
              priceCell(o.pricePct),
              quantity(o.quantity, s.lang),
              quantity(o.filledQuantity, s.lang),
              quantity(o.remainingQuantity, s.lang),
              statusWithReason(s.lang, o),
              o.status === 'open' ? h('button', { type: 'button', class: 'danger', 'data-cancel': o.id }, t(s.lang, 'cancel')) : '',
            ]),
            { testid: 'orders', empty: t(s.lang, 'noData') },
          ),
        );
      },
    };
  },
};

/** The order's status, and why it closed where the status alone does not say (its qualification lapsed, an IOC's remainder). */
function statusWithReason(lang: Lang, o: Order): HTMLElement {
  const key = `sr_${o.statusReason}`;
  const reason = o.statusReason ? t(lang, key) : key;
  return reason === key ? badge(lang, o.status) : h('span', {}, badge(lang, o.status), h('span', { class: 'hint' }, ` ${reason}`));
}
