import { sql, type Kysely } from 'kysely';

/*
 * Hardening (issue 11): sessions that access tokens name (`sid`) so logout and deactivation revoke them;
 * login throttling state shared by every API process; the client's hashed IP on audit rows; per-tenant
 * provider credentials, encrypted (the webhook secrets already stored are encrypted on start, which needs
 * the key the migration does not have).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sessions')
    // The refresh-token family id: one sign-in, its refresh rotations and its access tokens.
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('method', 'text', (c) => c.notNull().defaultTo('password'))
    .addColumn('ip_hash', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('refreshed_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_reason', 'text')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').columns(['user_id', 'created_at']).execute();
  // Each API process polls recent revocations (auth/revocations.ts).
  await sql`create index sessions_revoked_idx on sessions (revoked_at) where revoked_at is not null`.execute(db);
  // Sessions for the refresh-token families signed in before this migration (live ones stay live).
  await sql`
    insert into sessions (id, tenant_id, user_id, created_at, revoked_at, revoked_reason)
    select family_id, min(tenant_id::text)::uuid, min(user_id::text)::uuid, min(created_at),
           case when bool_and(revoked_at is not null) then max(revoked_at) end,
           case when bool_and(revoked_at is not null) then 'logout' end
    from refresh_tokens group by family_id
  `.execute(db);

  await db.schema
    .createTable('auth_throttle')
    // `acct:<keyed hash of the email>`, `ip:<salted IP hash>`, `reg:<salted IP hash>` …
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('last_failure_at', 'timestamptz', (c) => c.notNull())
    .addColumn('next_allowed_at', 'timestamptz')
    .addColumn('locked_until', 'timestamptz')
    .execute();
  await db.schema.createIndex('auth_throttle_last_idx').on('auth_throttle').column('last_failure_at').execute();

  await db.schema.alterTable('audit_log').addColumn('ip_hash', 'text').execute();
  await db.schema.createIndex('audit_log_tenant_id_idx').on('audit_log').columns(['tenant_id', 'id']).execute();
  await db.schema.createIndex('audit_log_tenant_action_idx').on('audit_log').columns(['tenant_id', 'action', 'id']).execute();
  await db.schema.createIndex('audit_log_tenant_user_idx').on('audit_log').columns(['tenant_id', 'user_id', 'id']).execute();

  await db.schema
    .createTable('provider_credentials')
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull().check(sql`provider in ('openai','elevenlabs','heygen','sendgrid')`))
    // Sealed by security/secret-box.ts: mvs1:<key id>:<nonce ‖ ciphertext ‖ tag>, never the key itself.
    .addColumn('api_key', 'text', (c) => c.notNull())
    .addColumn('last4', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text')
    // Provider-specific choices beside the key (a default model or voice); not secret.
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('updated_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('provider_credentials_pk', ['tenant_id', 'provider'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('provider_credentials').ifExists().execute();
  await db.schema.dropIndex('audit_log_tenant_user_idx').ifExists().execute();
  await db.schema.dropIndex('audit_log_tenant_action_idx').ifExists().execute();
  await db.schema.dropIndex('audit_log_tenant_id_idx').ifExists().execute();
  await db.schema.alterTable('audit_log').dropColumn('ip_hash').execute();
  await db.schema.dropTable('auth_throttle').ifExists().execute();
  await db.schema.dropTable('sessions').ifExists().execute();
}
