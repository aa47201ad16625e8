import { erlangB, requiredAgents, trafficErlangs } from './erlang.js';

/**
 * Erlang A (M/M/N+M, Palm's model): Poisson arrivals λ, exponential handle times of mean AHT
 * (μ = 1/AHT), N seats, FIFO, and callers who hang up after an exponential patience of mean
 * 1/θ if nobody has answered them yet. θ → 0 gives Erlang C; unlike Erlang C the queue is stable
 * for any N (callers who wait too long leave).
 *
 * Stationary distribution (k callers in the system, A = λ/μ):
 *   p_k ∝ A^k / k!                          k ≤ N
 *   p_{N+j} = p_N · Π_{i=1..j} λ / (Nμ + iθ)   j ≥ 1
 * The part k ≤ N is taken from Erlang B (Σ_{k≤N} p_k = p_N / B(N, A)), so no A^k or k! is formed.
 *
 * A caller who arrives with j callers ahead in the queue (PASTA) leaves position i (i ahead) at
 * the rate Nμ + iθ (a seat frees or someone ahead hangs up) and hangs up himself at θ. The time
 * spent at each position does not depend on which of these happens, so
 *   P(answered)            = Π_{i=0..j} (Nμ + iθ) / (Nμ + (i+1)θ)
 *   P(answered within t)   and P(hung up within t) come from that small absorbing chain,
 *                            solved by uniformisation (exact to 1e-12 for the truncation used).
 *
 * The service level is the product's own definition (definitions.md): answered within t ÷
 * (answered + hung up after waiting more than t), short hang-ups (within t) left out.
 */

export interface ErlangAPrediction {
  trafficErlangs: number;
  /** Probability that a caller has to wait (all seats busy on arrival). */
  pWait: number;
  /** Probability that a caller hangs up before being answered. */
  pAbandon: number;
  /** Answered within t ÷ (answered + hung up after t), as the reports define it. */
  serviceLevel: number;
  /** Share of callers answered within t of all callers. */
  answeredWithin: number;
}

/** Tail mass below which the queue's distribution is cut. */
const EPS = 1e-13;
const MAX_QUEUE = 20_000;

