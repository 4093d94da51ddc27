import type { Insertable, Kysely } from 'kysely';
import type { NotificationsTable, VideoRecipientsTable } from '../db/tables/tracking';
import type { VideosTable } from '../db/tables/core';
import type { DB } from '../db/types';

/** Inserts of the demo activity seed (rows with times in the past, which the features' own inserts do not take). */
export class DemoActivityRepository {
  constructor(private readonly db: Kysely<DB>) {}

  videoExists(tenantId: string, id: string) {
    return this.db.selectFrom('videos').select('id').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst().then(Boolean);
  }

  insertVideo(v: Insertable<VideosTable>) {
    return this.db.insertInto('videos').values(v).returning(['id']).executeTakeFirstOrThrow();
  }

  insertRecipient(r: Insertable<VideoRecipientsTable>) {
    return this.db.insertInto('video_recipients').values(r).returning(['id']).executeTakeFirstOrThrow();
  }

  insertNotifications(rows: Insertable<NotificationsTable>[]) {
    return rows.length ? this.db.insertInto('notifications').values(rows).execute() : Promise.resolve([]);
  }
}
