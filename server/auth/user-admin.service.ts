import type { DatabaseHandle, Tx } from '../../db/database';
import { appendAudit } from '../audit/audit-log';
import { orgStream } from '../audit/streams';
import type { Clock } from '../clock/clock';
import type { CommandRunner } from '../commands';
import { AppError } from '../commands/errors';
import { refusal } from '../i18n/refusal';
import { endSessionsOf, type SessionRevocations } from './sessions';
import type { Principal } from './tokens';

const iso = (ms: number) => new Date(ms).toISOString();

const userExists = async (trx: Tx, userId: string) =>
  (await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst()) !== undefined;

/** Why a guarded update of a user changed no row: no such user (404), or not in the state it needs (409). */
async function notChanged(trx: Tx, userId: string, state: string): Promise<AppError> {
  return (await userExists(trx, userId))
    ? refusal('INVALID_STATE', `user ${userId} ${state}`, { reason: 'user_state' })
    : new AppError('NOT_FOUND', `user ${userId} not found`);
}

/**
 * An administrator's actions on users: list them, end a user's sessions, suspend and reinstate. Each
 * change is a command (idempotent, audited in the administrator's organisation's stream); ended sessions
 * take effect in this process at once and in others within `SESSIONS_REFRESH_MS`.
 */
export class UserAdminService {
  constructor(
    private readonly handle: DatabaseHandle,
    private readonly sessions: SessionRevocations,
    private readonly commands: CommandRunner,
    private readonly clock: Clock,
  ) {}

  private auditAt(): string {
    return iso(this.clock.now());
  }

  /**
   * An administrator ends every open session of a user (a lost device, a suspected compromise),
   * with a reason; idempotent under its Idempotency-Key, audited with the sessions it ended. The
   * user may sign in again (see suspend for a user who must not).
   */
  async revokeUserSessions(admin: Principal, userId: string, reason: string, idempotencyKey: string | undefined, nowMs: number) {
    const at = iso(nowMs);
    const out = await this.commands(
      { userId: admin.userId, idempotencyKey, fingerprint: ['sessions.revoke', userId, reason], nowIso: at },
      async (trx) => {
        if (!(await userExists(trx, userId))) throw new AppError('NOT_FOUND', `user ${userId} not found`);
        const ids = await endSessionsOf(trx, userId, admin.userId, reason, at);
        await appendAudit(trx, this.handle.engine, {
          stream: orgStream(admin.orgId),
          at: this.auditAt(),
          actorUserId: admin.userId,
          actorOrgId: admin.orgId,
          action: 'session.revoke_all',
          entityType: 'user',
          entityId: userId,
          payload: { reason, sessions: ids },
        });
        return { status: 200, body: { userId, revokedSessions: ids.length, revokedAt: at } };
      },
    );
    await this.applyRevocations(nowMs);
    return out;
  }

  /**
   * An administrator suspends a user (a leaver, a compromised account), with a reason: the user can
   * no longer sign in and every open session ends. Not oneself (an exchange must keep an
   * administrator). Idempotent under its Idempotency-Key; audited.
   */
  async suspend(admin: Principal, userId: string, reason: string, idempotencyKey: string | undefined, nowMs: number) {
    if (userId === admin.userId) throw new AppError('FORBIDDEN', 'an administrator cannot suspend themselves');
    const at = iso(nowMs);
    const out = await this.commands(
      { userId: admin.userId, idempotencyKey, fingerprint: ['user.suspend', userId, reason], nowIso: at },
      async (trx) => {
        // The user row first: a concurrent sign-in locks it too (see login).
        const changed = await trx
          .updateTable('users')
          .set({ suspendedAt: at, suspendedBy: admin.userId, suspendReason: reason })
          .where('id', '=', userId)
          .where('suspendedAt', 'is', null)
          .executeTakeFirst();
        if (Number(changed.numUpdatedRows) === 0) throw await notChanged(trx, userId, 'is already suspended');
        const ids = await endSessionsOf(trx, userId, admin.userId, `suspended: ${reason}`, at);
        await appendAudit(trx, this.handle.engine, {
          stream: orgStream(admin.orgId),
          at: this.auditAt(),
          actorUserId: admin.userId,
          actorOrgId: admin.orgId,
          action: 'user.suspend',
          entityType: 'user',
          entityId: userId,
          payload: { reason, sessions: ids },
        });
        return { status: 200, body: { userId, suspendedAt: at, revokedSessions: ids.length } };
      },
    );
    await this.applyRevocations(nowMs);
    return out;
  }

  /** An administrator lets a suspended user sign in again, with a reason; idempotent; audited. */
  async reinstate(admin: Principal, userId: string, reason: string, idempotencyKey: string | undefined, nowMs: number) {
    const at = iso(nowMs);
    return this.commands(
      { userId: admin.userId, idempotencyKey, fingerprint: ['user.reinstate', userId, reason], nowIso: at },
      async (trx) => {
        const changed = await trx
          .updateTable('users')
          .set({ suspendedAt: null, suspendedBy: null, suspendReason: null })
          .where('id', '=', userId)
          .where('suspendedAt', 'is not', null)
          .executeTakeFirst();
        if (Number(changed.numUpdatedRows) === 0) throw await notChanged(trx, userId, 'is not suspended');
        await appendAudit(trx, this.handle.engine, {
          stream: orgStream(admin.orgId),
          at: this.auditAt(),
          actorUserId: admin.userId,
          actorOrgId: admin.orgId,
          action: 'user.reinstate',
          entityType: 'user',
          entityId: userId,
          payload: { reason },
        });
        return { status: 200, body: { userId, reinstatedAt: at } };
      },
    );
  }

  /** For administrators: every user with organisation, roles, suspension and open sessions, by username. */
  async listUsers(nowMs: number) {
    const db = this.handle.db;
    const users = await db
      .selectFrom('users')
      .innerJoin('organisations as o', 'o.id', 'users.orgId')
      .select([
        'users.id',
        'users.username',
        'users.displayName',
        'users.orgId',
        'o.name as orgName',
        'users.roles',
        'users.suspendedAt',
        'users.suspendReason',
      ])
      .orderBy('users.username')
      .execute();
    const open = await db
      .selectFrom('sessions')
      .select(['userId', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('revokedAt', 'is', null)
      .where('expiresAt', '>', iso(nowMs))
      .groupBy('userId')
      .execute();
    const openBy = new Map(open.map((r) => [r.userId, Number(r.n)]));
    return users.map((u) => ({
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      orgId: u.orgId,
      orgName: u.orgName,
      roles: u.roles.split(','),
      suspendedAt: u.suspendedAt,
      suspendReason: u.suspendReason,
      openSessions: openBy.get(u.id) ?? 0,
    }));
  }

  /**
   * After a commit that ended sessions, from the database (also right for a replayed request).
   * Should this read fail, the periodic refresh applies them within seconds; they stand either way.
   */
  private async applyRevocations(nowMs: number): Promise<void> {
    await this.sessions.refresh(nowMs).catch(() => {});
  }
}
