import { expect } from 'chai';
import {
  decidePledge,
  parsePledgeCommand,
  requestPledge,
  type Pledge,
  type PledgeActor,
  type PledgeCommand,
} from '../../server/pledges/domain/pledge';

const LP: PledgeActor = { userId: 'u-lp', name: 'LP', orgId: 'org-lp', roles: ['seller'] };
const GP: PledgeActor = { userId: 'u-gp', name: 'GP', orgId: 'org-gp', roles: ['gp'] };
const OP: PledgeActor = { userId: 'u-op', name: 'Op', orgId: 'org-x', roles: ['operator'] };
const T0 = '2026-03-02T02:00:00.000Z';
const input = {
  id: 'p1',
  fundId: 'f',
  pledgorOrgId: 'org-lp',
  pledgeeOrgId: 'org-bank',
  quantity: '20000000',
  securedAmount: '1.00',
  contractRef: 'C-1',
};
const facts = {
  actor: LP,
  now: T0,
  pledgeAllowed: true,
  pledgeNeedsConsent: false,
  lotSize: '1000000',
  unencumbered: '30000000',
  pledgeeExists: true,
};

const requested = (needsConsent = false): Pledge => {
  const r = requestPledge(input, { ...facts, pledgeNeedsConsent: needsConsent });
  if (!r.ok) throw new Error(r.detail);
  return r.pledge;
};
const step = (p: Pledge, c: PledgeCommand, actor: PledgeActor, at = T0) => decidePledge(p, c, { actor, now: at, fundGpOrgId: 'org-gp' });
const ok = (r: ReturnType<typeof step>) => {
  if (!r.ok) throw new Error(`${r.code}: ${r.detail}`);
  return r;
};

describe('the pledge state machine', () => {
  it("starts in consent_pending where the fund needs the GP's consent, else in registration_pending; both hold the units", () => {
    expect(requested(true).state).to.equal('consent_pending');
    expect(requested(false).state).to.equal('registration_pending');
  });

  it('checks the request in order: forbidden fund, lot, pledgee, contract reference, unencumbered units', () => {
    const code = (f: Partial<typeof facts>, i: Partial<typeof input> = {}) => {
      const r = requestPledge({ ...input, ...i }, { ...facts, ...f });
      return r.ok ? 'ok' : r.code;
    };
    expect(code({ pledgeAllowed: false, unencumbered: '0' }, { quantity: '1500000' })).to.equal('PLEDGE_NOT_ALLOWED');
    expect(code({ unencumbered: '0' }, { quantity: '1500000' })).to.equal('QUANTITY_NOT_ON_LOT');
    expect(code({ pledgeeExists: false, unencumbered: '0' })).to.equal('NOT_FOUND');
    expect(code({}, { pledgeeOrgId: 'org-lp' })).to.equal('VALIDATION_FAILED');
    expect(code({}, { contractRef: 'a\u0007b' })).to.equal('VALIDATION_FAILED');
    expect(code({ unencumbered: '19000000' })).to.equal('INSUFFICIENT_POSITION');
    expect(code({ unencumbered: '20000000' })).to.equal('ok');
    const r = requestPledge(input, { ...facts, unencumbered: '19000000' });
    expect(!r.ok && r.params).to.deep.equal({ available: '19000000', requested: '20000000' });
  });

  it('runs consent → registration → release, recording each actor and time; released no longer holds the units', () => {
    const a = ok(step(requested(true), { action: 'gp_consent' }, GP, '2026-03-03T00:00:00.000Z'));
    expect([a.pledge.state, a.held]).to.deep.equal(['registration_pending', true]);
    const b = ok(step(a.pledge, { action: 'register', registrationRef: 'R' }, OP, '2026-03-04T00:00:00.000Z'));
    expect([b.pledge.state, b.held, b.pledge.registrationRef]).to.deep.equal(['registered', true, 'R']);
    const c = ok(step(b.pledge, { action: 'release', releaseRef: 'X' }, OP, '2026-03-05T00:00:00.000Z'));
    expect([c.pledge.state, c.held, c.pledge.releaseRef]).to.deep.equal(['released', false, 'X']);
    expect(c.pledge.history.map((h) => [h.action, h.by.userId, h.at])).to.deep.equal([
      ['request', 'u-lp', T0],
      ['gp_consent', 'u-gp', '2026-03-03T00:00:00.000Z'],
      ['register', 'u-op', '2026-03-04T00:00:00.000Z'],
      ['release', 'u-op', '2026-03-05T00:00:00.000Z'],
    ]);
  });

  it('ends in refused or withdrawn without holding the units', () => {
    const refused = ok(step(requested(true), { action: 'gp_refuse', reason: 'no' }, GP));
    expect([refused.pledge.state, refused.held, refused.pledge.history[1]!.reason]).to.deep.equal(['refused', false, 'no']);
    const withdrawn = ok(step(requested(false), { action: 'withdraw' }, LP));
    expect([withdrawn.pledge.state, withdrawn.held]).to.deep.equal(['withdrawn', false]);
  });

  it("lets only the right party act: the fund's GP consents, an operator registers and releases, the pledgor withdraws", () => {
    const code = (p: Pledge, c: PledgeCommand, a: PledgeActor) => {
      const r = step(p, c, a);
      return r.ok ? 'ok' : r.code;
    };
    expect(code(requested(true), { action: 'gp_consent' }, { ...GP, orgId: 'org-other-gp' })).to.equal('FORBIDDEN');
    expect(code(requested(true), { action: 'gp_consent' }, LP)).to.equal('FORBIDDEN');
    expect(code(requested(false), { action: 'register', registrationRef: 'R' }, GP)).to.equal('FORBIDDEN');
    expect(code(requested(false), { action: 'withdraw' }, { ...LP, orgId: 'org-bank' })).to.equal('FORBIDDEN');
    expect(code(requested(false), { action: 'withdraw' }, OP)).to.equal('FORBIDDEN');
  });

  it('refuses an action from the wrong state with INVALID_STATE, the state in params.reason', () => {
    const registered = ok(step(requested(false), { action: 'register', registrationRef: 'R' }, OP)).pledge;
    const r = step(registered, { action: 'withdraw' }, LP);
    expect(r.ok).to.equal(false);
    expect(!r.ok && [r.code, r.params?.reason]).to.deep.equal(['INVALID_STATE', 'pledge_registered']);
    expect(step(requested(false), { action: 'gp_consent' }, GP).ok).to.equal(false);
    expect(step(requested(false), { action: 'release', releaseRef: 'X' }, OP).ok).to.equal(false);
  });

  it("parses each action's fields and refuses missing, empty, unknown or unprintable ones", () => {
    expect(parsePledgeCommand({ action: 'register', registrationRef: 'R-1' })).to.deep.equal({
      ok: true,
      command: { action: 'register', registrationRef: 'R-1' },
    });
    for (const bad of [
      { action: 'register' },
      { action: 'register', registrationRef: '  ' },
      { action: 'gp_refuse', reason: 'x'.repeat(201) },
      { action: 'withdraw', why: 'x' },
      { action: 'release', releaseRef: 'a\nb' },
      { action: 'approve' },
      null,
    ]) {
      const r = parsePledgeCommand(bad);
      expect(r.ok ? 'ok' : r.code, JSON.stringify(bad)).to.equal('VALIDATION_FAILED');
    }
  });
});
