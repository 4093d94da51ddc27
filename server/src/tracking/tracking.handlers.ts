import { AppError } from '../errors';
import { assertRole, requireAuth } from '../auth/auth.middleware';
import { router } from '../http/app-factory';
import { hitContext } from './client-ip';
import { BeaconBody } from './tracking.service';
import * as routes from './tracking.routes';

const app = router();
for (const p of ['/api/v1/videos/:id/recipients', '/api/v1/videos/:id/analytics', '/api/v1/videos/:id/analytics.csv', '/api/v1/notifications', '/api/v1/notifications/*']) {
  app.use(p, requireAuth);
}

app.openAPIRegistry.registerPath({
  method: 'post',
  path: '/api/v1/track',
  tags: ['tracking'],
  summary: 'Player beacon (public): {t: signed page token, e: play|progress|complete|cta|pos, v?: milestone 25|50|75|100 for progress, furthest whole second for pos} as text or JSON',
  responses: { 204: { description: 'Recorded (duplicates are accepted and ignored)' }, 401: { description: 'Bad or expired token' }, 422: { description: 'Malformed body' }, 429: { description: 'Rate limited' } },
});

/** Public beacon endpoint (sendBeacon posts text/plain, so the body is parsed here rather than by the JSON validator). */
app.post('/api/v1/track', async (c) => {
  const raw = await c.req.text();
  if (raw.length > 2000) throw new AppError(413, 'payload_too_large', 'A beacon is a small JSON object; this one is over 2000 bytes');
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new AppError(422, 'validation_failed', 'Body must be JSON: {"t": token, "e": "play"|"progress"|"complete"|"cta"|"pos", "v"?: 25|50|75|100 for progress, a whole second for pos}');
  }
  const parsed = BeaconBody.safeParse(body);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new AppError(422, 'validation_failed', `${i?.path.join('.') || 'body'}: ${i?.message ?? 'invalid'}`);
  }
  const { tracking, config } = c.var.container;
  await tracking.recordBeacon(parsed.data, hitContext(c, config.TRUST_PROXY));
  return c.body(null, 204);
});

/** Recipients, analytics (JSON and CSV), notifications and the public beacon endpoint. */
export const trackingRouter = app
  .openapi(routes.addRecipient, async (c) => {
    assertRole(c.var.principal.role, 'user');
    const { recipients } = c.var.container;
    const r = await recipients.ensure(c.var.principal.tenantId, c.req.valid('param').id, c.req.valid('json'));
    return c.json(recipients.toDto(r.row), r.created ? 201 : 200);
  })
  .openapi(routes.listRecipients, async (c) => {
    const items = await c.var.container.recipients.list(c.var.principal.tenantId, c.req.valid('param').id);
    return c.json({ items }, 200);
  })
  .openapi(routes.analytics, async (c) => c.json(await c.var.container.analytics.forVideo(c.var.principal.tenantId, c.req.valid('param').id), 200))
  .openapi(routes.analyticsCsv, async (c) => {
    const id = c.req.valid('param').id;
    const csv = await c.var.container.analytics.csv(c.var.principal.tenantId, id, c.req.valid('query').by);
    return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="video-${id}-analytics.csv"` });
  })
  .openapi(routes.getNotificationSettings, async (c) => c.json(await c.var.container.notifications.getPrefs(c.var.principal), 200))
  .openapi(routes.putNotificationSettings, async (c) => c.json(await c.var.container.notifications.setPrefs(c.var.principal, c.req.valid('json')), 200))
  .openapi(routes.listNotifications, async (c) => {
    const q = c.req.valid('query');
    return c.json(await c.var.container.notifications.list(c.var.principal, q.unread === 'true', q.limit), 200);
  })
  .openapi(routes.readNotification, async (c) => c.json(await c.var.container.notifications.markRead(c.var.principal, c.req.valid('param').id), 200));
