import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB } from '../db/types';
import type { EmailMessagesTable, EmailSuppressionsTable, MessageStatus } from '../db/tables/email';

export type MessageRow = Selectable<EmailMessagesTable>;

/** Tenant-scoped queries for sends (idempotency), messages (the outbox) and suppressed addresses. */
export class SendRepository {
  constructor(private readonly db: Kysely<DB>) {}

  findVideo(tenantId: string, videoId: string) {
    return this.db
      .selectFrom('videos')
      .select(['id', 'status', 'title', 'language', 'duration_sec', 'width', 'height', 'owner_id'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', videoId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  /** Claims the idempotency key; undefined when another request holds it already (the unique index decides). */
  claimSend(row: { tenant_id: string; user_id: string; video_id: string; idempotency_key: string; request_hash: string }) {
    return this.db
      .insertInto('email_sends')
      .values(row)
      .onConflict((oc) => oc.columns(['tenant_id', 'idempotency_key']).doNothing())
      .returning(['id'])
      .executeTakeFirst();
  }

  findSend(tenantId: string, key: string) {
    return this.db.selectFrom('email_sends').selectAll().where('tenant_id', '=', tenantId).where('idempotency_key', '=', key).executeTakeFirst();
  }

  finishSend(tenantId: string, id: string, response: Record<string, unknown>) {
    return this.db.updateTable('email_sends').set({ response: JSON.stringify(response) }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  /** Drops a claim whose request failed before sending anything, so the client may retry with the same key. */
  releaseSend(tenantId: string, id: string) {
    return this.db.deleteFrom('email_sends').where('tenant_id', '=', tenantId).where('id', '=', id).where('response', 'is', null).execute();
  }

  insertMessage(row: Insertable<EmailMessagesTable>) {
    return this.db.insertInto('email_messages').values(row).returningAll().executeTakeFirstOrThrow();
  }

  updateMessage(tenantId: string, id: string, set: { status: MessageStatus; provider_message_id?: string | null; error?: string | null; sent_at?: Date | null }) {
    return this.db.updateTable('email_messages').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  listMessages(tenantId: string, page: number, pageSize: number) {
    return this.db
      .selectFrom('email_messages')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
  }

  async countMessages(tenantId: string): Promise<number> {
    const r = await this.db.selectFrom('email_messages').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  getMessage(tenantId: string, id: string) {
    return this.db.selectFrom('email_messages').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  /** Why an address must be skipped for this tenant, if it must. */
  async suppression(tenantId: string, email: string): Promise<EmailSuppressionsTable['reason'] | null> {
    const r = await this.db.selectFrom('email_suppressions').select('reason').where('tenant_id', '=', tenantId).where('email', '=', email).executeTakeFirst();
    return r?.reason ?? null;
  }

  suppress(tenantId: string, email: string, reason: EmailSuppressionsTable['reason']) {
    return this.db
      .insertInto('email_suppressions')
      .values({ tenant_id: tenantId, email: email.toLowerCase(), reason })
      .onConflict((oc) => oc.columns(['tenant_id', 'email']).doNothing())
      .execute();
  }

  recipientEmail(tenantId: string, recipientId: string) {
    return this.db.selectFrom('video_recipients').select(['id', 'email', 'unsubscribed_at']).where('tenant_id', '=', tenantId).where('id', '=', recipientId).executeTakeFirst();
  }
}
