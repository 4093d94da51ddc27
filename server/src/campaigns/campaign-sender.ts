import { randomUUID } from 'node:crypto';
import type { EmailClient } from '@mvs/shared/email/video-block';
import type { EventSink } from '../emails/send.service';
import { buildVideoEmail } from '../emails/video-email';
import type { Logger } from '../logger';
import { MailError, type Mailer } from '../mail/mailer';
import type { MailThrottle } from '../mail/mail-throttle';
import { parseAddress } from '../mail/sendgrid.mailer';
import type { RecipientsService } from '../tracking/recipients.service';
import type { CampaignSendRepository, SendRow } from './campaign-send.repository';
import { abEnabled, personalBody } from './campaign-texts';
import type { CampaignRow, CampaignsRepository } from './campaigns.repository';

export interface SenderDeps {
  repo: CampaignsRepository;
  send: CampaignSendRepository;
  mailer: Mailer;
  throttle: MailThrottle;
  recipients: RecipientsService;
  unsubscribeUrl(tenantId: string, videoRecipientId: string): string;
  events: EventSink;
  from: string;
  concurrency: number;
  retryDelaySeconds: number;
  maxAttempts: number;
  log: Logger;
  /** Schedules the A/B decision at the end of the test (see campaign-ab.ts). */
  scheduleDecision(c: CampaignRow): Promise<void>;
}

/** When the send job should run again: now (slice ended), at a time (retries, daily cap, schedule), or not. */
export type Next = { at: 'now' | Date } | null;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** Runs `fn` over `items` with at most `n` at once. */
async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (i < items.length) await fn(items[i++]!);
  }));
}

/**
 * Sends a campaign: throttled batches of approved recipients, each message sent at most once.
 *
 * The rule (SMTP has no idempotency): a recipient is claimed — `sending`, with its idempotency key
 * `cmp:<campaign>:<recipient>` (unique) and the job attempt's claim — and its message row is written
 * before anything is sent. The mailer calls back right before the message becomes the provider's (for
 * SMTP: after the server took sender, recipient and text, before the final dot); that moment is recorded
 * (`send_committed_at`) by a compare-and-set on the claim, and the dot waits for it. When a worker dies:
 * a row claimed but not committed cannot have been delivered (a server that never got the final dot
 * discards the message), so it is sent again; a committed row may have been delivered, so it is never sent
 * again and is marked sent, `unconfirmed` — at most once. The only loss window is between the database
 * confirming that write and the dot leaving this process (one database round trip), against the duplicate
 * window at-least-once would have (the server filtering and storing the message, its reply, our write of it). A failure the provider answered
 * (SMTP 4xx/5xx, an HTTP status) is certain and is retried (4xx) or bounced (5xx); a failure without an
 * answer after the commit (connection lost, timeout) is treated like a dead worker: not resent. Every
 * message also carries a stable Message-ID, so a copy that got through twice anyway collapses in mail stores.
 */
export class CampaignSender {
  constructor(private readonly d: SenderDeps) {}

  async run(tenantId: string, campaignId: string, claim: string, signal: AbortSignal, deadline: number): Promise<Next> {
    let c = await this.d.repo.get(tenantId, campaignId);
    if (!c) return null;
    if (c.status === 'scheduled') {
      if (c.send_at && new Date(c.send_at).getTime() > Date.now() + 500) return { at: new Date(c.send_at) };
      c = await this.d.repo.transition(tenantId, campaignId, ['scheduled'], { status: 'sending', send_started_at: c.send_started_at ?? new Date() });
      if (!c) return null;
      await this.d.events.emit(tenantId, 'campaign.sending', { campaign_id: campaignId, name: c.name, scheduled: true });
    }
    if (c.status !== 'sending') return null;
    const recovered = await this.d.send.recoverStale(tenantId, campaignId, claim);
    if (recovered.requeued || recovered.unconfirmed.length) this.d.log.warn({ campaignId, ...recovered }, 'resolved messages of a stopped send');
    await this.repairDelivered(tenantId, campaignId);
    const batchSize = Math.max(this.d.concurrency * 4, 20);
    for (;;) {
      if (signal.aborted || Date.now() > deadline) return { at: 'now' };
      const now = await this.d.repo.get(tenantId, campaignId);
      if (!now || now.status !== 'sending') return null;
      const grant = await this.d.throttle.acquire(tenantId, batchSize);
      if (grant.reason === 'daily_cap') {
        this.d.log.info({ campaignId, resumeAt: grant.resumeAt }, 'daily cap reached: sending resumes tomorrow');
        return { at: grant.resumeAt };
      }
      if (grant.reason === 'rate') {
        await sleep(Math.min(grant.waitMs, Math.max(0, deadline - Date.now())), signal);
        continue;
      }
      const ids = await this.d.send.claim(tenantId, campaignId, grant.granted, claim);
      if (ids.length < grant.granted) await this.d.throttle.release(tenantId, grant.granted - ids.length);
      if (!ids.length) return this.finishOrWait(now);
      await this.sendBatch(now, await this.d.send.details(tenantId, ids), claim);
    }
  }

