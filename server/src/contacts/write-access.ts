import type { MiddlewareHandler } from 'hono';
import { assertRole, requireAuth } from '../auth/auth.middleware';
import type { AppEnv } from '../http/env';

/**
 * Signed-in callers may read; changing anything needs the user role (a viewer reads only). `readPosts`
 * are POST paths that only compute (e.g. a template preview) and stay open to viewers.
 */
export function readOrWrite(readPosts: RegExp[] = []): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await requireAuth(c, async () => {
      const m = c.req.method;
      const reading = m === 'GET' || m === 'HEAD' || (m === 'POST' && readPosts.some((r) => r.test(c.req.path)));
      if (!reading) assertRole(c.var.principal.role, 'user');
      await next();
    });
  };
}
