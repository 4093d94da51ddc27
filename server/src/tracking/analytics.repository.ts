import type { Kysely } from 'kysely';
import type { DB } from '../db/types';

/** Reads the aggregate rows of one video (a handful of rows: totals, days, recipients), never the raw events. */
export class AnalyticsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  stats(tenantId: string, videoId: string) {
    return this.db.selectFrom('video_stats').selectAll().where('tenant_id', '=', tenantId).where('video_id', '=', videoId).execute();
  }

  recipients(tenantId: string, videoId: string) {
    return this.db
      .selectFrom('video_recipients')
      .select(['id', 'email', 'name', 'delivered_at'])
      .where('tenant_id', '=', tenantId)
      .where('video_id', '=', videoId)
      .orderBy('created_at')
      .orderBy('email')
      .execute();
  }

  videoExists(tenantId: string, videoId: string) {
    return this.video(tenantId, videoId).then(Boolean);
  }

  /** The video (its length for the watch-through curve), or undefined when it is not this tenant's. */
  video(tenantId: string, videoId: string) {
    return this.db.selectFrom('videos').select(['id', 'duration_sec']).where('tenant_id', '=', tenantId).where('id', '=', videoId).executeTakeFirst();
  }
}
