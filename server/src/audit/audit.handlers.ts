import { requireAuth, requireRole } from '../auth/auth.middleware';
import { router } from '../http/app-factory';
import * as routes from './audit.routes';

const app = router();
app.use('/api/v1/audit', requireAuth, requireRole('admin'));

/** GET /api/v1/audit (admin): paginated, filtered by action and user. */
export const auditRouter = app.openapi(routes.list, async (c) => {
  const q = c.req.valid('query');
  const r = await c.var.container.audit.page(c.var.principal.tenantId, { page: q.page, pageSize: q.page_size, action: q.action, userId: q.user_id });
  return c.json(
    {
      items: r.items.map((a) => ({
        id: Number(a.id),
        action: a.action,
        user_id: a.user_id,
        user_email: a.user_email ?? null,
        target_type: a.target_type,
        target_id: a.target_id,
        details: a.details,
        ip_hash: a.ip_hash,
        created_at: a.created_at.toISOString(),
      })),
      total: r.total,
      page: q.page,
      page_size: q.page_size,
    },
    200,
  );
});
