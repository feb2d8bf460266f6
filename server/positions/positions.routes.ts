import { z } from 'zod';
import { positionView } from '../../shared/wire';
import { route } from '../http/route';
import type { PositionsService } from './positions.service';

export const positionsRoutes = (positions: PositionsService) => [
  route({
    method: 'get',
    path: '/api/positions',
    tag: 'positions',
    access: 'signed-in',
    summary: "The caller's organisation's fund shares: commitment, paid-in, unfunded, available (unencumbered) and NAV",
    response: z.array(positionView),
    handler: ({ principal }) => positions.forOrganisation(principal.orgId),
  }),
];
