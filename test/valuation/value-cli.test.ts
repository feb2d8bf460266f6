/** `npm run value -- model.json`: the CLI as a child process, on the shipped example and on bad input. */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyReportHash } from '../../shared/valuation/report';
import { SHA256 } from '../../server/valuation/digest';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'model.json');

function runCli(args: string[]) {
  const r = spawnSync('npm', ['run', '--silent', 'value', '--', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run value (valuation CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'value-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a readable summary of examples/model.json ending with the content hash, the same on every run', () => {
    const a = runCli([EXAMPLE]);
    expect(a.status, a.stderr).to.equal(0);
    expect(a.stdout).to.contain('基金份额估值报告');
    expect(a.stdout).to.match(/fair value low \/ base \/ high: [\d.]+ \/ [\d.]+ \/ [\d.]+/);
    expect(a.stdout).to.contain('IRR grid:');
    expect(a.stdout).to.contain('listed-locked');
    const hash = /content hash sha256: ([0-9a-f]{64})/.exec(a.stdout)?.[1];
    expect(hash).to.be.a('string');
    const b = runCli([EXAMPLE, '--json']);
    expect(b.status, b.stderr).to.equal(0);
    const report = JSON.parse(b.stdout);
    expect(report.contentHash.hex).to.equal(hash);
    expect(verifyReportHash(report, SHA256)).to.equal(true);
    expect(report.inputs.model).to.deep.equal(JSON.parse(readFileSync(EXAMPLE, 'utf8')).model);
  });

  it('exits 2 with a message naming the field when a decimal is a JSON number', () => {
    const body = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
    body.model.cash = 1000000;
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(body));
    const r = runCli([file]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain('model.cash');
    expect(r.stderr).to.match(/decimal string/);
    expect(r.stdout).to.equal('');
  });

  it('exits 2 on a missing file, invalid JSON, inputs the maths refuses, and no argument', () => {
    expect(runCli([path.join(dir, 'missing.json')]).status).to.equal(2);
    const notJson = path.join(dir, 'x.json');
    writeFileSync(notJson, '{ not json');
    const r = runCli([notJson]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain('not valid JSON');
    const body = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
    body.share.commitment = '99999999999999';
    const tooBig = path.join(dir, 'big.json');
    writeFileSync(tooBig, JSON.stringify(body));
    const big = runCli([tooBig]);
    expect(big.status).to.equal(2);
    expect(big.stderr).to.contain('share.commitment');
    expect(runCli([]).status).to.equal(2);
  });
});
