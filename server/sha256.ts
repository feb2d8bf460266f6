/** Hex SHA-256 of text (as UTF-8) or bytes: request fingerprints, sealed-bid commitments, stored PDFs, reviewed schedules. */
import crypto from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}
