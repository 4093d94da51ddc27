import type { Container } from '../container';
import type { JobHandlers } from './job-handler';
import { prepareAvatarJob } from '../render/prepare/prepare.job';
import { reconcileVideoRows, renderVideoJob } from '../videos/render.job';
import { deliverWebhookJob } from '../webhooks/deliver.job';
import { campaignAbDecideJob, campaignFanoutJob, campaignSendJob, reconcileCampaigns, renderCampaignJob } from '../campaigns/campaigns.jobs';

/** Exactly one handler per job name; the worker refuses to start otherwise. Each feature adds its line. */
export const JOB_HANDLERS: JobHandlers = {
  'render-video': renderVideoJob,
  'prepare-avatar': prepareAvatarJob,
  'deliver-webhook': deliverWebhookJob,
  'campaign-fanout': campaignFanoutJob,
  'render-campaign': renderCampaignJob,
  'campaign-send': campaignSendJob,
  'campaign-ab-decide': campaignAbDecideJob,
};

/** Maintenance run by every worker at start and every JOB_MAINTENANCE_SECONDS (must be idempotent). */
export const JOB_SWEEPS: ((c: Container) => Promise<void>)[] = [reconcileVideoRows, reconcileCampaigns];
