import type { Context } from 'hono';
import { requireAuth } from '../auth/auth.middleware';
import { router } from '../http/app-factory';
import { jsonResponse } from '../http/json-bytes';
import type { Container } from '../container';
import type { AppEnv } from '../http/env';
import { serveObject } from '../storage/serve-object';
import { toVideoDto, toVideoDtos } from './videos.dto';
import { streamVideoEvents } from './videos.events';
import type { VideoRow } from './videos.repository';
import * as routes from './videos.routes';
import type { CreateVideoRequest } from '@mvs/shared/schemas/videos';
import type { VideoFile } from './videos.service';

const app = router();
app.use('/api/v1/videos', requireAuth);
app.use('/api/v1/videos/*', requireAuth);

// c.get, not c.var: Hono builds a fresh object on every c.var access.
const dto = (c: Context<AppEnv>, v: VideoRow) => {
  const container = c.get('container');
  return toVideoDto(v, container.storage, container.config.PUBLIC_URL);
};
const list = async (c: Context<AppEnv>, query: Parameters<Container['videosService']['list']>[1]) => {
  const container = c.get('container');
  const r = await container.videosService.list(c.get('principal'), query);
  return { ...r, items: await toVideoDtos(r.items, container.storage, container.config.PUBLIC_URL) };
};
const create = async (c: Context<AppEnv>, body: CreateVideoRequest) => {
  const v = await c.var.container.videosService.create(c.var.principal, body);
  c.var.log.info({ videoId: v.id, renderer: v.renderer, language: v.language }, 'video queued');
  return dto(c, v);
};
const serveFile = async (c: Context<AppEnv>, id: string, file: VideoFile) => {
  const key = await c.var.container.videosService.fileKey(c.var.principal, id, file);
  const ext = file === 'video' ? 'mp4' : file === 'poster' ? 'jpg' : 'gif';
  return serveObject(c, c.var.container.storage, key, { filename: `video-${id}.${ext}` });
};

export const videosRouter = app
  .openapi(routes.create, async (c) => c.json(await create(c, c.req.valid('json')), 202))
  .openapi(routes.createSlash, async (c) => c.json(await create(c, c.req.valid('json')), 202))
  .openapi(routes.list, async (c) => jsonResponse(c, await list(c, c.req.valid('query')), 200))
  .openapi(routes.listSlash, async (c) => jsonResponse(c, await list(c, c.req.valid('query')), 200))
  .openapi(routes.get, async (c) => c.json(await dto(c, await c.var.container.videosService.get(c.var.principal, c.req.valid('param').id)), 200))
  .openapi(routes.cancel, async (c) => c.json(await dto(c, await c.var.container.videosService.cancel(c.var.principal, c.req.valid('param').id)), 200))
  .openapi(routes.remove, async (c) => {
    await c.var.container.videosService.remove(c.var.principal, c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(routes.file, (c) => serveFile(c, c.req.valid('param').id, 'video'))
  .openapi(routes.poster, (c) => serveFile(c, c.req.valid('param').id, 'poster'))
  .openapi(routes.gif, (c) => serveFile(c, c.req.valid('param').id, 'gif'))
  .openapi(routes.events, (c) => streamVideoEvents(c, c.var.principal, c.req.valid('param').id));
