import type { MailProvider } from '../db/tables/email';

/** One email to one recipient, fully rendered. */
export interface OutgoingMail {
  from: string;
  to: { email: string; name: string | null };
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  /** Attribution sent to providers that echo it back in events (SendGrid custom_args). */
  attribution: { tenant_id: string; video_id: string; recipient_id: string; message_id: string };
  /** RFC 5322 Message-ID (`<id@domain>`); a resend with the same id lets mail stores collapse the copies. */
  messageId?: string;
}

/** Hooks into one send. */
export interface SendHooks {
  /**
   * Runs once, right before the message is irrevocably handed over: for SMTP before the final dot of DATA
   * (the server has accepted sender and recipient), for HTTP APIs before the request. Until then nothing can
   * have been delivered; a rejection aborts the send. Campaign sending records this point (at-most-once rule).
   */
  beforeCommit?: () => Promise<void>;
}

export interface MailResult {
  providerMessageId: string | null;
}

/**
 * A send that failed; `permanent` (SMTP 5xx, provider 4xx) means the address bounced or the mail is refused.
 * `replied`: the provider answered (an SMTP reply code, an HTTP status), so the message was certainly not
 * accepted; without an answer (connection lost, timeout) it may have been.
 */
export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly replied = false,
  ) {
    super(message);
    this.name = 'MailError';
  }
}

/** Sends rendered emails through one transport (outbox table, SMTP or SendGrid). */
export interface Mailer {
  readonly provider: MailProvider;
  send(mail: OutgoingMail, hooks?: SendHooks): Promise<MailResult>;
  close?(): Promise<void>;
}
