import { z } from 'zod';
import type { Request } from 'express';
import { isIsoDate } from '../../shared/calendar';
import { route, type RouteResult } from '../http/route';
import { indexCsv, statsCsv } from './csv';
import type { MarketDataService } from './market-data.service';

const STRATEGIES = ['buyout', 'growth', 'venture', 'fof', 'infrastructure'] as const;
const year = z
  .string()
  .regex(/^\d{4}$/, 'must be a year, e.g. "2020"')
  .transform(Number);
const date = z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD');

const indexQuery = z.object({ strategy: z.enum(STRATEGIES).optional(), vintageFrom: year.optional(), vintageTo: year.optional() }).strict();
const statsQuery = z.object({ from: date.optional(), to: date.optional() }).strict();
const announcementsQuery = z.object({ kind: z.enum(['listing', 'qualification', 'result']) }).strict();

const money = z.string();
const indexAnswer = z.object({
  asOf: z.string(),
  points: z.array(
    z.object({ month: z.string(), pctOfNav: z.string(), deals: z.number().int(), volume: money, daysSinceLastDeal: z.number().int() }),
  ),
});
const figures = z.object({ deals: z.number().int(), volume: money });
const statsAnswer = z.object({
  deals: z.number().int(),
  volume: money,
  medianDaysToComplete: z.number().nullable(),
  byVenue: z.object({ book: figures, listing: figures }),
  byStrategy: z.record(z.string(), figures.extend({ pctOfNav: z.string().nullable() })),
});
const announcement = z
  .object({
    listingId: z.string(),
    fundName: z.string(),
    fundNameEn: z.string(),
    quantity: z.string(),
    askPrice: money,
    appraisalValue: money.optional(),
    notice: z.object({ zh: z.string(), en: z.string() }).optional().describe('kind=qualification: the announcement in both languages'),
  })
  .passthrough();

const wantsCsv = (req: Request): boolean => req.accepts(['application/json', 'text/csv']) === 'text/csv';
const csv = (text: string): RouteResult => ({ raw: { contentType: 'text/csv; charset=utf-8', bytes: Buffer.from(text, 'utf8') } });

/** api.md "Public announcements and market data (no sign-in)". */
export const marketDataRoutes = (market: MarketDataService) => [
  route({
    method: 'get',
    path: '/api/public/announcements',
    tag: 'public',
    access: 'public',
    summary:
      'Listing announcements during disclosure; qualification announcements (kind=qualification) while a state-owned ' +
      "listing's qualification phase runs (its opinion and deposit deadlines, a notice in Chinese and English); result " +
      'announcements of awarded listings for at least 5 working days. Every one carries the fund name in both languages. ' +
      'Nothing about bidders',
    query: announcementsQuery,
    response: z.array(announcement),
    handler: ({ query }) => market.announcements(query.kind),
  }),
  route({
    method: 'get',
    path: '/api/public/market/index',
    tag: 'public',
    access: 'public',
    summary: 'The S-market %NAV index by Beijing calendar month over both venues (text/csv for Accept: text/csv)',
    query: indexQuery,
    response: indexAnswer,
    errors: ['INVALID_RANGE'],
    handler: async ({ query, req }) => {
      const ix = await market.index(query);
      return wantsCsv(req) ? csv(indexCsv(ix)) : ix;
    },
  }),
  route({
    method: 'get',
    path: '/api/public/market/stats',
    tag: 'public',
    access: 'public',
    summary:
      'Deals, volume, median days from trade to completion, by venue and ' +
      'strategy, for trades dated from..to (Beijing dates; text/csv for ' +
      'Accept: text/csv)',
    query: statsQuery,
    response: statsAnswer,
    errors: ['INVALID_RANGE'],
    handler: async ({ query, req }) => {
      const s = await market.stats(query.from, query.to);
      return wantsCsv(req) ? csv(statsCsv(s)) : s;
    },
  }),
];
