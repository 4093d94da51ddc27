import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types';

/** Writes external provider ids onto an avatar (merged into avatars.provider_ids), tenant-scoped. */
export class ProviderIdsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async merge(tenantId: string, avatarId: string, patch: Record<string, string>): Promise<void> {
    await this.db
      .updateTable('avatars')
      .set({ provider_ids: sql`coalesce(provider_ids, '{}'::jsonb) || ${JSON.stringify(patch)}::jsonb`, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', avatarId)
      .execute();
  }
}
