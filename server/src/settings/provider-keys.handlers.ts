import { requireAuth, requireRole } from '../auth/auth.middleware';
import { router } from '../http/app-factory';
import * as routes from './provider-keys.routes';

const app = router();
app.use('/api/v1/settings/provider-keys', requireAuth, requireRole('admin'));
app.use('/api/v1/settings/provider-keys/*', requireAuth, requireRole('admin'));

/** Per-workspace provider keys (admin only; keys are write-only). */
export const providerKeysRouter = app
  .openapi(routes.list, async (c) => c.json({ items: await c.var.container.providerKeys.list(c.var.principal) }, 200))
  .openapi(routes.rotate, async (c) => c.json(await c.var.container.providerKeys.rotate(c.var.principal), 200))
  .openapi(routes.put, async (c) => c.json(await c.var.container.providerKeys.put(c.var.principal, c.req.valid('param').provider, c.req.valid('json')), 200))
  .openapi(routes.remove, async (c) => {
    await c.var.container.providerKeys.remove(c.var.principal, c.req.valid('param').provider);
    return c.body(null, 204);
  });
