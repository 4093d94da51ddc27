import type { VideoAnalytics } from '@mvs/shared/schemas/analytics';
import { notFound } from '../errors';
import type { AnalyticsRepository } from './analytics.repository';
import { STAT_COLUMNS, watchSummary, zeroCounters, type Counters } from './stats';
import type { WatchCurveService } from './watch-curve.service';

const pick = (row: Record<string, unknown> | undefined): Counters => {
  const c = zeroCounters();
  if (row) for (const k of STAT_COLUMNS) c[k] = Number(row[k] ?? 0);
  return c;
};
const withWatch = (c: Counters) => ({ ...c, watch: watchSummary(c) });

/** Per-video analytics from the aggregates: totals, shared link, each recipient, a daily series and the watch-through curve. */
export class AnalyticsService {
  constructor(
    private readonly repo: AnalyticsRepository,
    private readonly curves: WatchCurveService,
  ) {}

  async forVideo(tenantId: string, videoId: string): Promise<VideoAnalytics> {
    const video = await this.repo.video(tenantId, videoId);
    if (!video) throw notFound('Video', videoId);
    const [rows, recipients, curve] = await Promise.all([
      this.repo.stats(tenantId, videoId),
      this.repo.recipients(tenantId, videoId),
      this.curves.curve(tenantId, videoId, video.duration_sec),
    ]);
    const byScope = new Map(rows.map((r) => [r.scope, r as unknown as Record<string, unknown>]));
    return {
      video_id: videoId,
      totals: withWatch(pick(byScope.get('all'))),
      shared_link: withWatch(pick(byScope.get('link'))),
      recipients: recipients.map((r) => ({
        recipient_id: r.id,
        email: r.email,
        name: r.name,
        delivered_at: r.delivered_at ? r.delivered_at.toISOString() : null,
        ...withWatch(pick(byScope.get(`r:${r.id}`))),
      })),
      daily: rows
        .filter((r) => r.scope.startsWith('d:'))
        .map((r) => ({ day: r.scope.slice(2), ...pick(r as unknown as Record<string, unknown>) }))
        .sort((a, b) => a.day.localeCompare(b.day)),
      watch_curve: curve,
    };
  }

  /** CSV export: one line per recipient plus the shared link and the total (or one line per day with by='day'). */
  async csv(tenantId: string, videoId: string, by: 'recipient' | 'day'): Promise<string> {
    const a = await this.forVideo(tenantId, videoId);
    const cols = [...STAT_COLUMNS];
    if (by === 'day') {
      return toCsv(['day', ...cols], a.daily.map((d) => [d.day, ...cols.map((c) => d[c])]));
    }
    const head = ['recipient_email', 'recipient_name', 'delivered_at', ...cols, 'average_watch_pct'];
    const line = (email: string, name: string | null, delivered: string | null, c: Counters & { watch: { average_pct: number } }) => [
      email, name ?? '', delivered ?? '', ...cols.map((k) => c[k]), c.watch.average_pct,
    ];
    return toCsv(head, [
      ...a.recipients.map((r) => line(r.email, r.name, r.delivered_at, r)),
      line('(shared link)', null, null, a.shared_link),
      line('(total)', null, null, a.totals),
    ]);
  }
}

/** RFC 4180 quoting; cells starting with = + - @ are prefixed with ' so spreadsheets do not run them as formulas. */
export function toCsv(head: string[], rows: (string | number)[][]): string {
  return [head, ...rows].map(csvLine).join('');
}

/** One CSV cell: RFC 4180 quoting, and a leading ' before = + - @ (formula injection). */
export function csvCell(v: string | number | null): string {
  let s = v === null ? '' : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record with its CRLF. */
export const csvLine = (cells: (string | number | null)[]) => `${cells.map(csvCell).join(',')}\r\n`;
