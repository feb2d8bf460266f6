/**
 * The exchange's clock. Everything time-driven reads time here (and passes it into the pure core).
 * `simulated` is a clock that stands still until an operator moves it forward (POST /api/admin/clock),
 * for demonstrations, training and tests; its position is kept in the database so it never moves
 * back across a restart.
 */
import { AppError } from '../commands/errors';

export interface Clock {
  readonly simulated: boolean;
  now(): number;
}

export const realClock: Clock = { simulated: false, now: () => Date.now() };

export class SimulatedClock implements Clock {
  readonly simulated = true;
  constructor(private nowMs: number) {}
  now(): number {
    return this.nowMs;
  }
  /** Moves to `targetMs`; refuses to move back. */
  moveTo(targetMs: number): void {
    if (targetMs < this.nowMs) {
      const now = new Date(this.nowMs).toISOString();
      throw new AppError('CLOCK_MOVES_FORWARD_ONLY', `the clock is at ${now} and only moves forward`, undefined, { params: { now } });
    }
    this.nowMs = targetMs;
  }
}

/** ISO-8601 durations such as PT5M, P3D, P1DT2H30M (no years or months: their length varies). */
export function parseDuration(s: string): number | null {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/.exec(s);
  if (!m || s === 'P' || s.endsWith('T')) return null;
  const [, w, d, h, min, sec] = m;
  return (
    ((Number(w ?? 0) * 7 + Number(d ?? 0)) * 24 * 3600 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60) * 1000 +
    Math.round(Number(sec ?? 0) * 1000)
  );
}

export const iso = (ms: number): string => new Date(ms).toISOString();
