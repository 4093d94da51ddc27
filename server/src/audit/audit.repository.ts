import type { Kysely } from 'kysely';
import type { DB } from '../db/types';

/** One audit row to write. Callers with a request pass `ipHash: principal.ipHash`. */
export interface AuditEvent {
  tenantId: string;
  /** Who acted (null for the system). */
  userId: string | null;
  /** `<area>.<verb>`, e.g. `auth.login_failed`, `user.role_changed`, `provider_key.set`. */
  action: string;
  targetType?: string;
  targetId?: string;
  /** What changed; never secrets (keys appear as their last 4 characters at most). */
  details?: Record<string, unknown>;
  /** Salted hash of the client IP (as tracking keeps it). */
  ipHash?: string | null;
}

export interface AuditFilter {
  page: number;
  pageSize: number;
  /** Exact action, or a prefix ending in `*` (`auth.*`). */
  action?: string;
  userId?: string;
}

/** Append-only audit trail of security-relevant actions. */
export class AuditRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Appends one row; with `trx`, inside the caller's transaction (the record commits with the change it describes). */
  record(e: AuditEvent, trx: Kysely<DB> = this.db) {
    return trx
      .insertInto('audit_log')
      .values({
        tenant_id: e.tenantId,
        user_id: e.userId,
        action: e.action,
        target_type: e.targetType ?? null,
        target_id: e.targetId ?? null,
        details: e.details ? JSON.stringify(e.details) : null,
        ip_hash: e.ipHash ?? null,
      })
      .execute();
  }

  list(tenantId: string, limit = 100) {
    return this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** A page of a tenant's audit rows, newest first, with the acting user's email. */
  async page(tenantId: string, f: AuditFilter) {
    let q = this.db.selectFrom('audit_log as a').where('a.tenant_id', '=', tenantId);
    if (f.action) q = f.action.endsWith('*') ? q.where('a.action', 'like', `${f.action.slice(0, -1).replace(/[\\%_]/g, '\\$&')}%`) : q.where('a.action', '=', f.action);
    if (f.userId) q = q.where('a.user_id', '=', f.userId);
    const [items, total] = await Promise.all([
      q
        .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'a.user_id').onRef('u.tenant_id', '=', 'a.tenant_id'))
        .select(['a.id', 'a.action', 'a.user_id', 'u.email as user_email', 'a.target_type', 'a.target_id', 'a.details', 'a.ip_hash', 'a.created_at'])
        .orderBy('a.id', 'desc')
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }
}
