/**
 * A/B statistics (pure): the winner of a campaign's variants on human plays per delivered email.
 * Two-proportion z-test with the pooled standard error; with more than two variants the leader is tested
 * against every other one and the significance level is split between those comparisons (Bonferroni).
 */

/** Complementary error function (Numerical Recipes erfcc, Chebyshev fit; fractional error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z - 1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF Φ(z). */
export const normalCdf = (z: number): number => 0.5 * erfc(-z / Math.SQRT2);

export interface ZTest {
  /** Rates x/n of the two groups. */
  rate_a: number;
  rate_b: number;
  z: number;
  /** Two-sided p-value. */
  p_value: number;
}

/**
 * Two-proportion z-test of a (xa successes of na) against b (xb of nb), pooled standard error.
 * With no variance at all (both 0 % or both 100 %), or an empty group, there is no evidence: z 0, p 1.
 */
export function twoProportionZTest(xa: number, na: number, xb: number, nb: number): ZTest {
  const rate_a = na > 0 ? xa / na : 0;
  const rate_b = nb > 0 ? xb / nb : 0;
  if (na <= 0 || nb <= 0) return { rate_a, rate_b, z: 0, p_value: 1 };
  const pooled = (xa + xb) / (na + nb);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
  if (!(se > 0)) return { rate_a, rate_b, z: 0, p_value: 1 };
  const z = (rate_a - rate_b) / se;
  return { rate_a, rate_b, z, p_value: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) };
}

export interface VariantResult {
  id: string;
  label: string;
  /** Emails delivered (the denominator). */
  delivered: number;
  /** Human plays (the numerator): distinct recipients who played, or plays, as the caller counts them. */
  plays: number;
}

export interface AbDecision {
  status: 'winner' | 'no_significant_difference' | 'insufficient_data' | 'single_variant';
  /** The variant with the highest play rate (first listed on a tie). */
  leader_id: string | null;
  winner_id: string | null;
  /** Adjusted p-value of the weakest comparison (Bonferroni: × comparisons, capped at 1). */
  p_value: number | null;
  /** 1 − p_value, as shown to people ("97.1 % confident"). */
  confidence: number | null;
  /** The confidence asked for (e.g. 0.95) and the minimum delivered emails per variant. */
  required_confidence: number;
  min_sample: number;
  comparisons: { variant_id: string; against_id: string; z: number; p_value: number }[];
  rates: { variant_id: string; label: string; delivered: number; plays: number; rate: number }[];
}

/**
 * Decides the winner: every variant needs `minSample` delivered emails; the leader must beat each other
 * variant with p < (1 − confidence) / comparisons.
 */
export function decideWinner(variants: VariantResult[], opts: { minSample: number; confidence: number }): AbDecision {
  const rates = variants.map((v) => ({ variant_id: v.id, label: v.label, delivered: v.delivered, plays: v.plays, rate: v.delivered > 0 ? v.plays / v.delivered : 0 }));
  const base = { required_confidence: opts.confidence, min_sample: opts.minSample, rates };
  if (variants.length < 2) {
    return { ...base, status: 'single_variant', leader_id: variants[0]?.id ?? null, winner_id: variants[0]?.id ?? null, p_value: null, confidence: null, comparisons: [] };
  }
  let leader = variants[0]!;
  for (const v of variants) if (rateOf(v) > rateOf(leader)) leader = v;
  const comparisons = variants
    .filter((v) => v !== leader)
    .map((v) => {
      const t = twoProportionZTest(leader.plays, leader.delivered, v.plays, v.delivered);
      return { variant_id: leader.id, against_id: v.id, z: t.z, p_value: t.p_value };
    });
  const m = comparisons.length;
  const adjusted = Math.min(1, Math.max(...comparisons.map((c) => c.p_value)) * m);
  const decided = { ...base, leader_id: leader.id, p_value: adjusted, confidence: 1 - adjusted, comparisons };
  if (variants.some((v) => v.delivered < opts.minSample)) return { ...decided, status: 'insufficient_data', winner_id: null };
  const alpha = 1 - opts.confidence;
  return adjusted < alpha ? { ...decided, status: 'winner', winner_id: leader.id } : { ...decided, status: 'no_significant_difference', winner_id: null };
}

const rateOf = (v: VariantResult) => (v.delivered > 0 ? v.plays / v.delivered : 0);

/**
 * Splits `count` recipients between variants by weight (largest remainder, so the sizes sum to count);
 * returns the size of each variant in order.
 */
export function splitByWeight(count: number, weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0) || count <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (count * w) / total);
  const sizes = exact.map(Math.floor);
  let left = count - sizes.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const o of order) {
    if (left <= 0) break;
    sizes[o.i]! += 1;
    left -= 1;
  }
  return sizes;
}