  /** Nothing due now: wait for retries or renders, else the campaign is sent (or waits for its A/B decision). */
  private async finishOrWait(c: CampaignRow): Promise<Next> {
    const left = await this.d.send.remaining(c.tenant_id, c.id);
    if (left.due || left.sending) return { at: new Date(Date.now() + 2000) }; // another attempt holds some; look again
    if (left.later) return { at: left.nextAt! };
    if (left.autoPending) return { at: new Date(Date.now() + 5000) };
    const ab = c.ab ?? {};
    const abOn = abEnabled(ab);
    if (abOn && !ab.decision && !ab.decide_at) await this.d.scheduleDecision(c);
    if (abOn && !ab.decision && ab.send_winner_to_rest && left.held) return null; // stays sending: the rest goes out after the window
    const done = await this.d.repo.transition(c.tenant_id, c.id, ['sending'], { status: 'sent', sent_at: new Date() });
    if (done) {
      const counts = (await this.d.repo.counts(c.tenant_id, [c.id])).get(c.id)!;
      const data = Object.fromEntries(['sent', 'send_failed', 'bounced', 'skipped'].map((k) => [k, counts.get(k) ?? 0]));
      this.d.log.info({ campaignId: c.id, ...data }, 'campaign sent');
      await this.d.events.emit(c.tenant_id, 'campaign.sent', { campaign_id: c.id, name: c.name, ...data });
    }
    return null;
  }

  /** Counts deliveries a stopped worker recorded as sent but did not get to count. */
  private async repairDelivered(tenantId: string, campaignId: string) {
    for (const r of await this.d.send.undelivered(tenantId, campaignId)) await this.d.recipients.markDelivered(tenantId, r.video_recipient_id, r.sent_at ?? new Date());
  }

  private async sendBatch(c: CampaignRow, rows: SendRow[], claim: string): Promise<void> {
    const suppressed = await this.d.send.suppressed(c.tenant_id, rows.map((r) => r.email));
    const ready: { r: SendRow; mail: ReturnType<typeof buildVideoEmail>; messageId: string }[] = [];
    for (const r of rows) {
      const reason = suppressed.get(r.email) ?? (r.unsubscribed_at ? 'unsubscribed' : null);
      if (reason) {
        await this.d.send.markNotSent(c.tenant_id, r.id, claim, { state: 'skipped', skipReason: reason, error: `Not sent: the address is ${reason}`, errorCode: reason });
        continue;
      }
      if (r.video_status !== 'completed' || !r.slug || !r.video_recipient_id || !r.video_id) {
        await this.d.send.markNotSent(c.tenant_id, r.id, claim, { state: 'send_failed', error: 'The video is not rendered', errorCode: 'video_not_ready' });
        continue;
      }
      const messageId = r.message_id ?? randomUUID();
      ready.push({ r, messageId, mail: this.compose(c, r, messageId) });
    }
    await this.d.send.recordMessages(
      c.tenant_id,
      c.owner_id,
      ready.map(({ r, mail, messageId }) => ({
        recipientId: r.id, messageId, sendKey: r.send_key, videoId: r.video_id!, videoRecipientId: r.video_recipient_id!,
        to: { email: r.email, name: name(r) }, from: this.d.from, subject: mail.subject, html: mail.html, text: mail.text, headers: mail.headers, provider: this.d.mailer.provider,
      })),
    );
    await pool(ready, this.d.concurrency, (x) => this.sendOne(c, x.r, x.mail, x.messageId, claim));
  }

