import { describe, expect, it } from 'vitest';
import { decideWinner, erfc, normalCdf, splitByWeight, twoProportionZTest } from './ab-stats';

describe('normal distribution', () => {
  // Table values of Φ (any statistics textbook): Φ(0) = 0.5, Φ(1) = 0.8413447, Φ(1.96) = 0.9750021, Φ(-2.5758) = 0.005.
  it.each([
    [0, 0.5],
    [1, 0.8413447],
    [1.96, 0.9750021],
    [-1.96, 0.0249979],
    [-2.5758, 0.005],
    [3.5, 0.9997674],
  ])('Φ(%s) = %s', (z, want) => {
    expect(normalCdf(z)).toBeCloseTo(want, 6);
  });
  it('erfc(0) = 1 and erfc(-x) = 2 - erfc(x)', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(-0.7)).toBeCloseTo(2 - erfc(0.7), 12);
  });
});

describe('twoProportionZTest (worked by hand)', () => {
  it('80/500 against 50/500 is significant at 99 %', () => {
    // p_a = 80/500 = 0.16, p_b = 50/500 = 0.10, pooled p = 130/1000 = 0.13
    // SE = sqrt(0.13 × 0.87 × (1/500 + 1/500)) = sqrt(0.1131 × 0.004) = sqrt(0.0004524) = 0.0212697
    // z = (0.16 − 0.10) / 0.0212697 = 2.8209;  p = 2 × (1 − Φ(2.8209)) = 2 × (1 − 0.997606) = 0.00479
    const t = twoProportionZTest(80, 500, 50, 500);
    expect(t.rate_a).toBe(0.16);
    expect(t.rate_b).toBe(0.1);
    expect(t.z).toBeCloseTo(2.8209, 4);
    expect(t.p_value).toBeCloseTo(0.00479, 5);
  });

  it('15/100 against 10/100 is not', () => {
    // pooled p = 25/200 = 0.125;  SE = sqrt(0.125 × 0.875 × 0.02) = sqrt(0.0021875) = 0.0467707
    // z = 0.05 / 0.0467707 = 1.0690;  p = 2 × (1 − Φ(1.0690)) = 2 × (1 − 0.857475) = 0.28505
    const t = twoProportionZTest(15, 100, 10, 100);
    expect(t.z).toBeCloseTo(1.069, 3);
    expect(t.p_value).toBeCloseTo(0.28505, 4);
  });

  it('is symmetric: swapping the groups flips the sign of z and keeps p', () => {
    const a = twoProportionZTest(50, 500, 80, 500);
    expect(a.z).toBeCloseTo(-2.8209, 4);
    expect(a.p_value).toBeCloseTo(0.00479, 5);
  });

  it('has no evidence without variance or without data: z 0, p 1', () => {
    expect(twoProportionZTest(0, 100, 0, 100)).toMatchObject({ z: 0, p_value: 1 });
    expect(twoProportionZTest(100, 100, 50, 50)).toMatchObject({ z: 0, p_value: 1 });
    expect(twoProportionZTest(3, 10, 0, 0)).toMatchObject({ z: 0, p_value: 1, rate_a: 0.3, rate_b: 0 });
  });
});

describe('decideWinner', () => {
  const v = (id: string, delivered: number, plays: number) => ({ id, label: id, delivered, plays });

  it('names the winner of two variants when p < 0.05 and both have the minimum sample', () => {
    const d = decideWinner([v('A', 500, 50), v('B', 500, 80)], { minSample: 100, confidence: 0.95 });
    expect(d.status).toBe('winner');
    expect(d.winner_id).toBe('B');
    expect(d.p_value).toBeCloseTo(0.00479, 5); // one comparison: no adjustment
    expect(d.confidence).toBeCloseTo(0.99521, 5);
    expect(d.rates.map((r) => r.rate)).toEqual([0.1, 0.16]);
  });

  it('waits for the minimum sample even when the difference looks large', () => {
    const d = decideWinner([v('A', 500, 50), v('B', 90, 30)], { minSample: 100, confidence: 0.95 });
    expect(d).toMatchObject({ status: 'insufficient_data', leader_id: 'B', winner_id: null });
  });

  it('splits the significance level between comparisons with three variants (Bonferroni)', () => {
    // Leader B = 60/400 = 0.15. B vs A (40/400): pooled 100/800 = 0.125, SE = sqrt(0.125 × 0.875 × 0.005) = 0.0233854,
    // z = 0.05 / 0.0233854 = 2.1381, p = 0.03251.  B vs C (44/400): pooled 104/800 = 0.13, SE = sqrt(0.13 × 0.87 × 0.005)
    // = 0.0237802, z = 0.04 / 0.0237802 = 1.6821, p = 0.09256.  Two comparisons: adjusted p = 2 × 0.09256 = 0.18511 ≥ 0.05.
    const d = decideWinner([v('A', 400, 40), v('B', 400, 60), v('C', 400, 44)], { minSample: 100, confidence: 0.95 });
    expect(d.status).toBe('no_significant_difference');
    expect(d.leader_id).toBe('B');
    expect(d.comparisons.map((c) => [c.against_id, Number(c.z.toFixed(4)), Number(c.p_value.toFixed(5))])).toEqual([
      ['A', 2.1381, 0.03251],
      ['C', 1.6821, 0.09256],
    ]);
    expect(d.p_value).toBeCloseTo(0.18511, 4);
    expect(d.confidence).toBeCloseTo(0.81489, 4);
  });

  it('keeps the first variant as leader on a tie, and a single variant is its own winner', () => {
    expect(decideWinner([v('A', 200, 20), v('B', 200, 20)], { minSample: 100, confidence: 0.95 })).toMatchObject({
      status: 'no_significant_difference',
      leader_id: 'A',
      p_value: 1,
    });
    expect(decideWinner([v('A', 10, 1)], { minSample: 100, confidence: 0.95 })).toMatchObject({ status: 'single_variant', winner_id: 'A' });
  });
});

describe('splitByWeight', () => {
  it('gives every variant its share, largest remainders first, summing to the count', () => {
    // 10 × 1/3 = 3.33 each → 3, 3, 3 and the one left over goes to the first (equal remainders, earlier wins).
    expect(splitByWeight(10, [1, 1, 1])).toEqual([4, 3, 3]);
    // 7 × 70/100 = 4.9, 7 × 30/100 = 2.1 → 4 + 2, the left-over to 4.9 (remainder 0.9).
    expect(splitByWeight(7, [70, 30])).toEqual([5, 2]);
    expect(splitByWeight(0, [1, 2])).toEqual([0, 0]);
    expect(splitByWeight(200, [25, 25, 25, 25])).toEqual([50, 50, 50, 50]);
  });
});
