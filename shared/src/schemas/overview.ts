import { z } from '@hono/zod-openapi';

export const OVERVIEW_PERIODS = ['7', '30', '90'] as const;

export const OverviewQuery = z.object({
  days: z.enum(OVERVIEW_PERIODS).default('30').openapi({ description: 'Period in days, ending today (UTC)', example: '30' }),
});

/** One UTC day of the dashboard series (every day of the period is present, zeros included). */
export const OverviewDay = z
  .object({
    day: z.string().openapi({ example: '2026-11-27' }),
    plays: z.number().int().openapi({ description: 'Human plays (≥ 3 s of playback)' }),
    average_watch_pct: z.number().openapi({ description: 'Mean furthest milestone per human play that day (lower bound)' }),
    cta_clicks: z.number().int(),
    opens_human: z.number().int(),
    opens_machine: z.number().int().openapi({ description: 'Opens by mail privacy proxies and link scanners' }),
    opens_unknown: z.number().int(),
    delivered: z.number().int(),
  })
  .openapi('OverviewDay');
export type OverviewDay = z.infer<typeof OverviewDay>;

export const OverviewTotals = OverviewDay.omit({ day: true })
  .extend({ clicks_human: z.number().int(), clicks_machine: z.number().int(), completions: z.number().int() })
  .openapi('OverviewTotals');

export const TopVideo = z
  .object({
    video_id: z.string().uuid(),
    title: z.string().openapi({ description: 'The title, or the start of the script' }),
    poster_url: z.string().nullable(),
    duration_sec: z.number().nullable(),
    plays: z.number().int(),
    average_watch_pct: z.number(),
    cta_clicks: z.number().int(),
    opens_human: z.number().int(),
  })
  .openapi('TopVideo');
export type TopVideo = z.infer<typeof TopVideo>;

/** A person who recently played a video, with how far that viewing got. */
export const RecentViewer = z
  .object({
    video_id: z.string().uuid(),
    video_title: z.string(),
    recipient_id: z.string().uuid().nullable(),
    name: z.string().nullable(),
    email: z.string().nullable().openapi({ description: 'Null for a viewer of the shared (non-personal) link' }),
    watched_pct: z.number().int().min(0).max(100).openapi({ description: 'Furthest milestone reached in that viewing (0, 25, 50, 75, 100)' }),
    at: z.string().openapi({ description: 'When the viewing started' }),
  })
  .openapi('RecentViewer');
export type RecentViewer = z.infer<typeof RecentViewer>;

/** GET /api/v1/analytics/overview: the dashboard, from the aggregates (users see their own videos; admins and viewers the workspace). */
export const Overview = z
  .object({
    days: z.number().int(),
    from: z.string(),
    to: z.string(),
    totals: OverviewTotals,
    daily: z.array(OverviewDay),
    top_videos: z.array(TopVideo),
    recent_viewers: z.array(RecentViewer),
  })
  .openapi('Overview');
export type Overview = z.infer<typeof Overview>;
