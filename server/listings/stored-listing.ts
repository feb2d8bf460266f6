/**
 * A listing as stored: the domain object's canonical JSON with a `schemaVersion`. Older documents are
 * brought up to the current version when read (migration 0012 rewrote those present then; a document
 * written by an older process later is still read correctly), so the domain never sees an old shape.
 *
 * Versions: 1 (no `schemaVersion`): buyers refused by the automatic checks carry the listings' own
 * codes NOT_QUALIFIED_INVESTOR and INVESTOR_CAP. 2: they carry the rulebook's codes (shared/rules).
 */
import { canonicalJson } from '../../shared/canonical-json';
import type { Listing } from './domain';

export const LISTING_SCHEMA_VERSION = 2;

/** The rulebook's codes for the codes version 1 stored. */
export const V1_REASON_CODES: Readonly<Record<string, string>> = {
  NOT_QUALIFIED_INVESTOR: 'BUYER_NOT_QUALIFIED',
  INVESTOR_CAP: 'INVESTOR_CAP_REACHED',
};

type StoredDocument = Record<string, unknown> & { schemaVersion?: number };

export function storedListing(l: Listing): string {
  return canonicalJson({ ...l, schemaVersion: LISTING_SCHEMA_VERSION });
}

export function upgradeListingDocument(doc: StoredDocument): StoredDocument {
  const version = doc.schemaVersion ?? 1;
  if (version > LISTING_SCHEMA_VERSION)
    throw new Error(`listing ${String(doc.id)}: schema version ${version} is newer than this exchange (${LISTING_SCHEMA_VERSION})`);
  let out = doc;
  if (version < 2) {
    const buyers = (out.buyers as { qualificationCode?: string | null }[] | undefined) ?? [];
    out = {
      ...out,
      buyers: buyers.map((b) =>
        b.qualificationCode && V1_REASON_CODES[b.qualificationCode] ? { ...b, qualificationCode: V1_REASON_CODES[b.qualificationCode] } : b,
      ),
    };
  }
  return { ...out, schemaVersion: LISTING_SCHEMA_VERSION };
}

export function parseListing(data: string): Listing {
  const { schemaVersion: _version, ...listing } = upgradeListingDocument(JSON.parse(data) as StoredDocument);
  return listing as unknown as Listing;
}
