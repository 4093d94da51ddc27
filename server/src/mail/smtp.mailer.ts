import { Readable } from 'node:stream';
import nodemailer, { type Transporter } from 'nodemailer';
import { MailError, type Mailer, type MailResult, type OutgoingMail, type SendHooks } from './mailer';

interface SmtpError extends Error {
  responseCode?: number;
  code?: string;
}

/**
 * The message as the SMTP connection reads it, built only when the connection starts reading — which it does
 * after the server accepted MAIL FROM, RCPT TO and DATA (354) — and ended, which makes the connection send
 * the final dot, only after `hook` resolved. So the hook runs when the server has the whole message but
 * cannot deliver it yet. (nodemailer builds the message stream earlier and buffers it; starting it lazily
 * keeps any buffer from running ahead of the conversation.)
 */
class CommitGate extends Readable {
  private source?: NodeJS.ReadableStream;
  constructor(
    private readonly open: () => NodeJS.ReadableStream,
    private readonly hook: () => Promise<void>,
  ) {
    super();
  }
  override _read(): void {
    if (this.source) {
      this.source.resume();
      return;
    }
    const src = (this.source = this.open());
    src.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) src.pause();
    });
    src.on('error', (err: Error) => this.destroy(err));
    src.on('end', () => {
      this.hook().then(
        () => this.push(null),
        (err: unknown) => this.destroy(err instanceof Error ? err : new Error(String(err))),
      );
    });
  }
}

/** Adds nodemailer's connection pool to an SMTP URL unless the URL says otherwise (`?pool=false`). */
export function pooledUrl(url: string, maxConnections: number): string {
  const u = new URL(url);
  if (!u.searchParams.has('pool')) u.searchParams.set('pool', 'true');
  if (u.searchParams.get('pool') === 'true' && !u.searchParams.has('maxConnections')) u.searchParams.set('maxConnections', String(maxConnections));
  return u.toString();
}

/**
 * Sends through any SMTP server (nodemailer; SMTP_URL such as smtp://user:pass@host:587 or smtps://...), over a
 * pool of up to `maxConnections` reused connections. `beforeCommit` runs after the server took sender,
 * recipient and the message text, and before the final dot that makes the server deliver it.
 */
export class SmtpMailer implements Mailer {
  readonly provider = 'smtp' as const;
  private readonly transport: Transporter;

  constructor(url: string, opts: { maxConnections?: number } = {}) {
    this.transport = nodemailer.createTransport(pooledUrl(url, opts.maxConnections ?? 4));
    this.transport.use('stream', (mail, done) => {
      const hook = (mail.data as { beforeCommit?: () => Promise<void> }).beforeCommit;
      if (hook) {
        const open = mail.message.createReadStream.bind(mail.message);
        mail.message.createReadStream = () => new CommitGate(open, hook) as unknown as ReturnType<typeof open>;
      }
      done();
    });
  }

  async send(mail: OutgoingMail, hooks: SendHooks = {}): Promise<MailResult> {
    try {
      const info = await this.transport.sendMail({
        from: mail.from,
        to: mail.to.name ? { name: mail.to.name, address: mail.to.email } : mail.to.email,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.headers,
        ...(mail.messageId ? { messageId: mail.messageId } : {}),
        ...(hooks.beforeCommit ? { beforeCommit: hooks.beforeCommit } : {}),
      });
      return { providerMessageId: info.messageId ?? null };
    } catch (err) {
      const e = err as SmtpError;
      // 5xx replies (e.g. 550 no such user) are permanent: the address bounced. Everything else may pass on retry.
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
      throw new MailError(`SMTP: ${e.message}`.slice(0, 500), permanent, typeof e.responseCode === 'number');
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
