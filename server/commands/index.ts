/** The command layer: what every state-changing command runs through, whichever door it came in by (HTTP, timers, seeding). */
export { AppError, forbidden, notFound, type Params } from './errors';
export {
  type CommandOutcome,
  findIdempotentResponse,
  isStoredRefusal,
  keepRefusal,
  readKeysAhead,
  requestHashOf,
  storeIdempotentResponse,
  storeRefusal,
  validateIdempotencyKey,
} from './idempotency';
export { CONFIRMATION_NUMBER_LOCK, fundLock, jobLock, lockInOrder, openOrdersLock, type OrderedLock, transferLock } from './locks';
export { CONFLICT_RETRIES, retryOnConflict } from './retry';
export { type CommandRequest, type CommandRunner, createCommandRunner } from './runner';
export { withSavepoint } from './savepoint';
export { forgetAfterRollback, txMemo } from './tx-memo';
