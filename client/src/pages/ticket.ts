/**
 * The order ticket: side, price (% of NAV), quantity (commitment yuan), time in force, and a live
 * preview of the consideration and the unfunded commitment the buyer takes over. Keyboard: B / S
 * choose the side, ↑/↓ step the price by one tick and the quantity by one lot, Enter places the order.
 */
import { Dec } from '../../../shared/decimal';
import { field, h, on, unbindAll, type Unbind } from '../dom';
import type { Ctx } from '../data';
import { money, pct } from '../format';
import { t } from '../i18n';
import { consideration, isPct, isQuantity, unfundedTakenOver } from '../money';
import type { AppState } from '../state';
import type { FundDetail } from '../types';
import { quantity as formatQuantity } from '../format';

interface Fill {
  pricePct: string;
  quantity: string;
  consideration: string;
  transferId: string | null;
}

function showFills(el: HTMLElement, fills: Fill[], lang: 'zh' | 'en'): void {
  el.hidden = fills.length === 0;
  el.replaceChildren(
    ...fills.map((f) =>
      h(
        'p',
        {},
        lang === 'zh'
          ? `已成交：${formatQuantity(f.quantity, lang)}，价格 ${pct(f.pricePct)}，对价 ${money(f.consideration, lang)}。`
          : `Traded: ${formatQuantity(f.quantity, lang)} at ${pct(f.pricePct)}, consideration ${money(f.consideration, lang)}. `,
        f.transferId
          ? h(
              'a',
              { href: `#/transfer/${encodeURIComponent(f.transferId)}`, 'data-testid': 'fill-transfer' },
              lang === 'zh' ? '查看转让流程' : 'Open the transfer',
            )
          : null,
      ),
    ),
  );
}

interface TicketModel {
  side: 'buy' | 'sell';
  price: string;
  quantity: string;
  tif: 'GTC' | 'IOC' | 'FOK';
}

export interface Ticket {
  el: HTMLElement;
  setPrice(p: string, side?: 'buy' | 'sell'): void;
  render(s: AppState): void;
  unbind: Unbind;
}

function step(value: string, delta: string, scale: number): string {
  try {
    const next = new Dec(value || '0').plus(new Dec(delta));
    return next.lt(new Dec('0')) ? value : next.toFixed(scale);
  } catch {
    return value;
  }
}

