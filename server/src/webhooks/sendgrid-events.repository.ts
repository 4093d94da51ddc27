import type { Kysely } from 'kysely';
import type { DB } from '../db/types';
import type { MessageStatus } from '../db/tables/email';

/** Dedupe of provider events and the message marks they cause (tenant-scoped). */
export class SendGridEventsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** True when this event id is new (the webhook may send an event twice). */
  async claimEvent(row: { event_id: string; tenant_id: string; message_id: string; event: string }): Promise<boolean> {
    const r = await this.db.insertInto('provider_events').values(row).onConflict((oc) => oc.column('event_id').doNothing()).returning('event_id').executeTakeFirst();
    return r !== undefined;
  }

  message(tenantId: string, id: string) {
    return this.db
      .selectFrom('email_messages')
      .select(['id', 'tenant_id', 'recipient_id', 'to_email', 'status'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  setStatus(tenantId: string, id: string, status: MessageStatus, error: string | null) {
    return this.db.updateTable('email_messages').set({ status, error }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  markEngagement(tenantId: string, id: string, what: 'provider_opened_at' | 'provider_clicked_at', at: Date) {
    return this.db.updateTable('email_messages').set({ [what]: at }).where('tenant_id', '=', tenantId).where('id', '=', id).where(what, 'is', null).execute();
  }
}
