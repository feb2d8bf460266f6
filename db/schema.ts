/**
 * Kysely table types (camelCase; the CamelCasePlugin maps to the snake_case columns).
 * Decimal columns are strings by design: see db/migrations/0001_foundation.ts.
 */
import { sql, type Generated, type Insertable, type Selectable } from 'kysely';

export type OrgKind = 'lp' | 'buyer' | 'gp' | 'exchange' | 'pledgee';
export type LegalForm = 'partnership' | 'company' | 'contractual';
export type FundState = 'pending' | 'open';
export type Role = 'seller' | 'buyer' | 'gp' | 'operator' | 'admin' | 'pledgee';
export type Strategy = 'buyout' | 'growth' | 'venture' | 'fof' | 'infrastructure';

export interface OrganisationsTable {
  id: string;
  name: string;
  nameEn: string;
  kind: OrgKind;
  stateOwned: number;
  createdAt: string;
  /** Unified social credit code (GB 32100-2015), check character verified (0013); null for rows from before it. */
  uscc: string | null;
}
export interface QualificationsTable {
  id: string;
  orgId: string;
  netAssets: string;
  financialAssets: string;
  minNetAssets: string;
  minFinancialAssets: string;
  evidenceRef: string;
  qualifiedAt: string;
  expiresAt: string;
  /** The operator who recorded it (0013); null for older rows. */
  qualifiedBy: string | null;
}
export interface UsersTable {
  id: string;
  username: string;
  orgId: string;
  displayName: string;
  roles: string;
  passwordHash: string;
  createdAt: string;
  /** Set while an administrator has suspended the user: no sign-in. */
  suspendedAt: string | null;
  suspendedBy: string | null;
  suspendReason: string | null;
  /** 1 until the user replaces the initial password an administrator gave it (0013). */
  mustChangePassword: Generated<number>;
}
export interface FundsTable {
  id: string;
  name: string;
  nameEn: string;
  managerOrgId: string;
  strategy: Strategy;
  vintage: number;
  termYears: number;
  totalCommitment: string;
  currency: string;
  amacFiling: string;
  lotSize: string;
  rofrEnabled: number;
  rofrWindowDays: number;
  gpConsentRequired: number;
  pledgeAllowed: number;
  /** 0014: a pledge needs the GP's consent (defaults to 0 where not given). */
  pledgeNeedsConsent: Generated<number>;
  investorCap: number;
  minHolding: string;
  roundTripWorkingDays: number;
  createdAt: string;
  /** 0013: `pending` until a second operator approves (invisible to members), then `open`. */
  state: FundState;
  legalForm: LegalForm;
  proposedBy: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
}
/** A pending fund's partner register (0013): becomes positions through the unit ledger when the fund opens. */
export interface FundPartnersTable {
  fundId: string;
  orgId: string;
  rowNo: number;
  commitment: string;
  paidIn: string;
}
export interface NavReportsTable {
  id: string;
  fundId: string;
  referenceDate: string;
  nav: string;
  paidIn: string;
  cumulativeDistributions: string;
  publishedAt: string;
  /** The GP user who published it (0013); null for older rows. */
  publishedBy: string | null;
}
export interface PositionsTable {
  fundId: string;
  orgId: string;
  commitment: string;
  paidIn: string;
  pledged: string;
  onOffer: string;
  reserved: string;
  lastBoughtAt: string | null;
  lastSoldAt: string | null;
}
export interface UnitLedgerTable {
  id: string;
  journalId: string;
  fundId: string;
  account: string;
  commitment: string;
  paidIn: string;
  reason: string;
  at: string;
}
export interface CashLedgerTable {
  id: string;
  journalId: string;
  account: string;
  amount: string;
  reason: string;
  reference: string | null;
  at: string;
}
/** One entry of one stream's hash chain (0018): `seq` counts within the stream, `id` is the global order of writing. */
export interface AuditLogTable {
  id: Generated<number>;
  stream: string;
  seq: number;
  at: string;
  actorUserId: string | null;
  actorOrgId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  payload: string;
  prevHash: string;
  hash: string;
}
/** The global anchor chain (0018): every stream's head `{stream: {count, hash}}` (canonical JSON), `count` their total. */
export interface AuditAnchorsTable {
  seq: number;
  at: string;
  count: number;
  heads: string;
  prevHash: string;
  hash: string;
}
/** A sign-in; its id is the token's jti. Revoked by signing out or by an administrator. */
/** A sign-in attempt: reserved before the password check, then failed (or deleted on success). Migration 0017. */
/** One-year Loan Prime Rates recorded after the published history (shared/loan-prime-rate.ts); counted once approved. */
export interface LoanPrimeRatesTable {
  effectiveDate: string;
  oneYearPct: string;
  source: string;
  recordedBy: string;
  recordedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
}
export interface SignInAttemptsTable {
  id: string;
  address: string;
  username: string;
  at: string;
  outcome: 'pending' | 'failed';
}
export interface SessionsTable {
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
}
export interface IdempotencyKeysTable {
  userId: string;
  key: string;
  requestHash: string;
  status: number;
  response: string;
  createdAt: string;
}
/** loadedBy/loadedAt: the proposal; approvedBy/approvedAt: the second operator's approval, null while pending (0009). */
export interface CalendarYearsTable {
  year: number;
  schedule: string;
  loadedBy: string;
  loadedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
}
export interface SettingsTable {
  key: string;
  value: string;
}

