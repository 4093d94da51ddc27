import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { HitContext } from './tracking.service';

/** The caller's address: the first X-Forwarded-For hop behind a trusted proxy, else the socket's peer. */
export function clientIp(c: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const first = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (first) return first;
  }
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined; // in-process requests (tests) have no socket
  }
}

/** The facts about a request that tracking classifies on. */
export const hitContext = (c: Context, trustProxy: boolean): HitContext => ({
  userAgent: c.req.header('user-agent'),
  ip: clientIp(c, trustProxy),
  method: c.req.method,
});
