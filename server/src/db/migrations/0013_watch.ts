import { sql, type Kysely } from 'kysely';

/*
 * Watch-through curve ("% of human viewers still watching at each second").
 * watch_sessions: the furthest second each human page view reached (write-side state, one row per view that
 * played; beacons only ever move it forward). video_watch_curve: per video, how many views stopped at each
 * second (a histogram of the furthest second), moved in the same transaction, so the analytics read is at most
 * one row per second of video and never scans events.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('watch_sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('video_id', 'uuid', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('furthest_sec', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('watch_sessions_video_idx').on('watch_sessions').columns(['video_id']).execute();
  await db.schema.createIndex('watch_sessions_updated_idx').on('watch_sessions').columns(['updated_at']).execute();

  await db.schema
    .createTable('video_watch_curve')
    .addColumn('video_id', 'uuid', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('second', 'integer', (c) => c.notNull())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('viewers', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('video_watch_curve_pk', ['video_id', 'second'])
    .execute();
  await db.schema.createIndex('video_watch_curve_tenant_idx').on('video_watch_curve').columns(['tenant_id', 'video_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('video_watch_curve').ifExists().execute();
  await db.schema.dropTable('watch_sessions').ifExists().execute();
}
