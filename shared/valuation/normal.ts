/**
 * The standard normal distribution function Φ in double precision.
 *
 * JavaScript has no erf, and the popular Abramowitz–Stegun 7.1.26 approximation is only good to
 * about 1e-7 absolute, which is not enough for the 1e-8 relative tolerance of the lock-up discount.
 * This follows W. J. Cody's near-minimax rational approximations (Math. Comp. 1969, as recast for
 * Φ directly in ACM TOMS Algorithm 715, ANORM), accurate to full double precision: three ranges
 * of |x|, and in the tails exp(−x²/2) split into two exponentials so that the rounding error of x²
 * is not amplified.
 */

/** |x| up to here: Φ(x) − ½ = x · R(x²), no cancellation near 0. */
const CENTRAL_LIMIT = 0.66291;
/** |x| up to √32: Q(|x|) = exp(−x²/2) · R(|x|). Beyond, an asymptotic rational in 1/x². */
const MIDDLE_LIMIT = 5.656854248;
/** Below this, Φ(x) underflows to 0 in double precision (Φ(−38.5) < 5e-324). */
const UNDERFLOW_LIMIT = 38.5;
const ONE_OVER_SQRT_2PI = 0.39894228040143267794;
/** The exponent is split at multiples of 1/1.6 = 0.625, which are exact in binary. */
const SPLIT = 1.6;

// Coefficients of Cody's approximations (ACM TOMS 715, ANORM).
const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113] as const;
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956] as const;
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711, 6848.1904505362823326,
  11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
] as const;
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091, 34900.952721145977266,
  38912.003286093271411, 19685.429676859990727,
] as const;
const P = [
  0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303,
] as const;
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5] as const;

/** Φ(x) − ½ for |x| ≤ CENTRAL_LIMIT, computed without subtracting anything close. */
function centralExcess(x: number): number {
  const xsq = x * x;
  let num = A[4] * xsq;
  let den = xsq;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]!) * xsq;
    den = (den + B[i]!) * xsq;
  }
  return (x * (num + A[3])) / (den + B[3]);
}

/** exp(−y²/2) with y² formed as exact part + small remainder, so its rounding error stays tiny. */
function gaussianFactor(y: number): number {
  if (y === Number.POSITIVE_INFINITY) return 0;
  const coarse = Math.trunc(y * SPLIT) / SPLIT;
  const remainder = (y - coarse) * (y + coarse);
  return Math.exp(-coarse * coarse * 0.5) * Math.exp(-remainder * 0.5);
}

/** Upper tail Q(y) = 1 − Φ(y) for y > CENTRAL_LIMIT. */
function upperTail(y: number): number {
  if (y >= UNDERFLOW_LIMIT) return 0;
  if (y <= MIDDLE_LIMIT) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    return (gaussianFactor(y) * (num + C[7])) / (den + D[7]);
  }
  const inv = 1 / (y * y);
  let num = P[5] * inv;
  let den = inv;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]!) * inv;
    den = (den + Q[i]!) * inv;
  }
  const r = (inv * (num + P[4])) / (den + Q[4]);
  return (gaussianFactor(y) * (ONE_OVER_SQRT_2PI - r)) / y;
}

/** Φ(x), the standard normal distribution function. NaN in, NaN out. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= CENTRAL_LIMIT) return 0.5 + centralExcess(x);
  const tail = upperTail(y);
  return x > 0 ? 1 - tail : tail;
}

/**
 * P(−a ≤ Z ≤ a) = Φ(a) − Φ(−a) for a ≥ 0, accurate in relative terms even for tiny a (where
 * subtracting two values near ½ would lose every digit). The Asian lock-up discount is exactly this.
 */
export function normalCentralMass(a: number): number {
  if (Number.isNaN(a)) return Number.NaN;
  const y = Math.abs(a);
  if (y <= CENTRAL_LIMIT) return 2 * centralExcess(y);
  return 1 - 2 * upperTail(y);
}

/** The standard normal density φ(x). */
export function normalPdf(x: number): number {
  return ONE_OVER_SQRT_2PI * gaussianFactor(Math.abs(x));
}
