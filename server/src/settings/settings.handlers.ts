import { requireAuth, requireRole } from '../auth/auth.middleware';
import { router } from '../http/app-factory';
import * as routes from './settings.routes';

// The body size is capped by the one body guard (http/body-limits.ts).

/** The uploaded file of a multipart field as bytes; undefined when the field is missing or not a file. */
async function fileBytes(value: unknown): Promise<Buffer | undefined> {
  const v = Array.isArray(value) ? (value as unknown[])[0] : value;
  return v instanceof Blob ? Buffer.from(await v.arrayBuffer()) : undefined;
}

const app = router();
// Exact paths: /api/v1/settings/provider-keys has its own router.
app.use('/api/v1/settings', requireAuth);
app.use('/api/v1/settings/branding/logo', requireAuth);

/** Workspace settings (GET for everyone, changes for admins). */
export const settingsRouter = app
  .openapi(routes.get, async (c) => c.json(await c.var.container.settings.get(c.var.principal), 200))
  .openapi(routes.update, async (c) => c.json(await c.var.container.settings.update(c.var.principal, c.req.valid('json')), 200))
  .openapi(routes.uploadLogo([requireRole('admin')]), async (c) => {
    const bytes = await fileBytes(c.req.valid('form').logo);
    return c.json(await c.var.container.settings.uploadLogo(c.var.principal, bytes), 200);
  })
  .openapi(routes.removeLogo, async (c) => c.json(await c.var.container.settings.removeLogo(c.var.principal), 200));
