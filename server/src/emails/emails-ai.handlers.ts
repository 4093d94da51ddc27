import { requireAuth, requireRole } from '../auth/auth.middleware';
import { router } from '../http/app-factory';
import * as routes from './emails-ai.routes';

const app = router();
for (const path of ['/api/v1/emails/summarize', '/api/v1/emails/draft-script']) {
  // The 512 KB body cap is in http/body-limits.ts.
  app.use(path, requireAuth, requireRole('user'));
}

/** POST /api/v1/emails/summarize and /draft-script. */
export const emailsAiRouter = app
  .openapi(routes.summarize, async (c) => c.json(await c.var.container.emailAi.summarize(c.req.valid('json'), c.var.principal.tenantId), 200))
  .openapi(routes.draftScript, async (c) => c.json(await c.var.container.emailAi.draftScript(c.req.valid('json'), c.var.principal.tenantId), 200));
