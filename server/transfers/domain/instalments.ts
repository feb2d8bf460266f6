/**
 * Payment by instalments (分期付款) of a state-owned listing's award, where the listing allowed it.
 *
 * Source: domain.md, state-owned overlay: "Payment: lump sum within 5 working days of the contract; or
 * instalments with at least 30% within 5 working days and the rest within 1 year, guaranteed, with
 * interest" *(rule)*, which is Order 32 (企业国有资产交易监督管理办法) art. 28: the first payment at least 30%
 * within 5 working days of the contract taking effect; the rest secured by a lawful guarantee the
 * transferor accepts, with interest for the deferral at the bank loan rate of the period, within one year.
 *
 * The plan. The trade's buyer chooses, before the contract is signed (a change withdraws any signature
 * given, so both parties sign the same terms): `lump_sum`, or `instalments` [{amount}, {amount,
 * monthsAfterContract}, ...] with a `guaranteeRef` (the guarantee the seller accepts by signing). Rules,
 * in this order: amounts sum exactly to the buyer's consideration; the first is at least
 * `instalmentMinFirstPct` of it (rounded up to the fen) and at least the deposit applied (the deposit
 * counts toward the first instalment); balance instalments are due strictly later one after the other,
 * the last no later than `instalmentBalanceMaxMonths` after the contract date.
 *
 * Dates. The contract date is the approval date (approvals.ts). The first instalment is due
 * `instalmentFirstWorkingDays` working days after it, like a lump sum; a balance instalment on
 * contract date + N calendar months (clamped to the month's last day: 31 January + 1 month = 28 or 29
 * February). Both are fixed at approval, with the interest.
 *
 * Interest (simple, ACT/365, on the outstanding balance; payable with each balance instalment): the
 * balance after the first instalment is outstanding from the contract date. Instalment k ≥ 2 carries
 *   interest_k = round_half_up_fen( outstanding_k × rate% / 100 × days(d_{k-1}, d_k) / 365 )
 * where outstanding_k = Σ_{j ≥ k} amount_j (what is still owed during the period), d_1 := the contract
 * date and d_k the due dates, days the actual calendar days between. Interest is fixed in the plan from the
 * due dates: paying early does not reduce it, so what the contract says is what the ledger books.
 *
 * ROFR: instalments are the trade buyer's terms (the guarantee is its own); LPs that exercise their right
 * pay their legs as a lump sum. When the window leaves the buyer a smaller leg, its plan is scaled to the
 * leg (`rescalePlan`): the first instalment rounded up to the fen (so it stays at or above the minimum),
 * the rest apportioned by the largest-remainder method, exact sums; no leg left, no plan.
 */
import { addMonths } from '../../../shared/valuation/dates';
import { toDayNumber } from '../../../shared/calendar';
import {
  Dec,
  HUNDRED,
  Rounding,
  YUAN_SCALE,
  ZERO,
  formatYuan,
  isYuanString,
  max,
  parseDecimal,
  parseYuan,
  sum,
  type Decimal,
} from '../../../shared/decimal';
import { apportion } from './allocation';
import type { InstalmentTerms } from './params';
import { invariant, refuse, type Refused } from './results';
import { referenceText } from './steps';

export type PaymentMethod = 'lump_sum' | 'instalments';

/** The day count convention of the interest: actual days over a 365-day year. */
export const INTEREST_DAY_COUNT = 'ACT/365';
const YEAR_DAYS = new Dec('365');
const REF_MAX_LENGTH = 200;

export interface Instalment {
  /** 1 for the first instalment. */
  readonly number: number;
  /** Principal, yuan. */
  readonly amount: string;
  /** Null for the first instalment (due within the working days of the rule); N calendar months after the contract date otherwise. */
  readonly monthsAfterContract: number | null;
  /** Beijing date, fixed at approval (the contract date); null before. */
  readonly dueDate: string | null;
  /** Interest payable with this instalment (yuan), fixed at approval; "0.00" for the first. */
  readonly interest: string | null;
  /** The first operator's record of the bank transfer. */
  readonly recorded: { readonly bankRef: string; readonly at: string; readonly by: string } | null;
  /** A second operator's confirmation (four eyes): then the cash is booked into escrow. */
  readonly confirmed: { readonly at: string; readonly by: string } | null;
}

