import crypto from 'node:crypto';
import type { DatabaseHandle } from '../../db/database';
import type { Role } from '../../db/schema';
import { appendAudit } from '../audit/audit-log';
import { EXCHANGE_STREAM, orgStream } from '../audit/streams';
import type { Clock } from '../clock/clock';
import { AppError } from '../commands/errors';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './passwords';
import { endSessionsOf, type SessionRevocations } from './sessions';
import type { Principal, TokenService } from './tokens';
import { SignInAttempts } from './sign-in-attempts';

const iso = (ms: number) => new Date(ms).toISOString();

/** Shortest password a user may choose (an initial password is replaced at first sign-in). */
export const MIN_PASSWORD_LENGTH = 10;

/** Sign-ins (sessions opened) allowed per user within the window. */
const SIGN_IN_LIMIT = { max: 30, windowMs: 5 * 60_000 } as const;

/**
 * How long a session's row is kept after its token expired. An expired token is refused by its own
 * expiry, so the row no longer protects anything; the audit log keeps every sign-in, sign-out and
 * revocation for good, the rows are kept a week for whoever looks at them directly.
 */
const SESSION_ROW_RETENTION_MS = 7 * 24 * 3600_000;

/**
 * Sign-in, password changes and sign-out (the administrator's actions on users: user-admin.service.ts).
 * Sessions are real-world security: their times (opened, expires, ended) are the wall clock, as
 * tokens' expiry is (see http/mount.ts authenticate). Their
 * audit entries are stamped with the exchange's clock like every other entry, so the chain's times
 * stay in order when the exchange runs a simulated clock.
 */
export class AuthService {
  constructor(
    private readonly handle: DatabaseHandle,
    private readonly tokens: TokenService,
    private readonly sessions: SessionRevocations,
    private readonly clock: Clock,
    private readonly production: boolean,
  ) {
    this.attempts = new SignInAttempts(handle);
  }

  private readonly attempts: SignInAttempts;

  private auditAt(): string {
    return iso(this.clock.now());
  }

  /**
   * Checks the password and opens a session (its row and an audit entry in one transaction).
   * @param address the client's address, for throttling failed attempts (see sign-in-attempts.ts):
   * the attempt is reserved before the password hash is checked.
   */
  async login(username: string, password: string, nowMs: number, address: string) {
    const attempt = await this.attempts.reserve(address, username, nowMs);
    const user = await this.checkPassword(username, password).catch(async (err: unknown) => {
      await this.attempts.failed(attempt);
      throw err;
    });
    // A refusal after the password was right (suspended, too many sessions) is not a failed guess.
    await this.attempts.succeeded(attempt, address, username);
    return this.openSession(user, nowMs);
  }

  /** The user whose password this is, or 401 (the same answer and timing for an unknown username). */
  private async checkPassword(username: string, password: string) {
    const user = await this.handle.db
      .selectFrom('users')
      .innerJoin('organisations as o', 'o.id', 'users.orgId')
      .select([
        'users.id',
        'users.username',
        'users.orgId',
        'users.roles',
        'users.passwordHash',
        'users.mustChangePassword',
        'o.name as orgName',
        'o.kind as orgKind',
        'o.stateOwned',
      ])
      .where('users.username', '=', username)
      .executeTakeFirst();
    // Verify against a dummy hash for unknown users, so timing does not reveal which usernames exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    const demoPasswordInProduction = this.production && password === 'demo-pass';
    if (!user || !ok || demoPasswordInProduction) throw new AppError('UNAUTHENTICATED', 'wrong username or password');
    return user;
  }

