/**
 * The transfer workflow over the database: reads for its viewers, user actions and the time-driven
 * tick. Each change runs in ONE transaction: the transfer's advisory lock, the pure `decide`, the new
 * version written with its optimistic check, the events applied to the ledgers and positions, the
 * confirmation issued when due, and the audit entry (user actions also hold their Idempotency-Key).
 */
import type { Logger } from 'pino';
import type { WorkingDayCalendar } from '../../shared/calendar';
import type { DatabaseHandle, Tx } from '../../db/database';
import { appendAudit } from '../audit/audit-log';
import { fundStream } from '../audit/streams';
import type { Principal } from '../auth/tokens';
import { iso, type Clock } from '../clock/clock';
import type { CommandRunner } from '../commands';
import { refusal } from '../i18n/refusal';
import { AppError, notFound } from '../commands/errors';
import { unsupportedCharacters } from '../pdf';
import {
  TERMINAL_STATES,
  TRANSFER_ERROR_CODES,
  canView,
  decide,
  nextTickAt,
  recomputeProvisionalDeadline,
  tickTransfer,
  type Accepted,
  type Actor,
  type DecideContext,
  type Transfer,
  type TransferCommand,
  type TransferErrorCode,
  type TransferState,
  type UserAction,
} from './domain';
import { findTransfer, parseTransfer, updateTransfer } from './transfers.repository';
import { eligibilityFacts, sellerPositionOf } from './transfers.facts';
import { applyTransferEvents } from './transfers.effects';
import type { EscrowAccount } from './money';
import { actorOf, lookupsFor, toTransferView, type TransferView } from './transfers.views';
import type { ConfirmationIssuer, PreparedConfirmation } from './confirmation/issuer';
import { fundLock, lockInOrder, transferLock } from '../commands/locks';
import { retryOnConflict } from '../commands/retry';

export type UserCommand = Extract<TransferCommand, { action: UserAction }>;

export interface TransfersDeps {
  handle: DatabaseHandle;
  clock: Clock;
  calendar: WorkingDayCalendar;
  commands: CommandRunner;
  issuer: ConfirmationIssuer;
  log?: Logger;
  /** Shown with each buyer's amount due (config ESCROW_*); the demo account when absent. */
  escrowAccount?: EscrowAccount;
}

export type OperatorQueueName = 'review' | 'approval' | 'payment' | 'registration';
export interface ListQuery {
  state?: TransferState | undefined;
  queue?: OperatorQueueName | undefined;
}

/** How often (exchange clock) the scheduler looks for newly opened transfers' deadlines. */
const SCAN_INTERVAL_MS = 60_000;
const TICK_BATCH = 200;
const LIST_LIMIT = 500;

/** The fields of a user command that the transfer confirmation prints. */
const PRINTED_FIELDS = ['bankRef', 'registrationRef', 'amacRef', 'stateEquityRef', 'guaranteeRef'] as const;

/**
 * Why the confirmation could not print a reference this command enters (a character its font lacks), or
 * null. Checked when the reference is entered, as listings check the appraisal reference: accepted, it would
 * make every later record_registration fail to issue the confirmation until the deadline failed the transfer.
 * The font is read from disk, so this is not the pure domain's check (it refuses control characters itself).
 */
export function unprintableReference(command: UserCommand): string | null {
  for (const field of PRINTED_FIELDS) {
    const value: unknown = (command as Partial<Record<(typeof PRINTED_FIELDS)[number], unknown>>)[field];
    const missing = typeof value === 'string' ? unsupportedCharacters(value) : [];
    if (missing.length) {
      const list = missing.map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
      return `${field}: characters the transfer confirmation cannot print: ${list.join(', ')}`;
    }
  }
  return null;
}

/** True for the rule codes, which the domain checks after VALIDATION_FAILED (results.ts). */
const checkedAfterValidation = (code: TransferErrorCode) =>
  TRANSFER_ERROR_CODES.indexOf(code) > TRANSFER_ERROR_CODES.indexOf('VALIDATION_FAILED');

