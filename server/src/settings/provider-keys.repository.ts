import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../db/types';
import type { ProviderCredentialsTable, ProviderName } from '../db/tables/security';

export type ProviderKeyRow = Selectable<ProviderCredentialsTable>;

/** A tenant's stored provider credentials (sealed), always by tenant. */
export class ProviderKeysRepository {
  constructor(private readonly db: Kysely<DB>) {}

  list(tenantId: string) {
    return this.db
      .selectFrom('provider_credentials as k')
      .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'k.updated_by').onRef('u.tenant_id', '=', 'k.tenant_id'))
      .selectAll('k')
      .select('u.email as updated_by_email')
      .where('k.tenant_id', '=', tenantId)
      .execute();
  }

  get(tenantId: string, provider: ProviderName) {
    return this.db.selectFrom('provider_credentials').selectAll().where('tenant_id', '=', tenantId).where('provider', '=', provider).executeTakeFirst();
  }

  upsert(row: { tenant_id: string; provider: ProviderName; api_key: string; last4: string; base_url: string | null; updated_by: string }) {
    const now = new Date();
    return this.db
      .insertInto('provider_credentials')
      .values({ ...row, updated_at: now })
      .onConflict((oc) => oc.columns(['tenant_id', 'provider']).doUpdateSet({ api_key: row.api_key, last4: row.last4, base_url: row.base_url, updated_by: row.updated_by, updated_at: now }))
      .execute();
  }

  async remove(tenantId: string, provider: ProviderName): Promise<boolean> {
    const r = await this.db.deleteFrom('provider_credentials').where('tenant_id', '=', tenantId).where('provider', '=', provider).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Every sealed key, of one tenant or all (key rotation). */
  sealed(tenantId?: string) {
    let q = this.db.selectFrom('provider_credentials').select(['tenant_id', 'provider', 'api_key']);
    if (tenantId) q = q.where('tenant_id', '=', tenantId);
    return q.execute();
  }

  /** Swaps a sealed value only if it is still `from`; true when swapped. */
  async replaceSealed(tenantId: string, provider: ProviderName, from: string, to: string): Promise<boolean> {
    const r = await this.db
      .updateTable('provider_credentials')
      .set({ api_key: to })
      .where('tenant_id', '=', tenantId)
      .where('provider', '=', provider)
      .where('api_key', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
