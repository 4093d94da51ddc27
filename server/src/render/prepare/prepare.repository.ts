import type { Kysely, Selectable } from 'kysely';
import type { AvatarsTable } from '../../db/tables/core';
import type { DB } from '../../db/types';
import type { PreparedRecord } from './prepared-record';

export type AvatarForPrepare = Pick<Selectable<AvatarsTable>, 'id' | 'tenant_id' | 'photo_key' | 'status' | 'prepared'>;

/**
 * The avatar columns preparation owns (prepared, prepared_at, and status/error while preparing). Every write
 * is guarded by the photo key it was made from, so a newer upload is never overwritten by a stale result.
 */
export class PrepareRepository {
  constructor(private readonly db: Kysely<DB>) {}

  get(tenantId: string, avatarId: string): Promise<AvatarForPrepare | undefined> {
    return this.db
      .selectFrom('avatars')
      .select(['id', 'tenant_id', 'photo_key', 'status', 'prepared'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', avatarId)
      .executeTakeFirst();
  }

  /** Stores the record; with `ready` also marks the avatar ready and clears any error. */
  async savePrepared(tenantId: string, avatarId: string, record: PreparedRecord, ready: boolean): Promise<boolean> {
    const now = new Date();
    const r = await this.db
      .updateTable('avatars')
      .set({
        prepared: JSON.stringify(record),
        prepared_at: now,
        updated_at: now,
        ...(ready ? { status: 'ready' as const, error: null, error_code: null } : {}),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', avatarId)
      .where('photo_key', '=', record.photo_key)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Marks the avatar failed with a machine code and a human message (the hint). */
  async markFailed(tenantId: string, avatarId: string, photoKey: string | null, code: string, error: string): Promise<void> {
    let q = this.db
      .updateTable('avatars')
      .set({ status: 'failed', error_code: code, error, prepared: null, prepared_at: null, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', avatarId);
    q = photoKey === null ? q.where('photo_key', 'is', null) : q.where('photo_key', '=', photoKey);
    await q.execute();
  }
}
