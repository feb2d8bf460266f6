import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import fs from 'node:fs';
import path from 'node:path';
import { describeEachDatabase } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';
import { DEMO_FUNDS, DEMO_USERS } from '../../server/seed/demo-market';
import { Dec } from '../../shared/decimal';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../server/auth/tokens';

describeEachDatabase('the exchange over HTTP', (kind) => {
  let t: TestExchange;
  before(async () => {
    t = await startTestExchange(kind);
  });
  after(async () => {
    await t?.stop();
  });

  describe('sign-in', () => {
    it('signs in every demo user and returns the user with organisation and roles', async () => {
      for (const u of DEMO_USERS) {
        const r = await t.call('POST', '/api/auth/login', { body: { username: u.username, password: 'demo-pass' } });
        expect(r.status, u.username).to.equal(200);
        expect(r.body.token).to.be.a('string');
        expect(r.body.user).to.deep.include({ orgId: u.orgId, roles: u.roles });
        expect(r.body.user.orgName).to.be.a('string').and.not.equal('');
        expect(r.body.user.stateOwned, u.username).to.equal(['org-lp-soe', 'org-exchange'].includes(u.orgId));
      }
    });

    it('refuses a wrong password and an unknown user alike with 401 UNAUTHENTICATED', async () => {
      expectProblem(await t.call('POST', '/api/auth/login', { body: { username: 'lp', password: 'wrong-pass' } }), 401, 'UNAUTHENTICATED');
      expectProblem(
        await t.call('POST', '/api/auth/login', { body: { username: 'nobody', password: 'demo-pass' } }),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('refuses a password sent as a JSON number, and malformed JSON, with 400 VALIDATION_FAILED', async () => {
      expectProblem(await t.call('POST', '/api/auth/login', { body: { username: 'lp', password: 12345 } }), 400, 'VALIDATION_FAILED');
      expectProblem(await t.call('POST', '/api/auth/login', { rawBody: '{"username": "lp",' }), 400, 'VALIDATION_FAILED');
      expectProblem(
        await t.call('POST', '/api/auth/login', { body: { username: 'lp', password: 'demo-pass', extra: 1 } }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('tokens', () => {
    const key = () => fs.readFileSync(path.join(t.exchange.config.dataDir, 'jwt-signing.key'), 'utf8').trim();
    const claims = { username: 'lp', orgId: 'org-lp', orgName: 'x', roles: ['seller', 'buyer'] };

    it('requires a bearer token on member routes', async () => {
      expectProblem(await t.call('GET', '/api/funds'), 401, 'UNAUTHENTICATED');
      expectProblem(await t.call('GET', '/api/funds', { headers: { authorization: 'Basic bHA6ZGVtby1wYXNz' } }), 401, 'UNAUTHENTICATED');
    });

    it('accepts the Bearer scheme name in any case, as HTTP defines it', async () => {
      const token = await t.login('lp');
      for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
        expect((await t.call('GET', '/api/funds', { headers: { authorization: `${scheme} ${token}` } })).status, scheme).to.equal(200);
      }
    });

    it('refuses an unsigned alg:none token', async () => {
      const none = jwt.sign(claims, '', {
        algorithm: 'none',
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        subject: 'user-lp',
        jwtid: 'a-session',
        expiresIn: '1h',
      });
      expectProblem(await t.call('GET', '/api/funds', { token: none }), 401, 'UNAUTHENTICATED');
    });

    it('refuses a token whose payload was tampered with', async () => {
      const good = await t.login('lp');
      const [h, p, s] = good.split('.');
      const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
      payload.roles = ['operator'];
      const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
      expectProblem(await t.call('GET', '/api/funds', { token: forged }), 401, 'UNAUTHENTICATED');
    });

    it('refuses an expired token, one signed with another key, and one for another audience', async () => {
      const expired = jwt.sign({ ...claims, iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 60 }, key(), {
        algorithm: 'HS256',
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        subject: 'user-lp',
        jwtid: 'a-session',
      });
      expectProblem(await t.call('GET', '/api/funds', { token: expired }), 401, 'UNAUTHENTICATED');
      const otherKey = jwt.sign(claims, 'another-key-that-is-long-enough-for-hs256!!', {
        algorithm: 'HS256',
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        subject: 'user-lp',
        jwtid: 'a-session',
        expiresIn: '1h',
      });
      expectProblem(await t.call('GET', '/api/funds', { token: otherKey }), 401, 'UNAUTHENTICATED');
      const otherAudience = jwt.sign(claims, key(), {
        algorithm: 'HS256',
        issuer: TOKEN_ISSUER,
        audience: 'someone-else',
        subject: 'user-lp',
        jwtid: 'a-session',
        expiresIn: '1h',
      });
      expectProblem(await t.call('GET', '/api/funds', { token: otherAudience }), 401, 'UNAUTHENTICATED');
      const fine = jwt.sign(claims, key(), {
        algorithm: 'HS256',
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        subject: 'user-lp',
        jwtid: 'a-session',
        expiresIn: '1h',
      });
      expect((await t.call('GET', '/api/funds', { token: fine })).status).to.equal(200);
      const sessionless = jwt.sign(claims, key(), {
        algorithm: 'HS256',
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        subject: 'user-lp',
        expiresIn: '1h',
      });
      expectProblem(await t.call('GET', '/api/funds', { token: sessionless }), 401, 'UNAUTHENTICATED');
    });
  });

  describe('reference data', () => {
    it('lists at least six demo funds with NAV per commitment as decimal strings and no live prices yet', async () => {
      const r = await t.call('GET', '/api/funds', { token: await t.login('buyer1') });
      expect(r.status).to.equal(200);
      expect(r.body).to.have.length.of.at.least(6);
      for (const f of r.body) {
        expect(f).to.have.all.keys(
          'id',
          'name',
          'nameEn',
          'manager',
          'strategy',
          'vintage',
          'lotSize',
          'navReferenceDate',
          'navPerCommitment',
          'nav',
          'totalCommitment',
          'bestBidPct',
          'bestAskPct',
          'lastPct',
          'modelPct',
        );
        expect(f.lotSize).to.equal('1000000');
        expect(f.navPerCommitment).to.match(/^\d+\.\d{8}$/);
        expect(f.nav, 'the fund NAV behind exact amounts').to.match(/^\d+\.\d{2}$/);
        expect(f.totalCommitment).to.match(/^\d+\.\d{2}$/);
        expect(f.navReferenceDate).to.match(/^\d{4}-\d{2}-\d{2}$/);
      }
      expect(new Set(r.body.map((f: { strategy: string }) => f.strategy)).size).to.be.at.least(3);
    });

    it('shows one fund with its latest NAV report and transfer terms, and 404 NOT_FOUND for an unknown fund', async () => {
      const token = await t.login('lp');
      const r = await t.call('GET', '/api/funds/bj-ic-2019', { token });
      expect(r.status).to.equal(200);
      expect(r.body.terms).to.deep.include({ rofrEnabled: true, gpConsentRequired: true, investorCap: 50, minHolding: '1000000' });
      expect(r.body.latestNav.nav).to.match(/^\d+\.\d{2}$/);
      expectProblem(await t.call('GET', '/api/funds/no-such-fund', { token }), 404, 'NOT_FOUND');
      expectProblem(await t.call('GET', '/api/funds/bad%20id!', { token }), 400, 'VALIDATION_FAILED');
    });

    it('gives lp at least 10 lots in every fund, and lp-soe a share of a fund with ROFR and GP consent', async () => {
      const lp = await t.call('GET', '/api/positions', { token: await t.login('lp') });
      expect(lp.body.map((p: { fundId: string }) => p.fundId).sort()).to.deep.equal(DEMO_FUNDS.map((f) => f.id).sort());
      for (const p of lp.body) {
        expect(Number(p.commitment) / 1_000_000, p.fundId).to.be.at.least(10);
        expect(p.unfunded).to.equal(new Dec(p.commitment).minus(p.paidIn).toFixed(2));
        expect(p.available).to.equal(p.commitment);
      }
      const soe = await t.call('GET', '/api/positions', { token: await t.login('lp-soe') });
      expect(soe.body.map((p: { fundId: string }) => p.fundId)).to.include('bj-ic-2019');
      expect(soe.body.length).to.be.at.least(2);
    });

    it('shows each organisation only its own positions', async () => {
      const r = await t.call('GET', '/api/positions', { token: await t.login('buyer1') });
      expect(r.body).to.deep.equal([]);
    });
  });

  describe('roles and documents', () => {
    it('refuses admin routes to members without the role (403 FORBIDDEN)', async () => {
      expectProblem(
        await t.call('POST', '/api/admin/calendar', { token: await t.login('gp'), body: { year: 2027, holidays: [], makeUpWorkdays: [] } }),
        403,
        'FORBIDDEN',
      );
    });

    it('serves the OpenAPI 3.1 document with the routes and the docs page without a token', async () => {
      const r = await t.call('GET', '/api/openapi.json');
      expect(r.status).to.equal(200);
      expect(r.body.openapi).to.equal('3.1.0');
      expect(r.body.paths).to.include.keys('/api/auth/login', '/api/funds', '/api/funds/{fundId}', '/api/positions');
      expect((await t.call('GET', '/api/docs')).body).to.match(/swagger-ui/);
      expect((await t.call('GET', '/api/docs/swagger-ui-bundle.js')).status).to.equal(200);
    });

    it('answers health and readiness without a token, and unknown API paths with 404 problem+json', async () => {
      expect((await t.call('GET', '/healthz')).body).to.deep.equal({ status: 'up' });
      expect((await t.call('GET', '/readyz')).body).to.deep.equal({ status: 'ready', database: kind.name });
      expectProblem(await t.call('GET', '/api/nothing-here', { token: await t.login('lp') }), 404, 'NOT_FOUND');
    });
  });

  describe('idempotent commands', () => {
    it('returns the first response for a repeated Idempotency-Key and 409 IDEMPOTENCY_KEY_REUSED for a different body', async () => {
      const token = await t.login('operator1');
      const body = { year: 2027, holidays: ['2027-01-01'], makeUpWorkdays: [] };
      const first = await t.call('POST', '/api/admin/calendar', { token, body, headers: { 'idempotency-key': 'calendar-2027-load' } });
      expect(first.status, JSON.stringify(first.body)).to.equal(202);
      const again = await t.call('POST', '/api/admin/calendar', { token, body, headers: { 'idempotency-key': 'calendar-2027-load' } });
      expect(again.status).to.equal(202);
      expect(again.body).to.deep.equal(first.body);
      const other = await t.call('POST', '/api/admin/calendar', {
        token,
        body: { ...body, holidays: ['2027-01-02'] },
        headers: { 'idempotency-key': 'calendar-2027-load' },
      });
      expectProblem(other, 409, 'IDEMPOTENCY_KEY_REUSED');
      const dup = await t.call('POST', '/api/admin/calendar', { token, body, headers: { 'idempotency-key': 'calendar-2027-again' } });
      expectProblem(dup, 409, 'CONFLICT');
      const years = await t.call('GET', '/api/calendar', { token });
      expect(years.body.loadedYears).to.deep.equal([2025, 2026]);
      expect(years.body.pendingYears.map((p: { year: number }) => p.year)).to.deep.equal([2027]);
    });

    it(
      'lets a calendar year count only after a second operator approves the ' + 'schedule it reviewed, and lets a proposal be withdrawn',
      async () => {
        const [op1, op2] = [await t.login('operator1'), await t.login('operator2')];
        const pendingOf = async (year: number) =>
          (
            ok(await t.call('GET', '/api/calendar', { token: op2 })).pendingYears as {
              year: number;
              scheduleHash: string;
              schedule: { holidays: string[] };
            }[]
          ).find((p) => p.year === year);
        ok(
          await t.call('POST', '/api/admin/calendar', { token: op1, body: { year: 2030, holidays: ['2030-01-02'], makeUpWorkdays: [] } }),
          202,
        );
        const reviewed = (await pendingOf(2030))!;
        expect(reviewed.schedule.holidays).to.deep.equal(['2030-01-02']);
        const member = ok(await t.call('GET', '/api/calendar', { token: await t.login('lp') }));
        expect(member, 'members do not see proposals').to.not.have.property('pendingYears');
        const approve = (token: string, scheduleHash = reviewed.scheduleHash) =>
          t.call('POST', '/api/admin/calendar/2030/approve', { token, body: { scheduleHash } });
        expectProblem(await approve(op1), 409, 'FOUR_EYES');
        expectProblem(await approve(await t.login('lp')), 403, 'FORBIDDEN');
        expectProblem(await approve(op2, '0'.repeat(64)), 409, 'CONFLICT');
        expectProblem(
          await t.call('POST', '/api/admin/calendar/2031/approve', { token: op2, body: { scheduleHash: reviewed.scheduleHash } }),
          404,
          'NOT_FOUND',
        );

        // The proposer withdraws and proposes a different schedule: the approval of the reviewed one is refused.
        ok(await t.call('POST', '/api/admin/calendar/2030/reject', { token: op1, body: { reason: 'wrong holiday' } }));
        ok(
          await t.call('POST', '/api/admin/calendar', { token: op1, body: { year: 2030, holidays: ['2030-01-03'], makeUpWorkdays: [] } }),
          202,
        );
        expectProblem(await approve(op2), 409, 'CONFLICT');
        expect(ok(await t.call('GET', '/api/calendar', { token: op1 })).loadedYears).to.not.include(2030);

        const current = (await pendingOf(2030))!;
        expect(ok(await approve(op2, current.scheduleHash))).to.include({ year: 2030, status: 'approved' });
        expect(ok(await t.call('GET', '/api/calendar', { token: op1 })).loadedYears).to.include(2030);
        expectProblem(await approve(op2, current.scheduleHash), 409, 'CONFLICT');

        ok(await t.call('POST', '/api/admin/calendar', { token: op1, body: { year: 2031, holidays: [], makeUpWorkdays: [] } }), 202);
        expectProblem(
          await t.call('POST', '/api/admin/calendar/2031/reject', { token: op2, body: { reason: '' } }),
          400,
          'VALIDATION_FAILED',
        );
        ok(
          await t.call('POST', '/api/admin/calendar/2031/reject', {
            token: op2,
            body: { reason: 'holidays missing: the State Council notice is out' },
          }),
        );
        expect(await pendingOf(2031)).to.equal(undefined);
        const audit = await t.exchange.handle.db
          .selectFrom('auditLog')
          .select('action')
          .where('entityType', '=', 'calendar')
          .orderBy('id')
          .execute();
        expect(audit.map((a) => a.action).slice(-6)).to.deep.equal([
          'calendar.propose_year',
          'calendar.reject_year',
          'calendar.propose_year',
          'calendar.approve_year',
          'calendar.propose_year',
          'calendar.reject_year',
        ]);
      },
    );

    it('refuses a malformed Idempotency-Key without changing anything', async () => {
      const token = await t.login('operator1');
      expectProblem(
        await t.call('POST', '/api/admin/calendar', {
          token,
          body: { year: 2028, holidays: [], makeUpWorkdays: [] },
          headers: { 'idempotency-key': 'bad key' },
        }),
        400,
        'VALIDATION_FAILED',
      );
      expect((await t.call('GET', '/api/calendar', { token })).body.loadedYears).to.not.include(2028);
    });

    it('refuses to move a clock that is not simulated', async () => {
      expectProblem(
        await t.call('POST', '/api/admin/clock', { token: await t.login('admin'), body: { advance: 'PT1H' } }),
        409,
        'CLOCK_NOT_SIMULATED',
      );
    });
  });
});
