import { createRoute } from '@hono/zod-openapi';
import { ProviderKey, ProviderKeyList, ProviderParam, PutProviderKeyRequest, RotateKeysResponse } from '@mvs/shared/schemas/settings';
import { errors, json } from '../http/responses';

const tags = ['settings'];
const security = [{ bearer: [] }];

export const list = createRoute({
  method: 'get',
  path: '/api/v1/settings/provider-keys',
  tags,
  security,
  summary: "The workspace's provider keys: which are set, their last 4 characters, never the keys (admin)",
  responses: { 200: json(ProviderKeyList, 'One item per provider (openai, elevenlabs, heygen, sendgrid)'), 401: errors[401], 403: errors[403] },
});

export const put = createRoute({
  method: 'put',
  path: '/api/v1/settings/provider-keys/{provider}',
  tags,
  security,
  summary: "Store (or replace) the workspace's key for a provider; encrypted at rest, used instead of the server's (admin)",
  description: 'The key is sealed with AES-256-GCM and never returned; the answer shows its last 4 characters. A `base_url` must not resolve to a private address (422 `url_not_public`).',
  request: { params: ProviderParam, body: { required: true, content: { 'application/json': { schema: PutProviderKeyRequest } } } },
  responses: { 200: json(ProviderKey, 'Stored'), 401: errors[401], 403: errors[403], 422: errors[422] },
});

export const remove = createRoute({
  method: 'delete',
  path: '/api/v1/settings/provider-keys/{provider}',
  tags,
  security,
  summary: "Delete the workspace's key for a provider (the server's key, if any, is used again) (admin)",
  request: { params: ProviderParam },
  responses: { 204: { description: 'Deleted' }, 401: errors[401], 403: errors[403], 404: errors[404] },
});

export const rotate = createRoute({
  method: 'post',
  path: '/api/v1/settings/provider-keys/rotate',
  tags,
  security,
  summary: "Re-encrypt the workspace's stored secrets (provider keys, webhook signing secrets) under the server's current key (admin)",
  responses: { 200: json(RotateKeysResponse, 'Re-encrypted'), 401: errors[401], 403: errors[403] },
});
