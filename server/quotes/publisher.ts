/**
 * The publisher: conventions practice 9. Sources only mark channels changed (a new state, or new
 * events); on a short tick the publisher builds each changed channel's update ONCE, serialises it once
 * (JSON.stringify + WebSocket header) and writes the same bytes to every subscriber. `seq` rises by
 * exactly 1 per published message per channel; a new subscriber gets a snapshot at the current seq.
 *
 * Coalescing: the first change after a quiet period is published at once (next turn of the event
 * loop); further changes within the tick of the last publish wait for the next tick and are merged.
 *
 * Under load the fan-out yields: a publish takes the thread for as long as its socket writes take
 * (one write syscall per subscriber, ~10 µs each on loopback: ~10 ms for 1,000 subscribers). When,
 * since the previous publish began, the thread was busy (idle under `saturatedIdleShare`, 25%: on a
 * small machine its fan-out then also takes the CPU the other threads need) and other work (requests)
 * took more than `maxShare` (10%) of it, the next publish waits `spent / maxShare` after this one
 * began, so the fan-out takes at most that share and the requests the rest. Otherwise the tick
 * stays `tickMs` (25 ms; a publish longer than that is followed at once). Never longer than
 * `maxTickMs` (250 ms), so a watched book still moves several times a second (a publish of over
 * 25 ms, e.g. 10,000 subscribers, then takes more than that share). Clients then see fewer,
 * fuller updates; `seq` still rises by exactly 1 per message and each update carries the whole state
 * or every event since the last (api.md).
 *
 * Why a tenth, not a fifth as before: order entry comes first when the exchange is saturated, and
 * market data conflates (the same share is also the trigger: the fan-out now yields once other work
 * takes more than a tenth of a thread that is idle less than a quarter of the time). A socket write
 * costs the machine more than the thread time it shows: the receiving end's work, and on loopback
 * the receive path runs inside the writer's syscall. In `npm run bench -- http` (1,000 subscribers,
 * 2 cores), alternating runs 06:15–06:18 on 2026-12-07: a fifth gave durable orders 0.36× and 0.41×
 * the trivial route (p99 84 and 61 ms), a tenth 0.41× and 0.46× (p99 69 and 55 ms), while the
 * subscribers' commit-to-arrival p99 rose from 110 to 188–204 ms (bench/RESULTS.md).
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { encodeMessage } from './protocol';

/** One receiving end: the quote server's connection. `deliver` never throws; it closes the socket itself when over its limits. */
export interface Subscriber {
  deliver(frame: Buffer): void;
  error(code: string, detail: string): void;
}

export interface ChannelSpec {
  /** `state`: an update carries the whole new state (book, auction). `events`: an update carries an array of new events (trades, user). */
  mode: 'state' | 'events';
  /** The channel's state when it is first subscribed. */
  load(): Promise<unknown>;
  /** events mode: the snapshot state after some events (e.g. newest trades first, capped). */
  fold?(state: unknown, events: unknown[]): unknown;
  /** events mode: whether an event that arrived while loading is already in the loaded state. */
  includes?(state: unknown, event: unknown): boolean;
}

interface Channel {
  key: string;
  wireName: string;
  spec: ChannelSpec;
  seq: number;
  subs: Set<Subscriber>;
  ready: boolean;
  waiting: Subscriber[];
  state: unknown;
  pendingState: { value: unknown } | null;
  pendingEvents: unknown[];
  snapshotFrame: { seq: number; frame: Buffer } | null;
}

export interface PublisherStats {
  published: number;
  frames: number;
  bytes: number;
  /** Publishing ticks that wrote something, and the time they took in all, ms (the fan-out's share of the thread). */
  ticks: number;
  tickMs: number;
}

