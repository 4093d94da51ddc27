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
    return c.json({ ...r, items: r.items.map(toUserDto) }, 200);
  })
  .openapi(routes.get, async (c) => c.json(toUserDto(await c.var.container.usersService.get(c.var.principal, c.req.valid('param').id)), 200))
  .openapi(routes.invite, async (c) => c.json(toUserDto(await c.var.container.usersService.invite(c.var.principal, c.req.valid('json'))), 201))
  .openapi(routes.update, async (c) => {
    const u = await c.var.container.usersService.update(c.var.principal, c.req.valid('param').id, c.req.valid('json'));
    return c.json(toUserDto(u), 200);
  })
  .openapi(routes.deactivate, async (c) => {
    const u = await c.var.container.usersService.update(c.var.principal, c.req.valid('param').id, { is_active: false });
    return c.json(toUserDto(u), 200);
  });
