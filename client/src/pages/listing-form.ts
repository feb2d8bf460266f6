/**
 * The seller's listing form. Suggests an ask (NAV of the quantity × the last or best-bid price, or
 * NAV itself; for a state-owned seller never below the appraisal) and shows the state-owned checks
 * live: ask ≥ appraisal, deposit ≤ 30% of the ask, appraisal within a year of its base date,
 * disclosure of at least 20 working days (counted by the exchange on approval).
 */
import { Dec } from '../../../shared/decimal';
import { beijingDate, isIsoDate } from '../../../shared/calendar';
import { appraisalExpiresOn } from '../../../shared/valuation/floor';
import { belowLpr, lprOn } from '../../../shared/loan-prime-rate';
import { field, h, on, unbindAll, type Unbind } from '../dom';
import type { Ctx } from '../data';
import { calendarDate, money } from '../format';
import { t } from '../i18n';
import { isQuantity, navOf } from '../money';
import type { AppState } from '../state';
import { fundLabel } from './common';

const MONEY = /^(0|[1-9]\d{0,15})(\.\d{1,2})?$/;
/** An interest rate as the server takes it: percent per year, up to 4 decimals. */
const RATE = /^(0|[1-9]\d?)(\.\d{1,4})?$/;

export interface ListingForm {
  el: HTMLElement;
  render(s: AppState): void;
  unbind: Unbind;
}

function checkRow(ok: boolean | null, label: string): HTMLElement {
  return h(
    'li',
    { class: ok === null ? 'check na' : ok ? 'check ok' : 'check bad' },
    h('span', { 'aria-hidden': 'true' }, ok === null ? '○ ' : ok ? '✓ ' : '✗ '),
    label,
    h('span', { class: 'sr-only' }, ok === null ? ' (—)' : ok ? ' (OK)' : ' (✗)'),
  );
}

