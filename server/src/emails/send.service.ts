import { createHash, randomUUID } from 'node:crypto';
import type { SendEmailRequest, SendEmailResponse } from '@mvs/shared/schemas/email-send';
import type { WebhookEvent } from '../db/tables/email';
import { AppError, notFound } from '../errors';
import type { Principal } from '../http/env';
import type { Logger } from '../logger';
import { MailError, type Mailer } from '../mail/mailer';
import type { RecipientsService } from '../tracking/recipients.service';
import type { SendRepository } from './send.repository';
import type { UnsubscribeTokens } from './unsubscribe.tokens';
import { buildVideoEmail } from './video-email';

type Result = SendEmailResponse['results'][number];
type Video = NonNullable<Awaited<ReturnType<SendRepository['findVideo']>>>;

export interface EventSink {
  emit(tenantId: string, event: WebhookEvent, data: Record<string, unknown>): Promise<void>;
}

const POLL_MS = 200;
const WAIT_FOR_FIRST_MS = 15_000;

/**
 * POST /emails/send rules: idempotency (one key, one send, even under concurrent retries), suppressed and
 * unsubscribed addresses skipped, per-recipient links and video block, one message row per recipient.
 * Sends inline so the answer carries each recipient's outcome (and the outbox driver needs no worker).
 */
export class SendService {
  constructor(
    private readonly repo: SendRepository,
    private readonly recipients: RecipientsService,
    private readonly mailer: Mailer,
    private readonly tokens: UnsubscribeTokens,
    private readonly opts: { publicUrl: string; from: string },
    private readonly events: EventSink,
    private readonly log: Logger,
  ) {}

  unsubscribeUrl(tenantId: string, recipientId: string): string {
    return `${this.opts.publicUrl.replace(/\/$/, '')}/u/${this.tokens.sign(tenantId, recipientId)}`;
  }

  async send(p: Principal, req: SendEmailRequest, headerKey: string | undefined): Promise<{ body: SendEmailResponse; replayed: boolean }> {
    if (headerKey && req.idempotency_key && headerKey !== req.idempotency_key) {
      throw new AppError(422, 'validation_failed', 'Idempotency-Key header and idempotency_key differ; send one of them');
    }
    const key = headerKey ?? req.idempotency_key ?? randomUUID();
    const to = [...new Map(req.to.map((r) => [r.email.toLowerCase(), { email: r.email.toLowerCase(), name: r.name?.trim() || null }])).values()];
    const hash = createHash('sha256')
      .update(JSON.stringify([req.video_id, to, req.subject, req.body_text ?? null, req.body_html ?? null, req.client ?? 'generic']))
      .digest('hex');

    const video = await this.repo.findVideo(p.tenantId, req.video_id);
    if (!video) throw notFound('Video', req.video_id);
    if (video.status !== 'completed') throw new AppError(409, 'video_not_ready', `Video ${video.id} is ${video.status}; send it once it is completed`);

    const claim = await this.repo.claimSend({ tenant_id: p.tenantId, user_id: p.userId, video_id: video.id, idempotency_key: key, request_hash: hash });
    if (!claim) return { body: await this.firstResponse(p.tenantId, key, hash), replayed: true };

    const results: Result[] = [];
    try {
      for (const r of to) results.push(await this.sendOne(p.tenantId, claim.id, key, video, r, req));
    } catch (err) {
      if (!results.length) await this.repo.releaseSend(p.tenantId, claim.id);
      throw err;
    }
    const count = (s: Result['status']) => results.filter((r) => r.status === s).length;
    const body: SendEmailResponse = {
      send_id: claim.id,
      idempotency_key: key,
      provider: this.mailer.provider,
      sent: count('sent'),
      failed: count('failed'),
      skipped: count('skipped'),
      results,
    };
    await this.repo.finishSend(p.tenantId, claim.id, body);
    return { body, replayed: false };
  }

  /** The stored answer of the request that holds the key (waits while it is still sending). */
  private async firstResponse(tenantId: string, key: string, hash: string): Promise<SendEmailResponse> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const first = await this.repo.findSend(tenantId, key);
      if (first && first.request_hash !== hash) {
        throw new AppError(409, 'idempotency_conflict', 'This Idempotency-Key was used for a different request; use a new key for a new email');
      }
      if (first?.response) return first.response as unknown as SendEmailResponse;
      if (Date.now() > deadline) throw new AppError(409, 'conflict', 'A request with this Idempotency-Key is still sending; retry in a few seconds');
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private async sendOne(tenantId: string, sendId: string, key: string, video: Video, to: { email: string; name: string | null }, req: SendEmailRequest): Promise<Result> {
    const skip = (reason: string, recipientId: string | null = null): Result => ({ email: to.email, status: 'skipped', reason, message_id: null, recipient_id: recipientId, watch_url: null });
    const suppressed = await this.repo.suppression(tenantId, to.email);
    if (suppressed) return skip(suppressed);
    const links = await this.recipients.ensure(tenantId, video.id, to);
    if (links.row.unsubscribed_at) return skip('unsubscribed', links.recipientId);

    const unsubscribeUrl = this.unsubscribeUrl(tenantId, links.recipientId);
    const messageId = randomUUID();
    const { headers, ...mail } = buildVideoEmail({
      video, links, to, subject: req.subject, bodyText: req.body_text, bodyHtml: req.body_html,
      client: req.client ?? 'generic', unsubscribeUrl, from: this.opts.from, messageId,
    });
    await this.repo.insertMessage({
      id: messageId, tenant_id: tenantId, send_id: sendId, video_id: video.id, recipient_id: links.recipientId, idempotency_key: key,
      to_email: to.email, to_name: to.name, from_address: this.opts.from, subject: mail.subject, html: mail.html, text: mail.text,
      headers: JSON.stringify(headers), provider: this.mailer.provider, status: 'queued',
    });
    const attribution = { tenant_id: tenantId, video_id: video.id, recipient_id: links.recipientId, message_id: messageId };
    const base = { email: to.email, message_id: messageId, recipient_id: links.recipientId, watch_url: links.watchUrl };
    try {
      const sent = await this.mailer.send({ from: this.opts.from, to, subject: mail.subject, html: mail.html, text: mail.text, headers, attribution });
      const at = new Date();
      await this.repo.updateMessage(tenantId, messageId, { status: 'sent', provider_message_id: sent.providerMessageId, sent_at: at });
      await this.recipients.markDelivered(tenantId, links.recipientId, at);
      await this.events.emit(tenantId, 'email.sent', { ...attribution, email: to.email, provider: this.mailer.provider, sent_at: at.toISOString() });
      return { ...base, status: 'sent', reason: null };
    } catch (err) {
      const permanent = err instanceof MailError && err.permanent;
      const message = err instanceof Error ? err.message : String(err);
      this.log.warn({ messageId, permanent, err: message }, 'email not sent');
      await this.repo.updateMessage(tenantId, messageId, { status: permanent ? 'bounced' : 'failed', error: message.slice(0, 500) });
      if (permanent) await this.repo.suppress(tenantId, to.email, 'bounced');
      return { ...base, status: 'failed', reason: message.slice(0, 300) };
    }
  }
}
