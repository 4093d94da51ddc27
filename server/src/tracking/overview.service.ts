import type { Overview, OverviewDay } from '@mvs/shared/schemas/overview';
import type { Principal } from '../http/env';
import type { Storage } from '../storage/storage';
import type { OverviewRepository } from './overview.repository';

const POSTER_URL_SECONDS = 6 * 3600;
const DAY_MS = 86_400_000;

interface Reach {
  plays: number;
  reached_25: number;
  reached_50: number;
  reached_75: number;
  reached_100: number;
}

/** Mean furthest milestone per human play, counting each play at the lower bound of its bucket (as analytics does). */
export function averageWatchPct(r: Reach): number {
  if (!r.plays) return 0;
  const avg = Math.min(100, (25 * (r.reached_25 + r.reached_50 + r.reached_75 + r.reached_100)) / r.plays);
  return Math.round(avg * 10) / 10;
}

/** The UTC days of a period ending today: 'YYYY-MM-DD', oldest first. */
export function periodDays(days: number, now: Date): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

const titleOf = (v: { title: string | null; script: string }) => v.title?.trim() || (v.script.length > 60 ? `${v.script.slice(0, 57).trimEnd()}…` : v.script);

/**
 * The dashboard: human plays, average watch %, CTA clicks and human/machine opens per day, top videos and the
 * latest viewers. Users see their own videos; admins and viewers the whole workspace (as the video list).
 */
export class OverviewService {
  constructor(
    private readonly repo: OverviewRepository,
    private readonly storage: Storage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async forPrincipal(p: Principal, days: number): Promise<Overview> {
    const scope = { tenantId: p.tenantId, ownerId: p.role === 'user' ? p.userId : null };
    const period = periodDays(days, this.now());
    const from = period[0]!;
    const [rows, top, plays] = await Promise.all([this.repo.daily(scope, from), this.repo.topVideos(scope, from, 5), this.repo.recentPlays(scope, 10)]);
    const byDay = new Map(rows.map((r) => [r.day, r]));
    const daily: OverviewDay[] = period.map((day) => {
      const r = byDay.get(day);
      return {
        day,
        plays: r?.plays ?? 0,
        average_watch_pct: r ? averageWatchPct(r) : 0,
        cta_clicks: r?.cta_clicks ?? 0,
        opens_human: r?.opens_human ?? 0,
        opens_machine: r?.opens_machine ?? 0,
        opens_unknown: r?.opens_unknown ?? 0,
        delivered: r?.delivered ?? 0,
      };
    });
    const total = (k: keyof (typeof rows)[number]) => rows.reduce((n, r) => n + Number(r[k]), 0);
    const reach = { plays: total('plays'), reached_25: total('reached_25'), reached_50: total('reached_50'), reached_75: total('reached_75'), reached_100: total('reached_100') };
    const furthest = await this.repo.furthest(
      p.tenantId,
      [...new Set(plays.map((e) => e.video_id))],
      plays.flatMap((e) => (e.session_id ? [e.session_id] : [])),
    );
    return {
      days,
      from,
      to: period[period.length - 1]!,
      totals: {
        plays: reach.plays,
        average_watch_pct: averageWatchPct(reach),
        cta_clicks: total('cta_clicks'),
        opens_human: total('opens_human'),
        opens_machine: total('opens_machine'),
        opens_unknown: total('opens_unknown'),
        delivered: total('delivered'),
        clicks_human: total('clicks_human'),
        clicks_machine: total('clicks_machine'),
        completions: total('completions'),
      },
      daily,
      top_videos: await Promise.all(
        top.map(async (v) => ({
          video_id: v.id,
          title: titleOf(v),
          poster_url: v.poster_key ? await this.storage.signedUrl(v.poster_key, POSTER_URL_SECONDS) : null,
          duration_sec: v.duration_sec,
          plays: v.plays,
          average_watch_pct: averageWatchPct(v),
          cta_clicks: v.cta_clicks,
          opens_human: v.opens_human,
        })),
      ),
      recent_viewers: plays.map((e) => ({
        video_id: e.video_id,
        video_title: titleOf(e),
        recipient_id: e.recipient_id,
        name: e.name ?? null,
        email: e.email ?? null,
        watched_pct: (e.session_id && furthest.get(e.session_id)) || 0,
        at: e.created_at.toISOString(),
      })),
    };
  }
}
