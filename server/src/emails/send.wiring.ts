import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { DB } from '../db/types';
import type { Logger } from '../logger';
import { createMailer } from '../mail/mail.factory';
import type { Mailer } from '../mail/mailer';
import type { RecipientsService } from '../tracking/recipients.service';
import { SendGridEventsRepository } from '../webhooks/sendgrid-events.repository';
import { SendGridEventsService } from '../webhooks/sendgrid-events.service';
import { SendRepository } from './send.repository';
import { SendService, type EventSink } from './send.service';
import { UnsubscribeService } from './unsubscribe.service';
import { UnsubscribeTokens } from './unsubscribe.tokens';

/** Builds email sending (Mailer from MAIL_DRIVER), the outbox, unsubscribe links and the SendGrid event webhook. */
export function createEmailSend(deps: { db: Kysely<DB>; config: Config; log: Logger; recipients: RecipientsService; events: EventSink; mailer?: Mailer }) {
  const { config } = deps;
  const mailer = deps.mailer ?? createMailer(config);
  const repo = new SendRepository(deps.db);
  const tokens = new UnsubscribeTokens(config.SECRET_KEY);
  const log = deps.log.child({ module: 'email' });
  return {
    mailer,
    emailMessages: repo,
    emailSend: new SendService(repo, deps.recipients, mailer, tokens, { publicUrl: config.PUBLIC_URL, from: config.MAIL_FROM }, deps.events, log),
    unsubscribe: new UnsubscribeService(tokens, repo, deps.recipients),
    sendgridEvents: new SendGridEventsService(config.SENDGRID_WEBHOOK_PUBLIC_KEY, new SendGridEventsRepository(deps.db), repo, deps.recipients, log),
  };
}
