import type { Generated } from 'kysely';
import type { CreatedAt, Json, Timestamp } from './core';

export type MessageStatus = 'queued' | 'sent' | 'failed' | 'bounced';
export type MailProvider = 'outbox' | 'smtp' | 'sendgrid';

/** One POST /emails/send, keyed by its idempotency key; `response` is set once the request finished. */
export interface EmailSendsTable {
  id: Generated<string>;
  tenant_id: string;
  user_id: string;
  video_id: string;
  idempotency_key: string;
  /** SHA-256 of the canonical request body: the same key with another body is a conflict. */
  request_hash: string;
  response: Json<Record<string, unknown>> | null;
  created_at: CreatedAt;
}

/** One email to one recipient (also the outbox of the `outbox` driver). */
export interface EmailMessagesTable {
  id: Generated<string>;
  tenant_id: string;
  send_id: string;
  video_id: string;
  recipient_id: string;
  idempotency_key: string;
  to_email: string;
  to_name: string | null;
  from_address: string;
  subject: string;
  html: string;
  text: string;
  headers: Json<Record<string, string>>;
  provider: MailProvider;
  provider_message_id: string | null;
  status: MessageStatus;
  error: string | null;
  /** Engagement reported by the provider (SendGrid open/click events), kept apart from our own tracking. */
  provider_opened_at: Timestamp | null;
  provider_clicked_at: Timestamp | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

/** Addresses a tenant must not email again (unsubscribed, bounced, marked as spam). */
export interface EmailSuppressionsTable {
  tenant_id: string;
  email: string;
  reason: 'unsubscribed' | 'bounced' | 'spamreport';
  created_at: CreatedAt;
}

/** SendGrid event ids already applied (the webhook may deliver the same event twice). */
export interface ProviderEventsTable {
  event_id: string;
  tenant_id: string | null;
  message_id: string | null;
  event: string;
  created_at: CreatedAt;
}

export type WebhookEvent =
  | 'video.completed' | 'video.failed' | 'email.sent' | 'video.viewed' | 'video.progress' | 'cta.clicked'
  | 'campaign.rendered' | 'campaign.sending' | 'campaign.sent' | 'campaign.recipient_failed' | 'campaign.ab_decided';

export interface WebhookEndpointsTable {
  id: Generated<string>;
  tenant_id: string;
  url: string;
  events: Json<WebhookEvent[]>;
  /** HMAC key for X-MVS-Signature; shown to the admin once, at creation. */
  secret: string;
  description: string | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
}

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  tenant_id: string;
  endpoint_id: string;
  event: WebhookEvent;
  payload: Json<Record<string, unknown>>;
  status: 'pending' | 'delivered' | 'failed';
  attempts: Generated<number>;
  last_status: number | null;
  last_error: string | null;
  created_at: CreatedAt;
  last_attempt_at: Timestamp | null;
  delivered_at: Timestamp | null;
}

// Tables owned by the email feature.
export interface EmailTables {
  email_sends: EmailSendsTable;
  email_messages: EmailMessagesTable;
  email_suppressions: EmailSuppressionsTable;
  provider_events: ProviderEventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
