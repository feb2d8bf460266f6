/** Helpers for the transfer workflow over HTTP: make a book trade, act on a transfer, check the ledgers. */
import { expect } from 'chai';
import type { TestExchange } from '../support/exchange';
import type { Db } from '../../db/database';
import { Dec, sum, type Decimal } from '../../shared/decimal';

export const CLOCK_START = '2026-03-02T02:00:00.000Z'; // Monday 10:00 in Beijing

/** `seller` offers and `buyer` takes `quantity` of `fundId` on the book; returns the transfer the trade opened. */
export async function bookTrade(
  t: TestExchange,
  fundId: string,
  quantity: string,
  pricePct: string,
  seller = 'lp',
  buyer = 'buyer1',
): Promise<string> {
  const order = { fundId, pricePct, quantity };
  const sell = await t.call('POST', '/api/orders', { token: await t.login(seller), body: { ...order, side: 'sell', timeInForce: 'GTC' } });
  expect(sell.status, JSON.stringify(sell.body)).to.equal(201);
  const buy = await t.call('POST', '/api/orders', { token: await t.login(buyer), body: { ...order, side: 'buy', timeInForce: 'IOC' } });
  expect(buy.status, JSON.stringify(buy.body)).to.equal(201);
  expect(buy.body.trades).to.have.length(1);
  return buy.body.trades[0].transferId as string;
}

export async function act(t: TestExchange, username: string, transferId: string, body: Record<string, unknown>, key?: string) {
  return t.call('POST', `/api/transfers/${transferId}/actions`, {
    token: await t.login(username),
    body,
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
}

/** Acts and expects success; returns the transfer view. */
export async function actOk(t: TestExchange, username: string, transferId: string, body: Record<string, unknown>, key?: string) {
  const r = await act(t, username, transferId, body, key);
  expect(r.status, `${username} ${String(body.action)}: ${JSON.stringify(r.body)}`).to.equal(200);
  return r.body;
}

export async function view(t: TestExchange, username: string, transferId: string) {
  return t.call('GET', `/api/transfers/${transferId}`, { token: await t.login(username) });
}

export async function position(t: TestExchange, username: string, fundId: string) {
  const r = await t.call('GET', '/api/positions', { token: await t.login(username) });
  return r.body.find((p: { fundId: string }) => p.fundId === fundId);
}

export async function cashBalanceOf(db: Db, account: string): Promise<string> {
  const rows = await db.selectFrom('cashLedger').select('amount').where('account', '=', account).execute();
  return sum(rows.map((r) => new Dec(r.amount))).toFixed(2);
}

/**
 * Conservation: every fund's unit ledger sums to zero (commitment and paid-in), the cash ledger sums
 * to zero overall, and every position equals its holder's ledger balance.
 */
export async function expectConservation(db: Db): Promise<void> {
  const units = await db.selectFrom('unitLedger').select(['fundId', 'account', 'commitment', 'paidIn']).execute();
  const byFund = new Map<string, { c: Decimal; p: Decimal }>();
  const byHolder = new Map<string, { c: Decimal; p: Decimal }>();
  const add = (m: Map<string, { c: Decimal; p: Decimal }>, k: string, c: string, p: string) => {
    const cur = m.get(k) ?? { c: new Dec('0'), p: new Dec('0') };
    m.set(k, { c: cur.c.plus(c), p: cur.p.plus(p) });
  };
  for (const u of units) {
    add(byFund, u.fundId, u.commitment, u.paidIn);
    if (u.account.startsWith('org:')) add(byHolder, `${u.fundId}|${u.account.slice(4)}`, u.commitment, u.paidIn);
  }
  for (const [fundId, s] of byFund) expect([s.c.toFixed(2), s.p.toFixed(2)], `unit ledger of ${fundId}`).to.deep.equal(['0.00', '0.00']);
  const cash = await db.selectFrom('cashLedger').select('amount').execute();
  expect(sum(cash.map((r) => new Dec(r.amount))).toFixed(2), 'cash ledger').to.equal('0.00');
  const positions = await db.selectFrom('positions').selectAll().execute();
  expect(positions.length).to.equal(byHolder.size);
  for (const p of positions) {
    const s = byHolder.get(`${p.fundId}|${p.orgId}`);
    expect([p.commitment, p.paidIn], `position ${p.orgId} in ${p.fundId}`).to.deep.equal([s?.c.toFixed(2), s?.p.toFixed(2)]);
    expect(new Dec(p.reserved).plus(p.onOffer).plus(p.pledged).lte(p.commitment), `encumbrance of ${p.orgId} in ${p.fundId}`).to.equal(
      true,
    );
  }
}
