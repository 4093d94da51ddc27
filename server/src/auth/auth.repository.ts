import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/types';

type Q = Kysely<DB> | Transaction<DB>;

/** Queries for tenants, users-by-email and refresh tokens. */
export class AuthRepository {
  constructor(private readonly db: Kysely<DB>) {}

  transaction<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  findTenantByDomain(domain: string, q: Q = this.db) {
    return q.selectFrom('tenants').selectAll().where('domain', '=', domain).executeTakeFirst();
  }

  findTenant(id: string) {
    return this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  }

  insertTenant(t: { name: string; domain: string }, q: Q = this.db) {
    return q.insertInto('tenants').values(t).returningAll().executeTakeFirstOrThrow();
  }

  /** Login looks a user up by email across tenants: emails are globally unique. */
  findUserByEmail(email: string, q: Q = this.db) {
    return q.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  findUser(id: string) {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  touchLogin(userId: string) {
    return this.db.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', userId).execute();
  }

  insertRefreshToken(
    t: { tenant_id: string; user_id: string; family_id: string; token_hash: string; expires_at: Date },
    q: Q = this.db,
  ) {
    return q.insertInto('refresh_tokens').values(t).execute();
  }

  findRefreshToken(hash: string, q: Q = this.db) {
    return q.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }

  /** Marks a token used only if it was still unused; returns false when another request spent it first. */
  async markUsed(id: string, q: Q = this.db): Promise<boolean> {
    const r = await q
      .updateTable('refresh_tokens')
      .set({ used_at: new Date() })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  revokeFamily(familyId: string, q: Q = this.db) {
    return q
      .updateTable('refresh_tokens')
      .set({ revoked_at: new Date() })
      .where('family_id', '=', familyId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Revokes a user's refresh tokens, optionally sparing one family (the session that asked). */
  revokeAllForUser(userId: string, exceptFamily?: string) {
    let q = this.db.updateTable('refresh_tokens').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null);
    if (exceptFamily) q = q.where('family_id', '!=', exceptFamily);
    return q.execute();
  }
}
