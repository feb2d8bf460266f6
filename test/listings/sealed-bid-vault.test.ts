import { expect } from 'chai';
import crypto from 'node:crypto';
import { SealedBidVault } from '../../server/listings/sealed-bid-vault';

const KEY = 'k'.repeat(16) + 'a-sealed-bid-test-key-0123456789';

describe('the sealed-bid vault', () => {
  const vault = new SealedBidVault(KEY);

  it('opens what it sealed, and the box shows neither the amount nor the salt', () => {
    const box = vault.seal('listing-1', 'bid-1', { amount: '155000000.00', salt: 'ab'.repeat(16) });
    expect(box).to.match(/^v1\./).and.not.contain('155000000').and.not.contain('abab');
    expect(vault.open('listing-1', 'bid-1', box)).to.deep.equal({ amount: '155000000.00', salt: 'ab'.repeat(16) });
    expect(vault.seal('listing-1', 'bid-1', { amount: '155000000.00', salt: 'x' })).to.not.equal(
      vault.seal('listing-1', 'bid-1', { amount: '155000000.00', salt: 'x' }),
    );
  });

  it('refuses a box moved to another bid or listing, an altered box, and a box sealed under another key', () => {
    const box = vault.seal('listing-1', 'bid-1', { amount: '155000000.00', salt: 's' });
    expect(() => vault.open('listing-1', 'bid-2', box)).to.throw();
    expect(() => vault.open('listing-2', 'bid-1', box)).to.throw();
    const raw = Buffer.from(box.slice(3), 'base64url');
    raw[20] = raw[20]! ^ 1;
    expect(() => vault.open('listing-1', 'bid-1', `v1.${raw.toString('base64url')}`)).to.throw();
    expect(() => new SealedBidVault('another-key-of-at-least-thirty-two-chars').open('listing-1', 'bid-1', box)).to.throw();
    expect(() => vault.open('listing-1', 'bid-1', '155000000.00')).to.throw(/format/);
  });

  it(
    "fingerprints an amount so that one bidder's equal requests match, " + 'bidders differ, and guesses cannot be tested without the key',
    () => {
      const f = vault.fingerprint('listing-1', 'org-1', '155000000.00');
      expect(vault.fingerprint('listing-1', 'org-1', '155000000.00')).to.equal(f);
      expect(vault.fingerprint('listing-1', 'org-1', '156000000.00')).to.not.equal(f);
      expect(vault.fingerprint('listing-2', 'org-1', '155000000.00')).to.not.equal(f);
      expect(vault.fingerprint('listing-1', 'org-2', '155000000.00'), 'two bidders of one amount look different').to.not.equal(f);
      expect(new SealedBidVault('another-key-of-at-least-thirty-two-chars').fingerprint('listing-1', 'org-1', '155000000.00')).to.not.equal(
        f,
      );
      expect(f).to.not.equal(crypto.createHash('sha256').update('155000000.00').digest('hex'));
    },
  );

  it('refuses a key shorter than 32 characters', () => {
    expect(() => new SealedBidVault('short')).to.throw(/32/);
    expect(() => new SealedBidVault(KEY, 'short')).to.throw(/32/);
  });

  it(
    'after a rotation, opens with the previous key only what the current ' +
      'key cannot, seals with the current one, and gives both fingerprints',
    () => {
      const NEW = 'n'.repeat(16) + 'a-rotated-sealed-bid-key-0123456789';
      const rotated = new SealedBidVault(NEW, KEY);
      const oldBox = vault.seal('listing-1', 'bid-1', { amount: '155000000.00', salt: 's' });
      expect(rotated.openSealedByPrevious('listing-1', 'bid-1', oldBox)).to.deep.equal({ amount: '155000000.00', salt: 's' });
      expect(() => rotated.open('listing-1', 'bid-1', oldBox), 'open uses the current key only').to.throw();
      const newBox = rotated.seal('listing-1', 'bid-1', { amount: '155000000.00', salt: 's' });
      expect(rotated.openSealedByPrevious('listing-1', 'bid-1', newBox), 'nothing to re-seal').to.equal(null);
      expect(() => vault.open('listing-1', 'bid-1', newBox)).to.throw();
      expect(
        () => new SealedBidVault(NEW).openSealedByPrevious('listing-1', 'bid-1', oldBox),
        'no previous key: neither opens it',
      ).to.throw();
      expect(rotated.previousFingerprint('listing-1', 'org-1', '155000000.00')).to.equal(
        vault.fingerprint('listing-1', 'org-1', '155000000.00'),
      );
      expect(rotated.fingerprint('listing-1', 'org-1', '155000000.00')).to.not.equal(
        vault.fingerprint('listing-1', 'org-1', '155000000.00'),
      );
      expect(new SealedBidVault(NEW).previousFingerprint('listing-1', 'org-1', '1')).to.equal(null);
    },
  );
});