  private async openSession(user: NonNullable<Awaited<ReturnType<AuthService['checkPassword']>>>, nowMs: number) {
    const mustChangePassword = user.mustChangePassword === 1;
    const principal: Principal = {
      userId: user.id,
      username: user.username,
      orgId: user.orgId,
      orgName: user.orgName,
      roles: user.roles.split(',') as Role[],
      ...(mustChangePassword ? { passwordChangeRequired: true } : {}),
    };
    const sessionId = crypto.randomUUID();
    const signed = this.tokens.sign(principal, nowMs, sessionId);
    await this.handle.db.transaction().execute(async (trx) => {
      // Checked in the transaction that opens the session, so a suspension committed meanwhile
      // counts. PostgreSQL: the user row is locked first, as a suspension locks it (by updating
      // it) before ending the user's sessions, so one waits for the other; NO KEY UPDATE, because
      // the session's foreign key takes KEY SHARE on that row, which FOR UPDATE would conflict with
      // (two sign-ins of one user deadlocked). SQLite: one connection runs transactions one by one.
      const q = trx.selectFrom('users').select('suspendedAt').where('id', '=', user.id);
      const current = await (this.handle.engine.name === 'postgres' ? q.forNoKeyUpdate() : q).executeTakeFirst();
      if (current?.suspendedAt) throw new AppError('FORBIDDEN', 'this user is suspended; the exchange can reinstate it');
      // Each sign-in opens a session (a row and an audit entry): a client signing in in a loop would
      // grow both without end. Counted from the sessions themselves, so the limit holds across
      // processes and restarts (PostgreSQL: under the user row's lock, so concurrent sign-ins count).
      // Only someone with the password can use up a user's allowance.
      const recent = await trx
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('userId', '=', user.id)
        .where('createdAt', '>', iso(nowMs - SIGN_IN_LIMIT.windowMs))
        .executeTakeFirst();
      if (Number(recent?.n ?? 0) >= SIGN_IN_LIMIT.max) {
        throw new AppError('RATE_LIMITED', 'too many sign-ins for this user in the last few minutes; keep using the token you have');
      }
      await trx
        .insertInto('sessions')
        .values({
          id: sessionId,
          userId: user.id,
          createdAt: iso(nowMs),
          expiresAt: iso(signed.expiresAtMs),
          revokedAt: null,
          revokedBy: null,
          revokeReason: null,
        })
        .execute();
      await appendAudit(trx, this.handle.engine, {
        stream: orgStream(user.orgId),
        at: this.auditAt(),
        actorUserId: user.id,
        actorOrgId: user.orgId,
        action: 'session.sign_in',
        entityType: 'session',
        entityId: sessionId,
        payload: { username: user.username, expiresAt: iso(signed.expiresAtMs) },
      });
    });
    // Beyond api.md's fields: the organisation's kind and state-owned flag, which decide the rules that
    // apply to it (a state-owned seller must list), so clients need not guess them.
    return {
      token: signed.token,
      expiresAtMs: signed.expiresAtMs,
      user: {
        id: user.id,
        orgId: user.orgId,
        orgName: user.orgName,
        roles: principal.roles,
        orgKind: user.orgKind,
        stateOwned: user.stateOwned === 1,
        mustChangePassword,
      },
    };
  }

