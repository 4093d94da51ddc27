import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { DB } from '../db/types';
import type { Logger } from '../logger';
import type { Storage } from '../storage/storage';
import { BrandingRepository, BrandingService } from '../watch/branding';
import { ThumbCache } from '../watch/thumb-cache';
import { WatchRepository } from '../watch/watch.repository';
import { WatchService } from '../watch/watch.service';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { IpHasher, TrackTokens } from './crypto';
import { IpRanges } from './ip-ranges';
import { loadRangeFile, toRangeLists } from './ip-ranges.data';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { RateLimiter } from './rate-limiter';
import { RecipientsRepository } from './recipients.repository';
import { RecipientsService } from './recipients.service';
import { TrackingHooks } from './tracking.hooks';
import { TrackingRepository } from './tracking.repository';
import { TrackingService } from './tracking.service';
import { WatchCurveRepository } from './watch-curve.repository';
import { WatchCurveService } from './watch-curve.service';

export type Tracking = ReturnType<typeof createTracking>;

/** Builds the watch/tracking feature's adapters and services (called from the composition root). */
export function createTracking(db: Kysely<DB>, storage: Storage, config: Config, log: Logger) {
  const trackingRepo = new TrackingRepository(db);
  const hooks = new TrackingHooks(log);
  // Per page view: a real viewer sends at most ~8 beacons; per address: an office behind one NAT can be busy.
  const limits = { session: new RateLimiter(30, 1), ip: new RateLimiter(config.TRACK_IP_BURST, config.TRACK_IP_PER_SECOND) };
  // An operator's own (refreshed) range file is read and checked at start; the bundled one on the first event.
  const ranges = config.IP_RANGES_FILE ? new IpRanges(toRangeLists(loadRangeFile(config.IP_RANGES_FILE))) : undefined;
  const watchCurve = new WatchCurveService(new WatchCurveRepository(db), log);
  const tracking = new TrackingService(trackingRepo, new TrackTokens(config.SECRET_KEY), new IpHasher(config.SECRET_KEY), hooks, limits, log, undefined, ranges, watchCurve);
  const notifications = new NotificationsService(new NotificationsRepository(db), log);
  hooks.onFirstView((f) => notifications.onFirstView(f));
  return {
    watch: new WatchService(new WatchRepository(db), 5000, 10_000, 5000, (err) => log.warn({ err }, 'watch page: background reload of a slug failed')),
    branding: new BrandingService(new BrandingRepository(db), storage),
    thumbs: new ThumbCache(storage),
    tracking,
    recipients: new RecipientsService(new RecipientsRepository(db), trackingRepo, config.PUBLIC_URL),
    analytics: new AnalyticsService(new AnalyticsRepository(db), watchCurve),
    notifications,
  };
}
