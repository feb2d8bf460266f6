/**
 * DEMO_MARKET=full (api.md, "A demo market that is already trading"): after the base seed, about 200
 * days of market made by the exchange's own services on a private clock (./demo-rig.ts) that ends
 * at the exchange's clock: completed trades of both venues in every demo fund, resting bids and asks
 * around each fund's model price, listings in disclosure, ready for (or in) bidding and awarded, and
 * transfers waiting on GP consent, review, payment and registration beside completed ones with their
 * confirmations. Deterministic: prices and sizes come from a seeded stream; ids are the services' own.
 */
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../../db/database';
import type { Config } from '../config';
import { appendAudit } from '../audit/audit-log';
import { EXCHANGE_STREAM } from '../audit/streams';
import { iso } from '../clock/clock';
import { findFund, latestNavReport } from '../funds/funds.repository';
import { Dec, HUNDRED, Rounding, type Decimal, type RoundingMode } from '../../shared/decimal';
import { navAttributable } from '../../shared/nav';
import { addCalendarDays, beijingDate, beijingInstant, type WorkingDayCalendar } from '../../shared/calendar';
import { openDemoRig, type DemoRig } from './demo-rig';
import { mulberry32 } from '../../shared/seeded-random';

const DAY_MS = 86_400_000;
/** How far back the history starts (api.md asks for at least 180 days before the clock's start). */
export const HISTORY_DAYS = 200;
const HISTORY_SEED = 20_261_206;

interface DemoFundFacts {
  id: string;
  lotSize: string;
  totalCommitment: string;
  nav: string;
  rofr: boolean;
  gpConsent: boolean;
  modelPct: Decimal;
}

/** Where a transfer the seeder opens is left: completed, or waiting at a step. */
type Stage = 'completed' | 'gp_consent_pending' | 'review_pending' | 'approval_pending' | 'payment_pending' | 'registration_pending';

/** Yuan rounded to a multiple of 10,000 (listing amounts a person would choose). */
const tenThousands = (d: Decimal, mode: RoundingMode): Decimal => d.div(TEN_THOUSAND).round(0, mode).times(TEN_THOUSAND);
const TEN_THOUSAND = new Dec('10000');

interface Step {
  at: number;
  seq: number;
  label: string;
  run: () => Promise<void>;
}

