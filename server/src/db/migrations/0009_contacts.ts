import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

/*
 * Contacts, contact lists, templates and the pronunciation lexicon (issue 9 §1–3).
 * Lists and memberships reference (tenant_id, id) pairs, so a membership can never join a list of one
 * tenant to a contact of another, whatever the code above does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const tenant = (c: ColumnDefinitionBuilder) => c.notNull().references('tenants.id').onDelete('cascade');
  const now = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(sql`now()`);
  const user = (c: ColumnDefinitionBuilder) => c.references('users.id').onDelete('set null');

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', tenant)
    // Lower-cased and NFC-normalised by the application; unique per tenant.
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('company', 'text')
    .addColumn('title', 'text')
    .addColumn('pronunciation', 'text')
    .addColumn('variables', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .addUniqueConstraint('contacts_tenant_email_uq', ['tenant_id', 'email'])
    .addUniqueConstraint('contacts_tenant_id_uq', ['tenant_id', 'id'])
    .execute();
  await sql`create index contacts_tenant_list_idx on contacts (tenant_id, created_at desc, id desc)`.execute(db);

  await db.schema
    .createTable('contact_lists')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', tenant)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_by', 'uuid', user)
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .addUniqueConstraint('contact_lists_tenant_id_uq', ['tenant_id', 'id'])
    .execute();
  // An import names its list; "Leads" and "leads" are the same list.
  await sql`create unique index contact_lists_tenant_name_uq on contact_lists (tenant_id, lower(name))`.execute(db);

  await db.schema
    .createTable('contact_list_members')
    .addColumn('tenant_id', 'uuid', tenant)
    .addColumn('list_id', 'uuid', (c) => c.notNull())
    .addColumn('contact_id', 'uuid', (c) => c.notNull())
    .addColumn('added_at', 'timestamptz', now)
    // Keyset paging of a list walks this key in contact_id order.
    .addPrimaryKeyConstraint('contact_list_members_pk', ['list_id', 'contact_id'])
    .addForeignKeyConstraint('contact_list_members_list_fk', ['tenant_id', 'list_id'], 'contact_lists', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('contact_list_members_contact_fk', ['tenant_id', 'contact_id'], 'contacts', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('contact_list_members_contact_idx').on('contact_list_members').columns(['tenant_id', 'contact_id']).execute();

  await db.schema
    .createTable('templates')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', tenant)
    .addColumn('use_case', 'text', (c) => c.notNull().check(sql`use_case in ('sales','customer_success','hr','real_estate','custom')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('en','vi')`))
    .addColumn('script', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('poster_caption', 'text')
    .addColumn('builtin', 'boolean', (c) => c.notNull().defaultTo(false))
    // Built-ins are seeded per tenant under a stable key and re-seeded when their version rises.
    .addColumn('builtin_key', 'text')
    .addColumn('builtin_version', 'integer')
    .addColumn('created_by', 'uuid', user)
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .addCheckConstraint('templates_builtin_key_ck', sql`(builtin and builtin_key is not null) or (not builtin and builtin_key is null)`)
    .execute();
  await sql`create unique index templates_tenant_builtin_uq on templates (tenant_id, builtin_key) where builtin_key is not null`.execute(db);
  await db.schema.createIndex('templates_tenant_idx').on('templates').columns(['tenant_id', 'use_case', 'language']).execute();

  await db.schema
    .createTable('pronunciations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', tenant)
    .addColumn('word', 'text', (c) => c.notNull())
    .addColumn('say_as', 'text', (c) => c.notNull())
    // null: every language.
    .addColumn('language', 'text', (c) => c.check(sql`language in ('en','vi')`))
    .addColumn('created_by', 'uuid', user)
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .execute();
  await sql`create unique index pronunciations_tenant_word_uq on pronunciations (tenant_id, lower(word), coalesce(language, ''))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['pronunciations', 'templates', 'contact_list_members', 'contact_lists', 'contacts']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
