import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types';

/** The tenant row's name and settings JSON; updates merge top-level keys so other features' keys stay. */
export class SettingsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  tenant(tenantId: string) {
    return this.db.selectFrom('tenants').select(['id', 'name', 'domain', 'settings']).where('id', '=', tenantId).executeTakeFirst();
  }

  /** Sets the given top-level keys of tenants.settings (a key set to undefined is left alone) and optionally the name. */
  async update(tenantId: string, keys: Record<string, unknown>, name?: string) {
    const patch = Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined));
    return this.db
      .updateTable('tenants')
      .set({
        settings: sql<Record<string, unknown>>`settings || ${JSON.stringify(patch)}::jsonb`,
        ...(name !== undefined ? { name } : {}),
      })
      .where('id', '=', tenantId)
      .returning(['id', 'name', 'domain', 'settings'])
      .executeTakeFirst();
  }
}
