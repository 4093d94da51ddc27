import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { router } from './app-factory';

const Health = z.object({ status: z.enum(['ok', 'degraded']), checks: z.record(z.string(), z.string()).optional() }).openapi('Health');

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['ops'],
  summary: 'Liveness: the process answers',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: Health } } } },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['ops'],
  summary: 'Readiness: database, storage and queue reachable',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: Health } } },
    503: { description: 'Not ready; checks say which part failed', content: { 'application/json': { schema: Health } } },
  },
});

async function check(fn: () => Promise<unknown>): Promise<string> {
  try {
    await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout after 3 s')), 3000))]);
    return 'ok';
  } catch (e) {
    return `error: ${e instanceof Error ? e.message : String(e)}`;
  }
}

export const healthRouter = router()
  .openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200))
  .openapi(readyz, async (c) => {
    const { db, storage, queue } = c.var.container;
    const checks = {
      database: await check(() => sql`select 1`.execute(db)),
      storage: await check(() => storage.ping()),
      queue: await check(() => queue.ping()),
    };
    const ok = Object.values(checks).every((v) => v === 'ok');
    return ok ? c.json({ status: 'ok' as const, checks }, 200) : c.json({ status: 'degraded' as const, checks }, 503);
  });
