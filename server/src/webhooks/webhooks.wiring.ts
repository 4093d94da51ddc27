import type { Kysely } from 'kysely';
import type { AuditRepository } from '../audit/audit.repository';
import type { Config } from '../config';
import type { DB } from '../db/types';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import type { HostResolver } from '../net/outbound';
import type { SecretBox } from '../security/secret-box';
import type { TrackedEvent, TrackingHooks } from '../tracking/tracking.hooks';
import type { VideosService } from '../videos/videos.service';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

const viewData = (e: TrackedEvent) => ({
  video_id: e.videoId,
  recipient_id: e.recipientId,
  session_id: e.sessionId,
  classification: e.classification,
  ...(e.type === 'progress' ? { percent: e.value } : {}),
  at: e.at.toISOString(),
});

/** Builds outgoing webhooks and subscribes them to finished videos, email sends and human tracking events. */
export function createWebhooks(deps: {
  db: Kysely<DB>;
  queue: JobQueue;
  config: Config;
  log: Logger;
  trackingHooks: TrackingHooks;
  videos: VideosService;
  box: SecretBox;
  resolveHost?: HostResolver;
  audit?: AuditRepository;
}) {
  const { config } = deps;
  const webhooks = new WebhooksService(new WebhooksRepository(deps.db), deps.queue, config.WEBHOOK_RETRY_DELAY_SECONDS, deps.log, config.WEBHOOK_ALLOW_PRIVATE_NETWORKS, deps.box, deps.resolveHost, deps.audit);
  const base = config.PUBLIC_URL.replace(/\/$/, '');

  deps.videos.onVideoFinished((v) =>
    webhooks.emit(v.tenant_id, v.status === 'completed' ? 'video.completed' : 'video.failed', {
      video_id: v.id,
      status: v.status,
      title: v.title,
      duration_sec: v.duration_sec,
      watch_url: `${base}/v/${v.slug}`,
      error_code: v.error_code,
      error: v.error,
      completed_at: v.completed_at ? new Date(v.completed_at).toISOString() : null,
    }),
  );
  // Machine traffic (proxies, scanners) is not news to a subscriber: only human events are sent.
  deps.trackingHooks.onHumanView((e) => webhooks.emit(e.tenantId, 'video.viewed', viewData(e)));
  deps.trackingHooks.onEvent((e) => {
    if (e.classification !== 'human') return;
    if (e.type === 'progress') return webhooks.emit(e.tenantId, 'video.progress', viewData(e));
    if (e.type === 'cta') return webhooks.emit(e.tenantId, 'cta.clicked', viewData(e));
  });
  return { webhooks };
}
