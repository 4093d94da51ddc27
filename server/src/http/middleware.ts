import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Container } from '../container';
import type { AppEnv } from './env';

/** Puts the container, a request id and a request-scoped logger on c.var; logs one line per request. The X-Request-Id header is set in headers.ts. */
export function requestContext(container: Container): MiddlewareHandler<AppEnv> {
  const base = container.logger.child({ module: 'http' });
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    const log = base.child({ requestId });
    c.set('container', container);
    c.set('requestId', requestId);
    c.set('log', log);
    const start = performance.now();
    await next();
    const ms = Math.round((performance.now() - start) * 10) / 10;
    const line = { method: c.req.method, path: c.req.path, status: c.res.status, ms };
    if (c.res.status >= 500) log.error(line, 'request');
    else log.debug(line, 'request');
  };
}
