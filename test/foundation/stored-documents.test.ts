import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases';
import { seededDatabase, type SeededDatabase } from '../support/seeded-database';
import { up as migration0012 } from '../../db/migrations/0012_document_versions';
import { findListing } from '../../server/listings/listings.repository';
import { parseListing } from '../../server/listings/stored-listing';
import { findTransfer } from '../../server/transfers/transfers.repository';
import { parseTransfer } from '../../server/transfers/stored-transfer';

const AT = '2026-11-28T02:00:00.000Z';
/** Listings as an exchange before stored-document versions wrote them (no schemaVersion; the listings' own refusal codes). */
const OLD_LISTING = {
  id: 'listing-old',
  fundId: 'bj-ai-2021',
  sellerOrgId: 'org-lp',
  state: 'disclosure',
  quantity: '10000000',
  buyers: [
    { orgId: 'org-buyer1', qualification: 'refused', qualificationCode: 'NOT_QUALIFIED_INVESTOR' },
    { orgId: 'org-buyer2', qualification: 'refused', qualificationCode: 'INVESTOR_CAP' },
    { orgId: 'org-lp-others', qualification: 'refused', qualificationCode: 'CONDITIONS_NOT_MET' },
    { orgId: 'org-lp-guidance', qualification: 'qualified', qualificationCode: null },
  ],
};
const OLD_TRANSFER = { id: 'transfer-old', fundId: 'bj-ai-2021', state: 'review_pending', version: 3, allocations: [] };

describe('stored documents with a version', () => {
  it("reads an unversioned listing as the current version: the rulebook codes, the operator's own codes kept", () => {
    const l = parseListing(JSON.stringify(OLD_LISTING)) as unknown as typeof OLD_LISTING;
    expect(l.buyers.map((b) => b.qualificationCode)).to.deep.equal([
      'BUYER_NOT_QUALIFIED',
      'INVESTOR_CAP_REACHED',
      'CONDITIONS_NOT_MET',
      null,
    ]);
    expect(l).to.not.have.property('schemaVersion');
  });

  it('reads an unversioned transfer unchanged, and refuses a document newer than the exchange', () => {
    expect(parseTransfer(JSON.stringify(OLD_TRANSFER))).to.deep.equal(OLD_TRANSFER);
    expect(() => parseTransfer(JSON.stringify({ ...OLD_TRANSFER, schemaVersion: 99 }))).to.throw(/schema version 99 is newer/);
    expect(() => parseListing(JSON.stringify({ ...OLD_LISTING, schemaVersion: 99 }))).to.throw(/schema version 99 is newer/);
  });
});

describeEachDatabase('migration 0012: stored documents get a version', (kind) => {
  let db: SeededDatabase;
  before(async () => {
    db = await seededDatabase(kind, AT);
  });
  after(async () => {
    await db?.drop();
  });

  it(
    'stamps every unversioned listing and transfer with version 2 (listing ' + 'codes renamed), leaves versioned ones, and reads them back',
    async () => {
      const { db: k } = db.handle;
      await k
        .insertInto('listings')
        .values({
          id: OLD_LISTING.id,
          fundId: OLD_LISTING.fundId,
          sellerOrgId: OLD_LISTING.sellerOrgId,
          state: 'disclosure',
          nextTimerAt: null,
          version: 4,
          data: JSON.stringify(OLD_LISTING),
          createdAt: AT,
          updatedAt: AT,
        } as never)
        .execute();
      await k
        .insertInto('transfers')
        .values({
          id: OLD_TRANSFER.id,
          tradeId: 'trade-old',
          fundId: OLD_TRANSFER.fundId,
          venue: 'book',
          state: 'review_pending',
          sellerOrgId: 'org-lp',
          buyerOrgId: 'org-buyer1',
          nextDeadlineAt: null,
          version: 3,
          data: JSON.stringify(OLD_TRANSFER),
          openedAt: AT,
          updatedAt: AT,
        } as never)
        .execute();
      await migration0012(k as never);
      await migration0012(k as never); // running again changes nothing
      const listingRow = await k
        .selectFrom('listings')
        .select(['data', 'version'])
        .where('id', '=', OLD_LISTING.id)
        .executeTakeFirstOrThrow();
      const stored = JSON.parse(listingRow.data);
      expect(stored.schemaVersion).to.equal(2);
      expect(stored.buyers.map((b: { qualificationCode: string | null }) => b.qualificationCode)).to.deep.equal([
        'BUYER_NOT_QUALIFIED',
        'INVESTOR_CAP_REACHED',
        'CONDITIONS_NOT_MET',
        null,
      ]);
      expect(listingRow.version, "the optimistic version is the listing's, not the schema's").to.equal(4);
      const transferRow = await k.selectFrom('transfers').select('data').where('id', '=', OLD_TRANSFER.id).executeTakeFirstOrThrow();
      expect(JSON.parse(transferRow.data)).to.deep.equal({ ...OLD_TRANSFER, schemaVersion: 2 });
      expect((await findListing(k, OLD_LISTING.id))?.listing).to.not.have.property('schemaVersion');
      expect(await findTransfer(k, OLD_TRANSFER.id)).to.deep.equal(OLD_TRANSFER);
    },
  );
});
