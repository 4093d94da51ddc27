import { HTTPException } from 'hono/http-exception';
import { auditRouter } from '../audit/audit.handlers';
import { authConfigRouter } from '../auth/auth-config.handlers';
import { authRouter } from '../auth/auth.handlers';
import { emailsAiRouter } from '../emails/emails-ai.handlers';
import { entraRouter } from '../auth/entra.handlers';
import { avatarsRouter } from '../avatars/avatars.handlers';
import type { Container } from '../container';
import { AppError } from '../errors';
import { DatabaseUnavailableError } from '../db/unavailable';
import { mountFiles } from '../storage/files.handlers';
import { usersRouter } from '../users/users.handlers';
import { videosRouter } from '../videos/videos.handlers';
import { trackingRouter } from '../tracking/tracking.handlers';
import { watchRouter } from '../watch/watch.handlers';
import { recordingsRouter } from '../providers/recordings/recordings.handlers';
import { sendRouter } from '../emails/send.handlers';
import { unsubscribeRouter } from '../emails/unsubscribe.handlers';
import { sendgridWebhookRouter } from '../webhooks/sendgrid.handlers';
import { webhooksRouter } from '../webhooks/webhooks.handlers';
import { campaignsRouter } from '../campaigns/campaigns.handlers';
import { settingsRouter } from '../settings/settings.handlers';
import { providerKeysRouter } from '../settings/provider-keys.handlers';
import { overviewRouter } from '../tracking/overview.handlers';
import { mouthShapesRouter } from '../avatars/mouth-shapes.handlers';
import { webhookTestRouter } from '../webhooks/webhook-test.handlers';
import { contactsRouter } from '../contacts/contacts.handlers';
import { pronunciationsRouter } from '../contacts/pronunciations.handlers';
import { templatesRouter } from '../templates/templates.handlers';
import { router } from './app-factory';
import { mountAddin } from './addin-static';
import { mountPortal } from './portal-static';
import { mountDocs } from './docs';
import { healthRouter } from './health';
import { bodyGuard } from './body-guard';
import { cors, securityHeaders } from './headers';
import { requestContext } from './middleware';

/** Builds the whole HTTP app: middleware, every feature router, docs, and the one error shape. */
export function createApp(container: Container) {
  const app = router();
  const origins = container.config.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean);

  app.use('*', requestContext(container));
  app.use('*', securityHeaders((c) => ({ 'X-Request-Id': c.get('requestId') })));
  app.use('/api/*', cors({ origins, exposeHeaders: ['X-Request-Id'], maxAgeSec: 600 }));
  // Size, UTF-8 and JSON-depth limits for every route's body, from the one table in body-limits.ts.
  app.use('*', bodyGuard());

  app.onError((err, c) => {
    const requestId = c.get('requestId');
    if (err instanceof AppError) {
      // Throttled and busy answers say when to come back.
      const retry = (err.details as { retry_after_seconds?: unknown } | undefined)?.retry_after_seconds;
      if (typeof retry === 'number' && (err.status === 429 || err.status === 503)) c.header('Retry-After', String(retry));
      return c.json({ code: err.code, message: err.message, requestId, ...(err.details ? { details: err.details } : {}) }, err.status);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = status === 415 ? 'unsupported_media_type' : status === 413 ? 'payload_too_large' : status === 401 ? 'unauthorized' : 'validation_failed';
      return c.json({ code, message: err.message || 'Bad request', requestId }, status);
    }
    if (err instanceof DatabaseUnavailableError) {
      // The pool reconnects by itself once the database is back; nothing to restart.
      c.get('log')?.warn({ err: err.cause }, 'database unavailable');
      c.header('Retry-After', '5');
      return c.json({ code: 'database_unavailable', message: 'The database is unavailable right now; try again in a few seconds', requestId }, 503);
    }
    c.get('log')?.error({ err }, 'unhandled error');
    return c.json({ code: 'internal_error', message: 'Something went wrong on our side; quote the request id', requestId }, 500);
  });
  app.notFound((c) => c.json({ code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}`, requestId: c.get('requestId') }, 404));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'oauth2',
    description: 'Sign in with your email as username; Swagger sends the access token as a Bearer header.',
    flows: { password: { tokenUrl: '/api/v1/auth/login', refreshUrl: '/api/v1/auth/refresh', scopes: {} } },
  });

  const routes = app
    .route('/', healthRouter)
    .route('/', authRouter)
    .route('/', authConfigRouter)
    .route('/', usersRouter)
    .route('/', auditRouter)
    .route('/', emailsAiRouter)
    .route('/', entraRouter)
    .route('/', avatarsRouter)
    .route('/', videosRouter)
    .route('/', recordingsRouter)
    .route('/', trackingRouter)
    .route('/', watchRouter)
    .route('/', sendRouter)
    .route('/', webhooksRouter)
    .route('/', sendgridWebhookRouter)
    .route('/', unsubscribeRouter)
    .route('/', settingsRouter)
    .route('/', providerKeysRouter)
    .route('/', overviewRouter)
    .route('/', mouthShapesRouter)
    .route('/', webhookTestRouter)
    .route('/', contactsRouter)
    .route('/', campaignsRouter)
    .route('/', templatesRouter)
    .route('/', pronunciationsRouter);

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Mail Video Service API',
      version: '1.0.0',
      description: 'Personal AI-avatar video messages for email. Errors are `{ code, message, requestId, details? }`.',
    },
    servers: [{ url: container.config.PUBLIC_URL }],
  });
  mountDocs(app);
  mountFiles(app);
  mountAddin(app);
  mountPortal(app, container.config);
  return routes;
}

export type AppType = ReturnType<typeof createApp>;
