import { expect } from 'chai';
import pino from 'pino';
import { createExchange, type Exchange } from '../../server/app';
import { loadConfig } from '../../server/config';
import { TestClient } from '../quotes/ws-client';
import { describeEachDatabase, sqliteKind } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';

const REFRESH_MS = 100;

/** The claims of a signed token (read, not verified). */
const claimsOf = (token: string): { jti: string; exp: number } => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());

describeEachDatabase('sign-in sessions: sign-out and revocation', (kind) => {
  let t: TestExchange;
  const clients: TestClient[] = [];
  before(async () => {
    t = await startTestExchange(kind, { SESSIONS_REFRESH_MS: String(REFRESH_MS) });
  });
  after(async () => {
    for (const c of clients.splice(0)) c.close();
    await t?.stop();
  });

  /** A fresh sign-in (a new session), unlike t.login which reuses one token per user. */
  const signIn = async (username: string) => {
    const r = await t.call('POST', '/api/auth/login', { body: { username, password: 'demo-pass' } });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    return { token: r.body.token as string, userId: r.body.user.id as string, sessionId: claimsOf(r.body.token).jti };
  };
  const me = (token: string) => t.call('GET', '/api/auth/me', { token });
  const auditOf = (entityId: string) =>
    t.exchange.handle.db
      .selectFrom('auditLog')
      .select(['action', 'actorUserId', 'payload'])
      .where('entityId', '=', entityId)
      .orderBy('id')
      .execute();

  it('opens a session per sign-in, recorded with an audit entry, and names it in the token', async () => {
    const a = await signIn('buyer1');
    const b = await signIn('buyer1');
    expect(a.sessionId).to.be.a('string').and.not.equal(b.sessionId);
    const row = await t.exchange.handle.db.selectFrom('sessions').selectAll().where('id', '=', a.sessionId).executeTakeFirstOrThrow();
    expect(row).to.include({ userId: a.userId, revokedAt: null });
    const { exp } = claimsOf(a.token);
    expect(Date.parse(row.expiresAt), 'the session ends with its token').to.equal(exp * 1000);
    expect(Date.parse(row.expiresAt) - Date.parse(row.createdAt)).to.be.within(8 * 3600_000 - 1000, 8 * 3600_000);
    expect((await auditOf(a.sessionId)).map((e) => e.action)).to.deep.equal(['session.sign_in']);
  });

  it(
    'signing out ends the token at once for REST and closes the sockets it ' + 'opened (4401); other sessions and a new sign-in still work',
    async () => {
      const s = await signIn('buyer1');
      const other = await signIn('buyer1');
      const ws = await TestClient.authed(t.baseUrl, s.token);
      clients.push(ws);
      expect((await ws.subscribe('book:bj-ai-2021')).type).to.equal('snapshot');
      expect((await me(s.token)).status).to.equal(200);

      const out = await t.call('POST', '/api/auth/logout', { token: s.token });
      expect(out.status, JSON.stringify(out.body)).to.equal(200);
      expect(out.body).to.include({ sessionId: s.sessionId });
      expectProblem(await me(s.token), 401, 'UNAUTHENTICATED');
      const orders = await t.exchange.handle.db.selectFrom('orders').select('id').execute();
      expectProblem(
        await t.call('POST', '/api/orders', {
          token: s.token,
          body: { fundId: 'bj-ai-2021', side: 'buy', pricePct: '50.00', quantity: '1000000', timeInForce: 'IOC' },
        }),
        401,
        'UNAUTHENTICATED',
      );
      expect(await t.exchange.handle.db.selectFrom('orders').select('id').execute(), 'no order stored').to.have.length(orders.length);
      expect(await ws.closed).to.deep.equal({ code: 4401, reason: 'signed out; sign in again' });
      const late = await TestClient.open(t.baseUrl);
      clients.push(late);
      late.send({ type: 'auth', token: s.token });
      expect((await late.closed).code, 'a new socket with the ended token').to.equal(4401);

      expect((await me(other.token)).status, 'another session of the same user').to.equal(200);
      expect((await me((await signIn('buyer1')).token)).status, 'a new sign-in').to.equal(200);
      expectProblem(await t.call('POST', '/api/auth/logout', { token: s.token }), 401, 'UNAUTHENTICATED');

      const row = await t.exchange.handle.db.selectFrom('sessions').selectAll().where('id', '=', s.sessionId).executeTakeFirstOrThrow();
      expect(row).to.include({ revokedBy: s.userId, revokeReason: 'signed out' });
      expect(
        (await auditOf(s.sessionId)).map((e) => e.action),
        'one sign-out entry, however often it is tried',
      ).to.deep.equal(['session.sign_in', 'session.sign_out']);
    },
  );

  it('an administrator ends every open session of a user with a reason, idempotently; nobody else may', async () => {
    const [s1, s2, buyer] = [await signIn('lp'), await signIn('lp'), await signIn('buyer2')];
    const admin = (await signIn('admin')).token;
    const operator = (await signIn('operator1')).token;
    const path = `/api/admin/users/${s1.userId}/sessions/revoke`;
    const headers = { 'idempotency-key': `revoke-${s1.sessionId}` };
    expectProblem(await t.call('POST', path, { token: operator, body: { reason: 'lost laptop' }, headers }), 403, 'FORBIDDEN');
    expectProblem(await t.call('POST', path, { token: admin, body: { reason: '  ' }, headers }), 400, 'VALIDATION_FAILED');
    expectProblem(
      await t.call('POST', '/api/admin/users/no-such-user/sessions/revoke', {
        token: admin,
        body: { reason: 'x' },
        headers: { 'idempotency-key': 'revoke-nobody-1' },
      }),
      404,
      'NOT_FOUND',
    );
    expect((await me(s1.token)).status, 'refusals changed nothing').to.equal(200);

    const ws = await TestClient.authed(t.baseUrl, s1.token);
    clients.push(ws);
    const r = await t.call('POST', path, { token: admin, body: { reason: 'lost laptop' }, headers });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    expect(await ws.closed, 'a socket of a revoked session').to.deep.equal({ code: 4401, reason: 'signed out; sign in again' });
    expect(r.body).to.include({ userId: s1.userId });
    expect(r.body.revokedSessions).to.be.at.least(2);
    for (const s of [s1, s2]) expectProblem(await me(s.token), 401, 'UNAUTHENTICATED');
    expect((await me(buyer.token)).status, "another user's session").to.equal(200);

    const again = await t.call('POST', path, { token: admin, body: { reason: 'lost laptop' }, headers });
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal(r.body);
    expectProblem(await t.call('POST', path, { token: admin, body: { reason: 'another reason' }, headers }), 409, 'IDEMPOTENCY_KEY_REUSED');
    const entries = await auditOf(s1.userId);
    const revokes = entries.filter((e) => e.action === 'session.revoke_all');
    expect(revokes, 'one audit entry for the replayed request').to.have.length(1);
    const payload = JSON.parse(revokes[0]!.payload);
    expect(payload.reason).to.equal('lost laptop');
    expect(payload.sessions).to.include.members([s1.sessionId, s2.sessionId]);
  });

  it('a sign-out through one process reaches another process on the same database within its refresh interval', async () => {
    const second: Exchange = await createExchange(
      loadConfig({
        PORT: '0',
        DATABASE_URL: t.exchange.config.databaseUrl,
        DATA_DIR: t.exchange.config.dataDir,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        SESSIONS_REFRESH_MS: String(REFRESH_MS),
      }),
      pino({ level: 'silent' }),
    );
    try {
      const url = `http://127.0.0.1:${await second.listen()}`;
      const s = await signIn('buyer2');
      const onSecond = () => fetch(`${url}/api/auth/me`, { headers: { authorization: `Bearer ${s.token}` } }).then((r) => r.status);
      expect(await onSecond(), 'valid there (and remembered)').to.equal(200);
      const ws = await TestClient.authed(url, s.token);
      clients.push(ws);
      expect((await t.call('POST', '/api/auth/logout', { token: s.token })).status).to.equal(200);
      expect(await ws.closed, "the other process closes the session's socket").to.deep.equal({
        code: 4401,
        reason: 'signed out; sign in again',
      });
      const deadline = Date.now() + 20 * REFRESH_MS + 2000;
      let status = await onSecond();
      while (status === 200 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, REFRESH_MS / 2));
        status = await onSecond();
      }
      expect(status).to.equal(401);
    } finally {
      await second.close();
    }
  });

  it('signs out a valid token whose session is not on record (a restored older backup): refused from then on', async () => {
    const s = await signIn('buyer1');
    await t.exchange.handle.db.deleteFrom('sessions').where('id', '=', s.sessionId).execute();
    expect((await me(s.token)).status, 'still valid: nothing says it ended').to.equal(200);
    const out = await t.call('POST', '/api/auth/logout', { token: s.token });
    expect(out.status, JSON.stringify(out.body)).to.equal(200);
    expectProblem(await me(s.token), 401, 'UNAUTHENTICATED');
    const row = await t.exchange.handle.db.selectFrom('sessions').selectAll().where('id', '=', s.sessionId).executeTakeFirstOrThrow();
    expect(row.revokedAt).to.not.equal(null);
    expect(Date.parse(row.expiresAt), 'ends with the token').to.equal(claimsOf(s.token).exp * 1000);
  });

  it(
    'an administrator suspends a user: its sessions end, it cannot sign in ' + 'until reinstated; each step audited and idempotent',
    async () => {
      const victim = await signIn('buyer2');
      const admin = await signIn('admin');
      const headers = (k: string) => ({ 'idempotency-key': `${k}-${victim.sessionId}` });
      const suspendPath = `/api/admin/users/${victim.userId}/suspend`;
      expectProblem(
        await t.call('POST', suspendPath, {
          token: (await signIn('operator1')).token,
          body: { reason: 'left the firm' },
          headers: headers('op'),
        }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await t.call('POST', `/api/admin/users/${admin.userId}/suspend`, {
          token: admin.token,
          body: { reason: 'oops' },
          headers: headers('self'),
        }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await t.call('POST', '/api/admin/users/nobody/suspend', { token: admin.token, body: { reason: 'x' }, headers: headers('nobody') }),
        404,
        'NOT_FOUND',
      );
      expect((await me(victim.token)).status, 'refusals changed nothing').to.equal(200);

      const r = await t.call('POST', suspendPath, { token: admin.token, body: { reason: 'left the firm' }, headers: headers('suspend') });
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      expect(r.body.revokedSessions).to.be.at.least(1);
      expect(
        (await t.call('POST', suspendPath, { token: admin.token, body: { reason: 'left the firm' }, headers: headers('suspend') })).body,
        'replayed',
      ).to.deep.equal(r.body);
      expectProblem(
        await t.call('POST', suspendPath, { token: admin.token, body: { reason: 'again' }, headers: headers('suspend-2') }),
        409,
        'INVALID_STATE',
      );
      expectProblem(await me(victim.token), 401, 'UNAUTHENTICATED');
      const whileSuspended = (await t.call('GET', '/api/admin/users', { token: admin.token })).body.find(
        (u: { id: string }) => u.id === victim.userId,
      );
      expect(whileSuspended).to.include({ suspendReason: 'left the firm', openSessions: 0 });
      expect(whileSuspended.suspendedAt).to.be.a('string');
      const sessionsBefore = await t.exchange.handle.db.selectFrom('sessions').select('id').where('userId', '=', victim.userId).execute();
      expectProblem(await t.call('POST', '/api/auth/login', { body: { username: 'buyer2', password: 'demo-pass' } }), 403, 'FORBIDDEN');
      expectProblem(
        await t.call('POST', '/api/auth/login', { body: { username: 'buyer2', password: 'wrong-pass' } }),
        401,
        'UNAUTHENTICATED',
      );
      expect(
        await t.exchange.handle.db.selectFrom('sessions').select('id').where('userId', '=', victim.userId).execute(),
        'no session opened',
      ).to.have.length(sessionsBefore.length);

      const reinstatePath = `/api/admin/users/${victim.userId}/reinstate`;
      expect(
        (await t.call('POST', reinstatePath, { token: admin.token, body: { reason: 'rehired' }, headers: headers('reinstate') })).status,
      ).to.equal(200);
      expectProblem(
        await t.call('POST', reinstatePath, { token: admin.token, body: { reason: 'rehired' }, headers: headers('reinstate-2') }),
        409,
        'INVALID_STATE',
      );
      expect((await me((await signIn('buyer2')).token)).status, 'signs in again').to.equal(200);
      expectProblem(await me(victim.token), 401, 'UNAUTHENTICATED'); // the ended session stays ended
      const listed = await t.call('GET', '/api/admin/users', { token: admin.token });
      expect(listed.status).to.equal(200);
      expect(listed.body.find((u: { id: string }) => u.id === victim.userId)).to.include({
        username: 'buyer2',
        suspendedAt: null,
        openSessions: 1,
      });
      expectProblem(await t.call('GET', '/api/admin/users', { token: (await signIn('operator2')).token }), 403, 'FORBIDDEN');
      const actions = (await auditOf(victim.userId)).map((e) => e.action);
      expect(actions.filter((a) => a === 'user.suspend' || a === 'user.reinstate')).to.deep.equal(['user.suspend', 'user.reinstate']);
    },
  );

  it('leaves a suspended user no open session, whatever sign-ins ran at the same moment', async () => {
    const admin = await signIn('admin');
    const target = await signIn('lp-soe');
    // Ten: a burst beyond that from one address is throttled before the password check (sign-in-attempts.ts).
    const logins = Array.from({ length: 10 }, () =>
      t.call('POST', '/api/auth/login', { body: { username: 'lp-soe', password: 'demo-pass' } }),
    );
    const suspension = t.call('POST', `/api/admin/users/${target.userId}/suspend`, {
      token: admin.token,
      body: { reason: 'race' },
      headers: { 'idempotency-key': `race-${target.sessionId}` },
    });
    const answers = await Promise.all([...logins, suspension]);
    expect(answers.at(-1)!.status).to.equal(200);
    for (const a of answers.slice(0, -1)) expect([200, 403], JSON.stringify(a.body)).to.include(a.status);
    const open = await t.exchange.handle.db
      .selectFrom('sessions')
      .select('id')
      .where('userId', '=', target.userId)
      .where('revokedAt', 'is', null)
      .execute();
    expect(open, 'sessions left open').to.deep.equal([]);
    for (const a of answers.slice(0, -1)) if (a.status === 200) expectProblem(await me(a.body.token), 401, 'UNAUTHENTICATED');
    await t.call('POST', `/api/admin/users/${target.userId}/reinstate`, {
      token: admin.token,
      body: { reason: 'end of test' },
      headers: { 'idempotency-key': `race-end-${target.sessionId}` },
    });
  });

  it('refuses a 31st sign-in of one user within five minutes with 429 RATE_LIMITED, opening no session', async () => {
    for (let i = 0; i < 30; i++) await signIn('gp');
    const gpId = (await t.exchange.handle.db.selectFrom('users').select('id').where('username', '=', 'gp').executeTakeFirstOrThrow()).id;
    const count = async () => (await t.exchange.handle.db.selectFrom('sessions').select('id').where('userId', '=', gpId).execute()).length;
    const before = await count();
    expectProblem(await t.call('POST', '/api/auth/login', { body: { username: 'gp', password: 'demo-pass' } }), 429, 'RATE_LIMITED');
    expect(await count()).to.equal(before);
    // Counted from the sessions table, not in a process's memory: a restarted (or another) process refuses too.
    await t.restart({ SESSIONS_REFRESH_MS: String(REFRESH_MS) });
    expectProblem(await t.call('POST', '/api/auth/login', { body: { username: 'gp', password: 'demo-pass' } }), 429, 'RATE_LIMITED');
    expect(await count()).to.equal(before);
  });

  it('deletes the rows of sessions expired more than a week ago at start, with an audit entry, and keeps the rest', async () => {
    const db = t.exchange.handle.db;
    const userId = (await db.selectFrom('users').select('id').where('username', '=', 'lp').executeTakeFirstOrThrow()).id;
    const day = 24 * 3600_000;
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const row = (id: string, expiresInMs: number, revoked: boolean) => ({
      id,
      userId,
      createdAt: at(expiresInMs - 8 * 3600_000),
      expiresAt: at(expiresInMs),
      revokedAt: revoked ? at(expiresInMs - 3600_000) : null,
      revokedBy: revoked ? userId : null,
      revokeReason: revoked ? 'signed out' : null,
    });
    await db
      .insertInto('sessions')
      .values([
        row(`purge-old-${kind.name}`, -8 * day, true),
        row(`purge-old-open-${kind.name}`, -9 * day, false),
        row(`purge-recent-${kind.name}`, -6 * day, false),
        row(`purge-live-${kind.name}`, 3600_000, false),
      ])
      .execute();
    const auditBefore = await db.selectFrom('auditLog').select('seq').where('action', '=', 'session.purge_expired').execute();
    await t.restart({ SESSIONS_REFRESH_MS: String(REFRESH_MS) });
    const left = (await t.exchange.handle.db.selectFrom('sessions').select('id').where('id', 'like', 'purge-%').execute())
      .map((r) => r.id)
      .sort();
    expect(left).to.deep.equal([`purge-live-${kind.name}`, `purge-recent-${kind.name}`]);
    const entries = await t.exchange.handle.db
      .selectFrom('auditLog')
      .select(['payload', 'actorUserId'])
      .where('action', '=', 'session.purge_expired')
      .orderBy('id')
      .execute();
    expect(entries, 'one new audit entry').to.have.length(auditBefore.length + 1);
    const last = entries.at(-1)!;
    expect(last.actorUserId).to.equal(null);
    expect(JSON.parse(last.payload).deleted).to.be.at.least(2);
    // Nothing left to delete: the next run writes no entry.
    await t.restart({ SESSIONS_REFRESH_MS: String(REFRESH_MS) });
    expect(
      await t.exchange.handle.db.selectFrom('auditLog').select('seq').where('action', '=', 'session.purge_expired').execute(),
    ).to.have.length(auditBefore.length + 1);
  });

  it(
    "keeps an administrator's refused command under its Idempotency-Key: " + 'the same request is refused alike, another body is 409',
    async () => {
      const admin = await signIn('admin');
      const suspend = (reason: string) =>
        t.call('POST', '/api/admin/users/no-such-user/suspend', {
          token: admin.token,
          body: { reason },
          headers: { 'idempotency-key': `refused-suspend-${kind.name}` },
        });
      const first = await suspend('left the firm');
      expectProblem(first, 404, 'NOT_FOUND');
      const again = await suspend('left the firm');
      expect(again.status).to.equal(404);
      expect(again.body).to.deep.equal(first.body);
      expectProblem(await suspend('another reason'), 409, 'IDEMPOTENCY_KEY_REUSED');
    },
  );

  it('keeps sessions ended across a restart', async () => {
    const s = await signIn('buyer2');
    expect((await t.call('POST', '/api/auth/logout', { token: s.token })).status).to.equal(200);
    await t.restart({ SESSIONS_REFRESH_MS: String(REFRESH_MS) });
    expectProblem(await me(s.token), 401, 'UNAUTHENTICATED');
    expect((await me((await signIn('buyer2')).token)).status).to.equal(200);
  });
});

