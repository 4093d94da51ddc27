import { requireAuth, requireRole } from '../auth/auth.middleware';
import { notFound } from '../errors';
import { router } from '../http/app-factory';
import type { MessageRow } from './send.repository';
import * as routes from './send.routes';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toDto = (m: MessageRow) => ({
  id: m.id,
  video_id: m.video_id,
  recipient_id: m.recipient_id,
  to: { email: m.to_email, name: m.to_name },
  from: m.from_address,
  subject: m.subject,
  provider: m.provider,
  provider_message_id: m.provider_message_id,
  status: m.status,
  error: m.error,
  created_at: m.created_at.toISOString(),
  sent_at: iso(m.sent_at),
});

const app = router();
app.use('/api/v1/emails/send', requireAuth, requireRole('user'));
app.use('/api/v1/emails/outbox', requireAuth);
app.use('/api/v1/emails/outbox/*', requireAuth);

export const sendRouter = app
  .openapi(routes.send, async (c) => {
    const { body, replayed } = await c.var.container.emailSend.send(c.var.principal, c.req.valid('json'), c.req.valid('header')['idempotency-key']);
    if (replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(body, 200);
  })
  .openapi(routes.outbox, async (c) => {
    const { page, page_size } = c.req.valid('query');
    const repo = c.var.container.emailMessages;
    const tenantId = c.var.principal.tenantId;
    const [items, total] = await Promise.all([repo.listMessages(tenantId, page, page_size), repo.countMessages(tenantId)]);
    return c.json({ items: items.map(toDto), total, page, page_size }, 200);
  })
  .openapi(routes.outboxMessage, async (c) => {
    const { id } = c.req.valid('param');
    const m = await c.var.container.emailMessages.getMessage(c.var.principal.tenantId, id);
    if (!m) throw notFound('Message', id);
    return c.json({ ...toDto(m), html: m.html, text: m.text, headers: m.headers }, 200);
  });
