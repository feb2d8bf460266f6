/**
 * Fund valuation reports over the pure module (shared/valuation):
 *  - the report of a demo fund for one share, from demo-model.ts; cached in memory per
 *    (fund, NAV report, valuation date, share) so GET /api/funds stays fast;
 *  - the model price of every fund for GET /api/funds (a ModelPriceSource);
 *  - user-supplied models stored with their reports (POST/GET /api/valuations).
 * The valuation date is the exchange clock's Beijing date; the share is the caller's position in
 * the fund when it holds one, else a standard 10,000,000 commitment (paid in pro rata).
 */
import { randomUUID } from 'node:crypto';
import { Dec, Rounding, ZERO } from '../../shared/decimal';
import { beijingDate } from '../../shared/calendar';
import { strictCanonicalJson as canonicalJson } from '../../shared/canonical-json';
import type { LpShareInput } from '../../shared/valuation/fund-model';
import { ValuationError } from '../../shared/valuation/numeric';
import { buildValuationReport, type ValuationReport } from '../../shared/valuation/report';
import type { DatabaseHandle } from '../../db/database';
import type { NavReport } from '../../db/schema';
import type { Principal } from '../auth/tokens';
import { appendAudit } from '../audit/audit-log';
import { orgStream } from '../audit/streams';
import { iso, type Clock } from '../clock/clock';
import type { CommandRunner } from '../commands';
import { AppError, notFound } from '../commands/errors';
import { findFund, latestNavReport, type FundRow } from '../funds/funds.repository';
import type { ModelPriceSource } from '../funds/funds.service';
import { SHA256 } from './digest';
import { demoFundModel, hasDemoModel, type InKindSinceReport } from './demo-model';
import { inKindSinceReport } from '../distributions/distributions.service';
import type { ValuationRequest } from './model-schema';
import { modelPctOf, reportPricing, type ReportPricing } from './pricing';

export const STANDARD_COMMITMENT = '10000000';
const CACHE_LIMIT = 2000;
const DEFAULT_FLOOR_RATIO = '0.90';

export interface FloorQuery {
  appraisalValue?: string;
  appraisalBaseDate?: string;
  approvalRef?: string;
  ratio?: string;
}

export interface ShareBasis {
  kind: 'position' | 'standard';
  description: string;
}

/** The report with what the exchange derives from it; `contentHash` covers every field except `pricing` and `shareBasis`. */
export type FundValuationView = ValuationReport & { navReportId: string; shareBasis: ShareBasis; pricing: ReportPricing };

/** A report builder that turns the module's input errors into 400 VALIDATION_FAILED. */
export function buildReportOr400(input: ValuationRequest): ValuationReport {
  try {
    return buildValuationReport(input, SHA256);
  } catch (err) {
    if (err instanceof ValuationError) throw new AppError('VALIDATION_FAILED', err.message);
    throw err;
  }
}

