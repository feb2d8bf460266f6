/** The working-day calendar as data: the built-in official years plus any an operator loaded. */
import { OFFICIAL_SCHEDULES, WorkingDayCalendar, type YearSchedule } from '../../shared/calendar';
import type { Db, DbEngine } from '../../db/database';
import { AppError } from '../http/errors';
import { appendAudit } from '../audit/audit-log';
import type { Principal } from '../auth/tokens';
import type { CommandOutcome } from '../http/command';
import type { Tx } from '../../db/database';

export async function loadCalendar(db: Db): Promise<WorkingDayCalendar> {
  const cal = new WorkingDayCalendar(OFFICIAL_SCHEDULES);
  const rows = await db.selectFrom('calendarYears').selectAll().orderBy('year').execute();
  for (const r of rows) if (!cal.loadedYears().includes(r.year)) cal.load(JSON.parse(r.schedule) as YearSchedule);
  return cal;
}

export class CalendarService {
  constructor(readonly calendar: WorkingDayCalendar, private readonly engine: DbEngine) {}

  years() {
    return this.calendar.loadedYears();
  }

  /** Loads a new year's official schedule (in the caller's transaction), refusing a year already loaded. */
  async loadYear(trx: Tx, who: Principal, schedule: YearSchedule, nowIso: string): Promise<CommandOutcome> {
    const problem = WorkingDayCalendar.validate(schedule);
    if (problem) throw new AppError('VALIDATION_FAILED', problem);
    if (this.calendar.loadedYears().includes(schedule.year)) throw new AppError('CONFLICT', `${schedule.year} is already loaded`);
    await trx.insertInto('calendarYears').values({ year: schedule.year, schedule: JSON.stringify(schedule), loadedBy: who.userId, loadedAt: nowIso }).execute();
    await appendAudit(trx, this.engine, { at: nowIso, actorUserId: who.userId, actorOrgId: who.orgId, action: 'calendar.load_year', entityType: 'calendar', entityId: String(schedule.year), payload: schedule });
    // Applied to the in-memory calendar only once the row is written; a failed commit after this is
    // reconciled on the next start, which loads the calendar from the database.
    this.calendar.load(schedule);
    return { status: 201, body: { year: schedule.year, loadedYears: this.calendar.loadedYears() } };
  }
}
