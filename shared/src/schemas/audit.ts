import { z } from '@hono/zod-openapi';
import { PageQuery, pageOf, Uuid } from './common';

/** GET /api/v1/audit query: page, page_size, and optional filters. */
export const AuditQuery = PageQuery.extend({
  action: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[a-z0-9_.]+\*?$/, 'action: letters, digits, "_" and "." (a trailing * matches a prefix, e.g. auth.*)')
    .optional()
    .openapi({ example: 'auth.login_failed', description: 'Exact action, or a prefix ending in * (e.g. auth.*)' }),
  user_id: Uuid.optional().openapi({ description: 'Only actions by this user' }),
});

/** One audited action: who, what, when, from which (hashed) address. */
export const AuditEntry = z
  .object({
    id: z.number().int(),
    action: z.string().openapi({ example: 'user.role_changed' }),
    user_id: z.string().uuid().nullable().openapi({ description: 'Who acted (null: the system)' }),
    user_email: z.string().nullable(),
    target_type: z.string().nullable().openapi({ example: 'user' }),
    target_id: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable().openapi({ example: { from: 'user', to: 'admin' } }),
    ip_hash: z.string().nullable().openapi({ description: 'Salted hash of the client IP: equal values mean the same address; the address itself is not stored' }),
    created_at: z.string(),
  })
  .openapi('AuditEntry');
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = pageOf(AuditEntry, 'AuditPage');

/** The actions recorded (others may be added by features; this list is for filters in the UI). */
export const AUDIT_ACTIONS = [
  'auth.login', 'auth.login_failed', 'auth.locked', 'auth.logout', 'auth.password_changed', 'auth.refresh_reuse_detected', 'auth.entra_login', 'auth.entra_linked',
  'tenant.registered', 'user.invited', 'user.role_changed', 'user.deactivated', 'user.reactivated', 'user.updated', 'user.signed_out_everywhere', 'user.lockout_lifted',
  'avatar.created', 'avatar.updated', 'avatar.deleted', 'avatar.photo_uploaded', 'avatar.voice_uploaded', 'avatar.consent_given', 'avatar.generate',
  'video.created', 'video.canceled', 'video.deleted', 'recording.uploaded', 'recording.deleted',
  'webhook.created', 'webhook.updated', 'webhook.deleted', 'provider_key.set', 'provider_key.deleted', 'secrets.rotated',
] as const;
