/**
 * A pending fund's partner register, validated row by row before anything is stored: every problem is
 * reported with its row (1 = the first data row), and a register with any problem is refused whole.
 * Pure: the organisations it may name are passed in.
 */
import { Dec, isQuantityString, isYuanString, type Decimal } from '../../../shared/decimal';

/** One row as given: an organisation by id (JSON) or by credit code (CSV), amounts as strings. */
export interface RegisterRow {
  row: number;
  orgId?: string;
  uscc?: string;
  commitment: string;
  paidIn: string;
}
export interface RegisterOrg {
  id: string;
  uscc: string | null;
  kind: string;
}
export interface RegisterFund {
  lotSize: string;
  totalCommitment: string;
  investorCap: number;
}

export type RegisterProblemReason =
  | 'UNKNOWN_ORGANISATION'
  | 'NOT_AN_INVESTOR'
  | 'DUPLICATE_PARTNER'
  | 'COMMITMENT_NOT_A_QUANTITY'
  | 'COMMITMENT_NOT_WHOLE_LOTS'
  | 'PAID_IN_NOT_AN_AMOUNT'
  | 'PAID_IN_ABOVE_COMMITMENT'
  | 'EMPTY'
  | 'TOTAL_MISMATCH'
  | 'TOO_MANY_PARTNERS';
/** `row` 0: the register as a whole. */
export interface RegisterProblem {
  row: number;
  field: string;
  reason: RegisterProblemReason;
  detail: string;
}
export interface RegisterEntry {
  orgId: string;
  row: number;
  commitment: string;
  paidIn: string;
}

/** Organisation kinds that may hold fund shares (a GP's own commitment included). */
const INVESTOR_KINDS = new Set(['lp', 'buyer', 'gp']);

export function validateRegister(
  rows: readonly RegisterRow[],
  fund: RegisterFund,
  orgs: readonly RegisterOrg[],
): { ok: true; entries: RegisterEntry[] } | { ok: false; problems: RegisterProblem[] } {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const byUscc = new Map(orgs.filter((o) => o.uscc).map((o) => [o.uscc!, o]));
  const problems: RegisterProblem[] = [];
  const entries: RegisterEntry[] = [];
  const seen = new Map<string, number>();
  const lot = new Dec(fund.lotSize);
  let total = new Dec('0');
  for (const r of rows) {
    const key = r.orgId ?? r.uscc ?? '';
    const org = r.orgId !== undefined ? byId.get(r.orgId) : byUscc.get(r.uscc ?? '');
    const field = r.orgId !== undefined ? 'orgId' : 'uscc';
    if (!org) problems.push({ row: r.row, field, reason: 'UNKNOWN_ORGANISATION', detail: `no organisation ${key}` });
    else if (!INVESTOR_KINDS.has(org.kind))
      problems.push({ row: r.row, field, reason: 'NOT_AN_INVESTOR', detail: `${org.id} is a ${org.kind} organisation` });
    else if (seen.has(org.id))
      problems.push({ row: r.row, field, reason: 'DUPLICATE_PARTNER', detail: `${org.id} is already on row ${seen.get(org.id)}` });
    else seen.set(org.id, r.row);
    let commitment: Decimal | null = null;
    if (!isQuantityString(r.commitment) || new Dec(r.commitment).lte('0')) {
      problems.push({
        row: r.row,
        field: 'commitment',
        reason: 'COMMITMENT_NOT_A_QUANTITY',
        detail: `commitment "${r.commitment}" is not a positive whole number of yuan`,
      });
    } else {
      commitment = new Dec(r.commitment);
      total = total.plus(commitment);
      if (!commitment.mod(lot).eq('0')) {
        problems.push({
          row: r.row,
          field: 'commitment',
          reason: 'COMMITMENT_NOT_WHOLE_LOTS',
          detail: `commitment ${r.commitment} is not a whole number of lots of ${lot.toFixed(0)}`,
        });
      }
    }
    if (!isYuanString(r.paidIn) || new Dec(r.paidIn).lt('0')) {
      problems.push({
        row: r.row,
        field: 'paidIn',
        reason: 'PAID_IN_NOT_AN_AMOUNT',
        detail: `paidIn "${r.paidIn}" is not an amount in yuan`,
      });
    } else if (commitment && new Dec(r.paidIn).gt(commitment)) {
      problems.push({
        row: r.row,
        field: 'paidIn',
        reason: 'PAID_IN_ABOVE_COMMITMENT',
        detail: `paidIn ${r.paidIn} is more than the commitment ${r.commitment}`,
      });
    }
    if (org && commitment)
      entries.push({ orgId: org.id, row: r.row, commitment: commitment.toFixed(0), paidIn: new Dec(r.paidIn).toFixed(2) });
  }
  if (rows.length === 0) problems.push({ row: 0, field: 'register', reason: 'EMPTY', detail: 'the register has no partners' });
  else if (!total.eq(fund.totalCommitment)) {
    problems.push({
      row: 0,
      field: 'commitment',
      reason: 'TOTAL_MISMATCH',
      detail: `commitments add up to ${total.toFixed(0)}, not the fund's total commitment ${new Dec(fund.totalCommitment).toFixed(0)}`,
    });
  }
  if (seen.size > fund.investorCap) {
    problems.push({
      row: 0,
      field: 'register',
      reason: 'TOO_MANY_PARTNERS',
      detail: `${seen.size} partners, above the fund's investor cap of ${fund.investorCap}`,
    });
  }
  return problems.length ? { ok: false, problems } : { ok: true, entries };
}
