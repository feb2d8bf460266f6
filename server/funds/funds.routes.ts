import { z } from 'zod';
import { fundDetail, fundSummary, id } from '../../shared/wire';
import { route } from '../http/route';
import type { FundsService } from './funds.service';

export const fundsRoutes = (funds: FundsService) => [
  route({
    method: 'get',
    path: '/api/funds',
    tag: 'funds',
    access: 'signed-in',
    summary: 'Every listed fund with its NAV reference and live book prices (percent of NAV)',
    response: z.array(fundSummary),
    handler: () => funds.list(),
  }),
  route({
    method: 'get',
    path: '/api/funds/:fundId',
    tag: 'funds',
    access: 'signed-in',
    summary: 'One fund: its latest NAV report and its transfer terms',
    errors: ['NOT_FOUND'],
    params: z.object({ fundId: id }),
    response: fundDetail,
    handler: ({ params }) => funds.detail(params.fundId),
  }),
];
