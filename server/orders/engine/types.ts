/**
 * Public types of the matching engine: commands in, result values out.
 *
 * Prices are integer ticks (1 tick = 0.01 percentage point of NAV) and quantities integer lots, both
 * branded so that one cannot be passed for the other. Time (`nowMs`) and ids are arguments: the engine
 * never reads a clock, a random source or performs I/O. See README.md in this folder for the rules.
 */
import type { Lots, Ticks } from '../../../shared/decimal';

export type Side = 'buy' | 'sell';
export type TimeInForce = 'GTC' | 'GTD' | 'IOC' | 'FOK';
/** The time-in-force values an order can have while it rests in the book. */
export type RestingTimeInForce = 'GTC' | 'GTD';

/** Highest accepted price: 9999.99 % of NAV, the largest percent the wire format allows. */
export const MAX_PRICE_TICKS = 999_999 as Ticks;
/**
 * Highest accepted quantity of one order. Keeps every level total (≤ 1e9 lots × a few million orders)
 * far inside the exactly representable integer range of a JavaScript number.
 */
export const MAX_ORDER_LOTS = 1_000_000_000 as Lots;
/** Longest accepted order or organisation id (UUIDs are 36). */
export const MAX_ID_LENGTH = 64;

/** A new order. `orderId` must be unique for the lifetime of the book (the server's id). */
export interface NewOrder {
  readonly orderId: string;
  readonly orgId: string;
  readonly side: Side;
  readonly priceTicks: Ticks;
  readonly lots: Lots;
  readonly timeInForce: TimeInForce;
  /** Required for GTD (must be later than `nowMs`), forbidden otherwise. */
  readonly expiresAtMs?: number | null;
  /** Sells only: the order only trades for its whole remaining quantity, in a single trade. */
  readonly allOrNone?: boolean;
  /**
   * Sells only: every execution is at least this many lots; a remainder that falls below it is
   * cancelled (reason MIN_FILL_REMAINDER). 1 ≤ minLots ≤ lots; exclusive with allOrNone.
   */
  readonly minLots?: Lots | null;
}

/**
 * Amend a resting order. `remainingLots` is the new OPEN quantity (not the original size): only a
 * reduction is allowed. A reduction keeps time priority (except for an all-or-none sell, which is
 * re-entered, see README); a new price loses it (the order is re-entered as new and may trade).
 */
export interface AmendOrder {
  readonly orderId: string;
  readonly remainingLots?: Lots | null;
  readonly priceTicks?: Ticks | null;
}

/** A resting order as the book sees it; also the input of `restore`. */
export interface RestingOrder {
  readonly orderId: string;
  readonly orgId: string;
  readonly side: Side;
  readonly priceTicks: Ticks;
  readonly remainingLots: Lots;
  readonly timeInForce: RestingTimeInForce;
  readonly expiresAtMs: number | null;
  readonly allOrNone: boolean;
  readonly minLots: Lots | null;
  /**
   * Time priority: a number from the engine's own counter, strictly increasing in order of arrival in
   * the book (re-entry after a price change takes a new one). Persist it; restore in ascending order.
   */
  readonly priority: number;
}

export interface Trade {
  readonly makerOrderId: string;
  readonly takerOrderId: string;
  readonly buyOrderId: string;
  readonly sellOrderId: string;
  readonly buyOrgId: string;
  readonly sellOrgId: string;
  readonly takerSide: Side;
  /** Always the resting (maker) order's price. */
  readonly priceTicks: Ticks;
  readonly lots: Lots;
}

