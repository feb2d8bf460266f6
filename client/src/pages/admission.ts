/**
 * Operators admit funds and qualify investors: propose a fund with its legal form and terms, load its
 * partner register (CSV), approve a fund another operator proposed (four eyes: the server refuses the
 * proposer), and record qualified-investor assessments (refused below the thresholds).
 */
import { field, h, on, onClick, replace, unbindAll } from '../dom';
import { calendarDate, money } from '../format';
import { t } from '../i18n';
import type { Organisation, PendingFund, Qualification } from '../types';
import { table } from './common';
import type { Page } from './page';

const STRATEGIES = ['venture', 'growth', 'buyout', 'fof', 'infrastructure'];
const FORMS = ['partnership', 'company', 'contractual'];

function pendingCard(f: PendingFund, s: { lang: 'zh' | 'en' }): HTMLElement {
  return h(
    'article',
    { class: 'card', 'data-pending-fund': f.id },
    h('h3', {}, `${f.name} (${f.id})`),
    h(
      'p',
      {},
      `${t(s.lang, 'legalForm')}: ${t(s.lang, `lf_${f.legalForm}`)} · ${t(s.lang, 'totalCommitment')}` +
        `: ${money(f.totalCommitment, s.lang)} · ${t(s.lang, 'investorCap')}: ${f.terms.investorCap}` +
        ` · ${t(s.lang, 'proposedBy')}: ${f.proposedBy ?? '—'}`,
    ),
    table(
      t(s.lang, 'partnerRegister'),
      [t(s.lang, 'orgId'), t(s.lang, 'commitment'), t(s.lang, 'paidIn')],
      f.partners.map((p) => [p.orgId, money(p.commitment, s.lang), money(p.paidIn, s.lang)]),
      { testid: `partners-${f.id}`, empty: t(s.lang, 'noData') },
    ),
    field(t(s.lang, 'registerCsv'), h('textarea', { 'data-input': 'csv', rows: '4', id: `csv-${f.id}`, spellcheck: 'false' })),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'button', 'data-fund-action': 'partners' }, t(s.lang, 'loadRegister')),
      h('button', { type: 'button', class: 'primary', 'data-fund-action': 'approve' }, t(s.lang, 'approveFund')),
    ),
  );
}

