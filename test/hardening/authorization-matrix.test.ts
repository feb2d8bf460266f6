/**
 * The authorization matrix (issue #19), generated from the route table as served (/api/openapi.json
 * with each operation's `x-access`): every route × every demo role and no sign-in. A caller outside a
 * route's access list gets 401 (no sign-in) or 403 FORBIDDEN, never 2xx; nobody gets 5xx. Then
 * resources of one organisation (an order, a transfer, a draft listing) are asked
 * for by every user: only those the README allows see them, others get 404 and find them in no list.
 */
import { expect } from 'chai';
import { sqliteKind } from '../support/databases';
import { startTestExchange, type TestExchange } from '../support/exchange';
import type { Role } from '../../db/schema';
import { stateOwnedListingBody } from '../support/listing-body';

const USERS: Record<string, Role[]> = {
  lp: ['seller', 'buyer'],
  'lp-soe': ['seller'],
  buyer1: ['buyer'],
  buyer2: ['buyer'],
  gp: ['gp'],
  operator1: ['operator'],
  admin: ['admin'],
};
/** Sample path parameters: an existing fund, otherwise ids that exist nowhere (the role check comes first). */
const SAMPLE: Record<string, string> = { fundId: 'bj-ai-2021', year: '2031', userId: 'nobody', number: 'NONE-1' };
/** Operations that would end the caller's own session mid-test. */
const SKIP = new Set(['post /api/auth/logout']);

type Access = 'public' | 'signed-in' | Role[];
interface Operation {
  method: string;
  path: string;
  access: Access;
}

