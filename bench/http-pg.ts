/**
 * `npm run bench -- http-pg`: the HTTP suite (bench/http.ts) on PostgreSQL, against a plain Express
 * route doing one durable INSERT per request through pg (pool of 10) in the same run (issue #20).
 *
 * Run: npx tsx bench/http-pg.ts [postgres://…]  (default TEST_POSTGRES_URL; a database is created and dropped)
 */
import { Client } from 'pg';
import { runHttpBench } from './http';

async function main(url: string): Promise<void> {
  try {
    const probe = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    await probe.connect();
    await probe.end();
  } catch (err) {
    console.log(`## End to end on PostgreSQL\n\nSKIPPED: no PostgreSQL at ${url} (${err instanceof Error ? err.message : err}).\n`);
    return;
  }
  console.log(await runHttpBench(url));
}

main(process.argv[2] ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test').catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
