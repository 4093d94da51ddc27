import type { Insertable, Kysely, Selectable } from 'kysely';
import type { RecordingsTable } from '../../db/tables/providers';
import type { DB } from '../../db/types';

export type RecordingRow = Selectable<RecordingsTable>;

/** Tenant-scoped recording queries: every method takes the tenant id. */
export class RecordingsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  insert(r: Insertable<RecordingsTable> & { tenant_id: string }) {
    return this.db.insertInto('recordings').values(r).returningAll().executeTakeFirstOrThrow();
  }

  get(tenantId: string, id: string) {
    return this.db.selectFrom('recordings').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  delete(tenantId: string, id: string) {
    return this.db.deleteFrom('recordings').where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirst();
  }
}

/** The public shape of a recording. */
export function toRecordingDto(r: RecordingRow) {
  return { id: r.id, duration_sec: r.duration_sec, mime: r.mime, bytes: r.bytes, created_at: r.created_at.toISOString() };
}