function checkArgs(n: number, lambdaPerHour: number, ahtS: number, patienceS: number, thresholdS: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Erlang A needs a whole number of seats ≥ 1 (got ${n}).`);
  if (!(lambdaPerHour >= 0) || !Number.isFinite(lambdaPerHour))
    throw new RangeError(`Arrivals per hour must be ≥ 0 (got ${lambdaPerHour}).`);
  if (!(ahtS > 0)) throw new RangeError(`AHT must be > 0 s (got ${ahtS}).`);
  if (!(patienceS > 0) || !Number.isFinite(patienceS)) throw new RangeError(`Mean patience must be > 0 s and finite (got ${patienceS}).`);
  if (!(thresholdS >= 0)) throw new RangeError(`The service-level threshold must be ≥ 0 s (got ${thresholdS}).`);
}

/** Every Erlang A figure for N seats, λ calls an hour, mean handle time and mean patience in seconds. */
export function erlangA(n: number, lambdaPerHour: number, ahtS: number, patienceS: number, thresholdS: number): ErlangAPrediction {
  checkArgs(n, lambdaPerHour, ahtS, patienceS, thresholdS);
  const a = trafficErlangs(lambdaPerHour, ahtS);
  if (a === 0) return { trafficErlangs: 0, pWait: 0, pAbandon: 0, serviceLevel: 1, answeredWithin: 1 };
  const lambda = lambdaPerHour / 3600;
  const nMu = n / ahtS;
  const theta = 1 / patienceS;
  // q_j = p_{N+j} / p_N until the tail is negligible.
  const q: number[] = [1];
  let sum = 1;
  for (let j = 1; j < MAX_QUEUE; j++) {
    const next = (q[j - 1]! * lambda) / (nMu + j * theta);
    q.push(next);
    sum += next;
    if (next < EPS * sum && next < q[j - 1]!) break;
  }
  const b = erlangB(n, a);
  // Σ_{k<N} p_k / p_N = 1/B − 1.
  const norm = 1 / b - 1 + sum;
  const pWait = sum / norm;
  const jMax = q.length - 1;
  // Uniformised chain of one waiting caller: state j = callers ahead; absorbing: answered, hung up.
  const rate = nMu + (jMax + 1) * theta;
  let state = q.map((x) => x / norm); // mass at position j on arrival
  let answeredAt = 0;
  let abandonedAt = 0;
  let answeredEver = 0;
  let reach = 1;
  for (let j = 0; j <= jMax; j++) {
    reach *= (nMu + j * theta) / (nMu + (j + 1) * theta);
    answeredEver += state[j]! * reach;
  }
  const lt = rate * thresholdS;
  // Poisson(lt) weights, summed until their tail is negligible.
  let logWeight = -lt;
  let absorbedAns = 0;
  let absorbedAb = 0;
  const kMax = Math.ceil(lt + 12 * Math.sqrt(lt + 1) + 30);
  for (let k = 0; k <= kMax; k++) {
    // weight = e^{-lt} lt^k / k!, kept in logs so a large lt does not underflow.
    const weight = Math.exp(logWeight);
    answeredAt += weight * absorbedAns;
    abandonedAt += weight * absorbedAb;
    const next = new Array<number>(jMax + 1).fill(0);
    for (let j = 0; j <= jMax; j++) {
      const m = state[j]!;
      if (m === 0) continue;
      const down = (nMu + j * theta) / rate;
      const leave = theta / rate;
      if (j === 0) absorbedAns += m * down;
      else next[j - 1]! += m * down;
      absorbedAb += m * leave;
      next[j]! += m * (1 - down - leave);
    }
    state = next;
    logWeight += Math.log(lt) - Math.log(k + 1);
    if (lt === 0) break;
  }
  // Mass the truncated Poisson sum leaves out (< 1e-12) counts as still waiting at t.
  const pAbandon = Math.max(0, pWait - answeredEver);
  const answeredWithin = 1 - pWait + answeredAt;
  const denominator = 1 - abandonedAt;
  return {
    trafficErlangs: a,
    pWait,
    pAbandon,
    serviceLevel: denominator > 0 ? Math.min(1, answeredWithin / denominator) : 0,
    answeredWithin,
  };
}

/**
 * Fewest seats for which Erlang A reaches `targetSL` (0..1) within `thresholdS`; never more than
 * Erlang C asks for (patience only lowers the need). 0 when no call arrives.
 */
export function requiredAgentsA(lambdaPerHour: number, ahtS: number, patienceS: number, thresholdS: number, targetSL: number): number {
  if (!(targetSL >= 0 && targetSL < 1)) throw new RangeError(`The target service level must be in [0, 1) (got ${targetSL}).`);
  if (lambdaPerHour === 0) return 0;
  // The service level grows with N: bisect between 1 and Erlang C's answer.
  let hi = requiredAgents(lambdaPerHour, ahtS, thresholdS, targetSL);
  let lo = 0; // lo fails (or is 0), hi meets the target
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (erlangA(mid, lambdaPerHour, ahtS, patienceS, thresholdS).serviceLevel >= targetSL) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Mean patience (seconds) estimated from calls that waited: the exponential model's maximum
 * likelihood estimate with the answered calls' waits as censored patience,
 *   1/θ = (sum of waits of answered and abandoned calls) ÷ (abandoned calls).
 * null when nobody abandoned (patience unknown: use Erlang C).
 */
export function patienceEstimate(totalWaitS: number, abandoned: number): number | null {
  if (abandoned <= 0 || !(totalWaitS > 0)) return null;
  return totalWaitS / abandoned;
}
