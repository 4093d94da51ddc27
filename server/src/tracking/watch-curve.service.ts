import type { WatchCurve } from '@mvs/shared/schemas/analytics';
import type { Logger } from '../logger';
import { GroupCommit } from './event-ingester';
import type { PositionReport, WatchCurveRepository } from './watch-curve.repository';

/** The longest position a beacon may report (a watch page video is minutes long; this bounds the histogram). */
export const MAX_POSITION_SEC = 3 * 3600;
/** View rows whose token has expired (6 h) can never move again; older ones are pruned this often. */
const PRUNE_EVERY_MS = 10 * 60_000;
const VIEW_ROW_TTL_MS = 7 * 3600_000;

/**
 * The watch-through curve: every human page view's furthest second, folded into a per-second histogram as it
 * moves (group commit: one transaction per burst of reports), and read back as "% still watching at second s".
 */
export class WatchCurveService {
  private readonly commit: GroupCommit<PositionReport, number>;
  private lastPrune = Date.now();

  constructor(
    private readonly repo: WatchCurveRepository,
    private readonly log: Logger,
  ) {
    // One writer: the batch folds every report of a view, and nothing in this process races it for the rows.
    this.commit = new GroupCommit((r) => repo.record(r), () => this.maybePrune(), log, 1000, 1);
  }

  /** Stores one position report of a human view; resolves once it is committed. */
  record(report: PositionReport): Promise<void> {
    return this.commit.submit({ ...report, second: Math.max(0, Math.min(MAX_POSITION_SEC, Math.floor(report.second))) });
  }

  /** Waits until everything reported so far is written (tests, shutdown). */
  flush(): Promise<void> {
    return this.commit.drain();
  }

  /**
   * % of the human views that started playing which were still watching at each second from 0 to the video's
   * length (a view that reached second s counts at 0..s). `durationSec` null (not rendered yet): up to the
   * furthest second anyone reached.
   */
  async curve(tenantId: string, videoId: string, durationSec: number | null): Promise<WatchCurve> {
    const rows = await this.repo.histogram(tenantId, videoId);
    const viewers = rows.reduce((n, r) => n + r.viewers, 0);
    const last = durationSec != null && durationSec > 0 ? Math.floor(durationSec) : (rows.at(-1)?.second ?? 0);
    const stoppedAt = new Array<number>(last + 1).fill(0);
    for (const r of rows) stoppedAt[Math.min(last, r.second)]! += r.viewers;
    const points = new Array<{ second: number; still_watching_pct: number }>(last + 1);
    let still = viewers;
    for (let s = 0; s <= last; s++) {
      points[s] = { second: s, still_watching_pct: viewers ? Math.round((1000 * still) / viewers) / 10 : 0 };
      still -= stoppedAt[s]!;
    }
    return { duration_sec: durationSec ?? last, viewers, points };
  }

  private maybePrune() {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    this.repo.prune(new Date(now - VIEW_ROW_TTL_MS)).catch((err: unknown) => this.log.warn({ err }, 'could not prune watch sessions'));
  }
}
