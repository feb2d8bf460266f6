import { z } from 'zod';
import { loginResponse } from '../../shared/wire';
import { route } from '../http/route';
import type { AuthService } from './auth.service';
import type { UserAdminService } from './user-admin.service';
import { clearedCookies, sessionCookies, type WsTickets } from './browser-session';
import { tokenOf } from '../http/mount';
import { AppError } from '../commands/errors';

/** An administrator's action on a user: which user, and why (audited). */
const userParams = z.object({ userId: z.string().min(1).max(64) });
const reasonBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

// Wall-clock times throughout: see http/mount.ts authenticate.
export const authRoutes = (auth: AuthService, users: UserAdminService, tickets: WsTickets) => [
  route({
    method: 'post',
    path: '/api/auth/login',
    tag: 'auth',
    access: 'public',
    summary:
      'Sign in with username and password; returns a bearer token valid for a few hours (one sign-in session) ' +
      'and sets the browser session: the httpOnly SameSite=Strict cookie sfund_session and the CSRF cookie sfund_csrf',
    body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict(),
    response: loginResponse,
    errors: ['UNAUTHENTICATED', 'RATE_LIMITED', 'CSRF_REJECTED'],
    handler: async ({ body, req, res }) => {
      const nowMs = Date.now();
      const out = await auth.login(body.username, body.password, nowMs, req.ip ?? 'unknown');
      res.append('Set-Cookie', sessionCookies(out.token, out.expiresAtMs, nowMs, req.secure));
      return { token: out.token, user: out.user };
    },
  }),
  route({
    method: 'post',
    path: '/api/auth/ws-ticket',
    tag: 'auth',
    access: 'signed-in',
    summary: 'A single-use ticket (30 s, this process) that authenticates one /ws upgrade: /ws?ticket=<ticket>',
    response: z.object({ ticket: z.string(), expiresAt: z.string() }),
    errors: ['UNAUTHENTICATED', 'CSRF_REJECTED'],
    handler: async ({ req }) => {
      const token = tokenOf(req);
      if (!token) throw new AppError('UNAUTHENTICATED', 'a Bearer token (or the browser session cookie) is required');
      return tickets.issue(token.value, Date.now());
    },
  }),
  route({
    method: 'post',
    path: '/api/auth/password',
    tag: 'auth',
    access: 'signed-in',
    beforePasswordChange: true,
    summary:
      "Replace the caller's password (required at first sign-in for a user " +
      'created by an administrator): ends every session of the user and ' +
      'answers with a new sign-in',
    body: z.object({ current: z.string().min(1).max(256), new: z.string().min(1).max(256) }).strict(),
    response: loginResponse,
    errors: ['FORBIDDEN', 'CONFLICT', 'CSRF_REJECTED'],
    handler: async ({ body, principal, req, res }) => {
      const nowMs = Date.now();
      const out = await auth.changePassword(principal, body.current, body.new, nowMs, req.ip ?? 'unknown');
      // The old sessions ended: the browser's session cookie moves to the new sign-in.
      res.append('Set-Cookie', sessionCookies(out.token, out.expiresAtMs, nowMs, req.secure));
      return { token: out.token, user: out.user };
    },
  }),
  route({
    method: 'post',
    path: '/api/auth/logout',
    tag: 'auth',
    access: 'signed-in',
    beforePasswordChange: true,
    summary: "Sign out: ends the token's session here and, within seconds, in every process; its sockets are closed (4401)",
    errors: ['UNAUTHENTICATED', 'CSRF_REJECTED'],
    handler: async ({ principal, req, res }) => {
      const out = await auth.logout(principal, Date.now());
      res.append('Set-Cookie', clearedCookies(req.secure));
      return out;
    },
  }),
  route({
    method: 'get',
    path: '/api/auth/me',
    tag: 'auth',
    access: 'signed-in',
    beforePasswordChange: true,
    summary: 'The signed-in user, from the token',
    handler: async ({ principal }) => ({
      id: principal.userId,
      username: principal.username,
      orgId: principal.orgId,
      orgName: principal.orgName,
      roles: principal.roles,
      mustChangePassword: principal.passwordChangeRequired === true,
    }),
  }),
  route({
    method: 'get',
    path: '/api/admin/users',
    tag: 'auth',
    access: ['admin'],
    summary: 'Every user with organisation, roles, suspension (when, why) and number of open sessions',
    handler: () => users.listUsers(Date.now()),
  }),
  route({
    method: 'post',
    path: '/api/admin/users/:userId/sessions/revoke',
    tag: 'auth',
    access: ['admin'],
    idempotent: true,
    summary:
      'End every open session of a user (lost device, suspected compromise), ' +
      "with a reason; the user's tokens and sockets stop working (signing in " +
      'again is still possible)',
    params: userParams,
    body: reasonBody,
    errors: ['NOT_FOUND'],
    handler: ({ params, body, principal, idempotencyKey }) =>
      users.revokeUserSessions(principal, params.userId, body.reason, idempotencyKey, Date.now()),
  }),
  route({
    method: 'post',
    path: '/api/admin/users/:userId/suspend',
    tag: 'auth',
    access: ['admin'],
    idempotent: true,
    summary: 'Suspend a user (leaver, compromised account), with a reason: no more sign-ins, and every open session ends',
    params: userParams,
    body: reasonBody,
    errors: ['NOT_FOUND', 'INVALID_STATE', 'FORBIDDEN'],
    handler: ({ params, body, principal, idempotencyKey }) =>
      users.suspend(principal, params.userId, body.reason, idempotencyKey, Date.now()),
  }),
  route({
    method: 'post',
    path: '/api/admin/users/:userId/reinstate',
    tag: 'auth',
    access: ['admin'],
    idempotent: true,
    summary: 'Let a suspended user sign in again, with a reason',
    params: userParams,
    body: reasonBody,
    errors: ['NOT_FOUND', 'INVALID_STATE'],
    handler: ({ params, body, principal, idempotencyKey }) =>
      users.reinstate(principal, params.userId, body.reason, idempotencyKey, Date.now()),
  }),
];
