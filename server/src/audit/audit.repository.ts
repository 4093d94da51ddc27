import type { Kysely } from 'kysely';
import type { DB } from '../db/types';

/** Append-only audit trail of security-relevant actions. */
export class AuditRepository {
  constructor(private readonly db: Kysely<DB>) {}

  record(e: {
    tenantId: string;
    userId: string | null;
    action: string;
    targetType?: string;
    targetId?: string;
    details?: Record<string, unknown>;
  }) {
    return this.db
      .insertInto('audit_log')
      .values({
        tenant_id: e.tenantId,
        user_id: e.userId,
        action: e.action,
        target_type: e.targetType ?? null,
        target_id: e.targetId ?? null,
        details: e.details ? JSON.stringify(e.details) : null,
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
}
