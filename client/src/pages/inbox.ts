/**
 * The GP's inbox (consents), the operators' queue (transfer reviews, approvals (four eyes), payments and
 * registrations, and listing reviews, approvals, buyer qualifications and deposits) and the transferor's:
 * the exchange's qualification opinions waiting for its answer, each with the date its silence agrees.
 */
import { h, replace, unbindAll } from '../dom';
import { loadFunds, loadListings, loadTransfers } from '../data';
import { money, orgLabel, pct, quantity } from '../format';
import { t } from '../i18n';
import type { AppState, Lang } from '../state';
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
      `${orgLabel(tr.seller, s.lang)} → ${tr.buyer ? orgLabel(tr.buyer, s.lang) : '—'} · ${quantity(tr.quantity, s.lang)}` +
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

/** "竞买人A / Bidder A（截止 2026年10月22日）": the registrants whose opinion waits for the transferor, with the dates silence agrees. */
function answersDue(l: Listing, lang: Lang): string {
  return (l.sellerAnswersDue ?? [])
    .map((a) => `${a.alias}${deadlineNote(a.answerDueDate, lang)}${a.provisional ? t(lang, 'provisional') : ''}`)
    .join(lang === 'zh' ? '；' : '; ');
}

/** The transferor's inbox: each of its listings with opinions waiting for its answer, and the way to its desk. */
function sellerAnswerCard(l: Listing, s: AppState): HTMLElement {
  return h(
    'article',
    { class: 'item', 'data-testid': 'inbox-seller-answer', 'data-listing-id': l.id },
    h('h3', {}, h('a', { href: `#/listing/${encodeURIComponent(l.id)}` }, fundLabel(s, l.fundId)), ' ', badge(s.lang, l.state)),
    h('p', { class: 'meta' }, `${quantity(l.quantity, s.lang)} · ${money(l.askPrice, s.lang)}`),
    h('p', { class: 'meta', 'data-testid': 'answers-due' }, answersDue(l, s.lang)),
    h('a', { class: 'button primary', href: `#/listing/${encodeURIComponent(l.id)}`, 'data-open-desk': l.id }, t(s.lang, 'answerFor')),
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
    l.sellerAnswersDue?.length
      ? h('p', { class: 'meta' }, `${t(s.lang, 'waitingOnTransferor')}${s.lang === 'zh' ? '：' : ': '}${answersDue(l, s.lang)}`)
      : null,
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
    const roles = ctx.store.get().session?.user.roles ?? [];
    // Operators work the listing queue; a transferor answers the exchange's qualification opinions.
    const listings = roles.includes('operator') || roles.includes('seller');
    await Promise.all([loadTransfers(ctx), loadFunds(ctx), listings ? loadListings(ctx) : Promise.resolve()]);
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
          s.listings.map((l) => [l.id, l.state, l.registeredBidders, l.sellerAnswersDue]),
          s.funds.length,
        ]);
        if (body.dataset.key === key) return;
        body.dataset.key = key;
        const roles = s.session?.user.roles ?? [];
        const isOps = roles.includes('operator');
        const isGp = roles.includes('gp');
        const groups = QUEUES.map((q) => {
          const items = s.transfers.filter((tr) => tr.nextActor?.step === q && (tr.availableActions?.length || isOps));
          if (q === 'gp_consent' && (isOps || !isGp)) return null;
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
        // The transferor's own listings (the server gives the pending answers to the seller's organisation only).
        const seller = roles.includes('seller') && !isOps;
        const answerCards = seller ? s.listings.filter((l) => l.sellerAnswersDue?.length).map((l) => sellerAnswerCard(l, s)) : [];
        replace(
          body,
          h(
            'div',
            { class: 'grid two' },
            groups,
            seller
              ? h(
                  'section',
                  { class: 'card', 'data-testid': 'seller-answers', 'aria-labelledby': 'q-seller-answers' },
                  h('h2', { id: 'q-seller-answers' }, `${t(s.lang, 'sellerAnswers')} (${answerCards.length})`),
                  h('p', { class: 'hint' }, t(s.lang, 'sellerAnswersHint')),
                  answerCards.length ? answerCards : h('p', { class: 'empty' }, t(s.lang, 'noItems')),
                )
              : null,
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
