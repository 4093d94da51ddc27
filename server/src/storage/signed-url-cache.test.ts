import { describe, expect, it } from 'vitest';
import { SignedUrlCache } from './signed-url-cache';

describe('SignedUrlCache', () => {
  const signer = () => {
    let n = 0;
    return { sign: (key: string) => () => `https://files.example/${key}?n=${++n}`, count: () => n };
  };

  it('returns the same URL for the same object within a twelfth of its lifetime, then signs a fresh one', async () => {
    let now = 1_000_000;
    const cache = new SignedUrlCache(100, () => now);
    const s = signer();
    const first = await cache.get('t/videos/a.mp4', 3600, s.sign('t/videos/a.mp4'));
    now += 299_000; // 299 s < 3600 / 12
    expect(await cache.get('t/videos/a.mp4', 3600, s.sign('t/videos/a.mp4'))).toBe(first);
    expect(s.count()).toBe(1);
    now += 2_000; // past 300 s: the cached URL would have less than 11/12 of its lifetime left
    const second = await cache.get('t/videos/a.mp4', 3600, s.sign('t/videos/a.mp4'));
    expect(second).not.toBe(first);
    expect(s.count()).toBe(2);
  });

  it('keeps objects and lifetimes apart, never caches short-lived URLs, and forgets deleted objects', async () => {
    const cache = new SignedUrlCache(100);
    const s = signer();
    const a = await cache.get('t/a', 3600, s.sign('t/a'));
    expect(await cache.get('t/b', 3600, s.sign('t/b'))).not.toBe(a);
    expect(await cache.get('t/a', 7200, s.sign('t/a'))).not.toBe(a);
    expect(await cache.get('t/a', 60, s.sign('t/a'))).not.toBe(await cache.get('t/a', 60, s.sign('t/a')));
    cache.forget('t/a');
    expect(await cache.get('t/a', 3600, s.sign('t/a'))).not.toBe(a);
  });

  it('holds at most maxEntries URLs, dropping the oldest', async () => {
    const cache = new SignedUrlCache(2);
    const s = signer();
    const a = await cache.get('t/a', 3600, s.sign('t/a'));
    const b = await cache.get('t/b', 3600, s.sign('t/b'));
    await cache.get('t/c', 3600, s.sign('t/c'));
    expect(await cache.get('t/b', 3600, s.sign('t/b'))).toBe(b);
    expect(await cache.get('t/a', 3600, s.sign('t/a'))).not.toBe(a);
  });
});
