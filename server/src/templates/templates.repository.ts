import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { TemplatesTable, TemplateUseCase } from '../db/tables/contacts';
import type { DB } from '../db/types';

export type TemplateRow = Selectable<TemplatesTable>;

/** A built-in template as seeded into every tenant (see templates.library.ts). */
export interface BuiltinTemplate {
  key: string;
  version: number;
  use_case: TemplateUseCase;
  language: 'en' | 'vi';
  name: string;
  description: string;
  script: string;
  subject: string;
  body: string;
  poster_caption: string;
}

export interface TemplateFilter {
  use_case?: TemplateUseCase;
  language?: 'en' | 'vi';
  builtin?: boolean;
}

/** Tenant-scoped template queries; built-ins are rows of each tenant with `builtin = true`. */
export class TemplatesRepository {
  constructor(private readonly db: Kysely<DB>) {}

  list(tenantId: string, f: TemplateFilter): Promise<TemplateRow[]> {
    let q = this.db.selectFrom('templates').selectAll().where('tenant_id', '=', tenantId);
    if (f.use_case) q = q.where('use_case', '=', f.use_case);
    if (f.language) q = q.where('language', '=', f.language);
    if (f.builtin !== undefined) q = q.where('builtin', '=', f.builtin);
    // Own templates first (newest first), then the library in its own order.
    return q.orderBy('builtin').orderBy(sql`case when builtin then builtin_key end`).orderBy('created_at', 'desc').orderBy('id').execute();
  }

  get(tenantId: string, id: string): Promise<TemplateRow | undefined> {
    return this.db.selectFrom('templates').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  insert(row: Insertable<TemplatesTable>): Promise<TemplateRow> {
    return this.db.insertInto('templates').values(row).returningAll().executeTakeFirstOrThrow();
  }

  /** Updates a tenant's own template (never a built-in). */
  update(tenantId: string, id: string, patch: Updateable<TemplatesTable>): Promise<TemplateRow | undefined> {
    return this.db
      .updateTable('templates')
      .set({ ...patch, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('builtin', '=', false)
      .returningAll()
      .executeTakeFirst();
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('templates').where('tenant_id', '=', tenantId).where('id', '=', id).where('builtin', '=', false).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * Seeds the library into the given tenants (all tenants when `tenantIds` is omitted): inserts missing
   * built-ins and rewrites those whose stored version is older. Idempotent; one statement per template.
   */
  async ensureBuiltins(library: readonly BuiltinTemplate[], tenantIds?: readonly string[]): Promise<number> {
    if (tenantIds && tenantIds.length === 0) return 0;
    let written = 0;
    for (const t of library) {
      const r = await sql<{ id: string }>`
        insert into templates (tenant_id, use_case, name, description, language, script, subject, body, poster_caption, builtin, builtin_key, builtin_version)
        select id, ${t.use_case}, ${t.name}, ${t.description}, ${t.language}, ${t.script}, ${t.subject}, ${t.body}, ${t.poster_caption}, true, ${t.key}, ${t.version}
        from tenants ${tenantIds ? sql`where id in (${sql.join(tenantIds)})` : sql``}
        on conflict (tenant_id, builtin_key) where builtin_key is not null do update set
          use_case = excluded.use_case, name = excluded.name, description = excluded.description, language = excluded.language,
          script = excluded.script, subject = excluded.subject, body = excluded.body, poster_caption = excluded.poster_caption,
          builtin_version = excluded.builtin_version, updated_at = now()
        where templates.builtin_version < excluded.builtin_version
        returning id`.execute(this.db);
      written += r.rows.length;
    }
    return written;
  }

  /** How many built-ins at the current versions a tenant has (to skip seeding when complete). */
  async builtinCount(tenantId: string, library: readonly BuiltinTemplate[]): Promise<number> {
    if (library.length === 0) return 0;
    const r = await this.db
      .selectFrom('templates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('builtin', '=', true)
      .where((eb) => eb.or(library.map((t) => eb.and([eb('builtin_key', '=', t.key), eb('builtin_version', '>=', t.version)]))))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
