import { createRoute } from '@hono/zod-openapi';
import { ChangePasswordRequest, LoginRequest, LogoutRequest, MeResponse, RefreshRequest, RegisterRequest, RegisterResponse, TokenResponse } from '@mvs/shared/schemas/auth';
import { errors, json } from '../http/responses';

const tags = ['auth'];

export const register = createRoute({
  method: 'post',
  path: '/api/v1/auth/register',
  tags,
  summary: 'Create a workspace (tenant) and its first admin user',
  description:
    'Send the workspace domain as `tenant_domain` (the seed\'s name) or `domain` (alias). ' +
    'Registrations per client address are limited (429 `too_many_attempts` with `Retry-After`).',
  request: { body: { required: true, content: { 'application/json': { schema: RegisterRequest } } } },
  responses: { 201: json(RegisterResponse, 'Workspace created; tokens for the new admin'), 409: errors[409], 422: errors[422], 429: errors[429] },
});

export const login = createRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  tags,
  summary: 'Sign in (OAuth2 password flow: form-encoded username/password; JSON accepted too)',
  description:
    'Failed attempts are throttled per account and per client address: after a few, the next attempt must wait ' +
    '(429 `too_many_attempts`, `Retry-After` in seconds), and after 10 on one account (50 from one address) sign-in ' +
    'is locked for 15 minutes, also for the right password. An admin can lift an account lock.',
  request: {
    body: {
      required: false,
      content: {
        'application/x-www-form-urlencoded': { schema: LoginRequest },
        'application/json': { schema: LoginRequest },
      },
    },
  },
  responses: { 200: json(TokenResponse, 'Access and refresh tokens'), 401: errors[401], 403: errors[403], 422: errors[422], 429: errors[429] },
});

export const refresh = createRoute({
  method: 'post',
  path: '/api/v1/auth/refresh',
  tags,
  summary: 'Trade a refresh token for new tokens (rotation; reuse revokes the family)',
  request: { body: { required: true, content: { 'application/json': { schema: RefreshRequest } } } },
  responses: { 200: json(TokenResponse, 'New tokens'), 401: errors[401], 422: errors[422], 429: errors[429] },
});

export const logout = createRoute({
  method: 'post',
  path: '/api/v1/auth/logout',
  tags,
  summary: 'Sign out: end the session of the refresh token (or of the bearer access token)',
  description: 'The session ends at once: its refresh tokens and its access tokens are refused from now on (401 `session_revoked`).',
  security: [{ bearer: [] }, {}],
  request: { body: { required: false, content: { 'application/json': { schema: LogoutRequest } } } },
  responses: { 204: { description: 'Signed out' }, 422: errors[422] },
});

export const me = createRoute({
  method: 'get',
  path: '/api/v1/auth/me',
  tags,
  summary: 'The signed-in user and their workspace',
  security: [{ bearer: [] }],
  responses: { 200: json(MeResponse, 'Current user'), 401: errors[401] },
});


export const changePassword = createRoute({
  method: 'post',
  path: '/api/v1/auth/password',
  tags,
  summary: 'Change your password (your other sessions are signed out)',
  description: 'A wrong current password counts as a failed sign-in (throttled like login).',
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: ChangePasswordRequest } } } },
  responses: { 204: { description: 'Changed' }, 401: errors[401], 422: errors[422], 429: errors[429] },
});
