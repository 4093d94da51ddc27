import { createRoute } from '@hono/zod-openapi';
import { AuditPage, AuditQuery } from '@mvs/shared/schemas/audit';
import { errors, json } from '../http/responses';

export const list = createRoute({
  method: 'get',
  path: '/api/v1/audit',
  tags: ['audit'],
  security: [{ bearer: [] }],
  summary: "Your workspace's audit log, newest first (admin)",
  description:
    'Sensitive actions: sign-ins and failed sign-ins, lockouts and their lifting, role changes, invites, deactivations, ' +
    'sign-out-everywhere, avatar photo/voice/consent changes, webhook and provider-key changes, deletions. ' +
    'Each row says who, what, when, and from which address (as a salted hash).',
  request: { query: AuditQuery },
  responses: { 200: json(AuditPage, 'Audit rows'), 401: errors[401], 403: errors[403], 422: errors[422] },
});
