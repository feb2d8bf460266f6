/**
 * Failed sign-in throttling. Counted per (source address, username), so nobody can lock another user
 * out from elsewhere, and per source address across usernames, so one address cannot spray a password
 * over every account. Bounded memory: beyond the bound the oldest entries are dropped, one at a time.
 *
 * Successful sign-ins are limited too, per username: each opens a session (a row and an audit entry),
 * so a client signing in in a loop would grow both without end. Only someone with the password can
 * use up a user's allowance. Counted per process.
 */
/** Failures allowed per address and username within the window. */
const MAX_PER_USER = 10;
/** Failures allowed per address across all usernames within the window. */
const MAX_PER_ADDRESS = 50;
const WINDOW_MS = 5 * 60_000;
/** Sign-ins (sessions opened) allowed per username within the window. */
const MAX_SIGN_INS_PER_USER = 30;
/** Bound on remembered keys. */
const MAX_TRACKED = 10_000;

interface Count { count: number; since: number }

export class LoginThrottle {
  private readonly failures = new Map<string, Count>();

  /** True when another attempt from this address for this username must be refused now. */
  blocked(address: string, username: string, nowMs: number): boolean {
    return this.over(`u:${address}|${username}`, MAX_PER_USER, nowMs) || this.over(`a:${address}`, MAX_PER_ADDRESS, nowMs);
  }

  recordFailure(address: string, username: string, nowMs: number): void {
    this.bump(`u:${address}|${username}`, nowMs);
    this.bump(`a:${address}`, nowMs);
  }

  /** True when this user has opened as many sessions as the window allows (checked after the password). */
  tooManySignIns(username: string, nowMs: number): boolean {
    return this.over(`s:${username}`, MAX_SIGN_INS_PER_USER, nowMs);
  }

  recordSuccess(address: string, username: string, nowMs: number): void {
    this.failures.delete(`u:${address}|${username}`);
    this.bump(`s:${username}`, nowMs);
  }

  private over(key: string, max: number, nowMs: number): boolean {
    const c = this.failures.get(key);
    return !!c && nowMs - c.since < WINDOW_MS && c.count >= max;
  }

  private bump(key: string, nowMs: number): void {
    const c = this.failures.get(key);
    if (c && nowMs - c.since < WINDOW_MS) {
      c.count++;
      return;
    }
    this.failures.delete(key);
    while (this.failures.size >= MAX_TRACKED) this.failures.delete(this.failures.keys().next().value as string);
    this.failures.set(key, { count: 1, since: nowMs });
  }
}
