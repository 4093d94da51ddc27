import { randomBytes, randomUUID } from 'node:crypto';
import { contactPronunciations } from '../contacts/template-values';
import type { EventSink } from '../emails/send.service';
import type { JobContext } from '../jobs/job-handler';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import { newSlug } from '../tracking/crypto';
import { renderVideoJob } from '../videos/render.job';
import type { VideosRepository } from '../videos/videos.repository';
import type { CampaignJobsRepository } from './campaign-jobs.repository';
import { segmentsFor, type CampaignVideoOptions } from './campaign-renderer';
import type { CampaignRecipientRow, CampaignRow, CampaignsRepository } from './campaigns.repository';

const FANOUT_BATCH = 200;
/** How often a campaign render re-checks for a waiting add-in render, and the longest it defers to them. */
export const YIELD_POLL_MS = 200;
export const YIELD_MAX_MS = 120_000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export interface CampaignRenderDeps {
  repo: CampaignsRepository;
  jobs: CampaignJobsRepository;
  videosRepo: VideosRepository;
  queue: JobQueue;
  events: EventSink;
  log: Logger;
}

const fullName = (r: Pick<CampaignRecipientRow, 'first_name' | 'last_name'>) => [r.first_name, r.last_name].filter((s) => s && s.trim()).join(' ') || null;

/**
 * Campaign rendering: the fan-out (one real `videos` row and one tracked recipient link per contact, and a
 * low-priority render job each) and the per-recipient render, which defers to add-in renders and then runs
 * the same render job as every video (so progress, checks, retries and crash recovery are the videos' own).
 */
export class CampaignRendering {
  constructor(private readonly d: CampaignRenderDeps) {}

  /** Creates the videos and render jobs of every pending recipient, in batches; resumable after a crash. */
  async fanout(tenantId: string, campaignId: string, signal: AbortSignal): Promise<'success' | 'skipped'> {
    const c = await this.d.repo.get(tenantId, campaignId);
    if (!c || (c.status !== 'rendering' && c.status !== 'sending')) return 'skipped';
    const variants = new Map((await this.d.repo.variants(tenantId, campaignId)).map((v) => [v.id, v]));
    let after = -1;
    let queued = 0;
    for (;;) {
      signal.throwIfAborted();
      const batch = await this.d.repo.recipientsInState(tenantId, campaignId, ['pending'], after, FANOUT_BATCH);
      if (!batch.length) break;
      after = batch.at(-1)!.position;
      const rows = batch.map((r) => this.videoFor(c, r, variants.get(r.variant_id ?? '')?.script ?? r.script ?? ''));
      // A batch's video rows, its recipients marked queued and their render jobs commit together: a database
      // that goes away in between leaves the batch pending, and the job's retry (or the sweep) takes it again.
      const ids = await this.d.queue.transaction(async (tx) => {
        const queuedIds = await this.d.repo.createRecipientVideos(tenantId, rows, tx.db);
        await tx.sendMany(
          'render-campaign',
          rows.filter((x) => queuedIds.has(x.recipientId)).map((x) => ({ data: { tenantId, campaignId, recipientId: x.recipientId, videoId: x.video.id } })),
        );
        return queuedIds;
      });
      queued += ids.size;
    }
    // Recipients queued by an earlier run that died before queueing their jobs (or paused and resumed).
    const orphans = await this.d.jobs.orphanRenders(tenantId, campaignId);
    await this.d.queue.sendMany('render-campaign', orphans.map((o) => ({ data: { tenantId, campaignId, recipientId: o.id, videoId: o.video_id } })));
    this.d.log.info({ campaignId, queued, requeued: orphans.length }, 'campaign renders queued');
    await this.afterRender(tenantId, campaignId);
    return 'success';
  }

  private videoFor(c: CampaignRow, r: CampaignRecipientRow, variantScript: string) {
    const values = r.values as Record<string, string>;
    const options: CampaignVideoOptions = {
      ...(r.first_name ? { recipient_name: r.first_name } : {}),
      pronunciations: contactPronunciations({ first_name: r.first_name, pronunciation: r.pronunciation }),
      ...(r.caption ? { caption: r.caption } : {}),
      campaign: { id: c.id, recipient_id: r.id },
      ...(variantScript ? { segments: segmentsFor(variantScript, values) } : {}),
    };
    return {
      recipientId: r.id,
      video: {
        id: randomUUID(), tenant_id: c.tenant_id, owner_id: c.owner_id, avatar_id: c.avatar_id, title: c.name, script: r.script ?? '',
        language: c.language, renderer: c.renderer, format: c.format, options: JSON.stringify(options), slug: randomBytes(16).toString('base64url'),
        cta_label: c.cta_label, cta_url: c.cta_url, campaign_id: c.id, updated_at: new Date(),
      },
      link: { id: randomUUID(), tenant_id: c.tenant_id, email: r.email, name: fullName(r), slug: newSlug() },
    };
  }

