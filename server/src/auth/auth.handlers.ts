import { LoginRequest, LogoutRequest } from '@mvs/shared/schemas/auth';
import { AppError, notFound } from '../errors';
import { router } from '../http/app-factory';
import { toUserDto } from '../users/users.repository';
import type { Principal } from '../http/env';
import { requireAuth } from './auth.middleware';
import * as routes from './auth.routes';
import { requestMeta } from './request-meta';

const tenantDto = (t: { id: string; name: string; domain: string; created_at: Date }) => ({
  id: t.id,
  name: t.name,
  domain: t.domain,
  created_at: t.created_at.toISOString(),
});

const app = router();
app.use('/api/v1/auth/me', requireAuth);
app.use('/api/v1/auth/password', requireAuth);

export const authRouter = app
  .openapi(routes.register, async (c) => {
    const { tenant_domain, domain, ...rest } = c.req.valid('json');
    const r = await c.var.container.auth.register({ ...rest, domain: (tenant_domain ?? domain)! }, requestMeta(c));
    return c.json({ tenant: tenantDto(r.tenant), user: toUserDto(r.user), tokens: r.tokens }, 201);
  })
  .openapi(routes.login, async (c) => {
    const type = c.req.header('content-type') ?? '';
    const raw = type.includes('json') ? await c.req.json().catch(() => null) : await c.req.parseBody().catch(() => null);
    const parsed = LoginRequest.safeParse(raw);
    if (!parsed.success) {
      throw new AppError(422, 'validation_failed', 'Send username and password (form-encoded or JSON)');
    }
    return c.json(await c.var.container.auth.login(parsed.data.username, parsed.data.password, requestMeta(c)), 200);
  })
  .openapi(routes.refresh, async (c) => c.json(await c.var.container.auth.refresh(c.req.valid('json').refresh_token, requestMeta(c)), 200))
  .openapi(routes.logout, async (c) => {
    // The body is optional (a bearer token alone names the session), so it is parsed here.
    const raw: unknown = (c.req.header('content-type') ?? '').includes('json') ? await c.req.json().catch(() => null) : {};
    const parsed = LogoutRequest.safeParse(raw ?? {});
    if (!parsed.success) throw new AppError(422, 'validation_failed', 'Body must be {"refresh_token": "..."} or empty');
    const body = parsed.data;
    const principal = await bearerPrincipal(c.req.header('authorization'), c.var.container);
    if (!body.refresh_token && !principal) {
      throw new AppError(422, 'validation_failed', 'Send {"refresh_token": ...} or Authorization: Bearer <access_token> to say which session ends');
    }
    await c.var.container.auth.logout({ refreshToken: body.refresh_token, principal }, requestMeta(c));
    return c.body(null, 204);
  })
  .openapi(routes.changePassword, async (c) => {
    const b = c.req.valid('json');
    await c.var.container.auth.changePassword(c.var.principal, b.current_password, b.new_password, requestMeta(c));
    return c.body(null, 204);
  })
  .openapi(routes.me, async (c) => {
    const { userId, tenantId } = c.var.principal;
    const user = await c.var.container.users.get(tenantId, userId);
    const tenant = await c.var.container.authRepo.findTenant(tenantId);
    if (!user || !tenant) throw notFound('User', userId);
    return c.json({ user: toUserDto(user), tenant: tenantDto(tenant) }, 200);
  });

/** The principal of a still-valid bearer token, else undefined (logout accepts an expired or missing one). */
async function bearerPrincipal(header: string | undefined, container: { tokens: { verifyAccess(t: string): Promise<{ sub: string; tenant_id: string; role: Principal['role']; sid: string }> } }) {
  if (!header?.toLowerCase().startsWith('bearer ')) return undefined;
  try {
    const claims = await container.tokens.verifyAccess(header.slice(7).trim());
    return { userId: claims.sub, tenantId: claims.tenant_id, role: claims.role, sessionId: claims.sid } satisfies Principal;
  } catch {
    return undefined;
  }
}
