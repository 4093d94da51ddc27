import nodemailer, { type Transporter } from 'nodemailer';
import { MailError, type Mailer, type MailResult, type OutgoingMail } from './mailer';

interface SmtpError extends Error {
  responseCode?: number;
  code?: string;
}

/** Sends through any SMTP server (nodemailer; SMTP_URL such as smtp://user:pass@host:587 or smtps://...). */
export class SmtpMailer implements Mailer {
  readonly provider = 'smtp' as const;
  private readonly transport: Transporter;

  constructor(url: string) {
    this.transport = nodemailer.createTransport(url);
  }

  async send(mail: OutgoingMail): Promise<MailResult> {
    try {
      const info = await this.transport.sendMail({
        from: mail.from,
        to: mail.to.name ? { name: mail.to.name, address: mail.to.email } : mail.to.email,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.headers,
      });
      return { providerMessageId: info.messageId ?? null };
    } catch (err) {
      const e = err as SmtpError;
      // 5xx replies (e.g. 550 no such user) are permanent: the address bounced. Everything else may pass on retry.
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
      throw new MailError(`SMTP: ${e.message}`.slice(0, 500), permanent);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
