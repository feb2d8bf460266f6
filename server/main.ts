/** Entry point: `npm start`. Validates configuration, migrates, seeds the demo market into an empty database, serves. */
import { ConfigError, loadConfig } from './config';
import { createExchange } from './app';
import { DEMO_PASSWORD, DEMO_USERS } from './seed/demo-market';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const exchange = await createExchange(config);
  const port = await exchange.listen();
  const url = `http://localhost:${port}`;
  exchange.log.info({ url, database: exchange.handle.engine.name, clock: config.clock }, `S-fund exchange ready at ${url}`);
  if (!config.production) {
    console.log(`\nS-fund exchange: ${url}  (API docs ${url}/api/docs)`);
    console.log(`Demo users (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((u) => u.username).join(', ')}\n`);
  }
  const stop = async (signal: string) => {
    exchange.log.info({ signal }, 'shutting down');
    await exchange.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(`cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
