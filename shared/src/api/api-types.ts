// Type-only imports: the shared zod schemas stay out of the front-end bundles.
import type { z } from '@hono/zod-openapi';
import type { MeResponse } from '../schemas/auth';
import type {
  Webhook as WebhookSchema,
  WebhookDelivery as WebhookDeliverySchema,
  WebhookEventName as WebhookEventNameSchema,
  WebhookWithSecret as WebhookWithSecretSchema,
} from '../schemas/email-send';
export type { Video, CreateVideoRequest, VideoProgressEvent, VideoStatus } from '../schemas/videos';
export type { Avatar, VoiceSettings } from '../schemas/avatars';
export type {
  DraftScriptRequest,
  DraftScriptResponse,
  SummarizeRequest,
  SummarizeResponse,
  EmailAddress,
  Tone,
  ScriptLength,
} from '../schemas/emails';
export type { User } from '../schemas/auth';
export type { Role } from '../schemas/common';
export type { Recipient, VideoAnalytics, Notification } from '../schemas/analytics';
export type { Overview, OverviewDay, TopVideo, RecentViewer } from '../schemas/overview';
export type { TenantSettings, UpdateSettingsRequest, ProviderKey, ProviderName } from '../schemas/settings';
export type { AuditEntry } from '../schemas/audit';
export type { Template, TemplatePreview, TemplateUseCase } from '../schemas/templates';
export type { Contact, ContactList, ImportReport, ImportRefusal } from '../schemas/contacts';
export type { Campaign, CampaignAnalytics, CampaignRecipient, CampaignStatus, CreateCampaignRequest, RecipientCounts, RecipientState, UpdateCampaignRequest } from '../schemas/campaigns';

/** GET /api/v1/auth/config: what sign-in methods this server offers. */
export interface AuthConfig {
  entra: { client_id: string; authority: string; scopes: string[] } | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

/** GET /api/v1/auth/me */
export type Me = z.infer<typeof MeResponse>;

export type WebhookEventName = z.infer<typeof WebhookEventNameSchema>;
export type Webhook = z.infer<typeof WebhookSchema>;
export type WebhookWithSecret = z.infer<typeof WebhookWithSecretSchema>;
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

/** GET /api/v1/avatars/{id}/mouth-shapes: the prepared sprites, as signed image URLs. */
export interface MouthShapes {
  format: string;
  width: number;
  height: number;
  mouth_box: { x: number; y: number; w: number; h: number };
  eyes_box: { x: number; y: number; w: number; h: number };
  items: { name: string; kind: 'mouth' | 'closed' | 'rounded' | 'blink'; url: string }[];
}
