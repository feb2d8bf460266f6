/** The valuation calculators of api.md: thin routes over the pure module in shared/valuation. */
import { lockupDiscountRequest, projectionRequest, waterfallRequest } from '../../shared/valuation/calculator-schemas';
import { lockupDiscountCalculator, projectionCalculator, waterfallCalculator } from '../../shared/valuation/calculators';
import { ValuationError } from '../../shared/valuation/numeric';
import { AppError } from '../commands/errors';
import { route } from '../http/route';

/** Inputs the schema accepts can still be refused by the maths (e.g. a projection that cannot converge): a 400, never a 500. */
function calculate<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ValuationError) throw new AppError('VALIDATION_FAILED', err.message);
    throw err;
  }
}

export const valuationRoutes = () => [
  route({
    method: 'post',
    path: '/api/valuation/lockup-discount',
    tag: 'valuation',
    access: 'signed-in',
    summary: 'Lock-up discount of a restricted listed share (AMAC 2017 Asian-option model); decimals as strings',
    body: lockupDiscountRequest,
    handler: async ({ body }) => calculate(() => lockupDiscountCalculator(body)),
  }),
  route({
    method: 'post',
    path: '/api/valuation/projection',
    tag: 'valuation',
    access: 'signed-in',
    summary: 'Takahashi–Alexander cash-flow projection and prices at target IRRs, including unfunded commitments',
    body: projectionRequest,
    handler: async ({ body }) => calculate(() => projectionCalculator(body)),
  }),
  route({
    method: 'post',
    path: '/api/valuation/waterfall',
    tag: 'valuation',
    access: 'signed-in',
    summary: 'European distribution waterfall: return of capital, preferred return, GP catch-up, carried-interest split',
    body: waterfallRequest,
    handler: async ({ body }) => calculate(() => waterfallCalculator(body)),
  }),
];
