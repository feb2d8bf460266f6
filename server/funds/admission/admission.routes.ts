/**
 * Admitting funds (operators, four eyes) and the GP's NAV reports (api.md "Running for real").
 * Thin: validate, run one service function inside one command (transaction, audit, Idempotency-Key).
 */
import { z } from 'zod';
import type { DatabaseHandle } from '../../../db/database';
import { id, isoDate, quantity, yuan } from '../../../shared/wire';
import { iso, type Clock } from '../../clock/clock';
import type { CommandRunner } from '../../commands';
import { AppError } from '../../commands/errors';
import { route } from '../../http/route';
import { admissionView, approveFund, loadPartners, proposeFund, type RegisterInput } from './admission.service';
import { publishNavReport } from './nav-reports';

export interface AdmissionDeps {
  handle: DatabaseHandle;
  clock: Clock;
  commands: CommandRunner;
}

const terms = z
  .object({
    rofr: z.boolean(),
    rofrWindowDays: z.number().int().min(0).max(365).optional(),
    gpConsent: z.boolean(),
    pledgeAllowed: z.boolean(),
    pledgeNeedsConsent: z.boolean().optional(),
    investorCap: z.number().int().min(1).max(10_000).optional(),
    minHoldingYuan: quantity.optional(),
    roundTripWorkingDays: z.number().int().min(0).max(250).optional(),
  })
  .strict();

const proposal = z
  .object({
    id,
    name: z.string().trim().min(1).max(200),
    nameEn: z.string().trim().min(1).max(200).optional(),
    gpOrgId: id,
    strategy: z.enum(['buyout', 'growth', 'venture', 'fof', 'infrastructure']),
    vintage: z.number().int().min(1990).max(2100),
    termYears: z.number().int().min(1).max(30).optional(),
    amacFiling: z.string().trim().max(40).optional(),
    legalForm: z.enum(['partnership', 'company', 'contractual']),
    totalCommitment: quantity,
    lotSize: quantity,
    terms,
  })
  .strict();

/** JSON rows, or CSV text (Content-Type text/csv, parsed in the service, row by row). */
const registerBody = z.union([
  z.array(z.object({ orgId: id, commitment: z.string().max(40), paidIn: z.string().max(40) }).strict()).max(10_000),
  z.string().max(1_000_000),
]);

const navReportBody = z.object({ referenceDate: isoDate, nav: yuan, paidIn: yuan, cumulativeDistributions: yuan }).strict();

export const admissionRoutes = (d: AdmissionDeps) => {
  const nowIso = () => iso(d.clock.now());
  return [
    route({
      method: 'get',
      path: '/api/admin/funds/:fundId',
      tag: 'fund admission',
      access: ['operator', 'admin'],
      summary: 'A fund as admitted: state (pending | open), legal form, terms, who proposed and approved it, the pending partner register',
      params: z.object({ fundId: id }),
      errors: ['NOT_FOUND'],
      handler: ({ params }) => admissionView(d.handle.db, params.fundId),
    }),
    route({
      method: 'get',
      path: '/api/admin/funds',
      tag: 'fund admission',
      access: ['operator', 'admin'],
      summary: 'Funds pending approval (members do not see them), with their registers',
      handler: async () => {
        const ids = await d.handle.db.selectFrom('funds').select('id').where('state', '=', 'pending').orderBy('createdAt').execute();
        return Promise.all(ids.map((f) => admissionView(d.handle.db, f.id)));
      },
    }),
    route({
      method: 'post',
      path: '/api/admin/funds',
      tag: 'fund admission',
      access: ['operator'],
      idempotent: true,
      successStatus: 201,
      summary:
        'Propose a fund with its legal form and terms: state pending until a ' +
        'different operator approves; investorCap defaults to 50 (partnership, ' +
        'company) or 200 (contractual)',
      body: proposal,
      errors: ['NOT_FOUND', 'FUND_EXISTS'],
      handler: ({ body, principal, idempotencyKey }) => {
        const at = nowIso();
        return d.commands({ userId: principal.userId, idempotencyKey, fingerprint: ['fund.propose', body], nowIso: at }, async (trx) => ({
          status: 201,
          body: await proposeFund(trx, d.handle.engine, principal, body, at),
        }));
      },
    }),
    route({
      method: 'put',
      path: '/api/admin/funds/:fundId/partners',
      tag: 'fund admission',
      access: ['operator'],
      idempotent: true,
      summary:
        "Load (replace) a pending fund's partner register: JSON [{orgId, " +
        'commitment, paidIn}] or text/csv with the header ' +
        'uscc,commitment,paidIn; every problem is listed with its row, nothing ' +
        'is half-loaded',
      params: z.object({ fundId: id }),
      body: registerBody,
      errors: ['NOT_FOUND', 'INVALID_STATE'],
      handler: ({ params, body, principal, idempotencyKey, req }) => {
        const csv = req.is('text/csv') !== false && req.is('text/csv') !== null;
        if (csv !== (typeof body === 'string'))
          throw new AppError('VALIDATION_FAILED', 'send a JSON array (application/json) or CSV text (text/csv)');
        const input: RegisterInput = typeof body === 'string' ? { csv: body } : { json: body };
        const at = nowIso();
        return d.commands(
          { userId: principal.userId, idempotencyKey, fingerprint: ['fund.partners', params.fundId, body], nowIso: at },
          async (trx) => ({ status: 200, body: await loadPartners(trx, d.handle.engine, principal, params.fundId, input, at) }),
        );
      },
    }),
    route({
      method: 'post',
      path: '/api/admin/funds/:fundId/approve',
      tag: 'fund admission',
      access: ['operator'],
      idempotent: true,
      summary:
        'Approve a pending fund (four eyes: not its proposer): it opens, and ' +
        'its partner register becomes positions through the unit ledger',
      params: z.object({ fundId: id }),
      errors: ['NOT_FOUND', 'INVALID_STATE', 'FOUR_EYES'],
      handler: ({ params, principal, idempotencyKey }) => {
        const at = nowIso();
        return d.commands(
          { userId: principal.userId, idempotencyKey, fingerprint: ['fund.approve', params.fundId], nowIso: at },
          async (trx) => ({ status: 200, body: await approveFund(trx, d.handle.engine, principal, params.fundId, at) }),
        );
      },
    }),
    route({
      method: 'post',
      path: '/api/funds/:fundId/nav-reports',
      tag: 'funds',
      access: ['gp'],
      idempotent: true,
      successStatus: 201,
      summary:
        "The fund's GP publishes a NAV report; refused when dated in the future " +
        "or not after the latest; used at once for every NAV shown, new trades' " +
        'consideration and the valuation',
      params: z.object({ fundId: id }),
      body: navReportBody,
      errors: ['NOT_FOUND', 'FORBIDDEN'],
      handler: ({ params, body, principal, idempotencyKey }) => {
        const at = nowIso();
        return d.commands(
          { userId: principal.userId, idempotencyKey, fingerprint: ['nav_report.publish', params.fundId, body], nowIso: at },
          async (trx) => ({ status: 201, body: await publishNavReport(trx, d.handle.engine, principal, params.fundId, body, at) }),
        );
      },
    }),
  ];
};