export class TransfersService {
  private earliestDueMs: number | null = null;
  private lastScanMs = -Infinity;

  constructor(private readonly d: TransfersDeps) {}

  private get db() {
    return this.d.handle.db;
  }

  async get(principal: Principal, transferId: string): Promise<TransferView> {
    const actor = actorOf(principal);
    const t = await findTransfer(this.db, transferId);
    if (!t || !canView(t, actor)) throw notFound(`transfer ${transferId}`);
    return toTransferView(t, actor, await lookupsFor(this.db, [t], this.d.escrowAccount));
  }

  /**
   * Operators: their work queue (open transfers, or one state or queue), oldest deadline first.
   * Everyone else: the transfers their organisation may see (as a party, the fund's GP, or an LP
   * while its ROFR is open), newest first.
   */
  async list(principal: Principal, q: ListQuery): Promise<TransferView[]> {
    const actor = actorOf(principal);
    const transfers = actor.roles.includes('operator') ? await this.operatorRows(q) : await this.visibleRows(actor, q);
    const lookups = await lookupsFor(this.db, transfers, this.d.escrowAccount);
    return transfers.map((t) => toTransferView(t, actor, lookups));
  }

  private stateOf = (q: ListQuery) => (q.queue ? (`${q.queue}_pending` as TransferState) : q.state);

  /**
   * Ordered in SQL before the limit, so that with more than LIST_LIMIT open transfers the most urgent are
   * the ones shown: next deadline (`nextDeadlineAt`, the same instant as `nextTickAt`) first, then the
   * longest waiting. Ended transfers have no deadline (null, which SQLite sorts first and PostgreSQL last
   * unless told: `nulls last` says it for both); a list of them shows the newest, as before.
   */
  private async operatorRows(q: ListQuery): Promise<Transfer[]> {
    const state = this.stateOf(q);
    let query = this.db.selectFrom('transfers').select('data');
    query = state ? query.where('state', '=', state) : query.where('state', 'not in', [...TERMINAL_STATES]);
    const opened = state && TERMINAL_STATES.includes(state) ? 'desc' : 'asc';
    const rows = await query
      .orderBy('nextDeadlineAt', (ob) => ob.asc().nullsLast())
      .orderBy('openedAt', opened)
      .orderBy('id', opened)
      .limit(LIST_LIMIT)
      .execute();
    return rows.map((r) => parseTransfer(r.data));
  }

  /**
   * A non-operator's transfers, newest first, up to LIST_LIMIT of those it may see. The SQL narrows to
   * a superset (party, GP, or LP of a fund with ROFR); `canView` decides (an LP sees a transfer only
   * while its ROFR is open or once it is a final buyer). The superset is read page by page (keyset on
   * openedAt, id) until LIST_LIMIT visible ones are found, so rows `canView` drops never hide later ones.
   */
  private async visibleRows(actor: Actor, q: ListQuery): Promise<Transfer[]> {
    const org = actor.orgId;
    const state = this.stateOf(q);
    const out: Transfer[] = [];
    let after: { openedAt: string; id: string } | null = null;
    for (;;) {
      let query = this.db
        .selectFrom('transfers')
        .select(['id', 'openedAt', 'data'])
        .where((eb) =>
          eb.or([
            eb('sellerOrgId', '=', org),
            eb('buyerOrgId', '=', org),
            eb('fundId', 'in', eb.selectFrom('funds').select('id').where('managerOrgId', '=', org)),
            // ROFR holders and exercisers: LPs of funds whose agreement grants the right.
            eb(
              'fundId',
              'in',
              eb
                .selectFrom('positions')
                .innerJoin('funds', 'funds.id', 'positions.fundId')
                .select('positions.fundId')
                .where('positions.orgId', '=', org)
                .where('funds.rofrEnabled', '=', 1),
            ),
          ]),
        );
      if (state) query = query.where('state', '=', state);
      const cursor = after;
      if (cursor)
        query = query.where((eb) =>
          eb.or([eb('openedAt', '<', cursor.openedAt), eb.and([eb('openedAt', '=', cursor.openedAt), eb('id', '<', cursor.id)])]),
        );
      const rows = await query.orderBy('openedAt', 'desc').orderBy('id', 'desc').limit(LIST_LIMIT).execute();
      for (const r of rows) {
        const t = parseTransfer(r.data);
        if (canView(t, actor)) out.push(t);
        if (out.length >= LIST_LIMIT) return out;
      }
      const last = rows[rows.length - 1];
      if (rows.length < LIST_LIMIT || !last) return out;
      after = { openedAt: last.openedAt, id: last.id };
    }
  }

