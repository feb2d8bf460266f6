/** Failed sign-ins throttled across processes and bursts (issue #19): reserved before the hash, counted in the database. */
import { expect } from 'chai';
import { openDatabase } from '../../db/database';
import { MAX_PER_ADDRESS, MAX_PER_USER, SignInAttempts, WINDOW_MS } from '../../server/auth/sign-in-attempts';
import { describeEachDatabase } from '../support/databases';
import { migratedDatabase, type MigratedDatabase } from '../support/migrated-database';
import { startTestExchange, type TestExchange } from '../support/exchange';

const T0 = Date.parse('2026-11-28T02:00:00Z');

describeEachDatabase('failed sign-in throttling, in the database', (kind) => {
  describe('reservations', () => {
    let db: MigratedDatabase | undefined;
    let attempts: SignInAttempts;
    beforeEach(async () => {
      db = await migratedDatabase(kind);
      attempts = new SignInAttempts(db.handle);
    });
    afterEach(async () => {
      await db?.drop();
      db = undefined; // a later beforeEach that fails must not drop this one again
    });

    const refused = async (p: Promise<unknown>) => {
      try {
        await p;
        return false;
      } catch (err) {
        expect((err as { code?: string }).code).to.equal('RATE_LIMITED');
        return true;
      }
    };

    it('refuses the 11th attempt of an address for a username, but not the same user from another address', async () => {
      for (let i = 0; i < MAX_PER_USER; i++) await attempts.failed(await attempts.reserve('10.0.0.1', 'operator2', T0));
      expect(await refused(attempts.reserve('10.0.0.1', 'operator2', T0))).to.equal(true);
      expect(await refused(attempts.reserve('10.0.0.2', 'operator2', T0)), 'the real user elsewhere is not locked out').to.equal(false);
    });

    it('counts pending reservations: attempts still being checked use the allowance', async () => {
      const pending = await Promise.all(
        Array.from({ length: 25 }, () =>
          attempts.reserve('10.0.0.1', 'lp', T0).then(
            () => 'ok',
            () => 'refused',
          ),
        ),
      );
      expect(pending.filter((r) => r === 'ok')).to.have.length(MAX_PER_USER);
    });

    it('refuses one address spraying over many usernames after 50 attempts', async () => {
      for (let i = 0; i < MAX_PER_ADDRESS; i++) await attempts.failed(await attempts.reserve('10.0.0.9', `user${i}`, T0));
      expect(await refused(attempts.reserve('10.0.0.9', 'someone-new', T0))).to.equal(true);
      expect(await refused(attempts.reserve('10.0.0.8', 'someone-new', T0))).to.equal(false);
    });

    it('forgets failures after the window and on a successful sign-in; purge deletes only rows out of the window', async () => {
      for (let i = 0; i < MAX_PER_USER; i++) await attempts.failed(await attempts.reserve('10.0.0.1', 'lp', T0));
      expect(await refused(attempts.reserve('10.0.0.1', 'lp', T0 + WINDOW_MS - 1000))).to.equal(true);
      expect(await refused(attempts.reserve('10.0.0.1', 'lp', T0 + WINDOW_MS))).to.equal(false);
      expect(await attempts.purge(T0 + WINDOW_MS), 'the ten old failures').to.equal(MAX_PER_USER);
      for (let i = 0; i < MAX_PER_USER - 2; i++) await attempts.failed(await attempts.reserve('10.0.0.3', 'lp', T0));
      const ok = await attempts.reserve('10.0.0.3', 'lp', T0);
      await attempts.succeeded(ok, '10.0.0.3', 'lp');
      for (let i = 0; i < MAX_PER_USER - 1; i++) await attempts.failed(await attempts.reserve('10.0.0.3', 'lp', T0));
      expect(await refused(attempts.reserve('10.0.0.3', 'lp', T0))).to.equal(false);
    });

    it('holds across two database handles (two processes): their attempts count together', async function () {
      // Several processes share a database only on PostgreSQL (README "Running on PostgreSQL").
      if (kind.name !== 'postgres') this.skip();
      const other = openDatabase(db!.url);
      try {
        const second = new SignInAttempts(other);
        const both = await Promise.all(
          Array.from({ length: 16 }, (_, i) =>
            (i % 2 ? attempts : second).reserve('10.0.0.5', 'gp', T0).then(
              () => 1,
              () => 0,
            ),
          ),
        );
        expect(both.reduce<number>((a, b) => a + b, 0)).to.equal(MAX_PER_USER);
      } finally {
        await other.close();
      }
    });
  });

  describe('over HTTP', () => {
    let t: TestExchange;
    before(async () => {
      t = await startTestExchange(kind);
    });
    after(async () => {
      await t?.stop();
    });

    it(
      '40 concurrent failed sign-ins for one user: at most 10 are checked, ' + 'the rest are 429 RATE_LIMITED; nothing opens a session',
      async () => {
        const answers = await Promise.all(
          Array.from({ length: 40 }, () => t.call('POST', '/api/auth/login', { body: { username: 'operator2', password: 'wrong' } })),
        );
        const statuses = answers.map((a) => a.status);
        expect(statuses.filter((s) => s === 401)).to.have.length(MAX_PER_USER);
        expect(statuses.filter((s) => s === 429)).to.have.length(40 - MAX_PER_USER);
        expect(answers.find((a) => a.status === 429)!.body.code).to.equal('RATE_LIMITED');
        const sessions = await t.exchange.handle.db.selectFrom('sessions').select('id').execute();
        expect(sessions).to.have.length(0);
        // The right password from this address is refused too while the window lasts (the limit holds).
        expect((await t.call('POST', '/api/auth/login', { body: { username: 'operator2', password: 'demo-pass' } })).status).to.equal(429);
      },
    );
  });
});
