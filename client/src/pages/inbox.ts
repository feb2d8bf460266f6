/**
 * The GP's inbox (consents) and the operators' queue: transfer reviews, approvals (four eyes),
 * payments and registrations, and listing reviews, approvals, buyer qualifications and deposits.
 */
import { h, replace, unbindAll } from '../dom';
import { loadFunds, loadListings, loadTransfers } from '../data';
import { money, pct, quantity } from '../format';
import { t } from '../i18n';
import type { AppState } from '../state';
import type { Listing, Transfer } from '../types';
import { badge, deadlineNote, fundLabel, nextActorWhy } from './common';
import type { Page } from './page';
import { actionsForm, bindTransferActions, who } from './transfer';
import { contractWaits } from './transfer-contract';

const reviewerOf = (tr: Transfer): string => {
  const by = tr.steps.find((x) => x.name === 'review')?.by;
  return by ? who(by.userId) : '—';
};

const QUEUES = ['gp_consent', 'review', 'approval', 'payment', 'registration'] as const;

function transferCard(tr: Transfer, s: AppState): HTMLElement {
  return h(
    'article',
    { class: 'item', 'data-testid': 'inbox-transfer', 'data-transfer-id': tr.id },
    h(
      'h3',
      {},
      h('a', { href: `#/transfer/${encodeURIComponent(tr.id)}` }, fundLabel(s, tr.fundId, tr.fundName)),
      ' ',
      badge(s.lang, tr.state),
    ),
    h(
      'p',
      { class: 'meta' },
      `${tr.seller.name} → ${tr.buyer?.name ?? '—'} · ${quantity(tr.quantity, s.lang)}` +
        ` @ ${tr.pricePct ? pct(tr.pricePct) : '—'} · ${money(tr.consideration, s.lang)}`,
    ),
    // While the contract waits for signatures, the sentence carries the signing deadline itself.
    tr.nextActor
      ? h(
          'p',
          { class: 'meta' },
          nextActorWhy(tr, s.lang) + (tr.nextActor.deadline && !contractWaits(tr) ? deadlineNote(tr.nextActor.deadline, s.lang) : ''),
        )
      : null,
    tr.state === 'approval_pending'
      ? h('p', { class: 'meta four-eyes' }, `${t(s.lang, 'fourEyes')} · ${t(s.lang, 'reviewedBy')} ${reviewerOf(tr)}`)
      : null,
    actionsForm(tr, s.lang),
  );
}

/** Listing states in which the exchange has something to do; the work itself is on the listing desk (no ids typed). */
const LISTING_WORK = new Set(['submitted', 'reviewed', 'disclosure', 'qualification', 'closed', 'bidding_closed', 'award_pending']);

function listingCard(l: Listing, s: AppState): HTMLElement | null {
  if (!LISTING_WORK.has(l.state)) return null;
  return h(
    'article',
    { class: 'item', 'data-testid': 'inbox-listing' },
    h(
      'h3',
      {},
      h('a', { href: `#/listing/${encodeURIComponent(l.id)}` }, fundLabel(s, l.fundId)),
      ' ',
      badge(s.lang, l.state),
      l.stateOwned ? h('span', { class: 'badge' }, s.lang === 'zh' ? '国资' : 'state-owned') : null,
    ),
    h(
      'p',
      { class: 'meta' },
      `${quantity(l.quantity, s.lang)} · ${money(l.askPrice, s.lang)} · ${t(s.lang, 'bidders')}: ${l.registeredBidders}`,
    ),
    h(
      'a',
      { class: 'button primary', href: `#/listing/${encodeURIComponent(l.id)}`, 'data-open-desk': l.id },
      s.lang === 'zh' ? '办理' : 'Open the desk',
    ),
  );
}

export const inboxPage: Page = {
  title: 'inbox',
  async load(ctx) {
    const ops = ctx.store.get().session?.user.roles.includes('operator');
    await Promise.all([loadTransfers(ctx), loadFunds(ctx), ops ? loadListings(ctx) : Promise.resolve()]);
  },
  channels: () => [],
  mount(root, ctx) {
    const lang = ctx.store.get().lang;
    const body = h('div', {});
    root.append(h('h1', {}, t(lang, 'inbox')), body);
    const unbind = unbindAll([bindTransferActions(body, ctx)]);
    return {
      unbind,
      render(s) {
        const key = JSON.stringify([
          s.lang,
          s.transfers.map((x) => [x.id, x.version, x.availableActions]),
          s.listings.map((l) => [l.id, l.state, l.registeredBidders]),
          s.funds.length,
        ]);
        if (body.dataset.key === key) return;
        body.dataset.key = key;
        const isOps = s.session?.user.roles.includes('operator') ?? false;
        const groups = QUEUES.map((q) => {
          const items = s.transfers.filter((tr) => tr.nextActor?.step === q && (tr.availableActions?.length || isOps));
          if (q === 'gp_consent' && isOps) return null;
          if (q !== 'gp_consent' && !isOps) return null;
          return h(
            'section',
            { class: 'card', 'aria-labelledby': `q-${q}` },
            h('h2', { id: `q-${q}` }, `${t(s.lang, q === 'gp_consent' ? 'gpInbox' : `step_${q}`)} (${items.length})`),
            q === 'approval' ? h('p', { class: 'hint' }, t(s.lang, 'fourEyes')) : null,
            items.length ? items.map((tr) => transferCard(tr, s)) : h('p', { class: 'empty' }, t(s.lang, 'noItems')),
          );
        });
        const listingCards = isOps ? s.listings.map((l) => listingCard(l, s)).filter((x): x is HTMLElement => x !== null) : [];
        replace(
          body,
          h(
            'div',
            { class: 'grid two' },
            groups,
            isOps
              ? h(
                  'section',
                  { class: 'card' },
                  h('h2', {}, `${t(s.lang, 'listingQueue')} (${listingCards.length})`),
                  listingCards.length ? listingCards : h('p', { class: 'empty' }, t(s.lang, 'noItems')),
                )
              : null,
          ),
        );
      },
    };
  },
};
