import type { Storage } from '../storage/storage';
import { keyTag } from './branding';

interface Item {
  body: Buffer;
  contentType: string;
  /** Strong validator: storage keys are never reused for different content, so the key identifies the bytes. */
  etag: string;
}

/**
 * Keeps small public images (posters, GIF thumbnails, avatar photos) in memory, bounded by total bytes.
 * Storage keys are never reused for different content, so entries need no expiry (and the key is the ETag);
 * least recently used go first.
 */
export class ThumbCache {
  private readonly items = new Map<string, Item>();
  private bytes = 0;
  constructor(
    private readonly storage: Storage,
    private readonly maxBytes = 64 * 1024 * 1024,
    private readonly maxItemBytes = 4 * 1024 * 1024,
  ) {}

  /** The object, or null when it is missing or too large to cache (callers then stream it). */
  async get(key: string): Promise<Item | null> {
    const hit = this.items.get(key);
    if (hit) {
      this.items.delete(key);
      this.items.set(key, hit);
      return hit;
    }
    const st = await this.storage.stat(key);
    if (!st || st.size > this.maxItemBytes) return null;
    const item = { body: await this.storage.getBuffer(key), contentType: st.contentType, etag: `"${keyTag(key)}"` };
    this.items.set(key, item);
    this.bytes += item.body.length;
    for (const [k, v] of this.items) {
      if (this.bytes <= this.maxBytes) break;
      this.items.delete(k);
      this.bytes -= v.body.length;
    }
    return item;
  }
}
