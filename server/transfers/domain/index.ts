/**
 * The pure domain core of the transfer workflow. No I/O, no clock, no randomness: `now`, ids and the
 * working-day calendar are arguments. See README.md in this folder for the state diagram.
 */
export * from './types';
export * from './params';
export * from './results';
export { openTransfer, type OpenTransferInput, type OpenEnv, type Party } from './open';
export { decide, tickTransfer, type DecideContext } from './decide';
export { ACTION_STATES, availableActions, canView, forbiddenReason, isTerminal } from './authorize';
export { nextActor, type Turn, type WaitingOn, type OperatorQueue } from './next-actor';
export { checkEligibility, type EligibilityFacts, type BuyerFacts } from './eligibility';
export {
  allocateLots,
  apportion,
  navOfQuantity,
  priceLegs,
  pricePctOf,
  tradeConsideration,
  type Exerciser,
  type LegLots,
} from './allocation';
export { deadlineClosesAt, isMissed, rofrWindowEnd, stepDeadline } from './deadlines';
export {
  settle,
  sideFee,
  paymentDue,
  legInterest,
  legEscrowTotal,
  paymentPostings,
  depositPostings,
  refundPostings,
  orgAccount,
  sumOf,
  type CashAccount,
  type CashPosting,
  type UnitPosting,
  type Settlement,
  type SettledLeg,
  type SettlementInput,
  type SettlementLegInput,
  type SettleResult,
  type LegMoney,
} from './settlement';
export { STATE_OF_STEP, pendingStep } from './steps';
export { nextTickAt } from './tick';
export {
  INTEREST_DAY_COUNT,
  hasInstalments,
  minimumFirstInstalment,
  nextOpenInstalment,
  planFromChoice,
  planInterest,
  rescalePlan,
  schedulePlan,
  simpleInterest,
  instalmentTotal,
  type Instalment,
  type PaymentMethod,
  type PaymentPlan,
} from './instalments';
export { instalmentLeg } from './instalment-payments';
export { recomputeProvisionalDeadline, type DeadlineChange } from './recompute-deadline';