export interface PaymentPlan {
  readonly method: PaymentMethod;
  readonly chosenAt: string;
  readonly chosenBy: string;
  /** The guarantee securing the balance (instalments only). */
  readonly guaranteeRef: string | null;
  /** The listing's rate, percent per year (instalments only). */
  readonly interestRatePct: string | null;
  /** Empty for a lump sum. */
  readonly instalments: readonly Instalment[];
}

export interface LegTerms {
  /** The buyer's consideration (yuan). */
  readonly consideration: string;
  /** The deposit counted toward it (yuan). */
  readonly depositApplied: string;
}

export type ChoiceResult = { readonly ok: true; readonly plan: PaymentPlan } | Refused;

const invalid = (detail: string, reason: string, params: Record<string, string> = {}) =>
  refuse('INSTALMENT_PLAN_INVALID', detail, { reason, ...params });

/** The least first instalment: `pct`% of the consideration, rounded UP to the fen (the rule is a floor). */
export function minimumFirstInstalment(consideration: Decimal, pct: string): Decimal {
  return consideration.times(parseDecimal(pct)).div(HUNDRED).round(YUAN_SCALE, Rounding.UP);
}

/** Simple interest on `outstanding` at `ratePct` per year from `from` to `to` (dates): ACT/365, half-up to the fen. */
export function simpleInterest(outstanding: Decimal, ratePct: string, from: string, to: string): Decimal {
  const days = toDayNumber(to) - toDayNumber(from);
  invariant(days >= 0, `interest period from ${from} to ${to} runs backwards`);
  return outstanding
    .times(parseDecimal(ratePct))
    .times(new Dec(String(days)))
    .div(HUNDRED.times(YEAR_DAYS))
    .round(YUAN_SCALE, Rounding.HALF_UP);
}

interface RawInstalment {
  readonly amount: Decimal;
  readonly months: number | null;
}

function parseInstalments(raw: unknown, maxCount: number): { ok: true; value: RawInstalment[] } | { ok: false; detail: string } {
  if (!Array.isArray(raw) || raw.length < 2 || raw.length > maxCount)
    return { ok: false, detail: `instalments must list 2 to ${maxCount} instalments` };
  const out: RawInstalment[] = [];
  for (const [i, item] of raw.entries()) {
    if (typeof item !== 'object' || item === null) return { ok: false, detail: `instalments[${i}] must be an object` };
    const { amount, monthsAfterContract, ...rest } = item as Record<string, unknown>;
    if (Object.keys(rest).length) return { ok: false, detail: `instalments[${i}] has unknown fields: ${Object.keys(rest).join(', ')}` };
    if (!isYuanString(amount) || !parseYuan(amount).gt(ZERO) || !/\.\d{2}$/.test(amount))
      return { ok: false, detail: `instalments[${i}].amount must be a positive yuan amount with 2 decimals` };
    if (i === 0) {
      if (monthsAfterContract !== undefined)
        return { ok: false, detail: 'the first instalment is due within the working days of the rule: give it no monthsAfterContract' };
      out.push({ amount: parseYuan(amount), months: null });
      continue;
    }
    if (typeof monthsAfterContract !== 'number' || !Number.isInteger(monthsAfterContract) || monthsAfterContract < 1)
      return { ok: false, detail: `instalments[${i}].monthsAfterContract must be a whole number of months, at least 1` };
    out.push({ amount: parseYuan(amount), months: monthsAfterContract });
  }
  return { ok: true, value: out };
}