  private compose(c: CampaignRow, r: SendRow, messageId: string) {
    const links = this.d.recipients.links(r.video_recipient_id!, r.slug!);
    return buildVideoEmail({
      video: { title: r.title, language: r.language ?? c.language, duration_sec: r.duration_sec, width: r.width, height: r.height },
      links,
      to: { email: r.email, name: name(r) },
      subject: r.subject ?? c.subject,
      ...personalBody({ body: c.body, bodyHtml: c.body_html }, r.values),
      client: c.email_client as EmailClient,
      thumbnail: r.thumbnail ?? 'auto',
      unsubscribeUrl: this.d.unsubscribeUrl(c.tenant_id, r.video_recipient_id!),
      from: this.d.from,
      messageId,
    });
  }

  private async sendOne(c: CampaignRow, r: SendRow, mail: ReturnType<typeof buildVideoEmail>, messageId: string, claim: string): Promise<void> {
    let committed = false;
    let lost = false;
    const attribution = { tenant_id: c.tenant_id, video_id: r.video_id!, recipient_id: r.video_recipient_id!, message_id: messageId };
    try {
      const res = await this.d.mailer.send(
        { from: this.d.from, to: { email: r.email, name: name(r) }, subject: mail.subject, html: mail.html, text: mail.text, headers: mail.headers, attribution, messageId: stableMessageId(r, this.d.from) },
        {
          beforeCommit: async () => {
            if (!(await this.d.send.markCommitted(c.tenant_id, r.id, claim))) {
              lost = true;
              throw new Error('another send attempt holds this recipient');
            }
            committed = true;
          },
        },
      );
      await this.delivered(c, r, claim, res.providerMessageId, messageId);
    } catch (err) {
      if (lost) return;
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      const replied = err instanceof MailError && err.replied;
      if (committed && !replied) {
        // Handed over, then no answer: the server may have it. Never send it again (at most once).
        this.d.log.warn({ recipientId: r.id, err: message }, 'no answer after the message was handed over; counted as sent, not resent');
        await this.delivered(c, r, claim, null, messageId, `Handed to the mail server, then no answer (${message}); not sent again (at most once)`);
        return;
      }
      const permanent = err instanceof MailError && err.permanent;
      const last = permanent || r.send_attempts >= this.d.maxAttempts;
      if (permanent) {
        await this.d.send.markNotSent(c.tenant_id, r.id, claim, { state: 'bounced', error: message, errorCode: 'bounced', message: 'bounced' });
        await this.d.send.suppressBounce(c.tenant_id, r.email);
      } else if (last) {
        await this.d.send.markNotSent(c.tenant_id, r.id, claim, { state: 'send_failed', error: message, errorCode: 'mail_failed', message: 'failed' });
      } else {
        const nextAttemptAt = new Date(Date.now() + this.d.retryDelaySeconds * 1000 * 2 ** (r.send_attempts - 1));
        await this.d.send.markNotSent(c.tenant_id, r.id, claim, { state: 'approved', error: `Attempt ${r.send_attempts} failed, retrying: ${message}`, errorCode: 'mail_failed', nextAttemptAt, message: 'failed' });
      }
      this.d.log.warn({ recipientId: r.id, permanent, last, err: message }, 'campaign message not sent');
      if (last) {
        await this.d.events.emit(c.tenant_id, 'campaign.recipient_failed', { campaign_id: c.id, recipient_id: r.id, email: r.email, stage: 'send', error_code: permanent ? 'bounced' : 'mail_failed', error: message });
      }
    }
  }

  private async delivered(c: CampaignRow, r: SendRow, claim: string, providerMessageId: string | null, messageId: string, unconfirmed: string | null = null) {
    const at = new Date();
    if (!(await this.d.send.markSent(c.tenant_id, r.id, claim, providerMessageId, at, unconfirmed))) return;
    await this.d.recipients.markDelivered(c.tenant_id, r.video_recipient_id!, at);
    await this.d.events.emit(c.tenant_id, 'email.sent', {
      tenant_id: c.tenant_id, video_id: r.video_id, recipient_id: r.video_recipient_id, message_id: messageId, campaign_id: c.id,
      email: r.email, provider: this.d.mailer.provider, sent_at: at.toISOString(),
    });
  }
}

const name = (r: Pick<SendRow, 'first_name' | 'last_name'>) => [r.first_name, r.last_name].filter((s) => s && s.trim()).join(' ') || null;

/** The same Message-ID for every attempt of one recipient's message: `<cmp.<campaign>.<recipient>@<sender domain>>`. */
export function stableMessageId(r: Pick<SendRow, 'campaign_id' | 'id'>, from: string): string {
  const domain = parseAddress(from).email.split('@')[1] || 'localhost';
  return `<cmp.${r.campaign_id}.${r.id}@${domain}>`;
}
