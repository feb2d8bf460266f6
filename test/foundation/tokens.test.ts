import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { createTokenService, TOKEN_AUDIENCE, TOKEN_ISSUER, type Principal } from '../../server/auth/tokens';

const SECRET = 'a-test-secret-of-sufficient-length-0123456789';
const who: Principal = { userId: 'u-1', username: 'buyer1', orgId: 'o-1', orgName: 'Buyer One', roles: ['buyer'] };
const T0 = Date.parse('2026-11-28T02:00:00Z');
const NONE_REVOKED = { isRevoked: () => false };
const service = (secret = SECRET, revoked: Set<string> = new Set()) =>
  createTokenService(secret, 1, { isRevoked: (id) => revoked.has(id) });
const signed = (tokens: ReturnType<typeof service>, sessionId = 's-1') => tokens.sign(who, T0, sessionId).token;

describe('signed tokens', () => {
  it('verifies a token again after it was remembered, and refuses it from its expiry on, exactly as on first sight', () => {
    const tokens = service();
    const token = signed(tokens);
    const first = tokens.verify(token, T0);
    expect(first).to.include({ userId: 'u-1', orgId: 'o-1' });
    expect(tokens.verify(token, T0 + 1000)).to.deep.equal(first);
    expect(tokens.verify(token, T0 + 3600_000 - 1000), 'a second before expiry').to.not.equal(null);
    expect(tokens.verify(token, T0 + 3600_000), 'at expiry').to.equal(null);
    expect(service().verify(token, T0 + 3600_000), 'a fresh service agrees').to.equal(null);
  });

  it('refuses a tampered copy of a token it has already verified, and one signed with another key', () => {
    const tokens = service();
    const token = signed(tokens);
    expect(tokens.verify(token, T0)).to.not.equal(null);
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = [h, Buffer.from(JSON.stringify({ ...claims, roles: ['operator'] })).toString('base64url'), s].join('.');
    expect(tokens.verify(forged, T0)).to.equal(null);
    expect(tokens.verify(signed(service('another-secret-of-sufficient-length-987654')), T0)).to.equal(null);
  });

  it('hands out a copy: changing a verified principal does not change the next verification', () => {
    const tokens = service();
    const token = signed(tokens);
    const p = tokens.verify(token, T0)!;
    p.roles = ['operator'];
    expect(tokens.verify(token, T0)!.roles).to.deep.equal(['buyer']);
  });

  it('refuses a token without an expiry even when correctly signed', () => {
    const key = Buffer.from(SECRET, 'utf8');
    const token = jwt.sign({ username: 'x', orgId: 'o-1', orgName: 'X', roles: ['buyer'] }, key, {
      algorithm: 'HS256',
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      subject: 'u-1',
      jwtid: 's-1',
    });
    expect(service().verify(token, T0)).to.equal(null);
  });

  it('refuses a correctly signed token that names no session (issued before sessions existed)', () => {
    const key = Buffer.from(SECRET, 'utf8');
    const token = jwt.sign({ username: 'x', orgId: 'o-1', orgName: 'X', roles: ['buyer'], exp: Math.floor(T0 / 1000) + 600 }, key, {
      algorithm: 'HS256',
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      subject: 'u-1',
    });
    expect(createTokenService(SECRET, 1, NONE_REVOKED).verify(token, T0)).to.equal(null);
  });

  it('refuses a token once its session is revoked, also after it was remembered, and names the session it verified', () => {
    const revoked = new Set<string>();
    const tokens = service(SECRET, revoked);
    const token = signed(tokens, 'session-a');
    const other = signed(tokens, 'session-b');
    expect(tokens.verify(token, T0)!.sessionId).to.equal('session-a');
    revoked.add('session-a');
    expect(tokens.verify(token, T0), 'remembered token, revoked session').to.equal(null);
    expect(service(SECRET, revoked).verify(token, T0), 'first sight, revoked session').to.equal(null);
    expect(tokens.verify(other, T0), 'another session of the same user').to.not.equal(null);
  });

  it('signs the expiry it reports: the session ends when the token does', () => {
    const s = service().sign(who, T0, 's-1');
    const claims = JSON.parse(Buffer.from(s.token.split('.')[1]!, 'base64url').toString());
    expect(claims.exp * 1000).to.equal(s.expiresAtMs);
    expect(claims.jti).to.equal('s-1');
    expect(s.expiresAtMs - T0).to.equal(3600_000);
  });
});
