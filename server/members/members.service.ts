/**
 * Admitting members: organisations (with their unified social credit code verified) and their users.
 * Each function runs in the caller's transaction and appends its audit entry there, so the HTTP
 * commands, the first-admin command line and the demo seed admit members the same way.
 */
import type { Db, DbEngine, Tx } from '../../db/database';
import type { OrgKind, Role } from '../../db/schema';
import { usccProblem } from '../../shared/uscc';
import { appendAudit } from '../audit/audit-log';
import { AppError } from '../commands/errors';
import { rolesNotAllowed } from './roles';
import { EXCHANGE_STREAM, orgStream } from '../audit/streams';

/** Who acts: a user of an organisation (the audit's actor). */
export interface Actor {
  userId: string;
  orgId: string;
}

export interface NewOrganisation {
  id: string;
  name: string;
  nameEn: string;
  kind: OrgKind;
  uscc: string;
  stateOwned: boolean;
}
export interface OrganisationView {
  id: string;
  name: string;
  nameEn: string;
  kind: OrgKind;
  uscc: string | null;
  stateOwned: boolean;
  createdAt: string;
}

const USCC_PROBLEMS = {
  LENGTH: 'must be 18 characters',
  CHARACTER: 'may hold only digits and the capital letters A–Y without I, O, S, V and Z',
  DIVISION: 'characters 3–8 must be the digits of an administrative division code',
  CHECK_CHARACTER: 'its check character (the 18th) does not match the first 17 (GB 32100-2015)',
} as const;

/** 400 VALIDATION_FAILED naming what is wrong with a unified social credit code. */
export function checkUscc(uscc: string): void {
  const problem = usccProblem(uscc);
  if (problem)
    throw new AppError('VALIDATION_FAILED', `uscc ${uscc}: ${USCC_PROBLEMS[problem]}`, { params: { field: 'uscc', reason: problem } });
}

export const organisationView = (o: {
  id: string;
  name: string;
  nameEn: string;
  kind: OrgKind;
  uscc: string | null;
  stateOwned: number;
  createdAt: string;
}): OrganisationView => ({
  id: o.id,
  name: o.name,
  nameEn: o.nameEn,
  kind: o.kind,
  uscc: o.uscc,
  stateOwned: o.stateOwned === 1,
  createdAt: o.createdAt,
});

export async function createOrganisation(
  trx: Tx,
  engine: DbEngine,
  actor: Actor | null,
  o: NewOrganisation,
  at: string,
): Promise<OrganisationView> {
  return insertOrganisation(trx, engine, actor, o, at);
}

async function insertOrganisation(
  trx: Tx,
  engine: DbEngine,
  actor: Actor | null,
  o: Omit<NewOrganisation, 'uscc'> & { uscc: string | null },
  at: string,
): Promise<OrganisationView> {
  if (o.uscc !== null) await checkUsccFree(trx, o.uscc);
  if (await trx.selectFrom('organisations').select('id').where('id', '=', o.id).executeTakeFirst()) {
    throw new AppError('CONFLICT', `organisation ${o.id} exists already`);
  }
  const row = { id: o.id, name: o.name, nameEn: o.nameEn, kind: o.kind, uscc: o.uscc, stateOwned: o.stateOwned ? 1 : 0, createdAt: at };
  await trx.insertInto('organisations').values(row).execute();
  await appendAudit(trx, engine, {
    stream: actor ? orgStream(actor.orgId) : EXCHANGE_STREAM,
    at,
    actorUserId: actor?.userId ?? null,
    actorOrgId: actor?.orgId ?? null,
    action: 'organisation.create',
    entityType: 'organisation',
    entityId: o.id,
    payload: { name: o.name, nameEn: o.nameEn, kind: o.kind, uscc: o.uscc, stateOwned: o.stateOwned },
  });
  return organisationView(row);
}

/** A well-formed code (check character verified) that no organisation holds yet. */
async function checkUsccFree(trx: Tx, uscc: string): Promise<void> {
  checkUscc(uscc);
  const taken = await trx.selectFrom('organisations').select(['id', 'name']).where('uscc', '=', uscc).executeTakeFirst();
  if (taken)
    throw new AppError('DUPLICATE_USCC', `uscc ${uscc} is already registered to ${taken.name} (${taken.id})`, {
      params: { uscc, orgId: taken.id },
    });
}

