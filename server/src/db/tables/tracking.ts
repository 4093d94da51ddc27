import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Json, Timestamp } from './core';

export type Classification = 'human' | 'machine' | 'unknown';
export type TrackEventType = 'open' | 'click' | 'play' | 'progress' | 'complete' | 'cta';

export interface VideoRecipientsTable {
  id: Generated<string>;
  tenant_id: string;
  video_id: string;
  email: string;
  name: string | null;
  /** Per-recipient watch slug (128 random bits, base64url); resolves on the same /v/{slug} paths. */
  slug: string;
  delivered_at: Timestamp | null;
  unsubscribed_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface TrackingEventsTable {
  id: Generated<number>;
  tenant_id: string;
  video_id: string;
  recipient_id: string | null;
  session_id: string | null;
  type: TrackEventType;
  /** Progress milestone (25/50/75/100). */
  value: number | null;
  classification: Classification;
  reason: string;
  /** Salted hash of the client IP; the raw IP is never stored. */
  ip_hash: string | null;
  user_agent: string | null;
  dedup_key: string | null;
  created_at: CreatedAt;
}

type Counter = Generated<number>;

/** Aggregates per video and scope: 'all', 'd:<day>', 'r:<recipient id>', 'link' (the shared, non-recipient link). */
export interface VideoStatsTable {
  video_id: string;
  scope: string;
  tenant_id: string;
  day: ColumnType<string | null, string | null | undefined, string | null> | null;
  recipient_id: string | null;
  delivered: Counter;
  opens_human: Counter;
  opens_machine: Counter;
  opens_unknown: Counter;
  clicks_human: Counter;
  clicks_machine: Counter;
  clicks_unknown: Counter;
  plays: Counter;
  reached_25: Counter;
  reached_50: Counter;
  reached_75: Counter;
  reached_100: Counter;
  completions: Counter;
  cta_clicks: Counter;
  machine_beacons: Counter;
  updated_at: Generated<Timestamp>;
}

export interface NotificationsTable {
  id: Generated<string>;
  tenant_id: string;
  user_id: string;
  kind: 'video.first_view';
  video_id: string | null;
  recipient_id: string | null;
  data: Json<Record<string, unknown>>;
  /** not_requested | pending (no mailer yet) | sent | failed */
  email_status: Generated<string>;
  read_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface NotificationPrefsTable {
  user_id: string;
  tenant_id: string;
  email_on_first_view: Generated<boolean>;
  updated_at: Generated<Timestamp>;
}

// Tables owned by the tracking feature.
export interface TrackingTables {
  video_recipients: VideoRecipientsTable;
  tracking_events: TrackingEventsTable;
  video_stats: VideoStatsTable;
  notifications: NotificationsTable;
  notification_prefs: NotificationPrefsTable;
}