/**
 * The plan the buyer chose, validated against its leg and the listing's terms. Checked in this order:
 * VALIDATION_FAILED (method, shape, guaranteeRef), INSTALMENTS_NOT_ALLOWED, INSTALMENT_PLAN_INVALID
 * (`params.reason`: sum_mismatch, first_below_minimum, first_below_deposit, months_not_increasing,
 * balance_too_late).
 */
export function planFromChoice(
  input: { readonly method?: unknown; readonly instalments?: unknown; readonly guaranteeRef?: unknown },
  leg: LegTerms,
  terms: InstalmentTerms | null | undefined,
  by: string,
  now: string,
): ChoiceResult {
  const chosen = { chosenAt: now, chosenBy: by };
  if (input.method === 'lump_sum') {
    if (input.instalments !== undefined || input.guaranteeRef !== undefined)
      return refuse('VALIDATION_FAILED', 'a lump sum takes no instalments and no guaranteeRef');
    return { ok: true, plan: { method: 'lump_sum', ...chosen, guaranteeRef: null, interestRatePct: null, instalments: [] } };
  }
  if (input.method !== 'instalments') return refuse('VALIDATION_FAILED', 'method must be "lump_sum" or "instalments"');
  const maxCount = 1 + (terms?.instalmentBalanceMaxMonths ?? 12);
  const parsed = parseInstalments(input.instalments, maxCount);
  if (!parsed.ok) return refuse('VALIDATION_FAILED', parsed.detail);
  const guarantee = referenceText(input.guaranteeRef, 'guaranteeRef', REF_MAX_LENGTH);
  if (!guarantee.ok) return refuse('VALIDATION_FAILED', `${guarantee.detail}: the balance of an instalment plan must be guaranteed`);
  if (!terms) return refuse('INSTALMENTS_NOT_ALLOWED', 'the listing did not allow payment by instalments');

  const items = parsed.value;
  const consideration = parseYuan(leg.consideration);
  const total = sum(items.map((x) => x.amount));
  if (!total.eq(consideration))
    return invalid(`the instalments sum to ${formatYuan(total)}, not the consideration ${leg.consideration}`, 'sum_mismatch', {
      consideration: leg.consideration,
      total: formatYuan(total),
    });
  const first = items[0]!.amount;
  const minimum = minimumFirstInstalment(consideration, terms.instalmentMinFirstPct);
  if (first.lt(minimum))
    return invalid(`the first instalment must be at least ${terms.instalmentMinFirstPct}% of the consideration`, 'first_below_minimum', {
      minimum: formatYuan(minimum),
      minFirstPct: terms.instalmentMinFirstPct,
    });
  if (first.lt(parseYuan(leg.depositApplied)))
    return invalid('the first instalment must be at least the deposit, which counts toward it', 'first_below_deposit', {
      deposit: leg.depositApplied,
    });
  const months = items.slice(1).map((x) => x.months!);
  if (months.some((m, i) => i > 0 && m <= months[i - 1]!))
    return invalid('each balance instalment must fall due in a later month than the one before', 'months_not_increasing');
  const last = months[months.length - 1]!;
  if (last > terms.instalmentBalanceMaxMonths)
    return invalid(`the balance must be paid within ${terms.instalmentBalanceMaxMonths} months of the contract date`, 'balance_too_late', {
      maxMonths: String(terms.instalmentBalanceMaxMonths),
    });
  return {
    ok: true,
    plan: {
      method: 'instalments',
      ...chosen,
      guaranteeRef: guarantee.value,
      interestRatePct: terms.interestRatePct,
      instalments: items.map((x, i) => ({
        number: i + 1,
        amount: formatYuan(x.amount),
        monthsAfterContract: x.months,
        dueDate: null,
        interest: null,
        recorded: null,
        confirmed: null,
      })),
    },
  };
}