export type OrderStatus = 'open' | 'filled' | 'cancelled' | 'expired' | 'rejected';
/**
 * `status = 'open'` as a literal in the SQL text, not a bound parameter: the indexes of open orders are
 * partial (migration 0020), and a condition naming their literal lets every plan of the statement use
 * them, whatever is bound (a bound status leaves it to the planner: PostgreSQL's generic plans cannot
 * use them, and SQLite prepares the statement again for each value).
 */
export const OPEN_STATUS = sql.lit<OrderStatus>('open');
export interface OrdersTable {
  id: string;
  fundId: string;
  orgId: string;
  userId: string;
  side: 'buy' | 'sell';
  priceTicks: number;
  lots: number;
  remainingLots: number;
  filledLots: number;
  status: OrderStatus;
  statusReason: string | null;
  timeInForce: 'GTC' | 'GTD' | 'IOC' | 'FOK';
  expiresAt: string | null;
  allOrNone: number;
  minLots: number | null;
  priority: number;
  createdAt: string;
  updatedAt: string;
}
export interface TradesTable {
  id: string;
  fundId: string;
  venue: 'book' | 'listing';
  pricePct: string;
  quantity: string;
  consideration: string;
  navPerCommitment: string;
  navReferenceDate: string;
  buyOrderId: string | null;
  sellOrderId: string | null;
  buyerOrgId: string;
  sellerOrgId: string;
  listingId: string | null;
  transferId: string | null;
  fundSeq: number | null;
  executedAt: string;
}
export interface BookJournalTable {
  fundId: string;
  seq: number;
  kind: string;
  orderId: string | null;
  payload: string;
  at: string;
}
export interface BookStateTable {
  fundId: string;
  seq: number;
  nextPriority: number;
  stateHash: string;
  lastPriceTicks: number | null;
}

export interface TransfersTable {
  id: string;
  tradeId: string;
  fundId: string;
  venue: string;
  state: string;
  sellerOrgId: string;
  buyerOrgId: string;
  nextDeadlineAt: string | null;
  version: number;
  data: string;
  openedAt: string;
  updatedAt: string;
}

/** One per completed transfer (db/migrations/0004_confirmations.ts); the PDF bytes as base64. */
export interface ConfirmationsTable {
  number: string;
  year: number;
  seq: number;
  transferId: string;
  issuedAt: string;
  pdfBase64: string;
  byteLength: number;
  sha256: string;
  revokeRequestedBy: string | null;
  revokeRequestedAt: string | null;
  revokeReason: string | null;
  revokedBy: string | null;
  revokedAt: string | null;
  /** The audit anchor current at issue (0018); null for confirmations issued before anchors existed. */
  auditAnchorCount: number | null;
  auditAnchorHash: string | null;
}

