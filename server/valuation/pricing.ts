/**
 * What the exchange derives from a valuation report for its markets (pure):
 *  - modelPct: the model price, the report's IRR-grid price at the model IRR (12%, a typical
 *    S-fund buyer's target), as % of the reference NAV; shown beside the book's prices;
 *  - suggestedAskPct / suggestedAskPrice: the listing form's suggested ask, which is for a first
 *    listing: the model price, raised for a state-owned share with a usable appraisal to at least
 *    the filed appraisal itself (domain.md: first listing price ≥ the filed appraisal; listings
 *    refuse PRICE_BELOW_APPRAISAL). The floor is not enough there: it only bounds later reprices;
 *  - floorPct: the state-owned floor (appraisal × ratio, the lowest reprice without the approving
 *    unit's consent) as % of the share's reference NAV (rounded up: a minimum).
 * The suggested % and price agree: for the model price, price = % × reference NAV, half-up to the
 * fen; raised to the appraisal, the price is the appraisal itself and the % the least 2-decimal
 * percent of the reference NAV that covers it (rounded up). A % is null when it means nothing:
 * reference NAV not positive, a negative price, or beyond the wire's percent format (0–9999.99).
 */
import { Dec, HUNDRED, Rounding, ZERO, isPctString, type Decimal, type RoundingMode } from '../../shared/decimal';
import type { ValuationReport } from '../../shared/valuation/report';

export const MODEL_IRR = '0.12';

export interface ReportPricing {
  modelIrr: string;
  modelPct: string | null;
  suggestedAskPct: string | null;
  /** Yuan for the whole valued share, to the fen. */
  suggestedAskPrice: string | null;
  /** Why the suggestion is what it is: the model price, the filed appraisal (a first state-owned ask may not be lower), or nothing. */
  suggestedAskBasis: 'model-price' | 'state-owned-appraisal' | 'none';
  floorPct: string | null;
}

const wirePct = (d: Decimal | null): string | null => {
  if (d === null) return null;
  const s = d.toFixed(2);
  return isPctString(s) ? s : null;
};

/** Model price of a report (see MODEL_IRR), or null. */
export function modelPctOf(report: ValuationReport): string | null {
  const point = report.irrGrid.find((p) => new Dec(p.irr).eq(MODEL_IRR));
  return point?.pctOfNav ? wirePct(new Dec(point.pctOfNav)) : null;
}

export function reportPricing(report: ValuationReport): ReportPricing {
  const referenceNav = new Dec(report.share.referenceNav);
  // Rounded up: every % derived here from a state-owned figure is a minimum.
  const minimumPct = (amount: Decimal): string | null =>
    referenceNav.gt(ZERO) ? wirePct(amount.times(HUNDRED).div(referenceNav).round(2, Rounding.UP)) : null;
  const priceAtPct = (pct: string, mode: RoundingMode): Decimal => new Dec(pct).times(referenceNav).div(HUNDRED).round(2, mode);

  const model = modelPctOf(report);
  const so = report.stateOwnedFloor?.ok ? report.stateOwnedFloor : null;
  const floorPct = so ? minimumPct(new Dec(so.floor)) : null;

  let pct: string | null = model;
  let price: Decimal | null = model === null ? null : priceAtPct(model, Rounding.HALF_UP);
  let basis: ReportPricing['suggestedAskBasis'] = model === null ? 'none' : 'model-price';
  if (so) {
    const appraisal = new Dec(so.appraisalValue);
    if (price === null || price.lt(appraisal)) {
      pct = minimumPct(appraisal);
      price = appraisal;
      basis = 'state-owned-appraisal';
    }
  }
  return {
    modelIrr: MODEL_IRR,
    modelPct: model,
    suggestedAskPct: pct,
    suggestedAskPrice: price === null ? null : price.toFixed(2),
    suggestedAskBasis: basis,
    floorPct,
  };
}
