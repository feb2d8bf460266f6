/**
 * The confirmation's payment terms: the method (a lump sum, or instalments with their guarantee and
 * interest rate) and, for a plan, each instalment's due date, principal, interest and how it was paid
 * (bank reference, the operator who recorded it and the one who confirmed it: four eyes).
 */
import { hasInstalments, instalmentLeg, type Transfer } from '../domain';
import type { ConfirmationInstalment } from './layout/types';

const LUMP_SUM = '交易所结算账户一次性支付（保证金抵作价款） / Lump sum via the exchange escrow account (deposit applied first)';

/** How data.ts prints money, instants, people and typed references (passed in: data.ts builds on this file). */
export interface Printers {
  readonly grouped: (amount: string) => string;
  readonly beijingMinute: (instant: string) => string;
  readonly userName: (userId: string) => string;
  readonly printable: (text: string) => string;
}

export function paymentMethodText(t: Transfer, printable: Printers['printable']): string {
  const plan = t.paymentPlan;
  if (!hasInstalments(plan) || !instalmentLeg(t)) return LUMP_SUM;
  const n = plan.instalments.length;
  const ref = printable(plan.guaranteeRef ?? '—');
  const rate = plan.interestRatePct ?? '—';
  return (
    `分期付款（共${n}期，经交易所结算账户；余款由担保 ${ref} 担保，按年利率 ${rate}% 单利计息，实际天数/365） / ` +
    `Instalments (${n}, via the exchange escrow account; the balance guaranteed by ${ref}, ` +
    `simple interest at ${rate}% a year, ACT/365)`
  );
}

/** One row per instalment; empty for a lump sum. */
export function instalmentRows(t: Transfer, p: Printers): ConfirmationInstalment[] {
  const plan = t.paymentPlan;
  if (!hasInstalments(plan) || !instalmentLeg(t)) return [];
  return plan.instalments.map((i) => ({
    number: String(i.number),
    dueDate: i.dueDate ?? '—',
    amount: p.grouped(i.amount),
    interest: p.grouped(i.interest ?? '0.00'),
    paid:
      i.recorded && i.confirmed
        ? `${p.beijingMinute(i.confirmed.at)} 银行流水 / Bank ref. ${p.printable(i.recorded.bankRef)}；` +
          `${p.userName(i.recorded.by)} 登记 / recorded, ${p.userName(i.confirmed.by)} 确认 / confirmed`
        : '—',
  }));
}
