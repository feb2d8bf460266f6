/**
 * What a process tells its log about its database: a lost connection (a warning) and, at trace level,
 * every statement with its time. Never the parameters: they may hold secrets (password hashes, sealed bids).
 */
import type { Logger } from 'pino';
import type { OpenOptions } from './database';

export function databaseLogOptions(log: Logger): Pick<OpenOptions, 'onConnectionLost' | 'onQuery'> {
  return {
    onConnectionLost: (err) => log.warn({ err }, 'a database connection was lost; the pool opens another'),
    onQuery: log.isLevelEnabled('trace') ? (query, ms) => log.trace({ sql: query.sql, ms }, 'statement') : undefined,
  };
}
