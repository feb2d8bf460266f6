/**
 * The rulebook: who may buy a fund share and what a holder may sell, for every venue (the book,
 * listings, transfers, pledges). Pure: facts in (read by server/rules/facts.ts), one verdict out, with
 * the codes of api.md. Venues differ only in which facts they have (a book order's fill is at least a
 * lot; a listing or a transfer moves its whole quantity), never in the rules.
 */
export * from './verdict';
export * from './buyer';
export * from './seller';