export function mountListingForm(ctx: Ctx): ListingForm {
  const s0 = ctx.store.get();
  const lang = s0.lang;
  const fund = h('select', { name: 'fundId' });
  const qty = h('input', { name: 'quantity', inputmode: 'numeric' });
  const method = h(
    'select',
    { name: 'method' },
    h('option', { value: 'auction' }, t(lang, 'auction')),
    h('option', { value: 'sealed' }, t(lang, 'sealed')),
  );
  const ask = h('input', { name: 'askPrice', inputmode: 'decimal' });
  const increment = h('input', { name: 'increment', inputmode: 'decimal', value: '10000.00' });
  const deposit = h('input', { name: 'depositAmount', inputmode: 'decimal' });
  const conditions = h('textarea', { name: 'buyerConditions', rows: 2 }, lang === 'zh' ? '合格投资者' : 'Qualified investor');
  // The server applies the state-owned rules from the organisation's record; the box only shows them.
  const soe = h('input', { type: 'checkbox', name: 'stateOwned', checked: s0.session?.user.stateOwned === true, disabled: true });
  const soeFields = {
    resolutionRef: h('input', {}),
    approvalRef: h('input', {}),
    appraisalRef: h('input', {}),
    appraisalValue: h('input', { inputmode: 'decimal' }),
    appraisalBaseDate: h('input', { type: 'date' }),
  };
  // Order 32 art. 28: a state-owned transfer may be paid by instalments, the balance bearing interest at the bank loan rate.
  const instalments = h('input', { type: 'checkbox', name: 'allowInstalments' });
  const interestRate = h('input', { name: 'interestRatePct', inputmode: 'decimal' });
  const soeBox = h(
    'fieldset',
    { class: 'soe' },
    h('legend', {}, t(lang, 'stateOwnedFilings')),
    ...Object.entries(soeFields).map(([k, el]) => field(t(lang, k), el)),
    h('label', { class: 'inline' }, instalments, ' ', t(lang, 'allowInstalments')),
    field(t(lang, 'interestRatePct'), interestRate),
  );
  const suggestion = h('p', { class: 'suggest' });
  const useSuggestion = h('button', { type: 'button', class: 'link' }, '↵');
  const checks = h('ul', { class: 'checks', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'listing-form-title', 'data-testid': 'listing-form' },
    h('h2', { id: 'listing-form-title' }, t(lang, 'newListing')),
    field(t(lang, 'fund'), fund),
    field(`${t(lang, 'quantity')} (${lang === 'zh' ? '元' : 'RMB'})`, qty),
    field(t(lang, 'method'), method),
    field(t(lang, 'askPrice'), ask),
    h('div', { class: 'suggest-row' }, suggestion, useSuggestion),
    field(t(lang, 'increment'), increment),
    field(t(lang, 'deposit'), deposit),
    field(t(lang, 'conditions'), conditions),
    h('label', { class: 'inline' }, soe, ' ', t(lang, 'stateOwned')),
    soeBox,
    h('h3', {}, t(lang, 'checks')),
    checks,
    h('button', { type: 'submit', class: 'primary' }, t(lang, 'create')),
  );

  let suggested: string | null = null;
  const binds: Unbind[] = [
    on(form, 'input', () => ctx.store.update(() => {})),
    on(form, 'change', () => ctx.store.update(() => {})),
    on(useSuggestion, 'click', () => {
      if (suggested) {
        ask.value = suggested;
        ctx.store.update(() => {});
      }
    }),
    on(form, 'submit', (e) => {
      e.preventDefault();
      const body: Record<string, unknown> = {
        fundId: fund.value,
        quantity: qty.value.trim(),
        method: method.value,
        askPrice: ask.value.trim(),
        increment: increment.value.trim(),
        depositAmount: deposit.value.trim(),
        buyerConditions: conditions.value
          .split('\n')
          .map((x) => x.trim())
          .filter(Boolean),
      };
      if (soe.checked) body.stateOwned = Object.fromEntries(Object.entries(soeFields).map(([k, el]) => [k, el.value.trim()]));
      if (soe.checked && instalments.checked) body.instalments = { allowed: true, interestRatePct: interestRate.value.trim() };
      // A created draft clears the form, so the next listing starts from nothing of this one's figures.
      void ctx
        .act(
          () => ctx.api.post('/api/listings', body),
          t(lang, 'actionDone'),
          form.querySelector('button[type=submit]') as HTMLElement | null,
        )
        .then((created) => {
          if (created) form.reset();
        });
    }),
  ];

  return {
    el: form,
    unbind: unbindAll(binds),
    render(s) {
      const options = s.positions.map((p) => [p.fundId, fundLabel(s, p.fundId, p.fundName)] as const);
      const optionsKey = JSON.stringify(options);
      if (fund.dataset.key !== optionsKey) {
        fund.dataset.key = optionsKey;
        const keep = fund.value;
        fund.replaceChildren(...options.map(([id, label]) => h('option', { value: id }, label)));
        if (keep) fund.value = keep;
      }
      soeBox.hidden = !soe.checked;
      const today = beijingDate(Date.now() + s.clockSkewMs);
      const lpr = lprOn(today, s.loanPrimeRates);
      // The rate in force today as the default: the seller may set a higher one, never a lower.
      if (lpr && !interestRate.value && document.activeElement !== interestRate) interestRate.value = lpr.oneYearPct;
      (interestRate.closest('.field') as HTMLElement).hidden = !instalments.checked;
      const f = s.funds.find((x) => x.id === fund.value);
      const nav = f && isQuantity(qty.value.trim()) ? navOf(qty.value.trim(), f.nav, f.totalCommitment) : null;
      const refPct = f?.modelPct ?? f?.lastPct ?? f?.bestBidPct ?? '100.00';
      suggested = nav ? new Dec(nav).times(new Dec(refPct)).div(new Dec('100')).toFixed(2) : null;
      const appraisal = soeFields.appraisalValue.value.trim();
      if (suggested && soe.checked && MONEY.test(appraisal) && new Dec(suggested).lt(new Dec(appraisal)))
        suggested = new Dec(appraisal).toFixed(2);
      suggestion.textContent =
        `${t(s.lang, 'suggestedAsk')}: ${money(suggested, s.lang)}` +
        `${suggested ? ` (${refPct}% × ${t(s.lang, 'nav')} ${money(nav, s.lang)})` : ''}`;
      useSuggestion.hidden = !suggested;
      useSuggestion.setAttribute('aria-label', t(s.lang, 'suggestedAsk'));
      const askV = ask.value.trim();
      const depV = deposit.value.trim();
      const base = soeFields.appraisalBaseDate.value;
      const rows: HTMLElement[] = [
        checkRow(
          MONEY.test(askV) && MONEY.test(depV) ? new Dec(depV).lte(new Dec(askV).times(new Dec('0.3'))) : null,
          t(s.lang, 'checkDeposit'),
        ),
      ];
      if (soe.checked) {
        rows.push(
          checkRow(MONEY.test(askV) && MONEY.test(appraisal) ? new Dec(askV).gte(new Dec(appraisal)) : null, t(s.lang, 'checkAppraisal')),
        );
        // The server's rule (shared with the valuation floor): expired from base + 12 months, 29 February → 28 February.
        rows.push(
          checkRow(isIsoDate(base) ? beijingDate(Date.now() + s.clockSkewMs) < appraisalExpiresOn(base) : null, t(s.lang, 'checkValidity')),
        );
        rows.push(checkRow(true, t(s.lang, 'checkDisclosure')));
        if (instalments.checked && lpr) {
          const rate = interestRate.value.trim();
          rows.push(
            checkRow(
              RATE.test(rate) ? !belowLpr(rate, lpr) : null,
              t(s.lang, 'checkLpr').replace('{lprPct}', `${lpr.oneYearPct}%`).replace('{since}', calendarDate(lpr.effectiveDate, s.lang)),
            ),
          );
        }
      }
      const key = rows.map((r) => r.className + r.textContent).join('|');
      if (checks.dataset.key !== key) {
        checks.dataset.key = key;
        checks.replaceChildren(...rows);
      }
    },
  };
}
