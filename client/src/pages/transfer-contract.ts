/**
 * A listing award's contract on the transfer page: who must sign (the seller, and the winning buyer
 * unless an LP's right of first refusal took the whole trade), who has signed and when, and the Beijing
 * date to sign by. The operator's review waits for both signatures (server/transfers/domain/contract.ts);
 * the "sign" button itself comes with the caller's available actions (transfer.ts, actionsForm).
 */
import { h } from '../dom';
import { calendarDate, dateTime, orgLabel } from '../format';
import { t } from '../i18n';
import type { Lang } from '../state';
import type { Transfer } from '../types';

export type Party = 'seller' | 'buyer';

/** The parties that must sign: the buyer only while it keeps a leg of the trade (as the server decides). */
export function signingParties(tr: Transfer): Party[] {
  const legs = tr.allocations ?? [];
  return legs.length && !legs.some((a) => a.source === 'buyer') ? ['seller'] : ['seller', 'buyer'];
}

/** The parties whose signature is still missing; none without a contract (a book trade). */
export function unsignedParties(tr: Transfer): Party[] {
  const c = tr.contract;
  return c ? signingParties(tr).filter((p) => c[p] === null) : [];
}

/** The review step waits for the contract: "who acts next" names the signers instead of the operators. */
export function contractWaits(tr: Transfer): boolean {
  return unsignedParties(tr).length > 0 && (tr.nextActor?.step === 'review' || tr.state === 'review_pending');
}

/** "签署合同 — 转让方、受让方（截止 2026年10月23日）" / "Contract signing — seller, buyer (sign by 23 October 2026)". */
export function contractWhy(tr: Transfer, lang: Lang): string {
  const who = unsignedParties(tr)
    .map((p) => t(lang, `role_${p}`))
    .join(lang === 'zh' ? '、' : ', ');
  const due = calendarDate(tr.contract?.dueDate, lang) + (tr.contract?.dueDateProvisional ? t(lang, 'provisional') : '');
  return lang === 'zh'
    ? `${t(lang, 'act_sign')} — ${who}（${t(lang, 'deadline')} ${due}）；${t(lang, 'contractWaits')}`
    : `${t(lang, 'contractTitle')} — ${who} (sign by ${due}). ${t(lang, 'contractWaits')}.`;
}

export function contractCard(tr: Transfer, lang: Lang): HTMLElement | null {
  const c = tr.contract;
  if (!c) return null;
  const name = (p: Party): string =>
    p === 'seller' ? orgLabel(tr.seller, lang) : tr.buyer ? orgLabel(tr.buyer, lang) : t(lang, 'role_buyer');
  const row = (p: Party): Node[] => {
    const signed = c[p];
    return [
      h('dt', {}, `${t(lang, `role_${p}`)} · ${name(p)}`),
      h(
        'dd',
        { 'data-signature': p, 'data-signed': signed ? 'yes' : 'no' },
        signed ? `${t(lang, 'contractSigned')} · ${dateTime(signed.at, lang)}` : t(lang, 'contractUnsigned'),
      ),
    ];
  };
  const open = unsignedParties(tr).length > 0 && !tr.outcome;
  return h(
    'section',
    { class: 'card contract', 'data-testid': 'transfer-contract' },
    h('h2', {}, t(lang, 'contractTitle')),
    h(
      'dl',
      { class: 'facts' },
      signingParties(tr).flatMap(row),
      h('dt', {}, t(lang, 'contractDue')),
      h('dd', { 'data-testid': 'contract-due' }, calendarDate(c.dueDate, lang) + (c.dueDateProvisional ? t(lang, 'provisional') : '')),
    ),
    open ? h('p', { class: 'hint' }, `${t(lang, 'contractWaits')}${lang === 'zh' ? '。' : '. '}${t(lang, 'contractForfeit')}`) : null,
  );
}
