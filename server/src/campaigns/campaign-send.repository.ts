import { sql, type Kysely } from 'kysely';
import type { RecipientState } from '../db/tables/campaigns';
import type { MessageStatus } from '../db/tables/email';
import type { DB } from '../db/types';

/** A claimed recipient with what its email needs. */
export interface SendRow {
  id: string;
  tenant_id: string;
  campaign_id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  values: Record<string, string | null>;
  subject: string | null;
  send_key: string;
  send_attempts: number;
  message_id: string | null;
  video_id: string | null;
  video_recipient_id: string | null;
  video_status: string | null;
  title: string | null;
  language: string | null;
  duration_sec: number | null;
  width: number | null;
  height: number | null;
  slug: string | null;
  unsubscribed_at: Date | null;
  thumbnail: 'auto' | 'poster' | 'gif' | null;
}

/**
 * The send state of campaign recipients (the exactly-once machinery; see campaign-sender.ts):
 * approved → sending (claimed by one job attempt, idempotency key set) → committed (handed to the provider)
 * → sent | approved (retry) | send_failed | bounced. Every write is a compare-and-set on state and claim.
 */
export class CampaignSendRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Claims up to `limit` approved recipients that are due, for the job attempt `claim`; returns their ids. */
  async claim(tenantId: string, campaignId: string, limit: number, claim: string): Promise<string[]> {
    if (limit <= 0) return [];
    const r = await sql<{ id: string }>`
      with picked as (
        select id from campaign_recipients
        where tenant_id = ${tenantId}::uuid and campaign_id = ${campaignId}::uuid and state = 'approved'
          and (next_attempt_at is null or next_attempt_at <= now())
        order by position limit ${limit} for update skip locked
      )
      update campaign_recipients r set state = 'sending', send_claim = ${claim}, send_committed_at = null,
        send_key = coalesce(r.send_key, 'cmp:' || r.campaign_id::text || ':' || r.id::text),
        send_attempts = r.send_attempts + 1, updated_at = now()
      from picked where r.id = picked.id
      returning r.id`.execute(this.db);
    return r.rows.map((x) => x.id);
  }

  /** The claimed rows with their video, tracking link and variant thumbnail, in send order. */
  async details(tenantId: string, ids: readonly string[]): Promise<SendRow[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .selectFrom('campaign_recipients as r')
      .leftJoin('videos as v', 'v.id', 'r.video_id')
      .leftJoin('video_recipients as vr', 'vr.id', 'r.video_recipient_id')
      .leftJoin('campaign_variants as cv', 'cv.id', 'r.variant_id')
      .select([
        'r.id', 'r.tenant_id', 'r.campaign_id', 'r.email', 'r.first_name', 'r.last_name', 'r.values', 'r.subject', 'r.send_key', 'r.send_attempts',
        'r.message_id', 'r.video_id', 'r.video_recipient_id', 'v.status as video_status', 'v.title', 'v.language', 'v.duration_sec', 'v.width', 'v.height',
        'vr.slug', 'vr.unsubscribed_at', 'cv.thumbnail',
      ])
      .where('r.tenant_id', '=', tenantId)
      .where('r.id', 'in', [...ids])
      .orderBy('r.position')
      .execute();
    return rows as SendRow[];
  }

  /** A bounced address is not emailed again by this tenant. */
  async suppressBounce(tenantId: string, email: string): Promise<void> {
    await this.db
      .insertInto('email_suppressions')
      .values({ tenant_id: tenantId, email, reason: 'bounced' })
      .onConflict((oc) => oc.columns(['tenant_id', 'email']).doNothing())
      .execute();
  }

  /** Addresses of the batch on the tenant's suppression list, with the reason. */
  async suppressed(tenantId: string, emails: readonly string[]): Promise<Map<string, string>> {
    if (!emails.length) return new Map();
    const rows = await this.db.selectFrom('email_suppressions').select(['email', 'reason']).where('tenant_id', '=', tenantId).where('email', 'in', [...emails]).execute();
    return new Map(rows.map((r) => [r.email, r.reason]));
  }

  /**
   * Records the outgoing messages of a batch before anything is sent: one `email_sends` row per recipient keyed
   * by its idempotency key (unique per tenant) and one `email_messages` row (the outbox, SendGrid events), reused
   * on a resend. Links each recipient to its message.
   */
  async recordMessages(
    tenantId: string,
    ownerId: string,
    msgs: { recipientId: string; messageId: string; sendKey: string; videoId: string; videoRecipientId: string; to: { email: string; name: string | null }; from: string; subject: string; html: string; text: string; headers: Record<string, string>; provider: 'outbox' | 'smtp' | 'sendgrid' }[],
  ): Promise<void> {
    if (!msgs.length) return;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('email_sends')
        .values(msgs.map((m) => ({ tenant_id: tenantId, user_id: ownerId, video_id: m.videoId, idempotency_key: m.sendKey, request_hash: m.sendKey })))
        .onConflict((oc) => oc.columns(['tenant_id', 'idempotency_key']).doNothing())
        .execute();
      const sends = await trx.selectFrom('email_sends').select(['id', 'idempotency_key']).where('tenant_id', '=', tenantId).where('idempotency_key', 'in', msgs.map((m) => m.sendKey)).execute();
      const sendId = new Map(sends.map((s) => [s.idempotency_key, s.id]));
      await trx
        .insertInto('email_messages')
        .values(
          msgs.map((m) => ({
            id: m.messageId, tenant_id: tenantId, send_id: sendId.get(m.sendKey)!, video_id: m.videoId, recipient_id: m.videoRecipientId, idempotency_key: m.sendKey,
            to_email: m.to.email, to_name: m.to.name, from_address: m.from, subject: m.subject, html: m.html, text: m.text,
            headers: JSON.stringify(m.headers), provider: m.provider, status: 'queued' as const,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['send_id', 'recipient_id']).doUpdateSet((eb) => ({
            status: 'queued', error: null, subject: eb.ref('excluded.subject'), html: eb.ref('excluded.html'), text: eb.ref('excluded.text'), headers: eb.ref('excluded.headers'),
          })),
        )
        .execute();
      const values = sql.join(msgs.map((m) => sql`(${m.recipientId}::uuid, ${m.messageId}::uuid)`));
      await sql`update campaign_recipients r set message_id = v.mid from (values ${values}) as v(id, mid) where r.id = v.id and r.tenant_id = ${tenantId}::uuid`.execute(trx);
    });
  }

  /** The moment of no return: the message is about to reach the provider. False when this claim lost the row. */
  async markCommitted(tenantId: string, id: string, claim: string): Promise<boolean> {
    const r = await this.db
      .updateTable('campaign_recipients')
      .set({ send_committed_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('state', '=', 'sending')
      .where('send_claim', '=', claim)
      .where('send_committed_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * The provider accepted the message (or took it and never answered: `unconfirmed` says why): recipient
   * sent, message sent, in one statement.
   */
  async markSent(tenantId: string, id: string, claim: string, providerMessageId: string | null, at: Date, unconfirmed: string | null = null): Promise<boolean> {
    const r = await sql<{ id: string }>`
      with r as (
        update campaign_recipients set state = 'sent', sent_at = ${at}, error = ${unconfirmed}, error_code = ${unconfirmed ? 'unconfirmed' : null},
          next_attempt_at = null, updated_at = now()
        where tenant_id = ${tenantId}::uuid and id = ${id}::uuid and state = 'sending' and send_claim = ${claim}
        returning message_id
      )
      update email_messages m set status = 'sent', provider_message_id = ${providerMessageId}, sent_at = ${at}, error = null
      from r where m.tenant_id = ${tenantId}::uuid and m.id = r.message_id
      returning m.id`.execute(this.db);
    return r.rows.length === 1;
  }

  /** A send that did not go out: back to approved for a retry at `nextAttemptAt`, or a final state. */
  async markNotSent(tenantId: string, id: string, claim: string, o: { state: Extract<RecipientState, 'approved' | 'send_failed' | 'bounced' | 'skipped'>; error: string | null; errorCode: string | null; nextAttemptAt?: Date | null; message?: MessageStatus | null; skipReason?: string }): Promise<boolean> {
    const r = await sql<{ message_id: string | null }>`
      update campaign_recipients set state = ${o.state}, error = ${o.error}, error_code = ${o.errorCode}, next_attempt_at = ${o.nextAttemptAt ?? null},
        send_committed_at = null, skip_reason = coalesce(${o.skipReason ?? null}, skip_reason), updated_at = now()
      where tenant_id = ${tenantId}::uuid and id = ${id}::uuid and state = 'sending' and send_claim = ${claim}
      returning message_id`.execute(this.db);
    const row = r.rows[0];
    if (row?.message_id && o.message) {
      await this.db.updateTable('email_messages').set({ status: o.message, error: o.error?.slice(0, 500) ?? null }).where('tenant_id', '=', tenantId).where('id', '=', row.message_id).execute();
    }
    return !!row;
  }

  /**
   * Resolves rows left in `sending` by a job attempt that is no longer running (a killed worker): not yet
   * committed → back to approved (nothing can have been delivered: resend); committed → sent, unconfirmed
   * (the provider may have it: never resend, at most once). `claim` is the caller's own attempt.
   */
  async recoverStale(tenantId: string, campaignId: string, claim: string): Promise<{ requeued: number; unconfirmed: string[] }> {
    const stale = sql`
      r.tenant_id = ${tenantId}::uuid and r.campaign_id = ${campaignId}::uuid and r.state = 'sending' and r.send_claim is distinct from ${claim}
      and not exists (
        select 1 from pgboss.job j
        where j.name = 'campaign-send' and j.state = 'active'
          and j.id::text = split_part(r.send_claim, ':', 1) and j.retry_count::text = split_part(r.send_claim, ':', 2)
      )`;
    const requeued = await sql<{ id: string }>`
      update campaign_recipients r set state = 'approved', send_claim = null, updated_at = now()
      where ${stale} and r.send_committed_at is null returning r.id`.execute(this.db);
    const unconfirmed = await sql<{ id: string; message_id: string | null }>`
      update campaign_recipients r set state = 'sent', sent_at = r.send_committed_at, error_code = 'unconfirmed',
        error = 'The worker stopped after handing the message to the mail server and before its answer; it was not sent again (at most once)',
        updated_at = now()
      where ${stale} and r.send_committed_at is not null returning r.id, r.message_id`.execute(this.db);
    const mids = unconfirmed.rows.map((u) => u.message_id).filter((m): m is string => !!m);
    if (mids.length) await this.db.updateTable('email_messages').set({ status: 'sent', sent_at: new Date() }).where('tenant_id', '=', tenantId).where('id', 'in', mids).where('status', '=', 'queued').execute();
    return { requeued: requeued.rows.length, unconfirmed: unconfirmed.rows.map((u) => u.id) };
  }

  /** Sent recipients whose delivery is not yet counted (the worker stopped between the two writes). */
  async undelivered(tenantId: string, campaignId: string, limit = 1000): Promise<{ video_recipient_id: string; sent_at: Date | null }[]> {
    const rows = await this.db
      .selectFrom('campaign_recipients as r')
      .innerJoin('video_recipients as vr', 'vr.id', 'r.video_recipient_id')
      .select(['r.video_recipient_id', 'r.sent_at'])
      .where('r.tenant_id', '=', tenantId)
      .where('r.campaign_id', '=', campaignId)
      .where('r.state', '=', 'sent')
      .where('vr.delivered_at', 'is', null)
      .limit(limit)
      .execute();
    return rows as { video_recipient_id: string; sent_at: Date | null }[];
  }

  /** What is left to do: approved now, approved later (the earliest retry), in flight, and still to render for sending. */
  async remaining(tenantId: string, campaignId: string) {
    const r = await sql<{ due: number; later: number; next_at: Date | null; sending: number; auto_pending: number; held: number }>`
      select
        count(*) filter (where state = 'approved' and (next_attempt_at is null or next_attempt_at <= now()))::int as due,
        count(*) filter (where state = 'approved' and next_attempt_at > now())::int as later,
        min(next_attempt_at) filter (where state = 'approved' and next_attempt_at > now()) as next_at,
        count(*) filter (where state = 'sending')::int as sending,
        count(*) filter (where auto_approve and state in ('pending', 'queued', 'rendering'))::int as auto_pending,
        count(*) filter (where state = 'held')::int as held
      from campaign_recipients where tenant_id = ${tenantId}::uuid and campaign_id = ${campaignId}::uuid`.execute(this.db);
    const row = r.rows[0]!;
    return { due: Number(row.due), later: Number(row.later), nextAt: row.next_at ? new Date(row.next_at) : null, sending: Number(row.sending), autoPending: Number(row.auto_pending), held: Number(row.held) };
  }
}
