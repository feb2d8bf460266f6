/**
 * L4: the Takahashi–Alexander (2002) projection of a fund's calls, distributions and NAV, and the
 * price a buyer pays for the rest of the fund's life at a target IRR.
 *
 * Annual steps, all flows at year end, a call earns no growth in its own year:
 *   C_t   = RC_t · (CC − PIC_{t−1})
 *   RD_t  = min(1, max(Y, (t/L)^B))
 *   D_t   = RD_t · NAV_{t−1} · (1 + G)
 *   NAV_t = NAV_{t−1} · (1 + G) + C_t − D_t        (NAV_0 = PIC_0 = 0, or a given start state)
 *   Price(t0, r) = Σ_{t=t0+1..L} (D_t − C_t)/(1+r)^(t−t0) + NAV_L/(1+r)^(L−t0)
 *
 * Doubles: (t/L)^B is transcendental and the result is compared with tolerances of 1e-7 per 100 of
 * commitment, which doubles meet by eight orders of magnitude. Callers convert at the boundary
 * (numeric.toDouble / fromDouble).
 */
import { requireInput } from './numeric';

export const MAX_LIFE_YEARS = 100;

export interface ProjectionParams {
  /** CC, the commitment projected (the fund's, or one LP's). */
  readonly commitment: number;
  /** RC_t by fund age t = 1, 2, …; a list shorter than the life repeats its last rate. */
  readonly callRates: readonly number[];
  readonly lifeYears: number;
  /** B, the bow: how back-loaded distributions are. */
  readonly bow: number;
  /** G, NAV growth net of fees and carry. */
  readonly growth: number;
  /** Y, the floor of the rate of distribution. */
  readonly yieldFloor: number;
}

/** Where the projection starts: age t0 with its actual NAV and paid-in (inception: all 0). */
export interface ProjectionStart {
  readonly ageYears: number;
  readonly nav: number;
  readonly paidIn: number;
}

export interface ProjectionYear {
  readonly year: number;
  readonly call: number;
  readonly distribution: number;
  readonly nav: number;
  readonly paidIn: number;
}

export interface Projection {
  readonly params: ProjectionParams;
  readonly start: ProjectionStart;
  /** Years start.ageYears + 1 … lifeYears. */
  readonly years: readonly ProjectionYear[];
}

export const INCEPTION: ProjectionStart = { ageYears: 0, nav: 0, paidIn: 0 };

export function validateProjectionParams(p: ProjectionParams): void {
  requireInput(Number.isFinite(p.commitment) && p.commitment >= 0, 'commitment must be ≥ 0');
  requireInput(p.callRates.length >= 1 && p.callRates.length <= MAX_LIFE_YEARS, `callRates must list 1 to ${MAX_LIFE_YEARS} rates`);
  requireInput(
    p.callRates.every((r) => Number.isFinite(r) && r >= 0 && r <= 1),
    'every call rate must be between 0 and 1',
  );
  requireInput(
    Number.isInteger(p.lifeYears) && p.lifeYears >= 1 && p.lifeYears <= MAX_LIFE_YEARS,
    `lifeYears must be a whole number 1–${MAX_LIFE_YEARS}`,
  );
  requireInput(Number.isFinite(p.bow) && p.bow >= 0, 'bow must be ≥ 0');
  requireInput(Number.isFinite(p.growth) && p.growth > -1, 'growth must be above −100%');
  requireInput(Number.isFinite(p.yieldFloor) && p.yieldFloor >= 0 && p.yieldFloor <= 1, 'yield must be between 0 and 1');
}

/** RC_t for age t ≥ 1: the listed rate, or the last one once the list runs out. */
export function callRateAt(callRates: readonly number[], ageYears: number): number {
  return callRates[Math.min(ageYears, callRates.length) - 1]!;
}

/** RD_t = min(1, max(Y, (t/L)^B)); 1 from the last year of life on. */
export function distributionRateAt(p: ProjectionParams, ageYears: number): number {
  if (ageYears >= p.lifeYears) return 1;
  return Math.min(1, Math.max(p.yieldFloor, Math.pow(ageYears / p.lifeYears, p.bow)));
}

