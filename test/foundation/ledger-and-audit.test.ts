import { expect } from 'chai';
import { sql } from 'kysely';
import { describeEachDatabase } from '../support/databases';
import { seededDatabase, type SeededDatabase } from '../support/seeded-database';
import type { DatabaseHandle } from '../../db/database';
import { appendAudit, entryHash, GENESIS_HASH, verifyAuditChain } from '../../server/audit/audit-log';
import { ESCROW, bankAccount, orgAccount, postCash, postUnits } from '../../server/ledger/ledger';
import { Dec, sum } from '../../shared/decimal';

describeEachDatabase('ledgers and the audit chain', (kind) => {
  let db: SeededDatabase;
  let h: DatabaseHandle;
  before(async () => {
    db = await seededDatabase(kind, '2026-11-28T02:00:00Z');
    h = db.handle;
  });
  after(async () => {
    await db?.drop();
  });

  async function unitSumsByFund(): Promise<Map<string, { commitment: string; paidIn: string }>> {
    const rows = await h.db.selectFrom('unitLedger').select(['fundId', 'commitment', 'paidIn']).execute();
    const out = new Map<string, { commitment: string; paidIn: string }>();
    for (const r of rows) {
      const cur = out.get(r.fundId) ?? { commitment: '0', paidIn: '0' };
      out.set(r.fundId, {
        commitment: new Dec(cur.commitment).plus(r.commitment).toFixed(2),
        paidIn: new Dec(cur.paidIn).plus(r.paidIn).toFixed(2),
      });
    }
    return out;
  }

  it("conserves fund units: every fund's ledger sums to zero and holders' positions equal their ledger balances", async () => {
    for (const [fundId, s] of await unitSumsByFund()) expect(s, fundId).to.deep.equal({ commitment: '0.00', paidIn: '0.00' });
    const positions = await h.db.selectFrom('positions').selectAll().execute();
    for (const p of positions) {
      const legs = await h.db
        .selectFrom('unitLedger')
        .select(['commitment', 'paidIn'])
        .where('fundId', '=', p.fundId)
        .where('account', '=', orgAccount(p.orgId))
        .execute();
      expect(sum(legs.map((l) => new Dec(l.commitment))).toFixed(2)).to.equal(p.commitment);
      expect(sum(legs.map((l) => new Dec(l.paidIn))).toFixed(2)).to.equal(p.paidIn);
    }
    const funds = await h.db.selectFrom('funds').select(['id', 'totalCommitment']).execute();
    for (const f of funds) {
      const held = positions.filter((p) => p.fundId === f.id).map((p) => new Dec(p.commitment));
      expect(sum(held).toFixed(2), f.id).to.equal(f.totalCommitment);
    }
  });

  it('moves units between holders in one balanced journal and refuses an unbalanced one', async () => {
    await h.db.transaction().execute((trx) =>
      postUnits(trx, {
        fundId: 'bj-bio-2020',
        reason: 'test transfer',
        at: '2026-11-28T02:00:00.000Z',
        legs: [
          { account: orgAccount('org-lp'), commitment: new Dec('-2000000'), paidIn: new Dec('-1800000') },
          { account: orgAccount('org-buyer1'), commitment: new Dec('2000000'), paidIn: new Dec('1800000') },
        ],
      }),
    );
    const buyer = await h.db
      .selectFrom('positions')
      .selectAll()
      .where('orgId', '=', 'org-buyer1')
      .where('fundId', '=', 'bj-bio-2020')
      .executeTakeFirstOrThrow();
    expect(buyer).to.include({ commitment: '2000000.00', paidIn: '1800000.00' });
    let refused: unknown;
    try {
      await h.db.transaction().execute((trx) =>
        postUnits(trx, {
          fundId: 'bj-bio-2020',
          reason: 'bad',
          at: '2026-11-28T02:00:00.000Z',
          legs: [{ account: orgAccount('org-lp'), commitment: new Dec('-1000000'), paidIn: new Dec('0') }],
        }),
      );
    } catch (err) {
      refused = err;
    }
    expect(String(refused)).to.match(/unbalanced/);
    for (const [, s] of await unitSumsByFund()) expect(s).to.deep.equal({ commitment: '0.00', paidIn: '0.00' });
  });

  it('keeps cash journals balanced across accounts', async () => {
    await h.db.transaction().execute((trx) =>
      postCash(trx, {
        reason: 'deposit',
        reference: 'BANK-REF-1',
        at: '2026-11-28T02:00:00.000Z',
        legs: [
          { account: bankAccount('org-buyer1'), amount: new Dec('-300000.00') },
          { account: ESCROW, amount: new Dec('300000.00') },
        ],
      }),
    );
    const rows = await h.db.selectFrom('cashLedger').select('amount').execute();
    expect(sum(rows.map((r) => new Dec(r.amount))).toFixed(2)).to.equal('0.00');
  });

  it('chains audit entries by hash and verifies an untouched chain', async () => {
    // The seed admits the demo market step by step through the going-live services, each step audited.
    const seeded = Number(
      (
        await h.db
          .selectFrom('auditLog')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(seeded).to.be.greaterThan(1);
    await h.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 5; i++) {
        await appendAudit(trx, h.engine, {
          stream: 'exchange',
          at: '2026-11-28T02:00:00.000Z',
          actorUserId: 'user-operator1',
          actorOrgId: 'org-exchange',
          action: 'test.entry',
          entityType: 'test',
          entityId: String(i),
          payload: { i, amount: '1.00' },
        });
      }
    });
    const verdict = await verifyAuditChain(h.db, 2);
    expect(verdict).to.include({ ok: true, entries: seeded + 5 });
    expect(verdict.ok && verdict.streams.map((s) => s.stream)).to.include('exchange');
  });

  it('reports the first broken link when a row was altered, and when a row was deleted', async () => {
    await sql`update audit_log set payload = ${'{"i":2,"amount":"1000000.00"}'} where stream = 'exchange' and seq = 4`.execute(h.db);
    expect(await verifyAuditChain(h.db)).to.deep.include({ ok: false, stream: 'exchange', brokenAtSeq: 4, entries: 3 });
    await sql`delete from audit_log where stream = 'exchange' and seq = 4`.execute(h.db);
    expect(await verifyAuditChain(h.db)).to.deep.include({ ok: false, stream: 'exchange', brokenAtSeq: 4, reason: 'entry 4 is missing' });
  });

  it('reports a row inserted below the start of the chain, which the walk from entry 1 would never read', async () => {
    const fresh = await seededDatabase(kind, '2026-11-28T02:00:00Z');
    try {
      expect(await verifyAuditChain(fresh.handle.db)).to.include({ ok: true });
      const forged = {
        stream: 'exchange',
        seq: 0,
        at: '2026-11-28T02:00:00.000Z',
        actorUserId: 'user-operator1',
        actorOrgId: 'org-exchange',
        action: 'forged',
        entityType: 'test',
        entityId: 'x',
        payload: '{}',
      };
      await fresh.handle.db
        .insertInto('auditLog')
        .values({ ...forged, prevHash: GENESIS_HASH, hash: entryHash(GENESIS_HASH, forged) })
        .execute();
      expect(await verifyAuditChain(fresh.handle.db)).to.deep.include({ ok: false, brokenAtSeq: 0 });
      await sql`update audit_log set seq = -5 where seq = 0`.execute(fresh.handle.db);
      expect(await verifyAuditChain(fresh.handle.db, 2)).to.deep.include({ ok: false, brokenAtSeq: -5 });
    } finally {
      await fresh.drop();
    }
  });
});