  /**
   * The 'render-campaign' job. Waits while an add-in render is queued or running (up to YIELD_MAX_MS, so a
   * busy day cannot starve a campaign), then renders the video with the standard render job and moves the
   * recipient to rendered (approved, for the A/B rest) or render_failed.
   */
  async render(data: { tenantId: string; campaignId: string; recipientId: string; videoId: string }, ctx: JobContext): Promise<'success' | 'skipped'> {
    const { tenantId, campaignId, recipientId, videoId } = data;
    const r = await this.d.repo.getRecipient(tenantId, campaignId, recipientId);
    const c = await this.d.repo.get(tenantId, campaignId);
    if (!r || !c || r.video_id !== videoId || (r.state !== 'queued' && r.state !== 'rendering')) return 'skipped';
    if (c.status === 'paused' || c.status === 'canceled') return 'skipped'; // stays queued; resume queues it again
    const deadline = Date.now() + YIELD_MAX_MS;
    while (Date.now() < deadline && !ctx.signal.aborted && (await this.d.jobs.interactiveRenderPending())) await sleep(YIELD_POLL_MS, ctx.signal);
    ctx.signal.throwIfAborted();
    await this.d.repo.setRecipient(tenantId, recipientId, ['queued'], { state: 'rendering' });
    let failure: unknown;
    try {
      await renderVideoJob({ videoId, tenantId }, ctx);
    } catch (err) {
      failure = err;
    }
    const v = await this.d.videosRepo.get(tenantId, videoId);
    if (v?.status === 'completed') {
      if (r.auto_approve) {
        // The A/B rest: approved and its (coalesced) send slice commit together.
        await this.d.queue.transaction(async (tx) => {
          await this.d.repo.setRecipient(tenantId, recipientId, ['queued', 'rendering'], { state: 'approved', approved_at: new Date(), error: null }, tx.db);
          await tx.send('campaign-send', { tenantId, campaignId }, { singletonKey: campaignId, singletonSeconds: 2 });
        });
      } else {
        await this.d.repo.setRecipient(tenantId, recipientId, ['queued', 'rendering'], { state: 'rendered', error: null, error_code: null });
      }
    } else if (v?.status === 'failed') {
      await this.d.repo.setRecipient(tenantId, recipientId, ['queued', 'rendering'], { state: 'render_failed', error: v.error, error_code: v.error_code });
      await this.d.events.emit(tenantId, 'campaign.recipient_failed', { campaign_id: campaignId, recipient_id: recipientId, email: r.email, stage: 'render', error_code: v.error_code, error: v.error });
    } else if (v?.status === 'queued') {
      await this.d.repo.setRecipient(tenantId, recipientId, ['rendering'], { state: 'queued' }); // the render job retries
    } else {
      await this.d.repo.setRecipient(tenantId, recipientId, ['queued', 'rendering'], { state: 'canceled' });
    }
    if (v?.status !== 'queued') await this.afterRender(tenantId, campaignId);
    if (failure) throw failure;
    return 'success';
  }

  /** When no render is left: rendering → review (failed when not one video rendered), and campaign.rendered. */
  async afterRender(tenantId: string, campaignId: string): Promise<void> {
    const left = await this.d.repo.countRecipients(tenantId, campaignId, { states: ['pending', 'queued', 'rendering'] });
    if (left) return;
    const counts = (await this.d.repo.counts(tenantId, [campaignId])).get(campaignId)!;
    const ok = (counts.get('rendered') ?? 0) + (counts.get('approved') ?? 0);
    const failed = counts.get('render_failed') ?? 0;
    const to = ok === 0 && failed > 0 ? 'failed' : 'review';
    const row = await this.d.repo.transition(tenantId, campaignId, ['rendering'], {
      status: to, rendered_at: new Date(), error: to === 'failed' ? `Every render failed (${failed}); see the recipients' errors` : null,
    });
    if (row) {
      this.d.log.info({ campaignId, rendered: ok, failed }, 'campaign rendered');
      await this.d.events.emit(tenantId, 'campaign.rendered', { campaign_id: campaignId, name: row.name, status: row.status, rendered: ok, failed });
    }
  }
}
