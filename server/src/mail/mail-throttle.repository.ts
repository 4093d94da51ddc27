import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types';

/**
 * The mail throttle's shared state, in the database so every worker process draws from the same budget:
 * a token bucket per driver and a per-tenant count of messages handed over per UTC day.
 */
export class MailThrottleRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Takes up to `want` whole tokens from the driver's bucket (refilled at `perSecond`, holding at most `burst`),
   * as of `at`. Returns how many were granted and how many tokens were available before taking.
   */
  async takeTokens(driver: string, want: number, perSecond: number, burst: number, at: Date): Promise<{ granted: number; available: number }> {
    await this.db
      .insertInto('mail_rate_buckets')
      .values({ driver, tokens: burst, refilled_at: at })
      .onConflict((oc) => oc.column('driver').doNothing())
      .execute();
    const r = await sql<{ granted: number; available: number }>`
      with cur as (
        select least(${burst}::float8, tokens + greatest(0, extract(epoch from (${at}::timestamptz - refilled_at))) * ${perSecond}::float8) as avail
        from mail_rate_buckets where driver = ${driver} for update
      )
      update mail_rate_buckets b
      set tokens = cur.avail - least(${want}::float8, floor(cur.avail)),
          refilled_at = greatest(b.refilled_at, ${at}::timestamptz)
      from cur where b.driver = ${driver}
      returning least(${want}::float8, floor(cur.avail))::int as granted, cur.avail::float8 as available`.execute(this.db);
    const row = r.rows[0]!;
    return { granted: Number(row.granted), available: Number(row.available) };
  }

  /** Gives unused tokens back (never above `burst`). */
  async returnTokens(driver: string, n: number, burst: number): Promise<void> {
    if (n <= 0) return;
    await sql`update mail_rate_buckets set tokens = least(${burst}::float8, tokens + ${n}::float8) where driver = ${driver}`.execute(this.db);
  }

  /** Counts up to `want` messages against the tenant's cap for `day` (YYYY-MM-DD); returns how many fit. */
  async takeDaily(tenantId: string, day: string, want: number, cap: number): Promise<number> {
    await this.db
      .insertInto('mail_daily_usage')
      .values({ tenant_id: tenantId, day, sent: 0 })
      .onConflict((oc) => oc.columns(['tenant_id', 'day']).doNothing())
      .execute();
    const r = await sql<{ granted: number }>`
      with cur as (select sent from mail_daily_usage where tenant_id = ${tenantId} and day = ${day}::date for update),
      g as (select least(${want}::int, greatest(0, ${cap}::int - cur.sent)) as granted from cur)
      update mail_daily_usage u set sent = u.sent + g.granted from g
      where u.tenant_id = ${tenantId} and u.day = ${day}::date
      returning g.granted`.execute(this.db);
    return Number(r.rows[0]?.granted ?? 0);
  }

  async returnDaily(tenantId: string, day: string, n: number): Promise<void> {
    if (n <= 0) return;
    await sql`update mail_daily_usage set sent = greatest(0, sent - ${n}::int) where tenant_id = ${tenantId} and day = ${day}::date`.execute(this.db);
  }

  async usedToday(tenantId: string, day: string): Promise<number> {
    const r = await this.db.selectFrom('mail_daily_usage').select('sent').where('tenant_id', '=', tenantId).where('day', '=', day).executeTakeFirst();
    return r?.sent ?? 0;
  }
}