export interface TickOptions {
  /** The shortest time between two publishes of a changed channel, ms. */
  tickMs: number;
  /** Most of a saturated thread's time the fan-out may take: the next publish then waits `spent / maxShare` after the last began. */
  maxShare: number;
  /** The thread counts as saturated when it was idle less than this share of the time since the last publish began. */
  saturatedIdleShare: number;
  /** The longest the tick grows to, however long publishing takes, ms. */
  maxTickMs: number;
}

export const DEFAULT_TICK: TickOptions = { tickMs: 25, maxShare: 0.1, saturatedIdleShare: 0.25, maxTickMs: 250 };

export class Publisher {
  private readonly channels = new Map<string, Channel>();
  private readonly dirty = new Set<Channel>();
  private timer: NodeJS.Timeout | null = null;
  private lastTickAt = Number.NEGATIVE_INFINITY;
  /** Time from the last publish's start to the earliest next one: `tickMs`, or longer when the fan-out yields. */
  private gapMs: number;
  /** The thread's event-loop use when the last publish began, and what that publish took: to tell the thread's other work. */
  private lastElu: EventLoopUtilization | null = null;
  private lastSpentMs = 0;
  private closed = false;
  private readonly tickOptions: TickOptions;
  readonly stats: PublisherStats = { published: 0, frames: 0, bytes: 0, ticks: 0, tickMs: 0 };

  constructor(tick: Partial<TickOptions> = {}) {
    this.tickOptions = { ...DEFAULT_TICK, ...tick };
    this.gapMs = this.tickOptions.tickMs;
  }

  /** The current time between publishes, ms (grows when the fan-out yields to a saturated thread; see the header). */
  currentTickMs(): number {
    return this.gapMs;
  }

  /** Keys of channels that currently exist (have subscribers or are loading). */
  keys(kindPrefix: string): string[] {
    return [...this.channels.keys()].filter((k) => k.startsWith(kindPrefix));
  }

  has(key: string): boolean {
    return this.channels.has(key);
  }

  subscribe(key: string, wireName: string, makeSpec: () => ChannelSpec, sub: Subscriber): void {
    let ch = this.channels.get(key);
    if (!ch) {
      ch = {
        key,
        wireName,
        spec: makeSpec(),
        seq: 0,
        subs: new Set(),
        ready: false,
        waiting: [],
        state: undefined,
        pendingState: null,
        pendingEvents: [],
        snapshotFrame: null,
      };
      this.channels.set(key, ch);
      this.load(ch);
    }
    if (ch.ready) this.sendSnapshot(ch, sub);
    else ch.waiting.push(sub);
  }

  unsubscribe(key: string, sub: Subscriber): void {
    const ch = this.channels.get(key);
    if (!ch) return;
    ch.subs.delete(sub);
    ch.waiting = ch.waiting.filter((s) => s !== sub);
    if (ch.subs.size === 0 && ch.waiting.length === 0) {
      // Nobody listens: forget the channel; a later subscriber starts from a fresh snapshot.
      this.channels.delete(key);
      this.dirty.delete(ch);
    }
  }

  /** A state channel changed: the latest state wins (coalescing). No-op when nobody subscribes. */
  setState(key: string, state: unknown): void {
    const ch = this.channels.get(key);
    if (!ch) return;
    ch.pendingState = { value: state };
    this.markDirty(ch);
  }

  /** An events channel has new events. No-op when nobody subscribes. */
  appendEvents(key: string, events: unknown[]): void {
    const ch = this.channels.get(key);
    if (!ch || !events.length) return;
    ch.pendingEvents.push(...events);
    this.markDirty(ch);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.channels.clear();
    this.dirty.clear();
  }

