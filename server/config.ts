/**
 * Configuration, parsed and validated once at start from the environment into a frozen object.
 * Every setting is documented here and in README.md ("Configuration").
 */
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_FEE_SCHEDULE, type FeeSchedule } from './transfers/domain/params';
import { DEMO_ESCROW_ACCOUNT, type EscrowAccount } from './transfers/money';

/** Basis points of the consideration: a decimal string, at most 1,000 (10%). */
const bps = z
  .string()
  .regex(/^\d{1,4}(\.\d{1,2})?$/, 'must be basis points as a decimal string, e.g. "5"')
  .refine((s) => Number(s) <= 1000, 'must be at most 1000 basis points');
/** A fee minimum in yuan with 2 decimals. */
const yuanMinimum = z.string().regex(/^\d{1,12}\.\d{2}$/, 'must be yuan with 2 decimals, e.g. "1000.00"');

const envSchema = z.object({
  /** TCP port for HTTP and WebSocket. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** `sqlite:<path>` (default: a file under DATA_DIR) or `postgres://user@host:port/db`. */
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:<path> or postgres://…')
    .optional(),
  /** Where the SQLite file and the demo signing key live. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** `real` (default) or `simulated`: a clock operators move forward with POST /api/admin/clock. */
  CLOCK: z.enum(['real', 'simulated']).default('real'),
  /** Start of the simulated clock (ISO-8601), default the real time at first start. */
  CLOCK_START: z.iso.datetime({ offset: true }).optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** HMAC key for signing JWTs (at least 32 characters). Required in production; generated in demo mode. */
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
  /** Key sealing sealed-bid amounts until the award (at least 32 characters). Required in production; generated in demo mode. */
  SEALED_BID_KEY: z.string().min(32, 'SEALED_BID_KEY must be at least 32 characters').optional(),
  /** The sealed-bid key before a rotation: boxes it sealed are re-sealed under SEALED_BID_KEY at start. */
  SEALED_BID_KEY_PREVIOUS: z.string().min(32, 'SEALED_BID_KEY_PREVIOUS must be at least 32 characters').optional(),
  /** Lifetime of a sign-in token, in hours (at most 12). */
  TOKEN_TTL_HOURS: z.coerce.number().int().min(1).max(12).default(8),
  /** Public base URL printed on confirmations (verification QR codes). */
  PUBLIC_BASE_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How often the quote feed looks for listing, auction and transfer changes it was not told about (another process's, a timer's), ms. */
  QUOTES_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(1000),
  /** How often each process reloads sessions ended elsewhere (sign-out, an administrator's revocation), ms. */
  SESSIONS_REFRESH_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
  /** How often each process anchors the audit streams' heads into the global chain (when anything was appended): at most a working day. */
  AUDIT_ANCHOR_MS: z.coerce.number().int().min(100).max(86_400_000).default(900_000),
  /**
   * The exchange's fee schedule, frozen into each transfer when it opens: the seller's fee on the whole consideration, each buyer's on
   * its leg.
   */
  FEE_SELLER_BPS: bps.default(DEFAULT_FEE_SCHEDULE.seller.bps),
  FEE_SELLER_MIN: yuanMinimum.default(DEFAULT_FEE_SCHEDULE.seller.minimum),
  FEE_BUYER_BPS: bps.default(DEFAULT_FEE_SCHEDULE.buyer.bps),
  FEE_BUYER_MIN: yuanMinimum.default(DEFAULT_FEE_SCHEDULE.buyer.minimum),
  /** Qualified investor (organisation): least net assets and least financial assets, yuan with 2 decimals. */
  QI_MIN_NET_ASSETS: yuanMinimum.default('20000000.00'),
  QI_MIN_FINANCIAL_ASSETS: yuanMinimum.default('10000000.00'),
  /** The escrow account buyers pay into, shown with each amount due (demo defaults). */
  ESCROW_BANK: z.string().min(1).max(200).default(DEMO_ESCROW_ACCOUNT.bank),
  ESCROW_ACCOUNT_NAME: z.string().min(1).max(200).default(DEMO_ESCROW_ACCOUNT.accountName),
  ESCROW_ACCOUNT_NUMBER: z.string().min(1).max(64).default(DEMO_ESCROW_ACCOUNT.accountNumber),
  /** TCP connections one remote address may hold at once (HTTP and /ws together); more are closed at accept. */
  CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(500),
  /** /ws sockets one remote address may hold before they authenticate; one more is closed with 4429. */
  WS_UNAUTHENTICATED_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(20),
  /** A /ws socket that has not authenticated within this time is closed with 4401, ms. */
  WS_AUTH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Demo seeding on an empty database: `full` (default) a market already trading, `empty` users, funds, positions and NAV reports only. */
  DEMO_MARKET: z.enum(['full', 'empty']).default('full'),
  /** `1`: demo participants keep quoting inside the spread on the exchange's clock (demo mode only). */
  DEMO_ACTIVITY: z.enum(['0', '1']).default('0'),
  /**
   * `1` (default): the books, their group commit and their database connection run on a matching thread of their own
   * (server/orders/matching/); `0`: on the HTTP thread, as before.
   */
  MATCHING_THREAD: z.enum(['0', '1']).default('1'),
  /**
   * `1` (default): PostgreSQL statements used again and again go as named, server-side prepared statements
   * (db/named-statements.ts); `0` for a transaction-pooling proxy that does not track them (PgBouncer before 1.21).
   */
  PG_NAMED_STATEMENTS: z.enum(['0', '1']).default('1'),
  /** Most PostgreSQL connections of the HTTP thread's pool (the matching thread keeps 4 more, and one to LISTEN). */
  PG_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(10),
});

