/** A rule's answer: allowed, or refused with an api.md code, a detail for people and its figures as decimal strings. */
export type RuleCode =
  | 'FORBIDDEN'
  | 'BUYER_NOT_QUALIFIED'
  | 'BELOW_MIN_HOLDING'
  | 'INVESTOR_CAP_REACHED'
  | 'ROUND_TRIP_TOO_SOON'
  | 'INSUFFICIENT_POSITION';

export type Verdict = { readonly ok: true } | Refusal;

export interface Refusal {
  readonly ok: false;
  readonly code: RuleCode;
  readonly detail: string;
  readonly params: Readonly<Record<string, string>>;
}

export const ALLOWED: Verdict = { ok: true };

export const refusal = (code: RuleCode, detail: string, params: Record<string, string> = {}): Refusal => ({
  ok: false,
  code,
  detail,
  params,
});