  private load(ch: Channel): void {
    ch.spec.load().then(
      (state) => {
        if (this.channels.get(ch.key) !== ch) return;
        ch.state = state;
        if (ch.spec.includes) ch.pendingEvents = ch.pendingEvents.filter((e) => !ch.spec.includes!(state, e));
        ch.ready = true;
        const waiting = ch.waiting;
        ch.waiting = [];
        for (const s of waiting) this.sendSnapshot(ch, s);
        if (ch.pendingState || ch.pendingEvents.length) this.markDirty(ch);
      },
      (err: unknown) => {
        if (this.channels.get(ch.key) !== ch) return;
        this.channels.delete(ch.key);
        for (const s of ch.waiting)
          s.error('UNAVAILABLE', `channel ${ch.wireName} could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
  }

  private sendSnapshot(ch: Channel, sub: Subscriber): void {
    ch.subs.add(sub);
    if (ch.snapshotFrame?.seq !== ch.seq)
      ch.snapshotFrame = { seq: ch.seq, frame: encodeMessage({ type: 'snapshot', channel: ch.wireName, seq: ch.seq, data: ch.state }) };
    this.count(1, ch.snapshotFrame.frame.length);
    sub.deliver(ch.snapshotFrame.frame);
  }

  private markDirty(ch: Channel): void {
    this.dirty.add(ch);
    if (this.timer || this.closed) return;
    const wait = Math.max(0, Math.ceil(this.lastTickAt + this.gapMs - performance.now()));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick();
    }, wait);
  }

  /** Publishes every changed, loaded channel once. */
  tick(): void {
    const started = performance.now();
    const elu = performance.eventLoopUtilization();
    this.lastTickAt = started;
    let wrote = false;
    const due = [...this.dirty];
    this.dirty.clear();
    for (const ch of due) {
      if (!ch.ready) {
        this.dirty.add(ch);
        continue;
      }
      let data: unknown;
      if (ch.spec.mode === 'state') {
        if (!ch.pendingState) continue;
        data = ch.pendingState.value;
        ch.state = data;
        ch.pendingState = null;
      } else {
        if (!ch.pendingEvents.length) continue;
        data = ch.pendingEvents;
        ch.pendingEvents = [];
        ch.state = ch.spec.fold ? ch.spec.fold(ch.state, data as unknown[]) : ch.state;
      }
      ch.seq += 1;
      const frame = encodeMessage({ type: 'update', channel: ch.wireName, seq: ch.seq, data });
      this.stats.published += 1;
      this.count(ch.subs.size, frame.length * ch.subs.size);
      for (const sub of ch.subs) sub.deliver(frame);
      wrote = true;
    }
    if (wrote) {
      const spent = performance.now() - started;
      this.gapMs = this.nextGapMs(elu, spent);
      this.stats.ticks += 1;
      this.stats.tickMs += spent;
    }
    // Counted from this publish's start, like markDirty's wait: a publish longer than the gap is followed at once.
    if (this.dirty.size && !this.timer && !this.closed)
      this.timer = setTimeout(
        () => {
          this.timer = null;
          this.tick();
        },
        Math.max(0, Math.ceil(started + this.gapMs - performance.now())),
      );
  }

  /** The wait from this publish's start to the next (see the header), from the thread's use since the previous publish began. */
  private nextGapMs(elu: EventLoopUtilization, spentMs: number): number {
    const { tickMs, maxShare, saturatedIdleShare, maxTickMs } = this.tickOptions;
    let share = 1;
    if (this.lastElu) {
      const since = performance.eventLoopUtilization(elu, this.lastElu);
      const windowMs = since.active + since.idle;
      const otherShare = (since.active - this.lastSpentMs) / windowMs;
      // A window much longer than the tick says little about now (a quiet spell): no reason to yield.
      const recent = windowMs > 0 && windowMs <= 4 * maxTickMs;
      if (recent && since.idle / windowMs < saturatedIdleShare && otherShare > maxShare) share = maxShare;
    }
    this.lastElu = elu;
    this.lastSpentMs = spentMs;
    return Math.min(maxTickMs, Math.max(tickMs, spentMs / share));
  }

  private count(frames: number, bytes: number): void {
    this.stats.frames += frames;
    this.stats.bytes += bytes;
  }
}
