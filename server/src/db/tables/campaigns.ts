import type { Generated } from 'kysely';
import type { CreatedAt, JsonDefault, Timestamp } from './core';

export type CampaignStatus = 'draft' | 'rendering' | 'review' | 'scheduled' | 'sending' | 'sent' | 'paused' | 'canceled' | 'failed';
export type RecipientState =
  | 'pending' | 'held' | 'queued' | 'rendering' | 'rendered' | 'render_failed' | 'approved'
  | 'sending' | 'sent' | 'send_failed' | 'bounced' | 'skipped' | 'canceled';

/** A/B settings and, once decided, the decision (stored as campaigns.ab). */
export interface CampaignAbSettings {
  /** Share of the list in the test (0 < f ≤ 1); the rest waits for the winner. 1 = the whole list is split. */
  test_fraction?: number;
  window_hours?: number;
  min_sample?: number;
  confidence?: number;
  send_winner_to_rest?: boolean;
  decide_at?: string | null;
  decision?: Record<string, unknown> | null;
}

export interface CampaignsTable {
  id: Generated<string>;
  tenant_id: string;
  owner_id: string;
  name: string;
  avatar_id: string;
  list_id: string;
  template_id: string | null;
  language: string;
  renderer: string;
  format: Generated<string>;
  subject: string;
  body: Generated<string>;
  body_html: string | null;
  poster_caption: string | null;
  cta_label: string | null;
  cta_url: string | null;
  email_client: Generated<string>;
  status: Generated<CampaignStatus>;
  /** The status a paused campaign returns to on resume. */
  paused_from: CampaignStatus | null;
  send_at: Timestamp | null;
  ab: JsonDefault<CampaignAbSettings>;
  winner_variant_id: string | null;
  error: string | null;
  render_started_at: Timestamp | null;
  rendered_at: Timestamp | null;
  send_started_at: Timestamp | null;
  sent_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CampaignVariantsTable {
  id: Generated<string>;
  tenant_id: string;
  campaign_id: string;
  /** A, B, C, D. */
  label: string;
  script: string;
  subject: string;
  thumbnail: Generated<'auto' | 'poster' | 'gif'>;
  weight: Generated<number>;
  position: number;
  created_at: CreatedAt;
}

export interface CampaignRecipientsTable {
  id: Generated<string>;
  tenant_id: string;
  campaign_id: string;
  variant_id: string | null;
  contact_id: string | null;
  position: number;
  email: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  pronunciation: string | null;
  values: JsonDefault<Record<string, string | null>>;
  script: string | null;
  subject: string | null;
  caption: string | null;
  state: RecipientState;
  skip_reason: string | null;
  video_id: string | null;
  video_recipient_id: string | null;
  send_key: string | null;
  send_claim: string | null;
  send_committed_at: Timestamp | null;
  message_id: string | null;
  send_attempts: Generated<number>;
  auto_approve: Generated<boolean>;
  next_attempt_at: Timestamp | null;
  error: string | null;
  error_code: string | null;
  approved_at: Timestamp | null;
  sent_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface MailRateBucketsTable {
  driver: string;
  tokens: number;
  refilled_at: Timestamp;
}

export interface MailDailyUsageTable {
  tenant_id: string;
  day: string;
  sent: Generated<number>;
}

// Tables owned by the campaigns feature (and the mail throttle).
export interface CampaignTables {
  campaigns: CampaignsTable;
  campaign_variants: CampaignVariantsTable;
  campaign_recipients: CampaignRecipientsTable;
  mail_rate_buckets: MailRateBucketsTable;
  mail_daily_usage: MailDailyUsageTable;
}