  /** A user action (api.md POST /api/transfers/:transferId/actions), idempotent, in one transaction with its audit entry. */
  async act(principal: Principal, transferId: string, command: UserCommand, idempotencyKey: string | undefined) {
    const actor = actorOf(principal);
    const nowIso = iso(this.d.clock.now());
    const unprintable = unprintableReference(command);
    // No confirmation to prepare for a registration that will be refused.
    const prepared =
      command.action === 'record_registration' && !unprintable ? await this.prepareConfirmation(transferId, command, actor, nowIso) : null;
    let changed = null as Transfer | null;
    const out = await this.d.commands(
      { userId: principal.userId, idempotencyKey, fingerprint: ['transfer.action', transferId, command], nowIso },
      async (trx) => {
        await lockInOrder(this.d.handle.engine, trx, transferLock(transferId));
        const t = await findTransfer(trx, transferId);
        if (!t || !canView(t, actor)) throw notFound(`transfer ${transferId}`);
        // The fund lock before the facts are read (the seller's position for registration, the holders for
        // review), so that no order on the fund's book changes them between this read and the write.
        // Lock order: transfer → fund → audit (commit takes the fund lock again: advisory locks re-enter).
        await lockInOrder(this.d.handle.engine, trx, fundLock(t.fundId));
        const r = decide(t, command, await this.contextFor(trx, t, command, actor, nowIso));
        // In the domain's order of refusals: a caller who may not act, or not now, learns that first.
        if (unprintable && (r.ok || checkedAfterValidation(r.code))) throw new AppError('VALIDATION_FAILED', unprintable);
        if (!r.ok) throw refusal(r.code, r.detail, r.params);
        changed = await this.commit(trx, t, r, { userId: principal.userId, orgId: principal.orgId }, command, nowIso, prepared);
        return { status: 200, body: toTransferView(changed, actor, await lookupsFor(trx, [changed], this.d.escrowAccount)) };
      },
    );
    if (changed) this.noteNextTick(changed);
    return out;
  }

  private async contextFor(trx: Tx, t: Transfer, command: UserCommand, actor: Actor, nowIso: string): Promise<DecideContext> {
    const ctx: DecideContext = { actor, now: nowIso, calendar: this.d.calendar };
    if (command.action === 'review' && t.state === 'review_pending') return { ...ctx, eligibility: await eligibilityFacts(trx, t, nowIso) };
    if (command.action === 'record_registration' && t.state === 'registration_pending')
      return { ...ctx, sellerPosition: await sellerPositionOf(trx, t) };
    return ctx;
  }

  /** Decides the registration once outside the transaction and, if it would complete the transfer, renders its confirmation. */
  private async prepareConfirmation(
    transferId: string,
    command: UserCommand,
    actor: Actor,
    nowIso: string,
  ): Promise<PreparedConfirmation | null> {
    try {
      const t = await findTransfer(this.db, transferId);
      if (!t || !canView(t, actor) || t.state !== 'registration_pending') return null;
      const r = decide(t, command, { actor, now: nowIso, calendar: this.d.calendar, sellerPosition: await sellerPositionOf(this.db, t) });
      if (!r.ok || !r.events.some((e) => e.type === 'confirmation_due')) return null;
      return await this.d.issuer.prepare(this.db, r.transfer, r.events, nowIso);
    } catch {
      return null;
    }
  }

