import { z } from '@hono/zod-openapi';

export const EmailClientName = z.enum(['outlook', 'gmail', 'apple', 'generic']).openapi('EmailClient');

export const SendRecipient = z.object({
  email: z.string().trim().email().max(254),
  name: z.string().trim().max(200).optional(),
});

/** POST /api/v1/emails/send. Put `{{video}}` where the video block goes (else on top); `{{first_name}}`, `{{name}}` are filled per recipient. */
export const SendEmailRequest = z
  .object({
    video_id: z.string().uuid(),
    to: z.array(SendRecipient).min(1).max(100),
    subject: z.string().trim().min(1).max(300),
    body_text: z.string().max(100_000).optional(),
    body_html: z.string().max(200_000).optional(),
    client: EmailClientName.optional(),
    /** Alternative to the Idempotency-Key header. */
    idempotency_key: z.string().min(8).max(200).optional(),
  })
  .openapi('SendEmailRequest');
export type SendEmailRequest = z.infer<typeof SendEmailRequest>;

export const SendResult = z.object({
  email: z.string(),
  status: z.enum(['sent', 'failed', 'skipped']),
  /** skipped: unsubscribed | bounced | spamreport | duplicate; failed: the provider's error. */
  reason: z.string().nullable(),
  message_id: z.string().uuid().nullable(),
  recipient_id: z.string().uuid().nullable(),
  watch_url: z.string().nullable(),
});

export const SendEmailResponse = z
  .object({
    send_id: z.string().uuid(),
    idempotency_key: z.string(),
    provider: z.enum(['outbox', 'smtp', 'sendgrid']),
    sent: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    results: z.array(SendResult),
  })
  .openapi('SendEmailResponse');
export type SendEmailResponse = z.infer<typeof SendEmailResponse>;

export const OutboxMessage = z
  .object({
    id: z.string().uuid(),
    video_id: z.string().uuid(),
    recipient_id: z.string().uuid(),
    to: z.object({ email: z.string(), name: z.string().nullable() }),
    from: z.string(),
    subject: z.string(),
    provider: z.string(),
    provider_message_id: z.string().nullable(),
    status: z.enum(['queued', 'sent', 'failed', 'bounced']),
    error: z.string().nullable(),
    created_at: z.string(),
    sent_at: z.string().nullable(),
  })
  .openapi('OutboxMessage');
export const OutboxMessageDetail = OutboxMessage.extend({
  html: z.string(),
  text: z.string(),
  headers: z.record(z.string(), z.string()),
}).openapi('OutboxMessageDetail');

export const WEBHOOK_EVENTS = [
  'video.completed', 'video.failed', 'email.sent', 'video.viewed', 'video.progress', 'cta.clicked',
  'campaign.rendered', 'campaign.sending', 'campaign.sent', 'campaign.recipient_failed', 'campaign.ab_decided',
] as const;
export const WebhookEventName = z.enum(WEBHOOK_EVENTS).openapi('WebhookEvent');

export const CreateWebhookRequest = z
  .object({
    url: z.string().url().max(2000),
    events: z.array(WebhookEventName).min(1),
    description: z.string().max(200).optional(),
  })
  .openapi('CreateWebhookRequest');
export const UpdateWebhookRequest = z
  .object({
    url: z.string().url().max(2000).optional(),
    events: z.array(WebhookEventName).min(1).optional(),
    description: z.string().max(200).nullable().optional(),
    active: z.boolean().optional(),
  })
  .openapi('UpdateWebhookRequest');

export const Webhook = z
  .object({
    id: z.string().uuid(),
    url: z.string(),
    events: z.array(WebhookEventName),
    description: z.string().nullable(),
    active: z.boolean(),
    created_at: z.string(),
  })
  .openapi('Webhook');
/** The create answer: the only time the signing secret is shown. */
export const WebhookWithSecret = Webhook.extend({ secret: z.string() }).openapi('WebhookWithSecret');

export const WebhookDelivery = z
  .object({
    id: z.string().uuid(),
    event: WebhookEventName,
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    last_status: z.number().int().nullable(),
    last_error: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()),
    created_at: z.string(),
    last_attempt_at: z.string().nullable(),
    delivered_at: z.string().nullable(),
  })
  .openapi('WebhookDelivery');
