import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

const CAMPAIGN_STATUSES = ['draft', 'rendering', 'review', 'scheduled', 'sending', 'sent', 'paused', 'canceled', 'failed'];
const RECIPIENT_STATES = [
  'pending', 'held', 'queued', 'rendering', 'rendered', 'render_failed', 'approved',
  'sending', 'sent', 'send_failed', 'bounced', 'skipped', 'canceled',
];
const list = (xs: string[]) => sql.raw(xs.map((x) => `'${x}'`).join(','));

export async function up(db: Kysely<unknown>): Promise<void> {
  const tenant = (c: ColumnDefinitionBuilder) => c.notNull().references('tenants.id').onDelete('cascade');
  const now = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(sql`now()`);

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', tenant)
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('avatar_id', 'uuid', (c) => c.notNull().references('avatars.id'))
    // No foreign keys to contact_lists/templates: a campaign keeps its own snapshot of recipients and texts.
    .addColumn('list_id', 'uuid', (c) => c.notNull())
    .addColumn('template_id', 'uuid')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('renderer', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull().defaultTo('portrait'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_html', 'text')
    .addColumn('poster_caption', 'text')
    .addColumn('cta_label', 'text')
    .addColumn('cta_url', 'text')
    .addColumn('email_client', 'text', (c) => c.notNull().defaultTo('generic'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in (${list(CAMPAIGN_STATUSES)})`))
    .addColumn('paused_from', 'text')
    .addColumn('send_at', 'timestamptz')
    // A/B settings and the decision (test_fraction, window_hours, min_sample, confidence, send_winner_to_rest, decision).
    .addColumn('ab', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('winner_variant_id', 'uuid')
    .addColumn('error', 'text')
    .addColumn('render_started_at', 'timestamptz')
    .addColumn('rendered_at', 'timestamptz')
    .addColumn('send_started_at', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .execute();
  await db.schema.createIndex('campaigns_tenant_created_idx').on('campaigns').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('campaign_variants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', tenant)
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('script', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('thumbnail', 'text', (c) => c.notNull().defaultTo('auto').check(sql`thumbnail in ('auto','poster','gif')`))
    .addColumn('weight', 'integer', (c) => c.notNull().defaultTo(1).check(sql`weight between 1 and 100`))
    .addColumn('position', 'smallint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', now)
    .addUniqueConstraint('campaign_variants_label_uq', ['campaign_id', 'label'])
    .execute();

  await db.schema
    .createTable('campaign_recipients')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', tenant)
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('variant_id', 'uuid', (c) => c.references('campaign_variants.id').onDelete('set null'))
    .addColumn('contact_id', 'uuid')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('company', 'text')
    .addColumn('pronunciation', 'text')
    // The contact's template values when the campaign was created (name, company, custom columns).
    .addColumn('values', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // The personal texts (null while the recipient waits for an A/B winner).
    .addColumn('script', 'text')
    .addColumn('subject', 'text')
    .addColumn('caption', 'text')
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in (${list(RECIPIENT_STATES)})`))
    .addColumn('skip_reason', 'text')
    .addColumn('video_id', 'uuid', (c) => c.references('videos.id').onDelete('set null'))
    .addColumn('video_recipient_id', 'uuid', (c) => c.references('video_recipients.id').onDelete('set null'))
    // Send state: the idempotency key, the job attempt holding the send, and the moment the message was let go
    // to the provider (the SMTP final dot). See campaign-send.ts for the at-most-once rule built on these.
    .addColumn('send_key', 'text')
    .addColumn('send_claim', 'text')
    .addColumn('send_committed_at', 'timestamptz')
    .addColumn('message_id', 'uuid', (c) => c.references('email_messages.id').onDelete('set null'))
    .addColumn('send_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // Rendered for the rest of an A/B test's list after the window: approved without review, then sent.
    .addColumn('auto_approve', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('error', 'text')
    .addColumn('error_code', 'text')
    .addColumn('approved_at', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    // One message per address per campaign, and one idempotency key per (campaign, recipient).
    .addUniqueConstraint('campaign_recipients_email_uq', ['campaign_id', 'email'])
    .addUniqueConstraint('campaign_recipients_send_key_uq', ['send_key'])
    .execute();
  await db.schema.createIndex('campaign_recipients_state_idx').on('campaign_recipients').columns(['campaign_id', 'state', 'position']).execute();
  await db.schema.createIndex('campaign_recipients_position_idx').on('campaign_recipients').columns(['campaign_id', 'position']).execute();
  await db.schema.createIndex('campaign_recipients_video_idx').on('campaign_recipients').column('video_id').execute();

  // A campaign's videos are real videos (watch page, poster, tracking work unchanged) but stay out of the
  // add-in's video list: the list indexes hold only videos that belong to no campaign.
  await db.schema.alterTable('videos').addColumn('campaign_id', 'uuid', (c) => c.references('campaigns.id').onDelete('set null')).execute();
  await sql`create index if not exists videos_campaign_idx on videos (campaign_id) where campaign_id is not null`.execute(db);
  await sql`create index if not exists videos_tenant_list_nc_idx on videos (tenant_id, created_at desc, id desc) where deleted_at is null and campaign_id is null`.execute(db);
  await sql`create index if not exists videos_owner_list_nc_idx on videos (tenant_id, owner_id, created_at desc, id desc) where deleted_at is null and campaign_id is null`.execute(db);
  // They replace 0007's list indexes (same order, without campaign videos).
  await sql`drop index if exists videos_tenant_list_idx`.execute(db);
  await sql`drop index if exists videos_owner_list_idx`.execute(db);

  // Mail throttle shared by every worker: a token bucket per driver, and messages handed over per tenant and day.
  await db.schema
    .createTable('mail_rate_buckets')
    .addColumn('driver', 'text', (c) => c.primaryKey())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('refilled_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('mail_daily_usage')
    .addColumn('tenant_id', 'uuid', tenant)
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('mail_daily_usage_pk', ['tenant_id', 'day'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists videos_tenant_list_idx on videos (tenant_id, created_at desc, id desc) where deleted_at is null`.execute(db);
  await sql`create index if not exists videos_owner_list_idx on videos (tenant_id, owner_id, created_at desc, id desc) where deleted_at is null`.execute(db);
  for (const i of ['videos_owner_list_nc_idx', 'videos_tenant_list_nc_idx', 'videos_campaign_idx']) await sql`drop index if exists ${sql.raw(i)}`.execute(db);
  await db.schema.alterTable('videos').dropColumn('campaign_id').execute();
  for (const t of ['mail_daily_usage', 'mail_rate_buckets', 'campaign_recipients', 'campaign_variants', 'campaigns']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