export function mountTicket(ctx: Ctx, fundId: string): Ticket {
  const lang = ctx.store.get().lang;
  const model: TicketModel = { side: 'buy', price: '', quantity: '', tif: 'GTC' };
  const buy = h('input', { type: 'radio', name: 'side', value: 'buy', id: 'side-buy', checked: true });
  const sell = h('input', { type: 'radio', name: 'side', value: 'sell', id: 'side-sell' });
  const price = h('input', { name: 'pricePct', inputmode: 'decimal', autocomplete: 'off', 'aria-describedby': 'ticket-keys' });
  const qty = h('input', { name: 'quantity', inputmode: 'numeric', autocomplete: 'off', 'aria-describedby': 'ticket-keys' });
  const tif = h(
    'select',
    { name: 'timeInForce' },
    ['GTC', 'IOC', 'FOK'].map((v) => h('option', { value: v }, v)),
  );
  const preview = h('dl', { class: 'preview', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t(lang, 'place'));
  // After an order trades: the fill and a link to each transfer it opened.
  const fillNotice = h('div', { class: 'fill-notice', 'data-testid': 'fill-notice', role: 'status', hidden: true });
  const form = h(
    'form',
    { class: 'card ticket', 'aria-labelledby': 'ticket-title', 'data-testid': 'ticket' },
    h('h2', { id: 'ticket-title' }, t(lang, 'ticket')),
    h(
      'fieldset',
      { class: 'side' },
      h('legend', {}, t(lang, 'side')),
      h('label', { for: 'side-buy', class: 'buy' }, buy, ` ${t(lang, 'buy')} (B)`),
      h('label', { for: 'side-sell', class: 'sell' }, sell, ` ${t(lang, 'sell')} (S)`),
    ),
    field(`${t(lang, 'price')} (${t(lang, 'pctNav')})`, price),
    field(`${t(lang, 'quantity')} (${lang === 'zh' ? '元' : 'RMB'})`, qty),
    field(t(lang, 'tif'), tif),
    preview,
    submit,
    fillNotice,
    h(
      'small',
      { id: 'ticket-keys', class: 'hint' },
      lang === 'zh'
        ? '键盘：B 买 / S 卖，↑↓ 调整一个价位或一个最小单位，回车提交'
        : 'Keys: B buy / S sell, ↑↓ one tick or one lot, Enter places',
    ),
  );

  let detail: FundDetail | undefined;
  const sync = (): void => {
    model.side = sell.checked ? 'sell' : 'buy';
    model.price = price.value.trim();
    model.quantity = qty.value.trim().replace(/,/g, '');
    model.tif = tif.value as TicketModel['tif'];
    ctx.store.update(() => {}); // schedule a redraw of the preview
  };
  const setSide = (side: 'buy' | 'sell'): void => {
    (side === 'buy' ? buy : sell).checked = true;
    sync();
  };
  const binds: Unbind[] = [
    on(form, 'input', sync),
    on(form, 'change', sync),
    on(form, 'keydown', (e) => {
      const target = e.target as HTMLElement;
      const key = e.key.toLowerCase();
      if ((key === 'b' || key === 's') && !(target instanceof HTMLInputElement && target.type !== 'radio')) {
        e.preventDefault();
        setSide(key === 'b' ? 'buy' : 'sell');
        return;
      }
      if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
        const up = e.key === 'ArrowUp';
        if (target === price) {
          e.preventDefault();
          price.value = step(price.value, up ? '0.01' : '-0.01', 2);
          sync();
        }
        if (target === qty && detail) {
          e.preventDefault();
          qty.value = step(qty.value, (up ? '' : '-') + detail.lotSize, 0);
          sync();
        }
      }
    }),
    on(form, 'submit', (e) => {
      e.preventDefault();
      sync();
      const body = { fundId, side: model.side, pricePct: model.price, quantity: model.quantity, timeInForce: model.tif };
      void ctx.act(
        async () => {
          const r = await ctx.api.post<{ order: { status: string }; trades: Fill[] }>('/api/orders', body);
          ctx.store.update((s) => {
            s.announcement = `${t(s.lang, 'ordersPlaced')}: ${t(s.lang, model.side)} ${pct(model.price)} · ${r.order.status}`;
          });
          showFills(fillNotice, r.trades, lang);
        },
        t(lang, 'ordersPlaced'),
        submit,
      );
    }),
  ];

  return {
    el: form,
    setPrice(p, side) {
      price.value = p;
      if (side) setSide(side);
      else sync();
      price.focus();
    },
    unbind: unbindAll(binds),
    render(s) {
      detail = s.fundDetail[fundId];
      const roles = s.session?.user.roles ?? [];
      submit.disabled = !roles.some((r) => r === 'buyer' || r === 'seller');
      const c =
        detail && isPct(model.price) && isQuantity(model.quantity)
          ? consideration(model.price, detail.latestNav?.nav, detail.totalCommitment, model.quantity)
          : null;
      const u =
        detail?.latestNav && isQuantity(model.quantity)
          ? unfundedTakenOver(model.quantity, detail.totalCommitment, detail.latestNav.paidIn)
          : null;
      const text = `${t(s.lang, 'consideration')}|${money(c, s.lang)}|${t(s.lang, 'unfunded')}|${money(u, s.lang)}`;
      if (preview.dataset.text === text) return;
      preview.dataset.text = text;
      preview.replaceChildren(
        h('dt', {}, t(s.lang, 'consideration')),
        h('dd', { class: 'num', 'data-testid': 'ticket-consideration' }, money(c, s.lang)),
        h('dt', {}, t(s.lang, 'unfunded')),
        h('dd', { class: 'num' }, money(u, s.lang)),
      );
    },
  };
}
