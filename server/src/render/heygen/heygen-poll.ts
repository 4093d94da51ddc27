/** Polling cadence for HeyGen renders (their guidance: minutes, not seconds). */
export interface PollPolicy {
  firstMs: number;
  factor: number;
  maxMs: number;
  /** Give up (retryably) after this long; the HeyGen video id is kept so the retry resumes polling. */
  timeoutMs: number;
}

export const DEFAULT_POLL: PollPolicy = { firstMs: 15_000, factor: 1.5, maxMs: 60_000, timeoutMs: 30 * 60_000 };

/** The delays before each status check, until their sum reaches the timeout. Pure. */
export function pollDelays(p: PollPolicy): number[] {
  const out: number[] = [];
  let d = p.firstMs;
  let total = 0;
  while (total + d <= p.timeoutMs && out.length < 10_000) {
    out.push(d);
    total += d;
    d = Math.min(p.maxMs, d * p.factor);
  }
  return out;
}
