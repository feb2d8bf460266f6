/**
 * What the exchange derives from a valuation report for its markets (pure):
 *  - modelPct: the model price, the report's IRR-grid price at the model IRR (12%, a typical
 *    S-fund buyer's target), as % of the reference NAV; shown beside the book's prices;
 *  - suggestedAskPct / suggestedAskPrice: the listing form's suggested ask: the model price, raised
 *    to the state-owned floor when the report carries one (a state-owned ask may not go below it);
 *  - floorPct: the state-owned floor as % of the share's reference NAV (rounded up: a minimum).
 * A price that is negative or beyond the wire's percent format (0–9999.99) is reported as null.
 */
import { Dec, HUNDRED, Rounding, ZERO, isPctString, type Decimal } from '../../shared/decimal';
import type { ValuationReport } from '../../shared/valuation/report';

export const MODEL_IRR = '0.12';

export interface ReportPricing {
  modelIrr: string;
  modelPct: string | null;
  suggestedAskPct: string | null;
  /** Yuan for the whole valued share, to the fen. */
  suggestedAskPrice: string | null;
  /** Why the suggestion is what it is. */
  suggestedAskBasis: 'model-price' | 'state-owned-floor' | 'none';
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
  const model = modelPctOf(report);
  const floor = report.stateOwnedFloor?.ok ? new Dec(report.stateOwnedFloor.floor) : null;
  const floorPct = floor && referenceNav.gt(ZERO) ? wirePct(floor.times(HUNDRED).div(referenceNav).round(2, Rounding.UP)) : null;
  let pct: string | null = model;
  let basis: ReportPricing['suggestedAskBasis'] = model === null ? 'none' : 'model-price';
  if (floorPct !== null && (pct === null || new Dec(floorPct).gt(pct))) {
    pct = floorPct;
    basis = 'state-owned-floor';
  }
  let price: string | null = null;
  if (pct !== null) {
    let amount = new Dec(pct).times(referenceNav).div(HUNDRED).round(2, basis === 'state-owned-floor' ? Rounding.UP : Rounding.HALF_UP);
    if (floor && amount.lt(floor)) amount = floor;
    price = amount.toFixed(2);
  }
  return { modelIrr: MODEL_IRR, modelPct: model, suggestedAskPct: pct, suggestedAskPrice: price, suggestedAskBasis: basis, floorPct };
}
