/**
 * The auction room: state and bidding phase, countdown to the close, current price, bidders by alias,
 * bids newest first, the bid box (following the current price) and registration while it is open; for
 * the listing's seller and operators, the listing desk below (pages/listing-desk.ts).
 */
import { Dec } from '../../../shared/decimal';
import { field, h, on, replace, unbindAll } from '../dom';
import { loadClock, loadFunds, loadListing } from '../data';
import { calendarDate, dateTime, money, quantity } from '../format';
import { t } from '../i18n';
import type { Lang } from '../state';
import type { Registration } from '../types';
import { badge, fundLabel, priceCell, table } from './common';
import { bindDesk, renderDesk } from './listing-desk';
import { ownHandshakeText, phaseText, yourHandshakeLabel } from './listing-handshake';

const PHASE: Record<string, { zh: string; en: string }> = {
  scheduled: { zh: '即将开始竞价', en: 'bidding opens soon' },
  free: { zh: '自由报价期', en: 'free bidding' },
  timed: { zh: '限时报价期（每次出价重新倒计时）', en: 'countdown (each bid restarts it)' },
  sealed: { zh: '密封报价期', en: 'sealed bidding' },
  closed: { zh: '竞价已结束', en: 'bidding closed' },
};
import type { Page } from './page';

function countdown(closesAt: string | null, skewMs: number, lang: Lang): string {
  if (!closesAt) return '—';
  const ms = Date.parse(closesAt) - (Date.now() + skewMs);
  if (ms <= 0) return lang === 'zh' ? '已结束' : 'closed';
  const s = Math.floor(ms / 1000);
  const hms = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  return hms;
}

/** A buyer's own registration: whether it was qualified (and why not) and where its deposit stands. */
function ownStatus(r: Registration, lang: Lang): string {
  const zh = lang === 'zh';
  const q =
    r.qualified === null
      ? zh
        ? '资格待确认'
        : 'qualification pending'
      : r.qualified
        ? zh
          ? '资格已确认'
          : 'qualified'
        : `${zh ? '资格未获确认' : 'not qualified'}${
            r.refusalCode
              ? `（${
                  r.refusalCode === 'NOT_QUALIFIED_INVESTOR'
                    ? zh
                      ? '非合格投资者'
                      : 'not a qualified investor'
                    : r.refusalCode === 'INVESTOR_CAP'
                      ? (zh ? '投资者人数已达上限' : 'investor cap reached')
                      : (zh ? '不符合受让条件' : 'conditions not met')
                }）`
              : ''
          }`;
  const d: Record<string, [string, string]> = {
    due: ['保证金待缴纳', 'deposit due'],
    confirmed: ['保证金已到账', 'deposit received'],
    refund_due: ['保证金待退还', 'deposit to be refunded'],
    refunded: ['保证金已退还', 'deposit refunded'],
    forfeited: ['保证金已没收', 'deposit forfeited'],
    applied: ['保证金已转为价款', 'deposit applied to the price'],
  };
  const dep = r.depositStatus ? (d[r.depositStatus]?.[zh ? 0 : 1] ?? r.depositStatus) : '';
  return [q, dep, r.depositDueDate ? `${zh ? '期限' : 'by'} ${calendarDate(r.depositDueDate, lang)}` : ''].filter(Boolean).join(' · ');
}

