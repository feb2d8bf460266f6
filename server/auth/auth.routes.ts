import { z } from 'zod';
import { loginResponse } from '../../shared/wire';
import { route } from '../http/route';
import type { AuthService } from './auth.service';

export const authRoutes = (auth: AuthService) => [
  route({
    method: 'post', path: '/api/auth/login', tag: 'auth', access: 'public',
    summary: 'Sign in with username and password; returns a bearer token valid for a few hours',
    body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict(),
    response: loginResponse, errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
    handler: ({ body, req }) => auth.login(body.username, body.password, Date.now(), req.ip ?? 'unknown'), // wall-clock: see http/mount.ts authenticate
  }),
  route({
    method: 'get', path: '/api/auth/me', tag: 'auth', access: 'signed-in',
    summary: 'The signed-in user, from the token',
    handler: async ({ principal }) => ({ id: principal.userId, username: principal.username, orgId: principal.orgId, orgName: principal.orgName, roles: principal.roles }),
  }),
];
