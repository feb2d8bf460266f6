import { z } from 'zod';
import { isoDate } from '../../shared/wire';
import type { Clock } from '../clock/clock';
import { iso } from '../clock/clock';
import type { CommandRunner } from '../commands';
import { route } from '../http/route';
import type { LoanRatesService } from './loan-rates.service';

/** Percent per year with up to 2 decimals, as the LPR is published ("3.00"). */
const ratePct = z.string().regex(/^\d{1,2}(\.\d{1,2})?$/, 'must be a percent per year as a string with at most 2 decimals, e.g. "3.00"');
const source = z.string().trim().min(1).max(300);

export const loanRatesRoutes = (d: { rates: LoanRatesService; clock: Clock; commands: CommandRunner }) => [
  route({
    method: 'get',
    path: '/api/loan-prime-rates',
    tag: 'loan rates',
    access: 'signed-in',
    summary:
      'The one-year Loan Prime Rates the exchange counts, oldest first: the floor of an instalment ' +
      "listing's interest (Order 32 art. 28); operators also see a recorded rate awaiting approval",
    handler: async ({ principal }) => d.rates.list(principal),
  }),
  route({
    method: 'post',
    path: '/api/admin/loan-prime-rates',
    tag: 'loan rates',
    access: ['operator'],
    idempotent: true,
    summary: 'Record a new one-year LPR publication (202); it counts once a different operator approves it',
    body: z.object({ effectiveDate: isoDate, oneYearPct: ratePct, source }).strict(),
    errors: ['CONFLICT'],
    handler: async ({ body, principal, idempotencyKey }) => {
      const nowIso = iso(d.clock.now());
      return d.commands({ userId: principal.userId, idempotencyKey, fingerprint: ['loan-prime-rate', body], nowIso }, (trx) =>
        d.rates.record(trx, principal, body, nowIso),
      );
    },
  }),
  route({
    method: 'post',
    path: '/api/admin/loan-prime-rates/:effectiveDate/approve',
    tag: 'loan rates',
    access: ['operator'],
    idempotent: true,
    summary: 'Approve a recorded rate, naming the rate checked against the publication (four eyes: not its recorder)',
    params: z.object({ effectiveDate: isoDate }),
    body: z.object({ oneYearPct: ratePct }).strict(),
    errors: ['NOT_FOUND', 'CONFLICT', 'FOUR_EYES'],
    handler: async ({ params, body, principal, idempotencyKey }) => {
      const nowIso = iso(d.clock.now());
      return d.commands(
        { userId: principal.userId, idempotencyKey, fingerprint: ['loan-prime-rate.approve', params.effectiveDate, body], nowIso },
        (trx) => d.rates.approve(trx, principal, params.effectiveDate, body.oneYearPct, nowIso),
      );
    },
  }),
  route({
    method: 'post',
    path: '/api/admin/loan-prime-rates/:effectiveDate/reject',
    tag: 'loan rates',
    access: ['operator'],
    idempotent: true,
    summary: 'Take back a recorded rate awaiting approval',
    params: z.object({ effectiveDate: isoDate }),
    errors: ['NOT_FOUND'],
    handler: async ({ params, principal, idempotencyKey }) => {
      const nowIso = iso(d.clock.now());
      return d.commands(
        { userId: principal.userId, idempotencyKey, fingerprint: ['loan-prime-rate.reject', params.effectiveDate], nowIso },
        (trx) => d.rates.reject(trx, principal, params.effectiveDate, nowIso),
      );
    },
  }),
];
