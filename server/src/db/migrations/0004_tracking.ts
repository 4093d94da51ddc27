import { sql, type Kysely } from 'kysely';

// Counter columns of every aggregate scope (a copy, so this migration never changes when code does).
const STAT_COLUMNS = [
  'delivered', 'opens_human', 'opens_machine', 'opens_unknown', 'clicks_human', 'clicks_machine', 'clicks_unknown',
  'plays', 'reached_25', 'reached_50', 'reached_75', 'reached_100', 'completions', 'cta_clicks', 'machine_beacons',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('video_recipients')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('video_id', 'uuid', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('unsubscribed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('video_recipients_video_email_uq', ['video_id', 'email'])
    .execute();
  await db.schema.createIndex('video_recipients_tenant_idx').on('video_recipients').columns(['tenant_id', 'video_id']).execute();

  await db.schema
    .createTable('tracking_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('video_id', 'uuid', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('recipient_id', 'uuid', (c) => c.references('video_recipients.id').onDelete('cascade'))
    .addColumn('session_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('open','click','play','progress','complete','cta')`))
    .addColumn('value', 'smallint')
    .addColumn('classification', 'text', (c) => c.notNull().check(sql`classification in ('human','machine','unknown')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('ip_hash', 'text')
    .addColumn('user_agent', 'text')
    // Set for events counted once per view session (play, each progress milestone, complete, cta).
    .addColumn('dedup_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('tracking_events_video_idx').on('tracking_events').columns(['tenant_id', 'video_id', 'created_at']).execute();

  // Aggregates, upserted in the same transaction as the events: scope 'all', 'd:<YYYY-MM-DD>', 'r:<recipient id>', 'link'.
  let stats = db.schema
    .createTable('video_stats')
    .addColumn('video_id', 'uuid', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('day', 'date')
    .addColumn('recipient_id', 'uuid', (c) => c.references('video_recipients.id').onDelete('cascade'));
  for (const col of STAT_COLUMNS) stats = stats.addColumn(col, 'integer', (c) => c.notNull().defaultTo(0));
  await stats
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('video_stats_pk', ['video_id', 'scope'])
    .execute();
  await db.schema.createIndex('video_stats_tenant_idx').on('video_stats').columns(['tenant_id', 'video_id']).execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('video_id', 'uuid', (c) => c.references('videos.id').onDelete('cascade'))
    .addColumn('recipient_id', 'uuid', (c) => c.references('video_recipients.id').onDelete('set null'))
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('email_status', 'text', (c) => c.notNull().defaultTo('not_requested'))
    .addColumn('read_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['tenant_id', 'user_id', 'created_at']).execute();

  await db.schema
    .createTable('notification_prefs')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('email_on_first_view', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['notification_prefs', 'notifications', 'video_stats', 'tracking_events', 'video_recipients']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
