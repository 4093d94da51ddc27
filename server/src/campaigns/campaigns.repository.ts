import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { CampaignRecipientsTable, CampaignStatus, CampaignsTable, CampaignVariantsTable, RecipientState } from '../db/tables/campaigns';
import type { DB } from '../db/types';
import { STAT_COLUMNS } from '../tracking/stats';

export type CampaignRow = Selectable<CampaignsTable>;
export type VariantRow = Selectable<CampaignVariantsTable>;
export type CampaignRecipientRow = Selectable<CampaignRecipientsTable>;
type Q = Kysely<DB> | Transaction<DB>;
type CampaignPatch = Omit<Updateable<CampaignsTable>, 'id' | 'tenant_id' | 'created_at'>;
type RecipientPatch = Omit<Updateable<CampaignRecipientsTable>, 'id' | 'tenant_id' | 'campaign_id' | 'created_at'>;

export interface RecipientFilter {
  states?: RecipientState[];
  variantId?: string;
}

/** What the review screen and the DTO need of a recipient: the row plus its video, tracking slug and variant label. */
const RECIPIENT_VIEW = [
  'r.id', 'r.campaign_id', 'r.contact_id', 'r.email', 'r.first_name', 'r.last_name', 'r.company', 'r.variant_id', 'r.state',
  'r.skip_reason', 'r.script', 'r.subject', 'r.caption', 'r.video_id', 'r.video_recipient_id', 'r.error', 'r.error_code',
  'r.send_attempts', 'r.message_id', 'r.approved_at', 'r.sent_at', 'r.position',
  'v.status as video_status', 'v.duration_sec', 'v.video_key', 'v.poster_key', 'v.gif_key', 'vr.slug as recipient_slug', 'cv.label as variant_label',
  'm.status as message_status',
] as const;

