import { requireAuth, requireRole } from '../auth/auth.middleware';
import { router } from '../http/app-factory';
import { toUserDto } from './users.repository';
import * as routes from './users.routes';

const app = router();
app.use('/api/v1/users', requireAuth, requireRole('admin'));
app.use('/api/v1/users/*', requireAuth, requireRole('admin'));

export const usersRouter = app
  .openapi(routes.list, async (c) => {
    const { page, page_size } = c.req.valid('query');
    const r = await c.var.container.usersService.list(c.var.principal, page, page_size);
    return c.json({ ...r, items: r.items.map((i) => toUserDto(i.user, i.lockedUntil)) }, 200);
  })
  .openapi(routes.get, async (c) => {
    const r = await c.var.container.usersService.getWithLock(c.var.principal, c.req.valid('param').id);
    return c.json(toUserDto(r.user, r.lockedUntil), 200);
  })
  .openapi(routes.invite, async (c) => c.json(toUserDto(await c.var.container.usersService.invite(c.var.principal, c.req.valid('json'))), 201))
  .openapi(routes.update, async (c) => {
    const u = await c.var.container.usersService.update(c.var.principal, c.req.valid('param').id, c.req.valid('json'));
    return c.json(toUserDto(u), 200);
  })
  .openapi(routes.deactivate, async (c) => {
    const u = await c.var.container.usersService.update(c.var.principal, c.req.valid('param').id, { is_active: false });
    return c.json(toUserDto(u), 200);
  })
  .openapi(routes.signOutEverywhere, async (c) =>
    c.json({ sessions_ended: await c.var.container.usersService.signOutEverywhere(c.var.principal, c.req.valid('param').id) }, 200),
  )
  .openapi(routes.liftLockout, async (c) => {
    await c.var.container.usersService.liftLockout(c.var.principal, c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(routes.sessions, async (c) => {
    const items = await c.var.container.usersService.activeSessions(c.var.principal, c.req.valid('param').id);
    return c.json(
      {
        items: items.map((s) => ({
          id: s.id,
          method: s.method,
          user_agent: s.user_agent,
          ip_hash: s.ip_hash,
          created_at: s.created_at.toISOString(),
          refreshed_at: s.refreshed_at?.toISOString() ?? null,
        })),
      },
      200,
    );
  });
