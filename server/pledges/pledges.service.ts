/**
 * Share pledges over the database: every command runs the pure core (domain/pledge.ts) inside ONE
 * transaction with its Idempotency-Key, the fund's lock, the pledgor's encumbrance (positions.pledged)
 * and its audit entry. Readers: the pledgor's, the pledgee's and the fund GP's organisations, and
 * operators (every pledge); anyone else gets 404.
 */
import crypto from 'node:crypto';
import { Dec, formatQuantity } from '../../shared/decimal';
import { canonicalJson } from '../../shared/canonical-json';
import type { DatabaseHandle, Tx } from '../../db/database';
import { appendAudit } from '../audit/audit-log';
import type { Principal } from '../auth/tokens';
import { iso, type Clock } from '../clock/clock';
import { AppError, fundLock, lockInOrder, notFound, type CommandOutcome, type CommandRunner } from '../commands';
import { findPosition, unencumbered } from '../positions/positions.service';
import { decidePledge, parsePledgeCommand, requestPledge, type Pledge, type PledgeActor, type PledgeRefusal } from './domain/pledge';

export interface PledgeRequestBody {
  fundId: string;
  quantity: string;
  pledgeeOrgId: string;
  securedAmount: string;
  contractRef: string;
}

const refusal = (r: PledgeRefusal) => new AppError(r.code, r.detail, r.params ? { params: r.params } : undefined);
const seesEverything = (p: Principal) => p.roles.includes('operator') || p.roles.includes('admin');

export type PledgeView = Pledge;

export class PledgesService {
  constructor(
    private readonly h: DatabaseHandle,
    private readonly clock: Clock,
    private readonly commands: CommandRunner,
  ) {}

  private async actorOf(db: DatabaseHandle['db'] | Tx, p: Principal): Promise<PledgeActor> {
    const u = await db.selectFrom('users').select('displayName').where('id', '=', p.userId).executeTakeFirst();
    return { userId: p.userId, name: u?.displayName ?? p.username, orgId: p.orgId, roles: p.roles };
  }

  async create(who: Principal, body: PledgeRequestBody, idempotencyKey: string | undefined): Promise<CommandOutcome> {
    const nowIso = iso(this.clock.now());
    return this.commands(
      { userId: who.userId, idempotencyKey, fingerprint: { m: 'POST', p: '/api/pledges', body }, nowIso },
      async (trx) => {
        const fund = await trx
          .selectFrom('funds')
          .select(['id', 'lotSize', 'pledgeAllowed', 'pledgeNeedsConsent'])
          .where('id', '=', body.fundId)
          .executeTakeFirst();
        if (!fund) throw notFound(`fund ${body.fundId}`);
        // The fund's lock: a sell order, a listing or another pledge of the same units waits for this one.
        await lockInOrder(this.h.engine, trx, fundLock(fund.id));
        const pledgee = await trx.selectFrom('organisations').select('id').where('id', '=', body.pledgeeOrgId).executeTakeFirst();
        const position = await findPosition(trx, fund.id, who.orgId);
        const r = requestPledge(
          { id: `pledge-${crypto.randomUUID()}`, pledgorOrgId: who.orgId, ...body, securedAmount: new Dec(body.securedAmount).toFixed(2) },
          {
            actor: await this.actorOf(trx, who),
            now: nowIso,
            pledgeAllowed: fund.pledgeAllowed === 1,
            pledgeNeedsConsent: fund.pledgeNeedsConsent === 1,
            lotSize: new Dec(fund.lotSize).toFixed(0),
            unencumbered: formatQuantity(position ? unencumbered(position) : new Dec('0')),
            pledgeeExists: !!pledgee,
          },
        );
        if (!r.ok) throw refusal(r);
        await this.adjustPledged(trx, r.pledge, r.pledge.quantity);
        await trx
          .insertInto('pledges')
          .values({
            id: r.pledge.id,
            fundId: r.pledge.fundId,
            pledgorOrgId: r.pledge.pledgorOrgId,
            pledgeeOrgId: r.pledge.pledgeeOrgId,
            state: r.pledge.state,
            version: 1,
            data: canonicalJson(r.pledge),
            createdAt: nowIso,
            updatedAt: nowIso,
          })
          .execute();
        await this.audit(trx, who, r.pledge, 'pledge.request', nowIso);
        return { status: 201, body: r.pledge };
      },
    );
  }

