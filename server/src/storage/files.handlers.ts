import type { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { LocalStorage } from './storage.local';
import { serveObject } from './serve-object';

/** GET /files/<key>?exp&sig: serves local-storage objects through signed, expiring URLs (with Range). */
export function mountFiles(app: Hono<AppEnv>): void {
  app.get('/files/*', async (c) => {
    const storage = c.var.container.storage;
    const key = c.req.path.slice('/files/'.length);
    if (!(storage instanceof LocalStorage) || !storage.verify(key, Number(c.req.query('exp')), c.req.query('sig') ?? '')) {
      return c.json({ code: 'forbidden', message: 'This link is invalid or expired; ask for a new one', requestId: c.var.requestId }, 403);
    }
    return serveObject(c, storage, key, { cacheSeconds: 3600 });
  });
}
