/**
 * Qualified investors (合格投资者): an organisation qualifies with net assets and financial assets at
 * or above the thresholds in force when it was assessed (stored with each record), from its
 * assessment until its expiry. Pure: one rule for the book, listings and the transfer review.
 */
import { Dec } from '../../shared/decimal';
import { isQualifiedAt, meetsThresholds, type QualificationRecord } from '../../shared/rules';

export { isQualifiedAt, type QualificationRecord };
export type QualificationStatus = 'valid' | 'expired' | 'not_yet_valid' | 'below_thresholds';

export function qualificationStatus(r: QualificationRecord, nowIso: string): QualificationStatus {
  if (!meetsThresholds(r)) return 'below_thresholds';
  if (r.qualifiedAt > nowIso) return 'not_yet_valid';
  return r.expiresAt > nowIso ? 'valid' : 'expired';
}

/** The thresholds an assessment must meet, as yuan strings (settings QI_MIN_NET_ASSETS, QI_MIN_FINANCIAL_ASSETS). */
export interface QualificationThresholds {
  minNetAssets: string;
  minFinancialAssets: string;
}

/** Which thresholds an assessment misses (empty when it qualifies). */
export function missedThresholds(
  a: { netAssets: string; financialAssets: string },
  t: QualificationThresholds,
): ('netAssets' | 'financialAssets')[] {
  const out: ('netAssets' | 'financialAssets')[] = [];
  if (new Dec(a.netAssets).lt(t.minNetAssets)) out.push('netAssets');
  if (new Dec(a.financialAssets).lt(t.minFinancialAssets)) out.push('financialAssets');
  return out;
}
