/**
 * The named parameters of the transfer workflow, with the defaults domain.md gives. They are frozen
 * into each transfer when it opens (`Transfer.terms`), so changing the exchange's configuration or a
 * fund's agreement later never moves the deadlines of a transfer already running.
 */

export type WindowUnit = 'calendar_days' | 'working_days';

/** A ROFR notice window; the unit is explicit because agreements say "30 days" or "N working days". */
export interface RofrWindow {
  readonly length: number;
  readonly unit: WindowUnit;
}

/**
 * Partnership Law art. 73: a limited partner transferring its share gives the other partners 30 days'
 * notice *(rule)*. Calendar days, counted from the Beijing date the notice is given; the window ends at
 * the end of the 30th day (Beijing time).
 */
export const DEFAULT_ROFR_WINDOW: RofrWindow = { length: 30, unit: 'calendar_days' };

/** Working days allowed for each step, counted from the Beijing date the step started (that day not counted). */
export interface StepDeadlines {
  readonly gpConsentWorkingDays: number;
  readonly reviewWorkingDays: number;
  readonly approvalWorkingDays: number;
  /** Lump-sum payment within 5 working days of the contract *(rule, state-owned practice)*; the contract date is the approval date. */
  readonly paymentWorkingDays: number;
  readonly registrationWorkingDays: number;
}

/** *(example)* values except payment, which is the lump-sum rule. */
export const DEFAULT_STEP_DEADLINES: StepDeadlines = {
  gpConsentWorkingDays: 10,
  reviewWorkingDays: 5,
  approvalWorkingDays: 3,
  paymentWorkingDays: 5,
  registrationWorkingDays: 20,
};

/** One side's fee: basis points of the consideration, rounded up to the fen, never below the minimum. */
export interface SideFee {
  /** Decimal string, e.g. "5" = 0.05%. */
  readonly bps: string;
  /** Yuan, 2 decimals. */
  readonly minimum: string;
}

export interface FeeSchedule {
  /** Charged once per transfer on the total consideration, deducted from the seller's proceeds (capped at the consideration). */
  readonly seller: SideFee;
  /** Charged per leg on that leg's consideration, to each final buyer. */
  readonly buyer: SideFee;
}

/** *(example)* 5 bps per side, minimum RMB 1,000.00 each. */
export const DEFAULT_FEE_SCHEDULE: FeeSchedule = {
  seller: { bps: '5', minimum: '1000.00' },
  buyer: { bps: '5', minimum: '1000.00' },
};

/**
 * Who receives a forfeited deposit. Exchange practice (e.g. CBEX rules) compensates the seller; an
 * exchange may instead keep it ('exchange' posts it to `cash:fees`).
 */
export type ForfeitBeneficiary = 'seller' | 'exchange';

/** Round-trip rule of the Beijing pilot: 5 working days between buying and selling the same fund share *(rule)*. */
export const DEFAULT_ROUND_TRIP_WORKING_DAYS = 5;

export interface TransferTerms {
  /** The fund's partnership agreement grants the other LPs a right of first refusal. */
  readonly rofrEnabled: boolean;
  readonly rofrWindow: RofrWindow;
  /** The fund's partnership agreement requires the GP's consent to a transfer. */
  readonly gpConsentRequired: boolean;
  readonly deadlines: StepDeadlines;
  readonly fees: FeeSchedule;
  readonly forfeitTo: ForfeitBeneficiary;
  readonly roundTripWorkingDays: number;
  /** A listing award's contract is signed by both parties within this many working days of the trade (contract.ts; default 5). */
  readonly contractSigningWorkingDays?: number;
  /** Payment by instalments, when the listing allowed it (instalments.ts); absent or null: lump sum only. */
  readonly instalments?: InstalmentTerms | null;
}

/**
 * The exchange-wide rules of payment by instalments (domain.md, state-owned overlay: "instalments with
 * at least 30% within 5 working days and the rest within 1 year, guaranteed, with interest" *(rule)*;
 * Order 32, 企业国有资产交易监督管理办法 art. 28).
 */
export interface InstalmentRules {
  /** The first instalment is at least this percent of the consideration (decimal string). */
  readonly instalmentMinFirstPct: string;
  /** The first instalment is due within this many working days of the contract date (as a lump sum is). */
  readonly instalmentFirstWorkingDays: number;
  /** The last instalment is due no later than this many calendar months after the contract date. */
  readonly instalmentBalanceMaxMonths: number;
}

export const DEFAULT_INSTALMENT_RULES: InstalmentRules = {
  instalmentMinFirstPct: '30',
  instalmentFirstWorkingDays: 5,
  instalmentBalanceMaxMonths: 12,
};

/** Instalments as a transfer's terms: the exchange's rules and the listing's interest rate, frozen when the transfer opens. */
export interface InstalmentTerms extends InstalmentRules {
  /** Simple interest per year on the deferred balance, percent (the listing's; Order 32: the bank loan rate of the period). */
  readonly interestRatePct: string;
}

export function defaultTerms(overrides: Partial<TransferTerms> = {}): TransferTerms {
  return {
    rofrEnabled: false,
    rofrWindow: DEFAULT_ROFR_WINDOW,
    gpConsentRequired: true,
    deadlines: DEFAULT_STEP_DEADLINES,
    fees: DEFAULT_FEE_SCHEDULE,
    forfeitTo: 'seller',
    roundTripWorkingDays: DEFAULT_ROUND_TRIP_WORKING_DAYS,
    ...overrides,
  };
}

/** Programmer errors in the terms (not user input): refuse loudly. */
export function assertValidTerms(t: TransferTerms): void {
  const positive = (n: number, what: string) => {
    if (!Number.isInteger(n) || n < 1 || n > 366) throw new Error(`${what} must be an integer number of days in 1..366, got ${n}`);
  };
  positive(t.rofrWindow.length, 'rofrWindow.length');
  positive(t.deadlines.gpConsentWorkingDays, 'gpConsentWorkingDays');
  positive(t.deadlines.reviewWorkingDays, 'reviewWorkingDays');
  positive(t.deadlines.approvalWorkingDays, 'approvalWorkingDays');
  positive(t.deadlines.paymentWorkingDays, 'paymentWorkingDays');
  positive(t.deadlines.registrationWorkingDays, 'registrationWorkingDays');
  if (!Number.isInteger(t.roundTripWorkingDays) || t.roundTripWorkingDays < 0)
    throw new Error('roundTripWorkingDays must be a non-negative integer');
  const i = t.instalments;
  if (i) {
    positive(i.instalmentFirstWorkingDays, 'instalmentFirstWorkingDays');
    // Order 32 art. 28: the balance within one year; an exchange may be stricter, never looser.
    if (!Number.isInteger(i.instalmentBalanceMaxMonths) || i.instalmentBalanceMaxMonths < 1 || i.instalmentBalanceMaxMonths > 12)
      throw new Error(`instalmentBalanceMaxMonths must be an integer in 1..12, got ${i.instalmentBalanceMaxMonths}`);
    if (!/^\d{1,2}(\.\d{1,2})?$/.test(i.instalmentMinFirstPct))
      throw new Error(`instalmentMinFirstPct must be a percent string below 100, got ${i.instalmentMinFirstPct}`);
    if (!/^\d{1,2}(\.\d{1,4})?$/.test(i.interestRatePct))
      throw new Error(`interestRatePct must be a percent string, got ${i.interestRatePct}`);
  }
}
