import { router } from '../http/app-factory';
import { SIGNATURE, TIMESTAMP } from './sendgrid-events.service';

const app = router();

/** POST /api/v1/webhooks/sendgrid: SendGrid's signed event webhook (verified over the raw body before parsing). */
export const sendgridWebhookRouter = app.post('/api/v1/webhooks/sendgrid', async (c) => {
  const raw = await c.req.text();
  const svc = c.var.container.sendgridEvents;
  svc.verify(c.req.header(SIGNATURE), c.req.header(TIMESTAMP), raw);
  return c.json(await svc.ingest(raw), 200);
});
