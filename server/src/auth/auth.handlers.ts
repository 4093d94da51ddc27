import { LoginRequest } from '@mvs/shared/schemas/auth';
import { AppError, notFound } from '../errors';
import { router } from '../http/app-factory';
import { toUserDto } from '../users/users.repository';
import { requireAuth } from './auth.middleware';
import * as routes from './auth.routes';

const tenantDto = (t: { id: string; name: string; domain: string; created_at: Date }) => ({
  id: t.id,
  name: t.name,
  domain: t.domain,
  created_at: t.created_at.toISOString(),
});

const app = router();
app.use('/api/v1/auth/me', requireAuth);

export const authRouter = app
  .openapi(routes.register, async (c) => {
    const r = await c.var.container.auth.register(c.req.valid('json'));
    return c.json({ tenant: tenantDto(r.tenant), user: toUserDto(r.user), tokens: r.tokens }, 201);
  })
  .openapi(routes.login, async (c) => {
    const type = c.req.header('content-type') ?? '';
    const raw = type.includes('json') ? await c.req.json().catch(() => null) : await c.req.parseBody().catch(() => null);
    const parsed = LoginRequest.safeParse(raw);
    if (!parsed.success) {
      throw new AppError(422, 'validation_failed', 'Send username and password (form-encoded or JSON)');
    }
    return c.json(await c.var.container.auth.login(parsed.data.username, parsed.data.password), 200);
  })
  .openapi(routes.refresh, async (c) => c.json(await c.var.container.auth.refresh(c.req.valid('json').refresh_token), 200))
  .openapi(routes.logout, async (c) => {
    await c.var.container.auth.logout(c.req.valid('json').refresh_token);
    return c.body(null, 204);
  })
  .openapi(routes.me, async (c) => {
    const { userId, tenantId } = c.var.principal;
    const user = await c.var.container.users.get(tenantId, userId);
    const tenant = await c.var.container.authRepo.findTenant(tenantId);
    if (!user || !tenant) throw notFound('User', userId);
    return c.json({ user: toUserDto(user), tenant: tenantDto(tenant) }, 200);
  });
