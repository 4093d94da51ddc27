import type { Recipient } from '@mvs/shared/schemas/analytics';
import { notFound } from '../errors';
import { newSlug } from './crypto';
import type { RecipientRow, RecipientsRepository } from './recipients.repository';
import type { TrackingRepository } from './tracking.repository';

/** The personal links of one recipient (the contract the email sender uses). */
export interface RecipientLinks {
  recipientId: string;
  slug: string;
  watchUrl: string;
  posterUrl: string;
  gifUrl: string;
}

/** Per-recipient links for a video, and delivery marks that feed the analytics. */
export class RecipientsService {
  constructor(
    private readonly repo: RecipientsRepository,
    private readonly tracking: TrackingRepository,
    private readonly publicUrl: string,
  ) {}

  /** Returns the recipient's links, creating the recipient on first use (idempotent per video and email). */
  async ensure(tenantId: string, videoId: string, input: { email: string; name?: string | null }): Promise<RecipientLinks & { created: boolean; row: RecipientRow }> {
    if (!(await this.repo.findVideo(tenantId, videoId))) throw notFound('Video', videoId);
    const { row, created } = await this.repo.upsert({
      tenant_id: tenantId,
      video_id: videoId,
      email: input.email.trim().toLowerCase(),
      name: input.name?.trim() || null,
      slug: newSlug(),
    });
    return { ...this.links(row.id, row.slug), created, row };
  }

  async list(tenantId: string, videoId: string): Promise<Recipient[]> {
    if (!(await this.repo.findVideo(tenantId, videoId))) throw notFound('Video', videoId);
    return (await this.repo.list(tenantId, videoId)).map((r) => this.toDto(r));
  }

  /** Marks the email as delivered (first call wins) and counts it; the delivery time also feeds bot timing. */
  async markDelivered(tenantId: string, recipientId: string, at = new Date()): Promise<void> {
    await this.repo.markDelivered(tenantId, recipientId, at, (row, trx) =>
      this.tracking.addDelivered({ tenant_id: tenantId, video_id: row.video_id, recipient_id: row.id }, at, trx),
    );
  }

  async markUnsubscribed(tenantId: string, recipientId: string, at = new Date()): Promise<void> {
    if (!(await this.repo.markUnsubscribed(tenantId, recipientId, at))) throw notFound('Recipient', recipientId);
  }

  links(recipientId: string, slug: string): RecipientLinks {
    const base = `${this.publicUrl.replace(/\/$/, '')}/v/${slug}`;
    return { recipientId, slug, watchUrl: base, posterUrl: `${base}/poster.jpg`, gifUrl: `${base}/thumb.gif` };
  }

  toDto(r: RecipientRow): Recipient {
    const l = this.links(r.id, r.slug);
    return {
      id: r.id,
      video_id: r.video_id,
      email: r.email,
      name: r.name,
      slug: r.slug,
      watch_url: l.watchUrl,
      poster_url: l.posterUrl,
      gif_url: l.gifUrl,
      delivered_at: r.delivered_at ? r.delivered_at.toISOString() : null,
      created_at: r.created_at.toISOString(),
    };
  }
}