  async act(who: Principal, pledgeId: string, body: unknown, idempotencyKey: string | undefined): Promise<CommandOutcome> {
    const nowIso = iso(this.clock.now());
    const path = `/api/pledges/${pledgeId}/actions`;
    return this.commands({ userId: who.userId, idempotencyKey, fingerprint: { m: 'POST', p: path, body }, nowIso }, async (trx) => {
      const fundId = (await trx.selectFrom('pledges').select('fundId').where('id', '=', pledgeId).executeTakeFirst())?.fundId;
      if (!fundId) throw notFound('pledge');
      await lockInOrder(this.h.engine, trx, fundLock(fundId));
      // Read after the lock: a concurrent action on the same pledge has committed by now.
      const row = await trx.selectFrom('pledges').select(['data', 'version']).where('id', '=', pledgeId).executeTakeFirstOrThrow();
      const before = JSON.parse(row.data) as Pledge;
      const fund = await trx.selectFrom('funds').select('managerOrgId').where('id', '=', fundId).executeTakeFirstOrThrow();
      if (!this.mayRead(who, before, fund.managerOrgId)) throw notFound('pledge');
      const parsed = parsePledgeCommand(body);
      if (!parsed.ok) throw refusal(parsed);
      const r = decidePledge(before, parsed.command, { actor: await this.actorOf(trx, who), now: nowIso, fundGpOrgId: fund.managerOrgId });
      if (!r.ok) throw refusal(r);
      if (!r.held) await this.adjustPledged(trx, r.pledge, new Dec(r.pledge.quantity).neg().toFixed(0));
      const updated = await trx
        .updateTable('pledges')
        .set({ state: r.pledge.state, version: row.version + 1, data: canonicalJson(r.pledge), updatedAt: nowIso })
        .where('id', '=', pledgeId)
        .where('version', '=', row.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'the pledge changed meanwhile; try again');
      await this.audit(trx, who, r.pledge, `pledge.${parsed.command.action}`, nowIso);
      return { status: 200, body: r.pledge };
    });
  }

  async list(who: Principal): Promise<PledgeView[]> {
    let q = this.h.db
      .selectFrom('pledges')
      .innerJoin('funds', 'funds.id', 'pledges.fundId')
      .select('pledges.data')
      .orderBy('pledges.createdAt', 'desc')
      .orderBy('pledges.id')
      .limit(500);
    if (!seesEverything(who)) {
      q = q.where((eb) =>
        eb.or([
          eb('pledges.pledgorOrgId', '=', who.orgId),
          eb('pledges.pledgeeOrgId', '=', who.orgId),
          eb('funds.managerOrgId', '=', who.orgId),
        ]),
      );
    }
    return (await q.execute()).map((r) => JSON.parse(r.data) as Pledge);
  }

  async get(who: Principal, pledgeId: string): Promise<PledgeView> {
    const row = await this.h.db
      .selectFrom('pledges')
      .innerJoin('funds', 'funds.id', 'pledges.fundId')
      .select(['pledges.data', 'funds.managerOrgId'])
      .where('pledges.id', '=', pledgeId)
      .executeTakeFirst();
    const p = row ? (JSON.parse(row.data) as Pledge) : undefined;
    if (!p || !this.mayRead(who, p, row!.managerOrgId)) throw notFound('pledge');
    return p;
  }

  private mayRead(who: Principal, p: Pledge, gpOrgId: string): boolean {
    return seesEverything(who) || [p.pledgorOrgId, p.pledgeeOrgId, gpOrgId].includes(who.orgId);
  }

  /** positions.pledged += delta (whole yuan); the core has checked the units are unencumbered. */
  private async adjustPledged(trx: Tx, p: Pledge, delta: string): Promise<void> {
    const pos = await findPosition(trx, p.fundId, p.pledgorOrgId);
    if (!pos) throw new Error(`pledge ${p.id}: no position of ${p.pledgorOrgId} in ${p.fundId}`);
    const pledged = new Dec(pos.pledged).plus(delta);
    if (pledged.lt('0') || pledged.plus(pos.onOffer).plus(pos.reserved).gt(pos.commitment)) {
      throw new Error(`pledge ${p.id}: encumbrance of ${p.pledgorOrgId} in ${p.fundId} out of range (pledged ${pledged.toFixed(2)})`);
    }
    await trx
      .updateTable('positions')
      .set({ pledged: pledged.toFixed(2) })
      .where('fundId', '=', p.fundId)
      .where('orgId', '=', p.pledgorOrgId)
      .execute();
  }

  private async audit(trx: Tx, who: Principal, p: Pledge, action: string, at: string): Promise<void> {
    const last = p.history[p.history.length - 1];
    await appendAudit(trx, this.h.engine, {
      at,
      actorUserId: who.userId,
      actorOrgId: who.orgId,
      action,
      entityType: 'pledge',
      entityId: p.id,
      payload: {
        fundId: p.fundId,
        pledgorOrgId: p.pledgorOrgId,
        pledgeeOrgId: p.pledgeeOrgId,
        quantity: p.quantity,
        state: p.state,
        entry: last,
      },
    });
  }
}
