/** Qualified-investor records: operators record and list them; every member sees its own organisation's. */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { DatabaseHandle } from '../../db/database';
import { id, isoDate, yuan } from '../../shared/wire';
import { iso, type Clock } from '../clock/clock';
import type { CommandRunner } from '../commands';
import { route } from '../http/route';
import type { QualificationThresholds } from './qualification-rules';
import { listQualifications, recordQualification } from './qualifications.service';

export interface QualificationsDeps {
  handle: DatabaseHandle;
  clock: Clock;
  commands: CommandRunner;
  thresholds: QualificationThresholds;
}

const body = z
  .object({ orgId: id, netAssets: yuan, financialAssets: yuan, validUntil: isoDate, evidenceRef: z.string().trim().min(1).max(120) })
  .strict();

export const qualificationsRoutes = (d: QualificationsDeps) => [
  route({
    method: 'post',
    path: '/api/admin/qualifications',
    tag: 'qualifications',
    access: ['operator'],
    idempotent: true,
    successStatus: 201,
    summary:
      'Record a qualified-investor assessment: net assets ≥ QI_MIN_NET_ASSETS ' +
      'and financial assets ≥ QI_MIN_FINANCIAL_ASSETS (422 NOT_QUALIFIED ' +
      'below); valid through validUntil',
    body,
    errors: ['NOT_FOUND', 'NOT_QUALIFIED'],
    handler: ({ body: q, principal, idempotencyKey }) => {
      const at = iso(d.clock.now());
      return d.commands(
        { userId: principal.userId, idempotencyKey, fingerprint: ['qualification.record', q], nowIso: at },
        async (trx) => ({
          status: 201,
          body: await recordQualification(trx, d.handle.engine, principal, q, d.thresholds, at, `qual-${crypto.randomUUID()}`),
        }),
      );
    },
  }),
  route({
    method: 'get',
    path: '/api/admin/qualifications',
    tag: 'qualifications',
    access: ['operator', 'admin'],
    summary: 'Every qualified-investor record with its status now (valid, expired, not yet valid, below its thresholds), newest first',
    handler: () => listQualifications(d.handle.db, iso(d.clock.now())),
  }),
  route({
    method: 'get',
    path: '/api/qualifications',
    tag: 'qualifications',
    access: 'signed-in',
    summary: "The caller's organisation's qualified-investor records with their status now, and the thresholds in force",
    handler: async ({ principal }) => ({
      thresholds: d.thresholds,
      records: await listQualifications(d.handle.db, iso(d.clock.now()), principal.orgId),
    }),
  }),
];