  /** Writes the accepted result: new version, ledger effects, confirmation, audit entry. */
  private async commit(
    trx: Tx,
    before: Transfer,
    r: Accepted,
    by: { userId: string; orgId: string } | null,
    command: TransferCommand,
    nowIso: string,
    prepared: PreparedConfirmation | null,
  ): Promise<Transfer> {
    const t = r.transfer;
    // The same lock as an order on the fund's book before any row is written (it also guards the fund's
    // audit stream), so a transfer's position updates queue behind the book's instead of crossing them. A
    // user action holds the fund lock already (taken in `act` before reading facts); taking it again is a no-op.
    await lockInOrder(this.d.handle.engine, trx, fundLock(t.fundId));
    if (!(await updateTransfer(trx, t, before.version)))
      throw new AppError('CONFLICT', `transfer ${t.id} was changed concurrently; read it again`);
    const { confirmationDue } = await applyTransferEvents(trx, t, r.events, nowIso, this.d.calendar);
    const confirmation = confirmationDue ? await this.d.issuer.issue(trx, t, r.events, nowIso, prepared) : null;
    await appendAudit(trx, this.d.handle.engine, {
      stream: fundStream(t.fundId),
      at: nowIso,
      actorUserId: by?.userId ?? null,
      actorOrgId: by?.orgId ?? null,
      action: `transfer.${command.action}`,
      entityType: 'transfer',
      entityId: t.id,
      payload: {
        command,
        from: before.state,
        to: t.state,
        version: t.version,
        events: r.events.map((e) => e.type),
        ...(confirmation ? { confirmation: { number: confirmation.number, sha256: confirmation.sha256 } } : {}),
      },
    });
    return t;
  }

  // ---- calendar --------------------------------------------------------------------------------------

  /**
   * Takes the locks of the open transfers whose provisional deadlines `official` changes, before any other
   * lock of the approval's transaction (transfers rank first in lockInOrder: the listings' fund locks and
   * the audit entries come after); returns their ids. Each is read again under its lock.
   */
  async lockProvisionalDeadlines(trx: Tx, official: WorkingDayCalendar, nowIso: string): Promise<string[]> {
    const open = await trx
      .selectFrom('transfers')
      .select(['id', 'data'])
      .where('state', 'not in', [...TERMINAL_STATES])
      .orderBy('id')
      .execute();
    const affected = open.filter((r) => recomputeProvisionalDeadline(parseTransfer(r.data), nowIso, official) !== null).map((r) => r.id);
    // Then every fund's lock (each guards its fund's audit stream): the listings' and transfers' recomputes
    // that follow write to the streams of any fund, and a fund lock taken after a later one breaks the
    // order. Approving a calendar year is rare (once a year), so holding every fund for it costs little.
    const funds = await trx.selectFrom('funds').select('id').execute();
    await lockInOrder(this.d.handle.engine, trx, ...affected.map(transferLock), ...funds.map((f) => fundLock(f.id)));
    return affected;
  }