export function project(params: ProjectionParams, start: ProjectionStart = INCEPTION): Projection {
  validateProjectionParams(params);
  requireInput(
    Number.isInteger(start.ageYears) && start.ageYears >= 0 && start.ageYears < params.lifeYears,
    'the start age must be a whole number below the life',
  );
  requireInput(Number.isFinite(start.nav) && Number.isFinite(start.paidIn), 'the start NAV and paid-in must be finite');
  const onePlusGrowth = 1 + params.growth;
  const years: ProjectionYear[] = [];
  let nav = start.nav;
  let paidIn = start.paidIn;
  for (let t = start.ageYears + 1; t <= params.lifeYears; t++) {
    // An over-called position (paid-in above commitment) is called no further.
    const call = callRateAt(params.callRates, t) * Math.max(0, params.commitment - paidIn);
    const grown = nav * onePlusGrowth;
    const distribution = distributionRateAt(params, t) * grown;
    nav = grown + call - distribution;
    paidIn += call;
    years.push({ year: t, call, distribution, nav, paidIn });
  }
  // Growth compounds over up to 100 years: inputs the schemas allow stay far inside a double, but
  // the pure module is also called directly, and an overflow is the inputs' fault, not a bug.
  requireInput(
    Number.isFinite(nav) && Number.isFinite(paidIn),
    'the projection overflows a double: the growth or the commitment is too large',
  );
  return { params, start, years };
}

/** NAV at the end of year `ageYears` (the start NAV at the start age). */
export function navAt(projection: Projection, ageYears: number): number {
  if (ageYears === projection.start.ageYears) return projection.start.nav;
  const y = projection.years[ageYears - projection.start.ageYears - 1];
  requireInput(y !== undefined, `year ${ageYears} is outside the projection`);
  return y.nav;
}

/**
 * Price(t0, r): what a buyer at the end of year t0 (the start age unless given) pays to earn r a
 * year on the later distributions net of the later calls (the unfunded commitment it takes over),
 * plus NAV_L. Evaluated by backward recursion V_{t−1} = (D_t − C_t + V_t)/(1+r) from V_L = NAV_L:
 * the same sum, one division per year and no powers.
 * Not always finite: at an IRR close to −100% each year multiplies by 1/(1+r), and over decades that
 * leaves the range of a double (±Infinity). Callers that price at a caller-chosen IRR check the
 * result with numeric.requireFinite, naming the IRR.
 */
export function priceAt(projection: Projection, rate: number, purchaseAgeYears: number = projection.start.ageYears): number {
  requireInput(Number.isFinite(rate) && rate > -1, 'the target IRR must be above −100%');
  const years = projection.years;
  const firstIndex = purchaseAgeYears - projection.start.ageYears;
  requireInput(
    Number.isInteger(firstIndex) && firstIndex >= 0 && firstIndex <= years.length,
    `purchase year ${purchaseAgeYears} is outside the projection`,
  );
  const onePlusRate = 1 + rate;
  let value = years.length === 0 ? projection.start.nav : years[years.length - 1]!.nav;
  for (let i = years.length - 1; i >= firstIndex; i--) {
    const y = years[i]!;
    value = (y.distribution - y.call + value) / onePlusRate;
  }
  return value;
}

/** The INVALID_INPUT detail for a price that overflows at the IRR `irrText` given as `field`. */
export function priceOverflowDetail(field: string, irrText: string, years: number): string {
  return (
    `${field} = ${irrText}: the price at this IRR is too large to compute ` +
    `(discounting ${years} years at 1/(1 + IRR) overflows); use an IRR ` +
    `further from −100%`
  );
}

/**
 * The fund's whole-life net cash flows from the LPs' side, indexed by year 0…L (for IRR checks):
 * −C_t + D_t, with NAV_L added in the last year.
 */
export function lifeCashFlows(projection: Projection): number[] {
  const flows = new Array<number>(projection.params.lifeYears + 1).fill(0);
  flows[projection.start.ageYears] = -projection.start.nav;
  for (const y of projection.years) flows[y.year] = y.distribution - y.call;
  const last = projection.years[projection.years.length - 1];
  if (last) flows[last.year] = flows[last.year]! + last.nav;
  return flows;
}
