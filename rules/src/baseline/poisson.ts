/** ln(k!) by summing logs (exact enough for the counts a window holds). */
function lnFactorial(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}

/** P(X ≥ k) for X ~ Poisson(λ): the chance of seeing at least k events when λ are expected. */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  // 1 − P(X ≤ k−1), summed in log space; for k far above λ sum the upper terms directly.
  if (k > lambda) {
    let term = Math.exp(-lambda + k * Math.log(lambda) - lnFactorial(k));
    let sum = 0;
    for (let i = k; term > sum * 1e-16 && i < k + 10_000; i++) {
      sum += term;
      term *= lambda / (i + 1);
    }
    return Math.min(1, sum);
  }
  let term = Math.exp(-lambda);
  let cdf = 0;
  for (let i = 0; i < k; i++) {
    cdf += term;
    term *= lambda / (i + 1);
  }
  return Math.max(0, 1 - cdf);
}