export const admissionPage: Page = {
  title: 'admission',
  async load(ctx) {
    const [organisations, pendingFunds, qualifications] = await Promise.all([
      ctx.api.get<Organisation[]>('/api/admin/organisations'),
      ctx.api.get<PendingFund[]>('/api/admin/funds'),
      ctx.api.get<Qualification[]>('/api/admin/qualifications'),
    ]);
    ctx.store.update((s) => {
      s.organisations = organisations;
      s.pendingFunds = pendingFunds;
      s.qualifications = qualifications;
    });
  },
  channels: () => [],
  mount(root, ctx) {
    const lang = ctx.store.get().lang;
    const f = {
      id: h('input', { name: 'id', required: true, pattern: '[A-Za-z0-9_\\-]+' }),
      name: h('input', { name: 'name', required: true }),
      gpOrgId: h('select', { name: 'gpOrgId' }),
      strategy: h(
        'select',
        { name: 'strategy' },
        STRATEGIES.map((x) => h('option', { value: x }, t(lang, `strategy_${x}`))),
      ),
      vintage: h('input', { name: 'vintage', inputmode: 'numeric', required: true }),
      legalForm: h(
        'select',
        { name: 'legalForm' },
        FORMS.map((x) => h('option', { value: x }, t(lang, `lf_${x}`))),
      ),
      totalCommitment: h('input', { name: 'totalCommitment', inputmode: 'numeric', required: true }),
      lotSize: h('input', { name: 'lotSize', inputmode: 'numeric', value: '1000000' }),
      investorCap: h('input', { name: 'investorCap', inputmode: 'numeric' }),
      rofr: h('input', { name: 'rofr', type: 'checkbox' }),
      gpConsent: h('input', { name: 'gpConsent', type: 'checkbox' }),
      pledgeAllowed: h('input', { name: 'pledgeAllowed', type: 'checkbox', checked: true }),
    };
    const propose = h(
      'form',
      { class: 'card', 'data-testid': 'propose-fund' },
      h('h2', {}, t(lang, 'proposeFund')),
      field(t(lang, 'fundId'), f.id),
      field(t(lang, 'fundName'), f.name),
      field(t(lang, 'gpOrg'), f.gpOrgId),
      field(t(lang, 'strategy'), f.strategy),
      field(t(lang, 'vintage'), f.vintage),
      field(t(lang, 'legalForm'), f.legalForm),
      field(t(lang, 'totalCommitment'), f.totalCommitment),
      field(t(lang, 'lotSize'), f.lotSize),
      field(t(lang, 'investorCap'), f.investorCap),
      h('label', {}, f.rofr, ' ', t(lang, 'rofr')),
      h('label', {}, f.gpConsent, ' ', t(lang, 'gpConsent')),
      h('label', {}, f.pledgeAllowed, ' ', t(lang, 'pledgeAllowed')),
      h('button', { type: 'submit', class: 'primary' }, t(lang, 'proposeSubmit')),
    );
    const q = {
      orgId: h('select', { name: 'orgId' }),
      netAssets: h('input', { name: 'netAssets', inputmode: 'decimal', required: true }),
      financialAssets: h('input', { name: 'financialAssets', inputmode: 'decimal', required: true }),
      validUntil: h('input', { name: 'validUntil', type: 'date', required: true }),
      evidenceRef: h('input', { name: 'evidenceRef', required: true }),
    };
    const qualify = h(
      'form',
      { class: 'card', 'data-testid': 'record-qualification' },
      h('h2', {}, t(lang, 'recordQualification')),
      field(t(lang, 'organisation'), q.orgId),
      field(t(lang, 'netAssets'), q.netAssets),
      field(t(lang, 'financialAssets'), q.financialAssets),
      field(t(lang, 'validUntil'), q.validUntil),
      field(t(lang, 'evidenceRef'), q.evidenceRef),
      h('button', { type: 'submit', class: 'primary' }, t(lang, 'recordQualification')),
    );
    const pending = h('section', { 'aria-label': t(lang, 'pendingFunds') });
    const quals = h('section', { class: 'card' });
    root.append(h('h1', {}, t(lang, 'admission')), h('h2', {}, t(lang, 'pendingFunds')), pending, propose, quals, qualify);
    const unbind = unbindAll([
      on(propose, 'submit', (e) => {
        e.preventDefault();
        const body = {
          id: f.id.value.trim(),
          name: f.name.value.trim(),
          gpOrgId: f.gpOrgId.value,
          strategy: f.strategy.value,
          vintage: Number(f.vintage.value),
          legalForm: f.legalForm.value,
          totalCommitment: f.totalCommitment.value.trim(),
          lotSize: f.lotSize.value.trim(),
          terms: {
            rofr: f.rofr.checked,
            gpConsent: f.gpConsent.checked,
            pledgeAllowed: f.pledgeAllowed.checked,
            ...(f.investorCap.value.trim() ? { investorCap: Number(f.investorCap.value) } : {}),
          },
        };
        void ctx.act(
          async () => {
            await ctx.api.post('/api/admin/funds', body);
            propose.reset();
          },
          t(lang, 'actionDone'),
        );
      }),
      onClick(pending, 'button[data-fund-action]', (el) => {
        const card = el.closest('[data-pending-fund]') as HTMLElement | null;
        const fundId = encodeURIComponent(card?.dataset.pendingFund ?? '');
        if (el.dataset.fundAction === 'approve')
          return void ctx.act(() => ctx.api.post(`/api/admin/funds/${fundId}/approve`, {}), t(lang, 'actionDone'));
        const csv = card?.querySelector<HTMLTextAreaElement>('textarea[data-input=csv]')?.value ?? '';
        void ctx.act(() => ctx.api.put(`/api/admin/funds/${fundId}/partners`, csv, 'text/csv'), t(lang, 'actionDone'));
      }),
      on(qualify, 'submit', (e) => {
        e.preventDefault();
        const body = Object.fromEntries(Object.entries(q).map(([k, el]) => [k, el.value.trim()]));
        void ctx.act(
          async () => {
            await ctx.api.post('/api/admin/qualifications', body);
            qualify.reset();
          },
          t(lang, 'actionDone'),
        );
      }),
    ]);
    return {
      unbind,
      render(s) {
        const orgKey = JSON.stringify([s.lang, s.organisations]);
        if (propose.dataset.key !== orgKey) {
          propose.dataset.key = orgKey;
          const option = (o: Organisation) => h('option', { value: o.id }, s.lang === 'en' ? o.nameEn : o.name);
          f.gpOrgId.replaceChildren(...s.organisations.filter((o) => o.kind === 'gp').map(option));
          q.orgId.replaceChildren(...s.organisations.filter((o) => o.kind !== 'exchange').map(option));
        }
        const pendingKey = JSON.stringify([s.lang, s.pendingFunds]);
        if (pending.dataset.key !== pendingKey) {
          pending.dataset.key = pendingKey;
          // Kept: CSV text typed into a fund's card while the list reloads.
          const typed = new Map([...pending.querySelectorAll<HTMLTextAreaElement>('textarea[data-input=csv]')].map((x) => [x.id, x.value]));
          replace(
            pending,
            s.pendingFunds.length ? s.pendingFunds.map((x) => pendingCard(x, s)) : h('p', { class: 'empty' }, t(s.lang, 'noItems')),
          );
          for (const x of pending.querySelectorAll<HTMLTextAreaElement>('textarea[data-input=csv]')) x.value = typed.get(x.id) ?? '';
        }
        replace(
          quals,
          table(
            t(s.lang, 'qualifications'),
            [t(s.lang, 'organisation'), t(s.lang, 'netAssets'), t(s.lang, 'financialAssets'), t(s.lang, 'validUntil'), t(s.lang, 'status')],
            s.qualifications.map((x) => [
              x.orgName,
              money(x.netAssets, s.lang),
              money(x.financialAssets, s.lang),
              calendarDate(x.validUntil, s.lang),
              t(s.lang, `qs_${x.status}`),
            ]),
            { testid: 'qualifications', empty: t(s.lang, 'noData') },
          ),
        );
      },
    };
  },
};
