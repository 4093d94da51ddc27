import type { MiddlewareHandler } from 'hono';
import type { WebhookEvent } from '../db/tables/email';
import { requireAuth, requireRole } from '../auth/auth.middleware';
import { router } from '../http/app-factory';
import type { AppEnv } from '../http/env';
import type { DeliveryRow, EndpointRow } from './webhooks.repository';
import * as routes from './webhooks.routes';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toDto = (e: EndpointRow) => ({
  id: e.id,
  url: e.url,
  events: e.events as WebhookEvent[],
  description: e.description,
  active: e.active,
  created_at: e.created_at.toISOString(),
});
const toDelivery = (d: DeliveryRow) => ({
  id: d.id,
  event: d.event,
  status: d.status,
  attempts: d.attempts,
  last_status: d.last_status,
  last_error: d.last_error,
  payload: d.payload,
  created_at: d.created_at.toISOString(),
  last_attempt_at: iso(d.last_attempt_at),
  delivered_at: iso(d.delivered_at),
});

// The SendGrid event webhook shares the prefix but authenticates by its signature, not a user.
const admin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.path === '/api/v1/webhooks/sendgrid') {
    await next();
    return;
  }
  await requireAuth(c, async () => {
    await requireRole('admin')(c, next);
  });
};

const app = router();
app.use('/api/v1/webhooks', admin);
app.use('/api/v1/webhooks/*', admin);

export const webhooksRouter = app
  .openapi(routes.list, async (c) => c.json({ items: (await c.var.container.webhooks.list(c.var.principal.tenantId)).map(toDto) }, 200))
  .openapi(routes.create, async (c) => {
    const e = await c.var.container.webhooks.create(c.var.principal.tenantId, c.req.valid('json'), c.var.principal);
    return c.json({ ...toDto(e), secret: e.secret }, 201);
  })
  .openapi(routes.get, async (c) => c.json(toDto(await c.var.container.webhooks.get(c.var.principal.tenantId, c.req.valid('param').id)), 200))
  .openapi(routes.update, async (c) => {
    const e = await c.var.container.webhooks.update(c.var.principal.tenantId, c.req.valid('param').id, c.req.valid('json'), c.var.principal);
    return c.json(toDto(e), 200);
  })
  .openapi(routes.remove, async (c) => {
    await c.var.container.webhooks.remove(c.var.principal.tenantId, c.req.valid('param').id, c.var.principal);
    return c.body(null, 204);
  })
  .openapi(routes.deliveries, async (c) => {
    const items = await c.var.container.webhooks.deliveries(c.var.principal.tenantId, c.req.valid('param').id);
    return c.json({ items: items.map(toDelivery) }, 200);
  });
