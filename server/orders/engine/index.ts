/**
 * The pure matching engine of the continuous order book (one book per fund). Rules: README.md.
 */
export { OrderBookEngine } from './order-book-engine';
export { InvariantError } from './invariant';
export { BookStateHasher, Fnv1a64 } from './state-hash';
export { checkAmend, checkNewOrder } from './validate';
export * from './types';
