/**
 * Listings on the `user` channels (server/quotes/listing-notices.ts): the operators hear of every change
 * to a listing, its seller and registrants only of a change in what they may read of it — the seller's
 * answer to one buyer's qualification tells that buyer and the operators, never the other buyer.
 */
import { expect } from 'chai';
import { sqliteKind } from '../support/databases';
import { startTestExchange, type TestExchange, expectOk as ok } from '../support/exchange';
import { stateOwnedListingBody } from '../support/listing-body';
import { TestClient, type Msg } from './ws-client';

type Notice = { kind: string; listing?: { id: string; fundId: string; role: string } };

describe('listing notices on the `user` channel', () => {
  let t: TestExchange;
  const clients: TestClient[] = [];
  before(async () => {
    t = await startTestExchange(sqliteKind, { CLOCK: 'simulated', CLOCK_START: '2026-09-14T01:00:00Z' });
  });
  after(async () => {
    for (const c of clients.splice(0)) c.close();
    await t?.stop();
  });

  const act = async (user: string, id: string, body: Record<string, unknown>) =>
    ok(await t.call('POST', `/api/listings/${id}/actions`, { token: await t.login(user), body }));
  const listen = async (user: string) => {
    const c = await TestClient.authed(t.baseUrl, await t.login(user));
    clients.push(c);
    expect((await c.subscribe('user')).type).to.equal('snapshot');
    return c;
  };
  const noticesOf = (c: TestClient, listingId: string, from = 0) =>
    c.messages
      .slice(from)
      .filter((m) => m.channel === 'user' && m.type === 'update')
      .flatMap((m) => m.data as Notice[])
      .filter((e) => e.kind === 'listing' && e.listing!.id === listingId);
  const notice = (listingId: string) => (m: Msg) =>
    m.channel === 'user' && m.type === 'update' && (m.data as Notice[]).some((e) => e.kind === 'listing' && e.listing!.id === listingId);

  it("tells the seller of an operator's opinion on a registrant, the buyer of the seller's answer, the other buyer neither", async () => {
    const l = ok(await t.call('POST', '/api/listings', { token: await t.login('lp-soe'), body: stateOwnedListingBody() }), 201);
    await act('lp-soe', l.id, { action: 'submit' });
    await act('operator1', l.id, { action: 'review' });
    await act('operator2', l.id, { action: 'approve' });
    for (const b of ['buyer1', 'buyer2']) ok(await t.call('POST', `/api/listings/${l.id}/registrations`, { token: await t.login(b) }), 201);
    const [seller, op, b1, b2] = [await listen('lp-soe'), await listen('operator2'), await listen('buyer1'), await listen('buyer2')];
    const marks = () => [seller, op, b1, b2].map((c) => c.messages.length);

    const from = marks();
    await act('operator1', l.id, { action: 'qualify', orgId: 'org-buyer1' });
    const toSeller = await seller.next(notice(l.id), 5000, from[0]);
    expect((toSeller.data as Notice[]).find((e) => e.kind === 'listing')!.listing).to.deep.equal({
      id: l.id,
      fundId: l.fundId,
      role: 'seller',
    });
    await op.next(notice(l.id), 5000, from[1]);
    expect(noticesOf(op, l.id, from[1])[0]!.listing!.role).to.equal('operator');
    await b1.next(notice(l.id), 5000, from[2]); // its own opinion: its registration changed

    const answered = marks();
    await act('lp-soe', l.id, { action: 'seller_answer', orgId: 'org-buyer1', answer: 'agree' });
    await b1.next(notice(l.id), 5000, answered[2]);
    await op.next(notice(l.id), 5000, answered[1]);
    // A later change buyer2 may read (its own opinion): on its channel after any notice of the two steps above.
    await act('operator1', l.id, { action: 'qualify', orgId: 'org-buyer2' });
    await b2.next(notice(l.id), 5000, from[3]);
    expect(noticesOf(b2, l.id, from[3]), "buyer2 hears of its own opinion only, not of buyer1's").to.have.length(1);
  });
});
