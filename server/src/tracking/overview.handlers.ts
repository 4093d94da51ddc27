import { requireAuth } from '../auth/auth.middleware';
import { router } from '../http/app-factory';
import { streamNotifications } from './notifications.events';
import * as routes from './overview.routes';

const app = router();
app.use('/api/v1/analytics/overview', requireAuth);
app.use('/api/v1/notifications/events', requireAuth);

/** The dashboard overview and the live notifications stream. */
export const overviewRouter = app
  .openapi(routes.overview, async (c) => c.json(await c.var.container.overview.forPrincipal(c.var.principal, Number(c.req.valid('query').days)), 200))
  .openapi(routes.notificationEvents, async (c) => streamNotifications(c, c.var.principal) as never);
