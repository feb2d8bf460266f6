import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configuredOrDemoSecret } from '../../server/demo-secret';

describe('demo-mode secrets in the data directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfund-secret-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('makes one secret, readable only by its owner, and returns the same one afterwards', () => {
    const s = configuredOrDemoSecret(undefined, dir, 'x.key');
    expect(s.length).to.be.at.least(32);
    expect(configuredOrDemoSecret(undefined, dir, 'x.key')).to.equal(s);
    expect(fs.statSync(path.join(dir, 'x.key')).mode & 0o777).to.equal(0o600);
    expect(fs.readdirSync(dir)).to.deep.equal(['x.key']);
  });

  it('refuses an empty or cut-off secret file instead of signing with it', () => {
    fs.writeFileSync(path.join(dir, 'x.key'), '');
    expect(() => configuredOrDemoSecret(undefined, dir, 'x.key')).to.throw(/no usable secret/);
    fs.writeFileSync(path.join(dir, 'x.key'), 'short');
    expect(() => configuredOrDemoSecret(undefined, dir, 'x.key')).to.throw(/no usable secret/);
  });

  it('prefers the configured secret and writes nothing then', () => {
    expect(configuredOrDemoSecret('c'.repeat(40), dir, 'x.key')).to.equal('c'.repeat(40));
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });
});
