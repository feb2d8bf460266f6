/**
 * Which roles a user may hold, by the kind of its organisation: operators and administrators work
 * for the exchange, a GP's users act for the manager, members' users trade. One table, so an
 * administrator cannot give a buyer's employee the operator role by mistake.
 */
import type { OrgKind, Role } from '../../db/schema';

export const ROLES_BY_KIND: Readonly<Record<OrgKind, readonly Role[]>> = {
  exchange: ['operator', 'admin'],
  gp: ['gp'],
  lp: ['seller', 'buyer'],
  buyer: ['seller', 'buyer'],
  pledgee: ['pledgee'],
};

/** The roles `kind` may not hold, in the order given (empty when all are allowed). */
export function rolesNotAllowed(kind: OrgKind, roles: readonly Role[]): Role[] {
  return roles.filter((r) => !ROLES_BY_KIND[kind].includes(r));
}
