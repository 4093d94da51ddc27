import { createRoute } from '@hono/zod-openapi';
import { WebhookDelivery } from '@mvs/shared/schemas/email-send';
import { IdParam } from '@mvs/shared/schemas/common';
import { requireAuth, requireRole } from '../auth/auth.middleware';
import { router } from '../http/app-factory';
import { errors, json } from '../http/responses';

const route = createRoute({
  method: 'post',
  path: '/api/v1/webhooks/{id}/test',
  middleware: [requireAuth, requireRole('admin')],
  tags: ['webhooks'],
  security: [{ bearer: [] }],
  summary: 'Send a signed test delivery now (one attempt, `test: true` in the payload) and answer how it went (admin)',
  request: { params: IdParam },
  responses: { 200: json(WebhookDelivery, 'The delivery as logged: delivered, or failed with the receiver’s answer'), 401: errors[401], 403: errors[403], 404: errors[404], 422: errors[422] },
});

/** The Settings page's "send test" button. */
export const webhookTestRouter = router().openapi(route, async (c) => {
  const d = await c.var.container.webhooks.sendTest(c.var.principal.tenantId, c.req.valid('param').id);
  return c.json(
    {
      id: d.id,
      event: d.event,
      status: d.status,
      attempts: d.attempts,
      last_status: d.last_status,
      last_error: d.last_error,
      payload: d.payload,
      created_at: d.created_at.toISOString(),
      last_attempt_at: d.last_attempt_at ? d.last_attempt_at.toISOString() : null,
      delivered_at: d.delivered_at ? d.delivered_at.toISOString() : null,
    },
    200,
  );
});
