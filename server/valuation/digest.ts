/** The content-hash digest of valuation reports on the server: SHA-256 of the canonical JSON's UTF-8 bytes. */
import { createHash } from 'node:crypto';
import type { ReportDigest } from '../../shared/valuation/report';

export const SHA256: ReportDigest = { algorithm: 'sha256', digestHex: (s) => createHash('sha256').update(s, 'utf8').digest('hex') };