/** Actions at planned instants, played in time order (ties in planning order) on the private clock. */
class Timeline {
  private readonly steps: Step[] = [];
  add(at: number, label: string, run: () => Promise<void>): void {
    this.steps.push({ at, seq: this.steps.length, label, run });
  }
  async play(rig: DemoRig, untilMs: number): Promise<number> {
    const ordered = [...this.steps].sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const s of ordered) {
      if (s.at >= untilMs)
        throw new Error(`demo history: ${s.label} is planned at ${iso(s.at)}, not before the exchange's clock ${iso(untilMs)}`);
      await rig.moveTo(s.at);
      try {
        await s.run();
      } catch (err) {
        throw new Error(`demo history: ${s.label} at ${iso(s.at)} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return ordered.length;
  }
}

/** What the seeding did and took: wall-clock and CPU time of this process (a shared machine's wall clock says little). */
export interface DemoHistorySummary {
  actions: number;
  ms: number;
  cpuMs: number;
}

export async function seedDemoHistory(handle: DatabaseHandle, config: Config, log: Logger, startMs: number): Promise<DemoHistorySummary> {
  const began = Date.now();
  const cpu = process.cpuUsage();
  const fromMs = startMs - HISTORY_DAYS * DAY_MS;
  await qualifyEarlier(handle, fromMs, startMs);
  const rig = await openDemoRig(handle, config, log, fromMs);
  try {
    const funds = await fundFacts(handle, rig);
    const plan = new DemoPlan(rig, funds, startMs);
    plan.history();
    plan.listings();
    plan.pendingTransfers();
    plan.restingOrders();
    const actions = await plan.timeline.play(rig, startMs);
    // Up to the exchange's clock, never past it: timers due by then (a disclosure that closed) are applied.
    await rig.moveTo(startMs);
    await handle.db.transaction().execute((trx) =>
      appendAudit(trx, handle.engine, {
        stream: EXCHANGE_STREAM,
        at: iso(startMs),
        actorUserId: null,
        actorOrgId: null,
        action: 'seed.demo_history',
        entityType: 'exchange',
        entityId: 'demo',
        payload: { actions, from: iso(fromMs), until: iso(rig.clock.now()) },
      }),
    );
    const used = process.cpuUsage(cpu);
    return { actions, ms: Date.now() - began, cpuMs: Math.round((used.user + used.system) / 1000) };
  } finally {
    await rig.close();
  }
}

/**
 * The base seed qualifies the buyers 60 days before the clock's start; trades before that need the
 * record they held then. The earlier record ends where the current one begins (a renewal).
 */
async function qualifyEarlier(handle: DatabaseHandle, fromMs: number, startMs: number): Promise<void> {
  await handle.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('qualifications').selectAll().execute();
    const earlier = current.map((q) => ({
      ...q,
      id: `${q.id}-prior`,
      evidenceRef: `${q.evidenceRef}-PRIOR`,
      qualifiedAt: iso(fromMs - 30 * DAY_MS),
      expiresAt: q.qualifiedAt,
    }));
    if (earlier.length) await trx.insertInto('qualifications').values(earlier).execute();
    await appendAudit(trx, handle.engine, {
      stream: EXCHANGE_STREAM,
      at: iso(startMs),
      actorUserId: null,
      actorOrgId: null,
      action: 'seed.demo_history.prior_qualifications',
      entityType: 'exchange',
      entityId: 'demo',
      payload: { qualifications: earlier.map((q) => ({ id: q.id, orgId: q.orgId, qualifiedAt: q.qualifiedAt, expiresAt: q.expiresAt })) },
    });
  });
}

async function fundFacts(handle: DatabaseHandle, rig: DemoRig): Promise<DemoFundFacts[]> {
  const rows = await handle.db.selectFrom('funds').select('id').orderBy('vintage').orderBy('id').execute();
  const out: DemoFundFacts[] = [];
  for (const { id } of rows) {
    const fund = (await findFund(handle.db, id))!;
    const nav = await latestNavReport(handle.db, id);
    if (!nav) continue;
    const model = rig.valuations.modelPct(fund, nav);
    out.push({
      id,
      lotSize: fund.lotSize,
      totalCommitment: fund.totalCommitment,
      nav: nav.nav,
      rofr: fund.rofrEnabled === 1,
      gpConsent: fund.gpConsentRequired === 1,
      // Without a model the demo quotes around 85% of NAV, a typical S-market discount.
      modelPct: new Dec(model ?? '85.00'),
    });
  }
  return out;
}

class DemoPlan {
  readonly timeline = new Timeline();
  private readonly random = mulberry32(HISTORY_SEED);
  private readonly today: string;
  private readonly cal: WorkingDayCalendar;

  constructor(
    private readonly rig: DemoRig,
    private readonly funds: DemoFundFacts[],
    private readonly startMs: number,
  ) {
    this.today = beijingDate(startMs);
    this.cal = rig.calendar;
  }

  private fund(id: string): DemoFundFacts {
    const f = this.funds.find((x) => x.id === id);
    if (!f) throw new Error(`demo fund ${id} is missing`);
    return f;
  }

  /** The first working day on or after `days` calendar days before today. */
  private workingDayAgo(days: number): string {
    return this.cal.firstWorkingDayOnOrAfter(addCalendarDays(this.today, -days)).date;
  }

  /** The n-th working day strictly before today (n = 1: the last one). */
  private workingDaysBack(n: number): string {
    let d = this.today;
    for (let found = 0; found < n; ) {
      d = addCalendarDays(d, -1);
      if (this.cal.isWorkingDay(d)) found++;
    }
    return d;
  }

  private nextWorkingDay(date: string, n = 1): string {
    return this.cal.addWorkingDays(date, n).date;
  }

  private pct(f: DemoFundFacts, factor: number, jitter = 0): string {
    const noise = (this.random() - 0.5) * jitter;
    return f.modelPct
      .times(new Dec((factor + noise).toFixed(4)))
      .round(2, Rounding.HALF_UP)
      .toFixed(2);
  }

  private lots(f: DemoFundFacts, n: number): string {
    return new Dec(f.lotSize).times(new Dec(String(n))).toFixed(0);
  }

  /** A book trade: `seller` rests a sell, `buyer` takes it; then the transfer is taken to `stage`. */
  private bookTrade(f: DemoFundFacts, date: string, hhmm: string, pricePct: string, lots: number, buyer: string, stage: Stage): void {
    const at = beijingInstant(date, hhmm);
    const state: { transferId?: string } = {};
    const order = { fundId: f.id, pricePct, quantity: this.lots(f, lots) };
    this.timeline.add(at, `${f.id} sell ${pricePct}%`, async () => {
      await this.rig.orders.submit(this.rig.as('lp'), { ...order, side: 'sell', timeInForce: 'GTC' }, undefined);
    });
    this.timeline.add(at + 60_000, `${f.id} buy ${pricePct}%`, async () => {
      const out = await this.rig.orders.submit(this.rig.as(buyer), { ...order, side: 'buy', timeInForce: 'IOC' }, undefined);
      const trades = (out.body as { trades: { transferId: string | null }[] }).trades;
      if (trades.length !== 1 || !trades[0]!.transferId)
        throw new Error(`expected one trade with a transfer, got ${JSON.stringify(out.body)}`);
      state.transferId = trades[0]!.transferId;
    });
    this.transferTo(f, date, stage, () => state.transferId);
  }

  /** Schedules the transfer's actions, one working day apart from the day after `tradeDate`, up to `stage`. */
  private transferTo(
    f: DemoFundFacts,
    tradeDate: string,
    stage: Stage,
    transferId: () => string | undefined,
    stateOwnedSeller = false,
  ): string {
    const ref = tradeDate.replaceAll('-', '');
    // A state-owned party's transfer records its state-owned equity registration too.
    const stateEquity: Record<string, string> = stateOwnedSeller ? { stateEquityRef: `SOE-EQ-${ref}` } : {};
    // Each action with the state the transfer waits in until it is taken.
    const steps: [Exclude<Stage, 'completed'>, string, Record<string, string>][] = [
      ['gp_consent_pending', 'gp', { action: 'gp_consent' }],
      ['review_pending', 'operator1', { action: 'review' }],
      ['approval_pending', 'operator2', { action: 'approve' }],
      ['payment_pending', 'operator1', { action: 'confirm_payment', bankRef: `DEMO-PAY-${f.id.toUpperCase()}-${ref}` }],
      [
        'registration_pending',
        'operator2',
        { action: 'record_registration', registrationRef: `SAMR-DEMO-${ref}`, amacRef: 'AMAC-DEMO', ...stateEquity },
      ],
    ];
    // A holder's right of first refusal lapses after its 30-day window (the scheduler closes it).
    let day = f.rofr ? this.cal.firstWorkingDayOnOrAfter(addCalendarDays(tradeDate, 32)).date : tradeDate;
    for (const [waitingAt, user, command] of steps) {
      if (waitingAt === stage) return day;
      if (waitingAt === 'gp_consent_pending' && !f.gpConsent) continue;
      day = this.nextWorkingDay(day);
      this.timeline.add(beijingInstant(day, '10:30'), `${f.id} transfer ${command.action}`, async () => {
        const id = transferId();
        if (!id) throw new Error('the trade opened no transfer');
        await this.rig.transfers.act(this.rig.as(user), id, command as never, undefined);
      });
    }
    return day;
  }

  /** Completed book trades in every fund, spread over the history, each transfer taken to completion. */
  history(): void {
    const buyers = ['buyer1', 'buyer2'];
    this.funds.forEach((f, i) => {
      for (let k = 0; k < 4; k++) {
        const date = this.workingDayAgo(HISTORY_DAYS - 2 - k * 38 - i * 2);
        // The discount narrows over the half-year, with noise.
        const price = this.pct(f, 0.9 + k * 0.025, 0.04);
        this.bookTrade(f, date, `10:${String(10 + i * 7).padStart(2, '0')}`, price, 1 + (k % 2), buyers[(i + k) % 2]!, 'completed');
      }
    });
  }

  /** Transfers from the last working days, left waiting at each step. */
  pendingTransfers(): void {
    const pending: [string, number, string, number, string, Stage][] = [
      ['bj-space-2023', 1, '10:15', 0.98, 'buyer1', 'gp_consent_pending'],
      ['bj-bio-2020', 1, '10:25', 0.97, 'buyer2', 'review_pending'],
      ['bj-sci-fof-2022', 4, '10:35', 0.99, 'buyer1', 'payment_pending'],
      ['bj-ai-2021', 6, '10:45', 1.0, 'buyer2', 'registration_pending'],
    ];
    for (const [fundId, daysBack, hhmm, factor, buyer, stage] of pending) {
      const f = this.fund(fundId);
      this.bookTrade(f, this.workingDaysBack(daysBack), hhmm, this.pct(f, factor), 1, buyer, stage);
    }
  }

  /** Resting bids and asks around each fund's model price, placed on the last working day. */
  restingOrders(): void {
    const date = this.workingDaysBack(1);
    this.funds.forEach((f, i) => {
      const at = beijingInstant(date, '14:00') + i * 5 * 60_000;
      const quotes: [string, 'buy' | 'sell', number, number][] = [
        ['lp', 'sell', 1.03, 1],
        ['lp', 'sell', 1.06, 2],
        ['buyer1', 'buy', 0.97, 1],
        ['buyer2', 'buy', 0.95, 2],
      ];
      quotes.forEach(([user, side, factor, lots], j) => {
        const pricePct = this.pct(f, factor);
        this.timeline.add(at + j * 30_000, `${f.id} resting ${side} ${pricePct}%`, async () => {
          await this.rig.orders.submit(
            this.rig.as(user),
            { fundId: f.id, side, pricePct, quantity: this.lots(f, lots), timeInForce: 'GTC' },
            undefined,
          );
        });
      });
    });
  }

  /**
   * State-owned listings: one awarded and completed, one awarded in the last days and paid by instalments (the
   * first paid, the rest due), one ready for bidding, one in disclosure.
   */
  listings(): void {
    this.listing('bj-sci-fof-2022', '50000000', this.approvalFor(this.workingDayAgo(95)), 'completed');
    this.listing('bj-ai-2021', '30000000', this.approvalFor(this.workingDaysBack(6)), 'payment_pending', { interestRatePct: '3.45' });
    this.listing('bj-space-2023', '20000000', this.approvalFor(this.workingDaysBack(1)), 'ready');
    this.listing('bj-ic-2019', '40000000', this.workingDaysBack(3), 'disclosure');
  }

  /** The working day whose 20-working-day disclosure (counting it as day 1) ends on `end`. */
  private approvalFor(end: string): string {
    for (let back = 19; back < 60; back++) {
      const approval = addCalendarDays(end, -back);
      if (this.cal.isWorkingDay(approval) && this.cal.nthWorkingDay(approval, 20).date === end) return approval;
    }
    throw new Error(`no approval date ends a disclosure on ${end}`);
  }

  /** Adds a step only when it falls before the exchange's clock (a bid the clock has not reached yet is not made). */
  private addBeforeStart(at: number, label: string, run: () => Promise<void>): void {
    if (at < this.startMs) this.timeline.add(at, label, run);
  }

  private listing(
    fundId: string,
    quantity: string,
    approvalDate: string,
    until: 'disclosure' | 'ready' | Stage,
    instalments?: { interestRatePct: string },
  ): void {
    const f = this.fund(fundId);
    const nav = navAttributable(new Dec(f.nav), new Dec(f.totalCommitment), new Dec(quantity));
    const ask = tenThousands(nav.times(f.modelPct).div(HUNDRED), Rounding.UP);
    const yuan = (d: Decimal) => d.toFixed(2);
    const body = {
      fundId,
      quantity,
      method: 'auction',
      askPrice: yuan(ask),
      increment: yuan(tenThousands(ask.div(new Dec('200')), Rounding.UP)),
      depositAmount: yuan(tenThousands(ask.div(new Dec('10')), Rounding.DOWN)),
      buyerConditions: ['合格投资者 / A qualified investor'],
      stateOwned: {
        resolutionRef: `SOE-RES-${approvalDate.slice(0, 4)}-${fundId.toUpperCase()}`,
        approvalRef: `SASAC-BJ-${approvalDate.replaceAll('-', '')}`,
        appraisalRef: `APR-${approvalDate.replaceAll('-', '')}`,
        appraisalValue: yuan(ask),
        appraisalBaseDate: addCalendarDays(approvalDate, -45),
      },
      ...(instalments ? { instalments: { allowed: true, ...instalments } } : {}),
    };
    const s: { id?: string; transferId?: string } = {};
    const id = () => s.id!;
    const act = (user: string, command: Record<string, string>) => async () => {
      await this.rig.listings.act(this.rig.as(user), id(), command, undefined);
    };
    const at = (date: string, hhmm: string) => beijingInstant(date, hhmm);
    this.timeline.add(at(approvalDate, '09:00'), `${fundId} listing create`, async () => {
      s.id = ((await this.rig.listings.create(this.rig.as('lp-soe'), body, undefined)).body as { id: string }).id;
    });
    this.timeline.add(at(approvalDate, '09:10'), `${fundId} listing submit`, act('lp-soe', { action: 'submit' }));
    this.timeline.add(at(approvalDate, '09:20'), `${fundId} listing review`, act('operator1', { action: 'review' }));
    this.timeline.add(at(approvalDate, '09:30'), `${fundId} listing approve`, act('operator2', { action: 'approve' }));
    const registration = this.nextWorkingDay(approvalDate);
    if (registration >= this.today) return;
    const bidders = until === 'disclosure' ? ['buyer1'] : ['buyer1', 'buyer2'];
    bidders.forEach((buyer, i) => {
      const orgId = `org-${buyer}`;
      this.timeline.add(at(registration, `10:0${i}`), `${fundId} listing register ${buyer}`, async () => {
        await this.rig.listings.register(this.rig.as(buyer), id(), undefined);
      });
      this.timeline.add(at(registration, `11:0${i}`), `${fundId} listing qualify ${buyer}`, act('operator1', { action: 'qualify', orgId }));
      // The qualification handshake: the state-owned transferor agrees to the exchange's opinion before the deposit falls due.
      this.timeline.add(
        at(registration, `11:1${i}`),
        `${fundId} listing transferor agrees to ${buyer}`,
        act('lp-soe', { action: 'seller_answer', orgId, answer: 'agree' }),
      );
      this.timeline.add(
        at(registration, `11:3${i}`),
        `${fundId} listing deposit ${buyer}`,
        act('operator2', {
          action: 'confirm_deposit',
          orgId,
          bankRef: `DEMO-DEP-${buyer.toUpperCase()}-${registration.replaceAll('-', '')}`,
        }),
      );
    });
    if (until === 'disclosure') {
      // A second registrant whose opinion waits for the transferor's answer: the handshake shows on the desk.
      this.timeline.add(at(registration, '10:05'), `${fundId} listing register buyer2`, async () => {
        await this.rig.listings.register(this.rig.as('buyer2'), id(), undefined);
      });
      this.timeline.add(
        at(registration, '11:05'),
        `${fundId} listing qualify buyer2`,
        act('operator1', { action: 'qualify', orgId: 'org-buyer2' }),
      );
      return;
    }
    // Everything settled during disclosure, so the listing closes at its end straight into bidding.
    // Bidding opens at 10:00 on the first working day after disclosure: free bidding for an hour, then a 5-minute countdown.
    const end = this.cal.nthWorkingDay(approvalDate, 20).date;
    const biddingDay = this.nextWorkingDay(end);
    const increment = new Dec(body.increment);
    const bids: [string, string, number][] = [
      ['10:10', 'buyer1', 0],
      ['10:20', 'buyer2', 1],
      ['10:40', 'buyer1', 2],
    ];
    for (const [hhmm, buyer, steps] of bids) {
      this.addBeforeStart(at(biddingDay, hhmm), `${fundId} listing bid ${buyer}`, async () => {
        await this.rig.listings.bid(this.rig.as(buyer), id(), yuan(ask.plus(increment.times(new Dec(String(steps))))), undefined);
      });
    }
    if (until === 'ready') return;
    this.timeline.add(at(biddingDay, '14:00'), `${fundId} listing award`, async () => {
      // Four eyes: one operator awards, another confirms (the trade and its transfer open then).
      await this.rig.listings.act(this.rig.as('operator1'), id(), { action: 'award' }, undefined);
      await this.rig.listings.act(this.rig.as('operator2'), id(), { action: 'confirm_award' }, undefined);
      s.transferId = await this.rig.transferOfListing(id());
    });
    // The contract is signed by the seller and the winner (the highest bid) before the transfer's review.
    const [, winner, steps] = bids.reduce((best, b) => (b[2] > best[2] ? b : best));
    const transferId = () => {
      if (!s.transferId) throw new Error('the award opened no transfer');
      return s.transferId;
    };
    const dealPrice = ask.plus(increment.times(new Dec(String(steps))));
    if (instalments) {
      // Before signing, the winner chooses instalments: 40% within the rule's working days, the rest at 6 and 12 months.
      const first = tenThousands(dealPrice.times(new Dec('0.4')), Rounding.UP);
      const second = tenThousands(dealPrice.minus(first).div(new Dec('2')), Rounding.DOWN);
      const plan = {
        action: 'choose_payment',
        method: 'instalments',
        guaranteeRef: `DEMO-LG-${fundId.toUpperCase()}`,
        instalments: [
          { amount: yuan(first) },
          { amount: yuan(second), monthsAfterContract: 6 },
          { amount: yuan(dealPrice.minus(first).minus(second)), monthsAfterContract: 12 },
        ],
      };
      this.timeline.add(at(biddingDay, '14:50'), `${fundId} ${winner} chooses instalments`, async () => {
        await this.rig.transfers.act(this.rig.as(winner), transferId(), plan as never, undefined);
      });
    }
    for (const [hhmm, user] of [
      ['15:00', 'lp-soe'],
      ['15:10', winner],
    ] as const) {
      this.timeline.add(at(biddingDay, hhmm), `${fundId} contract signed by ${user}`, async () => {
        await this.rig.transfers.act(this.rig.as(user), transferId(), { action: 'sign' } as never, undefined);
      });
    }
    const approved = this.transferTo(f, biddingDay, until, () => s.transferId, true);
    if (!instalments || until !== 'payment_pending') return;
    // The first instalment reaches escrow the next working day: one operator records it, another confirms it.
    const paid = this.nextWorkingDay(approved);
    const bankRef = `DEMO-INST-1-${paid.replaceAll('-', '')}`;
    for (const [hhmm, user] of [
      ['10:30', 'operator1'],
      ['10:40', 'operator2'],
    ] as const)
      this.timeline.add(at(paid, hhmm), `${fundId} instalment 1 by ${user}`, async () => {
        await this.rig.transfers.act(
          this.rig.as(user),
          transferId(),
          { action: 'confirm_payment', instalment: 1, bankRef } as never,
          undefined,
        );
      });
  }
}
