import type { Db } from '../../db/database';
import type { Role } from '../../db/schema';
import { AppError } from '../http/errors';
import { DUMMY_HASH_PROMISE, verifyPassword } from './passwords';
import type { Principal, TokenService } from './tokens';

/** Failed sign-ins allowed per username within the window before RATE_LIMITED. */
const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 5 * 60_000;
/** Bound on remembered usernames, so a flood of random names cannot grow memory without limit. */
const MAX_TRACKED = 10_000;

export class AuthService {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(private readonly db: Db, private readonly tokens: TokenService, private readonly production: boolean) {}

  async login(username: string, password: string, nowMs: number) {
    const f = this.failures.get(username);
    if (f && nowMs - f.since < FAILURE_WINDOW_MS && f.count >= MAX_FAILURES) {
      throw new AppError('RATE_LIMITED', 'too many failed sign-ins for this user; try again in a few minutes');
    }
    const user = await this.db.selectFrom('users').innerJoin('organisations as o', 'o.id', 'users.orgId')
      .select(['users.id', 'users.username', 'users.orgId', 'users.roles', 'users.passwordHash', 'o.name as orgName'])
      .where('users.username', '=', username).executeTakeFirst();
    // Verify against a dummy hash for unknown users, so timing does not reveal which usernames exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    const demoPasswordInProduction = this.production && password === 'demo-pass';
    if (!user || !ok || demoPasswordInProduction) {
      this.recordFailure(username, nowMs);
      throw new AppError('UNAUTHENTICATED', 'wrong username or password');
    }
    this.failures.delete(username);
    const principal: Principal = { userId: user.id, username: user.username, orgId: user.orgId, orgName: user.orgName, roles: user.roles.split(',') as Role[] };
    return { token: this.tokens.sign(principal, nowMs), user: { id: user.id, orgId: user.orgId, orgName: user.orgName, roles: principal.roles } };
  }

  private recordFailure(username: string, nowMs: number): void {
    const f = this.failures.get(username);
    if (!f || nowMs - f.since >= FAILURE_WINDOW_MS) {
      if (this.failures.size >= MAX_TRACKED) this.failures.clear();
      this.failures.set(username, { count: 1, since: nowMs });
    } else f.count++;
  }
}
