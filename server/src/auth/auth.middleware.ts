import type { MiddlewareHandler } from 'hono';
import type { Role } from '@mvs/shared/schemas/common';
import { AppError } from '../errors';
import type { AppEnv } from '../http/env';
import { requestMeta } from './request-meta';

/** Requires a valid bearer access token (or `?access_token=` for media and SSE); sets c.var.principal. */
export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('authorization');
  const token = header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : c.req.query('access_token');
  if (!token) throw new AppError(401, 'unauthorized', 'Sign in first: send Authorization: Bearer <access_token>');
  // c.get, not c.var: Hono copies every variable into a new object on each c.var access.
  const container = c.get('container');
  const claims = await container.tokens.verifyAccess(token);
  if (await container.revocations.isRevoked(claims.sid)) {
    throw new AppError(401, 'session_revoked', 'This session was signed out (logout, an admin, or a password change); sign in again');
  }
  let ipHash: string | null | undefined;
  c.set('principal', {
    userId: claims.sub,
    tenantId: claims.tenant_id,
    role: claims.role,
    sessionId: claims.sid,
    get ipHash() {
      return (ipHash ??= requestMeta(c).ipHash);
    },
  });
  c.set('log', c.get('log').child({ userId: claims.sub, tenantId: claims.tenant_id }));
  await next();
};

const RANK: Record<Role, number> = { viewer: 0, user: 1, admin: 2 };

/** Throws 403 unless the principal's role is at least `min`. */
export function assertRole(role: Role, min: Role): void {
  if (RANK[role] < RANK[min]) throw new AppError(403, 'forbidden', `This needs the ${min} role; you are ${role}`);
}

/** Middleware form of assertRole, for whole routers or single routes. */
export const requireRole =
  (min: Role): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    assertRole(c.var.principal.role, min);
    await next();
  };
