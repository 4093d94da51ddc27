import { createRoute, z } from '@hono/zod-openapi';
import { IdParam, PageQuery, pageOf } from '@mvs/shared/schemas/common';
import { OutboxMessage, OutboxMessageDetail, SendEmailRequest, SendEmailResponse } from '@mvs/shared/schemas/email-send';
import { errors, json } from '../http/responses';

const tags = ['emails'];
const security = [{ bearer: [] }];

export const send = createRoute({
  method: 'post',
  path: '/api/v1/emails/send',
  tags,
  security,
  summary: 'Email a finished video to up to 100 recipients (user+)',
  description:
    'Each recipient gets personal watch and thumbnail links. Put `{{video}}` in the body where the video goes (else on top); ' +
    '`{{first_name}}` and `{{name}}` are filled in. Send an `Idempotency-Key` header (or `idempotency_key`): a retry with the same ' +
    'key answers the first result and never sends again; the same key with another body is 409 idempotency_conflict. ' +
    'Unsubscribed and bounced addresses are skipped and reported.',
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(8).max(200).optional() }),
    body: { required: true, content: { 'application/json': { schema: SendEmailRequest } } },
  },
  responses: {
    200: json(SendEmailResponse, 'Sent (or the stored answer of the first request with this key)'),
    401: errors[401],
    403: errors[403],
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const outbox = createRoute({
  method: 'get',
  path: '/api/v1/emails/outbox',
  tags,
  security,
  summary: "Your workspace's sent emails, newest first (the outbox driver keeps them here only)",
  request: { query: PageQuery },
  responses: { 200: json(pageOf(OutboxMessage, 'OutboxPage'), 'Messages'), 401: errors[401], 403: errors[403] },
});

export const outboxMessage = createRoute({
  method: 'get',
  path: '/api/v1/emails/outbox/{id}',
  tags,
  security,
  summary: 'One sent email with its HTML, text and headers',
  request: { params: IdParam },
  responses: { 200: json(OutboxMessageDetail, 'Message'), 401: errors[401], 403: errors[403], 404: errors[404] },
});
