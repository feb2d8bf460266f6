import { expect } from 'chai';
import { LoginThrottle } from '../../server/auth/login-throttle';

describe('failed sign-in throttling', () => {
  const T0 = Date.parse('2026-11-28T02:00:00Z');

  it('blocks an address for a username after 10 failures, but not the same user from another address', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 10; i++) {
      expect(t.blocked('10.0.0.1', 'operator2', T0)).to.equal(false);
      t.recordFailure('10.0.0.1', 'operator2', T0);
    }
    expect(t.blocked('10.0.0.1', 'operator2', T0)).to.equal(true);
    expect(t.blocked('10.0.0.2', 'operator2', T0), 'the real user elsewhere is not locked out').to.equal(false);
  });

  it('blocks one address spraying passwords over many usernames after 50 failures', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 50; i++) t.recordFailure('10.0.0.9', `user${i}`, T0);
    expect(t.blocked('10.0.0.9', 'someone-new', T0)).to.equal(true);
    expect(t.blocked('10.0.0.8', 'someone-new', T0)).to.equal(false);
  });

  it('forgets failures after the 5-minute window and on a successful sign-in', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 10; i++) t.recordFailure('10.0.0.1', 'lp', T0);
    expect(t.blocked('10.0.0.1', 'lp', T0 + 4 * 60_000)).to.equal(true);
    expect(t.blocked('10.0.0.1', 'lp', T0 + 5 * 60_000)).to.equal(false);
    const u = new LoginThrottle();
    for (let i = 0; i < 9; i++) u.recordFailure('10.0.0.1', 'lp', T0);
    u.recordSuccess('10.0.0.1', 'lp');
    u.recordFailure('10.0.0.1', 'lp', T0);
    expect(u.blocked('10.0.0.1', 'lp', T0)).to.equal(false);
  });

  it('keeps blocking a locked pair while junk usernames from other addresses flood the table', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 10; i++) t.recordFailure('10.0.0.1', 'operator2', T0);
    // A flood of new keys evicts the oldest entries one by one, but repeated failures refresh nothing
    // for the flood's keys; the locked pair stays until its own window ends or the bound forces it out.
    for (let i = 0; i < 100; i++) t.recordFailure(`10.1.0.${i}`, `junk${i}`, T0);
    expect(t.blocked('10.0.0.1', 'operator2', T0)).to.equal(true);
  });
});
