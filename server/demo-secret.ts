/**
 * A secret from the configuration, or in demo mode one generated once and kept in the data directory
 * (mode 0600), so that a demo exchange keeps its tokens and sealed bids across restarts. Production
 * refuses to start without the configured secrets (config.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Shortest secret accepted from a file: an empty or cut-off file must stop the start, never sign with a weak key. */
const MIN_SECRET_LENGTH = 32;

export function configuredOrDemoSecret(configured: string | undefined, dataDir: string, fileName: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, fileName);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    // Written whole under a temporary name, then linked in place: the file appears complete or not at
    // all, and of two processes starting on one data directory the first link wins and both read it.
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, crypto.randomBytes(48).toString('base64url'), { mode: 0o600 });
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_SECRET_LENGTH)
    throw new Error(
      `${file} holds no usable secret (shorter than ${MIN_SECRET_LENGTH}` +
        ` characters); remove it to have a new one made, or configure the secret`,
    );
  return secret;
}
