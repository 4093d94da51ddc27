import type { Context } from 'hono';
import { clientIp } from '../tracking/client-ip';
import type { AppEnv } from '../http/env';
import type { RequestMeta } from './auth.service';

/** The request's salted client-IP hash (as tracking keeps it) and user agent, for sessions, throttling and audit. */
export function requestMeta(c: Context<AppEnv>): RequestMeta {
  const container = c.get('container');
  return {
    ipHash: container.ipHasher.hash(clientIp(c, container.config.TRUST_PROXY)),
    userAgent: c.req.header('user-agent') ?? null,
  };
}
