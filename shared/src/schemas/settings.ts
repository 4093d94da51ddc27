import { z } from '@hono/zod-openapi';

/** Logo upload limits, shared by the server check and the portal's hint. */
export const LOGO_LIMITS = { maxBytes: 2 * 1024 * 1024, types: ['image/png', 'image/jpeg'], maxSide: 512 } as const;

export const HexColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'use a colour like #0F6CBD')
  .transform((s) => s.toUpperCase())
  .openapi({ example: '#0F6CBD' });

/** Branding on the poster and the watch page (stored as tenants.settings.branding = { primary_color, logo_key }). */
export const Branding = z
  .object({
    primary_color: z.string().nullable().openapi({ example: '#0F6CBD', description: 'Accent colour of the play button and the watch page; null = default' }),
    logo_url: z.string().nullable().openapi({ description: 'Signed, expiring URL of the uploaded logo; null = none' }),
  })
  .openapi('Branding');

/** How tracking treats recipients. */
export const TrackingSettings = z
  .object({
    privacy_mode: z.boolean().openapi({ description: 'Do not count email opens (no tracking pixel); watch-page views, plays and clicks are still counted' }),
    watch_link_days: z.number().int().min(1).max(3650).nullable().openapi({ description: 'Watch links stop working this many days after the video was made; null = never' }),
  })
  .openapi('TrackingSettings');

export const WorkspaceNotificationSettings = z
  .object({
    email_on_first_view_default: z.boolean().openapi({ description: 'Team members who have not chosen get an email when a recipient first watches' }),
  })
  .openapi('WorkspaceNotificationSettings');

/** GET /api/v1/settings: the workspace's settings. */
export const TenantSettings = z
  .object({
    workspace: z.object({ id: z.string().uuid(), name: z.string(), domain: z.string() }),
    branding: Branding,
    tracking: TrackingSettings,
    notifications: WorkspaceNotificationSettings,
  })
  .openapi('TenantSettings');
export type TenantSettings = z.infer<typeof TenantSettings>;

/** PATCH /api/v1/settings: only the fields sent change (admin). */
export const UpdateSettingsRequest = z
  .object({
    workspace: z.object({ name: z.string().trim().min(1).max(200) }).partial().optional(),
    branding: z.object({ primary_color: HexColor.nullable() }).partial().optional(),
    tracking: TrackingSettings.partial().optional(),
    notifications: WorkspaceNotificationSettings.partial().optional(),
  })
  .strict()
  .openapi('UpdateSettingsRequest');
export type UpdateSettingsRequest = z.infer<typeof UpdateSettingsRequest>;

const binary = (description: string) => z.any().optional().openapi({ type: 'string', format: 'binary', description });
export const LogoUpload = z.object({ logo: binary('PNG or JPEG, ≤ 2 MB; scaled to fit 512 px') }).openapi('LogoUpload');

// --- Provider keys (per-tenant API keys, encrypted at rest; built by the security work) ---

/** The providers a workspace may bring its own key for. */
export const PROVIDERS = ['openai', 'elevenlabs', 'heygen', 'sendgrid'] as const;
export const ProviderName = z.enum(PROVIDERS).openapi('ProviderName');
export type ProviderName = z.infer<typeof ProviderName>;

export const ProviderParam = z.object({
  provider: ProviderName.openapi({ param: { name: 'provider', in: 'path' }, example: 'openai' }),
});

/** One provider's key as the API shows it: never the key, only its last 4 characters. */
export const ProviderKey = z
  .object({
    provider: ProviderName,
    configured: z.boolean().openapi({ description: 'The workspace stored its own key' }),
    last4: z.string().nullable().openapi({ example: 'x9Qa', description: 'Last 4 characters of the stored key' }),
    base_url: z.string().nullable().openapi({ description: 'Endpoint override (an OpenAI-compatible server, a regional API); null = the default' }),
    key_id: z.string().nullable().openapi({ description: 'Id of the encryption key that seals the stored value (changes after a rotation)' }),
    updated_at: z.string().nullable(),
    updated_by: z.string().uuid().nullable().openapi({ description: 'User id of who stored it' }),
    updated_by_email: z.string().nullable(),
    server_configured: z.boolean().openapi({ description: "The server has its own key for this provider (environment), used when the workspace has none" }),
  })
  .openapi('ProviderKey');
export type ProviderKey = z.infer<typeof ProviderKey>;

export const ProviderKeyList = z.object({ items: z.array(ProviderKey) }).openapi('ProviderKeyList');

/** PUT /api/v1/settings/provider-keys/{provider}. */
export const PutProviderKeyRequest = z
  .object({
    api_key: z
      .string()
      .trim()
      .min(8, 'api_key: at least 8 characters')
      .max(500)
      .regex(/^[\x21-\x7e]+$/, 'api_key: printable ASCII without spaces, as providers issue them')
      .openapi({ example: 'sk-proj-…' }),
    base_url: z.string().trim().url().max(500).nullable().optional().openapi({ example: 'https://api.openai.com/v1' }),
  })
  .strict()
  .openapi('PutProviderKeyRequest');
export type PutProviderKeyRequest = z.infer<typeof PutProviderKeyRequest>;

/** POST /api/v1/settings/provider-keys/rotate: how many stored secrets were re-encrypted, and under which key. */
export const RotateKeysResponse = z.object({ rotated: z.number().int(), key_id: z.string() }).openapi('RotateKeysResponse');
