/**
 * Administrators admit organisations (the unified social credit code checked as it is typed, with
 * the same rule the server applies) and create their users with an initial password, which each
 * user replaces at first sign-in.
 */
import { field, h, on, replace, unbindAll } from '../dom';
import { t } from '../i18n';
import { usccProblem } from '../../../shared/uscc';
import type { Organisation } from '../types';
import { table } from './common';
import type { Page } from './page';

const KINDS = ['lp', 'buyer', 'gp', 'pledgee', 'exchange'];
const ROLES = ['seller', 'buyer', 'gp', 'operator', 'admin', 'pledgee'];

export const membersPage: Page = {
  title: 'members',
  async load(ctx) {
    const organisations = await ctx.api.get<Organisation[]>('/api/admin/organisations');
    ctx.store.update((s) => {
      s.organisations = organisations;
    });
  },
  channels: () => [],
  mount(root, ctx) {
    const lang = ctx.store.get().lang;
    const name = h('input', { name: 'name', required: true });
    const nameEn = h('input', { name: 'nameEn' });
    const kind = h(
      'select',
      { name: 'kind' },
      KINDS.map((k) => h('option', { value: k }, t(lang, `kind_${k}`))),
    );
    const uscc = h('input', { name: 'uscc', required: true, maxlength: '18', autocomplete: 'off', 'aria-describedby': 'uscc-check' });
    const usccCheck = h('small', { id: 'uscc-check', class: 'hint', 'aria-live': 'polite' });
    const stateOwned = h('input', { name: 'stateOwned', type: 'checkbox' });
    const orgForm = h(
      'form',
      { class: 'card', 'data-testid': 'new-organisation' },
      h('h2', {}, t(lang, 'newOrganisation')),
      field(t(lang, 'orgName'), name),
      field(t(lang, 'orgNameEn'), nameEn),
      field(t(lang, 'kind'), kind),
      field(t(lang, 'uscc'), uscc),
      usccCheck,
      h('label', {}, stateOwned, ' ', t(lang, 'stateOwned')),
      h('button', { type: 'submit', class: 'primary' }, t(lang, 'createOrg')),
    );
    const username = h('input', { name: 'username', required: true, autocomplete: 'off' });
    const displayName = h('input', { name: 'displayName' });
    const orgId = h('select', { name: 'orgId' });
    const roleBoxes = ROLES.map((r) => h('input', { type: 'checkbox', name: 'roles', value: r }));
    const initial = h('input', { name: 'initialPassword', type: 'password', autocomplete: 'new-password', required: true });
    const userForm = h(
      'form',
      { class: 'card', 'data-testid': 'new-user' },
      h('h2', {}, t(lang, 'newUser')),
      field(t(lang, 'username'), username),
      field(t(lang, 'displayName'), displayName),
      field(t(lang, 'organisation'), orgId),
      h(
        'fieldset',
        {},
        h('legend', {}, t(lang, 'roles')),
        roleBoxes.map((b) => h('label', {}, b, ' ', t(lang, `userRole_${b.value}`))),
      ),
      field(t(lang, 'initialPassword'), initial),
      h('button', { type: 'submit', class: 'primary' }, t(lang, 'createUser')),
    );
    const list = h('section', { class: 'card' });
    root.append(h('h1', {}, t(lang, 'members')), list, orgForm, userForm);
    const unbind = unbindAll([
      on(uscc, 'input', () => {
        const code = uscc.value.trim().toUpperCase();
        const problem = code ? usccProblem(code) : null;
        usccCheck.textContent = !code
          ? ''
          : problem === null
            ? `✓ ${t(lang, 'usccOk')}`
            : problem === 'CHECK_CHARACTER'
              ? `✗ ${t(lang, 'usccBad')}`
              : `✗ ${t(lang, 'usccShape')}`;
      }),
      on(orgForm, 'submit', (e) => {
        e.preventDefault();
        const body = {
          name: name.value.trim(),
          ...(nameEn.value.trim() ? { nameEn: nameEn.value.trim() } : {}),
          kind: kind.value,
          uscc: uscc.value.trim().toUpperCase(),
          stateOwned: stateOwned.checked,
        };
        void ctx.act(
          async () => {
            await ctx.api.post('/api/admin/organisations', body);
            orgForm.reset();
            usccCheck.textContent = '';
          },
          t(lang, 'actionDone'),
        );
      }),
      on(userForm, 'submit', (e) => {
        e.preventDefault();
        const body = {
          username: username.value.trim(),
          orgId: orgId.value,
          roles: roleBoxes.filter((b) => b.checked).map((b) => b.value),
          initialPassword: initial.value,
          ...(displayName.value.trim() ? { displayName: displayName.value.trim() } : {}),
        };
        void ctx.act(
          async () => {
            await ctx.api.post('/api/admin/users', body);
            userForm.reset();
          },
          t(lang, 'actionDone'),
        );
      }),
    ]);
    return {
      unbind,
      render(s) {
        const key = JSON.stringify([s.lang, s.organisations]);
        if (list.dataset.key === key) return;
        list.dataset.key = key;
        const keep = orgId.value;
        orgId.replaceChildren(...s.organisations.map((o) => h('option', { value: o.id }, `${o.name} (${t(s.lang, `kind_${o.kind}`)})`)));
        if (s.organisations.some((o) => o.id === keep)) orgId.value = keep;
        replace(
          list,
          table(
            t(s.lang, 'members'),
            [t(s.lang, 'orgName'), t(s.lang, 'kind'), t(s.lang, 'uscc'), t(s.lang, 'orgId')],
            s.organisations.map((o) => [s.lang === 'en' ? o.nameEn : o.name, t(s.lang, `kind_${o.kind}`), o.uscc ?? '—', o.id]),
            { testid: 'organisations', empty: t(s.lang, 'noData') },
          ),
        );
      },
    };
  },
};
