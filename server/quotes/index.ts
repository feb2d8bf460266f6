/**
 * Quotes: the WebSocket feed of books, trades, auctions and each member's own events.
 * Per process: each exchange process publishes what it commits itself (see README in this folder).
 */
import type http from 'node:http';
import type { Logger } from 'pino';
import type { TokenService } from '../auth/tokens';
import type { QuoteLimits } from './protocol';
import { Publisher, type TickOptions } from './publisher';
import { QuoteServer, type SessionEvents } from './quote-server';
import { QuoteSources, type QuoteSourceDeps } from './sources';

export { QuoteServer } from './quote-server';

export interface QuotesOptions extends QuoteSourceDeps {
  server: http.Server;
  tokens: TokenService;
  /** Sessions ended early: their sockets are closed. */
  sessions: SessionEvents;
  log: Logger;
  /** The publisher's tick (publisher.ts: DEFAULT_TICK). */
  tick?: Partial<TickOptions>;
  /** How often to look for listing, auction and transfer changes nobody announced (QuoteSources). */
  pollMs?: number;
  limits?: Partial<QuoteLimits>;
  authenticateUpgrade?: (req: http.IncomingMessage) => import('../auth/tokens').Principal | null;
}

/** Call after the services have recovered (no batch in flight): primes the books' committed views, then attaches `/ws`. */
export async function startQuotes(o: QuotesOptions): Promise<QuoteServer> {
  const publisher = new Publisher(o.tick);
  const sources = new QuoteSources(o, publisher, o.pollMs);
  await sources.start();
  return new QuoteServer({
    server: o.server,
    tokens: o.tokens,
    sessions: o.sessions,
    publisher,
    sources,
    log: o.log,
    ...(o.limits ? { limits: o.limits } : {}),
    ...(o.authenticateUpgrade ? { authenticateUpgrade: o.authenticateUpgrade } : {}),
  });
}
