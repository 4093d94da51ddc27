import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../db/types';
import type { UsersTable } from '../db/tables/core';

export type UserRow = Selectable<UsersTable>;
type Q = Kysely<DB> | Transaction<DB>;

/** Tenant-scoped user queries: every method takes the tenant id. */
export class UsersRepository {
  constructor(private readonly db: Kysely<DB>) {}

  list(tenantId: string, page: number, pageSize: number) {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at', 'asc')
      .orderBy('id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
  }

  async count(tenantId: string): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  get(tenantId: string, id: string) {
    return this.db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  insert(
    u: { tenant_id: string; email: string; password_hash: string | null; full_name: string | null; role: UserRow['role'] },
    q: Q = this.db,
  ) {
    return q.insertInto('users').values(u).returningAll().executeTakeFirstOrThrow();
  }

  update(tenantId: string, id: string, patch: Partial<Pick<UserRow, 'role' | 'is_active' | 'full_name'>>) {
    return this.db
      .updateTable('users')
      .set({ ...patch, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  setPassword(tenantId: string, id: string, passwordHash: string) {
    return this.db.updateTable('users').set({ password_hash: passwordHash, updated_at: new Date() }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  async countActiveAdmins(tenantId: string): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('role', '=', 'admin')
      .where('is_active', '=', true)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}

/** The public shape of a user (never the password hash); `lockedUntil` when the caller looked it up. */
export function toUserDto(u: UserRow, lockedUntil?: Date | null) {
  return {
    id: u.id,
    tenant_id: u.tenant_id,
    email: u.email,
    full_name: u.full_name,
    role: u.role,
    is_active: u.is_active,
    created_at: u.created_at.toISOString(),
    ...(lockedUntil !== undefined ? { locked_until: lockedUntil?.toISOString() ?? null } : {}),
  };
}