export const auctionPage: Page = {
  title: 'auctionRoom',
  load: async (ctx, p) => {
    await Promise.all([loadListing(ctx, p.id ?? ''), loadClock(ctx), loadFunds(ctx)]);
  },
  channels: (p) => [`auction:${p.id}`],
  mount(root, ctx, params) {
    const id = params.id ?? '';
    const lang = ctx.store.get().lang;
    const info = h('section', { class: 'card' });
    const clock = h('div', { class: 'countdown', role: 'timer', 'aria-live': 'off' });
    const amount = h('input', { name: 'amount', inputmode: 'decimal' });
    const bidForm = h(
      'form',
      { class: 'card', 'aria-labelledby': 'bid-title' },
      h('h2', { id: 'bid-title' }, t(lang, 'placeBid')),
      field(`${t(lang, 'placeBid')} (${lang === 'zh' ? '元' : 'RMB'})`, amount),
      h('button', { type: 'submit', class: 'primary big' }, t(lang, 'placeBid')),
    );
    const registerButton = h('button', { type: 'button', class: 'primary big', 'data-register': '1' }, t(lang, 'register'));
    const bidsEl = h('section', { class: 'card' });
    const phaseEl = h('p', { class: 'phase', 'data-testid': 'phase' });
    const desk = h('div', {});
    root.append(
      h('h1', {}, t(lang, 'auctionRoom')),
      h(
        'div',
        { class: 'grid two' },
        h('div', {}, info, bidsEl),
        h('div', {}, h('section', { class: 'card' }, h('h2', {}, t(lang, 'countdown')), phaseEl, clock), bidForm, registerButton),
      ),
      desk,
    );
    let shownPrice: string | null | undefined;
    const tick = setInterval(() => ctx.store.update(() => {}), 1000);
    const unbind = unbindAll([
      () => clearInterval(tick),
      on(bidForm, 'submit', (e) => {
        e.preventDefault();
        void ctx.act(
          () => ctx.api.post(`/api/listings/${encodeURIComponent(id)}/bids`, { amount: amount.value.trim() }),
          t(lang, 'actionDone'),
          amount,
        );
      }),
      on(registerButton, 'click', () => {
        void ctx.act(
          () => ctx.api.post(`/api/listings/${encodeURIComponent(id)}/registrations`, {}),
          t(lang, 'actionDone'),
          registerButton,
        );
      }),
      bindDesk(desk, ctx, id),
    ]);
    return {
      unbind,
      render(s) {
        const l = s.listing[id];
        clock.textContent = countdown(l?.closesAt ?? null, s.clockSkewMs, s.lang);
        const buyer = s.session?.user.roles.includes('buyer') ?? false;
        renderDesk(desk, l, s);
        if (!l) {
          replace(info, t(s.lang, 'loading'));
          return;
        }
        // Registration is open during disclosure only; bids once bidding has started.
        registerButton.hidden = !(buyer && l.state === 'disclosure' && !l.you);
        bidForm.hidden = !(buyer && l.state === 'bidding' && l.you !== null);
        phaseEl.textContent = l.phase ? (PHASE[l.phase]?.[s.lang] ?? l.phase) : (badge(s.lang, l.state).textContent ?? l.state);
        // The bid box follows the current price (the next valid bid) unless the bidder is typing in it.
        if (shownPrice !== l.currentPrice && document.activeElement !== amount) {
          amount.value = l.currentPrice ? new Dec(l.currentPrice).plus(new Dec(l.increment)).toFixed(2) : new Dec(l.askPrice).toFixed(2);
          shownPrice = l.currentPrice;
        }
        const dl = (k: string, v: Node | string): Node[] => [h('dt', {}, k), h('dd', {}, v)];
        const own = l.history === undefined ? (s.registrations[id] ?? []).find((r) => r.orgId === s.session?.user.orgId) : undefined;
        replace(
          info,
          h('h2', {}, fundLabel(s, l.fundId)),
          h(
            'dl',
            { class: 'facts' },
            dl(t(s.lang, 'state'), badge(s.lang, l.state)),
            dl(t(s.lang, 'method'), t(s.lang, l.method)),
            dl(t(s.lang, 'quantity'), quantity(l.quantity, s.lang)),
            dl(t(s.lang, 'askPrice'), money(l.askPrice, s.lang)),
            dl(t(s.lang, 'currentPrice'), h('strong', { class: 'num big' }, money(l.currentPrice, s.lang))),
            dl(t(s.lang, 'pctNav'), priceCell(l.impliedPctOfNav)),
            dl(t(s.lang, 'increment'), money(l.increment, s.lang)),
            dl(t(s.lang, 'deposit'), money(l.depositAmount, s.lang)),
            dl(
              s.lang === 'zh' ? '披露期' : 'Disclosure',
              `${calendarDate(l.disclosureStartDate, s.lang)} → ${calendarDate(l.disclosureEndDate, s.lang)}`,
            ),
            phaseText(l, s.lang) ? dl(lang === 'zh' ? '资格确认期' : 'Qualification phase', phaseText(l, s.lang)!) : [],
            ownHandshakeText(l, s.lang) ? dl(yourHandshakeLabel(s.lang), ownHandshakeText(l, s.lang)!) : [],
            dl(t(s.lang, 'bidders'), l.bidderAliases.length ? l.bidderAliases.join(', ') : String(l.registeredBidders)),
            dl(t(s.lang, 'yourAlias'), l.you ? `${l.you.alias}${l.you.isLeading ? ` · ${t(s.lang, 'leading')}` : ''}` : '—'),
            own && buyer ? dl(s.lang === 'zh' ? '您的资格与保证金' : 'Your qualification and deposit', ownStatus(own, s.lang)) : [],
          ),
        );
        replace(
          bidsEl,
          table(
            t(s.lang, 'bidders'),
            [t(s.lang, 'time'), s.lang === 'zh' ? '代号' : 'Alias', t(s.lang, 'price')],
            // Newest first; bids at the same instant (a paused simulated clock) keep their order of arrival, reversed.
            [...l.bids]
              .reverse()
              .sort((a, b) => b.at.localeCompare(a.at))
              .map((b) => [dateTime(b.at, s.lang), b.alias, money(b.amount, s.lang)]),
            { empty: t(s.lang, 'noData'), testid: 'bids' },
          ),
        );
      },
    };
  },
};
