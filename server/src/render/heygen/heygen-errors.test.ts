import { describe, expect, it } from 'vitest';
import { heygenError, isSuccess } from './heygen-errors';
import { DEFAULT_POLL, pollDelays } from './heygen-poll';

describe('HeyGen envelopes and errors', () => {
  it.each([
    ['v1 success', 200, { code: 100, data: { video_id: 'v' }, message: 'Success' }, true],
    ['v2 success', 200, { error: null, data: { video_id: 'v' } }, true],
    ['v2 error on 200', 200, { error: { code: 'avatar_not_found', message: 'x' }, data: null }, false],
    ['v1 non-100 code', 200, { code: 40009, data: { x: 1 }, message: 'bad' }, false],
    ['2xx without data', 200, { error: null, data: null }, false],
    ['4xx with data', 400, { error: null, data: { video_id: 'v' } }, false],
    ['no body', 502, null, false],
  ])('%s → success %s', (_name, status, body, ok) => {
    expect(isSuccess(status, body)).toBe(ok);
  });

  it.each([
    [401, 422, 'provider_auth_failed'],
    [403, 422, 'provider_auth_failed'],
    [402, 422, 'provider_error'],
    [400, 422, 'provider_error'],
    [404, 422, 'provider_error'],
    [429, 429, 'provider_rate_limited'],
    [500, 503, 'provider_unavailable'],
    [503, 503, 'provider_unavailable'],
    [0, 503, 'provider_unavailable'],
  ] as const)('HTTP %i → %i %s', (status, ours, code) => {
    const e = heygenError('start the video', status, { error: { code: 'x', message: 'why' }, data: null });
    expect([e.status, e.code]).toEqual([ours, code]);
    expect(e.message).toMatch(/start the video/);
  });

  it('carries HeyGen’s own reason in the message', () => {
    expect(heygenError('start the video', 400, { error: { code: 'avatar_not_found', message: 'Avatar 1 not found' } }).message).toMatch(/avatar_not_found: Avatar 1 not found/);
  });
});

describe('poll cadence', () => {
  it('backs off from 15 s to at most 60 s and stops at 30 minutes', () => {
    const d = pollDelays(DEFAULT_POLL);
    expect(d[0]).toBe(15_000);
    expect(d[1]).toBe(22_500);
    expect(Math.max(...d)).toBe(60_000);
    const total = d.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(30 * 60_000);
    expect(total).toBeGreaterThan(29 * 60_000);
  });
});
