import { sql, type Kysely } from 'kysely';

/*
 * The portal's dashboard (GET /api/v1/analytics/overview) reads a tenant's daily aggregate rows for a period and
 * its latest human plays. Without these indexes both are scans of every aggregate row / event of the tenant.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists video_stats_tenant_day_idx on video_stats (tenant_id, day) where day is not null`.execute(db);
  await sql`create index if not exists tracking_events_recent_plays_idx on tracking_events (tenant_id, created_at desc) where type = 'play' and classification = 'human'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists tracking_events_recent_plays_idx`.execute(db);
  await sql`drop index if exists video_stats_tenant_day_idx`.execute(db);
}
