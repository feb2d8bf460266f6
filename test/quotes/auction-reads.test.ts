import { expect } from 'chai';
import { Publisher } from '../../server/quotes/publisher';
import { QuoteSources } from '../../server/quotes/sources';

/**
 * The auction channel's snapshot load and a look (poll or nudge) can overlap; whichever finishes
 * first, subscribers must end on the state of the read that started last, and never go back.
 */
function harness() {
  const publisher = new Publisher({ tickMs: 5 });
  const deps = { listings: { get: async () => ({}) }, orders: {}, handle: { db: {} }, clock: { now: () => 0 } };
  const sources = new QuoteSources(deps as never, publisher, 600_000) as unknown as {
    resolve(ref: unknown, who: unknown): Promise<{ ok: true; key: string; spec: () => never }>;
    poll(): Promise<void>;
    auctionView: () => Promise<unknown>;
    transfers: unknown;
    listingTrades: unknown;
  };
  const reads: ((v: unknown) => void)[] = [];
  sources.auctionView = () => new Promise((r) => reads.push(r));
  sources.transfers = { changes: async () => [] };
  sources.listingTrades = { changes: async () => [] };
  const got: { type: string; seq: number; data: { bids: number } }[] = [];
  const sub = { deliver: (f: Buffer) => got.push(JSON.parse(f.subarray(f[1] === 126 ? 4 : 2).toString())), error: () => {} };
  const turn = () => new Promise((r) => setTimeout(r, 20));
  return { publisher, sources, reads, got, sub, turn };
}

describe('the auction channel when a look and the snapshot load overlap', () => {
  it('ends on the newest state when a look and the snapshot return out of order, once the next look runs', async () => {
    // On PostgreSQL two reads started in one order can see commits in the other (different pooled
    // connections). The channel may then briefly show the older state; the next look (every commit
    // nudges one) brings it to the newest, and it never stays behind.
    const h = harness();
    const r = await h.sources.resolve({ kind: 'auction', id: 'L1' }, { orgId: 'o' });
    h.publisher.subscribe(r.key, 'auction:L1', r.spec, h.sub); // read 1
    const poll = h.sources.poll(); // read 2
    await h.turn();
    h.reads[1]!({ bids: 1 }); // read 2 finishes first, without the bid
    await h.turn();
    h.reads[0]!({ bids: 2 }); // read 1 saw the bid
    await poll;
    await h.turn();
    const next = h.sources.poll(); // the look the bid's commit nudged
    await h.turn();
    h.reads[2]!({ bids: 2 });
    await next;
    await h.turn();
    expect(h.got.at(-1)!.data.bids).to.equal(2);
    const seqs = h.got.map((m) => m.seq);
    expect(seqs).to.deep.equal(
      seqs.map((_, i) => i),
      'seq rises by one per message',
    );
    h.publisher.close();
  });

  it('publishes a newer look that finished while the snapshot loaded, right after the snapshot', async () => {
    const h = harness();
    const r = await h.sources.resolve({ kind: 'auction', id: 'L1' }, { orgId: 'o' });
    h.publisher.subscribe(r.key, 'auction:L1', r.spec, h.sub); // read 1: the snapshot, before a bid
    const poll = h.sources.poll(); // read 2, after the bid
    await h.turn();
    h.reads[1]!({ bids: 2 });
    await poll;
    h.reads[0]!({ bids: 1 });
    await h.turn();
    expect(h.got.map((m) => [m.type, m.data.bids])).to.deep.equal([
      ['snapshot', 1],
      ['update', 2],
    ]);
    const again = h.sources.poll(); // a later look sees the same state: nothing more is sent
    await h.turn();
    h.reads[2]!({ bids: 2 });
    await again;
    await h.turn();
    expect(h.got).to.have.length(2);
    h.publisher.close();
  });

  it('ignores a look older than the snapshot when the snapshot finished first', async () => {
    const h = harness();
    const r = await h.sources.resolve({ kind: 'auction', id: 'L1' }, { orgId: 'o' });
    const poll0 = h.sources.poll(); // read 1, before the channel exists: nothing to look at
    await poll0;
    h.publisher.subscribe(r.key, 'auction:L1', r.spec, h.sub);
    h.reads[0]!({ bids: 2 });
    await h.turn();
    expect(h.got.map((m) => [m.type, m.data.bids])).to.deep.equal([['snapshot', 2]]);
    h.publisher.close();
  });
});
