import { expect } from 'chai';
import pino from 'pino';
import { createExchange, type Exchange } from '../../server/app';
import { loadConfig } from '../../server/config';
import { TestClient } from '../quotes/ws-client';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';

const REFRESH_MS = 100;

describeEachDatabase('sign-in sessions: sign-out and revocation', (kind) => {
  let t: TestExchange;
  const clients: TestClient[] = [];
  before(async () => { t = await startTestExchange(kind, { SESSIONS_REFRESH_MS: String(REFRESH_MS) }); });
  after(async () => { for (const c of clients.splice(0)) c.close(); await t?.stop(); });

  /** A fresh sign-in (a new session), unlike t.login which reuses one token per user. */
  const signIn = async (username: string) => {
    const r = await t.call('POST', '/api/auth/login', { body: { username, password: 'demo-pass' } });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    return { token: r.body.token as string, userId: r.body.user.id as string, sessionId: JSON.parse(Buffer.from((r.body.token as string).split('.')[1]!, 'base64url').toString()).jti as string };
  };
  const me = (token: string) => t.call('GET', '/api/auth/me', { token });
  const auditOf = (entityId: string) => t.exchange.handle.db.selectFrom('auditLog').select(['action', 'actorUserId', 'payload']).where('entityId', '=', entityId).orderBy('seq').execute();

  it('opens a session per sign-in, recorded with an audit entry, and names it in the token', async () => {
    const a = await signIn('buyer1');
    const b = await signIn('buyer1');
    expect(a.sessionId).to.be.a('string').and.not.equal(b.sessionId);
    const row = await t.exchange.handle.db.selectFrom('sessions').selectAll().where('id', '=', a.sessionId).executeTakeFirstOrThrow();
    expect(row).to.include({ userId: a.userId, revokedAt: null });
    const exp = JSON.parse(Buffer.from(a.token.split('.')[1]!, 'base64url').toString()).exp as number;
    expect(Date.parse(row.expiresAt), 'the session ends with its token').to.equal(exp * 1000);
    expect(Date.parse(row.expiresAt) - Date.parse(row.createdAt)).to.be.within(8 * 3600_000 - 1000, 8 * 3600_000);
    expect((await auditOf(a.sessionId)).map((e) => e.action)).to.deep.equal(['session.sign_in']);
  });

  it('signing out ends the token at once for REST and closes the sockets it opened (4401); other sessions and a new sign-in still work', async () => {
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
    expectProblem(await t.call('POST', '/api/orders', { token: s.token, body: { fundId: 'bj-ai-2021', side: 'buy', pricePct: '50.00', quantity: '1000000', timeInForce: 'IOC' } }), 401, 'UNAUTHENTICATED');
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
    expect((await auditOf(s.sessionId)).map((e) => e.action), 'one sign-out entry, however often it is tried').to.deep.equal(['session.sign_in', 'session.sign_out']);
  });

  it('an administrator ends every open session of a user with a reason, idempotently; nobody else may', async () => {
    const [s1, s2, buyer] = [await signIn('lp'), await signIn('lp'), await signIn('buyer2')];
    const admin = (await signIn('admin')).token;
    const operator = (await signIn('operator1')).token;
    const path = `/api/admin/users/${s1.userId}/sessions/revoke`;
    const headers = { 'idempotency-key': `revoke-${s1.sessionId}` };
    expectProblem(await t.call('POST', path, { token: operator, body: { reason: 'lost laptop' }, headers }), 403, 'FORBIDDEN');
    expectProblem(await t.call('POST', path, { token: admin, body: { reason: '  ' }, headers }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.call('POST', '/api/admin/users/no-such-user/sessions/revoke', { token: admin, body: { reason: 'x' }, headers: { 'idempotency-key': 'revoke-nobody-1' } }), 404, 'NOT_FOUND');
    expect((await me(s1.token)).status, 'refusals changed nothing').to.equal(200);

    const r = await t.call('POST', path, { token: admin, body: { reason: 'lost laptop' }, headers });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    expect(r.body).to.include({ userId: s1.userId });
    expect(r.body.revokedSessions).to.be.at.least(2);
    for (const s of [s1, s2]) expectProblem(await me(s.token), 401, 'UNAUTHENTICATED');
    expect((await me(buyer.token)).status, "another user's session").to.equal(200);

    const again = await t.call('POST', path, { token: admin, body: { reason: 'lost laptop' }, headers });
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal(r.body);
    const entries = await auditOf(s1.userId);
    const revokes = entries.filter((e) => e.action === 'session.revoke_all');
    expect(revokes, 'one audit entry for the replayed request').to.have.length(1);
    const payload = JSON.parse(revokes[0]!.payload);
    expect(payload.reason).to.equal('lost laptop');
    expect(payload.sessions).to.include.members([s1.sessionId, s2.sessionId]);
  });

  it('a sign-out through one process reaches another process on the same database within its refresh interval', async () => {
    const second: Exchange = await createExchange(loadConfig({
      PORT: '0', DATABASE_URL: t.exchange.config.databaseUrl, DATA_DIR: t.exchange.config.dataDir, NODE_ENV: 'test', LOG_LEVEL: 'silent', SESSIONS_REFRESH_MS: String(REFRESH_MS),
    }), pino({ level: 'silent' }));
    try {
      const url = `http://127.0.0.1:${await second.listen()}`;
      const s = await signIn('buyer2');
      const onSecond = () => fetch(`${url}/api/auth/me`, { headers: { authorization: `Bearer ${s.token}` } }).then((r) => r.status);
      expect(await onSecond(), 'valid there (and remembered)').to.equal(200);
      expect((await t.call('POST', '/api/auth/logout', { token: s.token })).status).to.equal(200);
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

  it('keeps sessions ended across a restart', async () => {
    const s = await signIn('buyer2');
    expect((await t.call('POST', '/api/auth/logout', { token: s.token })).status).to.equal(200);
    await t.restart({ SESSIONS_REFRESH_MS: String(REFRESH_MS) });
    expectProblem(await me(s.token), 401, 'UNAUTHENTICATED');
    expect((await me((await signIn('buyer2')).token)).status).to.equal(200);
  });
});