describe('sign-in sessions under a simulated exchange clock', () => {
  let t: TestExchange;
  before(async () => {
    t = await startTestExchange(sqliteKind, { CLOCK: 'simulated', CLOCK_START: '2026-01-05T02:00:00Z' });
  });
  after(async () => {
    await t?.stop();
  });

  it(
    "stamps session audit entries with the exchange's clock (the chain " +
      "stays in order) and keeps the session's own times on the wall clock",
    async () => {
      const r = await t.call('POST', '/api/auth/login', { body: { username: 'buyer1', password: 'demo-pass' } });
      expect(r.status).to.equal(200);
      const sessionId = claimsOf(r.body.token).jti;
      expect((await t.call('POST', '/api/auth/logout', { token: r.body.token })).status).to.equal(200);
      const entries = await t.exchange.handle.db
        .selectFrom('auditLog')
        .select(['action', 'at'])
        .where('entityId', '=', sessionId)
        .orderBy('id')
        .execute();
      expect(entries).to.deep.equal([
        { action: 'session.sign_in', at: '2026-01-05T02:00:00.000Z' },
        { action: 'session.sign_out', at: '2026-01-05T02:00:00.000Z' },
      ]);
      const row = await t.exchange.handle.db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirstOrThrow();
      expect(Math.abs(Date.parse(row.createdAt) - Date.now())).to.be.below(60_000);
      const all = await t.exchange.handle.db.selectFrom('auditLog').select('at').orderBy('id').execute();
      expect(
        all.map((e) => e.at),
        'audit times never go back',
      ).to.deep.equal([...all.map((e) => e.at)].sort());
    },
  );
});
