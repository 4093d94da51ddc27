import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types';

/** A workspace's own Entra app (tenants.settings.entra). */
export interface TenantEntraSettings {
  tenantId: string;
  clientId: string;
}

/** Queries for Entra sign-in: workspaces by Entra tenant, users by Entra object id or email. */
export class EntraRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Workspaces whose settings.entra.tenantId is this Entra tenant (directory) id. */
  async tenantsForEntraTenant(tid: string): Promise<{ id: string; domain: string; entra: TenantEntraSettings }[]> {
    const rows = await this.db
      .selectFrom('tenants')
      .select(['id', 'domain', 'settings'])
      .where(sql<string>`settings->'entra'->>'tenantId'`, '=', tid)
      .execute();
    return rows.map((r) => ({ id: r.id, domain: r.domain, entra: (r.settings as { entra: TenantEntraSettings }).entra }));
  }

  /** Sets or clears a workspace's Entra app, keeping its other settings. */
  async setTenantEntra(tenantId: string, entra: TenantEntraSettings | null): Promise<void> {
    const patch = entra
      ? sql<Record<string, unknown>>`jsonb_set(settings, '{entra}', ${JSON.stringify(entra)}::jsonb)`
      : sql<Record<string, unknown>>`settings - 'entra'`;
    await this.db.updateTable('tenants').set({ settings: patch }).where('id', '=', tenantId).execute();
  }

  /** The user linked to this Entra object id (oids are unique across Entra). */
  findUserByOid(oid: string) {
    return this.db
      .selectFrom('users')
      .innerJoin('tenants', 'tenants.id', 'users.tenant_id')
      .selectAll('users')
      .select('tenants.domain as tenant_domain')
      .where('users.entra_oid', '=', oid)
      .executeTakeFirst();
  }

  /** The user with this email (emails are unique across workspaces), with the workspace domain. */
  findUserByEmail(email: string) {
    return this.db
      .selectFrom('users')
      .innerJoin('tenants', 'tenants.id', 'users.tenant_id')
      .selectAll('users')
      .select('tenants.domain as tenant_domain')
      .where('users.email', '=', email.toLowerCase())
      .executeTakeFirst();
  }

  /** Links an Entra object id to a user of the given workspace; false if it was linked meanwhile. */
  async linkOid(tenantId: string, userId: string, oid: string): Promise<boolean> {
    const r = await this.db
      .updateTable('users')
      .set({ entra_oid: oid, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', userId)
      .where('entra_oid', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
