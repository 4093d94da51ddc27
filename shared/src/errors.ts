import { z } from '@hono/zod-openapi';

/** Every machine-readable error code the API can answer with. Add new codes here, grouped by area. */
export const ERROR_CODES = [
  // generic
  'validation_failed', 'not_found', 'forbidden', 'unauthorized', 'conflict', 'rate_limited', 'internal_error',
  'payload_too_large', 'unsupported_media_type', 'unprocessable', 'database_unavailable', 'range_not_satisfiable',
  // request bodies (http/body-guard.ts)
  'json_too_deep', 'invalid_utf8',
  // auth
  'invalid_credentials', 'weak_password', 'email_taken', 'invalid_domain', 'token_expired', 'token_invalid',
  'token_reused', 'user_inactive', 'entra_not_configured', 'entra_tenant_not_allowed', 'entra_user_not_found',
  'too_many_attempts', 'session_revoked', 'server_busy',
  // uploads
  'file_too_large', 'unsupported_file_type', 'unreadable_file', 'image_too_small', 'missing_file',
  // avatars and rendering
  'avatar_not_ready', 'no_face', 'multiple_faces', 'face_too_small', 'face_not_frontal', 'no_photo',
  'script_empty', 'script_too_long', 'render_failed', 'renderer_unavailable', 'video_not_ready',
  'invalid_state', 'consent_required', 'render_quality_failed',
  // providers
  'provider_error', 'provider_auth_failed', 'provider_rate_limited', 'provider_unavailable', 'tts_unavailable',
  // email and tracking
  'idempotency_conflict', 'unsubscribed', 'invalid_signature', 'mail_failed',
  // webhooks
  'url_not_public',
  // contacts, imports, templates
  'empty_file', 'no_valid_rows', 'missing_email_column', 'contact_suppressed', 'template_read_only',
  // campaigns
  'missing_variables', 'list_empty', 'nothing_approved', 'campaign_in_progress',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The one JSON shape of every error response. */
export const ErrorBody = z
  .object({
    code: z.string().openapi({ example: 'not_found' }),
    message: z.string().openapi({ example: 'Video 3f2c…: not found' }),
    requestId: z.string().optional(),
    details: z.unknown().optional(),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;
