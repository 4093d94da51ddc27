import type { Mailer, MailResult, OutgoingMail, SendHooks } from './mailer';

/** The default driver: nothing leaves the server; the stored message row is the outbox (GET /api/v1/emails/outbox). */
export class OutboxMailer implements Mailer {
  readonly provider = 'outbox' as const;
  async send(mail: OutgoingMail, hooks: SendHooks = {}): Promise<MailResult> {
    await hooks.beforeCommit?.();
    return { providerMessageId: `outbox-${mail.attribution.message_id}` };
  }
}
