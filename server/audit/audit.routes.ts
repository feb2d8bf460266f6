/** The public audit anchors (api.md "Public audit anchors"): anyone may fetch them and keep one to check the history later. */
import { z } from 'zod';
import type { Db } from '../../db/database';
import { route } from '../http/route';
import { listAnchors } from './anchors';

export const auditRoutes = (db: Db) => [
  route({
    method: 'get',
    path: '/api/public/audit/anchors',
    tag: 'audit',
    access: 'public',
    summary:
      "The global audit anchors, newest first: each the audit log's entry count and the anchor's hash (headHash), " +
      ('which commits to every stream of the log; keep one and run ' +
        '`audit:verify --against count:headHash` later to prove nothing before ' +
        'it was cut or rewritten'),
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict(),
    response: z.array(z.object({ at: z.string(), count: z.number().int(), headHash: z.string() })),
    handler: ({ query }) => listAnchors(db, query.limit),
  }),
];
