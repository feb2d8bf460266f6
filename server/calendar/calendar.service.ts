/**
 * The working-day calendar as data: the built-in official years plus the years operators loaded.
 * Four eyes: one operator proposes a year's schedule, a different one approves it, and only then does
 * it count (its holidays move every deadline on the calendar: disclosure periods, transfer steps).
 * Every process picks approved years up from the database (`refresh`), not only the one that approved.
 */
import { OFFICIAL_SCHEDULES, WorkingDayCalendar, type YearSchedule } from '../../shared/calendar';
import type { Db, DbEngine, Tx } from '../../db/database';
import { AppError } from '../commands/errors';
import { appendAudit } from '../audit/audit-log';
import { EXCHANGE_STREAM } from '../audit/streams';
import { sha256Hex } from '../sha256';
import type { Principal } from '../auth/tokens';
import type { CommandOutcome } from '../commands';

/** SHA-256 of a proposal's schedule as stored: what an approver reviewed. */
export function scheduleHash(storedSchedule: string): string {
  return sha256Hex(storedSchedule);
}

export async function loadCalendar(db: Db): Promise<WorkingDayCalendar> {
  const cal = new WorkingDayCalendar(OFFICIAL_SCHEDULES);
  await loadApprovedYears(db, cal);
  return cal;
}

/** Adds approved years the calendar does not have yet; returns how many. */
async function loadApprovedYears(db: Db | Tx, cal: WorkingDayCalendar): Promise<number> {
  const rows = await db
    .selectFrom('calendarYears')
    .select(['year', 'schedule'])
    .where('approvedBy', 'is not', null)
    .orderBy('year')
    .execute();
  let added = 0;
  for (const r of rows) {
    if (cal.loadedYears().includes(r.year)) continue;
    cal.load(JSON.parse(r.schedule) as YearSchedule);
    added++;
  }
  return added;
}

/**
 * Told of an approval in its transaction, with the calendar as it stands once the approval commits
 * (e.g. the transfers recompute their provisional deadlines): what it writes commits or rolls back with it.
 */
export type YearApprovedListener = (
  trx: Tx,
  approved: { year: number; calendar: WorkingDayCalendar; by: Principal; nowIso: string },
) => Promise<void>;

export class CalendarService {
  private readonly approvedListeners: YearApprovedListener[] = [];

  constructor(
    readonly calendar: WorkingDayCalendar,
    private readonly db: Db,
    private readonly engine: DbEngine,
  ) {}

  onYearApproved(listener: YearApprovedListener): void {
    this.approvedListeners.push(listener);
  }

  years() {
    return this.calendar.loadedYears();
  }

  /** Proposals awaiting approval, each with the hash of its schedule: the approver names the schedule it reviewed by it. */
  async pending(): Promise<{ year: number; proposedBy: string; proposedAt: string; scheduleHash: string; schedule: YearSchedule }[]> {
    const rows = await this.db
      .selectFrom('calendarYears')
      .select(['year', 'schedule', 'loadedBy', 'loadedAt'])
      .where('approvedBy', 'is', null)
      .orderBy('year')
      .execute();
    return rows.map((r) => ({
      year: r.year,
      proposedBy: r.loadedBy,
      proposedAt: r.loadedAt,
      scheduleHash: scheduleHash(r.schedule),
      schedule: JSON.parse(r.schedule) as YearSchedule,
    }));
  }

  /** Brings the in-memory calendar up to the approved years in the database (after an approval; periodically for other processes). */
  refresh(): Promise<number> {
    return loadApprovedYears(this.db, this.calendar);
  }

