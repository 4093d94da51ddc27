import { bodyLimit } from 'hono/body-limit';
import { requireAuth, requireRole } from '../auth/auth.middleware';
import { AppError } from '../errors';
import { router } from '../http/app-factory';
import * as routes from './emails-ai.routes';

/** Whole request cap: a 100,000-character body in JSON with escapes stays well under it. */
const MAX_REQUEST_BYTES = 512 * 1024;

const app = router();
for (const path of ['/api/v1/emails/summarize', '/api/v1/emails/draft-script']) {
  app.use(
    path,
    requireAuth,
    requireRole('user'),
    bodyLimit({
      maxSize: MAX_REQUEST_BYTES,
      onError: () => {
        throw new AppError(413, 'payload_too_large', 'Request is over 512 KB; send only the latest message (body ≤ 100,000 characters)');
      },
    }),
  );
}

/** POST /api/v1/emails/summarize and /draft-script. */
export const emailsAiRouter = app
  .openapi(routes.summarize, async (c) => c.json(await c.var.container.emailAi.summarize(c.req.valid('json')), 200))
  .openapi(routes.draftScript, async (c) => c.json(await c.var.container.emailAi.draftScript(c.req.valid('json')), 200));
