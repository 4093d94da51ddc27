import type { Context } from 'hono';
import { requireAuth, requireRole } from '../auth/auth.middleware';
import { router } from '../http/app-factory';
import type { AppEnv } from '../http/env';
import { serveObject } from '../storage/serve-object';
import { toAvatarDto } from './avatars.dto';
import type { AvatarRow } from './avatars.repository';
import * as routes from './avatars.routes';

/** The uploaded file of a multipart field as bytes; undefined when the field is missing or not a file. */
async function fileBytes(value: unknown): Promise<Buffer | undefined> {
  const v = Array.isArray(value) ? (value as unknown[])[0] : value;
  return v instanceof Blob ? Buffer.from(await v.arrayBuffer()) : undefined;
}

const dto = (c: Context<AppEnv>, a: AvatarRow) => toAvatarDto(a, c.var.container.storage);

const app = router();
app.use('/api/v1/avatars', requireAuth);
app.use('/api/v1/avatars/*', requireAuth);

const listHandler = async (c: Context<AppEnv>, q: { page: number; page_size: number }) => {
  const r = await c.var.container.avatarsService.list(c.var.principal, q.page, q.page_size);
  return { ...r, items: await Promise.all(r.items.map((a) => dto(c, a))) };
};

export const avatarsRouter = app
  .openapi(routes.list, async (c) => c.json(await listHandler(c, c.req.valid('query')), 200))
  .openapi(routes.listNoSlash, async (c) => c.json(await listHandler(c, c.req.valid('query')), 200))
  .openapi(routes.create, async (c) => c.json(await dto(c, await c.var.container.avatarsService.create(c.var.principal, c.req.valid('json'))), 201))
  .openapi(routes.createNoSlash, async (c) =>
    c.json(await dto(c, await c.var.container.avatarsService.create(c.var.principal, c.req.valid('json'))), 201),
  )
  .openapi(routes.get, async (c) => c.json(await dto(c, await c.var.container.avatarsService.get(c.var.principal, c.req.valid('param').id)), 200))
  .openapi(routes.update, async (c) => {
    const a = await c.var.container.avatarsService.update(c.var.principal, c.req.valid('param').id, c.req.valid('json'));
    return c.json(await dto(c, a), 200);
  })
  .openapi(routes.remove, async (c) => {
    await c.var.container.avatarsService.remove(c.var.principal, c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(routes.uploadPhoto([requireRole('user')]), async (c) => {
    const bytes = await fileBytes(c.req.valid('form').photo);
    const a = await c.var.container.avatarsService.uploadPhoto(c.var.principal, c.req.valid('param').id, bytes);
    return c.json(await dto(c, a), 200);
  })
  .openapi(routes.uploadVoice([requireRole('user')]), async (c) => {
    const bytes = await fileBytes(c.req.valid('form').voice);
    const a = await c.var.container.avatarsService.uploadVoice(c.var.principal, c.req.valid('param').id, bytes);
    return c.json(await dto(c, a), 200);
  })
  .openapi(routes.consent, async (c) => {
    const a = await c.var.container.avatarsService.consent(c.var.principal, c.req.valid('param').id, c.req.valid('json').statement);
    return c.json(await dto(c, a), 200);
  })
  .openapi(routes.generate, async (c) => c.json(await dto(c, await c.var.container.avatarsService.generate(c.var.principal, c.req.valid('param').id)), 202))
  .openapi(routes.photo, async (c) => {
    const key = await c.var.container.avatarsService.photoKey(c.var.principal, c.req.valid('param').id);
    // A streamed file with Range support; the typed-route helpers only model JSON bodies.
    return serveObject(c, c.var.container.storage, key, { cacheSeconds: 300 }) as never;
  });
