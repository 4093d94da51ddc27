import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../db/types';
import type { SessionsTable } from '../db/tables/security';

export type SessionRow = Selectable<SessionsTable>;
type Q = Kysely<DB> | Transaction<DB>;

/** Sessions (sign-ins): created at login, named by access tokens (`sid`), revoked by logout and admins. */
export class SessionsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  insert(s: { id: string; tenant_id: string; user_id: string; method: SessionRow['method']; ip_hash: string | null; user_agent: string | null }, q: Q = this.db) {
    return q.insertInto('sessions').values(s).execute();
  }

  get(id: string, q: Q = this.db) {
    return q.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  touchRefreshed(id: string) {
    return this.db.updateTable('sessions').set({ refreshed_at: new Date() }).where('id', '=', id).execute();
  }

  /** Revokes one session (no-op when already revoked); true when this call revoked it. */
  async revoke(id: string, reason: string, q: Q = this.db): Promise<boolean> {
    const r = await q
      .updateTable('sessions')
      .set({ revoked_at: new Date(), revoked_reason: reason })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Revokes every live session of a user in their tenant; returns the revoked ids. */
  async revokeAllForUser(tenantId: string, userId: string, reason: string, except?: string): Promise<string[]> {
    let q = this.db
      .updateTable('sessions')
      .set({ revoked_at: new Date(), revoked_reason: reason })
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (except) q = q.where('id', '!=', except);
    return (await q.returning('id').execute()).map((r) => r.id);
  }

  /** Sessions revoked at or after `since` (every API process polls this; see revocations.ts). */
  revokedSince(since: Date) {
    return this.db.selectFrom('sessions').select(['id', 'revoked_at']).where('revoked_at', '>=', since).execute();
  }

  /** A user's live sessions, newest first. */
  listActive(tenantId: string, userId: string) {
    return this.db
      .selectFrom('sessions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(100)
      .execute();
  }
}