/** Tenant-scoped campaign queries: campaigns, their variants and recipients. Every method takes the tenant id. */
export class CampaignsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  transaction<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  insertCampaign(row: Insertable<CampaignsTable>, q: Q = this.db) {
    return q.insertInto('campaigns').values(row).returningAll().executeTakeFirstOrThrow();
  }

  insertVariants(rows: Insertable<CampaignVariantsTable>[], q: Q = this.db) {
    return q.insertInto('campaign_variants').values(rows).returningAll().execute();
  }

  /** Inserts recipients (callers keep batches ≤ 500 rows: ~20 parameters a row). */
  async insertRecipients(rows: Insertable<CampaignRecipientsTable>[], q: Q = this.db): Promise<void> {
    if (rows.length) await q.insertInto('campaign_recipients').values(rows).execute();
  }

  async deleteCampaign(tenantId: string, id: string, q: Q = this.db): Promise<void> {
    await q.deleteFrom('campaigns').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  get(tenantId: string, id: string) {
    return this.db.selectFrom('campaigns').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  private filtered(tenantId: string, f: { ownerId?: string; status?: CampaignStatus }) {
    let q = this.db.selectFrom('campaigns').where('tenant_id', '=', tenantId);
    if (f.ownerId) q = q.where('owner_id', '=', f.ownerId);
    if (f.status) q = q.where('status', '=', f.status);
    return q;
  }

  list(tenantId: string, f: { ownerId?: string; status?: CampaignStatus }, page: number, pageSize: number) {
    return this.filtered(tenantId, f).selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
  }

  async count(tenantId: string, f: { ownerId?: string; status?: CampaignStatus }): Promise<number> {
    const r = await this.filtered(tenantId, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Compare-and-set on the campaign's status; undefined when it was not in `from`. */
  transition(tenantId: string, id: string, from: CampaignStatus[], patch: CampaignPatch, q: Q = this.db) {
    return q
      .updateTable('campaigns')
      .set({ ...patch, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('status', 'in', from)
      .returningAll()
      .executeTakeFirst();
  }

  update(tenantId: string, id: string, patch: CampaignPatch, q: Q = this.db) {
    return q.updateTable('campaigns').set({ ...patch, updated_at: new Date() }).where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirst();
  }

  variants(tenantId: string, campaignId: string, q: Q = this.db) {
    return q.selectFrom('campaign_variants').selectAll().where('tenant_id', '=', tenantId).where('campaign_id', '=', campaignId).orderBy('position').execute();
  }

  /**
   * Recipients per state. A message SendGrid reported bounced after we handed it over counts as bounced.
   */
  async counts(tenantId: string, campaignIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
    const out = new Map<string, Map<string, number>>(campaignIds.map((id) => [id, new Map()]));
    if (!campaignIds.length) return out;
    const rows = await this.db
      .selectFrom('campaign_recipients as r')
      .leftJoin('email_messages as m', (j) => j.onRef('m.id', '=', 'r.message_id').on('r.state', '=', 'sent'))
      .select(['r.campaign_id', sql<string>`case when m.status = 'bounced' then 'bounced' else r.state end`.as('state'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('r.tenant_id', '=', tenantId)
      .where('r.campaign_id', 'in', [...campaignIds])
      .groupBy(['r.campaign_id', sql`2`])
      .execute();
    for (const r of rows) out.get(r.campaign_id)!.set(r.state, Number(r.n));
    return out;
  }

  private recipientView(tenantId: string, campaignId: string, f: RecipientFilter) {
    let q = this.db
      .selectFrom('campaign_recipients as r')
      .leftJoin('videos as v', 'v.id', 'r.video_id')
      .leftJoin('video_recipients as vr', 'vr.id', 'r.video_recipient_id')
      .leftJoin('campaign_variants as cv', 'cv.id', 'r.variant_id')
      .leftJoin('email_messages as m', 'm.id', 'r.message_id')
      .where('r.tenant_id', '=', tenantId)
      .where('r.campaign_id', '=', campaignId);
    if (f.states?.length) q = q.where('r.state', 'in', f.states);
    if (f.variantId) q = q.where('r.variant_id', '=', f.variantId);
    return q;
  }

  recipients(tenantId: string, campaignId: string, f: RecipientFilter, page: number, pageSize: number) {
    return this.recipientView(tenantId, campaignId, f).select(RECIPIENT_VIEW).orderBy('r.position').limit(pageSize).offset((page - 1) * pageSize).execute();
  }

  /** N random recipients of the filter (the review spot-check). */
  sample(tenantId: string, campaignId: string, f: RecipientFilter, n: number) {
    return this.recipientView(tenantId, campaignId, f).select(RECIPIENT_VIEW).orderBy(sql`random()`).limit(n).execute();
  }

  async countRecipients(tenantId: string, campaignId: string, f: RecipientFilter, db: Q = this.db): Promise<number> {
    let q = db.selectFrom('campaign_recipients as r').where('r.tenant_id', '=', tenantId).where('r.campaign_id', '=', campaignId);
    if (f.states?.length) q = q.where('r.state', 'in', f.states);
    if (f.variantId) q = q.where('r.variant_id', '=', f.variantId);
    const r = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  recipientViewById(tenantId: string, campaignId: string, id: string) {
    return this.recipientView(tenantId, campaignId, {}).select(RECIPIENT_VIEW).where('r.id', '=', id).executeTakeFirst();
  }

  getRecipient(tenantId: string, campaignId: string, id: string) {
    return this.db.selectFrom('campaign_recipients').selectAll().where('tenant_id', '=', tenantId).where('campaign_id', '=', campaignId).where('id', '=', id).executeTakeFirst();
  }

  /** Keyset page of recipients in one state, by position (fan-out and exports walk a whole campaign this way). */
  recipientsInState(tenantId: string, campaignId: string, states: RecipientState[], afterPosition: number, limit: number, q: Q = this.db) {
    return q
      .selectFrom('campaign_recipients')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('campaign_id', '=', campaignId)
      .where('state', 'in', states)
      .where('position', '>', afterPosition)
      .orderBy('position')
      .limit(limit)
      .execute();
  }

  /** Compare-and-set on one recipient's state. */
  setRecipient(tenantId: string, id: string, from: RecipientState[], patch: RecipientPatch, q: Q = this.db) {
    return q
      .updateTable('campaign_recipients')
      .set({ ...patch, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('state', 'in', from)
      .returningAll()
      .executeTakeFirst();
  }

  /** Moves every recipient of the campaign in `from` (or just `ids`) to `to`; returns the ids moved. */
  async moveRecipients(tenantId: string, campaignId: string, from: RecipientState[], patch: RecipientPatch & { state: RecipientState }, ids?: readonly string[], q: Q = this.db): Promise<string[]> {
    let u = q
      .updateTable('campaign_recipients')
      .set({ ...patch, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('campaign_id', '=', campaignId)
      .where('state', 'in', from);
    if (ids) {
      if (!ids.length) return [];
      u = u.where('id', 'in', [...ids]);
    }
    return (await u.returning('id').execute()).map((r) => r.id);
  }

  /** The state of each of `ids` that belongs to the campaign (to explain what could not be approved). */
  async statesOf(tenantId: string, campaignId: string, ids: readonly string[]): Promise<Map<string, RecipientState>> {
    if (!ids.length) return new Map();
    const rows = await this.db.selectFrom('campaign_recipients').select(['id', 'state']).where('tenant_id', '=', tenantId).where('campaign_id', '=', campaignId).where('id', 'in', [...ids]).execute();
    return new Map(rows.map((r) => [r.id, r.state]));
  }

  /** Sets the variant and personal texts of held recipients (A/B rest) in one statement per text set. */
  async releaseHeld(tenantId: string, campaignId: string, variantId: string, rows: { id: string; script: string; subject: string; caption: string | null }[], q: Q = this.db): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      const part = rows.slice(i, i + 500);
      const values = sql.join(part.map((r) => sql`(${r.id}::uuid, ${r.script}, ${r.subject}, ${r.caption})`));
      await sql`
        update campaign_recipients r set variant_id = ${variantId}::uuid, script = v.script, subject = v.subject, caption = v.caption,
          state = 'pending', auto_approve = true, updated_at = now()
        from (values ${values}) as v(id, script, subject, caption)
        where r.id = v.id and r.tenant_id = ${tenantId}::uuid and r.campaign_id = ${campaignId}::uuid and r.state = 'held'`.execute(q);
    }
  }

  /**
   * Links a batch of pending recipients to their new video rows and recipient links, and marks them queued,
   * in the caller's transaction. Returns the ids that were still pending (a concurrent cancel wins).
   */
  async queueForRender(trx: Kysely<DB>, tenantId: string, links: { id: string; videoId: string; videoRecipientId: string }[]): Promise<string[]> {
    if (!links.length) return [];
    const values = sql.join(links.map((l) => sql`(${l.id}::uuid, ${l.videoId}::uuid, ${l.videoRecipientId}::uuid)`));
    const r = await sql<{ id: string }>`
      update campaign_recipients r set state = 'queued', video_id = v.video_id, video_recipient_id = v.vr_id, error = null, error_code = null, updated_at = now()
      from (values ${values}) as v(id, video_id, vr_id)
      where r.id = v.id and r.tenant_id = ${tenantId}::uuid and r.state = 'pending'
      returning r.id`.execute(trx);
    return r.rows.map((x) => x.id);
  }

  /**
   * Creates each recipient's video row and tracked recipient link and marks the recipients queued, in the
   * caller's transaction (the one that queues their render jobs); rows whose recipient stopped being pending
   * meanwhile (a cancel) are not kept.
   */
  async createRecipientVideos(
    tenantId: string,
    rows: { recipientId: string; video: Insertable<DB['videos']> & { id: string }; link: { id: string; tenant_id: string; email: string; name: string | null; slug: string } }[],
    trx: Kysely<DB>,
  ): Promise<Set<string>> {
    if (!rows.length) return new Set();
    await trx.insertInto('videos').values(rows.map((r) => r.video)).execute();
    await trx.insertInto('video_recipients').values(rows.map((r) => ({ ...r.link, video_id: r.video.id }))).execute();
    const queued = new Set(await this.queueForRender(trx, tenantId, rows.map((r) => ({ id: r.recipientId, videoId: r.video.id, videoRecipientId: r.link.id }))));
    const dropped = rows.filter((r) => !queued.has(r.recipientId)).map((r) => r.video.id);
    if (dropped.length) await trx.deleteFrom('videos').where('tenant_id', '=', tenantId).where('id', 'in', dropped).execute();
    return queued;
  }

  /**
   * Puts a finished (or failed) campaign video back in the queue for a re-render, in the caller's transaction;
   * undefined when it is being rendered already. The old files' keys are returned with the row (deleted after the commit).
   */
  requeueVideo(tenantId: string, videoId: string, patch: { script: string; options: string }, trx: Kysely<DB>) {
    return trx
      .updateTable('videos')
      .set({
        status: 'queued', script: patch.script, options: patch.options, progress: 0, stage: null, error: null, error_code: null,
        video_key: null, poster_key: null, gif_key: null, video_bytes: null, poster_bytes: null, gif_bytes: null, completed_at: null, updated_at: new Date(),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', videoId)
      .where('deleted_at', 'is', null)
      .where('status', 'in', ['completed', 'failed', 'canceled'])
      .returning(['id'])
      .executeTakeFirst();
  }

  /** Keyset page of recipients whose video is rendered, with what a PURL line needs. */
  exportPage(tenantId: string, campaignId: string, afterPosition: number, limit: number) {
    return this.db
      .selectFrom('campaign_recipients as r')
      .innerJoin('videos as v', 'v.id', 'r.video_id')
      .innerJoin('video_recipients as vr', 'vr.id', 'r.video_recipient_id')
      .leftJoin('campaign_variants as cv', 'cv.id', 'r.variant_id')
      .select(['r.position', 'r.email', 'r.first_name', 'r.last_name', 'r.company', 'r.subject', 'r.state', 'cv.label as variant', 'cv.thumbnail', 'vr.id as link_id', 'vr.slug',
        'v.title', 'v.language', 'v.duration_sec', 'v.width', 'v.height'])
      .where('r.tenant_id', '=', tenantId)
      .where('r.campaign_id', '=', campaignId)
      .where('v.status', '=', 'completed')
      .where('r.state', 'not in', ['canceled', 'skipped', 'bounced'])
      .where('r.position', '>', afterPosition)
      .orderBy('r.position')
      .limit(limit)
      .execute();
  }

  /** A draft's recipients and variants go (an edit writes them anew in the same transaction). */
  async deleteRecipientsAndVariants(tenantId: string, campaignId: string, trx: Transaction<DB>): Promise<void> {
    await trx.deleteFrom('campaign_recipients').where('tenant_id', '=', tenantId).where('campaign_id', '=', campaignId).execute();
    await trx.deleteFrom('campaign_variants').where('tenant_id', '=', tenantId).where('campaign_id', '=', campaignId).execute();
  }

  /** Locks the campaign row for its deletion when its status is one of `from` (a concurrent render or send waits). */
  lockForDelete(tenantId: string, id: string, from: CampaignStatus[], trx: Transaction<DB>) {
    return trx.selectFrom('campaigns').select(['id', 'status']).where('tenant_id', '=', tenantId).where('id', '=', id).where('status', 'in', from).forUpdate().executeTakeFirst();
  }

  /**
   * Soft-deletes every video of the campaign (as deleting a video does: the watch page and tracking stop; a render
   * still running notices and drops its files) and returns their stored files' keys, for removal after the commit.
   */
  softDeleteVideos(tenantId: string, campaignId: string, trx: Transaction<DB>) {
    return trx
      .updateTable('videos')
      .set({ deleted_at: new Date(), updated_at: new Date(), status: sql`case when status in ('queued','rendering') then 'canceled' else status end` })
      .where('tenant_id', '=', tenantId)
      .where('campaign_id', '=', campaignId)
      .where('deleted_at', 'is', null)
      .returning(['id', 'video_key', 'poster_key', 'gif_key'])
      .execute();
  }

  /** Cancels the campaign's videos that have not been rendered yet (a running render notices and stops). */
  async cancelVideos(tenantId: string, campaignId: string): Promise<void> {
    await this.db
      .updateTable('videos')
      .set({ status: 'canceled', stage: null, error: 'The campaign was canceled', updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('campaign_id', '=', campaignId)
      .where('status', 'in', ['queued', 'rendering'])
      .execute();
  }

  /** Sums the tracking aggregates of each recipient's own link (scope r:<video recipient>), per variant. */
  statsByVariant(tenantId: string, campaignId: string) {
    return this.db
      .selectFrom('campaign_recipients as r')
      .innerJoin('video_stats as s', (j) => j.onRef('s.video_id', '=', 'r.video_id').on('s.scope', '=', sql<string>`'r:' || r.video_recipient_id::text`))
      .select((eb) => [
        'r.variant_id',
        eb.fn.countAll<number>().as('recipients_with_stats'),
        sql<number>`sum(case when s.plays > 0 then 1 else 0 end)`.as('players'),
        ...STAT_COLUMNS.map((c) => sql<number>`sum(s.${sql.ref(c)})`.as(c)),
      ])
      .where('r.tenant_id', '=', tenantId)
      .where('r.campaign_id', '=', campaignId)
      .groupBy('r.variant_id')
      .execute();
  }

  /** Recipients per variant and how many were sent (the denominators). */
  recipientsByVariant(tenantId: string, campaignId: string) {
    return this.db
      .selectFrom('campaign_recipients')
      .select((eb) => ['variant_id', eb.fn.countAll<number>().as('recipients'), sql<number>`sum(case when state = 'sent' then 1 else 0 end)`.as('sent')])
      .where('tenant_id', '=', tenantId)
      .where('campaign_id', '=', campaignId)
      .groupBy('variant_id')
      .execute();
  }

  /** One page of recipients with their own link's aggregates (analytics per recipient). */
  recipientStats(tenantId: string, campaignId: string, page: number, pageSize: number) {
    return this.db
      .selectFrom('campaign_recipients as r')
      .leftJoin('video_stats as s', (j) => j.onRef('s.video_id', '=', 'r.video_id').on('s.scope', '=', sql<string>`'r:' || r.video_recipient_id::text`))
      .leftJoin('video_recipients as vr', 'vr.id', 'r.video_recipient_id')
      .leftJoin('campaign_variants as cv', 'cv.id', 'r.variant_id')
      .select(['r.id', 'r.email', 'r.first_name', 'r.last_name', 'r.state', 'cv.label as variant_label', 'vr.delivered_at', ...STAT_COLUMNS.map((c) => `s.${c}` as const)])
      .where('r.tenant_id', '=', tenantId)
      .where('r.campaign_id', '=', campaignId)
      .orderBy('r.position')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
  }
}