/**
 * One change of state of one order, in the order it happened.
 * - `rested`: the incoming (or re-entered) order now rests with `remainingLots` and a new `priority`.
 * - `partially_filled`: a resting order traded and still rests with `remainingLots`.
 * - `filled`: remaining quantity reached 0 by trading (maker or taker).
 * - `cancelled`: removed; its untraded `cancelledLots` are gone (see `reason`).
 * - `expired`: a GTD order reached its expiry; `cancelledLots` were open.
 * - `reduced`: quantity reduced in place (keeps priority); `cancelledLots` = the reduction.
 * - `repriced`: the order left the book to be re-entered at `priceTicks` (or re-entered after an
 *   all-or-none reduction); `cancelledLots` = any reduction made in the same amend. Always followed by
 *   the re-entered order's trades and its final `rested` / `filled` / `cancelled` event.
 *
 * For every order: lots submitted = Σ trade lots + Σ cancelledLots + lots still resting.
 */
export type CancelReason = 'CANCELLED' | 'QUALIFICATION_LAPSED';

export type OrderEventKind = 'rested' | 'partially_filled' | 'filled' | 'cancelled' | 'expired' | 'reduced' | 'repriced';

export type OrderEventReason =
  | 'NONE'
  /** cancelled on request */
  | 'CANCELLED'
  /** a bid cancelled because its organisation's qualified-investor record lapsed (cancel's `reason`) */
  | 'QUALIFICATION_LAPSED'
  /** IOC: what did not trade at once */
  | 'IOC_REMAINDER'
  /** FOK: could not be filled entirely at once, nothing traded */
  | 'FOK_NOT_FILLABLE'
  /** the incoming order would have traded with its own organisation: its remainder is cancelled */
  | 'SELF_TRADE'
  /** a minimum-fill sell's remainder fell below its minimum */
  | 'MIN_FILL_REMAINDER'
  /** GTD expiry reached */
  | 'EXPIRED'
  /** amend reduced the quantity */
  | 'REDUCED'
  /** amend changed the price (or reduced an all-or-none sell): re-entered as new */
  | 'REENTERED';

export interface OrderEvent {
  readonly kind: OrderEventKind;
  readonly orderId: string;
  readonly orgId: string;
  readonly side: Side;
  /** The order's limit price after the event. */
  readonly priceTicks: Ticks;
  /** Open quantity still in the book after the event (0 unless rested/partially_filled/reduced). */
  readonly remainingLots: Lots;
  /** Quantity removed by this event without trading. */
  readonly cancelledLots: Lots;
  /** Priority after the event (meaningful while the order rests). */
  readonly priority: number;
  readonly reason: OrderEventReason;
}

/** Codes for which submit refuses the order and changes nothing, in the precedence order they are checked. */
const SUBMIT_REFUSALS = [
  'INVALID_SIDE',
  'INVALID_PRICE',
  'INVALID_QUANTITY',
  'INVALID_TIME_IN_FORCE',
  'INVALID_EXPIRY',
  'CONDITIONS_ONLY_FOR_SELLS',
  'INVALID_MIN_QUANTITY',
  'DUPLICATE_ORDER_ID',
] as const;

/** Result codes of submit, in the precedence order they are checked: the refusals, then the accepted outcomes. */
export const SUBMIT_CODES = [...SUBMIT_REFUSALS, 'FOK_NOT_FILLABLE', 'SELF_TRADE', 'OK'] as const;
export type SubmitCode = (typeof SUBMIT_CODES)[number];

/** Codes for which amend refuses and changes nothing, in the precedence order they are checked. */
const AMEND_REFUSALS = [
  'INVALID_AMEND',
  'INVALID_PRICE',
  'INVALID_QUANTITY',
  'UNKNOWN_ORDER',
  'QUANTITY_INCREASE_NOT_ALLOWED',
  'BELOW_MIN_QUANTITY',
  'NO_CHANGE',
] as const;

/** Result codes of amend, in the precedence order they are checked: the refusals, then the accepted outcomes. */
export const AMEND_CODES = [...AMEND_REFUSALS, 'SELF_TRADE', 'OK'] as const;
export type AmendCode = (typeof AMEND_CODES)[number];

export const CANCEL_CODES = ['UNKNOWN_ORDER', 'OK'] as const;
export type CancelCode = (typeof CANCEL_CODES)[number];

