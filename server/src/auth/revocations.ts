import type { Logger } from '../logger';
import type { SessionsRepository } from './sessions.repository';

/** How stale this process's view of other processes' revocations may get. */
export const REVOCATION_POLL_MS = 2000;
/** Revocations are re-read this far back on each poll: a row committed late with an earlier timestamp is not missed. */
const OVERLAP_MS = 60_000;

/**
 * The revoked session ids an access token may still name (those revoked within the token lifetime).
 * Checking a token costs a Map lookup: the set is refreshed from the database at most every 2 s, by the
 * first request after the interval (one indexed query over recent revocations), and revocations made by
 * this process apply at once. Other API processes see a revocation within REVOCATION_POLL_MS.
 */
export class RevocationList {
  private readonly revoked = new Map<string, number>();
  private checkedAt = 0;
  private watermark = 0;
  private inflight: Promise<void> | null = null;

  constructor(
    private readonly repo: SessionsRepository,
    private readonly accessTtlMs: number,
    private readonly log: Logger,
    private readonly pollMs = REVOCATION_POLL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the session was revoked; refreshes the set first when it is older than the poll interval. */
  async isRevoked(sid: string): Promise<boolean> {
    if (this.now() - this.checkedAt >= this.pollMs) await (this.inflight ??= this.poll().finally(() => (this.inflight = null)));
    return this.revoked.has(sid);
  }

  /** Applies a revocation made by this process at once. */
  add(...sids: string[]): void {
    const t = this.now();
    for (const s of sids) this.revoked.set(s, t);
  }

  private async poll(): Promise<void> {
    const t = this.now();
    const since = this.watermark ? this.watermark - OVERLAP_MS : t - this.accessTtlMs;
    try {
      for (const r of await this.repo.revokedSince(new Date(since))) {
        const at = r.revoked_at!.getTime();
        this.revoked.set(r.id, at);
        if (at > this.watermark) this.watermark = at;
      }
      // Next time, read from a little before now (or the newest revocation seen, if later).
      this.watermark = Math.max(this.watermark, t - OVERLAP_MS);
      this.checkedAt = t;
    } catch (err) {
      // The database is away: keep what we know, try again on the next request after a short pause.
      this.log.warn({ err }, 'could not refresh revoked sessions');
      this.checkedAt = t - this.pollMs + 250;
    }
    // Tokens of sessions revoked longer ago than a token lives have all expired.
    for (const [sid, at] of this.revoked) if (at < t - this.accessTtlMs - OVERLAP_MS) this.revoked.delete(sid);
  }
}