  /**
   * The user replaces its password (required at first sign-in for a user an administrator created):
   * the current one is checked, the new one stored, every open session of the user ends (a stolen
   * initial password stops working everywhere), all in one audited transaction; then a new session
   * opens with the new password and its token is the answer.
   */
  async changePassword(principal: Principal, current: string, next: string, nowMs: number, address: string) {
    if (next === current)
      throw new AppError('VALIDATION_FAILED', 'the new password must differ from the current one', { params: { field: 'new' } });
    if (next === 'demo-pass' || next.length < MIN_PASSWORD_LENGTH) {
      throw new AppError(
        'VALIDATION_FAILED',
        `the new password must have at least ${MIN_PASSWORD_LENGTH} characters (and not be the demo password)`,
        { params: { field: 'new', minLength: String(MIN_PASSWORD_LENGTH) } },
      );
    }
    // A wrong current password counts as a failed sign-in (reserved before the hash, as at sign-in).
    const attempt = await this.attempts.reserve(address, principal.username, nowMs);
    const row = await this.handle.db
      .selectFrom('users')
      .select(['passwordHash', 'username'])
      .where('id', '=', principal.userId)
      .executeTakeFirst();
    if (!row || !(await verifyPassword(current, row.passwordHash))) {
      await this.attempts.failed(attempt);
      throw new AppError('FORBIDDEN', 'the current password is wrong');
    }
    await this.attempts.succeeded(attempt, address, principal.username);
    const passwordHash = await hashPassword(next);
    const at = iso(nowMs);
    await this.handle.db.transaction().execute(async (trx) => {
      const changed = await trx
        .updateTable('users')
        .set({ passwordHash, mustChangePassword: 0 })
        .where('id', '=', principal.userId)
        .where('passwordHash', '=', row.passwordHash)
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) === 0) throw new AppError('CONFLICT', 'the password changed meanwhile; sign in again');
      const ended = await endSessionsOf(trx, principal.userId, principal.userId, 'password changed', at);
      await appendAudit(trx, this.handle.engine, {
        stream: orgStream(principal.orgId),
        at: this.auditAt(),
        actorUserId: principal.userId,
        actorOrgId: principal.orgId,
        action: 'user.password_change',
        entityType: 'user',
        entityId: principal.userId,
        payload: { sessionsEnded: ended },
      });
    });
    await this.applyRevocations(nowMs);
    return this.login(row.username, next, nowMs, address);
  }

  /**
   * Ends the caller's session: its token (and every socket opened with it) stops working here at
   * once and in other processes within the refresh interval. The token is refused from then on,
   * so signing out twice with it answers 401 the second time; the session stays ended either way.
   */
  async logout(principal: Principal, nowMs: number): Promise<{ sessionId: string; signedOutAt: string }> {
    const sessionId = principal.sessionId;
    if (!sessionId) throw new AppError('UNAUTHENTICATED', 'the token names no session');
    const at = iso(nowMs);
    const row = await this.handle.db.transaction().execute(async (trx) => {
      const ended = await trx
        .updateTable('sessions')
        .set({ revokedAt: at, revokedBy: principal.userId, revokeReason: 'signed out' })
        .where('id', '=', sessionId)
        .where('userId', '=', principal.userId)
        .where('revokedAt', 'is', null)
        .returning(['id', 'expiresAt'])
        .executeTakeFirst();
      if (ended) {
        await appendAudit(trx, this.handle.engine, {
          stream: orgStream(principal.orgId),
          at: this.auditAt(),
          actorUserId: principal.userId,
          actorOrgId: principal.orgId,
          action: 'session.sign_out',
          entityType: 'session',
          entityId: sessionId,
          payload: {},
        });
        return ended;
      }
      const known = await trx.selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst();
      if (known) return undefined; // ended meanwhile (signed out twice at once, or revoked)
      // A valid token whose session has no row (the database was restored from a backup taken
      // after it was issued): recorded as ended, so that it is refused here and everywhere.
      const expiresAt = iso(principal.tokenExpiresAtMs ?? nowMs);
      await trx
        .insertInto('sessions')
        .values({
          id: sessionId,
          userId: principal.userId,
          createdAt: at,
          expiresAt,
          revokedAt: at,
          revokedBy: principal.userId,
          revokeReason: 'signed out (session not on record)',
        })
        .execute();
      await appendAudit(trx, this.handle.engine, {
        stream: orgStream(principal.orgId),
        at: this.auditAt(),
        actorUserId: principal.userId,
        actorOrgId: principal.orgId,
        action: 'session.sign_out',
        entityType: 'session',
        entityId: sessionId,
        payload: { notOnRecord: true },
      });
      return { id: sessionId, expiresAt };
    });
    if (row) this.sessions.add([{ id: row.id, expiresAtMs: Date.parse(row.expiresAt) }]);
    else throw new AppError('UNAUTHENTICATED', 'this session has already ended');
    return { sessionId, signedOutAt: at };
  }

  /**
   * Deletes the rows of sessions whose tokens expired more than SESSION_ROW_RETENTION_MS ago, with
   * one audit entry saying how many and up to when (none when there was nothing to delete). Run at
   * start and on a timer by every process; a second process finds nothing left to delete.
   */
  async purgeExpiredSessions(nowMs: number): Promise<number> {
    const expiredBefore = iso(nowMs - SESSION_ROW_RETENTION_MS);
    // Sign-in attempts older than the throttle's window no longer count (not audited: they are not records).
    await this.attempts.purge(nowMs);
    return this.handle.db.transaction().execute(async (trx) => {
      const deleted = await trx.deleteFrom('sessions').where('expiresAt', '<', expiredBefore).executeTakeFirst();
      const n = Number(deleted.numDeletedRows);
      if (n > 0) {
        await appendAudit(trx, this.handle.engine, {
          stream: EXCHANGE_STREAM,
          at: this.auditAt(),
          actorUserId: null,
          actorOrgId: null,
          action: 'session.purge_expired',
          entityType: 'session',
          entityId: 'expired',
          payload: { deleted: n, expiredBefore },
        });
      }
      return n;
    });
  }

  /**
   * After a commit that ended sessions, from the database (also right for a replayed request).
   * Should this read fail, the periodic refresh applies them within seconds; they stand either way.
   */
  private async applyRevocations(nowMs: number): Promise<void> {
    await this.sessions.refresh(nowMs).catch(() => {});
  }
}