  /** Proposes a new year's official schedule (in the caller's transaction); it counts once another operator approves it. */
  async proposeYear(trx: Tx, who: Principal, schedule: YearSchedule, nowIso: string): Promise<CommandOutcome> {
    const problem = WorkingDayCalendar.validateProposal(schedule);
    if (problem) throw new AppError('VALIDATION_FAILED', `body: ${problem}`, { field: 'body' });
    if (this.calendar.loadedYears().includes(schedule.year)) throw new AppError('CONFLICT', `${schedule.year} is already loaded`);
    const existing = await trx.selectFrom('calendarYears').select(['approvedBy']).where('year', '=', schedule.year).executeTakeFirst();
    if (existing)
      throw new AppError(
        'CONFLICT',
        existing.approvedBy ? `${schedule.year} is already loaded` : `a schedule for ${schedule.year} already awaits approval`,
      );
    await trx
      .insertInto('calendarYears')
      .values({
        year: schedule.year,
        schedule: JSON.stringify(schedule),
        loadedBy: who.userId,
        loadedAt: nowIso,
        approvedBy: null,
        approvedAt: null,
      })
      .execute();
    await appendAudit(trx, this.engine, {
      stream: EXCHANGE_STREAM,
      at: nowIso,
      actorUserId: who.userId,
      actorOrgId: who.orgId,
      action: 'calendar.propose_year',
      entityType: 'calendar',
      entityId: String(schedule.year),
      payload: schedule,
    });
    return { status: 202, body: { year: schedule.year, status: 'pending_approval', proposedBy: who.userId } };
  }

  /**
   * A second operator approves the proposed schedule it reviewed (named by its hash: a proposal
   * withdrawn and made again differently meanwhile is not approved); the caller refreshes the calendar after the commit.
   */
  async approveYear(trx: Tx, who: Principal, year: number, reviewedHash: string, nowIso: string): Promise<CommandOutcome> {
    const row = await this.pendingRow(trx, year);
    if (row.loadedBy === who.userId) throw new AppError('FOUR_EYES', 'the operator who proposed a calendar year cannot also approve it');
    if (scheduleHash(row.schedule) !== reviewedHash)
      throw new AppError('CONFLICT', `the schedule proposed for ${year} is not the one reviewed (scheduleHash differs); review it again`);
    const done = await trx
      .updateTable('calendarYears')
      .set({ approvedBy: who.userId, approvedAt: nowIso })
      .where('year', '=', year)
      .where('approvedBy', 'is', null)
      .where('schedule', '=', row.schedule)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('CONFLICT', `the proposal for ${year} changed meanwhile; retry`);
    if (this.approvedListeners.length) {
      // The approved years as this transaction sees them, the one just approved included.
      const official = new WorkingDayCalendar(OFFICIAL_SCHEDULES);
      await loadApprovedYears(trx, official);
      // Before this command's audit entry: a listener may take other locks (a transfer's), which every
      // other command takes before the audit chain's.
      for (const listener of this.approvedListeners) await listener(trx, { year, calendar: official, by: who, nowIso });
    }
    await appendAudit(trx, this.engine, {
      stream: EXCHANGE_STREAM,
      at: nowIso,
      actorUserId: who.userId,
      actorOrgId: who.orgId,
      action: 'calendar.approve_year',
      entityType: 'calendar',
      entityId: String(year),
      payload: { proposedBy: row.loadedBy, scheduleHash: reviewedHash },
    });
    return {
      status: 200,
      body: { year, status: 'approved', loadedYears: [...new Set([...this.calendar.loadedYears(), year])].sort((a, b) => a - b) },
    };
  }

  /** Withdraws a proposal (its proposer or another operator), with a reason. */
  async rejectYear(trx: Tx, who: Principal, year: number, reason: string, nowIso: string): Promise<CommandOutcome> {
    const row = await this.pendingRow(trx, year);
    const done = await trx.deleteFrom('calendarYears').where('year', '=', year).where('approvedBy', 'is', null).executeTakeFirst();
    if (Number(done.numDeletedRows) !== 1) throw new AppError('CONFLICT', `the proposal for ${year} changed meanwhile; retry`);
    await appendAudit(trx, this.engine, {
      stream: EXCHANGE_STREAM,
      at: nowIso,
      actorUserId: who.userId,
      actorOrgId: who.orgId,
      action: 'calendar.reject_year',
      entityType: 'calendar',
      entityId: String(year),
      payload: { proposedBy: row.loadedBy, reason },
    });
    return { status: 200, body: { year, status: 'rejected' } };
  }

  private async pendingRow(trx: Tx, year: number) {
    const row = await trx
      .selectFrom('calendarYears')
      .select(['loadedBy', 'approvedBy', 'schedule'])
      .where('year', '=', year)
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', `no calendar proposal for ${year}`);
    if (row.approvedBy) throw new AppError('CONFLICT', `${year} is already approved`);
    return row;
  }
}
