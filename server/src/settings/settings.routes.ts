import { createRoute } from '@hono/zod-openapi';
import { LogoUpload, TenantSettings, UpdateSettingsRequest } from '@mvs/shared/schemas/settings';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env';
import { errors, json } from '../http/responses';

const tags = ['settings'];
const security = [{ bearer: [] }];

export const get = createRoute({
  method: 'get',
  path: '/api/v1/settings',
  tags,
  security,
  summary: "The workspace's settings: branding, tracking privacy, notification defaults",
  responses: { 200: json(TenantSettings, 'Settings'), 401: errors[401] },
});

export const update = createRoute({
  method: 'patch',
  path: '/api/v1/settings',
  tags,
  security,
  summary: 'Change workspace settings; only the fields sent change (admin, audited)',
  request: { body: { required: true, content: { 'application/json': { schema: UpdateSettingsRequest } } } },
  responses: { 200: json(TenantSettings, 'Saved'), 401: errors[401], 403: errors[403], 422: errors[422] },
});

export const uploadLogo = (middleware: MiddlewareHandler<AppEnv>[]) =>
  createRoute({
    method: 'post',
    path: '/api/v1/settings/branding/logo',
    middleware,
    tags,
    security,
    summary: 'Upload the logo shown on posters and watch pages (PNG or JPEG by content, ≤ 2 MB; admin, audited)',
    request: { body: { required: false, content: { 'multipart/form-data': { schema: LogoUpload } } } },
    responses: { 200: json(TenantSettings, 'Stored'), 401: errors[401], 403: errors[403], 413: errors[413], 415: errors[415], 422: errors[422] },
  });

export const removeLogo = createRoute({
  method: 'delete',
  path: '/api/v1/settings/branding/logo',
  tags,
  security,
  summary: 'Remove the logo (admin, audited)',
  responses: { 200: json(TenantSettings, 'Removed'), 401: errors[401], 403: errors[403] },
});