export class ValuationService implements ModelPriceSource {
  private readonly cache = new Map<string, ValuationReport>();
  /**
   * Approved in-kind distributions since each fund's NAV report (keyed by fund and NAV report), read
   * from the database on every fund valuation request and after an approval in this process; the fund
   * list's model price (synchronous) uses the last one read.
   */
  private readonly inKind = new Map<string, InKindSinceReport & { ids: readonly string[] }>();

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly clock: Clock,
    private readonly commands: CommandRunner,
  ) {}

  today(): string {
    return beijingDate(this.clock.now());
  }

  /** The (cached) report of a demo fund for a share; null for a fund without a demo model. */
  reportFor(fund: FundRow, nav: NavReport, share: LpShareInput): ValuationReport | null {
    if (!hasDemoModel(fund.id)) return null;
    const date = this.today();
    const inKind = this.inKind.get(`${fund.id}\n${nav.id}`);
    const key = `${fund.id}\n${nav.id}\n${date}\n${canonicalJson(share)}\n${inKind?.ids.join(',') ?? ''}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const model = demoFundModel(fund, nav, date < nav.referenceDate ? nav.referenceDate : date, inKind);
    if (!model) return null;
    const report = buildReportOr400({ model, share });
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, report);
    return report;
  }

  /** Reads the fund's approved in-kind distributions since its NAV report (after an approval, and before each fund valuation). */
  async refreshInKind(fundId: string, nav?: NavReport): Promise<void> {
    const report = nav ?? (await latestNavReport(this.handle.db, fundId));
    if (!report) return;
    this.inKind.set(`${fundId}\n${report.id}`, await inKindSinceReport(this.handle.db, fundId, report.referenceDate));
  }

  standardShare(fund: Pick<FundRow, 'totalCommitment'>, nav: Pick<NavReport, 'paidIn'>): LpShareInput {
    const paidIn = new Dec(STANDARD_COMMITMENT).times(nav.paidIn).div(fund.totalCommitment).round(2, Rounding.HALF_UP);
    return { lpId: `standard-${STANDARD_COMMITMENT}`, commitment: STANDARD_COMMITMENT, paidIn: paidIn.toFixed(2) };
  }

  /** ModelPriceSource: the model price of the standard share, as % of NAV. */
  modelPct(fund: FundRow, nav: NavReport | undefined): string | null {
    if (!nav || !hasDemoModel(fund.id)) return null;
    try {
      const report = this.reportFor(fund, nav, this.standardShare(fund, nav));
      return report ? modelPctOf(report) : null;
    } catch {
      return null; // a model price is an aid; the fund list never fails for it
    }
  }

  /** GET /api/funds/:fundId/valuation: the report for the caller's share (or the standard one), with pricing. */
  async fundValuation(principal: Principal, fundId: string, floor: FloorQuery): Promise<FundValuationView> {
    const fund = await findFund(this.handle.db, fundId);
    if (!fund) throw notFound(`fund ${fundId}`);
    const nav = await latestNavReport(this.handle.db, fundId);
    if (!nav || !hasDemoModel(fundId)) throw new AppError('NOT_FOUND', `fund ${fundId} has no valuation model (holdings) on this exchange`);
    await this.refreshInKind(fundId, nav);
    const position = await this.handle.db
      .selectFrom('positions')
      .selectAll()
      .where('fundId', '=', fundId)
      .where('orgId', '=', principal.orgId)
      .executeTakeFirst();
    const held = position && new Dec(position.commitment).gt(ZERO);
    const base: LpShareInput = held
      ? { lpId: principal.orgId, commitment: new Dec(position.commitment).toFixed(2), paidIn: new Dec(position.paidIn).toFixed(2) }
      : this.standardShare(fund, nav);
    const share: LpShareInput =
      floor.appraisalValue === undefined
        ? base
        : {
            ...base,
            stateOwned: {
              appraisalValue: floor.appraisalValue,
              appraisalBaseDate: floor.appraisalBaseDate ?? '',
              ratio: floor.ratio ?? DEFAULT_FLOOR_RATIO,
              ...(floor.approvalRef === undefined ? {} : { approvalRef: floor.approvalRef }),
            },
          };
    const report = this.reportFor(fund, nav, share)!;
    const shareBasis: ShareBasis = held
      ? { kind: 'position', description: `the caller's position: commitment ${base.commitment}, paid in ${base.paidIn}` }
      : {
          kind: 'standard',
          description:
            `a standard commitment of ${STANDARD_COMMITMENT} yuan, paid in pro rata (${base.paidIn}` +
            `); the caller holds no position in this fund`,
        };
    return { ...report, navReportId: nav.id, shareBasis, pricing: reportPricing(report) };
  }

  /** POST /api/valuations: builds the report (400 on inputs the maths refuses), then stores both in one audited command. */
  async create(principal: Principal, request: ValuationRequest, idempotencyKey: string | undefined) {
    const report = buildReportOr400(request);
    const stored = canonicalJson(report);
    const nowIso = iso(this.clock.now());
    return this.commands({ userId: principal.userId, idempotencyKey, fingerprint: ['valuation.create', request], nowIso }, async (trx) => {
      const id = `val-${randomUUID()}`;
      await trx
        .insertInto('valuations')
        .values({
          id,
          fundId: request.model.fundId,
          inputs: canonicalJson(request),
          report: stored,
          contentHash: report.contentHash.hex,
          createdBy: principal.userId,
          createdByOrg: principal.orgId,
          createdAt: nowIso,
        })
        .execute();
      await appendAudit(trx, this.handle.engine, {
        stream: orgStream(principal.orgId),
        at: nowIso,
        actorUserId: principal.userId,
        actorOrgId: principal.orgId,
        action: 'valuation.created',
        entityType: 'valuation',
        entityId: id,
        payload: { fundId: request.model.fundId, contentHash: report.contentHash.hex, holdings: request.model.holdings.length },
      });
      // The report as GET /api/valuations/:id returns it (parsed from the stored canonical JSON), so
      // the POST answer, its idempotent replay and every later GET carry byte-identical reports.
      return {
        status: 201,
        body: {
          id,
          createdBy: principal.userId,
          createdAt: nowIso,
          contentHash: report.contentHash.hex,
          report: JSON.parse(stored) as ValuationReport,
        },
      };
    });
  }

  /** GET /api/valuations/:id: for the creating organisation, operators and administrators; others get 404. */
  async get(principal: Principal, id: string) {
    const row = await this.handle.db.selectFrom('valuations').selectAll().where('id', '=', id).executeTakeFirst();
    const allowed =
      row && (row.createdByOrg === principal.orgId || principal.roles.includes('operator') || principal.roles.includes('admin'));
    if (!row || !allowed) throw notFound(`valuation ${id}`);
    return {
      id: row.id,
      createdBy: row.createdBy,
      createdAt: row.createdAt,
      contentHash: row.contentHash,
      report: JSON.parse(row.report) as ValuationReport,
    };
  }
}
