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
