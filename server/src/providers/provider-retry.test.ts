import { describe, expect, it } from 'vitest';
import { parseRetryAfter, ProviderHttpError, retryDelayMs, toAppError } from './provider-retry';

const h = (o: Record<string, string>) => new Headers(o);
const policy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 20_000 };

describe('retry timing', () => {
  it('reads retry-after-ms, Retry-After seconds and Retry-After dates', () => {
    expect(parseRetryAfter(h({ 'retry-after-ms': '250' }))).toBe(250);
    expect(parseRetryAfter(h({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfter(h({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6000);
    expect(parseRetryAfter(h({}))).toBeUndefined();
  });

  it("waits the server's Retry-After, but never longer than the cap", () => {
    expect(retryDelayMs(new ProviderHttpError(429, 'x', 3000), 1, policy)).toBe(3000);
    expect(retryDelayMs(new ProviderHttpError(429, 'x', 3_600_000), 1, policy)).toBe(20_000);
  });

  it('backs off exponentially without a Retry-After', () => {
    const mid = () => 0.5;
    expect([1, 2, 3].map((n) => retryDelayMs(new ProviderHttpError(503, 'x'), n, policy, mid))).toEqual([500, 1000, 2000]);
  });
});

describe('mapping provider failures to our codes', () => {
  const cases = [
    [401, 'provider_auth_failed', 502],
    [403, 'provider_auth_failed', 502],
    [429, 'provider_rate_limited', 503],
    [500, 'provider_unavailable', 503],
    ['network', 'provider_unavailable', 503],
    [400, 'provider_error', 422],
    [404, 'provider_error', 422],
  ] as const;
  for (const [status, code, http] of cases) {
    it(`maps ${status} to ${http} ${code}`, () => {
      const e = toAppError('elevenlabs', new ProviderHttpError(status, 'detail'));
      expect(e.code).toBe(code);
      expect(e.status).toBe(http);
    });
  }
});
