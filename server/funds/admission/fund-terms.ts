/**
 * A fund's transfer terms as the rules read them, with their named defaults (domain.md: each rule a
 * documented parameter). Pure.
 */
import type { LegalForm } from '../../../db/schema';

/**
 * Most investors a fund may have, by its legal form *(rule)*: a limited partnership at most 50
 * partners (Partnership Enterprise Law art. 61), a limited company at most 50 shareholders (Company
 * Law art. 42), a contractual fund at most 200 investors (the private fund rules for contractual funds).
 */
export const INVESTOR_CAP_BY_LEGAL_FORM: Readonly<Record<LegalForm, number>> = { partnership: 50, company: 50, contractual: 200 };

export const TERM_DEFAULTS = {
  /** Days other partners have to exercise a right of first refusal (Partnership Law art. 73: 30 days' notice). */
  rofrWindowDays: 30,
  /** Beijing pilot: working days between buying and selling the same fund share. */
  roundTripWorkingDays: 5,
  /** A buyer takes at least RMB 1,000,000 in one fund *(rule)*. */
  minHoldingYuan: '1000000',
  termYears: 10,
} as const;

export const defaultInvestorCap = (form: LegalForm): number => INVESTOR_CAP_BY_LEGAL_FORM[form];
