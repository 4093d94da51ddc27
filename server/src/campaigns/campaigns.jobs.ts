import type { Container } from '../container';
import type { JobHandler } from '../jobs/job-handler';

/** A send slice runs at most this long (and always ends before its job would expire), then queues the next. */
export const SEND_SLICE_SECONDS = 300;

export const campaignFanoutJob: JobHandler<'campaign-fanout'> = ({ tenantId, campaignId }, ctx) =>
  ctx.container.campaignRendering.fanout(tenantId, campaignId, ctx.signal);

export const renderCampaignJob: JobHandler<'render-campaign'> = (data, ctx) => ctx.container.campaignRendering.render(data, ctx);

/** The 'campaign-send' job: one throttled slice; the claim names this job attempt (see CampaignSendRepository). */
export const campaignSendJob: JobHandler<'campaign-send'> = async ({ tenantId, campaignId }, ctx) => {
  const c = ctx.container;
  const slice = Math.max(5, Math.min(SEND_SLICE_SECONDS, c.config.JOB_EXPIRE_SECONDS - 10));
  const next = await c.campaignSender.run(tenantId, campaignId, `${ctx.jobId}:${ctx.retryCount}`, ctx.signal, Date.now() + slice * 1000);
  if (next) await c.queue.send('campaign-send', { tenantId, campaignId }, next.at === 'now' ? {} : { startAfter: next.at });
  return next ? 'success' : 'skipped';
};

export const campaignAbDecideJob: JobHandler<'campaign-ab-decide'> = ({ tenantId, campaignId }, ctx) => ctx.container.campaignAb.decide(tenantId, campaignId);

/** Sweep: campaigns that should have a job and have none (a worker died between two writes) get one again. */
export async function reconcileCampaigns(c: Container): Promise<void> {
  for (const s of await c.campaignJobs.stalled()) {
    c.logger.warn({ campaignId: s.id, status: s.status }, 'campaign had no job: queued one again');
    if (s.status === 'rendering') await c.queue.send('campaign-fanout', { tenantId: s.tenant_id, campaignId: s.id });
    else await c.queue.send('campaign-send', { tenantId: s.tenant_id, campaignId: s.id });
  }
}
