/**
 * A transfer as stored: the domain object's canonical JSON with a `schemaVersion`, brought up to the
 * current version when read (migration 0012 stamped the documents present then).
 *
 * Versions: 1 (no `schemaVersion`) and 2 have the same shape; 2 is the first that says so.
 */
import { canonicalJson } from '../../shared/canonical-json';
import type { Transfer } from './domain/types';

export const TRANSFER_SCHEMA_VERSION = 2;

type StoredDocument = Record<string, unknown> & { schemaVersion?: number };

export function storedTransfer(t: Transfer): string {
  return canonicalJson({ ...t, schemaVersion: TRANSFER_SCHEMA_VERSION });
}

export function upgradeTransferDocument(doc: StoredDocument): StoredDocument {
  const version = doc.schemaVersion ?? 1;
  if (version > TRANSFER_SCHEMA_VERSION)
    throw new Error(`transfer ${String(doc.id)}: schema version ${version} is newer than this exchange (${TRANSFER_SCHEMA_VERSION})`);
  return { ...doc, schemaVersion: TRANSFER_SCHEMA_VERSION };
}

/** A transfer as stored (the canonical JSON of the domain object), in the current shape. */
export function parseTransfer(data: string): Transfer {
  const { schemaVersion: _version, ...transfer } = upgradeTransferDocument(JSON.parse(data) as StoredDocument);
  return transfer as unknown as Transfer;
}
