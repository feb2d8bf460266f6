/**
 * Sign-in tokens: HS256 JWTs with issuer and audience, expiring within hours. The algorithm is pinned
 * on verification, so `alg: none` and algorithm-confusion tokens are refused.
 */
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { configuredOrDemoSecret } from '../demo-secret';
import type { Role } from '../../db/schema';

export const TOKEN_ISSUER = 'sfund-exchange';
export const TOKEN_AUDIENCE = 'sfund-exchange-api';
const ALGORITHM = 'HS256';

export interface Principal {
  userId: string;
  username: string;
  orgId: string;
  orgName: string;
  roles: Role[];
  /** When the token this principal came from expires (set by verify; long-lived sockets close then). */
  tokenExpiresAtMs?: number;
}

export interface TokenService {
  sign(p: Principal, nowMs: number): string;
  /** The principal, or null for any invalid, expired, unsigned or tampered token. */
  verify(token: string, nowMs: number): Principal | null;
}

/** Most verified tokens remembered per process. */
const VERIFIED_CACHE_SIZE = 10_000;

export function createTokenService(secret: string, ttlHours: number): TokenService {
  // A KeyObject made once: given a string, jsonwebtoken first tries to parse it as a public key on
  // every call, which throws and costs more than the HMAC itself.
  const key = crypto.createSecretKey(Buffer.from(secret, 'utf8'));
  // Tokens already verified, by their exact string: every API call presents one, and checking the
  // HMAC and claims again was a measurable share of an order's cost. Oldest entries go first.
  const verified = new Map<string, { principal: Principal; expS: number }>();
  return {
    sign(p, nowMs) {
      const iat = Math.floor(nowMs / 1000);
      return jwt.sign({ username: p.username, orgId: p.orgId, orgName: p.orgName, roles: p.roles, iat, exp: iat + ttlHours * 3600 }, key, {
        algorithm: ALGORITHM, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, subject: p.userId,
      });
    },
    verify(token, nowMs) {
      const nowS = Math.floor(nowMs / 1000);
      const hit = verified.get(token);
      // The same string is the same signed content: only the expiry, which depends on the time, is checked again (as jsonwebtoken does).
      if (hit) return nowS < hit.expS ? { ...hit.principal, roles: [...hit.principal.roles] } : null;
      try {
        const c = jwt.verify(token, key, { algorithms: [ALGORITHM], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, clockTimestamp: nowS });
        if (typeof c !== 'object' || typeof c.sub !== 'string' || !Array.isArray(c.roles) || typeof c.orgId !== 'string' || typeof c.exp !== 'number') return null;
        const principal: Principal = { userId: c.sub, username: String(c.username), orgId: c.orgId, orgName: String(c.orgName), roles: c.roles as Role[], tokenExpiresAtMs: c.exp * 1000 };
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
        verified.set(token, { principal, expS: c.exp });
        return { ...principal, roles: [...principal.roles] };
      } catch {
        return null;
      }
    },
  };
}

/** The signing key: the configured one, or in demo mode one generated once under the data directory. */
export function resolveSigningKey(configured: string | undefined, dataDir: string): string {
  return configuredOrDemoSecret(configured, dataDir, 'jwt-signing.key');
}
