/**
 * Erlang C (M/M/N queue: Poisson arrivals, exponential handle times, N seats,
 * FIFO, nobody abandons). Used for staffing and to check the queue simulator.
 *
 *   A    = λ · AHT                  offered traffic in Erlangs
 *   P_w  = C(N, A)                  probability that a caller has to wait
 *   SL(t) = 1 − P_w · e^{−(N−A)·t/AHT}
 *   ASA  = P_w · AHT / (N − A)
 *
 * C(N, A) is computed from the Erlang B recursion
 *   B(0) = 1,  B(k) = A·B(k−1) / (k + A·B(k−1)),  C = N·B / (N − A·(1 − B)),
 * which never forms A^N or N! and so stays exact to rounding for thousands of seats.
 * When N ≤ A the queue grows without bound: P_w = 1, SL = 0, ASA = ∞.
 */

function checkSeats(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Erlang C needs a whole number of seats ≥ 1 (got ${n}).`);
}

function checkTraffic(a: number): void {
  if (!Number.isFinite(a) || a < 0) throw new RangeError(`Erlang C needs traffic A ≥ 0 Erlangs (got ${a}).`);
}

/** Erlang B: probability that all N servers are busy in a loss system with traffic A. */
export function erlangB(n: number, a: number): number {
  checkSeats(n);
  checkTraffic(a);
  let b = 1;
  for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C: probability that a caller waits (P_w) with N seats and A Erlangs. */
export function erlangC(n: number, a: number): number {
  checkSeats(n);
  checkTraffic(a);
  if (a === 0) return 0;
  if (n <= a) return 1;
  const b = erlangB(n, a);
  return (n * b) / (n - a * (1 - b));
}

/** Share of callers answered within `thresholdS` seconds. */
export function serviceLevel(n: number, a: number, thresholdS: number, ahtS: number): number {
  if (!(thresholdS >= 0)) throw new RangeError(`The service-level threshold must be ≥ 0 s (got ${thresholdS}).`);
  if (!(ahtS > 0)) throw new RangeError(`AHT must be > 0 s (got ${ahtS}).`);
  const pw = erlangC(n, a);
  if (n <= a) return 0;
  return 1 - pw * Math.exp((-(n - a) * thresholdS) / ahtS);
}

/** Average speed of answer in seconds (mean wait of all callers, including those who did not wait). */
export function asa(n: number, a: number, ahtS: number): number {
  if (!(ahtS > 0)) throw new RangeError(`AHT must be > 0 s (got ${ahtS}).`);
  const pw = erlangC(n, a);
  if (n <= a) return Infinity;
  return (pw * ahtS) / (n - a);
}

/** Offered traffic in Erlangs from calls per hour and AHT in seconds. */
export function trafficErlangs(lambdaPerHour: number, ahtS: number): number {
  return (lambdaPerHour / 3600) * ahtS;
}

/**
 * Fewest seats that reach `targetSL` (0..1) of calls answered within `thresholdS`,
 * for `lambdaPerHour` calls an hour of mean handle time `ahtS`.
 */
export function requiredAgents(lambdaPerHour: number, ahtS: number, thresholdS: number, targetSL: number): number {
  if (!(lambdaPerHour >= 0) || !Number.isFinite(lambdaPerHour))
    throw new RangeError(`Arrivals per hour must be ≥ 0 (got ${lambdaPerHour}).`);
  if (!(targetSL >= 0 && targetSL < 1)) throw new RangeError(`The target service level must be in [0, 1) (got ${targetSL}).`);
  const a = trafficErlangs(lambdaPerHour, ahtS);
  let n = Math.max(1, Math.floor(a) + 1);
  while (serviceLevel(n, a, thresholdS, ahtS) < targetSL) n++;
  return n;
}

export interface ErlangPrediction {
  trafficErlangs: number;
  pWait: number;
  serviceLevel: number;
  /** null when the queue is unstable (N ≤ A). */
  asaSeconds: number | null;
  occupancy: number;
}

/** Every Erlang C figure for one staffing case. */
export function erlangPrediction(n: number, lambdaPerHour: number, ahtS: number, thresholdS: number): ErlangPrediction {
  const a = trafficErlangs(lambdaPerHour, ahtS);
  const w = asa(n, a, ahtS);
  return {
    trafficErlangs: a,
    pWait: erlangC(n, a),
    serviceLevel: serviceLevel(n, a, thresholdS, ahtS),
    asaSeconds: Number.isFinite(w) ? w : null,
    occupancy: Math.min(1, a / n),
  };
}
