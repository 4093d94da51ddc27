import { createRoute, z } from '@hono/zod-openapi';
import { IdParam } from '@mvs/shared/schemas/common';
import { CreateWebhookRequest, UpdateWebhookRequest, Webhook, WebhookDelivery, WebhookWithSecret } from '@mvs/shared/schemas/email-send';
import { errors, json } from '../http/responses';

const tags = ['webhooks'];
const security = [{ bearer: [] }];

export const list = createRoute({
  method: 'get',
  path: '/api/v1/webhooks',
  tags,
  security,
  summary: "Your workspace's webhook endpoints (admin)",
  responses: { 200: json(z.object({ items: z.array(Webhook) }), 'Endpoints'), 401: errors[401], 403: errors[403] },
});

export const create = createRoute({
  method: 'post',
  path: '/api/v1/webhooks',
  tags,
  security,
  summary: 'Register an endpoint; the signing secret is shown only in this answer (admin)',
  description: 'Deliveries carry `X-MVS-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`; see docs/webhooks.md.',
  request: { body: { required: true, content: { 'application/json': { schema: CreateWebhookRequest } } } },
  responses: { 201: json(WebhookWithSecret, 'Created'), 401: errors[401], 403: errors[403], 422: errors[422] },
});

export const get = createRoute({
  method: 'get',
  path: '/api/v1/webhooks/{id}',
  tags,
  security,
  summary: 'One endpoint (admin)',
  request: { params: IdParam },
  responses: { 200: json(Webhook, 'Endpoint'), 401: errors[401], 403: errors[403], 404: errors[404] },
});

export const update = createRoute({
  method: 'patch',
  path: '/api/v1/webhooks/{id}',
  tags,
  security,
  summary: 'Change URL, events, description or pause it (admin)',
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: UpdateWebhookRequest } } } },
  responses: { 200: json(Webhook, 'Updated'), 401: errors[401], 403: errors[403], 404: errors[404], 422: errors[422] },
});

export const remove = createRoute({
  method: 'delete',
  path: '/api/v1/webhooks/{id}',
  tags,
  security,
  summary: 'Delete an endpoint and its delivery log (admin)',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, 401: errors[401], 403: errors[403], 404: errors[404] },
});

export const deliveries = createRoute({
  method: 'get',
  path: '/api/v1/webhooks/{id}/deliveries',
  tags,
  security,
  summary: 'The last 100 deliveries with status, attempts and the last answer (admin)',
  request: { params: IdParam },
  responses: { 200: json(z.object({ items: z.array(WebhookDelivery) }), 'Deliveries'), 401: errors[401], 403: errors[403], 404: errors[404] },
});
