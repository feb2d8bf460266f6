/**
 * Where the exchange keeps a sealed bid's amount and salt until the award opens them.
 *
 * Why encrypted: the listing stores each sealed bid's commitment, SHA-256(listing, org, amount, salt),
 * and the amounts an auction admits are few (ask plus whole increments), so anyone who could read the
 * amount, or the salt, or a plain hash of the amount from the database (a DBA, a backup, a replica)
 * would know every sealed bid before the close. The vault seals amount and salt with AES-256-GCM,
 * bound to the listing and bid ids (a box moved to another row does not open), and gives the
 * Idempotency-Key fingerprint a keyed HMAC of the amount instead of the amount. The key
 * (`SEALED_BID_KEY`) lives outside the database; a demo exchange generates one into its data directory.
 * Rotation: start with the new key as SEALED_BID_KEY and the old one as SEALED_BID_KEY_PREVIOUS; the
 * exchange re-seals every box under the new key at start (SealedBidJobs.resealUnderCurrentKey, sealed-bid-jobs.ts),
 * after which the previous key can be dropped.
 */
import crypto from 'node:crypto';
import { configuredOrDemoSecret } from '../demo-secret';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SealedContent {
  amount: string;
  salt: string;
}

interface Keys {
  enc: Buffer;
  mac: Buffer;
}

/** Separate keys for sealing and for fingerprints, derived from one secret of at least 32 characters. */
function keysOf(secret: string): Keys {
  if (secret.length < 32) throw new Error('the sealed-bid key must be at least 32 characters');
  const derive = (purpose: string) =>
    Buffer.from(crypto.hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), `sfund sealed bids ${purpose}`, 32));
  return { enc: derive('aes-256-gcm'), mac: derive('hmac fingerprint') };
}

export class SealedBidVault {
  private readonly current: Keys;
  /** The key before a rotation (`SEALED_BID_KEY_PREVIOUS`): it only opens boxes, for re-sealing. */
  private readonly previous: Keys | null;

  constructor(secret: string, previousSecret?: string) {
    this.current = keysOf(secret);
    this.previous = previousSecret === undefined ? null : keysOf(previousSecret);
  }

  seal(listingId: string, bidId: string, content: SealedContent): string {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.current.enc, iv);
    cipher.setAAD(aad(listingId, bidId));
    const body = Buffer.concat([cipher.update(JSON.stringify({ amount: content.amount, salt: content.salt }), 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** Throws when the box was made with another key, for another row, or altered. */
  open(listingId: string, bidId: string, box: string): SealedContent {
    return openWith(this.current, listingId, bidId, box);
  }

  /**
   * After a key rotation: the content of a box the previous key sealed, or null when the current key
   * opens it (nothing to do). Throws when neither key opens it.
   */
  openSealedByPrevious(listingId: string, bidId: string, box: string): SealedContent | null {
    try {
      openWith(this.current, listingId, bidId, box);
      return null;
    } catch (err) {
      if (!this.previous) throw err;
      return openWith(this.previous, listingId, bidId, box);
    }
  }

  /**
   * Stands for the amount in the request fingerprint: the same bidder's equal amounts match (replays);
   * nobody without the key can test guesses, or tell that two bidders bid the same.
   */
  fingerprint(listingId: string, orgId: string, amount: string): string {
    return fingerprintWith(this.current, listingId, orgId, amount);
  }

  /** The fingerprint the previous key gave (to carry Idempotency-Key replays across a rotation), or null. */
  previousFingerprint(listingId: string, orgId: string, amount: string): string | null {
    return this.previous ? fingerprintWith(this.previous, listingId, orgId, amount) : null;
  }
}

function openWith(keys: Keys, listingId: string, bidId: string, box: string): SealedContent {
  const [version, data] = box.split('.');
  if (version !== VERSION || !data) throw new Error(`sealed bid ${bidId}: unknown box format`);
  const raw = Buffer.from(data, 'base64url');
  const decipher = crypto.createDecipheriv('aes-256-gcm', keys.enc, raw.subarray(0, IV_BYTES));
  decipher.setAAD(aad(listingId, bidId));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  const json = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  const v = JSON.parse(json) as SealedContent;
  if (typeof v.amount !== 'string' || typeof v.salt !== 'string') throw new Error(`sealed bid ${bidId}: malformed content`);
  return v;
}

function fingerprintWith(keys: Keys, listingId: string, orgId: string, amount: string): string {
  return crypto.createHmac('sha256', keys.mac).update(`${listingId}\n${orgId}\n${amount}`).digest('hex');
}

function aad(listingId: string, bidId: string): Buffer {
  return Buffer.from(`${VERSION}\n${listingId}\n${bidId}`, 'utf8');
}

/** The configured key, or in demo mode one generated once under the data directory. */
export function resolveSealedBidKey(configured: string | undefined, dataDir: string): string {
  return configuredOrDemoSecret(configured, dataDir, 'sealed-bid.key');
}
