/**
 * Remembers signed URLs so a page that lists many objects does not sign each one on every request, and
 * so the same object keeps the same URL for a while (browsers and mail clients then cache posters and
 * GIFs across refreshes). A URL is reused for at most a twelfth of its lifetime (and at most 30 minutes),
 * so a caller always gets at least 11/12 of the validity it asked for. Short-lived URLs are not cached.
 */
export class SignedUrlCache {
  /** expiresInSec → object key → URL; insertion order is age order. */
  private readonly byLifetime = new Map<number, Map<string, { url: string; reuseUntil: number }>>();
  private size = 0;
  constructor(
    private readonly maxEntries = 20_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, expiresInSec: number, sign: () => string | Promise<string>): Promise<string> {
    if (expiresInSec < 120) return sign();
    let entries = this.byLifetime.get(expiresInSec);
    if (!entries) this.byLifetime.set(expiresInSec, (entries = new Map()));
    const t = this.now();
    const hit = entries.get(key);
    if (hit && t < hit.reuseUntil) return hit.url;
    const url = await sign();
    if (entries.delete(key)) this.size--;
    if (this.size >= this.maxEntries) this.evictOldest();
    entries.set(key, { url, reuseUntil: t + Math.min(expiresInSec / 12, 1800) * 1000 });
    this.size++;
    return url;
  }

  /** Drops an object's URLs (it was deleted or replaced). */
  forget(key: string): void {
    for (const entries of this.byLifetime.values()) if (entries.delete(key)) this.size--;
  }

  private evictOldest(): void {
    let oldest: { entries: Map<string, { reuseUntil: number }>; key: string; at: number } | undefined;
    for (const entries of this.byLifetime.values()) {
      const first = entries.entries().next();
      if (first.done) continue;
      const [key, e] = first.value;
      if (!oldest || e.reuseUntil < oldest.at) oldest = { entries, key, at: e.reuseUntil };
    }
    if (oldest && oldest.entries.delete(oldest.key)) this.size--;
  }
}