describe('authorization matrix from the route table', () => {
  let t: TestExchange;
  let ops: Operation[];
  const tokens: Record<string, string> = {};
  before(async function () {
    this.timeout(60_000);
    t = await startTestExchange(sqliteKind);
    for (const u of Object.keys(USERS)) tokens[u] = await t.login(u);
    const doc = (await t.call('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, { 'x-access': Access }>> };
    ops = Object.entries(doc.paths).flatMap(([p, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method, path: p, access: op['x-access'] })),
    );
  });
  after(async () => {
    await t?.stop();
  });

  const concrete = (p: string) => p.replace(/\{(\w+)\}/g, (_m, name: string) => SAMPLE[name] ?? `missing-${name}`);

  it('covers every route, each with an access list', () => {
    expect(ops.length).to.be.greaterThan(40);
    for (const op of ops)
      expect(op.access, `${op.method} ${op.path}`).to.satisfy((a: Access) => a === 'public' || a === 'signed-in' || Array.isArray(a));
  });

  it(
    "refuses every caller outside a route's access list (401 without " + 'sign-in, 403 FORBIDDEN for another role), never 2xx, never 5xx',
    async function () {
      this.timeout(120_000);
      const rows: string[] = [];
      for (const op of ops) {
        if (SKIP.has(`${op.method} ${op.path}`)) continue;
        const url = concrete(op.path);
        const body = ['post', 'put', 'patch'].includes(op.method) ? {} : undefined;
        for (const who of [null, ...Object.keys(USERS)]) {
          const r = await t.call(op.method.toUpperCase(), url, {
            ...(who ? { token: tokens[who] } : {}),
            ...(body ? { body } : {}),
            headers: { 'idempotency-key': `matrix-${op.method}-${url}-${who}` },
          });
          const label = `${op.method.toUpperCase()} ${url} as ${who ?? 'nobody'} → ${r.status} ${r.body?.code ?? ''}`;
          rows.push(label);
          expect(r.status, label).to.be.below(500);
          const allowed =
            op.access === 'public' || (who !== null && (op.access === 'signed-in' || op.access.some((role) => USERS[who]!.includes(role))));
          if (allowed) continue;
          if (who === null) expect(r.status, label).to.equal(401);
          else expect([r.status, r.body?.code], label).to.deep.equal([403, 'FORBIDDEN']);
        }
      }
      expect(rows.length).to.be.greaterThan(300);
    },
  );

  it(
    "shows an organisation's order, transfer and draft listing only to " + 'those allowed; others get 404 and an empty list',
    async function () {
      this.timeout(60_000);
      const call = (who: string, method: string, url: string, body?: unknown) =>
        t.call(method, url, { token: tokens[who], ...(body ? { body } : {}) });
      // An order of lp's organisation, resting.
      const order = await call('lp', 'POST', '/api/orders', {
        fundId: 'bj-bio-2020',
        side: 'sell',
        pricePct: '250.00',
        quantity: '1000000',
        timeInForce: 'GTC',
      });
      expect(order.status, JSON.stringify(order.body)).to.equal(201);
      const orderId = order.body.order.id as string;
      // A trade between lp (seller) and buyer1 opens a transfer.
      expect(
        (
          await call('lp', 'POST', '/api/orders', {
            fundId: 'bj-ai-2021',
            side: 'sell',
            pricePct: '90.00',
            quantity: '1000000',
            timeInForce: 'GTC',
          })
        ).status,
      ).to.equal(201);
      const buy = await call('buyer1', 'POST', '/api/orders', {
        fundId: 'bj-ai-2021',
        side: 'buy',
        pricePct: '90.00',
        quantity: '1000000',
        timeInForce: 'GTC',
      });
      expect(buy.body.trades, JSON.stringify(buy.body)).to.have.length(1);
      const transfers = (await call('buyer1', 'GET', '/api/transfers')).body as { id: string }[];
      const transferId = transfers[0]!.id;
      // A draft listing of lp-soe and a stored valuation of buyer2.
      const listing = await call('lp-soe', 'POST', '/api/listings', stateOwnedListingBody({ buyerConditions: ['A qualified investor'] }));
      expect(listing.status, JSON.stringify(listing.body)).to.equal(201);
      const listingId = listing.body.id as string;

      const sees = async (who: string) => ({
        order: (await call(who, 'GET', '/api/orders')).body?.some?.((o: { id: string }) => o.id === orderId) ?? false,
        transfer: (await call(who, 'GET', `/api/transfers/${transferId}`)).status,
        transferListed: ((await call(who, 'GET', '/api/transfers')).body as { id: string }[]).some((x) => x.id === transferId),
        listing: (await call(who, 'GET', `/api/listings/${listingId}`)).status,
        listingListed: ((await call(who, 'GET', '/api/listings')).body as { id: string }[]).some((x) => x.id === listingId),
      });
      const expected: Record<
        string,
        { order: boolean; transfer: number; transferListed: boolean; listing: number; listingListed: boolean }
      > = {
        lp: { order: true, transfer: 200, transferListed: true, listing: 404, listingListed: false },
        'lp-soe': { order: false, transfer: 404, transferListed: false, listing: 200, listingListed: true },
        buyer1: { order: false, transfer: 200, transferListed: true, listing: 404, listingListed: false },
        buyer2: { order: false, transfer: 404, transferListed: false, listing: 404, listingListed: false },
        gp: { order: false, transfer: 200, transferListed: true, listing: 404, listingListed: false },
        operator1: { order: false, transfer: 200, transferListed: true, listing: 200, listingListed: true },
      };
      for (const [who, want] of Object.entries(expected)) expect(await sees(who), who).to.deep.equal(want);
      // Another organisation's order cannot be cancelled or amended: 404, and it stays open.
      for (const who of ['buyer1', 'buyer2', 'lp-soe']) {
        expect((await call(who, 'DELETE', `/api/orders/${orderId}`)).status, who).to.be.oneOf([403, 404]);
        expect((await call(who, 'PATCH', `/api/orders/${orderId}`, { pricePct: '200.00' })).status, who).to.be.oneOf([403, 404]);
      }
      expect(
        ((await call('lp', 'GET', '/api/orders')).body as { id: string; status: string }[]).find((o) => o.id === orderId)!.status,
      ).to.equal('open');
    },
  );
});
