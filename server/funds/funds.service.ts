import { Dec } from '../../shared/decimal';
import { navPerCommitment } from '../../shared/nav';
import type { FundDetail, FundSummary } from '../../shared/wire';
import type { Db } from '../../db/database';
import type { NavReport } from '../../db/schema';
import { notFound } from '../commands/errors';
import { findFund, investorCount, latestNavReport, latestNavReports, listFunds, type FundRow } from './funds.repository';

/** Live prices of a fund's continuous book, in percent of NAV; null where there is none. */
export interface Quote {
  bestBidPct: string | null;
  bestAskPct: string | null;
  lastPct: string | null;
}
export interface QuoteSource {
  quote(fundId: string): Quote;
}
export const NO_QUOTES: QuoteSource = { quote: () => ({ bestBidPct: null, bestAskPct: null, lastPct: null }) };
/** A model price of a fund (percent of NAV, from its valuation report), or null where there is none. */
export interface ModelPriceSource {
  modelPct(fund: FundRow, nav: NavReport | undefined): string | null;
}
export const NO_MODEL_PRICES: ModelPriceSource = { modelPct: () => null };

function summary(f: FundRow, nav: NavReport | undefined, q: Quote, modelPct: string | null): FundSummary {
  return {
    id: f.id,
    name: f.name,
    nameEn: f.nameEn,
    manager: f.managerName,
    strategy: f.strategy,
    vintage: f.vintage,
    lotSize: new Dec(f.lotSize).toFixed(0),
    navReferenceDate: nav?.referenceDate ?? null,
    navPerCommitment: nav ? navPerCommitment(new Dec(nav.nav), new Dec(f.totalCommitment)).toFixed(8) : null,
    nav: nav ? new Dec(nav.nav).toFixed(2) : null,
    totalCommitment: new Dec(f.totalCommitment).toFixed(2),
    ...q,
    modelPct,
  };
}

export class FundsService {
  constructor(
    private readonly db: Db,
    private readonly quotes: () => QuoteSource,
    private readonly models: () => ModelPriceSource = () => NO_MODEL_PRICES,
  ) {}

  async list(): Promise<FundSummary[]> {
    const [funds, navs] = await Promise.all([listFunds(this.db), latestNavReports(this.db)]);
    const quotes = this.quotes();
    const models = this.models();
    return funds.map((f) => summary(f, navs.get(f.id), quotes.quote(f.id), models.modelPct(f, navs.get(f.id))));
  }

  async detail(fundId: string): Promise<FundDetail> {
    const f = await findFund(this.db, fundId);
    if (!f) throw notFound(`fund ${fundId}`);
    const nav = await latestNavReport(this.db, fundId);
    return {
      ...summary(f, nav, this.quotes().quote(fundId), this.models().modelPct(f, nav)),
      managerOrgId: f.managerOrgId,
      termYears: f.termYears,
      totalCommitment: f.totalCommitment,
      currency: 'CNY',
      amacFiling: f.amacFiling,
      investorCount: await investorCount(this.db, fundId),
      latestNav: nav
        ? {
            referenceDate: nav.referenceDate,
            nav: nav.nav,
            paidIn: nav.paidIn,
            cumulativeDistributions: nav.cumulativeDistributions,
            publishedAt: nav.publishedAt,
          }
        : null,
      terms: {
        rofrEnabled: f.rofrEnabled === 1,
        rofrWindowDays: f.rofrWindowDays,
        gpConsentRequired: f.gpConsentRequired === 1,
        pledgeAllowed: f.pledgeAllowed === 1,
        pledgeNeedsConsent: f.pledgeNeedsConsent === 1,
        investorCap: f.investorCap,
        minHolding: new Dec(f.minHolding).toFixed(0),
        roundTripWorkingDays: f.roundTripWorkingDays,
      },
    };
  }
}
