import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../db/types';
import type { WebhookDeliveriesTable, WebhookEndpointsTable, WebhookEvent } from '../db/tables/email';

export type EndpointRow = Selectable<WebhookEndpointsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/** Tenant-scoped webhook endpoints and their deliveries. */
export class WebhooksRepository {
  constructor(private readonly db: Kysely<DB>) {}

  create(row: Insertable<WebhookEndpointsTable>) {
    return this.db.insertInto('webhook_endpoints').values(row).returningAll().executeTakeFirstOrThrow();
  }
  list(tenantId: string) {
    return this.db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
  }
  get(tenantId: string, id: string) {
    return this.db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }
  update(tenantId: string, id: string, set: Updateable<WebhookEndpointsTable>) {
    // An empty PATCH changes nothing (and `update … set where` is not SQL): answer with the row as it is.
    if (!Object.values(set).some((v) => v !== undefined)) {
      return this.db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    }
    return this.db.updateTable('webhook_endpoints').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirst();
  }
  async remove(tenantId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('webhook_endpoints').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
  /** Endpoints whose signing secret is still stored in clear (before 0008_security). Any tenant: a start-up step. */
  plainSecrets() {
    return this.db.selectFrom('webhook_endpoints').select(['id', 'tenant_id', 'secret']).where('secret', 'not like', 'mvs1:%').execute();
  }
  /** Every endpoint's stored secret, of one tenant or all (key rotation). */
  allSecrets(tenantId?: string) {
    let q = this.db.selectFrom('webhook_endpoints').select(['id', 'tenant_id', 'secret']);
    if (tenantId) q = q.where('tenant_id', '=', tenantId);
    return q.execute();
  }
  /** Swaps a stored secret only if it is still `from` (a concurrent change wins); true when it was swapped. */
  async replaceSecret(tenantId: string, id: string, from: string, to: string): Promise<boolean> {
    const r = await this.db
      .updateTable('webhook_endpoints')
      .set({ secret: to })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('secret', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  /** Active endpoints of the tenant subscribed to the event. */
  subscribed(tenantId: string, event: WebhookEvent) {
    return this.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('active', '=', true)
      .where(sql<boolean>`events @> ${JSON.stringify([event])}::jsonb`)
      .execute();
  }

  insertDelivery(row: Insertable<WebhookDeliveriesTable>, trx: Kysely<DB> = this.db) {
    return trx.insertInto('webhook_deliveries').values(row).returningAll().executeTakeFirstOrThrow();
  }
  /** The delivery with its endpoint (url, secret), when both still exist. */
  deliveryWithEndpoint(tenantId: string, id: string) {
    return this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .selectAll('d')
      .select(['e.url', 'e.secret', 'e.active'])
      .where('d.tenant_id', '=', tenantId)
      .where('e.tenant_id', '=', tenantId)
      .where('d.id', '=', id)
      .executeTakeFirst();
  }
  recordAttempt(tenantId: string, id: string, set: { status: DeliveryRow['status']; last_status: number | null; last_error: string | null; delivered_at?: Date }) {
    return this.db
      .updateTable('webhook_deliveries')
      .set((eb) => ({ ...set, attempts: eb('attempts', '+', 1), last_attempt_at: new Date() }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }
  markFailed(tenantId: string, id: string, error: string) {
    return this.db.updateTable('webhook_deliveries').set({ status: 'failed', last_error: error }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }
  deliveries(tenantId: string, endpointId: string, limit: number) {
    return this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('endpoint_id', '=', endpointId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
  }
}
