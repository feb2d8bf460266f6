/** Administrators admit organisations and their users (api.md "Running for real"). */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { DatabaseHandle } from '../../db/database';
import { hashPassword } from '../auth/passwords';
import { MIN_PASSWORD_LENGTH } from '../auth/auth.service';
import { iso, type Clock } from '../clock/clock';
import type { CommandRunner } from '../commands';
import { route } from '../http/route';
import { createOrganisation, createUser, listOrganisations } from './members.service';

export interface MembersDeps {
  handle: DatabaseHandle;
  clock: Clock;
  commands: CommandRunner;
}

const organisationBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    nameEn: z.string().trim().min(1).max(200).optional(),
    kind: z.enum(['exchange', 'lp', 'buyer', 'gp', 'pledgee']),
    uscc: z.string().trim().toUpperCase().max(40),
    stateOwned: z.boolean().optional(),
  })
  .strict();

const userBody = z
  .object({
    username: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, 'lower-case letters, digits, . _ - (2–32)'),
    orgId: z.string().min(1).max(64),
    displayName: z.string().trim().min(1).max(100).optional(),
    roles: z
      .array(z.enum(['seller', 'buyer', 'gp', 'operator', 'admin', 'pledgee']))
      .min(1)
      .max(6),
    initialPassword: z.string().min(MIN_PASSWORD_LENGTH).max(256),
  })
  .strict();

export const membersRoutes = (d: MembersDeps) => [
  route({
    method: 'get',
    path: '/api/admin/organisations',
    tag: 'members',
    access: ['admin', 'operator'],
    summary: 'Every organisation with its kind and unified social credit code',
    handler: () => listOrganisations(d.handle.db),
  }),
  route({
    method: 'post',
    path: '/api/admin/organisations',
    tag: 'members',
    access: ['admin'],
    idempotent: true,
    successStatus: 201,
    summary:
      'Admit an organisation; its unified social credit code (18 characters, GB 32100-2015) is checked, its check character verified',
    body: organisationBody,
    errors: ['DUPLICATE_USCC', 'CONFLICT'],
    handler: async ({ body, principal, idempotencyKey }) => {
      const at = iso(d.clock.now());
      return d.commands(
        { userId: principal.userId, idempotencyKey, fingerprint: ['organisation.create', body], nowIso: at },
        async (trx) => {
          const org = await createOrganisation(
            trx,
            d.handle.engine,
            principal,
            {
              id: `org-${body.uscc.toLowerCase()}`,
              name: body.name,
              nameEn: body.nameEn ?? body.name,
              kind: body.kind,
              uscc: body.uscc,
              stateOwned: body.stateOwned ?? false,
            },
            at,
          );
          return { status: 201, body: org };
        },
      );
    },
  }),
  route({
    method: 'post',
    path: '/api/admin/users',
    tag: 'members',
    access: ['admin'],
    idempotent: true,
    successStatus: 201,
    summary: 'Create a user of an organisation with an initial password, which the user must replace at first sign-in',
    body: userBody,
    errors: ['NOT_FOUND', 'USERNAME_TAKEN'],
    handler: async ({ body, principal, idempotencyKey }) => {
      const at = iso(d.clock.now());
      // The fingerprint holds a hash of the password, never the password (idempotency rows are kept).
      const fingerprint = [
        'user.create',
        { ...body, initialPassword: crypto.createHash('sha256').update(body.initialPassword).digest('hex') },
      ];
      const passwordHash = await hashPassword(body.initialPassword);
      return d.commands({ userId: principal.userId, idempotencyKey, fingerprint, nowIso: at }, async (trx) => ({
        status: 201,
        body: await createUser(
          trx,
          d.handle.engine,
          principal,
          {
            username: body.username,
            orgId: body.orgId,
            displayName: body.displayName ?? body.username,
            roles: body.roles,
            passwordHash,
            mustChangePassword: true,
          },
          at,
        ),
      }));
    },
  }),
];
