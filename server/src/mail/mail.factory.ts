import type { Config } from '../config';
import type { Mailer } from './mailer';
import { OutboxMailer } from './outbox.mailer';
import { SendGridMailer } from './sendgrid.mailer';
import { SmtpMailer } from './smtp.mailer';

/** MAIL_DRIVER picks the transport; outbox (default) needs no mail server. */
export function createMailer(config: Config): Mailer {
  switch (config.MAIL_DRIVER) {
    case 'smtp':
      if (!config.SMTP_URL) throw new Error('MAIL_DRIVER=smtp needs SMTP_URL (e.g. smtp://user:pass@mail.example.com:587)');
      return new SmtpMailer(config.SMTP_URL, { maxConnections: config.MAIL_SEND_CONCURRENCY });
    case 'sendgrid':
      if (!config.SENDGRID_API_KEY) throw new Error('MAIL_DRIVER=sendgrid needs SENDGRID_API_KEY');
      return new SendGridMailer(config.SENDGRID_API_KEY, config.SENDGRID_BASE_URL);
    default:
      return new OutboxMailer();
  }
}
