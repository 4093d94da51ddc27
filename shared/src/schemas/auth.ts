import { z } from '@hono/zod-openapi';
import { Role } from './common';

/** Password policy shared by server validation and front-end hints. */
export const PASSWORD_RULES = [
  { id: 'min_length', test: (p: string) => p.length >= 8, message: 'at least 8 characters' },
  { id: 'uppercase', test: (p: string) => /[A-Z]/.test(p), message: 'an uppercase letter' },
  { id: 'lowercase', test: (p: string) => /[a-z]/.test(p), message: 'a lowercase letter' },
  { id: 'digit', test: (p: string) => /[0-9]/.test(p), message: 'a digit' },
] as const;

/** Returns the rules a password breaks (empty when it passes). */
export function passwordProblems(password: string): { id: string; message: string }[] {
  return PASSWORD_RULES.filter((r) => !r.test(password)).map(({ id, message }) => ({ id, message }));
}

export const DOMAIN_RE = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.[a-z]{2,63}$/i;

/**
 * Register body. The seed documents `tenant_domain`; `domain` is kept as an alias. Send one of them (both
 * only if they agree).
 */
export const RegisterRequest = z
  .object({
    tenant_name: z.string().trim().min(1).max(200).openapi({ example: 'Acme Realty' }),
    tenant_domain: z
      .string()
      .trim()
      .max(253)
      .optional()
      .openapi({ example: 'acme.example', description: "The workspace's email domain (the seed's field name)" }),
    domain: z.string().trim().max(253).optional().openapi({ example: 'acme.example', description: 'Alias of tenant_domain' }),
    email: z.string().trim().toLowerCase().email().max(254).openapi({ example: 'owner@acme.example' }),
    password: z.string().max(200).openapi({ example: 'Sup3rSecret' }),
    full_name: z.string().trim().max(200).optional().openapi({ example: 'Lan Nguyen' }),
  })
  .superRefine((b, ctx) => {
    if (b.tenant_domain === undefined && b.domain === undefined) {
      ctx.addIssue({ code: 'custom', path: ['tenant_domain'], message: 'send the workspace domain as tenant_domain (or domain)' });
    } else if (b.tenant_domain !== undefined && b.domain !== undefined && b.tenant_domain.toLowerCase() !== b.domain.toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['domain'], message: 'tenant_domain and domain differ; send one of them' });
    }
  })
  .openapi('RegisterRequest', { description: 'Send the workspace domain as tenant_domain (the seed\'s name) or domain (alias): one of them is required.' });
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const LoginRequest = z
  .object({
    username: z.string().trim().toLowerCase().min(1).openapi({ example: 'admin@demo.com' }),
    password: z.string().min(1).openapi({ example: 'admin123' }),
  })
  .openapi('LoginRequest');

export const RefreshRequest = z.object({ refresh_token: z.string().min(1) }).openapi('RefreshRequest');

/** Logout: the refresh token of the session to end; without it, the session of the bearer access token ends. */
export const LogoutRequest = z.object({ refresh_token: z.string().min(1).optional() }).openapi('LogoutRequest');

export const ChangePasswordRequest = z
  .object({
    current_password: z.string().min(1).max(200),
    new_password: z.string().max(200).openapi({ description: 'Must meet the password policy; your other sessions are signed out.' }),
  })
  .openapi('ChangePasswordRequest');

/** An active sign-in of a user (admins see them per user). */
export const Session = z
  .object({
    id: z.string().uuid(),
    method: z.enum(['password', 'entra', 'register']),
    user_agent: z.string().nullable(),
    ip_hash: z.string().nullable().openapi({ description: 'Salted hash of the client IP: the same value means the same address' }),
    created_at: z.string(),
    refreshed_at: z.string().nullable(),
  })
  .openapi('Session');

export const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('bearer'),
    refresh_token: z.string(),
    expires_in: z.number().int().openapi({ example: 1800 }),
  })
  .openapi('TokenResponse');
export type TokenResponse = z.infer<typeof TokenResponse>;

export const User = z
  .object({
    id: z.string().uuid(),
    tenant_id: z.string().uuid(),
    email: z.string(),
    full_name: z.string().nullable(),
    role: Role,
    is_active: z.boolean(),
    created_at: z.string(),
    locked_until: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: 'Set while sign-in is locked after too many failed attempts (admins can lift it: DELETE /api/v1/users/{id}/lockout)' }),
  })
  .openapi('User');
export type User = z.infer<typeof User>;

export const Tenant = z
  .object({ id: z.string().uuid(), name: z.string(), domain: z.string(), created_at: z.string() })
  .openapi('Tenant');

export const RegisterResponse = z.object({ tenant: Tenant, user: User, tokens: TokenResponse }).openapi('RegisterResponse');
export const MeResponse = z.object({ user: User, tenant: Tenant }).openapi('MeResponse');

export const InviteUserRequest = z
  .object({
    email: z.string().trim().toLowerCase().email().max(254),
    full_name: z.string().trim().max(200).optional(),
    role: Role.default('user'),
    password: z.string().max(200).openapi({ description: 'Initial password; must meet the password policy.' }),
  })
  .openapi('InviteUserRequest');
export const UpdateUserRequest = z
  .object({ role: Role.optional(), is_active: z.boolean().optional(), full_name: z.string().trim().max(200).optional() })
  .openapi('UpdateUserRequest');
