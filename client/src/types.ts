/** Wire shapes the client reads (decimals stay strings). */
export interface SessionUser {
  id: string;
  username?: string;
  orgId: string;
  orgName: string;
  roles: string[];
  orgKind?: string;
  stateOwned?: boolean;
  mustChangePassword?: boolean;
}

export interface Fund {
  id: string;
  name: string;
  nameEn?: string;
  manager: string;
  strategy: string;
  vintage: number;
  lotSize: string;
  navReferenceDate: string;
  navPerCommitment: string;
  bestBidPct: string | null;
  bestAskPct: string | null;
  lastPct: string | null;
  /** Fund NAV of the latest report and total commitment: amounts are computed from these, not from the rounded navPerCommitment. */
  nav: string | null;
  totalCommitment: string;
  /** Model price (% of NAV) from the valuation report, when the fund has one. */
  modelPct?: string | null;
}
export interface FundDetail extends Fund {
  termYears: number;
  amacFiling: string;
  investorCount: number;
  latestNav: { referenceDate: string; nav: string; paidIn: string; cumulativeDistributions: string; publishedAt: string } | null;
  terms: {
    rofrEnabled: boolean;
    rofrWindowDays: number;
    gpConsentRequired: boolean;
    pledgeAllowed: boolean;
    investorCap: number;
    minHolding: string;
    roundTripWorkingDays: number;
  };
}
export interface Level {
  pricePct: string;
  quantity: string;
  orderCount: number;
}
export interface Book {
  fundId: string;
  seq: number;
  bids: Level[];
  asks: Level[];
}
export interface Trade {
  id: string;
  venue: 'book' | 'listing';
  pricePct: string;
  quantity: string;
  consideration: string;
  executedAt: string;
}
export interface Order {
  id: string;
  fundId: string;
  side: 'buy' | 'sell';
  pricePct: string;
  quantity: string;
  filledQuantity: string;
  remainingQuantity: string;
  status: string;
  /** Why it closed (the engine's reason: CANCELLED, QUALIFICATION_LAPSED, IOC_REMAINDER, …); null while open. */
  statusReason: string | null;
  timeInForce: string;
  createdAt: string;
}
export interface InKindReceipt {
  distributionId: string;
  security: { code: string; name: string; market: string };
  shares: string;
  sharesInLieu: string;
  cashInLieu: string;
  receivedAt: string;
}
export interface Position {
  fundId: string;
  fundName?: string;
  commitment: string;
  paidIn: string;
  unfunded: string;
  available: string;
  nav: string;
  pledged?: string;
  inKindReceipts?: InKindReceipt[];
}
export interface PledgeHistory {
  action: string;
  by: { userId: string; name: string };
  at: string;
  reason?: string;
}
export interface Pledge {
  id: string;
  fundId: string;
  pledgorOrgId: string;
  pledgeeOrgId: string;
  quantity: string;
  securedAmount: string;
  contractRef: string;
  state: string;
  registrationRef: string | null;
  releaseRef: string | null;
  history: PledgeHistory[];
}
export interface DistributionAllocation {
  orgId: string;
  name: string;
  eligible: boolean;
  shares: string;
  sharesInLieu: string;
  cashInLieu: string;
}
export interface Distribution {
  id: string;
  fundId: string;
  state: string;
  security: { code: string; name: string; market: string };
  shares: string;
  referencePrice: string;
  recordDate: string;
  allocations: DistributionAllocation[];
  totals: { shares: string; sharesInLieu: string; cashInLieu: string; distributedValue: string };
  history: PledgeHistory[];
}
export interface Step {
  name: string;
  state: string;
  actor: { role: string; orgIds: string[] };
  by: { userId: string; orgId: string } | null;
  startedAt: string | null;
  at: string | null;
  deadline: string | null;
  deadlineProvisional: boolean;
}
/** An organisation as a view names it: its registered (Chinese) name and its English name. */
export interface OrgRef {
  orgId: string;
  name: string;
  nameEn: string;
}
export interface Transfer {
  id: string;
  tradeId: string;
  fundId: string;
  fundName?: string;
  venue?: string;
  state: string;
  seller: OrgRef /** null when the viewer may not see the buyer (a ROFR holder while its window is open). */;
  buyer: OrgRef | null;
  quantity: string;
  pricePct: string | null;
  consideration: string;
  confirmationNumber: string | null;
  steps: Step[];
  nextActor?: {
    step: string;
    operatorQueue: string | null;
    deadline: string | null;
    why: string;
    waitingOn: { role: string; orgIds: string[]; excludedUserIds: string[] }[];
  } | null;
  availableActions?: string[];
  version?: number;
  allocations?: Allocation[];
  sellerFee?: string;
  sellerProceeds?: string;
  outcome?: { kind: string; step: string; reason: string; at: string } | null;
  rofr?: {
    windowEnd: string;
    closesAt: string;
    holders: (OrgRef & { answer: string; answeredAt: string | null })[];
  } | null;
  /** A listing award's contract: the Beijing date to sign by and each side's signature (null until signed); null for a book trade. */
  contract?: { dueDate: string; dueDateProvisional: boolean; seller: { at: string } | null; buyer: { at: string } | null } | null;
  /** How the trade's buyer pays (null: not chosen, a lump sum). */
  paymentPlan?: {
    method: 'lump_sum' | 'instalments';
    guaranteeRef: string | null;
    interestRatePct: string | null;
    dayCount: string | null;
    totalInterest: string;
    next: { number: number; dueDate: string | null; amountDue: string } | null;
  } | null;
  /** The listing allowed instalments: its rate and the exchange's rules. */
  instalmentTerms?: { interestRatePct: string; minFirstPct: string; firstWorkingDays: number; balanceMaxMonths: number } | null;
}
/** One instalment of a leg paid by instalments (api.md: `instalment: {number, amount, dueDate}`). */
export interface InstalmentLeg {
  instalment: { number: number; amount: string; dueDate: string | null };
  monthsAfterContract: number | null;
  interest: string | null;
  amountDue: string;
  state: 'due' | 'recorded' | 'confirmed';
  recorded: { at: string; userId: string; name: string; bankRef: string } | null;
  confirmed: { at: string; userId: string; name: string } | null;
}
/** One buyer's leg of a transfer: what it pays, into which account, by when. */
export interface Allocation {
  buyerOrgId: string;
  name: string;
  nameEn: string;
  source: string;
  quantity: string;
  consideration: string;
  depositApplied: string;
  payment: { bankRef: string; at: string } | null;
  interest?: string;
  instalments?: InstalmentLeg[];
  buyerFee: string;
  amountDue: string;
  dueDate: string | null;
  escrowAccount: { bank: string; accountName: string; accountNumber: string };
}
export interface Registration {
  orgId: string;
  orgName: string;
  alias: string;
  registeredAt: string;
  qualified: boolean | null;
  qualifiedAt: string | null;
  refusalCode: string | null;
  depositAmount: string;
  depositStatus: string | null;
  depositDueDate: string | null;
  depositBankRef: string | null;
  withdrawn: boolean;
  /** Operators only, while the deposit is due: who may not confirm it (four eyes). */
  depositNotBy?: string[];
  /** Operators only, while an objection is open: who may not record the regulator's decision, who may not confirm it. */
  decisionNotBy?: { record: string[]; confirm: string[] };
  /** State-owned qualification handshake (all of it for the seller and operators; a buyer's own status only). */
  handshake?: HandshakeRow | null;
}
/** One registrant's qualification handshake: the exchange's opinion, the transferor's answer, an objection's settlement. */
export interface HandshakeRow {
  status: string;
  answerDueDate: string | null;
  /** The answer date counted past the loaded calendar years. */
  answerDueProvisional?: boolean;
  opinionAt?: string | null;
  answeredAt?: string | null;
  objectionReason?: string | null;
  resolution?: { outcome: 'uphold' | 'dismiss'; regulatorRef: string; recordedAt: string; confirmedAt: string | null } | null;
}
export interface Listing {
  id: string;
  fundId: string;
  state: string;
  quantity: string;
  askPrice: string;
  increment: string;
  depositAmount: string;
  impliedPctOfNav: string | null;
  method: 'auction' | 'sealed';
  stateOwned: boolean;
  disclosureStartDate: string | null;
  disclosureEndDate: string | null;
  registeredBidders: number;
  bidderAliases: string[];
  currentPrice: string | null;
  bids: { alias: string; amount: string | null; at: string }[];
  phase: string | null;
  closesAt: string | null;
  you: {
    alias: string;
    qualification: string;
    deposit: string;
    isLeading: boolean;
    handshake?: { status: string; answerDueDate: string | null } | null;
  } | null;
  qualificationPhase?: { opinionDeadline: string; depositDeadline: string; depositDeadlineHeld: boolean; provisional: boolean } | null;
  /** The transferor's pending answers to the exchange's opinions, soonest first (the seller's organisation and operators). */
  sellerAnswersDue?: { alias: string; answerDueDate: string; provisional: boolean }[] | null;
  branch?: string | null;
  appraisalValue?: string | null;
  biddingOpensAt?: string | null;
  freeBiddingEndsAt?: string | null;
  result?: { winnerAlias: string; price: string; pricingMethod: string; awardedAt: string } | null;
  award?: { amount: string; pctOfNav: string | null; at: string; orgId?: string; orgName?: string };
  history?: { action: string; by: { userId: string; name: string }; at: string; reason?: string; orgId?: string }[];
  stateOwnedDocuments?: {
    resolutionRef: string;
    approvalRef: string;
    appraisalRef: string;
    appraisalValue: string;
    appraisalBaseDate: string;
    belowNinetyApprovalRef: string | null;
  };
}
/** The fund's valuation report, when the API serves one; only the fields the client shows. */
export interface Valuation {
  valuationDate?: string;
  fundNav?: { adjusted?: string; reported?: string; basis?: string };
  share?: { fairValuePctOfNav?: { low: string; base: string; high: string }; irrAtReferenceNav?: string };
  irrGrid?: { irr: string; pctOfNav: string; discountPct: string }[];
  pricing?: { modelIrr?: string; modelPct?: string; suggestedAskPct?: string; floorPct?: string | null };
  warnings?: string[];
}

/** GET /api/admin/users (administrators). */
export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  orgId: string;
  orgName: string;
  roles: string[];
  suspendedAt: string | null;
  suspendReason: string | null;
  openSessions: number;
}

/** GET /api/admin/organisations. */
export interface Organisation {
  id: string;
  name: string;
  nameEn: string;
  kind: string;
  uscc: string | null;
  stateOwned: boolean;
}
/** GET /api/admin/funds: a fund pending its second operator's approval, with its partner register. */
export interface PendingFund {
  id: string;
  name: string;
  gpOrgId: string;
  legalForm: string;
  totalCommitment: string;
  lotSize: string;
  state: string;
  proposedBy: string | null;
  terms: { investorCap: number };
  partners: { orgId: string; commitment: string; paidIn: string }[];
}
/** A qualified-investor record with its status now. */
export interface Qualification {
  id: string;
  orgId: string;
  orgName: string;
  netAssets: string;
  financialAssets: string;
  validUntil: string;
  evidenceRef: string;
  status: 'valid' | 'expired' | 'not_yet_valid' | 'below_thresholds';
}
