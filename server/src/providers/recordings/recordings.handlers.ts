import { requireAuth, requireRole } from '../../auth/auth.middleware';
import { router } from '../../http/app-factory';
import { toRecordingDto } from './recordings.repository';
import * as routes from './recordings.routes';

async function fileBytes(value: unknown): Promise<Buffer | undefined> {
  const v = Array.isArray(value) ? (value as unknown[])[0] : value;
  return v instanceof Blob ? Buffer.from(await v.arrayBuffer()) : undefined;
}

const app = router();
app.use('/api/v1/recordings', requireAuth);
app.use('/api/v1/recordings/*', requireAuth);

export const recordingsRouter = app
  .openapi(routes.upload([requireRole('user')]), async (c) => {
    const bytes = await fileBytes(c.req.valid('form').audio);
    const r = await c.var.container.recordings.upload(c.var.principal, bytes);
    return c.json(toRecordingDto(r), 201);
  })
  .openapi(routes.get, async (c) => c.json(toRecordingDto(await c.var.container.recordings.get(c.var.principal.tenantId, c.req.valid('param').id)), 200))
  .openapi(routes.remove, async (c) => {
    await c.var.container.recordings.remove(c.var.principal, c.req.valid('param').id);
    return c.body(null, 204);
  });
