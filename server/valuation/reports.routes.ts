/** Fund valuation reports (valuation.md "What a valuation report shows") and stored user-supplied valuations. */
import { z } from 'zod';
import { id, isoDate, yuan } from '../../shared/wire';
import { decimalString } from '../../shared/valuation/calculator-schemas';
import { route } from '../http/route';
import { valuationRequestSchema, type ValuationRequest } from './model-schema';
import type { PdfWorkerPool } from '../pdf';
import { renderValuationInWorker } from './valuation-pdf';
import type { ValuationService } from './valuation.service';

const floorQuery = z
  .object({
    appraisalValue: yuan.optional(),
    appraisalBaseDate: isoDate.optional(),
    approvalRef: z.string().trim().min(1).max(200).optional(),
    ratio: decimalString('ratio', { min: '0', minExclusive: true, max: '1' }).optional(),
  })
  .refine((q) => (q.appraisalValue === undefined) === (q.appraisalBaseDate === undefined), {
    error: 'appraisalValue and appraisalBaseDate go together (the state-owned floor needs both)',
    path: ['appraisalBaseDate'],
  });

/** @param pdf the process's PDF workers: the report PDF is rendered there, off the matching thread. */
export const valuationReportRoutes = (valuations: ValuationService, pdf: PdfWorkerPool) => [
  route({
    method: 'get',
    path: '/api/funds/:fundId/valuation',
    tag: 'valuation',
    access: 'signed-in',
    summary:
      "The fund's valuation report for the caller's share (its position, else a standard 10,000,000 commitment): fair value range, " +
      ('IRR grid, sensitivity, holdings with methods, every input and setting, ' +
        'content hash; `pricing` adds the model price and the suggested ask, ') +
      ('raised for a first state-owned listing to at least the filed appraisal ' +
        'when appraisalValue, appraisalBaseDate (and approvalRef, ratio) are given, ') +
      ('with the state-owned floor (appraisal × ratio, the lowest reprice ' +
        'without consent). contentHash covers all but pricing and shareBasis.'),
    errors: ['NOT_FOUND'],
    params: z.object({ fundId: id }),
    query: floorQuery,
    handler: ({ principal, params, query }) => valuations.fundValuation(principal, params.fundId, query),
  }),
  route({
    method: 'get',
    path: '/api/funds/:fundId/valuation.pdf',
    tag: 'valuation',
    access: 'signed-in',
    summary: 'The same report as a bilingual (Chinese/English) PDF for the file, with the same floor query',
    errors: ['NOT_FOUND'],
    params: z.object({ fundId: id }),
    query: floorQuery,
    handler: async ({ principal, params, query }) => {
      const view = await valuations.fundValuation(principal, params.fundId, query);
      const bytes = await renderValuationInWorker(pdf, view, { shareDescription: view.shareBasis.description, pricing: view.pricing });
      return { raw: { contentType: 'application/pdf', bytes, filename: `valuation-${params.fundId}-${view.valuationDate}.pdf` } };
    },
  }),
  route({
    method: 'post',
    path: '/api/valuations',
    tag: 'valuation',
    access: 'signed-in',
    idempotent: true,
    successStatus: 201,
    summary:
      'Values a user-supplied fund model {model, share, settings?} (decimals as strings) and stores inputs and report; → 201 {id, report}',
    body: valuationRequestSchema,
    errors: ['IDEMPOTENCY_KEY_REUSED'],
    handler: ({ principal, body, idempotencyKey }) =>
      valuations.create(principal, JSON.parse(JSON.stringify(body)) as ValuationRequest, idempotencyKey),
  }),
  route({
    method: 'get',
    path: '/api/valuations/:valuationId',
    tag: 'valuation',
    access: 'signed-in',
    summary: 'A stored valuation (its creating organisation, operators and administrators; others get 404)',
    errors: ['NOT_FOUND'],
    params: z.object({ valuationId: id }),
    handler: ({ principal, params }) => valuations.get(principal, params.valuationId),
  }),
];
