import type { Db } from '../../db/database';
import type { Role } from '../../db/schema';
import { AppError } from '../http/errors';
import { DUMMY_HASH_PROMISE, verifyPassword } from './passwords';
import type { Principal, TokenService } from './tokens';
import { LoginThrottle } from './login-throttle';

export class AuthService {
  private readonly throttle = new LoginThrottle();

  constructor(private readonly db: Db, private readonly tokens: TokenService, private readonly production: boolean) {}

  /** @param address the client's address, for throttling failed attempts (see login-throttle.ts). */
  async login(username: string, password: string, nowMs: number, address: string) {
    if (this.throttle.blocked(address, username, nowMs)) {
      throw new AppError('RATE_LIMITED', 'too many failed sign-ins from this address; try again in a few minutes');
    }
    const user = await this.db.selectFrom('users').innerJoin('organisations as o', 'o.id', 'users.orgId')
      .select(['users.id', 'users.username', 'users.orgId', 'users.roles', 'users.passwordHash', 'o.name as orgName', 'o.kind as orgKind', 'o.stateOwned'])
      .where('users.username', '=', username).executeTakeFirst();
    // Verify against a dummy hash for unknown users, so timing does not reveal which usernames exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    const demoPasswordInProduction = this.production && password === 'demo-pass';
    if (!user || !ok || demoPasswordInProduction) {
      this.throttle.recordFailure(address, username, nowMs);
      throw new AppError('UNAUTHENTICATED', 'wrong username or password');
    }
    this.throttle.recordSuccess(address, username);
    const principal: Principal = { userId: user.id, username: user.username, orgId: user.orgId, orgName: user.orgName, roles: user.roles.split(',') as Role[] };
    // Beyond api.md's fields: the organisation's kind and state-owned flag, which decide the rules that
    // apply to it (a state-owned seller must list), so clients need not guess them.
    return {
      token: this.tokens.sign(principal, nowMs),
      user: { id: user.id, orgId: user.orgId, orgName: user.orgName, roles: principal.roles, orgKind: user.orgKind, stateOwned: user.stateOwned === 1 },
    };
  }
}
