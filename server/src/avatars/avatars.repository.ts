import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { AvatarsTable } from '../db/tables/core';
import type { DB } from '../db/types';

export type AvatarRow = Selectable<AvatarsTable>;
export type AvatarPatch = Omit<Updateable<AvatarsTable>, 'id' | 'tenant_id' | 'created_at'>;

/** Tenant-scoped avatar queries: every method takes the tenant id. */
export class AvatarsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  list(tenantId: string, page: number, pageSize: number) {
    return this.db
      .selectFrom('avatars')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
  }

  async count(tenantId: string): Promise<number> {
    const r = await this.db
      .selectFrom('avatars')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  get(tenantId: string, id: string) {
    return this.db.selectFrom('avatars').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  insert(row: Insertable<AvatarsTable> & { tenant_id: string }) {
    return this.db.insertInto('avatars').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(tenantId: string, id: string, patch: AvatarPatch, trx: Kysely<DB> = this.db) {
    return trx
      .updateTable('avatars')
      .set({ ...patch, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('avatars').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Videos (also soft-deleted ones) that still reference the avatar; they block deleting it. */
  async countVideos(tenantId: string, id: string): Promise<number> {
    const r = await this.db
      .selectFrom('videos')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('avatar_id', '=', id)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
