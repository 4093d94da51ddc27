import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB } from '../db/types';
import type { NotificationsTable } from '../db/tables/tracking';

export type NotificationRow = Selectable<NotificationsTable>;

/** Tenant- and user-scoped notification queries, plus what a first-view notice needs to name things. */
export class NotificationsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  videoWithOwner(tenantId: string, videoId: string) {
    return this.db
      .selectFrom('videos as v')
      .innerJoin('users as u', 'u.id', 'v.owner_id')
      .select(['v.id', 'v.title', 'v.script', 'v.owner_id', 'u.email as owner_email', 'u.locale as owner_locale'])
      .where('v.tenant_id', '=', tenantId)
      .where('v.id', '=', videoId)
      .executeTakeFirst();
  }

  recipient(tenantId: string, id: string) {
    return this.db.selectFrom('video_recipients').select(['id', 'email', 'name']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  insert(n: { tenant_id: string; user_id: string; kind: 'video.first_view'; video_id: string; recipient_id: string | null; data: Record<string, unknown>; email_status: string }) {
    return this.db.insertInto('notifications').values({ ...n, data: JSON.stringify(n.data) }).returningAll().executeTakeFirstOrThrow();
  }

  setEmailStatus(tenantId: string, id: string, status: string) {
    return this.db.updateTable('notifications').set({ email_status: status }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  list(tenantId: string, userId: string, opts: { unreadOnly: boolean; limit: number }) {
    let q = this.db.selectFrom('notifications').selectAll().where('tenant_id', '=', tenantId).where('user_id', '=', userId);
    if (opts.unreadOnly) q = q.where('read_at', 'is', null);
    return q.orderBy('created_at', 'desc').orderBy('id').limit(opts.limit).execute();
  }

  /**
   * Notifications created after the cursor (created_at to the millisecond, then id), oldest first: what a live stream
   * sends next. Millisecond truncation because the cursor travels as a JS Date, and PostgreSQL keeps microseconds.
   */
  listSince(tenantId: string, userId: string, after: { at: Date; id: string }, limit: number) {
    const ms = sql<Date>`date_trunc('milliseconds', created_at)`;
    return this.db
      .selectFrom('notifications')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('created_at', '>=', after.at)
      .where(sql<boolean>`(${ms}, id) > (${after.at}::timestamptz, ${after.id}::uuid)`)
      .orderBy(ms)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** The newest notification's cursor, or null when the user has none. */
  latest(tenantId: string, userId: string) {
    return this.db
      .selectFrom('notifications')
      .select(['created_at', 'id'])
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  countUnread(tenantId: string, userId: string) {
    return this.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  }

  markRead(tenantId: string, userId: string, id: string) {
    return this.db
      .updateTable('notifications')
      .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(new Date())) }))
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async prefs(tenantId: string, userId: string) {
    const row = await this.db
      .selectFrom('notification_prefs')
      .select('email_on_first_view')
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (row) return { email_on_first_view: row.email_on_first_view };
    // No choice of their own yet: the workspace default (Settings → Notifications).
    const t = await this.db
      .selectFrom('tenants')
      .select(sql<boolean | null>`(settings->'notifications'->>'email_on_first_view_default')::boolean`.as('on'))
      .where('id', '=', tenantId)
      .executeTakeFirst();
    return { email_on_first_view: t?.on === true };
  }

  async setPrefs(tenantId: string, userId: string, p: { email_on_first_view: boolean }) {
    await this.db
      .insertInto('notification_prefs')
      .values({ tenant_id: tenantId, user_id: userId, ...p })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...p, updated_at: new Date() }))
      .execute();
    return p;
  }

  userLocale(tenantId: string, userId: string) {
    return this.db.selectFrom('users').select('locale').where('tenant_id', '=', tenantId).where('id', '=', userId).executeTakeFirst();
  }
}
