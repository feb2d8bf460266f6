/**
 * Several processes on one PostgreSQL database (docs scale.md): every committed book batch NOTIFYs
 * `<fundId>:<seq>` on `sfund_book`; each process LISTENs on a connection of its own and, for the books
 * it holds at a lower sequence, catches up from the database (OrdersService.follow: one snapshot, no
 * lock, so no batch of any process ever waits for it), which also feeds its quote publisher, so a
 * client sees every process's trades whichever process it is connected to. One catch-up runs at a
 * time, for every fund notified meanwhile (a batch on six funds sends six notifications: one catch-up
 * of a few statements, not six), and a fund notified while a catch-up runs is caught up again after it.
 * Matching never depends on this: a process always checks the sequence under the fund lock before it
 * matches. On start, and when a lost connection is re-opened, all books are re-checked, since
 * notifications sent before LISTEN took effect are gone.
 */
import { Client } from 'pg';
import type { Logger } from 'pino';
import { BOOK_CHANNEL, type OrdersService } from './orders.service';

const RECONNECT_DELAY_MS = 1000;

export class BookFollower {
  private client: Client | null = null;
  private stopped = false;
  /** Funds notified since the running catch-up (if any) began. */
  private readonly due = new Set<string>();
  private running: Promise<void> | null = null;

  constructor(
    private readonly url: string,
    private readonly orders: OrdersService,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', (msg) => {
      const m = msg.payload ? /^(.+):(\d+)$/.exec(msg.payload) : null;
      if (!m) return;
      const [fundId, seq] = [m[1]!, Number(m[2])];
      if ((this.orders.books.get(fundId)?.seq ?? 0) >= seq) return; // our own commit, or caught up already
      this.catchUp(fundId);
    });
    client.on('error', (err) => this.reconnect(err));
    await client.connect();
    await client.query(`LISTEN ${BOOK_CHANNEL}`);
    this.client = client;
    // Commits notified before LISTEN took effect reached nobody: between loading the books and now
    // at start, or while a lost connection was down. Every book is checked once against the database.
    for (const b of this.orders.books.all()) this.catchUp(b.fundId);
  }

  private catchUp(fundId: string): void {
    if (this.stopped) return; // a notification that arrives while stopping: nobody would await its catch-up
    this.due.add(fundId);
    this.running ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      // The notifications of one commit arrive together: take them all into one catch-up.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.due.size) {
        const funds = [...this.due];
        this.due.clear();
        await this.orders
          .follow(funds)
          .catch((err: unknown) =>
            this.log.error({ err, funds }, "could not follow another process's book commit; the next command re-syncs it"),
          );
      }
    } finally {
      this.running = null;
    }
  }

  private reconnect(err: unknown): void {
    if (this.stopped) return;
    this.log.warn({ err }, 'book notification connection lost; reconnecting');
    const old = this.client;
    this.client = null;
    void old?.end().catch(() => {});
    setTimeout(() => {
      if (this.stopped) return;
      this.start().catch((e: unknown) => this.reconnect(e));
    }, RECONNECT_DELAY_MS).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await this.client?.end().catch(() => {});
    this.client = null;
  }
}
