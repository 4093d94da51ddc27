import { z } from '@hono/zod-openapi';

/** Adds a recipient to a video: they get their own watch and thumbnail links, so their events are attributed. */
export const AddRecipientRequest = z
  .object({
    email: z.string().trim().toLowerCase().email().max(254).openapi({ example: 'lan@customer.example' }),
    name: z.string().trim().min(1).max(200).optional().openapi({ example: 'Lan Nguyen' }),
  })
  .openapi('AddRecipientRequest');

/** A video's recipient with their personal links (each slug carries 128 random bits). */
export const Recipient = z
  .object({
    id: z.string().uuid(),
    video_id: z.string().uuid(),
    email: z.string(),
    name: z.string().nullable(),
    slug: z.string(),
    watch_url: z.string().url(),
    poster_url: z.string().url(),
    gif_url: z.string().url(),
    delivered_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Recipient');
export type Recipient = z.infer<typeof Recipient>;

export const RecipientList = z.object({ items: z.array(Recipient) }).openapi('RecipientList');

/** Counters kept as aggregates; opens and clicks split by who made them, plays and later only from people. */
export const Counters = z
  .object({
    delivered: z.number().int(),
    opens_human: z.number().int(),
    opens_machine: z.number().int(),
    opens_unknown: z.number().int(),
    clicks_human: z.number().int(),
    clicks_machine: z.number().int(),
    clicks_unknown: z.number().int(),
    plays: z.number().int().openapi({ description: 'Human plays (≥ 3 s of playback reported by the player)' }),
    reached_25: z.number().int(),
    reached_50: z.number().int(),
    reached_75: z.number().int(),
    reached_100: z.number().int(),
    completions: z.number().int(),
    cta_clicks: z.number().int(),
    machine_beacons: z.number().int().openapi({ description: 'Player reports classified machine or unknown (not counted above)' }),
  })
  .openapi('Counters');
export type Counters = z.infer<typeof Counters>;

export const WatchSummary = z
  .object({
    average_pct: z.number().openapi({ description: 'Mean furthest milestone reached per human play (lower bound)' }),
    distribution: z.array(z.object({ bucket: z.enum(['0-24', '25-49', '50-74', '75-99', '100']), count: z.number().int() })),
  })
  .openapi('WatchSummary');

export const CounterRow = Counters.extend({ watch: WatchSummary });

/** "% of human viewers still watching at each second", from the furthest second each human view played to. */
export const WatchCurve = z
  .object({
    duration_sec: z.number().openapi({ description: 'Length of the video in seconds (the last point is its last whole second)' }),
    viewers: z.number().int().openapi({ description: 'Human page views whose player started playing (machines excluded)' }),
    points: z
      .array(
        z.object({
          second: z.number().int(),
          still_watching_pct: z.number().openapi({ description: 'Share of `viewers` whose playback reached this second, 0–100 (one decimal)' }),
        }),
      )
      .openapi({ description: 'One point per second from 0 to the end of the video' }),
  })
  .openapi('WatchCurve');
export type WatchCurve = z.infer<typeof WatchCurve>;

export const VideoAnalytics = z
  .object({
    video_id: z.string().uuid(),
    totals: CounterRow,
    shared_link: CounterRow.openapi({ description: 'Events through the video link that is not tied to a recipient' }),
    recipients: z.array(
      CounterRow.extend({ recipient_id: z.string().uuid(), email: z.string(), name: z.string().nullable(), delivered_at: z.string().nullable() }),
    ),
    daily: z.array(Counters.extend({ day: z.string().openapi({ example: '2026-11-27' }) })),
    watch_curve: WatchCurve,
  })
  .openapi('VideoAnalytics');
export type VideoAnalytics = z.infer<typeof VideoAnalytics>;

/** An in-app notification; `message` is in the reader's language. */
export const Notification = z
  .object({
    id: z.string().uuid(),
    kind: z.literal('video.first_view'),
    message: z.string(),
    video_id: z.string().uuid().nullable(),
    recipient: z.object({ id: z.string().uuid(), email: z.string(), name: z.string().nullable() }).nullable(),
    email_status: z.enum(['not_requested', 'pending', 'sent', 'failed']),
    read_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Notification');
export type Notification = z.infer<typeof Notification>;

export const NotificationList = z
  .object({ items: z.array(Notification), unread: z.number().int() })
  .openapi('NotificationList');

export const NotificationQuery = z.object({
  unread: z.enum(['true', 'false']).optional().openapi({ description: 'Only unread ones when true' }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const NotificationSettings = z
  .object({ email_on_first_view: z.boolean().openapi({ description: 'Also email me when a recipient first watches' }) })
  .openapi('NotificationSettings');