export type ExpireCode = 'OK';

/** Codes for which the command was refused and changed nothing (beyond expiring due orders). */
export const REFUSAL_CODES: ReadonlySet<string> = new Set<string>([...SUBMIT_REFUSALS, ...AMEND_REFUSALS, 'UNKNOWN_ORDER']);

export const isRefusal = (code: string): boolean => REFUSAL_CODES.has(code);

/**
 * What every command returns. `events` starts with the `expired` events of GTD orders that were due
 * at `nowMs` (every command first expires them, even a command that is then refused), followed by the
 * command's own events. `trades` are in execution order.
 */
export interface CommandResult<Code extends string> {
  readonly code: Code;
  readonly trades: Trade[];
  readonly events: OrderEvent[];
}

export type SubmitResult = CommandResult<SubmitCode>;
export type AmendResult = CommandResult<AmendCode>;
export type CancelResult = CommandResult<CancelCode>;
export type ExpireResult = CommandResult<ExpireCode>;

export interface DepthLevel {
  readonly priceTicks: Ticks;
  readonly lots: Lots;
  readonly orderCount: number;
}

export interface DepthSnapshot {
  /** Best (highest) first. */
  readonly bids: DepthLevel[];
  /** Best (lowest) first. */
  readonly asks: DepthLevel[];
}

/** The one interface of both books (the fast engine and the naive reference). */
export interface MatchingBook {
  submit(order: NewOrder, nowMs: number): SubmitResult;
  /** Cancels a resting order; its `cancelled` event carries `reason` (on request, or its organisation's qualification lapsed). */
  cancel(orderId: string, nowMs: number, reason?: CancelReason): CancelResult;
  amend(amend: AmendOrder, nowMs: number): AmendResult;
  /** Removes (returns as `expired` events) every GTD order whose expiresAtMs ≤ nowMs. */
  expire(nowMs: number): ExpireResult;
  /** Earliest expiresAtMs among resting GTD orders, or null: when the server should call expire. */
  nextExpiryMs(): number | null;
  getOrder(orderId: string): RestingOrder | undefined;
  depth(levels: number): DepthSnapshot;
  bestBid(): Ticks | null;
  bestAsk(): Ticks | null;
  /** Resting orders (of one side, if given): bids best price first, then asks best price first; FIFO within a price. */
  restingOrders(side?: Side): IterableIterator<RestingOrder>;
  readonly orderCount: number;
  /** The priority the next accepted order will get (persist it to restore the counter exactly). */
  readonly nextPriority: number;
  /**
   * Rebuilds an EMPTY book from resting orders given in ascending `priority` (e.g. `ORDER BY priority`).
   * `nextPriority` (default: highest restored priority + 1) continues the counter, so that a restored
   * book gives the very same events as the original. Throws on inconsistent input (duplicate id, bad
   * field, out-of-order priority, a pair that would trade): that is corrupt data, not an outcome.
   */
  restore(orders: Iterable<RestingOrder>, nextPriority?: number): void;
  /**
   * Throws InvariantError describing the first broken invariant: levels sum to their orders, FIFO
   * links and priority order, every order indexed once, expiry heap consistent and nothing due,
   * running state hash, no buy and sell that could trade. O(n). `recomputeHashPrefixes: false`
   * skips re-hashing every order's fields (the costly part) for checks after every command.
   */
  checkInvariants(options?: { recomputeHashPrefixes?: boolean }): void;
  /**
   * Deterministic 64-bit hash (16 hex digits) of the public state, O(1): the sum of per-order
   * FNV-1a-64 hashes of (id, side, price, org, all-or-none, min lots, expiry, priority, remaining),
   * maintained on every change. Priority is included, so it also pins the time order.
   */
  stateHash(): string;
  /** O(n) FNV-1a-64 over the resting orders in book order (no priority numbers): for audits. */
  orderedStateHash(): string;
}