/** Listings with disclosure and bidding (db/migrations/0005_listings.ts); the listing value as JSON in `data`. */
export interface ListingsTable {
  id: string;
  fundId: string;
  sellerOrgId: string;
  state: string;
  nextTimerAt: string | null;
  version: number;
  data: string;
  createdAt: string;
  updatedAt: string;
}
/** Sealed amounts and salts, kept server-side until the award opens them. */
/** Legacy (before 0008): plain amount and salt; emptied into sealed_bid_boxes at start. */
export interface SealedBidsTable {
  bidId: string;
  listingId: string;
  orgId: string;
  amount: string;
  salt: string;
  commitment: string;
  createdAt: string;
}
/** A sealed bid's amount and salt, encrypted (server/listings/sealed-bid-vault.ts). */
export interface SealedBidBoxesTable {
  bidId: string;
  listingId: string;
  orgId: string;
  box: string;
  commitment: string;
  createdAt: string;
}

/** Stored user-supplied valuations (db/migrations/0006_valuations.ts); inputs and report as canonical JSON. */
export interface ValuationsTable {
  id: string;
  fundId: string;
  inputs: string;
  report: string;
  contentHash: string;
  createdBy: string;
  createdByOrg: string;
  createdAt: string;
}

/** Share pledges (0014): the pledge value as JSON in `data` (server/pledges/domain). */
export interface PledgesTable {
  id: string;
  fundId: string;
  pledgorOrgId: string;
  pledgeeOrgId: string;
  state: string;
  version: number;
  data: string;
  createdAt: string;
  updatedAt: string;
}
/** In-kind distributions (0014): the proposal and its allocations as JSON in `data` (server/distributions/domain). */
export interface DistributionsTable {
  id: string;
  fundId: string;
  state: string;
  recordDate: string;
  version: number;
  data: string;
  createdAt: string;
  updatedAt: string;
}
/** What an LP received from an approved in-kind distribution (0014). */
export interface InKindReceiptsTable {
  distributionId: string;
  orgId: string;
  fundId: string;
  securityCode: string;
  securityName: string;
  securityMarket: string;
  shares: string;
  sharesInLieu: string;
  cashInLieu: string;
  referencePrice: string;
  receivedAt: string;
}

/** Public market data per Beijing date × venue × fund (migration 0015); fen sums are exact integers. */
export interface MarketDaysTable {
  date: string;
  venue: 'book' | 'listing';
  fundId: string;
  deals: number;
  /** Written as an integer string; read back through a cast to text (SQLite returns a number). */
  considerationFen: string;
  navTransferredFen: string;
}

/** Completed transfers per Beijing date of their trade and whole calendar days to completion (migration 0015). */
export interface MarketCompletionsTable {
  tradeDate: string;
  days: number;
  count: number;
}

export interface Database {
  marketDays: MarketDaysTable;
  marketCompletions: MarketCompletionsTable;
  pledges: PledgesTable;
  distributions: DistributionsTable;
  inKindReceipts: InKindReceiptsTable;
  valuations: ValuationsTable;
  listings: ListingsTable;
  sealedBids: SealedBidsTable;
  sealedBidBoxes: SealedBidBoxesTable;
  transfers: TransfersTable;
  confirmations: ConfirmationsTable;
  orders: OrdersTable;
  trades: TradesTable;
  bookJournal: BookJournalTable;
  bookState: BookStateTable;
  organisations: OrganisationsTable;
  qualifications: QualificationsTable;
  users: UsersTable;
  funds: FundsTable;
  fundPartners: FundPartnersTable;
  navReports: NavReportsTable;
  positions: PositionsTable;
  unitLedger: UnitLedgerTable;
  cashLedger: CashLedgerTable;
  auditLog: AuditLogTable;
  auditAnchors: AuditAnchorsTable;
  idempotencyKeys: IdempotencyKeysTable;
  sessions: SessionsTable;
  signInAttempts: SignInAttemptsTable;
  loanPrimeRates: LoanPrimeRatesTable;
  calendarYears: CalendarYearsTable;
  settings: SettingsTable;
}

export type Organisation = Selectable<OrganisationsTable>;
export type User = Selectable<UsersTable>;
export type Fund = Selectable<FundsTable>;
export type NavReport = Selectable<NavReportsTable>;
export type Position = Selectable<PositionsTable>;
export type NewFund = Insertable<FundsTable>;
export type OrderRow = Selectable<OrdersTable>;
export type TradeRow = Selectable<TradesTable>;
