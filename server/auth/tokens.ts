/**
 * Sign-in tokens: HS256 JWTs with issuer and audience, expiring within hours. The algorithm is pinned
 * on verification, so `alg: none` and algorithm-confusion tokens are refused. Each token names its
 * sign-in session (jti); a token whose session was revoked (sessions.ts) is refused like an expired
 * one, and so is a token without a session.
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
  /** The sign-in session the token belongs to (set by verify). */
  sessionId?: string;
  /** Signed in with an initial password an administrator gave: only the password change (and sign-out) is allowed. */
  passwordChangeRequired?: boolean;
}

export interface SignedToken {
  token: string;
  expiresAtMs: number;
}

export interface TokenService {
  sign(p: Principal, nowMs: number, sessionId: string): SignedToken;
  /** The principal, or null for any invalid, expired, unsigned, tampered or revoked token. */
  verify(token: string, nowMs: number): Principal | null;
}

/** Most verified tokens remembered per process. */
const VERIFIED_CACHE_SIZE = 10_000;

/** Whether a session has been ended early; tokens of such sessions are refused. */
export interface RevocationCheck {
  isRevoked(sessionId: string): boolean;
}

export function createTokenService(secret: string, ttlHours: number, revocations: RevocationCheck): TokenService {
  // A KeyObject made once: given a string, jsonwebtoken first tries to parse it as a public key on
  // every call, which throws and costs more than the HMAC itself.
  const key = crypto.createSecretKey(Buffer.from(secret, 'utf8'));
  // Tokens already verified, by their exact string: every API call presents one, and checking the
  // HMAC and claims again was a measurable share of an order's cost. Oldest entries go first.
  const verified = new Map<string, { principal: Principal; expS: number; sessionId: string }>();
  return {
    sign(p, nowMs, sessionId) {
      const iat = Math.floor(nowMs / 1000);
      const exp = iat + ttlHours * 3600;
      const claims = {
        username: p.username,
        orgId: p.orgId,
        orgName: p.orgName,
        roles: p.roles,
        iat,
        exp,
        ...(p.passwordChangeRequired ? { pcr: true } : {}),
      };
      const token = jwt.sign(claims, key, {
        algorithm: ALGORITHM,
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        subject: p.userId,
        jwtid: sessionId,
      });
      return { token, expiresAtMs: exp * 1000 };
    },
    verify(token, nowMs) {
      const nowS = Math.floor(nowMs / 1000);
      const hit = verified.get(token);
      // The same string is the same signed content: only the expiry, which depends on the time, and
      // the session, which may have been revoked since, are checked again.
      if (hit)
        return nowS < hit.expS && !revocations.isRevoked(hit.sessionId) ? { ...hit.principal, roles: [...hit.principal.roles] } : null;
      try {
        const c = jwt.verify(token, key, { algorithms: [ALGORITHM], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, clockTimestamp: nowS });
        if (
          typeof c !== 'object' ||
          typeof c.sub !== 'string' ||
          !Array.isArray(c.roles) ||
          typeof c.orgId !== 'string' ||
          typeof c.exp !== 'number' ||
          typeof c.jti !== 'string'
        )
          return null;
        if (revocations.isRevoked(c.jti)) return null;
        const principal: Principal = {
          userId: c.sub,
          username: String(c.username),
          orgId: c.orgId,
          orgName: String(c.orgName),
          roles: c.roles as Role[],
          tokenExpiresAtMs: c.exp * 1000,
          sessionId: c.jti,
          ...(c.pcr === true ? { passwordChangeRequired: true } : {}),
        };
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
        verified.set(token, { principal, expS: c.exp, sessionId: c.jti });
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