/** True when two plans state the same terms (who chose them and when aside). */
export function sameTerms(a: PaymentPlan | null | undefined, b: PaymentPlan): boolean {
  const terms = (p: PaymentPlan) =>
    JSON.stringify([p.method, p.guaranteeRef, p.interestRatePct, p.instalments.map((i) => [i.amount, i.monthsAfterContract])]);
  return terms(a ?? { ...b, method: 'lump_sum', guaranteeRef: null, interestRatePct: null, instalments: [] }) === terms(b);
}

export const hasInstalments = (plan: PaymentPlan | null | undefined): plan is PaymentPlan =>
  !!plan && plan.method === 'instalments' && plan.instalments.length > 0;

/**
 * Fixes the plan's dates and interest at the contract date (`firstDue`: the first instalment's due date,
 * the payment step's deadline). See the formula at the top of this file.
 */
export function schedulePlan(plan: PaymentPlan, contractDate: string, firstDue: string): PaymentPlan {
  invariant(hasInstalments(plan) && plan.interestRatePct !== null, 'only an instalment plan is scheduled');
  const amounts = plan.instalments.map((i) => parseYuan(i.amount));
  let previous = contractDate;
  const instalments = plan.instalments.map((inst, k): Instalment => {
    if (k === 0) return { ...inst, dueDate: firstDue, interest: '0.00' };
    const dueDate = addMonths(contractDate, inst.monthsAfterContract!);
    invariant(dueDate > firstDue, `balance instalment ${inst.number} falls due on ${dueDate}, not after the first (${firstDue})`);
    const outstanding = sum(amounts.slice(k));
    const interest = simpleInterest(outstanding, plan.interestRatePct!, previous, dueDate);
    previous = dueDate;
    return { ...inst, dueDate, interest: formatYuan(interest) };
  });
  return { ...plan, instalments };
}

/** Σ interest of the plan (yuan); zero before it is scheduled or for a lump sum. */
export function planInterest(plan: PaymentPlan | null | undefined): Decimal {
  return sum((plan?.instalments ?? []).map((i) => parseYuan(i.interest ?? '0.00')));
}

/** The instalment the next confirmation concerns: the lowest-numbered one not confirmed, or null when all are. */
export function nextOpenInstalment(plan: PaymentPlan): Instalment | null {
  return plan.instalments.find((i) => i.confirmed === null) ?? null;
}

/** What one instalment brings into escrow: its amount and interest (the first includes the deposit moved from deposits). */
export const instalmentTotal = (i: Instalment): Decimal => parseYuan(i.amount).plus(parseYuan(i.interest ?? '0.00'));

/** What the confirmed instalments brought into escrow so far. */
export function escrowedByPlan(plan: PaymentPlan): Decimal {
  return sum(plan.instalments.filter((i) => i.confirmed !== null).map(instalmentTotal));
}

/**
 * The plan scaled to a new consideration of the buyer's leg (after the ROFR window): the first instalment
 * pro rata rounded UP to the fen (and never below the deposit applied), the rest apportioned by the
 * largest-remainder method so the amounts sum exactly. Null when the first instalment would take the
 * whole leg (a lump sum is left).
 */
export function rescalePlan(plan: PaymentPlan, from: string, leg: LegTerms): PaymentPlan | null {
  if (!hasInstalments(plan)) return plan;
  const before = parseYuan(from);
  const after = parseYuan(leg.consideration);
  if (after.eq(before)) return plan;
  const amounts = plan.instalments.map((i) => parseYuan(i.amount));
  const scaledFirst = amounts[0]!.times(after).div(before).round(YUAN_SCALE, Rounding.UP);
  const first = max(scaledFirst, parseYuan(leg.depositApplied));
  if (first.gte(after)) return null;
  const rest = apportion(after.minus(first), amounts.slice(1));
  const parts = [first, ...rest];
  invariant(sum(parts).eq(after), 'a rescaled plan sums to the leg');
  if (parts.some((p) => p.lte(ZERO))) return null;
  return { ...plan, instalments: plan.instalments.map((i, k) => ({ ...i, amount: formatYuan(parts[k]!) })) };
}
