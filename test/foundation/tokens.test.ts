import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { createTokenService, TOKEN_AUDIENCE, TOKEN_ISSUER, type Principal } from '../../server/auth/tokens';

const SECRET = 'a-test-secret-of-sufficient-length-0123456789';
const who: Principal = { userId: 'u-1', username: 'buyer1', orgId: 'o-1', orgName: 'Buyer One', roles: ['buyer'] };
const T0 = Date.parse('2026-11-28T02:00:00Z');

describe('signed tokens', () => {
  it('verifies a token again after it was remembered, and refuses it from its expiry on, exactly as on first sight', () => {
    const tokens = createTokenService(SECRET, 1);
    const token = tokens.sign(who, T0);
    const first = tokens.verify(token, T0);
    expect(first).to.include({ userId: 'u-1', orgId: 'o-1' });
    expect(tokens.verify(token, T0 + 1000)).to.deep.equal(first);
    expect(tokens.verify(token, T0 + 3600_000 - 1000), 'a second before expiry').to.not.equal(null);
    expect(tokens.verify(token, T0 + 3600_000), 'at expiry').to.equal(null);
    expect(createTokenService(SECRET, 1).verify(token, T0 + 3600_000), 'a fresh service agrees').to.equal(null);
  });

  it('refuses a tampered copy of a token it has already verified, and one signed with another key', () => {
    const tokens = createTokenService(SECRET, 1);
    const token = tokens.sign(who, T0);
    expect(tokens.verify(token, T0)).to.not.equal(null);
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = [h, Buffer.from(JSON.stringify({ ...claims, roles: ['operator'] })).toString('base64url'), s].join('.');
    expect(tokens.verify(forged, T0)).to.equal(null);
    expect(tokens.verify(createTokenService('another-secret-of-sufficient-length-987654', 1).sign(who, T0), T0)).to.equal(null);
  });

  it('hands out a copy: changing a verified principal does not change the next verification', () => {
    const tokens = createTokenService(SECRET, 1);
    const token = tokens.sign(who, T0);
    const p = tokens.verify(token, T0)!;
    p.roles = ['operator'];
    expect(tokens.verify(token, T0)!.roles).to.deep.equal(['buyer']);
  });

  it('refuses a token without an expiry even when correctly signed', () => {
    const key = Buffer.from(SECRET, 'utf8');
    const token = jwt.sign({ username: 'x', orgId: 'o-1', orgName: 'X', roles: ['buyer'] }, key, { algorithm: 'HS256', issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, subject: 'u-1' });
    expect(createTokenService(SECRET, 1).verify(token, T0)).to.equal(null);
  });
});
