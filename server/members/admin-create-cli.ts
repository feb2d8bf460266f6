/**
 * `npm run admin:create -- --username <name> --org "<exchange's name>" [--org-en "<English name>"] [--uscc <code>]`
 *
 * Creates the first administrator of an empty exchange database (migrating it first), with the
 * password read from standard input: typed without echo at a terminal, or the first line of a pipe.
 * Refused once an administrator exists (exit 1); audited. The administrator then admits
 * organisations and users over the API.
 */
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { openDatabase } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { hashPassword } from '../auth/passwords';
import { MIN_PASSWORD_LENGTH } from '../auth/auth.service';
import { AppError } from '../commands/errors';
import { createFirstAdmin } from './members.service';

const USAGE = 'usage: npm run admin:create -- --username <name> --org "<exchange\'s name>" [--org-en "<English name>"] [--uscc <code>]';

/** The password: without echo at a terminal (asked twice), else the first line of standard input. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      // Echo nothing of what is typed: readline writes the line through _writeToOutput.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.startsWith(prompt)) process.stdout.write(prompt);
      };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Password: ');
  const again = await ask('Password again: ');
  if (first !== again) throw new AppError('VALIDATION_FAILED', 'the two passwords differ');
  return first;
}

async function main(): Promise<number> {
  const options = {
    username: { type: 'string' },
    org: { type: 'string' },
    'org-en': { type: 'string' },
    uscc: { type: 'string' },
  } as const;
  let args: ReturnType<typeof parseArgs<{ options: typeof options; strict: true }>>['values'];
  try {
    args = parseArgs({ options, strict: true }).values;
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 64;
  }
  if (!args.username || !args.org || !/^[a-z0-9][a-z0-9._-]{1,31}$/.test(args.username)) {
    console.error(USAGE);
    return 64;
  }
  const config = loadConfig();
  const password = await readPassword();
  if (password.length < MIN_PASSWORD_LENGTH || password === 'demo-pass') {
    console.error(`the password must have at least ${MIN_PASSWORD_LENGTH} characters (and not be the demo password)`);
    return 64;
  }
  const handle = openDatabase(config.databaseUrl, { namedStatements: config.pgNamedStatements });
  try {
    await migrateToLatest(handle.db);
    const passwordHash = await hashPassword(password);
    const at = new Date().toISOString();
    const org = {
      id: 'org-exchange',
      name: args.org,
      nameEn: args['org-en'] ?? args.org,
      uscc: args.uscc?.toUpperCase() ?? null,
      stateOwned: false,
    };
    const user = await handle.db
      .transaction()
      .execute((trx) =>
        createFirstAdmin(trx, handle.engine, { username: args.username!, displayName: args.username!, passwordHash, org }, at),
      );
    console.log(`created administrator ${user.username} (${user.id}) of ${args.org} (org-exchange)`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      console.error(`refused: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    console.error(`admin:create failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
