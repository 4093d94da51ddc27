import { sql, type Kysely, type Selectable } from 'kysely';
import type { PronunciationsTable } from '../db/tables/contacts';
import type { DB } from '../db/types';

export type PronunciationRow = Selectable<PronunciationsTable>;

/** The tenant's pronunciation lexicon (word → how to say it, per language or for all). */
export class PronunciationsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  list(tenantId: string, language?: 'en' | 'vi'): Promise<PronunciationRow[]> {
    let q = this.db.selectFrom('pronunciations').selectAll().where('tenant_id', '=', tenantId);
    if (language) q = q.where((eb) => eb.or([eb('language', '=', language), eb('language', 'is', null)]));
    return q.orderBy(sql`lower(word)`).orderBy('language').orderBy('id').execute();
  }

  get(tenantId: string, id: string): Promise<PronunciationRow | undefined> {
    return this.db.selectFrom('pronunciations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  /** Inserts an entry; undefined when the word already has one for that language. */
  insert(tenantId: string, row: { word: string; say_as: string; language: 'en' | 'vi' | null; created_by: string | null }): Promise<PronunciationRow | undefined> {
    return this.db
      .insertInto('pronunciations')
      .values({ tenant_id: tenantId, ...row })
      .onConflict((oc) => oc.expression(sql`tenant_id, lower(word), coalesce(language, '')`).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  update(tenantId: string, id: string, patch: { word?: string; say_as?: string; language?: 'en' | 'vi' | null }) {
    return this.db
      .updateTable('pronunciations')
      .set({ ...patch, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('pronunciations').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