export interface Config {
  readonly port: number;
  readonly databaseUrl: string;
  readonly dataDir: string;
  readonly clock: 'real' | 'simulated';
  readonly clockStart: string | undefined;
  readonly production: boolean;
  /** Undefined in demo mode: the key is then generated and kept under dataDir. */
  readonly jwtSecret: string | undefined;
  /** Undefined in demo mode: the key is then generated and kept under dataDir. */
  readonly sealedBidKey: string | undefined;
  /** Set only during a key rotation. */
  readonly sealedBidKeyPrevious: string | undefined;
  readonly tokenTtlHours: number;
  readonly publicBaseUrl: string | undefined;
  readonly logLevel: string;
  readonly quotesPollMs: number;
  readonly sessionsRefreshMs: number;
  readonly auditAnchorMs: number;
  readonly fees: FeeSchedule;
  /** Thresholds a qualified-investor assessment must meet; stored with each record. */
  readonly qualification: { readonly minNetAssets: string; readonly minFinancialAssets: string };
  readonly escrowAccount: EscrowAccount;
  readonly connectionsPerAddress: number;
  readonly wsUnauthenticatedPerAddress: number;
  readonly wsAuthTimeoutMs: number;
  readonly demoMarket: 'full' | 'empty';
  readonly demoActivity: boolean;
  /** Matching on a thread of its own (MATCHING_THREAD, default on). */
  readonly matchingThread: boolean;
  /** Named (server-side prepared) statements on PostgreSQL (PG_NAMED_STATEMENTS, default on). */
  readonly pgNamedStatements: boolean;
  /** The HTTP thread's PostgreSQL pool (PG_POOL_SIZE). */
  readonly pgPoolSize: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.JWT_SECRET) throw new ConfigError('invalid configuration:\n  JWT_SECRET: required when NODE_ENV=production');
  if (production && !e.SEALED_BID_KEY) throw new ConfigError('invalid configuration:\n  SEALED_BID_KEY: required when NODE_ENV=production');
  if (production && e.CLOCK === 'simulated')
    throw new ConfigError('invalid configuration:\n  CLOCK: simulated is refused when NODE_ENV=production');
  const dataDir = path.resolve(e.DATA_DIR);
  return Object.freeze({
    port: e.PORT,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'exchange.sqlite')}`,
    dataDir,
    clock: e.CLOCK,
    clockStart: e.CLOCK_START,
    production,
    jwtSecret: e.JWT_SECRET,
    sealedBidKey: e.SEALED_BID_KEY,
    sealedBidKeyPrevious: e.SEALED_BID_KEY_PREVIOUS,
    tokenTtlHours: e.TOKEN_TTL_HOURS,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    logLevel: e.LOG_LEVEL,
    quotesPollMs: e.QUOTES_POLL_MS,
    sessionsRefreshMs: e.SESSIONS_REFRESH_MS,
    auditAnchorMs: e.AUDIT_ANCHOR_MS,
    fees: { seller: { bps: e.FEE_SELLER_BPS, minimum: e.FEE_SELLER_MIN }, buyer: { bps: e.FEE_BUYER_BPS, minimum: e.FEE_BUYER_MIN } },
    qualification: { minNetAssets: e.QI_MIN_NET_ASSETS, minFinancialAssets: e.QI_MIN_FINANCIAL_ASSETS },
    escrowAccount: { bank: e.ESCROW_BANK, accountName: e.ESCROW_ACCOUNT_NAME, accountNumber: e.ESCROW_ACCOUNT_NUMBER },
    connectionsPerAddress: e.CONNECTIONS_PER_ADDRESS,
    wsUnauthenticatedPerAddress: e.WS_UNAUTHENTICATED_PER_ADDRESS,
    wsAuthTimeoutMs: e.WS_AUTH_TIMEOUT_MS,
    demoMarket: e.DEMO_MARKET,
    demoActivity: e.DEMO_ACTIVITY === '1' && !production,
    matchingThread: e.MATCHING_THREAD === '1',
    pgNamedStatements: e.PG_NAMED_STATEMENTS === '1',
    pgPoolSize: e.PG_POOL_SIZE,
  });
}
