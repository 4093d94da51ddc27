import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types';

/** Tenant-scoped access to the avatar columns the TTS providers need: the voice sample and provider ids. */
export class AvatarProviderIdsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  getVoiceSource(tenantId: string, avatarId: string) {
    return this.db
      .selectFrom('avatars')
      .select(['id', 'name', 'voice_key', 'voice_mime', 'provider_ids'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', avatarId)
      .executeTakeFirst();
  }

  /** Merges ids into avatars.provider_ids (other providers' ids stay). Returns false when no such avatar. */
  async setProviderIds(tenantId: string, avatarId: string, ids: Record<string, string>): Promise<boolean> {
    const r = await this.db
      .updateTable('avatars')
      .set({ provider_ids: sql`provider_ids || ${JSON.stringify(ids)}::jsonb`, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', avatarId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