export interface NewUser {
  username: string;
  orgId: string;
  displayName: string;
  roles: Role[];
  passwordHash: string;
  /** True for a user given an initial password by an administrator: it must choose its own first. */
  mustChangePassword: boolean;
}
export interface UserView {
  id: string;
  username: string;
  orgId: string;
  displayName: string;
  roles: Role[];
  mustChangePassword: boolean;
  createdAt: string;
}

/** A user's id follows from its (unique) username. */
export const userIdOf = (username: string) => `user-${username}`;

export async function createUser(trx: Tx, engine: DbEngine, actor: Actor | null, u: NewUser, at: string): Promise<UserView> {
  const org = await trx.selectFrom('organisations').select(['id', 'kind']).where('id', '=', u.orgId).executeTakeFirst();
  if (!org) throw new AppError('NOT_FOUND', `organisation ${u.orgId} not found`);
  const refused = rolesNotAllowed(org.kind, u.roles);
  if (refused.length) {
    throw new AppError('VALIDATION_FAILED', `a user of a ${org.kind} organisation cannot hold the role(s) ${refused.join(', ')}`, {
      params: { field: 'roles', kind: org.kind, roles: refused.join(',') },
    });
  }
  if (await trx.selectFrom('users').select('id').where('username', '=', u.username).executeTakeFirst()) {
    throw new AppError('USERNAME_TAKEN', `the username ${u.username} is taken`, { params: { username: u.username } });
  }
  const id = userIdOf(u.username);
  await trx
    .insertInto('users')
    .values({
      id,
      username: u.username,
      orgId: u.orgId,
      displayName: u.displayName,
      roles: u.roles.join(','),
      passwordHash: u.passwordHash,
      createdAt: at,
      suspendedAt: null,
      suspendedBy: null,
      suspendReason: null,
      mustChangePassword: u.mustChangePassword ? 1 : 0,
    })
    .execute();
  await appendAudit(trx, engine, {
    stream: actor ? orgStream(actor.orgId) : EXCHANGE_STREAM,
    at,
    actorUserId: actor?.userId ?? null,
    actorOrgId: actor?.orgId ?? null,
    action: 'user.create',
    entityType: 'user',
    entityId: id,
    payload: { username: u.username, orgId: u.orgId, displayName: u.displayName, roles: u.roles, mustChangePassword: u.mustChangePassword },
  });
  return {
    id,
    username: u.username,
    orgId: u.orgId,
    displayName: u.displayName,
    roles: u.roles,
    mustChangePassword: u.mustChangePassword,
    createdAt: at,
  };
}

export async function listOrganisations(db: Db | Tx): Promise<OrganisationView[]> {
  const rows = await db.selectFrom('organisations').selectAll().orderBy('kind').orderBy('name').execute();
  return rows.map(organisationView);
}

/** Whether any user holds the admin role: the first-admin command works only before that. */
export async function anAdminExists(trx: Tx): Promise<boolean> {
  const rows = await trx.selectFrom('users').select('roles').execute();
  return rows.some((r) => r.roles.split(',').includes('admin'));
}

/** The exchange's organisation; its credit code may be given later (null), since the command line asks only for a name. */
export interface FirstAdmin {
  username: string;
  displayName: string;
  passwordHash: string;
  org: Omit<NewOrganisation, 'kind' | 'uscc'> & { uscc: string | null };
}

/**
 * The exchange's first administrator and its organisation, on a database without one (the command
 * line's `admin:create`, and the demo seed). Refused once any administrator exists. Audited.
 */
export async function createFirstAdmin(trx: Tx, engine: DbEngine, a: FirstAdmin, at: string): Promise<UserView> {
  if (await anAdminExists(trx))
    throw new AppError('INVALID_STATE', 'an administrator exists already; further users are added by an administrator', {
      params: { reason: 'ADMIN_EXISTS' },
    });
  await insertOrganisation(trx, engine, null, { ...a.org, kind: 'exchange' }, at);
  return createUser(
    trx,
    engine,
    null,
    {
      username: a.username,
      orgId: a.org.id,
      displayName: a.displayName,
      roles: ['admin'],
      passwordHash: a.passwordHash,
      mustChangePassword: false,
    },
    at,
  );
}
