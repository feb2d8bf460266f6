/**
 * Counts what PostgreSQL clients send, on the wire (the frontend protocol), whichever connection,
 * thread or process sends it: a proxy in front of the database feeds each connection's client-to-server
 * bytes to `connection()`, and tells it when the server answered. An exchange is a simple Query
 * message or a Sync (the end of one extended-protocol exchange); a round trip is the exchanges a client
 * sends before it hears from the server again (one, unless it pipelines) — an upper bound on the waits,
 * since any bytes from the server (a notification, the first answers of a pipeline) end a round trip here;
 * a statement is an Execute,
 * or each statement of a simple Query (split at semicolons: the exchange's multi-statement texts, such
 * as a batch's locks, hold no quoted semicolon).
 */

export interface WireCounts {
  /** Times a client waited for the server: exchanges sent together (pipelined) count once. */
  roundTrips: number;
  /** Simple queries and Syncs: the round trips there would be without pipelining. */
  exchanges: number;
  statements: number;
  /** Transactions committed or rolled back (a group-commit batch is one). */
  transactionsEnded: number;
}

export class WireCounter {
  readonly counts: WireCounts = { roundTrips: 0, exchanges: 0, statements: 0, transactionsEnded: 0 };
  /**
   * The text of each exchange, in order, while `recording` (for printing one order's statements); one
   * sent in the same round trip as the one before (pipelined) starts with "+ ".
   */
  recorded: string[] = [];
  recording = false;

  /** A parser for one client connection's bytes, in the order sent, and the server's answers' arrival. */
  connection(): { fromClient(chunk: Buffer): void; fromServer(): void } {
    let pending: Buffer = Buffer.alloc(0);
    let started = false;
    let parsed: string | null = null;
    // Whether the server has answered since the client's last exchange: the next one starts a round trip.
    let answered = true;
    let pipelined = false;
    const exchange = () => {
      this.counts.exchanges += 1;
      if (answered) this.counts.roundTrips += 1;
      pipelined = !answered;
      answered = false;
    };
    const record = (text: string) => {
      if (this.recording) this.recorded.push(`${pipelined ? '+ ' : ''}${text}`);
    };
    const fromServer = () => {
      answered = true;
    };
    const fromClient = (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        // Before the startup message (and after an SSL or GSS request) messages have no type byte.
        const head = started ? 1 : 0;
        if (pending.length < head + 4) return;
        const length = pending.readInt32BE(head);
        if (pending.length < head + length) return;
        const type = started ? String.fromCharCode(pending[0]!) : '';
        const body = pending.subarray(head + 4, head + length);
        pending = pending.subarray(head + length);
        if (!started) {
          // 196608 = protocol 3.0: the startup message; anything else (SSL, GSS, cancel) precedes it or stands alone.
          if (body.length >= 4 && body.readInt32BE(0) === 196608) started = true;
          continue;
        }
        if (type === 'Q') {
          const text = body.toString('utf8', 0, Math.max(0, body.length - 1));
          exchange();
          this.counts.statements += text.split(';').filter((s) => s.trim()).length;
          if (/^\s*(commit|rollback)\b/i.test(text)) this.counts.transactionsEnded += 1;
          record(text);
        } else if (type === 'P') {
          const nameEnd = body.indexOf(0);
          parsed = body.toString('utf8', nameEnd + 1, body.indexOf(0, nameEnd + 1));
        } else if (type === 'E') {
          this.counts.statements += 1;
        } else if (type === 'S') {
          exchange();
          record(parsed ?? '(a statement prepared earlier)');
          parsed = null;
        }
      }
    };
    return { fromClient, fromServer };
  }
}
