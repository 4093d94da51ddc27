import type { WatchRecipientRow, WatchRepository, WatchVideoRow } from './watch.repository';

/** What a slug points at: a video (and the recipient when the link is personal), or why there is nothing to show. */
export type WatchTarget =
  | { kind: 'missing' }
  | { kind: 'gone'; video: WatchVideoRow }
  | { kind: 'rendering'; video: WatchVideoRow; recipient: WatchRecipientRow | null }
  | { kind: 'ready'; video: WatchVideoRow; recipient: WatchRecipientRow | null; trackOpens: boolean };

/** A rendered page, split where the per-view token goes, with the CSP its inline code needs. */
export interface CachedPage {
  halves: [string, string];
  csp: string;
}

export interface WatchEntry {
  target: WatchTarget;
  /** When the target was read from the database (ms). */
  loadedAt: number;
  /** Rendered pages by language; kept across refreshes while the target reads the same. */
  pages: Map<string, CachedPage>;
  /** What the target read as (pages are reused while it stays the same). */
  fingerprint: string;
}

/** A slug must look like base64url of at least 128 bits before we spend a query on it. */
export const SLUG_RE = /^[A-Za-z0-9_-]{22,64}$/;

const fingerprintOf = (t: WatchTarget) => JSON.stringify(t);

/**
 * Resolves public slugs with a short in-memory cache, so the watch page and its images do not query the
 * database per view. A cached entry is fresh for `ttlMs`; after that the first request starts one background
 * reload and, until it lands, requests keep getting the previous answer for at most `maxStaleMs` more; past that
 * they wait for the reload. Concurrent loads of one slug share one query. So a video deleted or expired in
 * another process stops being served at most ttlMs + (reload time) after the change (ttlMs + maxStaleMs if the
 * database is slow or down), and a change in this process (invalidate*) takes effect at once.
 */
export class WatchService {
  private readonly cache = new Map<string, WatchEntry>();
  private readonly loading = new Map<string, Promise<WatchEntry>>();
  constructor(
    private readonly repo: WatchRepository,
    readonly ttlMs = 5000,
    private readonly maxEntries = 10_000,
    readonly maxStaleMs = 5000,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  async resolve(slug: string, now = Date.now()): Promise<WatchEntry> {
    const hit = this.cache.get(slug);
    if (hit) {
      const age = now - hit.loadedAt;
      if (age < this.ttlMs) return hit;
      if (age < this.ttlMs + this.maxStaleMs) {
        if (!this.loading.has(slug)) this.load(slug).catch(this.onError);
        return hit;
      }
    }
    return this.load(slug);
  }

  /** Forget every cached slug (after a workspace's settings change in this process). */
  invalidate(): void {
    this.cache.clear();
  }

  /** Forget the slugs of one video (deleted, re-rendered or finished in this process). */
  invalidateVideo(videoId: string): void {
    for (const [slug, e] of this.cache) if (e.target.kind !== 'missing' && e.target.video.id === videoId) this.cache.delete(slug);
  }

  private load(slug: string): Promise<WatchEntry> {
    const running = this.loading.get(slug);
    if (running) return running;
    const p = this.read(slug)
      .then((target) => {
        const fingerprint = fingerprintOf(target);
        const before = this.cache.get(slug);
        const entry: WatchEntry = { target, loadedAt: Date.now(), fingerprint, pages: before?.fingerprint === fingerprint ? before.pages : new Map() };
        this.cache.delete(slug);
        if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
        this.cache.set(slug, entry);
        return entry;
      })
      .finally(() => this.loading.delete(slug));
    this.loading.set(slug, p);
    return p;
  }

  private async read(slug: string): Promise<WatchTarget> {
    if (!SLUG_RE.test(slug)) return { kind: 'missing' };
    const recipient = await this.repo.recipientBySlug(slug);
    const video = recipient ? await this.repo.videoById(recipient.video_id) : await this.repo.videoBySlug(slug);
    if (!video || (recipient && recipient.tenant_id !== video.tenant_id)) return { kind: 'missing' };
    const settings = (video.tenant_settings ?? {}) as Record<string, unknown>;
    const days = Number(settings.watch_link_days);
    const expired = days > 0 && (video.completed_at ?? video.created_at).getTime() + days * 86_400_000 < Date.now();
    if (video.deleted_at || expired || video.status === 'failed' || video.status === 'canceled') return { kind: 'gone', video };
    if (video.status !== 'completed' || !video.video_key) return { kind: 'rendering', video, recipient: recipient ?? null };
    return { kind: 'ready', video, recipient: recipient ?? null, trackOpens: settings.tracking_opens !== false };
  }
}
