import type { WatchRecipientRow, WatchRepository, WatchVideoRow } from './watch.repository';

/** What a slug points at: a video (and the recipient when the link is personal), or why there is nothing to show. */
export type WatchTarget =
  | { kind: 'missing' }
  | { kind: 'gone'; video: WatchVideoRow }
  | { kind: 'rendering'; video: WatchVideoRow; recipient: WatchRecipientRow | null }
  | { kind: 'ready'; video: WatchVideoRow; recipient: WatchRecipientRow | null; trackOpens: boolean };

interface Entry {
  target: WatchTarget;
  until: number;
  /** Rendered page halves per language, split where the per-view token goes. */
  pages: Map<string, [string, string]>;
}

/** A slug must look like base64url of at least 128 bits before we spend a query on it. */
export const SLUG_RE = /^[A-Za-z0-9_-]{22,64}$/;

/** Resolves public slugs with a short in-memory cache (a few seconds), so the watch page does not hit the DB per view. */
export class WatchService {
  private readonly cache = new Map<string, Entry>();
  constructor(
    private readonly repo: WatchRepository,
    private readonly ttlMs = 5000,
    private readonly maxEntries = 10_000,
  ) {}

  async resolve(slug: string, now = Date.now()): Promise<Entry> {
    const hit = this.cache.get(slug);
    if (hit && hit.until > now) return hit;
    const entry: Entry = { target: await this.load(slug, now), until: now + this.ttlMs, pages: new Map() };
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.delete(slug);
    this.cache.set(slug, entry);
    return entry;
  }

  /** Forget cached slugs (after a video is deleted or edited in this process). */
  invalidate(): void {
    this.cache.clear();
  }

  private async load(slug: string, now: number): Promise<WatchTarget> {
    if (!SLUG_RE.test(slug)) return { kind: 'missing' };
    const recipient = await this.repo.recipientBySlug(slug);
    const video = recipient ? await this.repo.videoById(recipient.video_id) : await this.repo.videoBySlug(slug);
    if (!video || (recipient && recipient.tenant_id !== video.tenant_id)) return { kind: 'missing' };
    const settings = (video.tenant_settings ?? {}) as Record<string, unknown>;
    const days = Number(settings.watch_link_days);
    const expired = days > 0 && (video.completed_at ?? video.created_at).getTime() + days * 86_400_000 < now;
    if (video.deleted_at || expired || video.status === 'failed' || video.status === 'canceled') return { kind: 'gone', video };
    if (video.status !== 'completed' || !video.video_key) return { kind: 'rendering', video, recipient: recipient ?? null };
    return { kind: 'ready', video, recipient: recipient ?? null, trackOpens: settings.tracking_opens !== false };
  }
}
