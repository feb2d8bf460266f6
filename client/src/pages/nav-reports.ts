/** A fund's GP publishes a NAV report; members see it at once (every NAV shown, new trades' consideration). */
import { field, h, on } from '../dom';
import { loadFunds } from '../data';
import { calendarDate } from '../format';
import { t } from '../i18n';
import type { Page } from './page';

export const navReportsPage: Page = {
  title: 'navReports',
  load: (ctx) => loadFunds(ctx),
  channels: () => [],
  mount(root, ctx) {
    const lang = ctx.store.get().lang;
    const fund = h('select', { name: 'fundId' });
    const inputs = {
      referenceDate: h('input', { name: 'referenceDate', type: 'date', required: true }),
      nav: h('input', { name: 'nav', inputmode: 'decimal', required: true, placeholder: '1250000000.00' }),
      paidIn: h('input', { name: 'paidIn', inputmode: 'decimal', required: true }),
      cumulativeDistributions: h('input', { name: 'cumulativeDistributions', inputmode: 'decimal', required: true, value: '0.00' }),
    };
    const form = h(
      'form',
      { class: 'card', 'data-testid': 'nav-report' },
      h('h2', {}, t(lang, 'publishNav')),
      field(t(lang, 'fund'), fund),
      field(t(lang, 'referenceDate'), inputs.referenceDate),
      field(t(lang, 'nav'), inputs.nav),
      field(t(lang, 'paidIn'), inputs.paidIn),
      field(t(lang, 'cumulativeDistributions'), inputs.cumulativeDistributions),
      h('button', { type: 'submit', class: 'primary' }, t(lang, 'publish')),
    );
    root.append(h('h1', {}, t(lang, 'navReports')), form);
    const unbind = on(form, 'submit', (e) => {
      e.preventDefault();
      const body = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value.trim()]));
      void ctx.act(() => ctx.api.post(`/api/funds/${encodeURIComponent(fund.value)}/nav-reports`, body), t(lang, 'actionDone'));
    });
    return {
      unbind,
      render(s) {
        const key = JSON.stringify([s.lang, s.funds.map((f) => [f.id, f.navReferenceDate])]);
        if (fund.dataset.key === key) return;
        fund.dataset.key = key;
        const keep = fund.value;
        fund.replaceChildren(
          ...s.funds.map((f) =>
            h(
              'option',
              { value: f.id },
              `${s.lang === 'en' && f.nameEn ? f.nameEn : f.name} · ${t(s.lang, 'navDate')} ${calendarDate(f.navReferenceDate, s.lang)}`,
            ),
          ),
        );
        if (s.funds.some((f) => f.id === keep)) fund.value = keep;
      },
    };
  },
};
