/**
 * Internal rate of return of yearly cash flows: bracket a sign change of the NPV on a fixed grid,
 * then Brent's method (inverse quadratic interpolation guarded by bisection) inside the bracket.
 * Every loop is bounded; failure is a result with a code, never an endless loop or a NaN.
 *
 * Doubles: the IRR is a root of a polynomial, so exact decimals buy nothing here. Callers convert
 * money through numeric.toDouble.
 */

/** NPV of flows[t] at the end of year t, via Horner's rule in the discount factor 1/(1+r). */
export function npv(rate: number, flows: readonly number[]): number {
  const v = 1 / (1 + rate);
  let acc = 0;
  for (let t = flows.length - 1; t >= 0; t--) acc = acc * v + flows[t]!;
  return acc;
}

export type IrrResult =
  | { readonly ok: true; readonly irr: number; readonly iterations: number }
  | { readonly ok: false; readonly code: 'NO_SIGN_CHANGE' | 'NOT_CONVERGED' | 'INVALID_FLOWS'; readonly detail: string };

export interface IrrOptions {
  /** Where to look first: among several roots, the one in the bracket nearest this is returned. */
  readonly guess?: number;
  /** Absolute tolerance on the rate. */
  readonly toleranceRate?: number;
  readonly maxIterations?: number;
}

/** Rates at which the NPV is sampled to find a bracket: from −99% to +10000%. */
const BRACKET_GRID = [
  -0.99, -0.95, -0.9, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3, -0.2, -0.15, -0.1, -0.05, 0, 0.02, 0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3,
  0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 50, 100,
] as const;
const DEFAULT_TOLERANCE = 1e-12;
const DEFAULT_MAX_ITERATIONS = 200;
const MAX_FLOWS = 1000;

export function solveIrr(flows: readonly number[], options: IrrOptions = {}): IrrResult {
  const guess = options.guess ?? 0.1;
  const tolerance = options.toleranceRate ?? DEFAULT_TOLERANCE;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  if (flows.length < 2 || flows.length > MAX_FLOWS || !flows.every(Number.isFinite)) {
    return { ok: false, code: 'INVALID_FLOWS', detail: `need 2 to ${MAX_FLOWS} finite flows` };
  }
  if (!flows.some((f) => f > 0) || !flows.some((f) => f < 0)) {
    return { ok: false, code: 'NO_SIGN_CHANGE', detail: 'flows need both a positive and a negative amount' };
  }

  // Candidate brackets: grid intervals where the NPV changes sign, and grid points where it is 0.
  const samples = BRACKET_GRID.map((r) => ({ r, f: npv(r, flows) })).filter((s) => Number.isFinite(s.f));
  let best: { lo: number; hi: number; flo: number; fhi: number } | null = null;
  let bestDistance = Infinity;
  const consider = (lo: (typeof samples)[number], hi: (typeof samples)[number]) => {
    const distance = Math.min(Math.abs(lo.r - guess), Math.abs(hi.r - guess));
    if (distance < bestDistance) {
      bestDistance = distance;
      best = { lo: lo.r, hi: hi.r, flo: lo.f, fhi: hi.f };
    }
  };
  samples.forEach((s, i) => {
    if (s.f === 0) consider(s, s);
    const next = samples[i + 1];
    if (next && s.f !== 0 && next.f !== 0 && Math.sign(s.f) !== Math.sign(next.f)) consider(s, next);
  });
  if (best === null) return { ok: false, code: 'NO_SIGN_CHANGE', detail: 'the NPV does not change sign between −99% and +10000%' };
  const bracket: { lo: number; hi: number; flo: number; fhi: number } = best;
  if (bracket.flo === 0) return { ok: true, irr: bracket.lo, iterations: 0 };
  return brent((r) => npv(r, flows), bracket.lo, bracket.hi, bracket.flo, bracket.fhi, tolerance, maxIterations);
}

/**
 * Brent's root finder on [a, b] with f(a)·f(b) < 0 (Brent 1973, "Algorithms for Minimization
 * without Derivatives", ch. 4): keeps a bracket [b, c] around the root and takes an interpolation
 * step only when it lands well inside the bracket and shrinks it fast enough, else bisects.
 */
function brent(
  f: (x: number) => number,
  a: number,
  b: number,
  fa: number,
  fb: number,
  tolerance: number,
  maxIterations: number,
): IrrResult {
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tolerance;
    const half = 0.5 * (c - b);
    if (Math.abs(half) <= tol || fb === 0) return { ok: true, irr: b, iterations: iteration };
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * half * s; // secant
        q = 1 - s;
      } else {
        const qq = fa / fc; // inverse quadratic interpolation
        const r = fb / fc;
        p = s * (2 * half * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * half * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = half;
        e = d;
      }
    } else {
      d = half;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : half > 0 ? tol : -tol;
    fb = f(b);
  }
  return { ok: false, code: 'NOT_CONVERGED', detail: `no convergence in ${maxIterations} iterations` };
}
