import { MailError, type Mailer, type MailResult, type OutgoingMail, type SendHooks } from './mailer';

/** Parses "Name <a@b.c>" or "a@b.c". */
export function parseAddress(s: string): { email: string; name?: string } {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(s);
  if (!m) return { email: s.trim() };
  const name = m[1]!.replace(/^"|"$/g, '').trim();
  return name ? { email: m[2]!.trim(), name } : { email: m[2]!.trim() };
}

/**
 * SendGrid v3 mail send (POST /v3/mail/send, Bearer key; 202 + X-Message-Id). Our own links and thumbnail do
 * the tracking, so SendGrid's click/open tracking is switched off (it would rewrite the watch link).
 */
export class SendGridMailer implements Mailer {
  readonly provider = 'sendgrid' as const;
  constructor(
    private readonly apiKey: string,
    private readonly baseUrl: string,
    private readonly timeoutMs = 15_000,
  ) {}

  async send(mail: OutgoingMail, hooks: SendHooks = {}): Promise<MailResult> {
    const to = mail.to.name ? { email: mail.to.email, name: mail.to.name } : { email: mail.to.email };
    const body = {
      personalizations: [{ to: [to], custom_args: { ...mail.attribution } }],
      from: parseAddress(mail.from),
      subject: mail.subject,
      content: [
        { type: 'text/plain', value: mail.text },
        { type: 'text/html', value: mail.html },
      ],
      headers: mail.messageId ? { ...mail.headers, 'Message-ID': mail.messageId } : mail.headers,
      categories: ['video-email'],
      tracking_settings: { click_tracking: { enable: false, enable_text: false }, open_tracking: { enable: false }, subscription_tracking: { enable: false } },
    };
    // SendGrid has no idempotency key: from here on the message may be delivered even if we never see the answer.
    await hooks.beforeCommit?.();
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl.replace(/\/$/, '')}/v3/mail/send`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new MailError(`SendGrid unreachable: ${(err as Error).message}`, false);
    }
    if (res.status === 202 || res.status === 200) {
      await res.body?.cancel();
      return { providerMessageId: res.headers.get('x-message-id') };
    }
    const detail = await res.text().catch(() => '');
    let message = detail.slice(0, 300);
    try {
      const parsed = JSON.parse(detail) as { errors?: { message?: string }[] };
      message = parsed.errors?.map((e) => e.message).join('; ') || message;
    } catch {
      // not JSON: keep the raw text
    }
    // 4xx other than 429 will not pass on retry; 429 and 5xx might.
    throw new MailError(`SendGrid ${res.status}: ${message}`, res.status >= 400 && res.status < 500 && res.status !== 429, true);
  }
}
