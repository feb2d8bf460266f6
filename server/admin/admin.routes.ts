import { z } from 'zod';
import { isoDate } from '../../shared/wire';
import { route } from '../http/route';
import { AppError } from '../commands/errors';
import { refusal } from '../i18n/refusal';
import { parseDuration, iso, SimulatedClock, type Clock } from '../clock/clock';
import { persistSimulatedNow } from '../clock/clock.store';
import { appendAudit } from '../audit/audit-log';
import { EXCHANGE_STREAM } from '../audit/streams';
import type { CommandRunner } from '../commands';
import type { CalendarService } from '../calendar/calendar.service';
import type { DbEngine } from '../../db/database';

/** The latest instant the simulated clock may reach: the end of year 9999, the last one ISO-8601 writes with four digits. */
const MAX_CLOCK_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export interface AdminDeps {
  clock: Clock;
  commands: CommandRunner;
  calendar: CalendarService;
  engine: DbEngine;
  onClockMoved: () => Promise<void>;
  /** After an approved calendar year has committed: the matching thread reloads its calendar too. */
  onCalendarApproved?: () => void;
}

export const adminRoutes = (d: AdminDeps) => [
  route({
    method: 'get',
    path: '/api/clock',
    tag: 'admin',
    access: 'signed-in',
    summary: "The exchange's clock: current time and whether it is simulated",
    handler: async () => ({ now: iso(d.clock.now()), simulated: d.clock.simulated }),
  }),
  route({
    method: 'post',
    path: '/api/admin/clock',
    tag: 'admin',
    access: ['admin', 'operator'],
    idempotent: true,
    summary: 'Move the simulated clock forward (set to an instant, or advance by an ISO-8601 duration); everything due fires',
    body: z
      .object({ set: z.iso.datetime({ offset: true }).optional(), advance: z.string().max(40).optional() })
      .strict()
      .refine((b) => (b.set === undefined) !== (b.advance === undefined), 'give exactly one of set or advance'),
    errors: ['CLOCK_NOT_SIMULATED', 'CLOCK_MOVES_FORWARD_ONLY'],
    handler: async ({ body, principal, idempotencyKey }) => {
      const clock = d.clock;
      if (!(clock instanceof SimulatedClock))
        throw new AppError('CLOCK_NOT_SIMULATED', 'the exchange was not started with CLOCK=simulated');
      const from = clock.now();
      // The target is worked out inside the command, after the Idempotency-Key check: a replay
      // answers with the first response and moves nothing (an `advance` replayed must not advance
      // again, a `set` replayed after later moves is not "backwards").
      const out = await d.commands(
        { userId: principal.userId, idempotencyKey, fingerprint: ['clock', body], nowIso: iso(from) },
        async (trx) => {
          let target: number;
          if (body.advance !== undefined) {
            const ms = parseDuration(body.advance);
            if (ms === null) throw new AppError('VALIDATION_FAILED', 'body.advance: must be an ISO-8601 duration such as PT5M or P3D');
            target = from + ms;
          } else target = Date.parse(body.set!);
          if (!(target <= MAX_CLOCK_MS)) throw new AppError('VALIDATION_FAILED', `the clock cannot move past ${iso(MAX_CLOCK_MS)}`);
          if (target < from)
            throw refusal('CLOCK_MOVES_FORWARD_ONLY', `the clock is at ${iso(from)} and only moves forward`, { now: iso(from) });
          await persistSimulatedNow(trx, target);
          await appendAudit(trx, d.engine, {
            stream: EXCHANGE_STREAM,
            at: iso(target),
            actorUserId: principal.userId,
            actorOrgId: principal.orgId,
            action: 'clock.move',
            entityType: 'clock',
            entityId: 'exchange',
            payload: { from: iso(from), to: iso(target) },
          });
          return { status: 200, body: { now: iso(target) } };
        },
      );
      // The clock moves to the committed position (a replay's is never ahead of it).
      const committed = Date.parse((out.body as { now: string }).now);
      if (committed > clock.now()) {
        clock.moveTo(committed);
        await d.onClockMoved();
      }
      return out;
    },
  }),
  route({
    method: 'get',
    path: '/api/calendar',
    tag: 'calendar',
    access: 'signed-in',
    summary: 'Loaded official calendar years; dates beyond them are computed provisionally',
    // Proposals (and who made them) are the exchange's own business until approved.
    handler: async ({ principal }) => ({
      loadedYears: d.calendar.years(),
      ...(principal.roles.some((r) => r === 'operator' || r === 'admin') ? { pendingYears: await d.calendar.pending() } : {}),
    }),
  }),
  route({
    method: 'post',
    path: '/api/admin/calendar',
    tag: 'calendar',
    access: ['operator'],
    idempotent: true,
    summary:
      "Propose a new year's official holiday and make-up working-day schedule (202); it counts once a different operator approves it",
    body: z.object({ year: z.number().int(), holidays: z.array(isoDate).max(60), makeUpWorkdays: z.array(isoDate).max(30) }).strict(),
    errors: ['CONFLICT'],
    handler: async ({ body, principal, idempotencyKey }) => {
      const nowIso = iso(d.clock.now());
      return d.commands({ userId: principal.userId, idempotencyKey, fingerprint: ['calendar', body], nowIso }, (trx) =>
        d.calendar.proposeYear(trx, principal, body, nowIso),
      );
    },
  }),
  route({
    method: 'post',
    path: '/api/admin/calendar/:year/approve',
    tag: 'calendar',
    access: ['operator'],
    idempotent: true,
    summary: 'Approve a proposed calendar year (four eyes: not its proposer); every deadline computed from then on uses it',
    params: z.object({ year: z.coerce.number().int().min(2000).max(2200) }),
    body: z
      .object({ scheduleHash: z.string().regex(/^[0-9a-f]{64}$/, 'the scheduleHash GET /api/calendar shows for the proposal') })
      .strict(),
    errors: ['NOT_FOUND', 'CONFLICT', 'FOUR_EYES'],
    handler: async ({ params, body, principal, idempotencyKey }) => {
      const nowIso = iso(d.clock.now());
      const out = await d.commands(
        { userId: principal.userId, idempotencyKey, fingerprint: ['calendar.approve', params.year, body], nowIso },
        (trx) => d.calendar.approveYear(trx, principal, params.year, body.scheduleHash, nowIso),
      );
      // After the commit: the year counts only once it is durable. If this read fails, the periodic
      // refresh loads it within seconds; the approval itself stands and is answered as such.
      await d.calendar.refresh().catch(() => {});
      d.onCalendarApproved?.();
      return out;
    },
  }),
  route({
    method: 'post',
    path: '/api/admin/calendar/:year/reject',
    tag: 'calendar',
    access: ['operator'],
    idempotent: true,
    summary: 'Withdraw a proposed calendar year, with a reason',
    params: z.object({ year: z.coerce.number().int().min(2000).max(2200) }),
    body: z.object({ reason: z.string().trim().min(1).max(500) }).strict(),
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: async ({ params, body, principal, idempotencyKey }) => {
      const nowIso = iso(d.clock.now());
      return d.commands({ userId: principal.userId, idempotencyKey, fingerprint: ['calendar.reject', params.year, body], nowIso }, (trx) =>
        d.calendar.rejectYear(trx, principal, params.year, body.reason, nowIso),
      );
    },
  }),
];