  /**
   * An operator approved the official schedule of `year` (CalendarService.onYearApproved): in the
   * approval's transaction, every open transfer whose pending step has a provisional deadline gets it
   * worked out again with `official`, the calendar including that year (domain: recomputeProvisionalDeadline),
   * each change with its own audit entry by the approver; `nextDeadlineAt`, which the scheduler reads,
   * follows. Returns how many transfers changed.
   */
  async recomputeProvisionalDeadlines(
    trx: Tx,
    official: WorkingDayCalendar,
    year: number,
    by: { userId: string; orgId: string },
    nowIso: string,
  ): Promise<number> {
    // The lock order of every transfer command (transfer, then the audit chain): all the transfers' locks
    // before the first audit entry, never one after it (already held when lockProvisionalDeadlines ran first).
    const affected = await this.lockProvisionalDeadlines(trx, official, nowIso);
    let changed = 0;
    for (const transferId of affected) {
      const before = await findTransfer(trx, transferId);
      const r = before ? recomputeProvisionalDeadline(before, nowIso, official) : null;
      if (!before || !r) continue;
      if (!(await updateTransfer(trx, r.transfer, before.version)))
        throw new AppError('CONFLICT', `transfer ${transferId} was changed concurrently; approve again`);
      await appendAudit(trx, this.d.handle.engine, {
        stream: fundStream(before.fundId),
        at: nowIso,
        actorUserId: by.userId,
        actorOrgId: by.orgId,
        action: 'transfer.recompute_deadline',
        entityType: 'transfer',
        entityId: transferId,
        payload: { calendarYear: year, step: r.change.step, from: r.change.from, to: r.change.to, version: r.transfer.version },
      });
      // Before the commit: should it roll back, the scheduler only looks once too early.
      this.noteNextTick(r.transfer);
      changed++;
    }
    return changed;
  }

  // ---- time-driven -------------------------------------------------------------------------------

  /** For the Scheduler: the earliest known tick, or the next periodic scan for transfers opened meanwhile. */
  nextTickAtMs(): number | null {
    const scan = this.lastScanMs + SCAN_INTERVAL_MS;
    return this.earliestDueMs === null ? scan : Math.min(this.earliestDueMs, scan);
  }

  private noteNextTick(t: Transfer): void {
    const at = nextTickAt(t);
    if (at !== null) this.earliestDueMs = Math.min(this.earliestDueMs ?? Infinity, Date.parse(at));
  }

  /**
   * Applies `tickTransfer` to every transfer whose next tick (ROFR close, missed deadline) is due by the
   * exchange's clock, each in its own transaction with its effects and audit entry. Idempotent: a
   * transfer ticked already (here or by another process) has moved its next tick on.
   */
  async tickDueTransfers(): Promise<void> {
    const nowMs = this.d.clock.now();
    const nowIso = iso(nowMs);
    const failures: string[] = [];
    try {
      for (;;) {
        const due = await this.db
          .selectFrom('transfers')
          .select('id')
          .where('nextDeadlineAt', '<=', nowIso)
          .where('state', 'not in', [...TERMINAL_STATES])
          .orderBy('nextDeadlineAt')
          .limit(TICK_BATCH)
          .execute();
        let progressed = 0;
        for (const { id } of due) {
          try {
            if (await retryOnConflict(this.d.handle.engine, () => this.db.transaction().execute((trx) => this.tickOne(trx, id, nowIso))))
              progressed++;
          } catch (err) {
            failures.push(`${id}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        if (due.length < TICK_BATCH || progressed === 0) break;
      }
    } finally {
      this.lastScanMs = nowMs;
      const next = await this.db
        .selectFrom('transfers')
        .select((eb) => eb.fn.min('nextDeadlineAt').as('at'))
        .where('state', 'not in', [...TERMINAL_STATES])
        .executeTakeFirst();
      this.earliestDueMs = next?.at ? Date.parse(String(next.at)) : null;
    }
    if (failures.length) throw new Error(`transfer ticks failed: ${failures.join('; ')}`);
  }

  private async tickOne(trx: Tx, transferId: string, nowIso: string): Promise<boolean> {
    await lockInOrder(this.d.handle.engine, trx, transferLock(transferId));
    const t = await findTransfer(trx, transferId);
    if (!t) return false;
    const r = tickTransfer(t, nowIso, this.d.calendar);
    if (!r.ok) throw new Error(`tick refused: ${r.code} ${r.detail}`);
    if (r.events.length === 0) return false;
    await this.commit(trx, t, r, null, { action: 'tick' }, nowIso, null);
    this.d.log?.info({ transferId, from: t.state, to: r.transfer.state }, 'transfer ticked');
    return true;
  }
}

/** The exported entry point for the lead's Scheduler wiring (see server/app.ts). */
export const tickDueTransfers = (service: TransfersService) => service.tickDueTransfers();
