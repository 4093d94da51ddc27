import type { Kysely } from 'kysely';
import type { AuditRepository } from '../audit/audit.repository';
import type { Config } from '../config';
import type { ContactsRepository } from '../contacts/contacts.repository';
import type { DB } from '../db/types';
import type { EventSink } from '../emails/send.service';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import type { Mailer } from '../mail/mailer';
import { MailThrottle } from '../mail/mail-throttle';
import { MailThrottleRepository } from '../mail/mail-throttle.repository';
import type { TemplatesRepository } from '../templates/templates.repository';
import type { RecipientsService } from '../tracking/recipients.service';
import type { VideosRepository } from '../videos/videos.repository';
import type { VideosService } from '../videos/videos.service';
import { CampaignAb } from './campaign-ab';
import { CampaignJobsRepository } from './campaign-jobs.repository';
import { CampaignRendering } from './campaign-render';
import { CampaignSendRepository } from './campaign-send.repository';
import { CampaignSender } from './campaign-sender';
import { CampaignAnalyticsService } from './campaigns.analytics';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignsService } from './campaigns.service';

export type Campaigns = ReturnType<typeof createCampaigns>;

/** Per-minute rate of each mail driver (MAIL_RATE_<DRIVER>_PER_MINUTE). */
export function driverRate(config: Config, driver: Mailer['provider']): number {
  return driver === 'smtp' ? config.MAIL_RATE_SMTP_PER_MINUTE : driver === 'sendgrid' ? config.MAIL_RATE_SENDGRID_PER_MINUTE : config.MAIL_RATE_OUTBOX_PER_MINUTE;
}

/** Builds the campaigns feature: the service behind the routes, rendering, sending, the A/B window, analytics. */
export function createCampaigns(deps: {
  db: Kysely<DB>;
  config: Config;
  log: Logger;
  queue: JobQueue;
  audit: AuditRepository;
  events: EventSink;
  contacts: ContactsRepository;
  templates: TemplatesRepository;
  videosRepo: VideosRepository;
  videos: VideosService;
  mailer: Mailer;
  recipients: RecipientsService;
  unsubscribeUrl(tenantId: string, videoRecipientId: string): string;
  /** Told of each video a deleted campaign took with it (the watch page's cache). */
  videoRemoved?: (videoId: string) => void;
}) {
  const { config } = deps;
  const log = deps.log.child({ module: 'campaigns' });
  const repo = new CampaignsRepository(deps.db);
  const jobs = new CampaignJobsRepository(deps.db);
  const analytics = new CampaignAnalyticsService(repo);
  const campaigns = new CampaignsService({
    repo, contacts: deps.contacts, templates: deps.templates, videosRepo: deps.videosRepo, videos: deps.videos, queue: deps.queue, audit: deps.audit, events: deps.events, config, log,
    analytics, videoRemoved: deps.videoRemoved,
  });
  const ab = new CampaignAb({ repo, analytics, queue: deps.queue, events: deps.events, log });
  const rendering = new CampaignRendering({ repo, jobs, videosRepo: deps.videosRepo, queue: deps.queue, events: deps.events, log });
  const throttle = new MailThrottle(new MailThrottleRepository(deps.db), deps.mailer.provider, { perMinute: driverRate(config, deps.mailer.provider), dailyCap: config.MAIL_DAILY_CAP });
  const sender = new CampaignSender({
    repo, send: new CampaignSendRepository(deps.db), mailer: deps.mailer, throttle, recipients: deps.recipients, unsubscribeUrl: deps.unsubscribeUrl,
    events: deps.events, from: config.MAIL_FROM, concurrency: config.MAIL_SEND_CONCURRENCY, retryDelaySeconds: config.MAIL_RETRY_DELAY_SECONDS,
    maxAttempts: config.MAIL_MAX_ATTEMPTS, log, scheduleDecision: (c) => ab.schedule(c),
  });
  return { campaigns, campaignsRepo: repo, campaignJobs: jobs, campaignRendering: rendering, campaignSender: sender, campaignAb: ab, campaignAnalytics: analytics };
}
