/**
 * Failed sign-in throttling. Counted per (source address, username), so nobody can lock another user
 * out from elsewhere, and per source address across usernames, so one address cannot spray a password
 * over every account. Bounded memory: beyond the bound the oldest entries are dropped, one at a time.
 * Counted per process (successful sign-ins are limited from the sessions table instead, across
 * processes: see AuthService.login).
 */
/** Failures allowed per address and username within the window. */
const MAX_PER_USER = 10;
/** Failures allowed per address across all usernames within the window. */
const MAX_PER_ADDRESS = 50;
const WINDOW_MS = 5 * 60_000;
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

  recordSuccess(address: string, username: string): void {
    this.failures.delete(`u:${address}|${username}`);
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
