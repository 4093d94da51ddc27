import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../db/types';
import type { VideoRecipientsTable } from '../db/tables/tracking';

export type RecipientRow = Selectable<VideoRecipientsTable>;

/** Tenant-scoped recipient queries. */
export class RecipientsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** The video, when it exists in the tenant and is not deleted. */
  findVideo(tenantId: string, videoId: string) {
    return this.db
      .selectFrom('videos')
      .select(['id', 'tenant_id', 'owner_id', 'title', 'slug'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', videoId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  /** Inserts or returns the recipient for (video, email); a new name replaces an old one. */
  async upsert(r: { tenant_id: string; video_id: string; email: string; name: string | null; slug: string }) {
    const existing = await this.findByEmail(r.tenant_id, r.video_id, r.email);
    if (existing) {
      if (!r.name || r.name === existing.name) return { row: existing, created: false };
      const row = await this.db
        .updateTable('video_recipients')
        .set({ name: r.name })
        .where('tenant_id', '=', r.tenant_id)
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { row, created: false };
    }
    const row = await this.db
      .insertInto('video_recipients')
      .values(r)
      .onConflict((oc) => oc.columns(['video_id', 'email']).doNothing())
      .returningAll()
      .executeTakeFirst();
    // Lost a race with a concurrent insert of the same address: return the winner.
    return row ? { row, created: true } : { row: (await this.findByEmail(r.tenant_id, r.video_id, r.email))!, created: false };
  }

  findByEmail(tenantId: string, videoId: string, email: string) {
    return this.db
      .selectFrom('video_recipients')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('video_id', '=', videoId)
      .where('email', '=', email)
      .executeTakeFirst();
  }

  get(tenantId: string, id: string) {
    return this.db.selectFrom('video_recipients').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  list(tenantId: string, videoId: string) {
    return this.db
      .selectFrom('video_recipients')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('video_id', '=', videoId)
      .orderBy('created_at')
      .orderBy('email')
      .execute();
  }

  /** Sets delivered_at once and, in the same transaction, runs `then` (the aggregate update) only when this call set it. */
  markDelivered(tenantId: string, id: string, at: Date, then: (row: RecipientRow, trx: Transaction<DB>) => Promise<void>) {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('video_recipients')
        .set({ delivered_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('delivered_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (row) await then(row, trx);
      return row;
    });
  }

  markUnsubscribed(tenantId: string, id: string, at: Date) {
    return this.db
      .updateTable('video_recipients')
      .set({ unsubscribed_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }
}
